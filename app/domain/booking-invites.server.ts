// The calendar invite a family downloads from their booking page: the same UID and SEQUENCE as
// the emailed one, so a calendar updates the event rather than adding a second.
import type { DB } from '../../db/index'
import { inviteCalendar } from '../calendar/ics.server'
import { inviteOrganiser } from './booking-emails.server'
import { findManagedBooking, type ManageKey } from './bookings.server'
import { manageUrl, type Links } from './links'

/** The invite for a booking with a confirmed place and a joining link; null otherwise (or a wrong link). */
export async function bookingInvite(
  db: DB,
  key: ManageKey,
  links: Links,
): Promise<{ filename: string; ics: string } | null> {
  const managed = await findManagedBooking(db, key)
  if (!managed || !managed.joinUrl) return null
  const sequence = await db
    .selectFrom('booking')
    .select('invite_sequence')
    .where('id', '=', managed.booking.id)
    .executeTakeFirstOrThrow()
  const ics = inviteCalendar(managed.activity, {
    uid: `booking-${managed.booking.reference}@${links.domain}`,
    sequence: sequence.invite_sequence,
    joinUrl: managed.joinUrl,
    pageUrl: manageUrl(links, managed.booking.reference, key.token),
    organiser: await inviteOrganiser(db, links),
  })
  return { filename: `${managed.booking.reference}.ics`, ics }
}
