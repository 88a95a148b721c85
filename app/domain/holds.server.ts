// Held places: spaces kept for a new family until it confirms its address by the emailed link (or
// until staff approve it). They count against capacity and never see the joining link. A hold
// ends one of two ways, each decided by one conditional UPDATE of the booking under the session's
// row lock, so the two can never both happen: the hold is lifted (liftHold: the places are
// confirmed), or it runs out (releaseExpiredHolds, the scheduled job: the places are cancelled
// and given to the waiting list, and the family is told).
import type { Transaction } from 'kysely'
import { lockActivities, transaction, type DB } from '../../db/index'
import type { Activity, Booking, Database, HoldReason, Place, PlaceStatus } from '../../db/schema'
import { hashToken, newSecretToken } from '../auth/tokens.server'
import { enqueueEmail, type RecipientLimit } from '../email/outbox.server'
import { holdReleasedEmail, seriesHoldReleasedEmail } from '../email/hold-templates.server'
import { bookingWindowState } from './booking-window'
export { holdExpiry } from './hold-expiry'
import type { Links } from './links'
import { seriesGroupOf } from './series-group.server'
import { emailOrganisation } from './settings.server'
import { tellPromotedFamilies } from './promotion-notices.server'
import { promoteFromWaitlist, type Promotion } from './waiting-list.server'

type Tx = Transaction<Database>

const HOUR = 3_600_000

export type LiftHoldResult =
  | { status: 'lifted'; reason: HoldReason; booking: Booking; places: Place[]; promoted: number }
  /** no hold to lift: already lifted, or already released when it ran out */
  | { status: 'not-held' }

/**
 * Lifts a booking's hold (the family confirmed its address, or staff approved it): its held places
 * become confirmed and its places on the waiting list can now be promoted. Runs inside the
 * caller's transaction, after lockActivities on the booking's session; the caller sends the email.
 * 'not-held' when the hold is no longer there: the release job (or another lift) came first.
 */
export async function liftHold(
  trx: Tx,
  bookingId: number,
  links: Links,
  now: Date,
  promotions?: Promotion[],
): Promise<LiftHoldResult> {
  const before = await trx.selectFrom('booking').select('hold_reason').where('id', '=', bookingId).executeTakeFirst()
  if (!before?.hold_reason) return { status: 'not-held' }
  const stamp = now.toISOString()
  // The hold is checked again by the UPDATE itself: on PostgreSQL a release that committed since
  // the read above leaves no row to change here.
  const booking = await trx
    .updateTable('booking')
    // The link the form's page gave whoever filled it in stops working: anyone can type an
    // address, and only its owner (who gets a fresh link in the confirmation) may see the
    // joining link or change the booking now that it is theirs.
    .set({
      hold_reason: null,
      hold_expires_at: null,
      manage_token_hash: hashToken(newSecretToken()),
      updated_at: stamp,
    })
    .where('id', '=', bookingId)
    .where('hold_reason', 'is not', null)
    .returningAll()
    .executeTakeFirst()
  if (!booking) return { status: 'not-held' }
  await trx
    .updateTable('place')
    .set({ status: 'confirmed', updated_at: stamp })
    .where('booking_id', '=', bookingId)
    .where('status', '=', 'held')
    .execute()
  // Its waiting children were passed over while the hold lasted: a space may have stayed free for them.
  const promoted = await promoteFromWaitlist(trx, booking.activity_id, links, now, promotions)
  const places = await trx.selectFrom('place').selectAll().where('booking_id', '=', bookingId).orderBy('id').execute()
  return { status: 'lifted', reason: before.hold_reason, booking, places, promoted }
}

/**
 * Release emails go to an address nobody has proved (a stranger can type anyone's), so they are
 * limited per address as the booking form's own emails are: beyond, the email is held for staff.
 */
export const HOLD_RELEASE_EMAILS: RecipientLimit = {
  kinds: ['hold-released'],
  windows: [
    { max: 10, ms: HOUR, label: 'hour' },
    { max: 20, ms: 24 * HOUR, label: '24 hours' },
  ],
}

const BATCH = 100

/** "1 booking", "2 bookings": for the job's log. */
export function bookings(n: number): string {
  return `${n} ${n === 1 ? 'booking' : 'bookings'}`
}

/**
 * The scheduled job: every booking whose hold ran out (`hold_expires_at` at or before `now`) has
 * its held and waiting places cancelled and its hold cleared, the freed spaces given to the
 * waiting list, and the family emailed that the places were released. One transaction per
 * booking, the session's row locked first; the dates of one series booking whose holds ran out
 * together are released in one transaction and the family gets one email listing them.
 * Idempotent: a released booking has no hold, so a second run finds nothing. Returns how many
 * bookings were released.
 */
