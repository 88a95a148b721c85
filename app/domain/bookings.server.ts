// Bookings and places: the capacity check, the waiting list, cancelling, and telling people.
// Every write that can change who holds a space runs in one immediate transaction, with the
// emails it causes written to the outbox in that same transaction.
import crypto from 'node:crypto'
import type { Transaction } from 'kysely'
import type { DB } from '../../db/index'
import type { Activity, Booking, Database, Place } from '../../db/schema'
import { hashToken, newSecretToken, tokenMatchesHash } from '../auth/tokens.server'
import { inviteCalendar } from '../calendar/ics.server'
import { enqueueEmail } from '../email/outbox.server'
import { bookingEmail, type BookingEmailKind } from '../email/templates.server'
import { ageOnDay } from './age'
import { schoolYearOf } from './age-groups'
import { childKey, type BookingFormValue } from './booking-form'
import { bookingWindowState, type BookingWindowState } from './booking-window'
import type { Links } from './links'
import { londonDateOf } from '../time/london-time'
import { spacesLeft } from './spaces'

type Tx = Transaction<Database>
type Executor = DB | Tx

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
   * prove the contention test can fail. Refused outside Vitest.
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

async function countConfirmed(db: Executor, activityId: number): Promise<number> {
  const row = await db
    .selectFrom('place')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('activity_id', '=', activityId)
    .where('status', '=', 'confirmed')
    .executeTakeFirstOrThrow()
  return Number(row.n)
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
  // Building the calendar invite is slow (ical-generator folds lines character by character), so
  // it is made before the write lock from the activity as it is now; inside the lock it is used
  // only if the activity has not changed since (updated_at), else it is made again.
  const manageToken = newSecretToken()
  const plannedReference = newReference()
  const planned = await db.selectFrom('activity').selectAll().where('id', '=', request.activityId).executeTakeFirst()
  const plannedInvite = planned ? confirmationInvite(planned, plannedReference, 0, links, manageToken) : undefined
  try {
    return await db.transaction().execute(async (trx) => {
      const earlier = await trx
        .selectFrom('booking')
        .select('reference')
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirst()
      if (earlier) return { status: 'already-submitted' as const, reference: earlier.reference }

      const activity = await trx
        .selectFrom('activity')
        .selectAll()
        .where('id', '=', request.activityId)
        .executeTakeFirst()
      if (!activity) return { status: 'not-found' as const }
      const window = bookingWindowState(activity, now)
      if (window !== 'open') return { status: 'closed' as const, window }

      const authority = await trx
        .selectFrom('authority')
        .select('code')
        .where('code', '=', request.authorityCode)
        .where('active', '=', 1)
        .executeTakeFirst()
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
      const existing = await trx
        .selectFrom('place')
        .select('child_key')
        .where('activity_id', '=', activity.id)
        .where('status', '<>', 'cancelled')
        .where('child_key', 'in', keys)
        .execute()
      if (existing.length) {
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
      while (await trx.selectFrom('booking').select('id').where('reference', '=', reference).executeTakeFirst()) {
        reference = newReference()
      }
      const booking = await trx
        .insertInto('booking')
        .values({
          reference,
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
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      const places = await trx
        .insertInto('place')
        .values(
          request.children.map((child, i) => ({
            booking_id: booking.id,
            activity_id: activity.id,
            first_name: child.firstName,
            date_of_birth: child.dateOfBirth,
            child_key: keys[i]!,
            age_on_day: ages[i]!,
            school_year: schoolYearOf(child.dateOfBirth, day),
            authority_code: request.authorityCode,
            support_needs: child.supportNeeds,
            status: i < left ? ('confirmed' as const) : ('waitlisted' as const),
            attended: null,
            created_at: stamp,
            updated_at: stamp,
          })),
        )
        .returningAll()
        .execute()

      const confirmed = places.filter((p) => p.status === 'confirmed')
      await sendBookingEmail(trx, confirmed.length ? 'confirmation' : 'waitlisted', {
        activity,
        booking,
        places,
        links,
        manageToken,
        dedupeKey: `${confirmed.length ? 'confirmation' : 'waitlisted'}:booking:${booking.id}`,
        invite:
          reference === plannedReference && planned?.updated_at === activity.updated_at ? plannedInvite : undefined,
      })
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
    // the unique indexes decide, and the loser gets the same answer as a sequential repeat.
    const message = error instanceof Error ? error.message : ''
    if (message.includes('booking.idempotency_key')) {
      const earlier = await db
        .selectFrom('booking')
        .select('reference')
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirst()
      if (earlier) return { status: 'already-submitted', reference: earlier.reference }
    }
    if (message.includes('place.activity_id') || message.includes('place_one_per_child')) {
      return { status: 'child-already-booked', names: request.children.map((c) => c.firstName) }
    }
    throw error
  }
}

interface EmailContext {
  activity: Activity
  booking: Booking
  places: Place[]
  links: Links
  /** only right after booking: afterwards we hold just its hash and link to the manage page without it */
  manageToken?: string
  dedupeKey: string
  reason?: string | null
  cancelledNames?: string[]
  /** an invite already made for exactly this booking and activity state */
  invite?: string
}

/** The invite for a confirmed place: UID per booking, so each update replaces the last. */
function confirmationInvite(
  activity: Activity,
  reference: string,
  sequence: number,
  links: Links,
  manageToken?: string,
  cancelled = false,
): string {
  return inviteCalendar(activity, {
    uid: `booking-${reference}@${links.domain}`,
    sequence,
    joinUrl: cancelled ? null : activity.join_url,
    pageUrl: manageUrl(links, reference, manageToken),
    cancelled,
  })
}

export function manageUrl(links: Links, reference: string, token?: string): string {
  return `${links.baseUrl}/bookings/${reference}${token ? `?token=${encodeURIComponent(token)}` : ''}`
}

/** Writes one email about a booking to the outbox, with the right calendar invite. */
async function sendBookingEmail(trx: Tx, kind: BookingEmailKind, ctx: EmailContext): Promise<void> {
  const { activity, booking, links } = ctx
  if (!booking.email) return
  const confirmed = ctx.places.filter((p) => p.status === 'confirmed')
  const inviteCancelled = kind === 'activity-cancelled' || (kind === 'cancellation' && confirmed.length === 0)
  const withInvite = inviteCancelled || (confirmed.length > 0 && kind !== 'cancellation')
  const link = manageUrl(links, booking.reference, ctx.manageToken)
  const content = bookingEmail(kind, {
    contactName: booking.contact_name ?? '',
    reference: booking.reference,
    activity,
    confirmedNames: confirmed.map((p) => p.first_name ?? ''),
    waitlistedNames: ctx.places.filter((p) => p.status === 'waitlisted').map((p) => p.first_name ?? ''),
    cancelledNames: ctx.cancelledNames ?? [],
    joinUrl: confirmed.length > 0 && !inviteCancelled ? activity.join_url : null,
    manageUrl: link,
    activityUrl: `${links.baseUrl}/activities/${activity.id}`,
    reason: ctx.reason ?? null,
    selfBooked: booking.member_id !== null,
  })
  const ics = withInvite
    ? {
        content:
          ctx.invite ??
          confirmationInvite(
            activity,
            booking.reference,
            booking.invite_sequence,
            links,
            ctx.manageToken,
            inviteCancelled,
          ),
        method: inviteCancelled ? ('CANCEL' as const) : ('REQUEST' as const),
      }
    : undefined
  await enqueueEmail(
    trx,
    {
      kind,
      to: booking.email,
      subject: content.subject,
      text: content.text,
      html: content.html,
      ics,
      bookingId: booking.id,
      activityId: activity.id,
      dedupeKey: ctx.dedupeKey,
    },
    { domain: links.domain },
  )
}

/** Raises a booking's invite SEQUENCE before an update is sent, so calendars take the new one. */
async function nextInviteSequence(trx: Tx, booking: Booking): Promise<Booking> {
  return trx
    .updateTable('booking')
    .set({ invite_sequence: booking.invite_sequence + 1, updated_at: new Date().toISOString() })
    .where('id', '=', booking.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * Gives freed spaces to the waiting list, first come first served, and tells each family.
 * Runs inside the transaction that freed the space.
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
    await sendBookingEmail(trx, 'place-offered', {
      activity,
      booking,
      places,
      links,
      dedupeKey: `offered:places:${promoted.map((p) => p.id).join('-')}`,
    })
  }
  return next.length
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
  if (!booking || !tokenMatchesHash(token, booking.manage_token_hash)) return null
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
    await sendBookingEmail(trx, 'cancellation', {
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

/** Live bookings on a session, each with its live places: whom to tell about a change. */
async function liveBookings(trx: Tx, activityId: number): Promise<Array<{ booking: Booking; places: Place[] }>> {
  const places = await trx
    .selectFrom('place')
    .selectAll()
    .where('activity_id', '=', activityId)
    .where('status', '<>', 'cancelled')
    .orderBy('id')
    .execute()
  const ids = [...new Set(places.map((p) => p.booking_id))]
  if (ids.length === 0) return []
  const bookings = await trx.selectFrom('booking').selectAll().where('id', 'in', ids).execute()
  return bookings.map((booking) => ({ booking, places: places.filter((p) => p.booking_id === booking.id) }))
}

/** Staff changed the time or the joining place: everyone booked gets the updated invite. */
export async function notifyActivityChanged(trx: Tx, activityId: number, links: Links): Promise<number> {
  const activity = await trx.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirstOrThrow()
  const live = await liveBookings(trx, activityId)
  for (const { booking, places } of live) {
    const updated = places.some((p) => p.status === 'confirmed') ? await nextInviteSequence(trx, booking) : booking
    await sendBookingEmail(trx, 'activity-changed', {
      activity,
      booking: updated,
      places,
      links,
      dedupeKey: `changed:booking:${booking.id}:activity-sequence:${activity.sequence}`,
    })
  }
  return live.length
}

/** Staff cancelled the session: everyone booked or waiting is told, with a calendar cancellation. */
export async function notifyActivityCancelled(trx: Tx, activityId: number, links: Links): Promise<number> {
  const activity = await trx.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirstOrThrow()
  const live = await liveBookings(trx, activityId)
  for (const { booking, places } of live) {
    const updated = await nextInviteSequence(trx, booking)
    await sendBookingEmail(trx, 'activity-cancelled', {
      activity,
      booking: updated,
      places,
      links,
      reason: activity.cancel_reason,
      dedupeKey: `activity-cancelled:booking:${booking.id}`,
    })
  }
  return live.length
}

/** Reminders for sessions starting within the next 24 hours; the dedupe key sends each once. */
export async function enqueueDueReminders(db: DB, links: Links, now = new Date()): Promise<number> {
  const soon = new Date(now.getTime() + 24 * 60 * 60_000).toISOString()
  const activities = await db
    .selectFrom('activity')
    .selectAll()
    .where('status', '=', 'published')
    .where('starts_at', '>', now.toISOString())
    .where('starts_at', '<=', soon)
    .execute()
  let queued = 0
  for (const activity of activities) {
    await db.transaction().execute(async (trx) => {
      for (const { booking, places } of await liveBookings(trx, activity.id)) {
        if (!places.some((p) => p.status === 'confirmed')) continue
        await sendBookingEmail(trx, 'reminder', {
          activity,
          booking,
          places,
          links,
          dedupeKey: `reminder:booking:${booking.id}:starts:${activity.starts_at}`,
        })
        queued += 1
      }
    })
  }
  return queued
}

export interface SessionBookingRow {
  reference: string
  contactName: string | null
  email: string | null
  phone: string | null
  authorityName: string
  placeId: number
  firstName: string | null
  ageOnDay: number
  supportNeeds: string | null
  status: Place['status']
  bookedAt: string
}

/** Staff view of one session: every place with its booking, confirmed first then the waiting list in order. */
export async function listSessionPlaces(db: DB, activityId: number): Promise<SessionBookingRow[]> {
  const rows = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .innerJoin('authority', 'authority.code', 'booking.authority_code')
    .select([
      'booking.reference',
      'booking.contact_name',
      'booking.email',
      'booking.phone',
      'authority.name as authorityName',
      'place.id as placeId',
      'place.first_name',
      'place.age_on_day',
      'place.support_needs',
      'place.status',
      'place.created_at',
    ])
    .where('place.activity_id', '=', activityId)
    .orderBy('place.id')
    .execute()
  return rows.map((r) => ({
    reference: r.reference,
    contactName: r.contact_name,
    email: r.email,
    phone: r.phone,
    authorityName: r.authorityName,
    placeId: r.placeId,
    firstName: r.first_name,
    ageOnDay: r.age_on_day,
    supportNeeds: r.support_needs,
    status: r.status,
    bookedAt: r.created_at,
  }))
}
