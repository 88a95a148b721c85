// Booking: the capacity check and the places it confirms or puts on the waiting list, and the
// booking behind a family's manage link. The write runs in one immediate transaction, with the
// email it causes written to the outbox in that same transaction.
import crypto from 'node:crypto'
import { sql, type Insertable, type Transaction } from 'kysely'
import { isUniqueViolation, lockActivities, transaction, type DB } from '../../db/index'
import { preparedQuery } from '../../db/prepared'
import type {
  Activity,
  Booking,
  BookingTable,
  Database,
  FamilyTable,
  HoldReason,
  Place,
  PlaceStatus,
  PlaceTable,
} from '../../db/schema'
import { hashToken, newSecretToken, tokenMatchesHash } from '../auth/tokens.server'
import { londonDateOf } from '../time/london-time'
import { ageOnDay } from './age'
import { schoolYearOf } from './age-groups'
import { childKey, type BookingFormValue } from './booking-form'
import { queueBookingEmail, renderBookingEmail } from './booking-emails.server'
import { confirmLink, issueFamilyToken } from './family-links.server'
import { holdExpiry } from './hold-expiry'
import { bookingSettings, getSetting } from './settings.server'
import { bookingWindowState, type BookingWindowState } from './booking-window'
import type { Links } from './links'
import { spacesForNewBookings, spacesOnOffer } from './offered-spaces.server'
import { spacesLeft } from './spaces'

type Executor = DB | Transaction<Database>

/** A booking from the public form (not signed in) or by an Adoptables member for themselves. */
export interface BookingRequest extends BookingFormValue {
  activityId: number
  /** NOT NULL and unique: the same form posted twice is one booking */
  idempotencyKey: string
  /** the parent agreed to confirm what fits and put the rest on the waiting list */
  acceptWaitlist: boolean
  /** an Adoptables member booking a meeting for themselves */
  memberId?: number
}

/** A booking by a known family (signed in, or staff on its behalf): the children are ticked, nothing typed. */
export interface FamilyBookingRequest {
  activityId: number
  idempotencyKey: string
  acceptWaitlist: boolean
  familyId: number
  childIds: number[]
}

export type BookResult =
  | {
      status: 'booked'
      bookingId: number
      reference: string
      manageToken: string
      confirmed: string[]
      waitlisted: string[]
      /** children whose places are held until the family confirms its address or staff approve */
      held: string[]
      hold: HoldReason | null
    }
  | { status: 'already-submitted'; reference: string }
  | { status: 'not-enough-spaces'; spacesLeft: number }
  | { status: 'not-found' }
  | { status: 'closed'; window: BookingWindowState }
  | { status: 'age-out-of-range'; names: string[]; minAge: number; maxAge: number }
  /** only ever about the booker's own family (or an Adoptables member's own place): never another's */
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
  /**
   * One date of a series booked in one step (series-bookings.server.ts): the write runs inside the
   * caller's transaction, which holds every date's lock, and queues no email and no confirm link,
   * as the caller writes one email for all the dates. A unique-index race is thrown to the caller.
   */
  within?: Transaction<Database>
}

/** The caller's transaction (a series booking's), or one of book()'s own. */
function inTransaction<T>(
  db: DB,
  within: Transaction<Database> | undefined,
  work: (trx: Transaction<Database>) => Promise<T>,
) {
  return within ? work(within) : transaction(db, work)
}

const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'

/** A reference people can read out on the phone: no 0/O, 1/I/L. */
export function newReference(): string {
  let out = 'JN-'
  for (const byte of crypto.randomBytes(5)) out += REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length]
  return out
}

/**
 * Places that take a space on a session: confirmed ones and held ones (kept for a family that has
 * not yet confirmed its address, or is waiting for approval). The one count capacity is checked on.
 */
export async function countTaken(db: Executor, activityId: number): Promise<number> {
  const row = (await takenCount(db, { activityId })).rows[0]
  return Number(row?.n ?? 0)
}

