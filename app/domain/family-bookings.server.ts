// "Your bookings" for a signed-in family: its bookings (booking.family_id) with each child's place
// and status, cancelling through the same rules as a manage link, a child's support needs for their
// upcoming places, invites, and the family's private calendar feed (a secret link; only its hash is
// kept in family.feed_token_hash). The joining link follows one rule everywhere here: a confirmed
// place, on a published session, of a family whose address is confirmed.
import { transaction, type DB } from '../../db/index'
import type { Activity, PlaceStatus } from '../../db/schema'
import { hashToken, newSecretToken } from '../auth/tokens.server'
import { inviteCalendar, privateFeed, type FeedEvent } from '../calendar/ics.server'
import { inviteOrganiser } from './booking-emails.server'
import {
  cancelPlacesOf,
  checkCancellationOf,
  type CancelCheck,
  type CancelResult,
  type CancellableBooking,
} from './cancellations.server'
import type { Links } from './links'

/** How far back the feed keeps sessions that have ended, so last week's stays in the calendar. */
export const FEED_RECENT_DAYS = 28
const DAY_MS = 86_400_000

/** A place as the family sees it: held places say why (the address, or staff approval). */
export type FamilyPlaceStatus = 'confirmed' | 'waitlisted' | 'held-address' | 'held-approval' | 'cancelled'

export interface FamilyPlace {
  id: number
  firstName: string
  status: FamilyPlaceStatus
}

export interface FamilyBooking {
  reference: string
  activity: Pick<Activity, 'title' | 'starts_at' | 'ends_at' | 'status' | 'location_type' | 'venue' | 'cancel_reason'>
  places: FamilyPlace[]
  /** the joining link, only while the session is to come (familyJoinUrl) */
  joinUrl: string | null
  /** an invite can be downloaded: the same rule as the joining link */
  hasInvite: boolean
  /** the session has not started and is not cancelled, and a place is still live */
  canCancel: boolean
}

export interface FamilyBookings {
  /** sessions not yet ended, soonest first */
  upcoming: FamilyBooking[]
  /** sessions ended, most recent first */
  past: FamilyBooking[]
  children: Array<{ id: number; firstName: string; supportNeeds: string | null }>
  /** the family's address is confirmed (until then places are held and there is no joining link) */
  confirmed: boolean
}

/**
 * The joining link a family may see for a booking: only for a confirmed place on a published
 * session, and only once the family's address is confirmed. Never for held, waitlisted or
 * cancelled places.
 */
export function familyJoinUrl(
  family: { confirmed_at: string | null },
  activity: Pick<Activity, 'status' | 'join_url'>,
  places: Array<{ status: PlaceStatus }>,
): string | null {
  if (!family.confirmed_at || activity.status !== 'published') return null
  return places.some((p) => p.status === 'confirmed') ? activity.join_url : null
}

async function familyRow(db: DB, familyId: number) {
  return db
    .selectFrom('family')
    .select(['id', 'email', 'confirmed_at', 'feed_token_hash'])
    .where('id', '=', familyId)
    .executeTakeFirst()
}

