// The quarterly report laid out for paper: A4 portrait (see the print styles in app.scss), no
// form or links, the site's header and navigation hidden when printed. Opening it is an export.
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { useLoaderData } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { BackLink } from '~/components'
import { AttendanceSections } from '~/components/attendance-sections'
import { ReportSections, reportDescription } from '~/components/report-sections'
import { formatLondonDate } from '~/time/london-time'
import { exportReport } from '~/domain/report-downloads.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Join In report ${data?.report.period.label ?? ''} – print view` },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reports:read')
  const params = new URL(request.url).searchParams
  const exported = await exportReport(context.db, {
    actor: { id: staff.id, ip: context.clientIp },
    params,
    format: 'print',
    now: context.now(),
  })
  if (!exported.ok) throw new Response(exported.message, { status: 400 })
  const { report, search } = exported
  return { report, search, producedAt: new Date().toISOString(), producedBy: staff.name }
}

export default function PrintReport() {
  const { report, search, producedAt, producedBy } = useLoaderData<typeof loader>()
  return (
    <div className="app-print-report">
      <div className="app-no-print">
        <BackLink href={`/staff/reports${search}`}>Back to the report</BackLink>
        <p className="govuk-body">
          To print this report or save it as a PDF, use your browser’s Print command (Ctrl+P, or Cmd+P on a Mac).
        </p>
      </div>
      <h1 className="govuk-heading-l">Join In report: {report.period.label}</h1>
      <p className="govuk-body">{reportDescription(report)}</p>
      <ReportSections report={report} />
      <AttendanceSections report={report} />
      <p className="govuk-body-s">
        Produced on {formatLondonDate(producedAt)} by {producedBy}.
      </p>
    </div>
  )
}
