// The waiting list: freed spaces go to those waiting, first come first served, and brothers and
// sisters together. The rule (README, "The waiting list"): the queue is of families (a booking
// with no family counts as one), in the order of each one's earliest waiting place. Going down it
// while spaces are left, a family whose waiting children all fit is given places together; one
// that does not fit is passed over and keeps its place, so it has the next spaces that are enough
// for it; a family that said its children can take places separately takes as many as fit, in
// the order they joined. A booking on hold (address not yet confirmed, or awaiting approval) is
// passed over until the hold is lifted. Held places count against capacity like confirmed ones.
import type { Transaction } from 'kysely'
import type { Activity, Database } from '../../db/schema'
import { queuePlacesFromWaitingList } from './booking-emails.server'
import { countTaken } from './bookings.server'
import type { Links } from './links'
import { freedSpaceIsOffered, offerFreedSpaces } from './offers.server'
import { spacesLeft } from './spaces'
import { heldBack } from './waiting-ready'

type Tx = Transaction<Database>

/** A waiting place with what the rule needs to know about its booking and family. */
export interface WaitingPlace {
  id: number
  bookingId: number
  familyId: number | null
  /** held back (waiting-ready.ts): the booking is on hold, or the child is outside the session's ages */
  onHold: boolean
  /** the family said its children can take places separately */
  separately: boolean
}

/**
 * The rule, on its own: which waiting places to promote into `spaces` free spaces. `waiting` is in
 * queue order (place id). Pure, so the rule reads in one place.
 */
export function choosePromotions(waiting: readonly WaitingPlace[], spaces: number): WaitingPlace[] {
  const groups = new Map<string, WaitingPlace[]>()
  // Map keeps insertion order, so the groups are in the order of their earliest waiting place.
  for (const place of waiting) {
    const key = promotedFamilyKey(place)
    const group = groups.get(key)
    if (group) group.push(place)
    else groups.set(key, [place])
  }
  const chosen: WaitingPlace[] = []
  let left = spaces
  for (const group of groups.values()) {
    if (left <= 0) break
    const ready = group.filter((p) => !p.onHold)
    if (group.some((p) => p.separately)) {
      const taken = ready.slice(0, left)
      chosen.push(...taken)
      left -= taken.length
      continue
    }
    // Together or not at all: a child still on hold holds the whole family back.
    if (ready.length === group.length && group.length <= left) {
      chosen.push(...group)
      left -= group.length
    }
  }
  return chosen
}

/** One family's places promoted on one session (or, with no family, one booking's). */
export interface Promotion {
  activity: Activity
  promoted: WaitingPlace[]
}

/** Who a promotion is for: the family, or a booking with no family. */
export const promotedFamilyKey = (place: Pick<WaitingPlace, 'familyId' | 'bookingId'>): string =>
  place.familyId !== null ? `family:${place.familyId}` : `booking:${place.bookingId}`

/**
 * Gives freed spaces to the waiting list by the rule above, and tells each promoted family once.
 * A caller that frees several sessions in one transaction (a series booking's holds running out,
 * an account deleted) passes `collect`: the promotions are added to it instead of emailed, and the
 * caller tells each family once for all its dates (promotion-notices.server.ts).
 * Runs inside the transaction that freed the space, which must have locked the session's row
 * first (lockActivities): otherwise two of them, or one and a booking, count the same free space.
 * Near the start (offer_window_hours, before the booking close) the spaces are offered to the
 * waiting list instead, first to claim gets them (offers.server.ts), and this returns 0.
 */
export async function promoteFromWaitlist(
  trx: Tx,
  activityId: number,
  links: Links,
  now: Date = new Date(),
  collect?: Promotion[],
): Promise<number> {
  const activity = await trx.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirstOrThrow()
  if (activity.status === 'cancelled') return 0
  if (await freedSpaceIsOffered(trx, activity, now)) {
    await offerFreedSpaces(trx, activity, links, now)
    return 0
  }
  const left = spacesLeft(activity.capacity, await countTaken(trx, activityId))
  if (left === 0) return 0
  const rows = await trx
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .leftJoin('family', 'family.id', 'place.family_id')
    .select([
      'place.id as id',
      'place.booking_id as bookingId',
      'place.family_id as familyId',
      'booking.hold_reason as holdReason',
      'family.places_separately as placesSeparately',
      'place.age_on_day as ageOnDay',
    ])
    .where('place.activity_id', '=', activityId)
    .where('place.status', '=', 'waitlisted')
    .orderBy('place.id')
    .execute()
  const chosen = choosePromotions(
    rows.map((r) => ({
      id: r.id,
      bookingId: r.bookingId,
      familyId: r.familyId,
      onHold: heldBack(r, activity),
      separately: r.placesSeparately === 1,
    })),
    left,
  )
  if (chosen.length === 0) return 0
  const stamp = new Date().toISOString()
  await trx
    .updateTable('place')
    .set({ status: 'confirmed', updated_at: stamp })
    .where(
      'id',
      'in',
      chosen.map((p) => p.id),
    )
    .execute()

  // One email per family (or per booking with no family), about the booking of its earliest
  // promoted place, naming every child it now has on the session across its promoted bookings.
  const byFamily = new Map<string, WaitingPlace[]>()
  for (const place of chosen) {
    const key = promotedFamilyKey(place)
    byFamily.set(key, [...(byFamily.get(key) ?? []), place])
  }
  for (const promoted of byFamily.values()) {
    if (collect) collect.push({ activity, promoted })
    else await queuePlacesFromWaitingList(trx, activity, promoted, links)
  }
  return chosen.length
}
