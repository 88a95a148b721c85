// New families' first bookings waiting for staff (the admin setting approve_new_families): the
// queue, and Approve or Decline with a reason. The booking code holds the places ('held', counting
// against capacity, no joining link) with booking.hold_reason 'approval'; each decision is one
// transaction that locks the session first, and a booking no longer waiting is "already decided".
import type { Transaction } from 'kysely'
import { lockActivities, transaction, type DB } from '../../db/index'
import type { Activity, Booking, Database } from '../../db/schema'
import { familyDeclinedEmail } from '../email/approval-templates.server'
import { enqueueEmail } from '../email/outbox.server'
import { recordAudit, type StaffActor } from './audit.server'
import { queueBookingEmail } from './booking-emails.server'
import { liftHold } from './holds.server'
import type { Links } from './links'
import { queueSeriesConfirmation } from './series-bookings.server'
import { seriesGroupOf } from './series-group.server'
import { emailOrganisation } from './settings.server'
import { tellPromotedFamilies } from './promotion-notices.server'
import { promoteFromWaitlist, type Promotion } from './waiting-list.server'

export interface ApprovalRow {
  bookingId: number
  reference: string
  familyId: number | null
  contactName: string | null
  authorityName: string
  activityId: number
  title: string
  startsAt: string
  endsAt: string
  bookedAt: string
  children: Array<{ firstName: string | null; ageOnDay: number }>
  /**
   * A series booked in one step is decided as one: every date of it, soonest first (the row's own
   * fields are its first date's). One entry for a booking made on its own.
   */
  dates: Array<{
    bookingId: number
    reference: string
    activityId: number
    startsAt: string
    endsAt: string
    children: Array<{ firstName: string | null; ageOnDay: number }>
  }>
}

/** How many bookings wait for approval: the staff dashboard's link says so. */
export async function countAwaitingApproval(db: DB): Promise<number> {
  const row = await db
    .selectFrom('booking')
    .innerJoin('activity', 'activity.id', 'booking.activity_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('booking.hold_reason', '=', 'approval')
    .where('activity.status', '<>', 'cancelled')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('place')
          .select('place.id')
          .whereRef('place.booking_id', '=', 'booking.id')
          .where('place.status', '=', 'held'),
      ),
    )
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * The queue, oldest booking first: who the family is, their council, the session and the children
 * with their ages. Names of families and children, so a view with anyone in it is audited.
 */
export async function viewApprovalQueue(db: DB, actor: StaffActor): Promise<ApprovalRow[]> {
  const rows = await db
    .selectFrom('booking')
    .innerJoin('activity', 'activity.id', 'booking.activity_id')
    .innerJoin('authority', 'authority.code', 'booking.authority_code')
    .leftJoin('family', 'family.id', 'booking.family_id')
    .select([
      'booking.id',
      'booking.reference',
      'booking.family_id',
      'booking.contact_name',
      'booking.created_at',
      'family.contact_name as familyName',
      'authority.name as authorityName',
      'activity.id as activityId',
      'activity.title',
      'activity.starts_at',
      'activity.ends_at',
    ])
    .where('booking.hold_reason', '=', 'approval')
    // a cancelled session's families have been told; there is nothing left to decide
    .where('activity.status', '<>', 'cancelled')
    .orderBy('booking.created_at')
    .orderBy('booking.id')
    .execute()
  const places = rows.length
    ? await db
        .selectFrom('place')
        .select(['booking_id', 'first_name', 'age_on_day'])
        .where(
          'booking_id',
          'in',
          rows.map((r) => r.id),
        )
        .where('status', '=', 'held')
        .orderBy('id')
        .execute()
    : []
  const single = rows
    .map((r) => ({
      bookingId: r.id,
      reference: r.reference,
      familyId: r.family_id,
      contactName: r.familyName ?? r.contact_name,
      authorityName: r.authorityName,
      activityId: r.activityId,
      title: r.title,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      bookedAt: r.created_at,
      children: places
        .filter((p) => p.booking_id === r.id)
        .map((p) => ({ firstName: p.first_name, ageOnDay: p.age_on_day })),
    }))
    // a booking whose hold was released (expired, or the session cancelled) has nothing to decide
    .filter((r) => r.children.length > 0)
  // The dates of one series booking become one row, under its first date.
  const byGroup = new Map<number, ApprovalRow>()
  for (const row of single) {
    const group = await seriesGroupOf(db, row.bookingId)
    const key = Math.min(row.bookingId, ...group)
    const date = {
      bookingId: row.bookingId,
      reference: row.reference,
      activityId: row.activityId,
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      children: row.children,
    }
    const seen = byGroup.get(key)
    if (seen) seen.dates.push(date)
    else byGroup.set(key, { ...row, dates: [date] })
  }
  const queue = [...byGroup.values()].map((row) => {
    const dates = [...row.dates].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.bookingId - b.bookingId)
    const first = dates[0]!
    return { ...row, ...first, dates }
  })
  if (queue.length) {
    await recordAudit(db, {
      actorUserId: actor.id,
      action: 'approvals.viewed',
      subjectType: 'booking',
      detail: { shown: queue.length },
      ip: actor.ip,
    })
  }
  return queue
}

