// The quarterly report as an Excel workbook (one sheet per table), audited.
import type { LoaderFunctionArgs } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { recordAudit } from '~/domain/audit.server'
import { reportFilename, XLSX_CONTENT_TYPE } from '~/domain/report-export'
import { reportXlsx } from '~/domain/report-xlsx.server'
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
  const workbook = await reportXlsx(report)
  await recordAudit(context.db, {
    actorUserId: staff.id,
    action: 'report.exported',
    subjectType: 'report',
    subjectId: report.period.label,
    detail: {
      format: 'xlsx',
      period: report.period.label,
      from: report.period.fromDate,
      to: report.period.toDate,
      cut: report.cut,
    },
    ip: context.clientIp,
  })
  return new Response(new Uint8Array(workbook), {
    headers: {
      'Content-Type': XLSX_CONTENT_TYPE,
      'Content-Disposition': `attachment; filename="${reportFilename(report.period, 'xlsx')}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