/** Every booking of the family with each child's place, split into upcoming and past. */
export async function listFamilyBookings(db: DB, familyId: number, now: Date): Promise<FamilyBookings> {
  const family = await familyRow(db, familyId)
  if (!family) return { upcoming: [], past: [], children: [], confirmed: false }
  const [bookings, places, children] = await Promise.all([
    db
      .selectFrom('booking')
      .innerJoin('activity', 'activity.id', 'booking.activity_id')
      .select([
        'booking.id',
        'booking.reference',
        'booking.hold_reason',
        'activity.title',
        'activity.starts_at',
        'activity.ends_at',
        'activity.status',
        'activity.location_type',
        'activity.venue',
        'activity.cancel_reason',
        'activity.join_url',
      ])
      .where('booking.family_id', '=', familyId)
      .orderBy('activity.starts_at')
      .orderBy('booking.id')
      .execute(),
    db
      .selectFrom('place')
      .innerJoin('booking', 'booking.id', 'place.booking_id')
      // the child's own row names them (a place's copy of the name may be erased by retention)
      .leftJoin('child', (join) => join.onRef('child.id', '=', 'place.child_id').on('child.family_id', '=', familyId))
      .select(['place.id', 'place.booking_id', 'place.status', 'place.first_name', 'child.first_name as child_name'])
      .where('booking.family_id', '=', familyId)
      .orderBy('place.id')
      .execute(),
    db
      .selectFrom('child')
      .select(['id', 'first_name', 'support_needs'])
      .where('family_id', '=', familyId)
      .orderBy('id')
      .execute(),
  ])
  const upcoming: FamilyBooking[] = []
  const past: FamilyBooking[] = []
  for (const booking of bookings) {
    const own = places.filter((p) => p.booking_id === booking.id)
    const sessionCancelled = booking.status === 'cancelled'
    const toCome = new Date(booking.ends_at).getTime() > now.getTime()
    const joinUrl = toCome ? familyJoinUrl(family, booking, own) : null
    const view: FamilyBooking = {
      reference: booking.reference,
      activity: {
        title: booking.title,
        starts_at: booking.starts_at,
        ends_at: booking.ends_at,
        status: booking.status,
        location_type: booking.location_type,
        venue: booking.venue,
        cancel_reason: booking.cancel_reason,
      },
      places: own.map((p) => ({
        id: p.id,
        firstName: p.child_name ?? p.first_name ?? 'Your child',
        // a place on a session the team cancelled is cancelled, whatever it was
        status: sessionCancelled
          ? 'cancelled'
          : p.status === 'held'
            ? booking.hold_reason === 'approval'
              ? 'held-approval'
              : 'held-address'
            : p.status,
      })),
      joinUrl,
      hasInvite: joinUrl !== null,
      canCancel:
        !sessionCancelled &&
        new Date(booking.starts_at).getTime() > now.getTime() &&
        own.some((p) => p.status !== 'cancelled'),
    }
    if (toCome) upcoming.push(view)
    else past.push(view)
  }
  past.reverse()
  return {
    upcoming,
    past,
    children: children.map((c) => ({ id: c.id, firstName: c.first_name, supportNeeds: c.support_needs })),
    confirmed: family.confirmed_at !== null,
  }
}

/** The family's own booking by its reference, as cancelling needs it; null for anyone else's. */
async function findFamilyBooking(db: DB, familyId: number, reference: string): Promise<CancellableBooking | null> {
  if (!/^JN-[A-Z0-9]{5}$/.test(reference)) return null
  const booking = await db
    .selectFrom('booking')
    .select(['id', 'email', 'activity_id'])
    .where('reference', '=', reference)
    .where('family_id', '=', familyId)
    .executeTakeFirst()
  if (!booking) return null
  const [activity, places] = await Promise.all([
    db.selectFrom('activity').selectAll().where('id', '=', booking.activity_id).executeTakeFirstOrThrow(),
    db
      .selectFrom('place')
      .select(['id', 'first_name', 'status'])
      .where('booking_id', '=', booking.id)
      .orderBy('id')
      .execute(),
  ])
  return { booking: { id: booking.id, email: booking.email }, activity, places }
}

/** The check page before a signed-in family cancels one place (or the whole booking). Changes nothing. */
export async function checkFamilyCancellation(
  db: DB,
  familyId: number,
  reference: string,
  which: 'all' | number[],
  now: Date,
): Promise<CancelCheck> {
  return checkCancellationOf(await findFamilyBooking(db, familyId, reference), which, now)
}

/** A signed-in family cancels one child's place or the whole booking: the manage link's rules. */
export async function cancelFamilyPlaces(
  db: DB,
  familyId: number,
  reference: string,
  which: 'all' | number[],
  links: Links,
  now: Date,
): Promise<CancelResult> {
  return cancelPlacesOf(db, await findFamilyBooking(db, familyId, reference), which, links, now)
}

export type SupportNeedsResult = { status: 'saved'; firstName: string; places: number } | { status: 'not-found' }

/**
 * Changes a child's support needs on their row and on each of their places still to come that is
 * not cancelled (places already held keep what the team saw on the day). Null clears them.
 */
export async function changeSupportNeeds(
  db: DB,
  familyId: number,
  childId: number,
  supportNeeds: string | null,
  now: Date,
): Promise<SupportNeedsResult> {
  return transaction(db, async (trx) => {
    const stamp = now.toISOString()
    const child = await trx
      .updateTable('child')
      .set({ support_needs: supportNeeds, updated_at: stamp })
      .where('id', '=', childId)
      .where('family_id', '=', familyId)
      .returning(['id', 'first_name'])
      .executeTakeFirst()
    if (!child) return { status: 'not-found' as const }
    const updated = await trx
      .updateTable('place')
      .set({ support_needs: supportNeeds, updated_at: stamp })
      .where('child_id', '=', child.id)
      .where('status', '<>', 'cancelled')
      .where('booking_id', 'in', (eb) => eb.selectFrom('booking').select('id').where('family_id', '=', familyId))
      .where('activity_id', 'in', (eb) => eb.selectFrom('activity').select('id').where('starts_at', '>', stamp))
      .executeTakeFirst()
    return { status: 'saved' as const, firstName: child.first_name, places: Number(updated.numUpdatedRows) }
  })
}

