// The waiting list: freed spaces go to those waiting, first come first served.
import type { Transaction } from 'kysely'
import type { Database } from '../../db/schema'
import { nextInviteSequence, queueBookingEmail } from './booking-emails.server'
import { countConfirmed } from './bookings.server'
import type { Links } from './links'
import { spacesLeft } from './spaces'

type Tx = Transaction<Database>

/**
 * Gives freed spaces to the waiting list, first come first served, and tells each family.
 * Runs inside the transaction that freed the space, which must have locked the session's row
 * first (lockActivities): otherwise two of them, or one and a booking, count the same free space.
 */
export async function promoteFromWaitlist(trx: Tx, activityId: number, links: Links): Promise<number> {
  const activity = await trx.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirstOrThrow()
  if (activity.status === 'cancelled') return 0
  const left = spacesLeft(activity.capacity, await countConfirmed(trx, activityId))
  if (left === 0) return 0
  const next = await trx
    .selectFrom('place')
    .selectAll()
    .where('activity_id', '=', activityId)
    .where('status', '=', 'waitlisted')
    .orderBy('id')
    .limit(left)
    .execute()
  if (next.length === 0) return 0
  const stamp = new Date().toISOString()
  await trx
    .updateTable('place')
    .set({ status: 'confirmed', updated_at: stamp })
    .where(
      'id',
      'in',
      next.map((p) => p.id),
    )
    .execute()
  for (const bookingId of new Set(next.map((p) => p.booking_id))) {
    let booking = await trx.selectFrom('booking').selectAll().where('id', '=', bookingId).executeTakeFirstOrThrow()
    booking = await nextInviteSequence(trx, booking)
    const places = await trx.selectFrom('place').selectAll().where('booking_id', '=', bookingId).execute()
    const promoted = next.filter((p) => p.booking_id === bookingId)
    await queueBookingEmail(trx, 'place-offered', {
      activity,
      booking,
      places,
      links,
      dedupeKey: `offered:places:${promoted.map((p) => p.id).join('-')}`,
    })
  }
  return next.length
}
