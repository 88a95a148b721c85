// The row-level places export: /staff/reports/places.csv?quarter=2025-26%20Q3 (or the report
// page's own query string, or ?from=2025-10-01&to=2025-12-31), one anonymised line per place,
// streamed as it is read and audited before the first byte. Staff and admins only: viewers get the
// aggregate report.
import type { LoaderFunctionArgs } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { placesFileResponse } from '~/domain/report-downloads.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reports:places')
  const params = new URL(request.url).searchParams
  return placesFileResponse(context.db, {
    actor: { id: staff.id, ip: context.clientIp },
    params,
    signal: request.signal,
  })
}
