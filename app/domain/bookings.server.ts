// Booking: the capacity check and the places it confirms or puts on the waiting list, and the
// booking behind a family's manage link. The write runs in one immediate transaction, with the
// email it causes written to the outbox in that same transaction.
import crypto from 'node:crypto'
import { sql, type Insertable, type Transaction } from 'kysely'
import { isUniqueViolation, lockActivities, transaction, type DB } from '../../db/index'
import { preparedQuery } from '../../db/prepared'
import type { Activity, Booking, BookingTable, Database, Place, PlaceTable } from '../../db/schema'
import { hashToken, newSecretToken, tokenMatchesHash } from '../auth/tokens.server'
import { londonDateOf } from '../time/london-time'
import { ageOnDay } from './age'
import { schoolYearOf } from './age-groups'
import { childKey, type BookingFormValue } from './booking-form'
import { queueBookingEmail, renderBookingEmail } from './booking-emails.server'
import { emailOrganisation } from './settings.server'
import { bookingWindowState, type BookingWindowState } from './booking-window'
import type { Links } from './links'
import { spacesLeft } from './spaces'

type Executor = DB | Transaction<Database>

export interface BookingRequest extends BookingFormValue {
  activityId: number
  /** NOT NULL and unique: the same form posted twice is one booking */
  idempotencyKey: string
  /** the parent agreed to confirm what fits and put the rest on the waiting list */
  acceptWaitlist: boolean
  /** an Adoptables member booking a meeting for themselves */
  memberId?: number
}

export type BookResult =
  | { status: 'booked'; reference: string; manageToken: string; confirmed: string[]; waitlisted: string[] }
  | { status: 'already-submitted'; reference: string }
  | { status: 'not-enough-spaces'; spacesLeft: number }
  | { status: 'not-found' }
  | { status: 'closed'; window: BookingWindowState }
  | { status: 'age-out-of-range'; names: string[]; minAge: number; maxAge: number }
  | { status: 'child-already-booked'; names: string[] }
  | { status: 'too-many-children'; max: number }
  | { status: 'unknown-authority' }

export interface BookOptions {
  maxChildren: number
  now?: Date
  /**
   * Test-only control run: reads spaces before the transaction, the classic overbooking bug, to
   * prove the contention test can fail. Refused outside Vitest; why it is safe is in
   * docs/decisions/007-test-only-switch-in-book.md.
   */
  unsafeCheckOutsideTransaction?: boolean
}

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'

/** A reference people can read out on the phone: no 0/O, 1/I/L. */
export function newReference(): string {
  let out = 'JN-'
  for (const byte of crypto.randomBytes(5)) out += REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length]
  return out
}

export async function countConfirmed(db: Executor, activityId: number): Promise<number> {
  const row = (await confirmedCount(db, { activityId })).rows[0]
  return Number(row?.n ?? 0)
}

// The booking transaction's queries, compiled once (db/prepared.ts).
const confirmedCount = preparedQuery((db, a: { activityId: number }) =>
  db
    .selectFrom('place')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('activity_id', '=', a.activityId)
    .where('status', '=', 'confirmed'),
)

/** The session, an earlier post of the same form, and whether the authority is active: one read. */
const readForBooking = preparedQuery((db, a: { activityId: number; idempotencyKey: string; authorityCode: string }) =>
  db
    .selectFrom('activity')
    .selectAll('activity')
    .select((eb) => [
      eb
        .selectFrom('booking')
        .select('booking.reference')
        .where('booking.idempotency_key', '=', a.idempotencyKey)
        .as('earlier_reference'),
      eb
        .selectFrom('authority')
        .select('authority.code')
        .where('authority.code', '=', a.authorityCode)
        .where('authority.active', '=', 1)
        .as('active_authority'),
    ])
    .where('activity.id', '=', a.activityId),
)

const MAX_CHILD_KEYS = 20
const keyArguments = (keys: string[]) => Object.fromEntries(keys.map((key, i) => [`key${i}`, key]))

