// The link in a new booking's first email: it proves the family's address. The booking's children
// become the family's children (matched by first name and date of birth within this family only),
// a child who already has a place on the session is not booked twice, and the held places are
// confirmed — or, when admins ask for it, wait for staff to approve a new family. All in one
// transaction that holds the session's lock, with the email it causes.
import { sql, type Transaction } from 'kysely'
import { lockActivities, transaction, type DB } from '../../db/index'
import type { Activity, Database, Place } from '../../db/schema'
import { childKey } from './booking-form'
import { queueBookingEmail } from './booking-emails.server'
import { peekFamilyToken, useFamilyToken } from './family-links.server'
import type { Links } from './links'
import { liftHold } from './holds.server'
import { getSetting } from './settings.server'
import { tellPromotedFamilies } from './promotion-notices.server'
import { promoteFromWaitlist, type Promotion } from './waiting-list.server'
import { queueSeriesConfirmation } from './series-bookings.server'
import { seriesGroupOf } from './series-group.server'

export interface ConfirmPreview {
  activity: Pick<Activity, 'id' | 'title' | 'starts_at' | 'ends_at'>
  reference: string
  names: string[]
  /** a series booked in one step: every date the link confirms, soonest first (this one among them) */
  seriesDates: Array<{ starts_at: string; ends_at: string }>
}

/** What the confirm link is for, without using it (the page asks before confirming). */
export async function previewConfirmation(db: DB, token: string, now = new Date()): Promise<ConfirmPreview | null> {
  const link = await peekFamilyToken(db, token, 'confirm', now)
  if (!link?.bookingId) return null
  const booking = await db
    .selectFrom('booking')
    .innerJoin('activity', 'activity.id', 'booking.activity_id')
    .select(['booking.reference', 'activity.id', 'activity.title', 'activity.starts_at', 'activity.ends_at'])
    .where('booking.id', '=', link.bookingId)
    .executeTakeFirst()
  if (!booking) return null
  const group = await seriesGroupOf(db, link.bookingId)
  // Every child with a place on any date the link confirms (a child too young for the first date
  // may have places on later ones), each named once.
  const places = await db
    .selectFrom('place')
    .select('first_name')
    .where('booking_id', 'in', group.length > 1 ? group : [link.bookingId])
    .where('status', '<>', 'cancelled')
    .orderBy('id')
    .execute()
  const seriesDates =
    group.length > 1
      ? await db
          .selectFrom('booking')
          .innerJoin('activity', 'activity.id', 'booking.activity_id')
          .select(['activity.starts_at', 'activity.ends_at'])
          .where('booking.id', 'in', group)
          .where('booking.hold_reason', '=', 'address')
          .orderBy('activity.starts_at')
          .execute()
      : []
  return {
    activity: { id: booking.id, title: booking.title, starts_at: booking.starts_at, ends_at: booking.ends_at },
    reference: booking.reference,
    names: [...new Set(places.map((p) => p.first_name ?? ''))],
    seriesDates,
  }
}

export type ConfirmResult =
  /** unknown, used or expired link, or its hold already released */
  | { status: 'invalid' }
  | {
      status: 'confirmed' | 'awaiting-approval'
      familyId: number
      reference: string
      activity: Pick<Activity, 'id' | 'title' | 'starts_at' | 'ends_at'>
      confirmed: string[]
      waitlisted: string[]
      held: string[]
      /** children who already had a place on this session: not booked twice */
      alreadyBooked: string[]
      /** their places in this booking, cancelled as doubles */
      doublePlaceIds: number[]
    }

export async function confirmFamilyBooking(
  db: DB,
  token: string,
  links: Links,
  now = new Date(),
): Promise<ConfirmResult> {
  const link = await peekFamilyToken(db, token, 'confirm', now)
  if (!link?.bookingId) return { status: 'invalid' }
  const bookingId = link.bookingId
  // A series booked in one step has one link for all its dates: each held date is confirmed.
  const group = await seriesGroupOf(db, bookingId)
  const targets = group.length
    ? await db.selectFrom('booking').select('activity_id').where('id', 'in', group).execute()
    : []
  if (targets.length === 0) return { status: 'invalid' }
  const approvalSetting = await getSetting(db, 'approve_new_families')
  return transaction(db, async (trx) => {
    await lockActivities(
      trx,
      targets.map((t) => t.activity_id),
    )
    // One statement decides who used the link: two clicks at once confirm once.
    const used = await useFamilyToken(trx, token, 'confirm', now)
    if (!used) return { status: 'invalid' as const }
    // A series' dates: promotions are collected and told after the one series email.
    const promotions: Promotion[] = []
    const result = await confirmHeldBooking(
      trx,
      bookingId,
      used.familyId,
      links,
      now,
      approvalSetting,
      group.length === 1,
      group.length > 1 ? promotions : undefined,
    )
    if (group.length > 1 && result.status !== 'invalid') {
      for (const id of group) {
        if (id !== bookingId) {
          await confirmHeldBooking(trx, id, used.familyId, links, now, approvalSetting, false, promotions)
        }
      }
      await queueSeriesConfirmation(trx, group, links)
      // The series email lists this family's places as they now stand, promoted ones too; any
      // other family promoted on several dates is told once.
      await tellPromotedFamilies(
        trx,
        promotions.filter((p) => p.promoted[0]?.familyId !== used.familyId),
        links,
      )
    }
    return result
  })
}

