// Erasing personal details: the steps for bookings, places and young people that the retention
// job runs on old data, and one family's (or young person's) erasure now when they ask. Both keep
// what the reports are made of — age on the day, school year, home authority, place status,
// attendance, feedback scores — so a past quarter's report gives the same figures after erasure.
import { sql, type Transaction } from 'kysely'
import { checkpointAfterErasure, containsIgnoringCase, lockActivities, transaction, type DB } from '../../db/index'
import type { Database } from '../../db/schema'
import { recordAudit, type StaffActor } from './audit.server'
import type { Links } from './links'
import { eraseMailingListEmailIn } from './mailing-list-erasure.server'
import { tellPromotedFamilies } from './promotion-notices.server'
import { promoteFromWaitlist, type Promotion } from './waiting-list.server'

type Tx = Transaction<Database>

export interface ErasureCounts {
  bookings: number
  places: number
  members: number
  emails: number
}

export const noErasures = (): ErasureCounts => ({ bookings: 0, places: 0, members: 0, emails: 0 })

/**
 * Erases the personal details of bookings on the given ids and of their places: names, email,
 * phone, dates of birth, support needs, feedback comments, and every email sent about them.
 * The child key (first name and date of birth) becomes "erased:<place id>".
 */
export async function eraseBookings(trx: Tx, bookingIds: number[], stamp: string): Promise<ErasureCounts> {
  if (bookingIds.length === 0) return noErasures()
  const placeIds = (await trx.selectFrom('place').select('id').where('booking_id', 'in', bookingIds).execute()).map(
    (p) => p.id,
  )
  const places = await trx
    .updateTable('place')
    .set({
      first_name: null,
      date_of_birth: null,
      support_needs: null,
      child_key: sql<string>`'erased:' || ${sql.ref('id')}`,
      updated_at: stamp,
    })
    .where('booking_id', 'in', bookingIds)
    .executeTakeFirst()
  if (placeIds.length) {
    await trx.updateTable('feedback').set({ comment: null }).where('place_id', 'in', placeIds).execute()
  }
  await trx
    .updateTable('booking')
    .set({ contact_name: null, email: null, phone: null, mailing_list_opt_in: 0, updated_at: stamp })
    .where('id', 'in', bookingIds)
    .execute()
  const emails = await trx
    .deleteFrom('outbox')
    .where('booking_id', 'in', bookingIds)
    .where('status', '<>', 'sending')
    .executeTakeFirst()
  return {
    bookings: bookingIds.length,
    places: Number(places.numUpdatedRows),
    members: 0,
    emails: Number(emails.numDeletedRows),
  }
}

/** A young person's membership without who they are: their authority stays for the Adoptables figures. */
export async function eraseMembers(trx: Tx, memberIds: number[], stamp: string): Promise<number> {
  if (memberIds.length === 0) return 0
  // Their welcome, link and consent emails went to them or their parent and name them.
  const addresses = await trx
    .selectFrom('member')
    .select(['email', 'parent_email'])
    .where('id', 'in', memberIds)
    .execute()
  const to = [...new Set(addresses.flatMap((m) => [m.email, m.parent_email]).filter((e): e is string => e !== null))]
  if (to.length) await trx.deleteFrom('outbox').where('to_address', 'in', to).where('status', '<>', 'sending').execute()
  const result = await trx
    .updateTable('member')
    .set({
      first_name: null,
      date_of_birth: null,
      email: null,
      parent_email: null,
      notes: null,
      member_key: sql<string>`'erased:' || ${sql.ref('id')}`,
      consent_token_hash: null,
      // No token hashes to this: the member link stops working.
      access_token_hash: 'erased',
      pending_activity_id: null,
      updated_at: stamp,
    })
    .where('id', 'in', memberIds)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export const addErasures = (a: ErasureCounts, b: ErasureCounts): ErasureCounts => ({
  bookings: a.bookings + b.bookings,
  places: a.places + b.places,
  members: a.members + b.members,
  emails: a.emails + b.emails,
})

export interface SubjectBooking {
  reference: string
  title: string
  startsAt: string
  children: string[]
  /** places still to happen that erasing cancels (and offers to the waiting list) */
  upcomingPlaces: number
}

export interface SubjectData {
  email: string
  bookings: SubjectBooking[]
  members: Array<{ firstName: string | null; status: string; asParent: boolean }>
  /** their mailing-list subscription, if any: 'pending', 'subscribed', 'left' … */
  mailingList: string | null
  emails: number
}

/**
 * A staff member looking someone up before erasing: everything held about the address. Who looked
 * is recorded, with the counts; the address itself is not copied into the log.
 */
async function searchPersonalData(db: DB, email: string, actor: StaffActor): Promise<SubjectData> {
  const found = await findPersonalData(db, email)
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'personal-data.searched',
    detail: { bookings: found.bookings.length, members: found.members.length, emails: found.emails },
    ip: actor.ip,
  })
  return found
}

