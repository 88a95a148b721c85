// Bookings and places written straight into the database, in the shape the service writes them,
// for tests that need a waiting list or a held booking in an exact state (queue order is place id
// order, so places are inserted in the order given). Cancelling and the waiting list itself are
// then driven through the real service.
import crypto from 'node:crypto'
import { hashToken } from '../../app/auth/tokens.server'
import { childKey } from '../../app/domain/booking-form'
import type { DB } from '../../db/index'
import type { HoldReason, PlaceStatus } from '../../db/schema'
import { dobForAge } from './booking'

export interface SeededPlace {
  name: string
  status: PlaceStatus
  /** the family's child (tests/support/family.ts createFamily); none for a booking without a family */
  childId?: number
}

export interface SeedBookingSpec {
  activityId: number
  familyId: number | null
  email: string
  contactName?: string
  holdReason?: HoldReason | null
  holdExpiresAt?: string | null
  places: SeededPlace[]
}

export interface SeededBooking {
  bookingId: number
  reference: string
  /** the booking's manage token, as its confirmation email would carry it */
  token: string
  placeIds: number[]
}

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'

function reference(): string {
  let out = 'JN-'
  for (const byte of crypto.randomBytes(5)) out += ALPHABET[byte % ALPHABET.length]
  return out
}

export async function seedBooking(db: DB, spec: SeedBookingSpec): Promise<SeededBooking> {
  const stamp = new Date().toISOString()
  const token = crypto.randomBytes(32).toString('base64url')
  const booking = await db
    .insertInto('booking')
    .values({
      reference: reference(),
      activity_id: spec.activityId,
      contact_name: spec.contactName ?? 'Pat Parent',
      email: spec.email,
      phone: null,
      authority_code: 'E10000016',
      manage_token_hash: hashToken(token),
      idempotency_key: crypto.randomUUID(),
      member_id: null,
      family_id: spec.familyId,
      hold_reason: spec.holdReason ?? null,
      hold_expires_at: spec.holdExpiresAt ?? null,
      created_at: stamp,
      updated_at: stamp,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow()
  const placeIds: number[] = []
  for (const place of spec.places) {
    const dob = dobForAge(8)
    const row = await db
      .insertInto('place')
      .values({
        booking_id: booking.id,
        activity_id: spec.activityId,
        first_name: place.name,
        date_of_birth: dob,
        // as the families migration keys a family's child; a child with no family by name and birth date
        child_key: place.childId ? `child:${place.childId}` : childKey(place.name, dob),
        age_on_day: 8,
        school_year: 3,
        authority_code: 'E10000016',
        support_needs: null,
        status: place.status,
        attended: null,
        child_id: place.childId ?? null,
        family_id: spec.familyId,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    placeIds.push(row.id)
  }
  return { bookingId: booking.id, reference: booking.reference, token, placeIds }
}

/** Each place's status on the session, by first name (first names are unique within a test). */
export async function statusesByName(db: DB, activityId: number): Promise<Record<string, PlaceStatus>> {
  const rows = await db
    .selectFrom('place')
    .select(['first_name', 'status'])
    .where('activity_id', '=', activityId)
    .orderBy('id')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.first_name ?? '', r.status]))
}