/** One held booking confirmed for its family, in the caller's transaction (which holds its session's lock). */
async function confirmHeldBooking(
  trx: Transaction<Database>,
  bookingId: number,
  familyId: number,
  links: Links,
  now: Date,
  approvalSetting: string,
  queueEmail: boolean,
  promotions?: Promotion[],
): Promise<ConfirmResult> {
  const used = { familyId }
  const stamp = now.toISOString()
  let booking = await trx.selectFrom('booking').selectAll().where('id', '=', bookingId).executeTakeFirstOrThrow()
  // Released already (the hold ran out) or decided: nothing is held any more.
  if (booking.hold_reason !== 'address' || (booking.hold_expires_at && booking.hold_expires_at <= stamp)) {
    return { status: 'invalid' as const }
  }
  const activity = await trx
    .selectFrom('activity')
    .selectAll()
    .where('id', '=', booking.activity_id)
    .executeTakeFirstOrThrow()
  await trx
    .updateTable('family')
    .set({ confirmed_at: stamp, updated_at: stamp })
    .where('id', '=', used.familyId)
    .where('confirmed_at', 'is', null)
    .execute()
  // A family made by this booking takes its details; a family that already had them keeps its own.
  await trx
    .updateTable('family')
    .set((eb) => ({
      contact_name: eb.fn.coalesce('contact_name', sql.val(booking.contact_name)),
      phone: eb.fn.coalesce('phone', sql.val(booking.phone)),
      authority_code: eb.fn.coalesce('authority_code', sql.val(booking.authority_code)),
    }))
    .where('id', '=', used.familyId)
    .execute()
  const family = await trx.selectFrom('family').selectAll().where('id', '=', used.familyId).executeTakeFirstOrThrow()

  // The typed children become the family's: matched within this family only.
  const places = await trx
    .selectFrom('place')
    .selectAll()
    .where('booking_id', '=', booking.id)
    .where('status', '<>', 'cancelled')
    .orderBy('id')
    .execute()
  const alreadyBooked: string[] = []
  const doublePlaceIds: number[] = []
  for (const place of places) {
    if (place.child_id !== null || !place.first_name || !place.date_of_birth) continue
    const matchKey = childKey(place.first_name, place.date_of_birth)
    await trx
      .insertInto('child')
      .values({
        family_id: family.id,
        first_name: place.first_name.trim(),
        date_of_birth: place.date_of_birth,
        match_key: matchKey,
        support_needs: place.support_needs,
        consent_photos: null,
        consent_photos_at: null,
        consent_name_visible: null,
        consent_name_visible_at: null,
        consent_camera: null,
        consent_camera_at: null,
        created_at: stamp,
        updated_at: stamp,
      })
      .onConflict((oc) => oc.columns(['family_id', 'match_key']).doNothing())
      .execute()
    const child = await trx
      .selectFrom('child')
      .select('id')
      .where('family_id', '=', family.id)
      .where('match_key', '=', matchKey)
      .executeTakeFirstOrThrow()
    const key = `child:${child.id}`
    const twin = await trx
      .selectFrom('place')
      .select('id')
      .where('activity_id', '=', activity.id)
      .where('child_key', '=', key)
      .where('status', '<>', 'cancelled')
      .executeTakeFirst()
    if (twin) {
      alreadyBooked.push(place.first_name)
      doublePlaceIds.push(place.id)
      await trx
        .updateTable('place')
        .set({ status: 'cancelled', updated_at: stamp })
        .where('id', '=', place.id)
        .execute()
    } else {
      await trx
        .updateTable('place')
        .set({ child_id: child.id, family_id: family.id, child_key: key, updated_at: stamp })
        .where('id', '=', place.id)
        .execute()
    }
  }

  const needsApproval = approvalSetting === 'on' && family.approved_at === null
  if (needsApproval) {
    await trx
      .updateTable('booking')
      .set({ hold_reason: 'approval', hold_expires_at: activity.booking_closes_at, updated_at: stamp })
      .where('id', '=', booking.id)
      .execute()
  } else {
    // the same guarded lift staff approval and the hold job's release use: only one of them wins
    const lifted = await liftHold(trx, booking.id, links, now, promotions)
    if (lifted.status === 'not-held') return { status: 'invalid' as const }
    await trx
      .updateTable('family')
      .set({ approved_at: stamp })
      .where('id', '=', family.id)
      .where('approved_at', 'is', null)
      .execute()
  }
  booking = await trx.selectFrom('booking').selectAll().where('id', '=', booking.id).executeTakeFirstOrThrow()
  let after: Place[] = await trx
    .selectFrom('place')
    .selectAll()
    .where('booking_id', '=', booking.id)
    .orderBy('id')
    .execute()
  const given = after.filter((p) => p.status === 'confirmed' || p.status === 'held')
  const waiting = after.some((p) => p.status === 'waitlisted')
  if ((given.length || waiting) && queueEmail) {
    // the first invite of this booking (the held email had none): SEQUENCE as booked. A family only
    // on the waiting list is told so, with the booking's link: confirming ended the form page's.
    const kind = given.length ? (needsApproval ? 'awaiting-approval' : 'confirmation') : 'waitlisted'
    await queueBookingEmail(trx, kind, {
      activity,
      booking,
      places: after,
      links,
      dedupeKey: `${kind}:booking:${booking.id}`,
    })
  }
  // Spaces freed by a child booked twice, and this booking's waiting-list places, now eligible.
  await promoteFromWaitlist(trx, activity.id, links, now, promotions)
  after = await trx.selectFrom('place').selectAll().where('booking_id', '=', booking.id).orderBy('id').execute()
  const named = (status: Place['status']) => after.filter((p) => p.status === status).map((p) => p.first_name ?? '')
  return {
    status: needsApproval ? ('awaiting-approval' as const) : ('confirmed' as const),
    familyId: family.id,
    reference: booking.reference,
    activity: { id: activity.id, title: activity.title, starts_at: activity.starts_at, ends_at: activity.ends_at },
    confirmed: named('confirmed'),
    waitlisted: named('waitlisted'),
    held: named('held'),
    alreadyBooked,
    doublePlaceIds,
  }
}

