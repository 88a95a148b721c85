// Activities and series: creating, editing one session at a time, publishing, cancelling, and the
// queries behind the public list (which never select the joining link) and the staff dashboard.
import { sql, type ExpressionBuilder, type Transaction } from 'kysely'
import { lockActivities, transaction, type DB } from '../../db/index'
import type { Activity, ActivityStatus, Database } from '../../db/schema'
import { recordAudit } from './audit.server'
import { liveBookings, notifyActivityCancelled, notifyActivityChanged } from './booking-emails.server'
import { countTaken } from './bookings.server'
import type { Links } from './links'
import { defaultClose, type ActivityInput } from './activity-form'
import { spacesForNewBookings, spacesOnOffer } from './offered-spaces.server'
import { restampAgesOnDay } from './place-ages.server'
import { spacesLeft } from './spaces'
import { promoteFromWaitlist } from './waiting-list.server'
import {
  addDays,
  addMonths,
  londonDateOf,
  londonMonthKey,
  londonToInstant,
  startOfLondonDay,
} from '../time/london-time'

/** Columns safe to show anyone: everything except the private joining link. */
export const PUBLIC_ACTIVITY_COLUMNS = [
  'activity.id',
  'activity.kind',
  'activity.title',
  'activity.category',
  'activity.description',
  'activity.what_to_bring',
  'activity.starts_at',
  'activity.ends_at',
  'activity.capacity',
  'activity.min_age',
  'activity.max_age',
  'activity.location_type',
  'activity.venue',
  'activity.booking_opens_at',
  'activity.booking_closes_at',
  'activity.status',
  'activity.series_id',
  'activity.cancel_reason',
  'activity.sequence',
] as const

export type PublicActivity = Omit<Activity, 'join_url' | 'created_by' | 'created_at' | 'updated_at'>
export type PublicActivityWithSpaces = PublicActivity & { taken: number; spacesLeft: number }

/**
 * Places that take a space on each activity row (confirmed, and held for a family that has not yet
 * confirmed its address), as the column `taken`: spacesLeft() turns it into spaces left.
 */
export function takenPlaces(eb: ExpressionBuilder<Database, 'activity'>) {
  return eb
    .selectFrom('place')
    .select((e) => e.fn.countAll<number>().as('n'))
    .whereRef('place.activity_id', '=', 'activity.id')
    .where('place.status', 'in', ['confirmed', 'held'])
    .as('taken')
}

function waitlistedPlaces(eb: ExpressionBuilder<Database, 'activity'>) {
  return eb
    .selectFrom('place')
    .select((e) => e.fn.countAll<number>().as('n'))
    .whereRef('place.activity_id', '=', 'activity.id')
    .where('place.status', '=', 'waitlisted')
    .as('waitlisted')
}

/** Spaces left on a row; on the public pages (`on_offer` selected) none while an offer is open. */
function withSpaces<T extends { capacity: number; taken: number | string | null; on_offer?: number | string | null }>(
  row: T,
) {
  const taken = Number(row.taken ?? 0)
  return { ...row, taken, spacesLeft: spacesForNewBookings(spacesLeft(row.capacity, taken), row.on_offer) }
}

export interface SessionTimes {
  startsAt: Date
  endsAt: Date
  bookingOpensAt: Date | null
  bookingClosesAt: Date
}

/**
 * The sessions of a series: the same London wall-clock times on each date, so a weekly 10am stays
 * 10am across the clocks changing. The booking window keeps its distance from each start.
 */
export function seriesSessionTimes(input: ActivityInput): SessionTimes[] | { error: string } {
  const closeBefore = input.startsAt.getTime() - (input.bookingClosesAt ?? defaultClose(input.startsAt)).getTime()
  const openBefore = input.bookingOpensAt ? input.startsAt.getTime() - input.bookingOpensAt.getTime() : null
  const times: SessionTimes[] = []
  for (let i = 0; i < input.sessions; i++) {
    const date =
      input.repeat === 'weekly'
        ? addDays(input.date, 7 * i)
        : input.repeat === 'fortnightly'
          ? addDays(input.date, 14 * i)
          : input.repeat === 'monthly'
            ? addMonths(input.date, i)
            : input.date
    const startsAt = londonToInstant(date, input.startTime)
    const endsAt = londonToInstant(date, input.endTime)
    if (!startsAt || !endsAt) return { error: `The session on ${date} falls in the hour the clocks go forward` }
    times.push({
      startsAt,
      endsAt,
      bookingOpensAt: openBefore === null ? null : new Date(startsAt.getTime() - openBefore),
      bookingClosesAt: new Date(startsAt.getTime() - closeBefore),
    })
  }
  return times
}

