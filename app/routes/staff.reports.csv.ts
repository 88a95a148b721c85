// The quarterly report as a long-format CSV download (the same figures as the page), audited.
import type { LoaderFunctionArgs } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { recordAudit } from '~/domain/audit.server'
import { reportCsv, reportFilename } from '~/domain/report-export'
import { readReportQuery } from '~/domain/report-query'
import { computeReport } from '~/domain/reports.server'
import { getQuarterFirstMonth } from '~/domain/settings-admin.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reports:read')
  const firstMonth = await getQuarterFirstMonth(context.db)
  const query = readReportQuery(new URL(request.url).searchParams, { firstMonth })
  if (!query.ok) {
    return new Response(`${Object.values(query.errors).join('\n')}\n`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  const report = await computeReport(context.db, query.period, { cut: query.cut })
  await recordAudit(context.db, {
    actorUserId: staff.id,
    action: 'report.exported',
    subjectType: 'report',
    subjectId: report.period.label,
    detail: {
      format: 'csv',
      period: report.period.label,
      from: report.period.fromDate,
      to: report.period.toDate,
      cut: report.cut,
    },
    ip: context.clientIp,
  })
  return new Response(reportCsv(report), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${reportFilename(report.period, 'csv')}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