/** Where a family's invites and feed events point: their bookings page (it needs them signed in). */
function bookingsPage(links: Links): string {
  return `${links.baseUrl}/family/bookings`
}

/**
 * The invite for one of the family's bookings, with the UID and SEQUENCE of the emailed invite so
 * it updates the same event; null unless it has a confirmed place with a joining link.
 */
export async function familyInvite(
  db: DB,
  familyId: number,
  reference: string,
  links: Links,
): Promise<{ filename: string; ics: string } | null> {
  if (!/^JN-[A-Z0-9]{5}$/.test(reference)) return null
  const family = await familyRow(db, familyId)
  const booking = await db
    .selectFrom('booking')
    .select(['id', 'reference', 'activity_id', 'invite_sequence'])
    .where('reference', '=', reference)
    .where('family_id', '=', familyId)
    .executeTakeFirst()
  if (!family || !booking) return null
  const [activity, places] = await Promise.all([
    db.selectFrom('activity').selectAll().where('id', '=', booking.activity_id).executeTakeFirstOrThrow(),
    db.selectFrom('place').select('status').where('booking_id', '=', booking.id).execute(),
  ])
  const joinUrl = familyJoinUrl(family, activity, places)
  if (!joinUrl) return null
  const ics = inviteCalendar(activity, {
    uid: `booking-${booking.reference}@${links.domain}`,
    sequence: booking.invite_sequence,
    joinUrl,
    pageUrl: bookingsPage(links),
    organiser: await inviteOrganiser(db, links),
  })
  return { filename: `${booking.reference}.ics`, ics }
}

/** Whether the family has a calendar link working now (its address is never kept, only its hash). */
export async function feedStatus(db: DB, familyId: number): Promise<{ active: boolean }> {
  const family = await familyRow(db, familyId)
  return { active: Boolean(family?.feed_token_hash) }
}

/** Makes the family a new calendar link, which stops any earlier one; returns its token, to show once. */
export async function newFeedToken(db: DB, familyId: number, now: Date): Promise<string> {
  const token = newSecretToken()
  await db
    .updateTable('family')
    .set({ feed_token_hash: hashToken(token), updated_at: now.toISOString() })
    .where('id', '=', familyId)
    .execute()
  return token
}

/** Stops the family's calendar link; stopping one already stopped is harmless. */
export async function stopFeed(db: DB, familyId: number, now: Date): Promise<void> {
  await db
    .updateTable('family')
    .set({ feed_token_hash: null, updated_at: now.toISOString() })
    .where('id', '=', familyId)
    .execute()
}

/**
 * The private feed behind a calendar link: the family's bookings with a confirmed place on
 * published sessions to come or ended in the last FEED_RECENT_DAYS, each with its joining link,
 * under its invite's UID. Null for a token that is not a family's current link.
 */
export async function familyFeed(
  db: DB,
  token: string,
  links: Links,
  options: { name: string; now: Date },
): Promise<string | null> {
  if (!token || token.length > 100) return null
  const family = await db
    .selectFrom('family')
    .select(['id', 'confirmed_at'])
    .where('feed_token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!family) return null
  const events: FeedEvent[] = []
  if (family.confirmed_at) {
    const since = new Date(options.now.getTime() - FEED_RECENT_DAYS * DAY_MS).toISOString()
    const rows = await db
      .selectFrom('booking')
      .innerJoin('activity', 'activity.id', 'booking.activity_id')
      .select([
        'booking.reference',
        'booking.invite_sequence',
        'activity.id',
        'activity.title',
        'activity.description',
        'activity.starts_at',
        'activity.ends_at',
        'activity.location_type',
        'activity.venue',
        'activity.status',
        'activity.sequence',
        'activity.join_url',
      ])
      .where('booking.family_id', '=', family.id)
      .where('activity.status', '=', 'published')
      .where('activity.ends_at', '>', since)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('place')
            .select('place.id')
            .whereRef('place.booking_id', '=', 'booking.id')
            .where('place.status', '=', 'confirmed'),
        ),
      )
      .orderBy('activity.starts_at')
      .orderBy('booking.id')
      .execute()
    for (const row of rows) {
      const joinUrl = familyJoinUrl(family, row, [{ status: 'confirmed' }])
      events.push({
        activity: row,
        uid: `booking-${row.reference}@${links.domain}`,
        sequence: row.invite_sequence,
        joinUrl,
        pageUrl: bookingsPage(links),
      })
    }
  }
  return privateFeed(events, { name: options.name })
}