/** The statuses that take a space, as literals, so SQLite plans both values on the place index. */
const TAKING_A_SPACE = [sql.lit<PlaceStatus>('confirmed'), sql.lit<PlaceStatus>('held')]

// The booking transaction's queries, compiled once (db/prepared.ts).
const takenCount = preparedQuery((db, a: { activityId: number }) =>
  db
    .selectFrom('place')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('activity_id', '=', a.activityId)
    .where('status', 'in', TAKING_A_SPACE),
)

/**
 * The session, an earlier post of the same form, whether the authority is active, the places that
 * take a space and any open offer: one read, made after the session's lock.
 */
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
      eb
        .selectFrom('place')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('place.activity_id', '=', 'activity.id')
        .where('place.status', 'in', TAKING_A_SPACE)
        .as('taken'),
      spacesOnOffer(eb),
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

/** Who a booking is for, resolved before the write: typed children, or a family's own. */
interface Party {
  kind: 'form' | 'member' | 'family'
  contactName: string | null
  email: string | null
  phone: string | null
  authorityCode: string
  mailingListOptIn: boolean
  children: Array<{ firstName: string; dateOfBirth: string; supportNeeds: string | null; childId: number | null }>
  familyId: number | null
  /** the family has proved its address (always for members; never for a form post) */
  confirmed: boolean
  /** a new family's booking waits for staff approval */
  needsApproval: boolean
}

async function resolveParty(
  db: DB,
  request: BookingRequest | FamilyBookingRequest,
): Promise<Party | { status: 'not-found' } | { status: 'unknown-authority' }> {
  if (!('familyId' in request)) {
    return {
      kind: request.memberId ? 'member' : 'form',
      contactName: request.contactName,
      email: request.email,
      phone: request.phone,
      authorityCode: request.authorityCode,
      mailingListOptIn: request.mailingListOptIn,
      children: request.children.map((c) => ({ ...c, childId: null })),
      familyId: null,
      confirmed: Boolean(request.memberId),
      needsApproval: false,
    }
  }
  const [family, children, approval] = await Promise.all([
    db.selectFrom('family').selectAll().where('id', '=', request.familyId).executeTakeFirst(),
    request.childIds.length
      ? db
          .selectFrom('child')
          .selectAll()
          .where('family_id', '=', request.familyId)
          .where('id', 'in', request.childIds)
          .execute()
      : Promise.resolve([]),
    getSetting(db, 'approve_new_families'),
  ])
  if (!family || children.length !== new Set(request.childIds).size) return { status: 'not-found' }
  if (!family.authority_code) return { status: 'unknown-authority' }
  const byId = new Map(children.map((c) => [c.id, c]))
  return {
    kind: 'family',
    contactName: family.contact_name,
    email: family.email,
    phone: family.phone,
    authorityCode: family.authority_code,
    mailingListOptIn: false,
    children: [...new Set(request.childIds)].map((id) => {
      const c = byId.get(id)!
      return { firstName: c.first_name, dateOfBirth: c.date_of_birth, supportNeeds: c.support_needs, childId: c.id }
    }),
    familyId: family.id,
    confirmed: family.confirmed_at !== null,
    needsApproval: approval === 'on' && family.approved_at === null,
  }
}

/** A new family, not confirmed, or no row when its address is already a family's. */
const insertFamily = preparedQuery((db, a: Insertable<FamilyTable>) =>
  db
    .insertInto('family')
    .values(a)
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id'),
)

const familyByEmail = preparedQuery((db, a: { email: string }) =>
  db.selectFrom('family').select('id').where('email', '=', a.email),
)

/**
 * The family a form post belongs to, by address: made (not confirmed) in this transaction, or the
 * one already there. The insert is tried first, as most posts come from a new address; on a known
 * one it writes nothing and the read finds it (on PostgreSQL after waiting for a booking that made
 * it a moment ago to commit).
 */
