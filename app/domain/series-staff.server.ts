// A series for staff as a whole: its sessions with the bookings on each (an audited view of
// personal data), and the two changes made to every remaining session at once — cancelling them,
// or moving them to a new time of day. Each change runs in one transaction holding every
// session's lock, through the single-session parts in activities.server.ts, and tells each family
// ONCE: one email listing its dates, with one invite whose events keep each booking's UID and
// carry its raised SEQUENCE.
import type { Transaction } from 'kysely'
import { lockActivities, transaction, type DB } from '../../db/index'
import type { Activity, Booking, Database, Place, Role } from '../../db/schema'
import { can } from '../auth/permissions'
import { inviteCalendarForMany, type InviteEvent } from '../calendar/ics.server'
import { enqueueEmail } from '../email/outbox.server'
import { seriesChangedEmail, type SeriesEmailDate } from '../email/series-templates.server'
import { londonDateOf, londonToInstant } from '../time/london-time'
import { applyStatusChange, getActivityForStaff, rescheduleSession, type StaffActivityRow } from './activities.server'
import { recordAudit, type StaffActor } from './audit.server'
import { liveBookings, nextInviteSequence } from './booking-emails.server'
import { manageUrl, type Links } from './links'
import { joinNames } from './names'
import { newManageToken } from './series-bookings.server'
import { emailOrganisation } from './settings.server'

export interface SeriesBookingRow {
  reference: string
  familyId: number | null
  contactName: string | null
  places: Array<{ firstName: string; status: Place['status'] }>
}

export interface StaffSeriesSession extends StaffActivityRow {
  bookings: SeriesBookingRow[]
}

/** The series page for staff: every session, and for those who may see bookings, who booked each. Null when there is none. */
export async function staffSeriesPage(
  db: DB,
  seriesId: number | null,
  actor: StaffActor & { role: Role },
  now = new Date(),
) {
  if (!seriesId) return null
  const ids = await db
    .selectFrom('activity')
    .select('id')
    .where('series_id', '=', seriesId)
    .orderBy('starts_at')
    .orderBy('id')
    .execute()
  if (ids.length === 0) return null
  const rows = (await Promise.all(ids.map((r) => getActivityForStaff(db, r.id)))).filter(
    (r): r is StaffActivityRow => r !== null,
  )
  const canSeeBookings = can(actor.role, 'bookings:read')
  const places = canSeeBookings
    ? await db
        .selectFrom('place')
        .innerJoin('booking', 'booking.id', 'place.booking_id')
        .select([
          'place.activity_id',
          'place.first_name',
          'place.status',
          'booking.reference',
          'booking.family_id',
          'booking.contact_name',
        ])
        .where(
          'place.activity_id',
          'in',
          rows.map((r) => r.id),
        )
        .where('place.status', '<>', 'cancelled')
        .orderBy('place.id')
        .execute()
    : []
  if (places.length) {
    await recordAudit(db, {
      actorUserId: actor.id,
      action: 'series.bookings-viewed',
      subjectType: 'series',
      subjectId: seriesId,
      ip: actor.ip,
    })
  }
  const sessions: StaffSeriesSession[] = rows.map((row) => {
    const bookings = new Map<string, SeriesBookingRow>()
    for (const p of places.filter((x) => x.activity_id === row.id)) {
      let booking = bookings.get(p.reference)
      if (!booking) {
        booking = { reference: p.reference, familyId: p.family_id, contactName: p.contact_name, places: [] }
        bookings.set(p.reference, booking)
      }
      booking.places.push({ firstName: p.first_name ?? '', status: p.status })
    }
    return { ...row, bookings: [...bookings.values()] }
  })
  const remaining = sessions.filter((s) => s.status !== 'cancelled' && s.starts_at > now.toISOString())
  return {
    seriesId,
    title: (remaining[0] ?? sessions[0]!).title,
    sessions,
    remaining: remaining.map((s) => s.id),
    canSeeBookings,
    canWrite: can(actor.role, 'activities:write'),
  }
}

/** The remaining sessions of a series (to come, not cancelled), locked, in the caller's transaction. */
async function lockRemaining(trx: Transaction<Database>, seriesId: number, now: Date): Promise<Activity[]> {
  const ids = await trx
    .selectFrom('activity')
    .select('id')
    .where('series_id', '=', seriesId)
    .where('status', '<>', 'cancelled')
    .where('starts_at', '>', now.toISOString())
    .execute()
  await lockActivities(
    trx,
    ids.map((r) => r.id),
  )
  // read again under the locks: what a concurrent change left
  return trx
    .selectFrom('activity')
    .selectAll()
    .where('series_id', '=', seriesId)
    .where('status', '<>', 'cancelled')
    .where('starts_at', '>', now.toISOString())
    .orderBy('starts_at')
    .execute()
}

