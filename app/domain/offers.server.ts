// Offers near the start. A space that frees within `offer_window_hours` of a session's start (and
// before its booking close) is not given to the next on the waiting list, who may not read the
// email in time: it is OFFERED to every waiting family for whom it is enough (brothers and sisters
// together unless the family said they can take places separately; a booking on hold is not
// offered, as it is not promoted), each with a claim link of its own. The first to claim gets the
// place, confirmed at once with the "place offered" email (the one with the joining link); a later
// claimant is told "Sorry, this place has been taken" and stays on the waiting list. An offer ends
// at the booking close. The claim is race-safe as a booking is: the session's row is locked first
// (BEGIN IMMEDIATE on SQLite), and the spaces are counted inside that transaction.
import type { Transaction } from 'kysely'
import { lockActivities, transaction, type DB } from '../../db/index'
import type { Activity, Database } from '../../db/schema'
import { hashToken, newSecretToken, tokenMatchesHash } from '../auth/tokens.server'
import { enqueueEmail } from '../email/outbox.server'
import { placeOfferEmail } from '../email/offer-templates.server'
import { queuePlacesFromWaitingList } from './booking-emails.server'
import { countTaken } from './bookings.server'
import type { Links } from './links'
import { emailOrganisation, getNumberSetting } from './settings.server'
import { spacesLeft } from './spaces'
import { heldBack } from './waiting-ready'

type Tx = Transaction<Database>

/** A claim page's address for this token. */
export function claimUrl(links: Links, token: string): string {
  return `${links.baseUrl}/offers/${token}`
}

/**
 * Whether a space freeing now on this session is offered rather than given: within the offer
 * window before the start (0 hours: never) and while booking is still open (an offer ends at the
 * booking close; after it, a freed space goes to the waiting list as before).
 */
export async function freedSpaceIsOffered(trx: Tx, activity: Activity, now: Date): Promise<boolean> {
  const hours = await getNumberSetting(trx, 'offer_window_hours')
  if (!(hours > 0)) return false
  const t = now.getTime()
  if (t >= new Date(activity.booking_closes_at).getTime()) return false
  return new Date(activity.starts_at).getTime() - t <= hours * 60 * 60_000
}

interface WaitingRow {
  id: number
  bookingId: number
  familyId: number | null
  firstName: string | null
  onHold: boolean
  separately: boolean
}

/** The waiting places of a session, in queue order, with what the offer rule needs. */
async function waitingPlaces(trx: Tx, activity: Activity): Promise<WaitingRow[]> {
  const rows = await trx
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .leftJoin('family', 'family.id', 'place.family_id')
    .select([
      'place.id as id',
      'place.booking_id as bookingId',
      'place.family_id as familyId',
      'place.first_name as firstName',
      'booking.hold_reason as holdReason',
      'family.places_separately as placesSeparately',
      'place.age_on_day as ageOnDay',
    ])
    .where('place.activity_id', '=', activity.id)
    .where('place.status', '=', 'waitlisted')
    .orderBy('place.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    bookingId: r.bookingId,
    familyId: r.familyId,
    firstName: r.firstName,
    onHold: heldBack(r, activity),
    separately: r.placesSeparately === 1,
  }))
}

const groupKey = (p: { familyId: number | null; bookingId: number }) =>
  p.familyId !== null ? `family:${p.familyId}` : `booking:${p.bookingId}`

/** The places a claim would confirm with `left` spaces: the whole family, or as many as fit if it said separately. */
function fitting(group: readonly WaitingRow[], left: number): WaitingRow[] {
  const ready = group.filter((p) => !p.onHold)
  if (left <= 0) return []
  if (group.some((p) => p.separately)) return ready.slice(0, left)
  return ready.length === group.length && group.length <= left ? [...group] : []
}

/**
 * Offers the session's free spaces to every waiting family they are enough for and that has no
 * open offer on it yet, one email each. Runs in the transaction that freed the space, after the
 * session's row lock. Returns how many families were offered.
 */
