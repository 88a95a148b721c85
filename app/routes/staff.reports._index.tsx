// The quarterly report: choose a quarter or dates and the age cut (a GET form, so the address is
// the report and works without JavaScript), then sections 1 to 6 as tables with charts, and the
// downloads, which carry the same query string.
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { Form, useLoaderData } from 'react-router'
import { can } from '~/auth/permissions'
import { requireStaff } from '~/auth/session.server'
import { Button, DateInput, ErrorSummary, errorList, Radios, Select } from '~/components'
import { AttendanceSections } from '~/components/attendance-sections'
import { ReportSections, reportDescription } from '~/components/report-sections'
import { quarterChoices, readReportQuery, REPORT_QUERY_ANCHORS } from '~/domain/report-query'
import { computeReport } from '~/domain/reports.server'
import { getQuarterFirstMonth } from '~/domain/settings-admin.server'

export const meta: MetaFunction = () => [{ title: 'Quarterly report – Join In staff' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reports:read')
  const now = context.now()
  const firstMonth = await getQuarterFirstMonth(context.db)
  const query = readReportQuery(new URL(request.url).searchParams, { now, firstMonth })
  return {
    form: query.form,
    errors: query.ok ? {} : query.errors,
    quarters: quarterChoices(now, firstMonth, query.form.quarter),
    search: query.ok ? query.search : null,
    report: query.ok ? await computeReport(context.db, query.period, { cut: query.cut, now }) : null,
    canExportPlaces: can(staff.role, 'reports:places'),
    canEditKnownChildren: can(staff.role, 'settings:write'),
  }
}

export default function Reports() {
  const { form, errors, quarters, search, report, canExportPlaces, canEditKnownChildren } =
    useLoaderData<typeof loader>()
  const errorLinks = errorList(errors, ['quarter', 'from', 'to'], REPORT_QUERY_ANCHORS)
  return (
    <>
      <ErrorSummary errors={errorLinks} />
      <h1 className="govuk-heading-l">Quarterly report</h1>
      {report ? <p className="govuk-body-l">{reportDescription(report)}</p> : null}
      {/* The key resets the form's fields when the address changes, e.g. with Back. */}
      <Form method="get" className="app-filters app-no-print" key={search ?? 'errors'}>
        <Radios
          id="period"
          legend="Which period?"
          legendSize="s"
          defaultValue={form.period}
          items={[
            {
              value: 'quarter',
              text: 'A quarter',
              conditional: (
                <Select
                  id="quarter"
                  label="Quarter"
                  options={quarters}
                  defaultValue={form.quarter}
                  error={errors.quarter}
                />
              ),
            },
            {
              value: 'range',
              text: 'Dates you choose',
              conditional: (
                <>
                  <DateInput
                    id="from"
                    legend="From"
                    legendSize="s"
                    hint="For example, 1 10 2025"
                    value={form.from}
                    error={errors.from}
                  />
                  <DateInput
                    id="to"
                    legend="To (included)"
                    legendSize="s"
                    hint="For example, 31 12 2025"
                    value={form.to}
                    error={errors.to}
                  />
                </>
              ),
            },
          ]}
        />
        <Radios
          id="cut"
          legend="Count ages in"
          legendSize="s"
          small
          defaultValue={form.cut}
          items={[
            { value: 'age-band', text: 'Age bands' },
            { value: 'school-year', text: 'School year groups' },
          ]}
        />
        <Button variant="secondary" preventDoubleClick={false}>
          Show report
        </Button>
      </Form>
      {report && search ? (
        <>
          <h2 className="govuk-heading-m app-no-print">Download this report</h2>
          <ul className="govuk-list app-no-print">
            <li>
              <a className="govuk-link" href={`/staff/reports/csv${search}`} download>
                Download CSV
              </a>{' '}
              (every figure, one per line: opens in Excel and Power BI)
            </li>
            <li>
              <a className="govuk-link" href={`/staff/reports/xlsx${search}`} download>
                Download Excel (XLSX)
              </a>{' '}
              (one sheet per table)
            </li>
            <li>
              <a className="govuk-link" href={`/staff/reports/print${search}`}>
                Print view
              </a>{' '}
              (fits A4 paper)
            </li>
            {canExportPlaces ? (
              <li>
                <a className="govuk-link" href={`/staff/reports/places.csv${search}`} download>
                  Download places CSV
                </a>{' '}
                (one anonymised line per place, to check the figures against)
              </li>
            ) : null}
          </ul>
          <ReportSections report={report} />
          <AttendanceSections
            report={report}
            knownChildrenHref={canEditKnownChildren ? '/staff/reports/known-children' : undefined}
          />
        </>
      ) : null}
    </>
  )
}
