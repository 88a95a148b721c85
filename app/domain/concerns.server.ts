// The safeguarding concern log: recording a concern from a session (any staff member), telling the
// safeguarding leads, and the leads' own reading, notes and closing. Only leads read a concern;
// every list and every read is audited here, so no route can forget it. A concern keeps its own copy
// of the child's first name, the session and the recorder's name, so erasing bookings, families or
// members leaves it whole; it is erased only after its own period once closed (eraseClosedConcerns).
import type { DB } from '../../db/index'
import type { ConcernStatus } from '../../db/schema'
import { canBeSafeguardingLead } from '../auth/permissions'
import { concernRecordedEmail } from '../email/concern-templates.server'
import { enqueueEmail } from '../email/outbox.server'
import { addMonths, londonDateOf, startOfLondonDay } from '../time/london-time'
import { recordAudit, type StaffActor } from './audit.server'
import {
  CONCERN_RETENTION_YEARS_DEFAULT,
  CONCERN_RETENTION_YEARS_MAX,
  CONCERN_RETENTION_YEARS_MIN,
  type ConcernInput,
} from './concern-form'
import type { Links } from './links'
import { emailOrganisation, getNumberSetting } from './settings.server'

/** A staff member acting on concerns: their name is copied onto what they write. */
export interface ConcernActor extends StaffActor {
  name: string
}

export const CONCERN_EMAIL_KIND = 'concern-recorded'

// ---- who the leads are ----

/** The accounts that read concerns: active staff or admin accounts with the flag. */
async function activeLeads(db: DB): Promise<Array<{ id: number; name: string; email: string }>> {
  const rows = await db
    .selectFrom('staff_user')
    .select(['id', 'name', 'email', 'role'])
    .where('safeguarding_lead', '=', 1)
    .where('disabled', '=', 0)
    .where('password_hash', 'is not', null)
    .orderBy('id')
    .execute()
  return rows.filter((r) => canBeSafeguardingLead(r.role))
}

/** How many safeguarding leads can read concerns now (0: admins are warned, recorders told to phone). */
export async function countSafeguardingLeads(db: DB): Promise<number> {
  return (await activeLeads(db)).length
}

// ---- recording (any staff member) ----

export interface ConcernFormPerson {
  placeId: number
  firstName: string
  /** a young person's own place on an Adoptables meeting */
  member: boolean
}

export interface ConcernFormSession {
  activity: { id: number; title: string; starts_at: string; ends_at: string }
  /** the children and young people with a place on the session, to choose from */
  people: ConcernFormPerson[]
}

async function peopleOn(db: DB, activityId: number): Promise<ConcernFormPerson[]> {
  const rows = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .select(['place.id', 'place.first_name', 'booking.member_id'])
    .where('place.activity_id', '=', activityId)
    .where('place.status', '=', 'confirmed')
    .where('place.first_name', 'is not', null)
    .orderBy('place.first_name')
    .orderBy('place.id')
    .execute()
  return rows.map((r) => ({ placeId: r.id, firstName: r.first_name!, member: r.member_id !== null }))
}

/**
 * The record-a-concern form for a session: the first names of those with a place. Those names are
 * children's details shown to a staff member, so the view is audited.
 */
export async function concernFormFor(
  db: DB,
  activityId: number,
  actor: StaffActor,
): Promise<ConcernFormSession | null> {
  const activity = await db
    .selectFrom('activity')
    .select(['id', 'title', 'starts_at', 'ends_at'])
    .where('id', '=', activityId)
    .executeTakeFirst()
  if (!activity) return null
  const people = await peopleOn(db, activityId)
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'concern.form-viewed',
    subjectType: 'activity',
    subjectId: activityId,
    ip: actor.ip,
  })
  return { activity, people }
}

/** The places a concern on this session can name: the form's choices, checked again on submit. */
export async function concernPlaceIds(db: DB, activityId: number): Promise<number[]> {
  return (await peopleOn(db, activityId)).map((p) => p.placeId)
}

export type RecordConcernResult =
  | { status: 'recorded' | 'already-recorded'; concernId: number; leadsTold: number }
  | { status: 'not-found' }
  | { status: 'place-gone' }

/**
 * Records a concern and emails each safeguarding lead that one was recorded (no detail). The form's
 * key makes a second submit of the same form find the first concern instead of recording another.
 */