export async function offerFreedSpaces(trx: Tx, activity: Activity, links: Links, now: Date): Promise<number> {
  const left = spacesLeft(activity.capacity, await countTaken(trx, activity.id))
  if (left === 0) return 0
  const groups = new Map<string, WaitingRow[]>()
  for (const place of await waitingPlaces(trx, activity)) {
    groups.set(groupKey(place), [...(groups.get(groupKey(place)) ?? []), place])
  }
  if (groups.size === 0) return 0
  const open = await trx
    .selectFrom('place_offer')
    .select('booking_id')
    .where('activity_id', '=', activity.id)
    .where('outcome', 'is', null)
    .execute()
  const offeredBookings = new Set(open.map((o) => o.booking_id))
  const organisation = await emailOrganisation(trx, links)
  let offered = 0
  for (const group of groups.values()) {
    const fits = fitting(group, left)
    if (fits.length === 0 || group.some((p) => offeredBookings.has(p.bookingId))) continue
    const booking = await trx
      .selectFrom('booking')
      .select(['id', 'email', 'reference', 'contact_name'])
      .where('id', '=', group[0]!.bookingId)
      .executeTakeFirstOrThrow()
    if (!booking.email) continue
    const token = newSecretToken()
    const stamp = now.toISOString()
    const row = await trx
      .insertInto('place_offer')
      .values({
        token_hash: hashToken(token),
        activity_id: activity.id,
        booking_id: booking.id,
        created_at: stamp,
        ends_at: activity.booking_closes_at,
        outcome: null,
        resolved_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const email = placeOfferEmail({
      contactName: booking.contact_name ?? '',
      reference: booking.reference,
      activity,
      waitingNames: fits.map((p) => p.firstName ?? ''),
      claimUrl: claimUrl(links, token),
      endsAt: activity.booking_closes_at,
      organisation,
    })
    await enqueueEmail(
      trx,
      {
        kind: 'place-offer',
        to: booking.email,
        subject: email.subject,
        text: email.text,
        html: email.html,
        bookingId: booking.id,
        activityId: activity.id,
        dedupeKey: `place-offer:${row.id}`,
      },
      { domain: links.domain },
    )
    offered += 1
  }
  return offered
}

interface OfferSubject {
  title: string
  startsAt: string
  endsAt: string
  /** the booking close: the offer ends then */
  offerEndsAt: string
}

/** What a claim page shows or a claim answers. Never the joining link: that is emailed once the place is confirmed. */
export type OfferState =
  | { status: 'not-found' }
  | ({ status: 'open'; names: string[] } & OfferSubject)
  | ({
      status: 'claimed'
      names: string[]
      /** claimed earlier: a repeat or a later look */ again?: boolean
    } & OfferSubject)
  | ({ status: 'taken' } & OfferSubject)
  | ({ status: 'ended' } & OfferSubject)

async function offerOfToken(db: DB | Tx, token: string) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null
  const offer = await db
    .selectFrom('place_offer')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!offer || !tokenMatchesHash(token, offer.token_hash)) return null
  return offer
}

/** The places the offer is for: the family's waiting places on the session, or the booking's when it has no family. */
async function groupOf(db: DB | Tx, offer: { activity_id: number; booking_id: number }) {
  const booking = await db
    .selectFrom('booking')
    .select(['id', 'family_id'])
    .where('id', '=', offer.booking_id)
    .executeTakeFirstOrThrow()
  const all = await waitingOrConfirmedOf(db, offer.activity_id, booking)
  return all
}

async function waitingOrConfirmedOf(
  db: DB | Tx,
  activityId: number,
  booking: { id: number; family_id: number | null },
) {
  let query = db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .innerJoin('activity', 'activity.id', 'place.activity_id')
    .leftJoin('family', 'family.id', 'place.family_id')
    .select([
      'place.id as id',
      'place.booking_id as bookingId',
      'place.family_id as familyId',
      'place.first_name as firstName',
      'place.status as status',
      'booking.hold_reason as holdReason',
      'family.places_separately as placesSeparately',
      'place.age_on_day as ageOnDay',
      'activity.min_age',
      'activity.max_age',
    ])
    .where('place.activity_id', '=', activityId)
    .where('place.status', 'in', ['waitlisted', 'confirmed'])
  query =
    booking.family_id !== null
      ? query.where('place.family_id', '=', booking.family_id)
      : query.where('place.booking_id', '=', booking.id)
  const rows = await query.orderBy('place.id').execute()
  return {
    waiting: rows
      .filter((r) => r.status === 'waitlisted')
      .map((r): WaitingRow => ({
        id: r.id,
        bookingId: r.bookingId,
        familyId: r.familyId,
        firstName: r.firstName,
        onHold: heldBack(r, r),
        separately: r.placesSeparately === 1,
      })),
    confirmedNames: rows.filter((r) => r.status === 'confirmed').map((r) => r.firstName ?? ''),
  }
}

function subjectOf(activity: Activity, offer: { ends_at: string }): OfferSubject {
  return { title: activity.title, startsAt: activity.starts_at, endsAt: activity.ends_at, offerEndsAt: offer.ends_at }
}

