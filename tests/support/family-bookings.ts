// A family's booking written straight into the database as the service writes it, for staff-side
// tests that need a booking in a given state (confirmed, waitlisted, held for approval) without
// going through the booking flow, which is tested on its own.
import crypto from 'node:crypto'
import { hashToken } from '../../app/auth/tokens.server'
import type { DB } from '../../db/index'
import type { HoldReason, PlaceStatus } from '../../db/schema'

let bookings = 0
/**
 * A booking with places written as the service writes them (the booking code that makes them is
 * tested on its own): one place per child, each with the child's and family's ids.
 */
export async function bookForFamily(
  db: DB,
  familyId: number,
  activityId: number,
  children: Array<{ childId: number; firstName: string; dob: string; age: number }>,
  status: PlaceStatus,
  options: { holdReason?: HoldReason; createdAt?: string } = {},
): Promise<{ bookingId: number; reference: string; placeIds: number[] }> {
  bookings += 1
  const family = await db.selectFrom('family').selectAll().where('id', '=', familyId).executeTakeFirstOrThrow()
  const activity = await db
    .selectFrom('activity')
    .select('booking_closes_at')
    .where('id', '=', activityId)
    .executeTakeFirstOrThrow()
  const stamp = options.createdAt ?? new Date().toISOString()
  const reference = `JN-FAM${String(bookings).padStart(2, '0')}`
  const booking = await db
    .insertInto('booking')
    .values({
      reference,
      activity_id: activityId,
      contact_name: family.contact_name,
      email: family.email,
      phone: family.phone,
      authority_code: family.authority_code!,
      manage_token_hash: hashToken(crypto.randomUUID()),
      idempotency_key: crypto.randomUUID(),
      member_id: null,
      created_at: stamp,
      updated_at: stamp,
      family_id: familyId,
      hold_reason: options.holdReason ?? null,
      hold_expires_at: options.holdReason === 'approval' ? activity.booking_closes_at : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const placeIds: number[] = []
  for (const child of children) {
    const place = await db
      .insertInto('place')
      .values({
        booking_id: booking.id,
        activity_id: activityId,
        first_name: child.firstName,
        date_of_birth: child.dob,
        child_key: `child:${child.childId}`,
        age_on_day: child.age,
        school_year: null,
        authority_code: family.authority_code!,
        support_needs: null,
        status,
        attended: null,
        created_at: stamp,
        updated_at: stamp,
        child_id: child.childId,
        family_id: familyId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    placeIds.push(place.id)
  }
  return { bookingId: booking.id, reference, placeIds }
}