export type DecisionResult =
  | { status: 'approved' | 'declined'; reference: string; contactName: string | null }
  /** not waiting for approval (any more): decided already, released, or no such booking */
  | { status: 'already-decided' }
  | { status: 'session-cancelled' }

/** Approves a new family's booking: its held places confirmed, the family approved and emailed the joining link. */
export async function approveBooking(
  db: DB,
  bookingId: number,
  actor: StaffActor,
  links: Links,
): Promise<DecisionResult> {
  return decide(db, bookingId, actor, links, { decision: 'approve' })
}

/** Declines a new family's booking with staff's reason: its held places released to the waiting list, the family told why. */
export async function declineBooking(
  db: DB,
  bookingId: number,
  reason: string,
  actor: StaffActor,
  links: Links,
): Promise<DecisionResult> {
  return decide(db, bookingId, actor, links, { decision: 'decline', reason })
}

type Decision = { decision: 'approve' } | { decision: 'decline'; reason: string }

/**
 * Decides a booking and, for a series booked in one step, every other date of it still waiting:
 * one transaction with every session locked first, and the family told once.
 */
async function decide(
  db: DB,
  bookingId: number,
  actor: StaffActor,
  links: Links,
  what: Decision,
): Promise<DecisionResult> {
  const group = await seriesGroupOf(db, bookingId)
  // A booking's session never changes, so it can be read before the lock.
  const targets = group.length
    ? await db.selectFrom('booking').select(['id', 'activity_id']).where('id', 'in', group).orderBy('id').execute()
    : []
  if (targets.length === 0) return { status: 'already-decided' }
  const alone = targets.length === 1
  return transaction(db, async (trx) => {
    await lockActivities(
      trx,
      targets.map((t) => t.activity_id),
    )
    const decided: Decided[] = []
    let sessionCancelled = false
    // Spaces a decision frees (a decline) or leaves (a lifted hold) go to the waiting lists; a
    // family promoted on several dates is told once, after the loop.
    const promotions: Promotion[] = []
    for (const target of targets) {
      const one = await decideOne(trx, target.id, actor, links, what, alone, promotions)
      if ('booking' in one) decided.push(one)
      else if (one.status === 'session-cancelled') sessionCancelled = true
    }
    if (decided.length === 0) return { status: sessionCancelled ? 'session-cancelled' : 'already-decided' }
    const first = [...decided].sort((a, b) => a.activity.starts_at.localeCompare(b.activity.starts_at))[0]!
    if (!alone) {
      if (what.decision === 'approve') {
        await queueSeriesConfirmation(
          trx,
          decided.map((d) => d.booking.id),
          links,
        )
      } else {
        await emailDeclined(trx, decided, what.reason, links)
      }
    }
    // The series email lists an approved family's places as they now stand, promoted ones too;
    // any other family promoted on several dates is told once.
    const decidedFamilies = new Set(decided.map((d) => d.booking.family_id))
    await tellPromotedFamilies(
      trx,
      what.decision === 'approve' && !alone
        ? promotions.filter((p) => {
            const familyId = p.promoted[0]?.familyId ?? null
            return familyId === null || !decidedFamilies.has(familyId)
          })
        : promotions,
      links,
    )
    return { status: first.status, reference: first.booking.reference, contactName: first.booking.contact_name }
  })
}

interface Decided {
  status: 'approved' | 'declined'
  booking: Booking
  activity: Activity
  names: string[]
}