/** Live places on the session for any of these children (`shape`: how many). */
const placesOfChildren = preparedQuery((db, a: Record<string, string | number>, count: number) => {
  if (count > MAX_CHILD_KEYS) throw new Error('too many children for one booking')
  return (
    db
      .selectFrom('place')
      .select('child_key')
      .where('activity_id', '=', a.activityId as number)
      // a literal, not a parameter, so SQLite can use the partial unique index place_one_per_child
      .where('status', '<>', sql.lit('cancelled'))
      .where(
        'child_key',
        'in',
        Array.from({ length: count }, (_, i) => a[`key${i}`] as string),
      )
  )
})

/** A new booking, or no row when its reference is taken. */
const insertBooking = preparedQuery((db, a: Insertable<BookingTable>) =>
  db
    .insertInto('booking')
    .values(a)
    .onConflict((oc) => oc.column('reference').doNothing())
    .returningAll(),
)

const insertPlace = preparedQuery((db, a: Insertable<PlaceTable>) => db.insertInto('place').values(a).returningAll())

/** The activity read before the write lock is the one read inside it, field for field. */
function sameActivity(before: Activity, inside: Activity): boolean {
  return (Object.keys(inside) as Array<keyof Activity>).every((column) => before[column] === inside[column])
}

/**
 * The session as this process last read it inside a booking, to render the usual email before the
 * write lock without another read. Only a guess: book() compares it with the row it reads under
 * the lock and renders again if anything differs. Kept per database handle, a few hundred at most.
 */
const lastSeen = new WeakMap<DB, Map<number, Activity>>()
const LAST_SEEN_LIMIT = 500

async function lastSeenActivity(db: DB, activityId: number): Promise<Activity | undefined> {
  const known = lastSeen.get(db)?.get(activityId)
  if (known) return known
  return db.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirst()
}

function rememberActivity(db: DB, activity: Activity): void {
  let known = lastSeen.get(db)
  if (!known) lastSeen.set(db, (known = new Map()))
  known.delete(activity.id)
  if (known.size >= LAST_SEEN_LIMIT) known.delete(known.keys().next().value!)
  known.set(activity.id, activity)
}