export async function recordConcern(
  db: DB,
  activityId: number,
  input: ConcernInput,
  idempotencyKey: string,
  actor: ConcernActor,
  mail: { links: Links; serviceName: string },
  now = new Date(),
): Promise<RecordConcernResult> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('concern')
      .select('id')
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst()
    const leads = await activeLeads(trx)
    if (existing) return { status: 'already-recorded' as const, concernId: existing.id, leadsTold: leads.length }

    const activity = await trx
      .selectFrom('activity')
      .select(['id', 'title', 'starts_at'])
      .where('id', '=', activityId)
      .executeTakeFirst()
    if (!activity) return { status: 'not-found' as const }
    let child: { placeId: number | null; memberId: number | null; firstName: string }
    if (input.child.kind === 'place') {
      const place = await trx
        .selectFrom('place')
        .innerJoin('booking', 'booking.id', 'place.booking_id')
        .select(['place.id', 'place.first_name', 'booking.member_id'])
        .where('place.id', '=', input.child.placeId)
        .where('place.activity_id', '=', activityId)
        .executeTakeFirst()
      if (!place?.first_name) return { status: 'place-gone' as const }
      child = { placeId: place.id, memberId: place.member_id, firstName: place.first_name }
    } else {
      child = { placeId: null, memberId: null, firstName: input.child.firstName }
    }

    const stamp = now.toISOString()
    // A second submit racing this one: the key is unique, so only one row is written.
    const inserted = await trx
      .insertInto('concern')
      .values({
        idempotency_key: idempotencyKey,
        activity_id: activity.id,
        place_id: child.placeId,
        member_id: child.memberId,
        child_first_name: child.firstName,
        session_title: activity.title,
        session_starts_at: activity.starts_at,
        recorded_by: actor.id,
        recorded_by_name: actor.name,
        happened_at: input.happenedAt.toISOString(),
        seen_or_said: input.seenOrSaid,
        present: input.present,
        action_taken: input.actionTaken,
        created_at: stamp,
        closed_at: null,
        closed_by: null,
        closed_by_name: null,
        outcome: null,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!inserted) {
      const first = await trx
        .selectFrom('concern')
        .select('id')
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirstOrThrow()
      return { status: 'already-recorded' as const, concernId: first.id, leadsTold: leads.length }
    }

    const organisation = await emailOrganisation(trx, mail.links)
    const back = `/staff/concerns/${inserted.id}`
    for (const lead of leads) {
      const content = concernRecordedEmail({
        name: lead.name,
        serviceName: mail.serviceName,
        signInUrl: `${mail.links.baseUrl}/staff/sign-in?redirectTo=${encodeURIComponent(back)}`,
        organisation,
      })
      await enqueueEmail(
        trx,
        {
          kind: CONCERN_EMAIL_KIND,
          to: lead.email,
          ...content,
          dedupeKey: `${CONCERN_EMAIL_KIND}:${inserted.id}:${lead.id}`,
        },
        { domain: mail.links.domain },
      )
    }
    // What the concern says stays out of the log: only that one was recorded, and from which session.
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'concern.recorded',
      subjectType: 'concern',
      subjectId: inserted.id,
      detail: { activity: activity.id, leadsTold: leads.length },
      ip: actor.ip,
    })
    return { status: 'recorded' as const, concernId: inserted.id, leadsTold: leads.length }
  })
}

/** When this staff member recorded concerns on this session: all the recorder ever sees of them. */
export async function concernsRecordedBy(db: DB, activityId: number, staffId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('concern')
    .select('created_at')
    .where('activity_id', '=', activityId)
    .where('recorded_by', '=', staffId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => r.created_at)
}

// ---- reading, notes and closing (safeguarding leads only: the routes require concerns:read) ----

export interface ConcernSummary {
  id: number
  childFirstName: string
  sessionTitle: string
  sessionStartsAt: string
  recordedAt: string
  recordedByName: string
  status: ConcernStatus
  closedAt: string | null
}

/** Every concern, open ones first (oldest first: the longest waiting), then closed ones, newest closed first. */
export async function listConcerns(db: DB, actor: StaffActor): Promise<ConcernSummary[]> {
  const rows = await db
    .selectFrom('concern')
    .select([
      'id',
      'child_first_name',
      'session_title',
      'session_starts_at',
      'created_at',
      'recorded_by_name',
      'status',
      'closed_at',
    ])
    .execute()
  const concerns = rows
    .map((r) => ({
      id: r.id,
      childFirstName: r.child_first_name,
      sessionTitle: r.session_title,
      sessionStartsAt: r.session_starts_at,
      recordedAt: r.created_at,
      recordedByName: r.recorded_by_name,
      status: r.status,
      closedAt: r.closed_at,
    }))
    .sort((a, b) =>
      a.status !== b.status
        ? a.status === 'open'
          ? -1
          : 1
        : a.status === 'open'
          ? a.recordedAt.localeCompare(b.recordedAt) || a.id - b.id
          : (b.closedAt ?? '').localeCompare(a.closedAt ?? '') || b.id - a.id,
    )
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'concerns.listed',
    subjectType: 'concern',
    detail: {
      open: concerns.filter((c) => c.status === 'open').length,
      closed: concerns.filter((c) => c.status === 'closed').length,
    },
    ip: actor.ip,
  })
  return concerns
}

export interface ConcernNoteView {
  id: number
  authorName: string
  body: string
  createdAt: string
}

export interface ConcernRecord extends ConcernSummary {
  activityId: number | null
  happenedAt: string
  seenOrSaid: string
  present: string
  actionTaken: string
  closedByName: string | null
  outcome: string | null
  notes: ConcernNoteView[]
}