export type CreateActivitiesResult =
  { status: 'created'; ids: number[]; seriesId: number | null } | { status: 'invalid'; error: string }

export async function createActivities(
  db: DB,
  input: ActivityInput,
  options: { publish: boolean; createdBy: number | null },
): Promise<CreateActivitiesResult> {
  const times = seriesSessionTimes(input)
  if ('error' in times) return { status: 'invalid', error: times.error }
  const now = new Date().toISOString()
  return db.transaction().execute(async (trx) => {
    let seriesId: number | null = null
    if (input.repeat !== 'none') {
      const series = await trx
        .insertInto('series')
        .values({ frequency: input.repeat, sessions: input.sessions, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
      seriesId = series.id
    }
    const rows = await trx
      .insertInto('activity')
      .values(
        times.map((t) => ({
          kind: input.kind,
          title: input.title,
          category: input.category,
          description: input.description,
          what_to_bring: input.whatToBring,
          starts_at: t.startsAt.toISOString(),
          ends_at: t.endsAt.toISOString(),
          capacity: input.capacity,
          min_age: input.minAge,
          max_age: input.maxAge,
          location_type: input.locationType,
          join_url: input.joinUrl,
          venue: input.venue,
          booking_opens_at: t.bookingOpensAt?.toISOString() ?? null,
          booking_closes_at: t.bookingClosesAt.toISOString(),
          status: (options.publish ? 'published' : 'draft') as ActivityStatus,
          series_id: seriesId,
          cancel_reason: null,
          created_by: options.createdBy,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning('id')
      .execute()
    const ids = rows.map((r) => r.id)
    await recordAudit(trx, {
      actorUserId: options.createdBy,
      action: options.publish ? 'activity.created-and-published' : 'activity.created',
      subjectType: 'activity',
      subjectId: ids.join(','),
      detail: { title: input.title, sessions: ids.length },
    })
    return { status: 'created' as const, ids, seriesId }
  })
}

export type UpdateActivityResult =
  | { status: 'updated'; timeChanged: boolean; placeChanged: boolean; told: number; promoted: number }
  | { status: 'not-found' }
  | { status: 'cancelled' }
  | { status: 'capacity-below-booked'; confirmed: number }
  /** an activity with places cannot become an Adoptables meeting, nor the other way round */
  | { status: 'kind-has-bookings' }

/** Edits one session. Changes of time or joining place raise the calendar SEQUENCE. */
export async function updateActivity(
  db: DB,
  id: number,
  input: ActivityInput,
  actorUserId: number,
  links: Links,
): Promise<UpdateActivityResult> {
  return transaction(db, async (trx) => {
    // Spaces checked against the confirmed places, and more spaces promoted into: the row lock first.
    await lockActivities(trx, [id])
    const previous = await trx.selectFrom('activity').selectAll().where('id', '=', id).executeTakeFirst()
    if (!previous) return { status: 'not-found' as const }
    if (previous.status === 'cancelled') return { status: 'cancelled' as const }
    const confirmed = await countTaken(trx, id)
    if (input.capacity < confirmed) return { status: 'capacity-below-booked' as const, confirmed }
    if (input.kind !== previous.kind) {
      // Families book activities and young people join Adoptables meetings: places of one kind on
      // the other would be the wrong people's, in the wrong part of the report.
      const booked = await trx
        .selectFrom('place')
        .select('id')
        .where('activity_id', '=', id)
        .where('status', '<>', 'cancelled')
        .limit(1)
        .executeTakeFirst()
      if (booked) return { status: 'kind-has-bookings' as const }
    }
    const startsAt = input.startsAt.toISOString()
    const endsAt = input.endsAt.toISOString()
    const timeChanged = startsAt !== previous.starts_at || endsAt !== previous.ends_at
    const placeChanged =
      input.locationType !== previous.location_type ||
      input.joinUrl !== previous.join_url ||
      input.venue !== previous.venue
    await trx
      .updateTable('activity')
      .set({
        kind: input.kind,
        title: input.title,
        category: input.category,
        description: input.description,
        what_to_bring: input.whatToBring,
        starts_at: startsAt,
        ends_at: endsAt,
        capacity: input.capacity,
        min_age: input.minAge,
        max_age: input.maxAge,
        location_type: input.locationType,
        join_url: input.joinUrl,
        venue: input.venue,
        booking_opens_at: input.bookingOpensAt?.toISOString() ?? null,
        booking_closes_at: (input.bookingClosesAt ?? defaultClose(input.startsAt)).toISOString(),
        sequence:
          timeChanged || placeChanged || input.title !== previous.title ? sql<number>`sequence + 1` : previous.sequence,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .execute()
    // Moved to another day: each child's age on the day (and school year) is that day's.
    if (londonDateOf(startsAt) !== londonDateOf(previous.starts_at)) await restampAgesOnDay(trx, id, startsAt)
    await recordAudit(trx, {
      actorUserId,
      action: 'activity.updated',
      subjectType: 'activity',
      subjectId: id,
      detail: { timeChanged, placeChanged },
    })
    // Everyone booked hears about a new time or joining place, with an updated invite.
    const told = timeChanged || placeChanged ? await notifyActivityChanged(trx, id, links) : 0
    // More spaces go straight to the waiting list, in order.
    const promoted = input.capacity > previous.capacity ? await promoteFromWaitlist(trx, id, links) : 0
    return { status: 'updated' as const, timeChanged, placeChanged, told, promoted }
  })
}

export type StatusChange = 'publish' | 'unpublish' | 'cancel'
export type StatusChangeResult =
  | { status: 'changed'; activity: Activity; /** families emailed (cancelling) */ told: number }
  | { status: 'not-found' }
  | { status: 'not-allowed'; current: ActivityStatus }
  /** unpublishing a session with places booked or waiting: it would vanish for families who hold them */
  | { status: 'has-bookings'; places: number }

const ALLOWED: Record<StatusChange, ActivityStatus[]> = {
  publish: ['draft'],
  unpublish: ['published'],
  cancel: ['draft', 'published'],
}

export async function changeActivityStatus(
  db: DB,
  id: number,
  change: StatusChange,
  actorUserId: number,
  links: Links,
  reason?: string,
): Promise<StatusChangeResult> {
  return transaction(db, async (trx) => {
    // Publishing, unpublishing or cancelling decides whether bookings may go ahead: the row lock first.
    await lockActivities(trx, [id])
    if (change === 'unpublish') {
      // Families with a place keep a joining link and an invite; taking the page down would tell
      // them nothing and drop their places from the report. Cancelling tells everyone booked.
      const live = await trx
        .selectFrom('place')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('activity_id', '=', id)
        .where('status', '<>', 'cancelled')
        .executeTakeFirstOrThrow()
      if (Number(live.n) > 0) return { status: 'has-bookings' as const, places: Number(live.n) }
    }
    const changed = await applyStatusChange(trx, id, change, actorUserId, reason)
    if (changed.status !== 'changed') return changed
    const told = change === 'cancel' ? await notifyActivityCancelled(trx, id, links) : 0
    const activity = await trx.selectFrom('activity').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    return { status: 'changed' as const, activity, told }
  })
}

/**
 * The status change itself, with its audit entry, in the caller's transaction (which holds the
 * session's lock); telling families is the caller's (one email per family for a whole series).
 */
export async function applyStatusChange(
  trx: Transaction<Database>,
  id: number,
  change: StatusChange,
  actorUserId: number,
  reason?: string,
): Promise<{ status: 'changed' } | { status: 'not-found' } | { status: 'not-allowed'; current: ActivityStatus }> {
  const current = await trx.selectFrom('activity').select(['id', 'status']).where('id', '=', id).executeTakeFirst()
  if (!current) return { status: 'not-found' as const }
  if (!ALLOWED[change].includes(current.status)) return { status: 'not-allowed' as const, current: current.status }
  const next: ActivityStatus = change === 'publish' ? 'published' : change === 'unpublish' ? 'draft' : 'cancelled'
  await trx
    .updateTable('activity')
    .set({
      status: next,
      cancel_reason: change === 'cancel' ? (reason ?? null) : null,
      sequence: change === 'cancel' ? sql<number>`sequence + 1` : sql<number>`sequence`,
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .execute()
  await recordAudit(trx, {
    actorUserId,
    action: `activity.${change}`,
    subjectType: 'activity',
    subjectId: id,
    detail: reason ? { reason } : undefined,
  })
  return { status: 'changed' as const }
}

export type SessionCancellationCheck =
  | { status: 'check'; title: string; startsAt: string; endsAt: string; families: number }
  | { status: 'already-cancelled'; title: string; startsAt: string }
  | { status: 'not-found' }

/**
 * The check page before staff cancel a session: how many families will be emailed (everyone
 * with a place or on the waiting list, as notifyActivityCancelled tells them). Changes nothing.
 */
export async function checkSessionCancellation(db: DB, id: number): Promise<SessionCancellationCheck> {
  return db.transaction().execute(async (trx) => {
    const activity = await trx
      .selectFrom('activity')
      .select(['title', 'starts_at', 'ends_at', 'status'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!activity) return { status: 'not-found' as const }
    if (activity.status === 'cancelled') {
      return { status: 'already-cancelled' as const, title: activity.title, startsAt: activity.starts_at }
    }
    const families = (await liveBookings(trx, id)).length
    return {
      status: 'check' as const,
      title: activity.title,
      startsAt: activity.starts_at,
      endsAt: activity.ends_at,
      families,
    }
  })
}

export interface PublicFilters {
  kind?: 'activity' | 'adoptables'
  /** "2026-03" */
  month?: string
  age?: number
  category?: string
}

function monthRange(month: string): { from: string; to: string } {
  const first = `${month}-01`
  return { from: startOfLondonDay(first).toISOString(), to: startOfLondonDay(addMonths(first, 1)).toISOString() }
}

/** Upcoming published sessions for the public pages, soonest first, with spaces left. */
export async function listPublicActivities(
  db: DB,
  filters: PublicFilters,
  now = new Date(),
): Promise<PublicActivityWithSpaces[]> {
  let query = db
    .selectFrom('activity')
    .select(PUBLIC_ACTIVITY_COLUMNS)
    .select((eb) => takenPlaces(eb))
    .select((eb) => spacesOnOffer(eb))
    .where('activity.status', '=', 'published')
    .where('activity.starts_at', '>', now.toISOString())
  if (filters.kind) query = query.where('activity.kind', '=', filters.kind)
  if (filters.category) query = query.where('activity.category', '=', filters.category)
  if (filters.age !== undefined) {
    query = query.where('activity.min_age', '<=', filters.age).where('activity.max_age', '>=', filters.age)
  }
  if (filters.month) {
    const { from, to } = monthRange(filters.month)
    query = query.where('activity.starts_at', '>=', from).where('activity.starts_at', '<', to)
  }
  const rows = await query.orderBy('activity.starts_at').orderBy('activity.id').limit(500).execute()
  return rows.map(withSpaces)
}

/** One published (or cancelled, so old links explain themselves) session, without its joining link. */
export async function getPublicActivity(db: DB, id: number): Promise<PublicActivityWithSpaces | null> {
  const row = await db
    .selectFrom('activity')
    .select(PUBLIC_ACTIVITY_COLUMNS)
    .select((eb) => takenPlaces(eb))
    .select((eb) => spacesOnOffer(eb))
    .where('activity.id', '=', id)
    .where('activity.status', 'in', ['published', 'cancelled'])
    .executeTakeFirst()
  return row ? withSpaces(row) : null
}

/** Published sessions for the public calendar feed: from a month ago, without joining links. */
export async function listFeedActivities(db: DB, now = new Date()): Promise<PublicActivity[]> {
  return db
    .selectFrom('activity')
    .select(PUBLIC_ACTIVITY_COLUMNS)
    .where('activity.status', 'in', ['published', 'cancelled'])
    .where('activity.starts_at', '>', new Date(now.getTime() - 31 * 86_400_000).toISOString())
    .orderBy('activity.starts_at')
    .limit(2000)
    .execute()
}

/** The months (London) that have upcoming published sessions, for the month filter. */
export async function upcomingMonths(db: DB, now = new Date()): Promise<string[]> {
  const rows = await db
    .selectFrom('activity')
    .select('starts_at')
    .where('status', '=', 'published')
    .where('starts_at', '>', now.toISOString())
    .orderBy('starts_at')
    .limit(2000)
    .execute()
  const months = new Set<string>()
  for (const r of rows) months.add(londonMonthKey(r.starts_at))
  return [...months]
}

export type StaffActivityRow = Activity & { taken: number; spacesLeft: number; waitlisted: number }

/** Staff dashboard: sessions from today on, every status, with spaces left and waiting list. */
export async function listStaffSessions(
  db: DB,
  options: { from: Date; kind?: 'activity' | 'adoptables'; limit?: number },
): Promise<StaffActivityRow[]> {
  let query = db
    .selectFrom('activity')
    .selectAll('activity')
    .select((eb) => takenPlaces(eb))
    .select((eb) => waitlistedPlaces(eb))
    .where('activity.ends_at', '>', options.from.toISOString())
  if (options.kind) query = query.where('activity.kind', '=', options.kind)
  const rows = await query
    .orderBy('activity.starts_at')
    .orderBy('activity.id')
    .limit(options.limit ?? 200)
    .execute()
  return rows.map((r) => ({ ...withSpaces(r), waitlisted: Number(r.waitlisted ?? 0) }))
}

export async function getActivityForStaff(db: DB, id: number): Promise<StaffActivityRow | null> {
  const row = await db
    .selectFrom('activity')
    .selectAll('activity')
    .select((eb) => takenPlaces(eb))
    .select((eb) => waitlistedPlaces(eb))
    .where('activity.id', '=', id)
    .executeTakeFirst()
  return row ? { ...withSpaces(row), waitlisted: Number(row.waitlisted ?? 0) } : null
}

/**
 * Moves one session to new times (a series moved as a whole), in the caller's transaction, which
 * holds its lock: the booking window keeps its distance from the start, the calendar SEQUENCE
 * rises, and the change is audited like an edit. Telling families is the caller's.
 */
export async function rescheduleSession(
  trx: Transaction<Database>,
  id: number,
  times: { startsAt: Date; endsAt: Date },
  actorUserId: number,
): Promise<Activity | null> {
  const previous = await trx.selectFrom('activity').selectAll().where('id', '=', id).executeTakeFirst()
  if (!previous || previous.status === 'cancelled') return null
  const shift = times.startsAt.getTime() - new Date(previous.starts_at).getTime()
  const moved = (instant: string | null) =>
    instant ? new Date(new Date(instant).getTime() + shift).toISOString() : null
  const startsAt = times.startsAt.toISOString()
  const endsAt = times.endsAt.toISOString()
  if (startsAt === previous.starts_at && endsAt === previous.ends_at) return previous
  const activity = await trx
    .updateTable('activity')
    .set({
      starts_at: startsAt,
      ends_at: endsAt,
      booking_opens_at: moved(previous.booking_opens_at),
      booking_closes_at: moved(previous.booking_closes_at)!,
      sequence: sql<number>`sequence + 1`,
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  if (londonDateOf(startsAt) !== londonDateOf(previous.starts_at)) await restampAgesOnDay(trx, id, startsAt)
  await recordAudit(trx, {
    actorUserId,
    action: 'activity.updated',
    subjectType: 'activity',
    subjectId: id,
    detail: { timeChanged: true, placeChanged: false, series: previous.series_id },
  })
  return activity
}
