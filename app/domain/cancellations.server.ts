// A family cancelling from their manage link: one child's place or the whole booking. A freed
// space goes to the waiting list in the same transaction.
import type { DB } from '../../db/index'
import { nextInviteSequence, queueBookingEmail } from './booking-emails.server'
import { findManagedBooking } from './bookings.server'
import type { Links } from './links'
import { promoteFromWaitlist } from './waiting-list.server'

export type CancelResult =
  | { status: 'cancelled'; names: string[]; promoted: number }
  | { status: 'not-found' }
  | { status: 'nothing-to-cancel' }
  | { status: 'too-late' }

/** A family cancels one child's place or the whole booking from their manage link. */
export async function cancelPlaces(
  db: DB,
  reference: string,
  token: string,
  which: 'all' | number[],
  links: Links,
  now = new Date(),
): Promise<CancelResult> {
  const managed = await findManagedBooking(db, reference, token)
  if (!managed) return { status: 'not-found' }
  if (new Date(managed.activity.starts_at).getTime() <= now.getTime()) return { status: 'too-late' }
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('place')
      .selectAll()
      .where('booking_id', '=', managed.booking.id)
      .where('status', '<>', 'cancelled')
    if (which !== 'all') query = query.where('id', 'in', which.length ? which : [-1])
    const toCancel = await query.execute()
    if (toCancel.length === 0) return { status: 'nothing-to-cancel' as const }
    const stamp = now.toISOString()
    await trx
      .updateTable('place')
      .set({ status: 'cancelled', updated_at: stamp })
      .where(
        'id',
        'in',
        toCancel.map((p) => p.id),
      )
      .execute()
    let booking = await trx
      .selectFrom('booking')
      .selectAll()
      .where('id', '=', managed.booking.id)
      .executeTakeFirstOrThrow()
    const places = await trx.selectFrom('place').selectAll().where('booking_id', '=', booking.id).execute()
    const stillConfirmed = places.some((p) => p.status === 'confirmed')
    if (!stillConfirmed) booking = await nextInviteSequence(trx, booking)
    await queueBookingEmail(trx, 'cancellation', {
      activity: managed.activity,
      booking,
      places,
      links,
      cancelledNames: toCancel.map((p) => p.first_name ?? ''),
      dedupeKey: `cancelled:places:${toCancel.map((p) => p.id).join('-')}`,
    })
    const freed = toCancel.some((p) => p.status === 'confirmed')
    const promoted = freed ? await promoteFromWaitlist(trx, managed.activity.id, links) : 0
    return { status: 'cancelled' as const, names: toCancel.map((p) => p.first_name ?? ''), promoted }
  })
}
