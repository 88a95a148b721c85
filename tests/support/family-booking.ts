// A family's booking written as the service writes one, for tests of the family pages that need
// bookings in a given state (confirmed, waitlisted, held, cancelled) without going through the
// booking form: the booking (the family's address, a manage token's hash) and one place per child.
import crypto from 'node:crypto'
import type { DB } from '../../db/index'
import { hashToken } from '../../app/auth/tokens.server'

export type PlaceState = 'confirmed' | 'waitlisted' | 'held' | 'cancelled'

export async function bookForFamily(
  db: DB,
  family: { familyId: number; email: string; childIds: number[] },
  activityId: number,
  /** `child` is an index into family.childIds */
  places: Array<{ child: number; status: PlaceState }>,
  options: { holdReason?: 'address' | 'approval' } = {},
): Promise<{ reference: string; bookingId: number; placeIds: number[] }> {
  const stamp = new Date().toISOString()
  // JN- and five of the reference alphabet's characters, random enough for one test run
  const reference = `JN-${Array.from(crypto.randomBytes(5), (b) => 'ABCDEFGHJKMNPQRSTVWXYZ23456789'[b % 30]).join('')}`
  const booking = await db
    .insertInto('booking')
    .values({
      reference,
      activity_id: activityId,
      contact_name: 'Pat Parent',
      email: family.email,
      phone: null,
      authority_code: 'E10000016',
      manage_token_hash: hashToken(crypto.randomUUID()),
      idempotency_key: crypto.randomUUID(),
      member_id: null,
      family_id: family.familyId,
      hold_reason: options.holdReason ?? null,
      created_at: stamp,
      updated_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const placeIds: number[] = []
  for (const { child, status } of places) {
    const row = await db
      .selectFrom('child')
      .select(['id', 'first_name', 'date_of_birth', 'support_needs'])
      .where('id', '=', family.childIds[child]!)
      .executeTakeFirstOrThrow()
    const place = await db
      .insertInto('place')
      .values({
        booking_id: booking.id,
        activity_id: activityId,
        first_name: row.first_name,
        date_of_birth: row.date_of_birth,
        child_key: `child:${row.id}`,
        age_on_day: 8,
        school_year: 3,
        authority_code: 'E10000016',
        support_needs: row.support_needs,
        status,
        attended: null,
        child_id: row.id,
        family_id: family.familyId,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    placeIds.push(place.id)
  }
  return { reference, bookingId: booking.id, placeIds }
}