export async function book(db: DB, request: BookingRequest, links: Links, options: BookOptions): Promise<BookResult> {
  const now = options.now ?? new Date()
  let spacesSeenEarly: number | null = null
  if (options.unsafeCheckOutsideTransaction) {
    if (process.env.VITEST !== 'true') throw new Error('unsafeCheckOutsideTransaction is for the contention test only')
    const activity = await db
      .selectFrom('activity')
      .select('capacity')
      .where('id', '=', request.activityId)
      .executeTakeFirst()
    spacesSeenEarly = activity ? spacesLeft(activity.capacity, await countConfirmed(db, request.activityId)) : 0
  }
  if (request.children.length === 0 || request.children.length > options.maxChildren) {
    return { status: 'too-many-children', max: options.maxChildren }
  }
  // Rendering the email and its invite takes longer than the write, so both are made before the
  // write lock for the usual outcome: every child confirmed, under the planned reference, on the
  // activity as last read. Inside the lock they are used only if that is what happened and the
  // activity reads the same, field for field; otherwise the email is made again there.
  const manageToken = newSecretToken()
  const plannedReference = newReference()
  const planned = await lastSeenActivity(db, request.activityId)
  const organisation = request.email ? await emailOrganisation(db, links) : undefined
  const plannedEmail =
    planned && organisation
      ? renderBookingEmail('confirmation', {
          activity: planned,
          booking: {
            reference: plannedReference,
            contact_name: request.contactName,
            member_id: request.memberId ?? null,
            invite_sequence: 0,
          },
          places: request.children.map((child) => ({ status: 'confirmed', first_name: child.firstName })),
          links,
          manageToken,
          organisation,
        })
      : undefined
  try {
    return await transaction(db, async (trx) => {
      // The session's row lock first, where the database has row locks (PostgreSQL; SQLite's
      // BEGIN IMMEDIATE has already serialised every writer, and this costs nothing there): every
      // transaction that changes who holds a space takes it, so the count below is the truth until
      // commit. Then one read for the session, an earlier post of this form and the authority.
      // The unique index on idempotency_key still decides a race the lock does not cover.
      await lockActivities(trx, [request.activityId])
      const row = (
        await readForBooking(trx, {
          activityId: request.activityId,
          idempotencyKey: request.idempotencyKey,
          authorityCode: request.authorityCode,
        })
      ).rows[0]
      if (row?.earlier_reference) return { status: 'already-submitted' as const, reference: row.earlier_reference }
      if (!row) {
        const earlier = await trx
          .selectFrom('booking')
          .select('reference')
          .where('idempotency_key', '=', request.idempotencyKey)
          .executeTakeFirst()
        if (earlier) return { status: 'already-submitted' as const, reference: earlier.reference }
        return { status: 'not-found' as const }
      }
      const { earlier_reference: _earlier, active_authority: authority, ...activity } = row
      rememberActivity(db, activity)
      const window = bookingWindowState(activity, now)
      if (window !== 'open') return { status: 'closed' as const, window }
      if (!authority) return { status: 'unknown-authority' as const }

      const day = londonDateOf(activity.starts_at)
      const ages = request.children.map((c) => ageOnDay(c.dateOfBirth, day))
      const outOfRange = request.children.filter((_, i) => ages[i]! < activity.min_age || ages[i]! > activity.max_age)
      if (outOfRange.length) {
        return {
          status: 'age-out-of-range' as const,
          names: outOfRange.map((c) => c.firstName),
          minAge: activity.min_age,
          maxAge: activity.max_age,
        }
      }

      const keys = request.children.map((c) => childKey(c.firstName, c.dateOfBirth))
      if (new Set(keys).size !== keys.length) {
        return {
          status: 'child-already-booked' as const,
          names: request.children.filter((_, i) => keys.indexOf(keys[i]!) !== i).map((c) => c.firstName),
        }
      }
      const existing = (await placesOfChildren(trx, { activityId: activity.id, ...keyArguments(keys) }, keys.length))
        .rows
      if (existing.length) {
        // Where each statement sees what committed before it (PostgreSQL), this form's own earlier
        // post may have committed since the first read: then it is a repeat, not a second booking.
        const earlier = await trx
          .selectFrom('booking')
          .select('reference')
          .where('idempotency_key', '=', request.idempotencyKey)
          .executeTakeFirst()
        if (earlier) return { status: 'already-submitted' as const, reference: earlier.reference }
        const taken = new Set(existing.map((p) => p.child_key))
        return {
          status: 'child-already-booked' as const,
          names: request.children.filter((_, i) => taken.has(keys[i]!)).map((c) => c.firstName),
        }
      }

      // The capacity check: inside the write transaction, after the lock, read once.
      const left = spacesSeenEarly ?? spacesLeft(activity.capacity, await countConfirmed(trx, activity.id))
      if (left < request.children.length && !request.acceptWaitlist) {
        return { status: 'not-enough-spaces' as const, spacesLeft: left }
      }

      const stamp = now.toISOString()
      let reference = plannedReference
      const bookingValues = {
        activity_id: activity.id,
        contact_name: request.contactName,
        email: request.email,
        phone: request.phone,
        authority_code: request.authorityCode,
        manage_token_hash: hashToken(manageToken),
        idempotency_key: request.idempotencyKey,
        mailing_list_opt_in: request.mailingListOptIn ? 1 : 0,
        member_id: request.memberId ?? null,
        created_at: stamp,
        updated_at: stamp,
      }
      // A reference already taken (one in 28 million) is skipped without a read first.
      let booking: Booking | undefined
      for (;;) {
        booking = (await insertBooking(trx, { reference, ...bookingValues })).rows[0]
        if (booking) break
        reference = newReference()
      }
      const places: Place[] = []
      for (const [i, child] of request.children.entries()) {
        const inserted = await insertPlace(trx, {
          booking_id: booking.id,
          activity_id: activity.id,
          first_name: child.firstName,
          date_of_birth: child.dateOfBirth,
          child_key: keys[i]!,
          age_on_day: ages[i]!,
          school_year: schoolYearOf(child.dateOfBirth, day),
          authority_code: request.authorityCode,
          support_needs: child.supportNeeds,
          status: i < left ? 'confirmed' : 'waitlisted',
          created_at: stamp,
          updated_at: stamp,
        })
        places.push(inserted.rows[0]!)
      }

      const confirmed = places.filter((p) => p.status === 'confirmed')
      const asPlanned =
        confirmed.length === places.length &&
        reference === plannedReference &&
        booking.invite_sequence === 0 &&
        planned !== undefined &&
        sameActivity(planned, activity)
      await queueBookingEmail(
        trx,
        confirmed.length ? 'confirmation' : 'waitlisted',
        {
          activity,
          booking,
          places,
          links,
          manageToken,
          organisation,
          dedupeKey: `${confirmed.length ? 'confirmation' : 'waitlisted'}:booking:${booking.id}`,
        },
        asPlanned ? plannedEmail : undefined,
      )
      return {
        status: 'booked' as const,
        reference,
        manageToken,
        confirmed: confirmed.map((p) => p.first_name ?? ''),
        waitlisted: places.filter((p) => p.status === 'waitlisted').map((p) => p.first_name ?? ''),
      }
    })
  } catch (error) {
    // Two requests with one idempotency key, or the same child, racing from two processes:
    // the unique indexes decide, and the loser gets the same answer as a sequential repeat. Caught
    // here, outside the transaction: on PostgreSQL the failed statement has aborted it.
    if (isUniqueViolation(error, { table: 'booking', column: 'idempotency_key' })) {
      const earlier = await db
        .selectFrom('booking')
        .select('reference')
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirst()
      if (earlier) return { status: 'already-submitted', reference: earlier.reference }
    }
    if (isUniqueViolation(error, { table: 'place', column: 'child_key' })) {
      return { status: 'child-already-booked', names: request.children.map((c) => c.firstName) }
    }
    throw error
  }
}

