// Sections 1 to 6 of the quarterly report: each a GOV.UK table (the source of truth, built by
// reportTables, the same tables the exports hold) with a bar chart beside it. Used by the report
// page and its print view.
import type { ReactNode } from 'react'
import { BarChart, formatFigure } from './bar-chart'
import {
  attendanceKnown,
  CHILD_COUNTED_ONCE,
  CUT_NAMES,
  KIND_NAMES,
  reportTables,
  roundScore,
  type Cell,
  type FigureTable,
} from '~/domain/report-export'
import { parseCalendarDate } from '~/time/london-time'
import type { Report } from '~/domain/report-types'

function cellText(cell: Cell, empty: string): string {
  if (cell === null) return empty
  return typeof cell === 'number' ? formatFigure(cell) : cell
}

/** A govuk-table: the first column names the row, the others are right-aligned numbers; totals in a tfoot. */
export function FigureTableView({
  table,
  empty = 'None',
  wide = false,
}: {
  table: FigureTable
  empty?: string
  wide?: boolean
}) {
  const markup = (
    <table className={wide ? 'govuk-table app-report-table app-report-table--wide' : 'govuk-table app-report-table'}>
      <caption className="govuk-table__caption govuk-table__caption--s">{table.caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {table.head.map((text, i) => (
            <th
              key={i}
              scope="col"
              className={i === 0 ? 'govuk-table__header' : 'govuk-table__header govuk-table__header--numeric'}
            >
              {text}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {table.rows.map((row, r) => (
          <tr className="govuk-table__row" key={r}>
            {row.map((cell, i) =>
              i === 0 ? (
                <th key={i} scope="row" className="govuk-table__header">
                  {cellText(cell, empty)}
                </th>
              ) : (
                <td key={i} className="govuk-table__cell govuk-table__cell--numeric">
                  {cellText(cell, empty)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
      {table.total ? (
        <tfoot className="app-report-table__total">
          <tr className="govuk-table__row">
            {table.total.map((cell, i) =>
              i === 0 ? (
                <th key={i} scope="row" className="govuk-table__header">
                  {cellText(cell, empty)}
                </th>
              ) : (
                <td key={i} className="govuk-table__cell govuk-table__cell--numeric">
                  {cellText(cell, empty)}
                </td>
              ),
            )}
          </tr>
        </tfoot>
      ) : null}
    </table>
  )
  if (!wide) return markup
  // A wide table scrolls on its own on a small screen; keyboard users can focus it to scroll.
  return (
    <div className="app-table-scroll" role="region" aria-label={table.caption} tabIndex={0}>
      {markup}
    </div>
  )
}

function TableWithChart({ table, chart }: { table: ReactNode; chart: ReactNode }) {
  return (
    <div className="govuk-grid-row app-report-section__pair">
      <div className="govuk-grid-column-one-half">{table}</div>
      <div className="govuk-grid-column-one-half">{chart}</div>
    </div>
  )
}

/** "Registers were taken at 7 of the 10 activities held." */
function RegistersTaken({ held, withRegister, sessions }: { held: number; withRegister: number; sessions: string }) {
  if (held === 0) return null
  return (
    <p className="govuk-body">
      {`Registers were taken at ${withRegister} of the ${held} ${sessions} held.`}
      {withRegister < held ? ' Attendance counts only those with a register.' : ''}
    </p>
  )
}

export function ReportSections({ report }: { report: Report }) {
  const t = reportTables(report)
  const activitiesAttendance = attendanceKnown(report.activities.spacesBooked, report.registers.activities)
  const groupWord = report.cut === 'school-year' ? 'school year' : 'age band'
  const partners = report.byAuthority.filter((a) => a.isPartner).map((a) => a.name)
  return (
    <>
      <section className="app-report-section" aria-labelledby="section-activities">
        <h2 className="govuk-heading-m" id="section-activities">
          1. Virtual activities
        </h2>
        <RegistersTaken
          held={report.activities.held}
          withRegister={report.registers.activities}
          sessions={report.activities.held === 1 ? 'activity' : 'activities'}
        />
        <TableWithChart
          table={<FigureTableView table={t.activities} />}
          chart={
            <BarChart
              title="spaces booked and attended"
              empty="no register taken"
              bars={[
                { label: 'Booked', value: report.activities.spacesBooked },
                { label: 'Attended', value: activitiesAttendance ? report.activities.spacesAttended : null },
              ]}
            />
          }
        />
        <TableWithChart
          table={<FigureTableView table={t.reach} empty="No children reached" />}
          chart={
            <BarChart
              title="families reached, new and returning"
              bars={[
                { label: 'New', value: report.reach.newFamilies },
                { label: 'Returning', value: report.reach.returningFamilies },
              ]}
            />
          }
        />
        <p className="govuk-hint">
          {CHILD_COUNTED_ONCE} A family is returning if it had a place on a virtual activity before the period.
        </p>
      </section>

      <section className="app-report-section" aria-labelledby="section-authority">
        <h2 className="govuk-heading-m" id="section-authority">
          2. Spaces and children by home authority
        </h2>
        {partners.length > 0 ? (
          <p className="govuk-body app-no-print">
            Largest first. Partner authorities ({partners.join(', ')}) are always listed, even with no spaces booked.
          </p>
        ) : null}
        <TableWithChart
          table={<FigureTableView table={t.byAuthority} />}
          chart={
            <BarChart
              title="spaces booked by home authority"
              bars={report.byAuthority.map((a) => ({ label: a.name, value: a.value }))}
            />
          }
        />
        <TableWithChart
          table={<FigureTableView table={t.childrenByAuthority} />}
          chart={
            <BarChart
              title="children reached by home authority"
              bars={report.reach.byAuthority.map((a) => ({ label: a.name, value: a.value }))}
            />
          }
        />
      </section>

      <section className="app-report-section" aria-labelledby="section-age">
        <h2 className="govuk-heading-m" id="section-age">
          3. Spaces and children by {groupWord}
        </h2>
        <TableWithChart
          table={<FigureTableView table={t.byAgeGroup} />}
          chart={
            <BarChart
              title={`spaces booked by ${groupWord}`}
              bars={report.byAgeGroup.map((g) => ({ label: g.label, value: g.value }))}
            />
          }
        />
        <FigureTableView table={t.authorityByAgeGroup} wide />
        <TableWithChart
          table={<FigureTableView table={t.childrenByAgeGroup} />}
          chart={
            <BarChart
              title={`children reached by ${groupWord}`}
              bars={report.reach.byAgeGroup.map((g) => ({ label: g.label, value: g.value }))}
            />
          }
        />
        <FigureTableView table={t.childrenAuthorityByAgeGroup} wide />
      </section>

      <section className="app-report-section" aria-labelledby="section-adoptables">
        <h2 className="govuk-heading-m" id="section-adoptables">
          4. Adoptables meetings
        </h2>
        <RegistersTaken
          held={report.adoptables.meetingsHeld}
          withRegister={report.registers.adoptables}
          sessions={report.adoptables.meetingsHeld === 1 ? 'meeting' : 'meetings'}
        />
        <TableWithChart
          table={
            <>
              <FigureTableView table={t.adoptables} />
              <FigureTableView table={t.adoptablesByAuthority} />
            </>
          }
          chart={
            <BarChart
              title="young people at Adoptables meetings by home authority"
              bars={report.adoptables.byAuthority.map((a) => ({ label: a.name, value: a.value }))}
            />
          }
        />
      </section>

      <section className="app-report-section" aria-labelledby="section-feedback">
        <h2 className="govuk-heading-m" id="section-feedback">
          5. Feedback
        </h2>
        <TableWithChart
          table={<FigureTableView table={t.feedback} empty="No responses" />}
          chart={
            <BarChart
              title="average feedback score out of 5"
              max={5}
              empty="no responses"
              bars={report.feedback.map((f) => ({ label: KIND_NAMES[f.kind], value: roundScore(f.averageScore) }))}
            />
          }
        />
      </section>

      <section className="app-report-section" aria-labelledby="section-waiting">
        <h2 className="govuk-heading-m" id="section-waiting">
          6. Waiting-list demand
        </h2>
        <TableWithChart
          table={<FigureTableView table={t.waitingList} />}
          chart={
            <BarChart
              title="places that stayed on a waiting list"
              bars={report.waitingList.map((w) => ({ label: KIND_NAMES[w.kind], value: w.places }))}
            />
          }
        />
      </section>
    </>
  )
}

/** "1 October 2025 to 31 December 2025, ages in age bands" under the report's heading. */
export function reportDescription(report: Report): string {
  const dates = report.period.quarter
    ? ` (${formatDay(report.period.fromDate)} to ${formatDay(report.period.toDate)})`
    : ''
  return `${report.period.label}${dates}. Sessions count in the period they start in. Ages are counted in ${CUT_NAMES[report.cut].toLowerCase()}.`
}

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

function formatDay(date: string): string {
  const d = parseCalendarDate(date)
  return d ? dayFormat.format(new Date(Date.UTC(d.year, d.month - 1, d.day))) : date
}