/** Everyone to tell about a change to these sessions, a family once: whoever has a live place (or waits) on any of them. */
async function familiesOf(
  trx: Transaction<Database>,
  activities: Activity[],
): Promise<Map<string, Array<{ activity: Activity; booking: Booking; places: Place[] }>>> {
  const families = new Map<string, Array<{ activity: Activity; booking: Booking; places: Place[] }>>()
  for (const activity of activities) {
    for (const { booking, places } of await liveBookings(trx, activity.id)) {
      if (!booking.email) continue
      const key = booking.family_id !== null ? `family:${booking.family_id}` : `email:${booking.email.toLowerCase()}`
      const list = families.get(key) ?? []
      list.push({ activity, booking, places })
      families.set(key, list)
    }
  }
  return families
}

export type SeriesChangeCheck =
  | {
      status: 'check'
      title: string
      sessions: Array<Pick<Activity, 'id' | 'starts_at' | 'ends_at'>>
      /** families who will get one email each */
      families: number
    }
  | { status: 'nothing-remaining'; title: string }
  | { status: 'not-found' }

/** The check page before staff cancel or move the remaining sessions: which, and how many families hear. Changes nothing. */
export async function checkSeriesChange(db: DB, seriesId: number | null, now = new Date()): Promise<SeriesChangeCheck> {
  if (!seriesId) return { status: 'not-found' }
  return db.transaction().execute(async (trx) => {
    const any = await trx.selectFrom('activity').select('title').where('series_id', '=', seriesId).executeTakeFirst()
    if (!any) return { status: 'not-found' as const }
    const remaining = await trx
      .selectFrom('activity')
      .selectAll()
      .where('series_id', '=', seriesId)
      .where('status', '<>', 'cancelled')
      .where('starts_at', '>', now.toISOString())
      .orderBy('starts_at')
      .execute()
    if (remaining.length === 0) return { status: 'nothing-remaining' as const, title: any.title }
    const families = await familiesOf(trx, remaining)
    return {
      status: 'check' as const,
      title: remaining[0]!.title,
      sessions: remaining.map((a) => ({ id: a.id, starts_at: a.starts_at, ends_at: a.ends_at })),
      families: families.size,
    }
  })
}

export type SeriesChangeResult =
  | { status: 'done'; sessions: number; families: number }
  | { status: 'nothing-remaining' }
  | { status: 'not-found' }
  | { status: 'invalid-time'; error: string }

/** "Ava and Leo had places." for the email about a date. */
function placeSentences(places: Place[], tense: 'had' | 'have'): string[] {
  const named = (status: Place['status']) => places.filter((p) => p.status === status).map((p) => p.first_name ?? '')
  const out: string[] = []
  const given = [...named('confirmed'), ...named('held')]
  const waiting = named('waitlisted')
  if (given.length) {
    out.push(
      tense === 'had'
        ? `${joinNames(given)} ${given.length > 1 ? 'had places' : 'had a place'}.`
        : `${joinNames(given)} ${given.length > 1 ? 'have places' : 'has a place'}.`,
    )
  }
  if (waiting.length) {
    const verb = tense === 'had' ? (waiting.length > 1 ? 'were' : 'was') : waiting.length > 1 ? 'are' : 'is'
    out.push(`${joinNames(waiting)} ${verb} on the waiting list.`)
  }

  return out
}

/** One email per family about the series' change, with one invite of the dates it had places on. */
async function tellFamilies(
  trx: Transaction<Database>,
  kind: 'series-cancelled' | 'series-moved',
  seriesId: number,
  activities: Activity[],
  links: Links,
  reason: string | null,
): Promise<number> {
  const families = await familiesOf(trx, activities)
  const organisation = await emailOrganisation(trx as unknown as DB, links)
  const organiser = { name: organisation.organisationName, email: organisation.contactEmail }
  for (const [key, entries] of families) {
    const dates: SeriesEmailDate[] = []
    const events: InviteEvent[] = []
    for (const entry of entries) {
      const confirmed = entry.places.some((p) => p.status === 'confirmed')
      // every booking's invite moves on, so a calendar takes this one over the last
      const booking = await nextInviteSequence(trx, entry.booking)
      const token = await newManageToken(trx, booking.id)
      const pageUrl = manageUrl(links, booking.reference, token)
      dates.push({
        startsAt: entry.activity.starts_at,
        endsAt: entry.activity.ends_at,
        outcomes: placeSentences(entry.places, kind === 'series-cancelled' ? 'had' : 'have'),
        joinUrl: kind === 'series-moved' && confirmed ? entry.activity.join_url : null,
        manageUrl: kind === 'series-moved' ? pageUrl : null,
      })
      if (confirmed) {
        events.push({
          activity: entry.activity,
          uid: `booking-${booking.reference}@${links.domain}`,
          sequence: booking.invite_sequence,
          joinUrl: kind === 'series-moved' ? entry.activity.join_url : null,
          pageUrl,
          organiser,
        })
      }
    }
    const first = entries[0]!
    const content = seriesChangedEmail(kind, {
      contactName: first.booking.contact_name ?? '',
      title: first.activity.title,
      dates,
      reason,
      bookingsUrl: `${links.baseUrl}/family/bookings`,
      organisation,
    })
    const method = kind === 'series-cancelled' ? 'CANCEL' : 'REQUEST'
    await enqueueEmail(
      trx,
      {
        kind,
        to: first.booking.email!,
        subject: content.subject,
        text: content.text,
        html: content.html,
        ics: events.length ? { content: inviteCalendarForMany(events, method), method } : undefined,
        bookingId: first.booking.id,
        activityId: first.activity.id,
        dedupeKey: `${kind}:series:${seriesId}:${key}:${activities.map((a) => `${a.id}.${a.sequence}`).join('-')}`,
      },
      { domain: links.domain },
    )
  }
  return families.size
}

