// Current mailing-list subscribers as CSV, for sending the newsletter; every download is audited.
import type { LoaderFunctionArgs } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { recordAudit } from '~/domain/audit.server'
import { londonDateOf } from '~/time/london-time'
import { currentSubscribersCsv } from '~/domain/mailing-list-audit.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:read')
  const { csv, count } = await currentSubscribersCsv(context.db)
  await recordAudit(context.db, {
    actorUserId: staff.id,
    action: 'mailing-list.exported',
    subjectType: 'mailing-list',
    detail: { format: 'csv', subscribers: count },
    ip: context.clientIp,
  })
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="mailing-list-${londonDateOf(new Date())}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
