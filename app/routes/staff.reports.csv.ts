// The quarterly report as a long-format CSV download (the same figures as the page), audited.
import type { LoaderFunctionArgs } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { reportFileResponse } from '~/domain/report-downloads.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reports:read')
  const params = new URL(request.url).searchParams
  return reportFileResponse(context.db, {
    actor: { id: staff.id, ip: context.clientIp },
    params,
    format: 'csv',
    now: context.now(),
  })
}