async function familyForAddress(
  trx: Transaction<Database>,
  party: Party,
  stamp: string,
): Promise<{ id: number; made: boolean }> {
  const email = party.email!.trim().toLowerCase()
  const made = (
    await insertFamily(trx, {
      email,
      contact_name: party.contactName,
      phone: party.phone,
      emergency_phone: null,
      authority_code: party.authorityCode,
      confirmed_at: null,
      approved_at: null,
      feed_token_hash: null,
      created_at: stamp,
      updated_at: stamp,
    })
  ).rows[0]
  if (made) return { id: made.id, made: true }
  return { id: (await familyByEmail(trx, { email })).rows[0]!.id, made: false }
}

/**
 * Books places on a session. Not signed in (the public form): the places are HELD — they count
 * against capacity but show no joining link — until the family confirms its address by the link in
 * the email this sends; the form's children are matched to the family's only then, so a post
 * answers the same whoever's name and date of birth it carries. A known family (signed in, or
 * staff on its behalf): its ticked children, confirmed at once (held if its address is not yet
 * confirmed, or while a new family waits for approval). An Adoptables member: confirmed at once.
 */
export async function book(
  db: DB,
  request: BookingRequest | FamilyBookingRequest,
  links: Links,
  options: BookOptions,
): Promise<BookResult> {
  const now = options.now ?? new Date()
  let spacesSeenEarly: number | null = null
  if (options.unsafeCheckOutsideTransaction) {
    if (process.env.VITEST !== 'true') throw new Error('unsafeCheckOutsideTransaction is for the contention test only')
    const activity = await db
      .selectFrom('activity')
      .select('capacity')
      .where('id', '=', request.activityId)
      .executeTakeFirst()
    spacesSeenEarly = activity ? spacesLeft(activity.capacity, await countTaken(db, request.activityId)) : 0
  }
  const count = 'familyId' in request ? request.childIds.length : request.children.length
  if (count === 0 || count > options.maxChildren) return { status: 'too-many-children', max: options.maxChildren }
  // inside a caller's transaction every read goes through it (SQLite has one connection)
  const reader: DB = options.within ?? db
  const party = await resolveParty(reader, request)
  if ('status' in party) return party
  // Held for the address (a form post, or a family that never confirmed), held for approval, or confirmed.
  const hold: HoldReason | null = !party.confirmed ? 'address' : party.needsApproval ? 'approval' : null
  const liveStatus = hold ? ('held' as const) : ('confirmed' as const)

  // Rendering the email and its invite takes longer than the write, so both are made before the
  // write lock for the usual outcome: every child given a space, under the planned reference, on
  // the activity as last read. Inside the lock they are used only if that is what happened and the
  // activity reads the same, field for field; otherwise the email is made again there.
  const manageToken = newSecretToken()
  const confirmToken = hold === 'address' && !options.within ? newSecretToken() : null
  const plannedReference = newReference()
  const planned = options.within ? undefined : await lastSeenActivity(db, request.activityId)
  // one read of the settings: who the email is from, and how long an address hold lasts
  const settings = hold === 'address' || (party.email && !options.within) ? await bookingSettings(reader, links) : null
  const holdHours = settings?.familyHoldHours ?? 0
  const organisation = party.email && !options.within ? settings?.organisation : undefined
  const plannedKind = hold === 'address' ? 'held' : hold === 'approval' ? 'awaiting-approval' : 'confirmation'
  const plannedExpiry = (activity: Activity) =>
    hold === 'address'
      ? holdExpiry(now, activity.booking_closes_at, holdHours)
      : hold === 'approval'
        ? activity.booking_closes_at
        : null
  const plannedEmail =
    planned && organisation && !options.within
      ? renderBookingEmail(plannedKind, {
          activity: planned,
          booking: {
            reference: plannedReference,
            contact_name: party.contactName,
            member_id: 'memberId' in request ? (request.memberId ?? null) : null,
            invite_sequence: 0,
            hold_expires_at: plannedExpiry(planned),
          },
          places: party.children.map((child) => ({ status: liveStatus, first_name: child.firstName })),
          links,
          manageToken,
          organisation,
          confirmUrl: confirmToken ? confirmLink(links.baseUrl, confirmToken) : undefined,
          approvalFollows: settings?.approveNewFamilies,
        })
      : undefined
  try {
    return await inTransaction(db, options.within, async (trx) => {
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
          authorityCode: party.authorityCode,
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
      const { earlier_reference: _earlier, active_authority: authority, taken, on_offer: onOffer, ...activity } = row
      rememberActivity(db, activity)
      // Adoptables meetings are booked by the young people who join them (members), activities by
      // families: a post of the other kind (the pages never offer one) finds no such session.
      if ((party.kind === 'member') !== (activity.kind === 'adoptables')) return { status: 'not-found' as const }
      const window = bookingWindowState(activity, now)
      if (window !== 'open') return { status: 'closed' as const, window }
      if (!authority) return { status: 'unknown-authority' as const }

      const day = londonDateOf(activity.starts_at)
      const ages = party.children.map((c) => ageOnDay(c.dateOfBirth, day))
      const outOfRange = party.children.filter((_, i) => ages[i]! < activity.min_age || ages[i]! > activity.max_age)
      if (outOfRange.length) {
        return {
          status: 'age-out-of-range' as const,
          names: outOfRange.map((c) => c.firstName),
          minAge: activity.min_age,
          maxAge: activity.max_age,
        }
      }

      // The same child twice in what was typed or ticked: said back, as it reveals nothing.
      const typedKeys = party.children.map((c) => childKey(c.firstName, c.dateOfBirth))
      if (new Set(typedKeys).size !== typedKeys.length) {
        return {
          status: 'child-already-booked' as const,
          names: party.children.filter((_, i) => typedKeys.indexOf(typedKeys[i]!) !== i).map((c) => c.firstName),
        }
      }
      // The key the one-place-per-child index holds. A form post's children are nobody's yet: a
      // key of this post alone, so no answer depends on another family's places (they are matched
      // to the family's children when the address is confirmed). Members keep the typed key.
      const keys = party.children.map((c, i) =>
        c.childId !== null
          ? `child:${c.childId}`
          : party.kind === 'form'
            ? `pending:${request.idempotencyKey}:${i}`
            : typedKeys[i]!,
      )
      if (party.kind !== 'form') {
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
            names: party.children.filter((_, i) => taken.has(keys[i]!)).map((c) => c.firstName),
          }
        }
      }

      // The capacity check: inside the write transaction, after the lock, read once (with the session).
      // Near the start a freed space is offered to those waiting: while the offer is open it is theirs.
      const left = spacesSeenEarly ?? spacesForNewBookings(spacesLeft(activity.capacity, Number(taken ?? 0)), onOffer)
      if (left < party.children.length && !request.acceptWaitlist) {
        return { status: 'not-enough-spaces' as const, spacesLeft: left }
      }

      const stamp = now.toISOString()
      const family = party.kind === 'form' ? await familyForAddress(trx, party, stamp) : null
      const familyId = family ? family.id : party.familyId
      const holdExpiresAt = plannedExpiry(activity)
      let reference = plannedReference
      const bookingValues = {
        activity_id: activity.id,
        contact_name: party.contactName,
        email: party.email,
        phone: party.phone,
        authority_code: party.authorityCode,
        manage_token_hash: hashToken(manageToken),
        idempotency_key: request.idempotencyKey,
        mailing_list_opt_in: party.mailingListOptIn ? 1 : 0,
        member_id: 'memberId' in request ? (request.memberId ?? null) : null,
        family_id: familyId,
        hold_reason: hold,
        hold_expires_at: holdExpiresAt,
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
      for (const [i, child] of party.children.entries()) {
        const inserted = await insertPlace(trx, {
          booking_id: booking.id,
          activity_id: activity.id,
          first_name: child.firstName,
          date_of_birth: child.dateOfBirth,
          child_key: keys[i]!,
          age_on_day: ages[i]!,
          school_year: schoolYearOf(child.dateOfBirth, day),
          authority_code: party.authorityCode,
          support_needs: child.supportNeeds,
          status: i < left ? liveStatus : 'waitlisted',
          child_id: child.childId,
          // A form post's places join the family only when its address is proved: until then they
          // wait on their own, so a post typed with someone else's address cannot hold back that
          // family's brothers and sisters on the waiting list.
          family_id: party.kind === 'form' ? null : familyId,
          created_at: stamp,
          updated_at: stamp,
        })
        places.push(inserted.rows[0]!)
      }
      // A known family's first booking that goes ahead without approval makes it a known family.
      if (party.kind === 'family' && hold === null && familyId !== null && !party.needsApproval) {
        await trx
          .updateTable('family')
          .set({ approved_at: stamp })
          .where('id', '=', familyId)
          .where('approved_at', 'is', null)
          .execute()
      }
      if (confirmToken && familyId !== null) {
        await issueFamilyToken(trx, familyId, 'confirm', {
          token: confirmToken,
          bookingId: booking.id,
          expiresAt: new Date(holdExpiresAt!),
          now,
        })
      }

      const given = places.filter((p) => p.status === liveStatus)
      const kind =
        hold === 'address'
          ? 'held'
          : hold === 'approval' && given.length
            ? 'awaiting-approval'
            : given.length
              ? 'confirmation'
              : 'waitlisted'
      const asPlanned =
        kind === plannedKind &&
        given.length === places.length &&
        reference === plannedReference &&
        booking.invite_sequence === 0 &&
        planned !== undefined &&
        sameActivity(planned, activity)
      if (!options.within)
        await queueBookingEmail(
          trx,
          kind,
          {
            activity,
            booking,
            places,
            links,
            manageToken,
            organisation,
            confirmUrl: confirmToken ? confirmLink(links.baseUrl, confirmToken) : undefined,
            approvalFollows: settings?.approveNewFamilies,
            dedupeKey: `${kind}:booking:${booking.id}`,
            newAddress: family?.made === true,
          },
          asPlanned ? plannedEmail : undefined,
        )
      return {
        status: 'booked' as const,
        bookingId: booking.id,
        reference,
        manageToken,
        confirmed: places.filter((p) => p.status === 'confirmed').map((p) => p.first_name ?? ''),
        waitlisted: places.filter((p) => p.status === 'waitlisted').map((p) => p.first_name ?? ''),
        held: places.filter((p) => p.status === 'held').map((p) => p.first_name ?? ''),
        hold,
      }
    })
  } catch (error) {
    if (options.within) throw error
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
      return { status: 'child-already-booked', names: party.children.map((c) => c.firstName) }
    }
    throw error
  }
}