export async function releaseExpiredHolds(db: DB, links: Links, now: Date): Promise<number> {
  const at = now.toISOString()
  let released = 0
  let afterId = 0
  // One booking that cannot be released (its transaction fails) must not hold up the others: it is
  // tried again next run, and the job's log says which.
  const failed: string[] = []
  const grouped = new Set<number>()
  for (;;) {
    const due = await db
      .selectFrom('booking')
      .select(['id', 'activity_id'])
      .where('hold_expires_at', '<=', at)
      .where('hold_reason', 'is not', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(BATCH)
      .execute()
    for (const booking of due) {
      // The dates of one series booking run out together: released with the first, told once.
      if (grouped.has(booking.id)) continue
      try {
        const group = await seriesGroupOf(db, booking.id)
        for (const id of group) grouped.add(id)
        released += await releaseGroup(db, group.length ? group : [booking.id], links, now)
      } catch (error) {
        failed.push(`booking ${booking.id}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    if (due.length < BATCH) break
    afterId = due.at(-1)!.id
  }
  if (failed.length) {
    throw new Error(
      `Released the held places of ${bookings(released)}; ${bookings(failed.length)} could not be released (${failed.slice(0, 3).join('; ')})`,
    )
  }
  return released
}

interface ReleasedHold {
  booking: Booking
  activity: Activity
  reason: HoldReason
  places: Array<{ first_name: string | null; status: PlaceStatus }>
}

/**
 * Releases one booking whose hold ran out, inside the caller's transaction, after lockActivities
 * on its session: null when there is nothing to release (confirmed a moment before, or released).
 */
async function releaseOne(
  trx: Tx,
  bookingId: number,
  activityId: number,
  links: Links,
  now: Date,
  promotions: Promotion[],
): Promise<ReleasedHold | null> {
  const at = now.toISOString()
  const before = await trx.selectFrom('booking').select('hold_reason').where('id', '=', bookingId).executeTakeFirst()
  if (!before?.hold_reason) return null
  // Checked again by the UPDATE itself, under the lock: a family that confirmed a moment before
  // (or while this waited for the lock) keeps its places, and this changes nothing.
  const booking = await trx
    .updateTable('booking')
    .set({ hold_reason: null, hold_expires_at: null, updated_at: at })
    .where('id', '=', bookingId)
    .where('hold_reason', 'is not', null)
    .where('hold_expires_at', '<=', at)
    .returningAll()
    .executeTakeFirst()
  if (!booking) return null
  const released = await trx
    .selectFrom('place')
    .select(['id', 'first_name', 'status'])
    .where('booking_id', '=', bookingId)
    .where('status', 'in', ['held', 'waitlisted'])
    .orderBy('id')
    .execute()
  if (released.length) {
    await trx
      .updateTable('place')
      .set({ status: 'cancelled', updated_at: at })
      .where(
        'id',
        'in',
        released.map((p) => p.id),
      )
      .execute()
  }
  const activity = await trx.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirstOrThrow()
  // The freed spaces go to the waiting list (nothing happens when no space came free).
  await promoteFromWaitlist(trx, activityId, links, now, promotions)
  return { booking, activity, reason: before.hold_reason, places: released }
}

/** A family is told about places it had (a cancelled session has told it already). */
const toTell = (r: ReleasedHold): boolean =>
  r.places.length > 0 && !!r.booking.email && r.activity.status !== 'cancelled'

const namesWith = (r: ReleasedHold, status: PlaceStatus) =>
  r.places.filter((p) => p.status === status).map((p) => p.first_name ?? '')

async function emailReleased(trx: Tx, told: ReleasedHold[], links: Links, now: Date): Promise<void> {
  if (told.length === 0) return
  const first = told[0]!
  const organisation = await emailOrganisation(trx, links)
  const content =
    told.length === 1
      ? holdReleasedEmail({
          contactName: first.booking.contact_name ?? '',
          reference: first.booking.reference,
          activity: first.activity,
          heldNames: namesWith(first, 'held'),
          waitingNames: namesWith(first, 'waitlisted'),
          reason: first.reason,
          bookingOpen: bookingWindowState(first.activity, now) === 'open',
          activityUrl: `${links.baseUrl}/activities/${first.activity.id}`,
          activitiesUrl: `${links.baseUrl}/`,
          organisation,
        })
      : seriesHoldReleasedEmail({
          contactName: first.booking.contact_name ?? '',
          title: first.activity.title,
          dates: told.map((r) => ({
            reference: r.booking.reference,
            activity: r.activity,
            heldNames: namesWith(r, 'held'),
            waitingNames: namesWith(r, 'waitlisted'),
          })),
          reason: first.reason,
          bookingOpen: told.some((r) => bookingWindowState(r.activity, now) === 'open'),
          seriesUrl: first.activity.series_id
            ? `${links.baseUrl}/series/${first.activity.series_id}`
            : `${links.baseUrl}/activities/${first.activity.id}`,
          activitiesUrl: `${links.baseUrl}/`,
          organisation,
        })
  await enqueueEmail(
    trx,
    {
      kind: 'hold-released',
      to: first.booking.email!,
      ...content,
      bookingId: first.booking.id,
      activityId: first.activity.id,
      dedupeKey: `hold-released:booking:${first.booking.id}`,
    },
    { domain: links.domain, limit: HOLD_RELEASE_EMAILS },
  )
}

/**
 * Releases the bookings of one group (a booking alone, or the dates of one series booking) whose
 * holds have run out, in one transaction with every session locked first, and tells the family
 * once. Returns how many bookings were released.
 */
async function releaseGroup(db: DB, bookingIds: number[], links: Links, now: Date): Promise<number> {
  const at = now.toISOString()
  return transaction(db, async (trx) => {
    const due = await trx
      .selectFrom('booking')
      .select(['id', 'activity_id'])
      .where('id', 'in', bookingIds)
      .where('hold_reason', 'is not', null)
      .where('hold_expires_at', '<=', at)
      .orderBy('id')
      .execute()
    if (due.length === 0) return 0
    await lockActivities(
      trx,
      due.map((b) => b.activity_id),
    )
    const released: ReleasedHold[] = []
    // The dates' freed spaces go to the waiting list; a family promoted on several is told once.
    const promotions: Promotion[] = []
    for (const b of due) {
      const one = await releaseOne(trx, b.id, b.activity_id, links, now, promotions)
      if (one) released.push(one)
    }
    await tellPromotedFamilies(trx, promotions, links)
    const told = released.filter(toTell).sort((a, b) => a.activity.starts_at.localeCompare(b.activity.starts_at))
    await emailReleased(trx, told, links, now)
    return released.length
  })
}