export interface ManagedBooking {
  booking: Pick<Booking, 'id' | 'reference' | 'contact_name' | 'email' | 'phone' | 'created_at' | 'authority_code'>
  authorityName: string
  activity: Activity
  places: Array<Pick<Place, 'id' | 'first_name' | 'status' | 'age_on_day' | 'support_needs'>>
  /** the joining link, only while the booking holds a confirmed place on a live session */
  joinUrl: string | null
}

/** The booking behind a manage link, or null when the reference or token is wrong. */
export async function findManagedBooking(db: DB, reference: string, token: string): Promise<ManagedBooking | null> {
  if (!/^JN-[A-Z0-9]{5}$/.test(reference) || !token || token.length > 100) return null
  const booking = await db.selectFrom('booking').selectAll().where('reference', '=', reference).executeTakeFirst()
  if (!booking) return null
  // The confirmation's token, or the token of any later email about this booking.
  if (!tokenMatchesHash(token, booking.manage_token_hash)) {
    const later = await db
      .selectFrom('booking_manage_token')
      .select('token_hash')
      .where('token_hash', '=', hashToken(token))
      .where('booking_id', '=', booking.id)
      .executeTakeFirst()
    if (!later || !tokenMatchesHash(token, later.token_hash)) return null
  }
  const [activity, places, authority] = await Promise.all([
    db.selectFrom('activity').selectAll().where('id', '=', booking.activity_id).executeTakeFirstOrThrow(),
    db
      .selectFrom('place')
      .select(['id', 'first_name', 'status', 'age_on_day', 'support_needs'])
      .where('booking_id', '=', booking.id)
      .orderBy('id')
      .execute(),
    db.selectFrom('authority').select('name').where('code', '=', booking.authority_code).executeTakeFirst(),
  ])
  const hasConfirmed = places.some((p) => p.status === 'confirmed')
  return {
    booking,
    authorityName: authority?.name ?? booking.authority_code,
    activity,
    places,
    joinUrl: hasConfirmed && activity.status === 'published' ? activity.join_url : null,
  }
}