/** Everything held about one email address, for staff to check before erasing. */
async function findPersonalData(db: DB, emailTyped: string, now = new Date()): Promise<SubjectData> {
  const email = emailTyped.trim().toLowerCase()
  const bookings = await db
    .selectFrom('booking')
    .innerJoin('activity', 'activity.id', 'booking.activity_id')
    .select(['booking.id', 'booking.reference', 'activity.title', 'activity.starts_at'])
    .where('booking.email', '=', email)
    .orderBy('activity.starts_at', 'desc')
    .execute()
  const places = bookings.length
    ? await db
        .selectFrom('place')
        .select(['booking_id', 'first_name', 'status'])
        .where(
          'booking_id',
          'in',
          bookings.map((b) => b.id),
        )
        .orderBy('id')
        .execute()
    : []
  const members = await db
    .selectFrom('member')
    .select(['first_name', 'status', 'email', 'parent_email'])
    .where((eb) => eb.or([eb('email', '=', email), eb('parent_email', '=', email)]))
    .execute()
  const subscriber = await db
    .selectFrom('mailing_list_subscriber')
    .select('status')
    .where('email', '=', email)
    .executeTakeFirst()
  const emails = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('to_address', '=', email)
    .executeTakeFirstOrThrow()
  return {
    email,
    bookings: bookings.map((b) => {
      const own = places.filter((p) => p.booking_id === b.id)
      const upcoming = new Date(b.starts_at).getTime() > now.getTime()
      return {
        reference: b.reference,
        title: b.title,
        startsAt: b.starts_at,
        children: own.map((p) => p.first_name ?? '(erased)'),
        upcomingPlaces: upcoming ? own.filter((p) => p.status !== 'cancelled').length : 0,
      }
    }),
    members: members.map((m) => ({ firstName: m.first_name, status: m.status, asParent: m.email !== email })),
    mailingList: subscriber?.status ?? null,
    emails: Number(emails.n),
  }
}

export type EraseSubjectResult =
  | { status: 'erased'; counts: ErasureCounts & { cancelledPlaces: number; mailingList: boolean } }
  | { status: 'nothing-held' }

/**
 * Erases everything held about one email address now (a subject erasure request): their bookings
 * and children's places as the retention job does, places still to come cancelled first (the
 * space goes to the waiting list; no email is sent to the person asking to be forgotten), young
 * people registered with this email or with it as their parent's, every email to or mentioning
 * it, the address inside audit details, and their mailing-list subscription (its anonymous join
 * and leave events stay). The audit entry records counts, never the address.
 */
