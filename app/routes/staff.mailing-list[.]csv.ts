// Current mailing-list subscribers as CSV, for sending the newsletter; every download is audited.
import type { LoaderFunctionArgs } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { londonDateOf } from '~/time/london-time'
import { exportCurrentSubscribers } from '~/domain/mailing-list-audit.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:read')
  const { csv } = await exportCurrentSubscribers(context.db, { id: staff.id, ip: context.clientIp })
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="mailing-list-${londonDateOf(new Date())}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