function hasEnded(activity: Activity, offer: { ends_at: string }, now: Date): boolean {
  return (
    activity.status !== 'published' ||
    now.getTime() >= new Date(offer.ends_at).getTime() ||
    now.getTime() >= new Date(activity.starts_at).getTime()
  )
}

/** The claim page for a token. Changes nothing (a mail scanner following the link claims nothing). */
export async function offerPage(db: DB, token: string, now: Date): Promise<OfferState> {
  const offer = await offerOfToken(db, token)
  if (!offer) return { status: 'not-found' }
  const activity = await db
    .selectFrom('activity')
    .selectAll()
    .where('id', '=', offer.activity_id)
    .executeTakeFirstOrThrow()
  const about = subjectOf(activity, offer)
  const { waiting, confirmedNames } = await groupOf(db, offer)
  if (offer.outcome === 'claimed') return { status: 'claimed', names: confirmedNames, again: true, ...about }
  if (offer.outcome === 'taken') return { status: 'taken', ...about }
  if (hasEnded(activity, offer, now)) return { status: 'ended', ...about }
  if (waiting.length === 0) return { status: 'ended', ...about }
  return { status: 'open', names: waiting.map((p) => p.firstName || 'Your child'), ...about }
}

export interface ClaimOptions {
  /**
   * TEST ONLY (the racing-claims control; docs/decisions/007-test-only-switch-in-book.md): counts
   * the free spaces before the transaction and uses that stale figure inside it, the classic
   * double-booking bug. Refused outside Vitest. Never build these options from input.
   */
  unsafeCountOutsideTransaction?: boolean
}

/**
 * Claims an offer: in one transaction after the session's row lock, the family's waiting places
 * are confirmed if the free spaces are enough for them (all together, or as many as fit if it said
 * separately), and the offer is marked claimed; otherwise it is marked taken and the family stays
 * on the waiting list. A repeated claim answers as the first did.
 */
export async function claimOffer(
  db: DB,
  token: string,
  links: Links,
  now: Date,
  options: ClaimOptions = {},
): Promise<OfferState> {
  const found = await offerOfToken(db, token)
  if (!found) return { status: 'not-found' }
  let staleLeft: number | null = null
  if (options.unsafeCountOutsideTransaction) {
    if (process.env.VITEST !== 'true')
      throw new Error('unsafeCountOutsideTransaction is for the racing-claims test only')
    const activity = await db
      .selectFrom('activity')
      .select('capacity')
      .where('id', '=', found.activity_id)
      .executeTakeFirstOrThrow()
    staleLeft = spacesLeft(activity.capacity, await countTaken(db, found.activity_id))
  }
  return transaction(db, async (trx) => {
    await lockActivities(trx, [found.activity_id])
    const offer = await trx.selectFrom('place_offer').selectAll().where('id', '=', found.id).executeTakeFirstOrThrow()
    const activity = await trx
      .selectFrom('activity')
      .selectAll()
      .where('id', '=', offer.activity_id)
      .executeTakeFirstOrThrow()
    const about = subjectOf(activity, offer)
    const { waiting, confirmedNames } = await groupOf(trx, offer)
    if (offer.outcome === 'claimed') return { status: 'claimed' as const, names: confirmedNames, again: true, ...about }
    if (offer.outcome === 'taken') return { status: 'taken' as const, ...about }
    if (hasEnded(activity, offer, now) || waiting.length === 0) return { status: 'ended' as const, ...about }
    const left = staleLeft ?? spacesLeft(activity.capacity, await countTaken(trx, activity.id))
    const chosen = fitting(waiting, left)
    const stamp = now.toISOString()
    if (chosen.length === 0) {
      await trx
        .updateTable('place_offer')
        .set({ outcome: 'taken', resolved_at: stamp })
        .where('id', '=', offer.id)
        .execute()
      return { status: 'taken' as const, ...about }
    }
    await trx
      .updateTable('place')
      .set({ status: 'confirmed', updated_at: stamp })
      .where(
        'id',
        'in',
        chosen.map((p) => p.id),
      )
      .execute()
    await trx
      .updateTable('place_offer')
      .set({ outcome: 'claimed', resolved_at: stamp })
      .where('id', '=', offer.id)
      .execute()
    // The "place offered" email, as a promotion sends: now with the joining link and the invite,
    // as the places are confirmed.
    await queuePlacesFromWaitingList(trx, activity, chosen, links)
    return {
      status: 'claimed' as const,
      names: [...confirmedNames, ...chosen.map((p) => p.firstName ?? '')],
      ...about,
    }
  })
}
