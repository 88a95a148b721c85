// Sections 7 to 10 of the quarterly report: attendance and no-shows where a register was taken,
// series retention, waiting lists that stayed, and the share of known adopted children reached.
// Each a GOV.UK table (the source of truth, built by participationTables, the same tables the
// exports hold) with a bar chart beside it. Used by the report page and its print view.
import type { ReactNode } from 'react'
import { BarChart, formatFigure } from './bar-chart'
import { FigureTableView } from './report-sections'
import { WarningText } from './warning-text'
import { ATTENDANCE_RULE, DEMAND_RULE, participationTables, percent } from '~/domain/participation-export'
import type { Report } from '~/domain/report-types'

function TableWithChart({ table, chart }: { table: ReactNode; chart: ReactNode }) {
  return (
    <div className="govuk-grid-row app-report-section__pair">
      <div className="govuk-grid-column-one-half">{table}</div>
      <div className="govuk-grid-column-one-half">{chart}</div>
    </div>
  )
}

const percentText = (value: number) => `${formatFigure(value)}%`

export function AttendanceSections({ report, knownChildrenHref }: { report: Report; knownChildrenHref?: string }) {
  const t = participationTables(report)
  const { attendance, seriesRetention, demand, knownChildren } = report.participation
  // a number of known children below those reached is out of date or mistyped: staff are asked to check it
  const overKnown = knownChildren.rows.filter((r) => r.childrenReached > r.known)
  const { total } = attendance
  return (
    <>
      <section className="app-report-section" aria-labelledby="section-attendance">
        <h2 className="govuk-heading-m" id="section-attendance">
          7. Attendance and no-shows
        </h2>
        {attendance.sessionsHeld > 0 ? (
          <p className="govuk-body">
            {`Registers were taken at ${attendance.sessionsWithRegister} of the ${attendance.sessionsHeld} ${attendance.sessionsHeld === 1 ? 'session' : 'sessions'} held.`}
          </p>
        ) : null}
        <p className="govuk-hint">{ATTENDANCE_RULE}</p>
        <TableWithChart
          table={<FigureTableView table={t.attendance} empty="No register taken" />}
          chart={
            <BarChart
              title="places on sessions with a register"
              bars={[
                { label: 'Attended', value: total.attended },
                { label: 'Did not attend', value: total.noShows },
                { label: 'Not marked', value: total.notMarked },
              ]}
            />
          }
        />
        <FigureTableView table={t.attendanceByKind} wide />
        <TableWithChart
          table={<FigureTableView table={t.attendanceByCategory} wide />}
          chart={
            <BarChart
              title="attendance rate by category"
              max={100}
              format={percentText}
              empty="no register taken"
              bars={attendance.byCategory.map((c) => ({ label: c.label, value: percent(c.attended, c.places) }))}
            />
          }
        />
        <TableWithChart
          table={<FigureTableView table={t.attendanceByAuthority} wide />}
          chart={
            <BarChart
              title="no-show rate by home authority"
              max={100}
              format={percentText}
              bars={attendance.byAuthority.map((a) => ({ label: a.label, value: percent(a.noShows, a.places) }))}
            />
          }
        />
        <FigureTableView table={t.attendanceBySession} wide />
      </section>

      <section className="app-report-section" aria-labelledby="section-retention">
        <h2 className="govuk-heading-m" id="section-retention">
          8. Series retention
        </h2>
        <p className="govuk-hint">
          For each series with a session in the period: of the children and young people booked on its first session,
          how many came to it and to each later session in the period.
        </p>
        {seriesRetention.length === 0 ? <p className="govuk-body">No series had a session in this period.</p> : null}
        {seriesRetention.map((series, i) => (
          <TableWithChart
            key={series.seriesId}
            table={<FigureTableView table={t.retention[i]!} />}
            chart={
              <BarChart
                title={`${series.title}: children from the first session who came`}
                max={series.booked}
                empty="no register taken"
                bars={series.sessions.map((s, j) => ({
                  label: String(t.retention[i]!.rows[j]![0]),
                  value: s.came,
                }))}
              />
            }
          />
        ))}
      </section>

      <section className="app-report-section" aria-labelledby="section-demand">
        <h2 className="govuk-heading-m" id="section-demand">
          9. Waiting lists that stayed
        </h2>
        <p className="govuk-hint">{DEMAND_RULE}</p>
        <TableWithChart
          table={<FigureTableView table={t.demand} />}
          chart={
            <BarChart
              title="places that stayed on a waiting list by category"
              bars={demand.byCategory.map((d) => ({ label: d.category, value: d.places }))}
            />
          }
        />
      </section>

      <section className="app-report-section" aria-labelledby="section-known-children">
        <h2 className="govuk-heading-m" id="section-known-children">
          10. Share of known adopted children reached
        </h2>
        {knownChildren.financialYear === null ? (
          <p className="govuk-body">
            This period is in two financial years: choose a quarter or dates within one year to see the share.
          </p>
        ) : t.knownChildren ? (
          <TableWithChart
            table={<FigureTableView table={t.knownChildren} />}
            chart={
              <BarChart
                title="share of known adopted children reached"
                max={100}
                format={percentText}
                bars={knownChildren.rows.map((r) => ({ label: r.name, value: percent(r.childrenReached, r.known) }))}
              />
            }
          />
        ) : (
          <p className="govuk-body">{`No numbers of known adopted children are entered for ${knownChildren.financialYear}.`}</p>
        )}
        {knownChildren.financialYear && overKnown.length > 0 ? (
          <WarningText>
            {`More children were reached than the number of known adopted children entered for ${knownChildren.financialYear} in ${overKnown
              .map((r) => `${r.name} (${r.childrenReached} reached, ${r.known} entered)`)
              .join(', ')}. Check the number entered.`}
          </WarningText>
        ) : null}
        {knownChildren.financialYear && knownChildren.notEntered.length > 0 ? (
          <p className="govuk-body">
            {`No number entered for ${knownChildren.financialYear}: ${knownChildren.notEntered
              .map((a) => `${a.name} (${a.childrenReached} ${a.childrenReached === 1 ? 'child' : 'children'} reached)`)
              .join(', ')}.`}
          </p>
        ) : null}
        <p className="govuk-hint">
          Children reached are the distinct children counted in sections 1 to 3, in the authority of their first place;
          the numbers of known adopted children are entered by an administrator for each financial year.
          {knownChildrenHref ? (
            <>
              {' '}
              <a className="govuk-link app-no-print" href={knownChildrenHref}>
                Enter known adopted children
              </a>
            </>
          ) : null}
        </p>
      </section>
    </>
  )
}