async function loadConcern(db: DB, id: number): Promise<ConcernRecord | null> {
  const row = await db.selectFrom('concern').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) return null
  const notes = await db
    .selectFrom('concern_note')
    .select(['id', 'author_name', 'body', 'created_at'])
    .where('concern_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return {
    id: row.id,
    activityId: row.activity_id,
    childFirstName: row.child_first_name,
    sessionTitle: row.session_title,
    sessionStartsAt: row.session_starts_at,
    recordedAt: row.created_at,
    recordedByName: row.recorded_by_name,
    status: row.status,
    closedAt: row.closed_at,
    happenedAt: row.happened_at,
    seenOrSaid: row.seen_or_said,
    present: row.present,
    actionTaken: row.action_taken,
    closedByName: row.closed_by_name,
    outcome: row.outcome,
    notes: notes.map((n) => ({ id: n.id, authorName: n.author_name, body: n.body, createdAt: n.created_at })),
  }
}

/** One concern with its notes, for a lead; every read is audited. */
export async function readConcern(db: DB, id: number, actor: StaffActor): Promise<ConcernRecord | null> {
  const concern = await loadConcern(db, id)
  if (!concern) return null
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'concern.viewed',
    subjectType: 'concern',
    subjectId: id,
    ip: actor.ip,
  })
  return concern
}

export type ConcernChangeResult = { status: 'done' } | { status: 'closed' } | { status: 'not-found' }

/** A lead's follow-up note. A closed concern takes no more notes: it is the record as it was closed. */
export async function addConcernNote(
  db: DB,
  id: number,
  body: string,
  actor: ConcernActor,
  now = new Date(),
): Promise<ConcernChangeResult> {
  return db.transaction().execute(async (trx) => {
    const concern = await trx.selectFrom('concern').select('status').where('id', '=', id).executeTakeFirst()
    if (!concern) return { status: 'not-found' as const }
    if (concern.status === 'closed') return { status: 'closed' as const }
    const note = await trx
      .insertInto('concern_note')
      .values({ concern_id: id, author_id: actor.id, author_name: actor.name, body, created_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'concern.note-added',
      subjectType: 'concern',
      subjectId: id,
      detail: { note: note.id },
      ip: actor.ip,
    })
    return { status: 'done' as const }
  })
}

/** Closes a concern with its outcome; from then its own retention period runs. */
export async function closeConcern(
  db: DB,
  id: number,
  outcome: string,
  actor: ConcernActor,
  now = new Date(),
): Promise<ConcernChangeResult> {
  return db.transaction().execute(async (trx) => {
    const closed = await trx
      .updateTable('concern')
      .set({ status: 'closed', closed_at: now.toISOString(), closed_by: actor.id, closed_by_name: actor.name, outcome })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst()
    if (Number(closed.numUpdatedRows) === 0) {
      const exists = await trx.selectFrom('concern').select('id').where('id', '=', id).executeTakeFirst()
      return { status: exists ? ('closed' as const) : ('not-found' as const) }
    }
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'concern.closed',
      subjectType: 'concern',
      subjectId: id,
      ip: actor.ip,
    })
    return { status: 'done' as const }
  })
}

// ---- retention ----

/**
 * Years a closed concern is kept after closing. Child-protection records are kept far longer than
 * booking details (schools' guidance keeps them until the child is 25 or longer), so the default is
 * 25 years after closing: past the 25th birthday of any child the service works with. At least 6
 * (the time in which a claim can be brought), at most 100 (how long adoption records are kept).
 */
export async function concernRetentionYears(db: DB): Promise<number> {
  const years = await getNumberSetting(db, 'concern_retention_years')
  return Number.isInteger(years) && years >= CONCERN_RETENTION_YEARS_MIN && years <= CONCERN_RETENTION_YEARS_MAX
    ? years
    : CONCERN_RETENTION_YEARS_DEFAULT
}

/** The first closing instant kept: the start of the London day `years` years before today. */
export function concernCutoff(now: Date, years: number): Date {
  return startOfLondonDay(addMonths(londonDateOf(now.toISOString()), -12 * years))
}

/**
 * Deletes closed concerns (with their notes) closed before their period; never an open one,
 * however old its session. Returns how many went.
 */
export async function eraseClosedConcerns(db: DB, now: Date, years: number): Promise<number> {
  const keepFrom = concernCutoff(now, years).toISOString()
  return db.transaction().execute(async (trx) => {
    const ids = (
      await trx
        .selectFrom('concern')
        .select('id')
        .where('status', '=', 'closed')
        .where('closed_at', '<', keepFrom)
        .execute()
    ).map((r) => r.id)
    if (ids.length === 0) return 0
    // The notes go first, whatever the database does with the foreign key's cascade.
    await trx.deleteFrom('concern_note').where('concern_id', 'in', ids).execute()
    await trx.deleteFrom('concern').where('id', 'in', ids).execute()
    return ids.length
  })
}