export async function eraseSubject(
  db: DB,
  emailTyped: string,
  actorId: number,
  links: Links,
  options: { now?: Date; ip?: string } = {},
): Promise<EraseSubjectResult> {
  const email = emailTyped.trim().toLowerCase()
  const now = options.now ?? new Date()
  const stamp = now.toISOString()
  // The sessions whose places this may cancel, read first so their rows can be locked before
  // anything else (ascending ids): cancelling frees spaces the waiting list is promoted into.
  const sessionsHeld = await subjectSessions(db, email)
  const result = await transaction(db, async (trx) => {
    await lockActivities(trx, sessionsHeld)
    const bookings = await trx
      .selectFrom('booking')
      .innerJoin('activity', 'activity.id', 'booking.activity_id')
      .select(['booking.id', 'booking.member_id', 'activity.id as activityId', 'activity.starts_at'])
      .where('booking.email', '=', email)
      .execute()
    const members = await trx
      .selectFrom('member')
      .select('id')
      .where((eb) => eb.or([eb('email', '=', email), eb('parent_email', '=', email)]))
      .execute()
    const memberIds = members.map((m) => m.id)
    // A young person's own bookings may carry their email too; erase them with the member.
    const memberBookings = memberIds.length
      ? await trx
          .selectFrom('booking')
          .innerJoin('activity', 'activity.id', 'booking.activity_id')
          .select(['booking.id', 'booking.member_id', 'activity.id as activityId', 'activity.starts_at'])
          .where('booking.member_id', 'in', memberIds)
          .execute()
      : []
    // The family kept under this address (its children, links and sessions) and its bookings.
    const familyIds = (await trx.selectFrom('family').select('id').where('email', '=', email).execute()).map(
      (f) => f.id,
    )
    const familyBookings = familyIds.length
      ? await trx
          .selectFrom('booking')
          .innerJoin('activity', 'activity.id', 'booking.activity_id')
          .select(['booking.id', 'booking.member_id', 'activity.id as activityId', 'activity.starts_at'])
          .where('booking.family_id', 'in', familyIds)
          .execute()
      : []
    const all = new Map([...bookings, ...memberBookings, ...familyBookings].map((b) => [b.id, b]))
    const outboxMentions = await trx
      .selectFrom('outbox')
      .select('id')
      .where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['to_address']), '=', email),
          containsIgnoringCase(trx, 'outbox.text_body', email),
          containsIgnoringCase(trx, 'outbox.html_body', email),
        ]),
      )
      .execute()
    const subscribed = await trx
      .selectFrom('mailing_list_subscriber')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirst()
    if (
      all.size === 0 &&
      memberIds.length === 0 &&
      familyIds.length === 0 &&
      outboxMentions.length === 0 &&
      !subscribed
    )
      return null

    // Places still to come are given up first, so their spaces go to the waiting list.
    const upcoming = [...all.values()].filter((b) => new Date(b.starts_at).getTime() > now.getTime())
    let cancelledPlaces = 0
    const sessions = new Set<number>()
    if (upcoming.length) {
      // A booking made since the sessions were read: lock its session too before cancelling.
      const locked = new Set(sessionsHeld)
      await lockActivities(
        trx,
        upcoming.map((b) => b.activityId).filter((id) => !locked.has(id)),
      )
      const cancelled = await trx
        .updateTable('place')
        .set({ status: 'cancelled', updated_at: stamp })
        .where(
          'booking_id',
          'in',
          upcoming.map((b) => b.id),
        )
        .where('status', '<>', 'cancelled')
        .executeTakeFirst()
      cancelledPlaces = Number(cancelled.numUpdatedRows)
      for (const b of upcoming) sessions.add(b.activityId)
    }
    const counts = await eraseBookings(trx, [...all.keys()], stamp)
    if (familyIds.length) {
      await trx.updateTable('booking').set({ family_id: null }).where('family_id', 'in', familyIds).execute()
      await trx.deleteFrom('family_session').where('family_id', 'in', familyIds).execute()
      await trx.deleteFrom('family_token').where('family_id', 'in', familyIds).execute()
      await trx.deleteFrom('child').where('family_id', 'in', familyIds).execute()
      await trx.deleteFrom('family').where('id', 'in', familyIds).execute()
    }
    counts.members = await eraseMembers(trx, memberIds, stamp)
    const deleted = await trx
      .deleteFrom('outbox')
      .where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['to_address']), '=', email),
          containsIgnoringCase(trx, 'outbox.text_body', email),
          containsIgnoringCase(trx, 'outbox.html_body', email),
        ]),
      )
      .where('status', '<>', 'sending')
      .executeTakeFirst()
    counts.emails += Number(deleted.numDeletedRows)
    // Whatever case it was typed in (Pat.Parent@Example.org is the same address): few rows, so in JavaScript.
    const audited = await trx
      .selectFrom('audit_log')
      .select(['id', 'detail'])
      .where(containsIgnoringCase(trx, 'audit_log.detail', email))
      .execute()
    const typed = new RegExp(
      email.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`),
      'gi',
    )
    for (const row of audited) {
      await trx
        .updateTable('audit_log')
        .set({ detail: (row.detail ?? '').replace(typed, '[erased]') })
        .where('id', '=', row.id)
        .execute()
    }
    const mailingList = await eraseMailingListEmailIn(trx, email)
    // A family promoted on several of the freed sessions is told once per series.
    const promotions: Promotion[] = []
    for (const activityId of sessions) await promoteFromWaitlist(trx, activityId, links, undefined, promotions)
    await tellPromotedFamilies(trx, promotions, links)
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'personal-data.erased',
      detail: { ...counts, cancelledPlaces, mailingList },
      ip: options.ip,
    })
    return { ...counts, cancelledPlaces, mailingList }
  })
  if (!result) return { status: 'nothing-held' }
  // Old copies of the erased rows must not stay behind in the write-ahead log.
  await checkpointAfterErasure(db)
  return { status: 'erased', counts: result }
}

/** The sessions of every booking made with this address or by a young person registered with it. */
async function subjectSessions(db: DB, email: string): Promise<number[]> {
  const rows = await db
    .selectFrom('booking')
    .select('booking.activity_id')
    .distinct()
    .where((eb) =>
      eb.or([
        eb('booking.email', '=', email),
        eb('booking.family_id', 'in', eb.selectFrom('family').select('family.id').where('family.email', '=', email)),
        eb(
          'booking.member_id',
          'in',
          eb
            .selectFrom('member')
            .select('member.id')
            .where((m) => m.or([m('member.email', '=', email), m('member.parent_email', '=', email)])),
        ),
      ]),
    )
    .execute()
  return rows.map((r) => r.activity_id).sort((a, b) => a - b)
}

export type ErasureStepResult =
  /** show what is held; `unconfirmed` when they asked to erase without ticking the check */
  | { status: 'check'; found: SubjectData; unconfirmed: boolean }
  | { status: 'erased'; counts: ErasureCounts & { cancelledPlaces: number; mailingList: boolean } }

/**
 * The erasure page's two steps for a staff member: "find" shows everything held (audited as a
 * search, as is "erase" without the confirmation, which shows it again); "erase", once they confirm they have checked it is the person who asked, erases it.
 */
export async function takeErasureStep(
  db: DB,
  step: { intent: 'find' | 'erase'; email: string; confirmed: boolean },
  actor: StaffActor,
  links: Links,
): Promise<ErasureStepResult> {
  if (step.intent === 'find') {
    return { status: 'check', found: await searchPersonalData(db, step.email, actor), unconfirmed: false }
  }
  // Erase without the box ticked shows everything held again: a look like any search, so audited.
  if (!step.confirmed) {
    return { status: 'check', found: await searchPersonalData(db, step.email, actor), unconfirmed: true }
  }
  const found = await findPersonalData(db, step.email)
  const result = await eraseSubject(db, step.email, actor.id, links, { ip: actor.ip })
  if (result.status === 'nothing-held') return { status: 'check', found, unconfirmed: false }
  return result
}
