// Which bookings were made together in one series booking: every date of it carries the key the
// family's form was given, as "<key>~<session id>" (series-bookings.server.ts writes them). The
// confirm link, the run-out of a hold and the emails treat such a group as one booking.
import type { Transaction } from 'kysely'
import type { DB } from '../../db/index'
import type { Database } from '../../db/schema'

type Executor = DB | Transaction<Database>

/** The idempotency key of one date of a series booking made with this key. */
export function seriesDateKey(key: string, activityId: number): string {
  return `${key}~${activityId}`
}

/**
 * The bookings made with a booking in one series booking (itself included), by the key they
 * share, lowest id first; just itself for a booking made on its own.
 */
export async function seriesGroupOf(db: Executor, bookingId: number): Promise<number[]> {
  const booking = await db
    .selectFrom('booking')
    .select(['id', 'idempotency_key', 'family_id'])
    .where('id', '=', bookingId)
    .executeTakeFirst()
  if (!booking) return []
  const match = /^([A-Za-z0-9-]{16,64})~\d+$/.exec(booking.idempotency_key)
  if (!match || booking.family_id === null) return [booking.id]
  const rows = await db
    .selectFrom('booking')
    .select('id')
    .where('family_id', '=', booking.family_id)
    .where('idempotency_key', 'like', `${match[1]}~%`)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.id)
}