/** One booking decided in the caller's transaction (which holds its session's lock); emails it when `email`. */
async function decideOne(
  trx: Transaction<Database>,
  bookingId: number,
  actor: StaffActor,
  links: Links,
  what: Decision,
  email: boolean,
  promotions: Promotion[],
): Promise<Decided | { status: 'already-decided' | 'session-cancelled' }> {
  const booking = await trx
    .selectFrom('booking')
    .selectAll()
    .where('id', '=', bookingId)
    .where('hold_reason', '=', 'approval')
    .executeTakeFirst()
  const held = booking
    ? await trx
        .selectFrom('place')
        .selectAll()
        .where('booking_id', '=', bookingId)
        .where('status', '=', 'held')
        .orderBy('id')
        .execute()
    : []
  if (!booking || held.length === 0) return { status: 'already-decided' as const }
  const activity = await trx
    .selectFrom('activity')
    .selectAll()
    .where('id', '=', booking.activity_id)
    .executeTakeFirstOrThrow()
  if (activity.status === 'cancelled') return { status: 'session-cancelled' as const }
  const stamp = new Date().toISOString()
  const heldIds = held.map((p) => p.id)
  const names = held.map((p) => p.first_name ?? '').filter(Boolean)
  if (what.decision === 'approve') {
    // Lifted as confirming an address lifts a hold (holds.server.ts): one conditional update of the
    // booking decides, so a second approval, or the job releasing the hold, finds it lifted.
    const lifted = await liftHold(trx, bookingId, links, new Date(stamp), email ? undefined : promotions)
    if (lifted.status === 'not-held') return { status: 'already-decided' as const }
    if (booking.family_id !== null) {
      await trx
        .updateTable('family')
        .set({ approved_at: stamp, updated_at: stamp })
        .where('id', '=', booking.family_id)
        .where('approved_at', 'is', null)
        .execute()
    }
    if (email) {
      await queueBookingEmail(trx, 'confirmation', {
        activity,
        booking: lifted.booking,
        places: lifted.places,
        links,
        dedupeKey: `approved:booking:${bookingId}`,
      })
    }
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'family.approved',
      subjectType: 'booking',
      subjectId: bookingId,
      detail: { family: booking.family_id, places: held.length },
      ip: actor.ip,
    })
    return { status: 'approved' as const, booking: lifted.booking, activity, names }
  }

  // The decline claims the booking: only a booking still waiting is changed, so a second decision
  // that got past the lock (or the job releasing the hold) finds nothing to claim.
  const claimed = await trx
    .updateTable('booking')
    .set({ hold_reason: null, hold_expires_at: null, decline_reason: what.reason, updated_at: stamp })
    .where('id', '=', bookingId)
    .where('hold_reason', '=', 'approval')
    .returningAll()
    .executeTakeFirst()
  if (!claimed) return { status: 'already-decided' as const }
  await trx
    .updateTable('place')
    .set({ status: 'cancelled', updated_at: stamp })
    .where('id', 'in', heldIds)
    .where('status', '=', 'held')
    .execute()
  const decided = { status: 'declined' as const, booking: claimed, activity, names }
  if (email) await emailDeclined(trx, [decided], what.reason, links)
  // The spaces the hold kept go to the waiting list, as any freed space does.
  await promoteFromWaitlist(trx, activity.id, links, undefined, promotions)
  await recordAudit(trx, {
    actorUserId: actor.id,
    action: 'family.declined',
    subjectType: 'booking',
    subjectId: bookingId,
    detail: { family: booking.family_id, places: held.length },
    ip: actor.ip,
  })
  return decided
}

/** The family is told once why its booking (one session, or every date of a series) was declined. */
async function emailDeclined(
  trx: Transaction<Database>,
  decided: Decided[],
  reason: string,
  links: Links,
): Promise<void> {
  const dates = [...decided].sort((a, b) => a.activity.starts_at.localeCompare(b.activity.starts_at))
  const first = dates[0]!
  if (!first.booking.email) return
  const email = familyDeclinedEmail({
    contactName: first.booking.contact_name ?? '',
    reference: first.booking.reference,
    activity: first.activity,
    otherDates: dates.slice(1).map((d) => ({ activity: d.activity, reference: d.booking.reference })),
    names: [...new Set(dates.flatMap((d) => d.names))],
    reason,
    homeUrl: `${links.baseUrl}/`,
    organisation: await emailOrganisation(trx, links),
  })
  await enqueueEmail(
    trx,
    {
      kind: 'family-declined',
      to: first.booking.email,
      subject: email.subject,
      text: email.text,
      html: email.html,
      bookingId: first.booking.id,
      activityId: first.activity.id,
      dedupeKey: `declined:booking:${first.booking.id}`,
    },
    { domain: links.domain },
  )
}
