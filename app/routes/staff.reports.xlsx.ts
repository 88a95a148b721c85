// The quarterly report as an Excel workbook (one sheet per table), audited.
import type { LoaderFunctionArgs } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { reportFileResponse } from '~/domain/report-downloads.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reports:read')
  const params = new URL(request.url).searchParams
  return reportFileResponse(context.db, {
    actor: { id: staff.id, ip: context.clientIp },
    params,
    format: 'xlsx',
    now: context.now(),
  })
}
