import type { LoaderFunctionArgs } from 'react-router'
import { linksFor } from '~/base-url.server'
import { inviteCalendar } from '~/calendar/ics.server'
import { findManagedBooking } from '~/domain/bookings.server'
import { manageUrl } from '~/domain/links'

// The booking's calendar invite: the same UID and SEQUENCE as the emailed one, so it updates it.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? ''
  const managed = await findManagedBooking(context.db, params.reference ?? '', token)
  if (!managed || !managed.joinUrl) throw new Response('Not found', { status: 404 })
  const links = linksFor(request, context)
  const sequence = await context.db
    .selectFrom('booking')
    .select('invite_sequence')
    .where('id', '=', managed.booking.id)
    .executeTakeFirstOrThrow()
  const body = inviteCalendar(managed.activity, {
    uid: `booking-${managed.booking.reference}@${links.domain}`,
    sequence: sequence.invite_sequence,
    joinUrl: managed.joinUrl,
    pageUrl: manageUrl(links, managed.booking.reference),
  })
  return new Response(body, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8; method=REQUEST',
      'Content-Disposition': `attachment; filename="${managed.booking.reference}.ics"`,
      'Cache-Control': 'no-store',
    },
  })
}