export interface ManagedBooking {
  booking: Pick<
    Booking,
    | 'id'
    | 'reference'
    | 'contact_name'
    | 'email'
    | 'phone'
    | 'created_at'
    | 'authority_code'
    | 'hold_reason'
    | 'hold_expires_at'
  >
  authorityName: string
  activity: Activity
  places: Array<Pick<Place, 'id' | 'first_name' | 'status' | 'age_on_day' | 'support_needs'>>
  /** the joining link, only while the booking holds a confirmed place on a live session */
  joinUrl: string | null
}

/** What opens a booking's page: its reference and a token from one of its emails, or the family signed in on this device. */
export interface ManageKey {
  reference: string
  token: string
  /** the family signed in on this device: its own bookings open without the emailed token */
  familyId?: number | null
}

/**
 * The booking behind a manage link, or null when the reference or token is wrong. `familyId`
 * is the family signed in on this device: its own booking opens for it whatever the token, so
 * the page a new family was shown before confirming its address (whose token confirming ends,
 * as anyone can type an address) still opens on the device that confirmed it.
 */
export async function findManagedBooking(
  db: DB,
  { reference, token, familyId = null }: ManageKey,
): Promise<ManagedBooking | null> {
  if (!/^JN-[A-Z0-9]{5}$/.test(reference) || !token || token.length > 100) return null
  const booking = await db.selectFrom('booking').selectAll().where('reference', '=', reference).executeTakeFirst()
  if (!booking) return null
  const own = familyId !== null && booking.family_id === familyId
  // The confirmation's token, or the token of any later email about this booking.
  if (!own && !tokenMatchesHash(token, booking.manage_token_hash)) {
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
