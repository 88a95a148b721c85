// The register as a CSV download (first name, age on the day, home authority, support needs,
// attended): children's personal data leaving the service, so it is audited and never cached.
import type { LoaderFunctionArgs } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { getActivityForStaff } from '~/domain/activities.server'
import { parseId } from '~/domain/ids'
import { exportRegister } from '~/domain/register.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:read')
  const id = parseId(params.id)
  const activity = id ? await getActivityForStaff(context.db, id) : null
  if (!activity) throw new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } })
  const { csv, filename } = await exportRegister(context.db, activity, { id: staff.id, ip: context.clientIp })
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  })
}