/** Cancels every remaining session of the series; each family with a place or on a waiting list is told once. */
export async function cancelRemainingSessions(
  db: DB,
  seriesId: number | null,
  actor: StaffActor,
  links: Links,
  options: { reason?: string | null; now?: Date } = {},
): Promise<SeriesChangeResult> {
  if (!seriesId) return { status: 'not-found' }
  const now = options.now ?? new Date()
  return transaction(db, async (trx) => {
    const exists = await trx.selectFrom('activity').select('id').where('series_id', '=', seriesId).executeTakeFirst()
    if (!exists) return { status: 'not-found' as const }
    const remaining = await lockRemaining(trx, seriesId, now)
    if (remaining.length === 0) return { status: 'nothing-remaining' as const }
    for (const activity of remaining) {
      await applyStatusChange(trx, activity.id, 'cancel', actor.id, options.reason ?? undefined)
    }
    const cancelled = await trx
      .selectFrom('activity')
      .selectAll()
      .where(
        'id',
        'in',
        remaining.map((a) => a.id),
      )
      .orderBy('starts_at')
      .execute()
    const families = await tellFamilies(trx, 'series-cancelled', seriesId, cancelled, links, options.reason ?? null)
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'series.cancel-remaining',
      subjectType: 'series',
      subjectId: seriesId,
      detail: { sessions: remaining.length, families, reason: options.reason ?? undefined },
      ip: actor.ip,
    })
    return { status: 'done' as const, sessions: remaining.length, families }
  })
}

/**
 * Moves every remaining session of the series to a new time of day (London wall-clock, on each
 * session's own date, so the clocks changing do not shift it); each family is told once.
 */
export async function moveRemainingSessions(
  db: DB,
  seriesId: number | null,
  times: { startTime: string; endTime: string },
  actor: StaffActor,
  links: Links,
  now = new Date(),
): Promise<SeriesChangeResult> {
  if (!seriesId) return { status: 'not-found' }
  return transaction(db, async (trx) => {
    const exists = await trx.selectFrom('activity').select('id').where('series_id', '=', seriesId).executeTakeFirst()
    if (!exists) return { status: 'not-found' as const }
    const remaining = await lockRemaining(trx, seriesId, now)
    if (remaining.length === 0) return { status: 'nothing-remaining' as const }
    const planned: Array<{ activity: Activity; startsAt: Date; endsAt: Date }> = []
    for (const activity of remaining) {
      const date = londonDateOf(activity.starts_at)
      const startsAt = londonToInstant(date, times.startTime)
      const endsAt = londonToInstant(date, times.endTime)
      if (!startsAt || !endsAt) {
        return {
          status: 'invalid-time' as const,
          error: `The session on ${date} would fall in the hour the clocks go forward`,
        }
      }
      if (startsAt.getTime() <= now.getTime()) {
        return {
          status: 'invalid-time' as const,
          error: 'The new time must be later than now for every remaining session',
        }
      }
      planned.push({ activity, startsAt, endsAt })
    }
    const moved: Activity[] = []
    for (const p of planned) {
      const activity = await rescheduleSession(trx, p.activity.id, { startsAt: p.startsAt, endsAt: p.endsAt }, actor.id)
      if (activity) moved.push(activity)
    }
    const families = await tellFamilies(trx, 'series-moved', seriesId, moved, links, null)
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'series.move-remaining',
      subjectType: 'series',
      subjectId: seriesId,
      detail: { sessions: moved.length, families, startTime: times.startTime, endTime: times.endTime },
      ip: actor.ip,
    })
    return { status: 'done' as const, sessions: moved.length, families }
  })
}