export type ConfirmedBooking = Extract<ConfirmResult, { familyId: number }>

/**
 * A booking of this family just confirmed, read again for the page after the redirect: only the
 * signed-in family's own booking, by reference. `doublePlaceIds` come from the redirect.
 */
/** One date of a series booking as it stands after its confirm link, for the page after it. */
export interface SeriesDateOutcome {
  reference: string
  starts_at: string
  ends_at: string
  confirmed: string[]
  waitlisted: string[]
  held: string[]
}

export async function confirmedBookingOf(
  db: DB,
  familyId: number,
  reference: string,
  doublePlaceIds: number[],
): Promise<(ConfirmedBooking & { seriesDates: SeriesDateOutcome[] }) | null> {
  const booking = await db
    .selectFrom('booking')
    .innerJoin('activity', 'activity.id', 'booking.activity_id')
    .select([
      'booking.id as bookingId',
      'booking.reference',
      'booking.hold_reason',
      'activity.id',
      'activity.title',
      'activity.starts_at',
      'activity.ends_at',
    ])
    .where('booking.reference', '=', reference)
    .where('booking.family_id', '=', familyId)
    .executeTakeFirst()
  if (!booking) return null
  const places = await db
    .selectFrom('place')
    .select(['id', 'first_name', 'status'])
    .where('booking_id', '=', booking.bookingId)
    .orderBy('id')
    .execute()
  const named = (status: Place['status']) => places.filter((p) => p.status === status).map((p) => p.first_name ?? '')
  const doubles = places.filter((p) => p.status === 'cancelled' && doublePlaceIds.includes(p.id))
  return {
    seriesDates: await seriesDatesOf(db, familyId, booking.bookingId),
    status: booking.hold_reason === 'approval' ? 'awaiting-approval' : 'confirmed',
    familyId,
    reference: booking.reference,
    activity: { id: booking.id, title: booking.title, starts_at: booking.starts_at, ends_at: booking.ends_at },
    confirmed: named('confirmed'),
    waitlisted: named('waitlisted'),
    held: named('held'),
    alreadyBooked: doubles.map((p) => p.first_name ?? ''),
    doublePlaceIds: doubles.map((p) => p.id),
  }
}

/**
 * Every date of the series booking this booking was made in (one link confirmed them all), soonest
 * first, with each child's outcome; empty for a booking made on its own.
 */
async function seriesDatesOf(db: DB, familyId: number, bookingId: number): Promise<SeriesDateOutcome[]> {
  const group = await seriesGroupOf(db, bookingId)
  if (group.length < 2) return []
  const rows = await db
    .selectFrom('booking')
    .innerJoin('activity', 'activity.id', 'booking.activity_id')
    .innerJoin('place', 'place.booking_id', 'booking.id')
    .select(['booking.reference', 'activity.starts_at', 'activity.ends_at', 'place.first_name', 'place.status'])
    .where('booking.id', 'in', group)
    .where('booking.family_id', '=', familyId)
    .orderBy('activity.starts_at')
    .orderBy('place.id')
    .execute()
  const dates = new Map<string, SeriesDateOutcome>()
  for (const row of rows) {
    let date = dates.get(row.reference)
    if (!date) {
      date = {
        reference: row.reference,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        confirmed: [],
        waitlisted: [],
        held: [],
      }
      dates.set(row.reference, date)
    }
    if (row.status === 'confirmed' || row.status === 'waitlisted' || row.status === 'held')
      date[row.status].push(row.first_name ?? '')
  }
  return [...dates.values()]
}
