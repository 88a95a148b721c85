// The register of a session: every place on it for staff, who came, and the register's CSV. On
// screen (and its printed copy) it shows each child's consents and the family's emergency number,
// for use during the call; the CSV leaves both out (see registerCsv).
import type { Transaction } from 'kysely'
import type { DB } from '../../db/index'
import type { Database, Place } from '../../db/schema'
import { recordAudit, type StaffActor } from './audit.server'
import { CHILD_CONSENT_COLUMNS, consentsOf, type Consents } from './child-consents'
import { csvField } from './csv'
import { londonDateOf } from '../time/london-time'

export interface RegisterRow {
  placeId: number
  firstName: string | null
  ageOnDay: number
  authorityName: string
  supportNeeds: string | null
  attended: boolean | null
  /** the family the place's booking belongs to (null for Adoptables and for bookings erased before families) */
  familyId: number | null
  /** the family's number for during the session: shown to staff only */
  emergencyPhone: string | null
  /** the booker's phone (the booking's, else the family's): shown when there is no emergency number */
  bookerPhone: string | null
  /** an Adoptables member's record: when a parent or carer consented to the sign-up, if one was asked */
  member: { parentalConsentAt: string | null; parentAsked: boolean } | null
  /** the child's consents as they are now; all not answered when none were recorded (no child kept: Adoptables, erased) */
  consents: Consents
}

export interface RegisterCounts {
  attended: number
  absent: number
  notMarked: number
}

async function listRegister(db: DB, activityId: number): Promise<RegisterRow[]> {
  const rows = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .innerJoin('authority', 'authority.code', 'booking.authority_code')
    .leftJoin('family', 'family.id', 'booking.family_id')
    .leftJoin('child', 'child.id', 'place.child_id')
    .leftJoin('member', 'member.id', 'booking.member_id')
    .select([
      'place.id',
      'place.first_name',
      'place.age_on_day',
      'place.support_needs',
      'place.attended',
      'authority.name as authorityName',
      'family.id as familyId',
      'family.emergency_phone',
      'family.phone as familyPhone',
      'booking.phone as bookingPhone',
      'member.id as memberId',
      'member.parent_email',
      'member.consented_at',
      ...CHILD_CONSENT_COLUMNS,
    ])
    .where('place.activity_id', '=', activityId)
    .where('place.status', '=', 'confirmed')
    .orderBy('place.first_name')
    .orderBy('place.id')
    .execute()
  return rows.map((r) => ({
    placeId: r.id,
    firstName: r.first_name,
    ageOnDay: r.age_on_day,
    authorityName: r.authorityName,
    supportNeeds: r.support_needs,
    attended: r.attended === null ? null : r.attended === 1,
    familyId: r.familyId,
    emergencyPhone: r.emergency_phone,
    bookerPhone: r.bookingPhone || r.familyPhone || null,
    member: r.memberId === null ? null : { parentalConsentAt: r.consented_at, parentAsked: r.parent_email !== null },
    consents: consentsOf(r),
  }))
}

/**
 * The register for a staff member to take or print; the view is audited, saying that the
 * children's consents and the emergency numbers were shown with it.
 */
export async function viewRegister(db: DB, activityId: number, actor: StaffActor): Promise<RegisterRow[]> {
  const register = await listRegister(db, activityId)
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'register.viewed',
    subjectType: 'activity',
    subjectId: activityId,
    detail: { rows: register.length, shown: ['consents', 'emergency numbers'] },
    ip: actor.ip,
  })
  return register
}

/** The register as a CSV download: children's personal data leaving the service, so it is audited. */
export async function exportRegister(
  db: DB,
  activity: { id: number; starts_at: string },
  actor: StaffActor,
): Promise<{ csv: string; filename: string }> {
  const register = await listRegister(db, activity.id)
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'register.exported',
    subjectType: 'activity',
    subjectId: activity.id,
    detail: { format: 'csv', rows: register.length },
    ip: actor.ip,
  })
  return { csv: registerCsv(register), filename: registerCsvFilename(activity) }
}

/** How far through the register staff are: shown above it so nobody is missed during the call. */
export function registerCounts(rows: RegisterRow[]): RegisterCounts {
  return {
    attended: rows.filter((r) => r.attended === true).length,
    absent: rows.filter((r) => r.attended === false).length,
    notMarked: rows.filter((r) => r.attended === null).length,
  }
}

async function writeMarks(
  trx: Transaction<Database>,
  activityId: number,
  marks: Map<number, boolean | null>,
  now: string,
): Promise<number> {
  let changed = 0
  for (const [placeId, attended] of marks) {
    // Only confirmed places of this session: a mark posted for a place cancelled since the page
    // loaded, or for another session's place, changes nothing.
    const result = await trx
      .updateTable('place')
      .set({ attended: attended === null ? null : attended ? 1 : 0, updated_at: now })
      .where('id', '=', placeId)
      .where('activity_id', '=', activityId)
      .where('status', '=', 'confirmed')
      .executeTakeFirst()
    changed += Number(result.numUpdatedRows)
  }
  return changed
}

/** Saves attendance for the places given (others untouched); only confirmed places of this session. */
export async function saveAttendance(db: DB, activityId: number, marks: Map<number, boolean | null>): Promise<number> {
  if (marks.size === 0) return 0
  return db.transaction().execute((trx) => writeMarks(trx, activityId, marks, new Date().toISOString()))
}

export interface SaveRegisterResult {
  status: 'saved'
  /** places whose mark was written from the form */
  saved: number
  /** places still unmarked after that, now marked attended */
  markedAttended: number
}

/** How long before a session its register may be marked without saying so: a day. */
export const REGISTER_EARLY_MS = 24 * 60 * 60 * 1000

/**
 * Marking a register more than a day before the session is almost always the wrong session
 * (a series lists many with one title), and would put children in the report as attended or not
 * before they could have come; so it is saved only when staff confirm they mean it.
 */
export function registerIsEarly(startsAt: string, now: Date): boolean {
  return new Date(startsAt).getTime() - now.getTime() > REGISTER_EARLY_MS
}

/**
 * The register form's save. Marks not in the form are left as they are, so two people taking
 * the register on two devices (or a page loaded before a late booking) never wipe each other's
 * marks. With markRestAttended, every confirmed place still unmarked after the form's marks is
 * marked attended, in the same transaction: most children come, so staff mark the few who did
 * not and finish with one button.
 */
export async function saveRegister(
  db: DB,
  activityId: number,
  marks: Map<number, boolean>,
  options: { markRestAttended: boolean; confirmedEarly: boolean; now: Date },
  actor: StaffActor,
): Promise<SaveRegisterResult | { status: 'early-not-confirmed' } | { status: 'not-found' }> {
  const activity = await db.selectFrom('activity').select('starts_at').where('id', '=', activityId).executeTakeFirst()
  if (!activity) return { status: 'not-found' }
  if (registerIsEarly(activity.starts_at, options.now) && !options.confirmedEarly) {
    return { status: 'early-not-confirmed' }
  }
  const result = await db.transaction().execute(async (trx) => {
    const now = new Date().toISOString()
    const saved = await writeMarks(trx, activityId, marks, now)
    if (!options.markRestAttended) return { saved, markedAttended: 0 }
    const rest = await trx
      .updateTable('place')
      .set({ attended: 1, updated_at: now })
      .where('activity_id', '=', activityId)
      .where('status', '=', 'confirmed')
      .where('attended', 'is', null)
      .executeTakeFirst()
    return { saved, markedAttended: Number(rest.numUpdatedRows) }
  })
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'register.saved',
    subjectType: 'activity',
    subjectId: activityId,
    detail: {
      changed: result.saved + result.markedAttended,
      saved: result.saved,
      markedAttended: result.markedAttended,
    },
    ip: actor.ip,
  })
  return { status: 'saved', ...result }
}

export const REGISTER_CSV_HEADER = [
  'First name',
  'Age on the day',
  'Home authority',
  'Support needs',
  'Attended',
] as const

/** "Yes", "No", or empty while not marked, in the CSV as on the printed register. */
export function attendedText(attended: boolean | null): string {
  return attended === null ? '' : attended ? 'Yes' : 'No'
}

/**
 * The register as a CSV file: UTF-8 with a BOM and CRLF line ends, so Excel opens it cleanly.
 * Consents and emergency numbers stay out: they are for the call, read on the register's page
 * (where every view is audited), while a downloaded file outlives the session on someone's
 * computer, and a family's phone number is just what a birth relative looking for a child wants.
 */
function registerCsv(rows: RegisterRow[]): string {
  const lines = [
    REGISTER_CSV_HEADER.map((h) => csvField(h)).join(','),
    ...rows.map((r) =>
      [
        csvField(r.firstName ?? ''),
        csvField(r.ageOnDay),
        csvField(r.authorityName),
        csvField(r.supportNeeds ?? ''),
        csvField(attendedText(r.attended)),
      ].join(','),
    ),
  ]
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** e.g. "join-in-register-2026-01-15-session-12.csv": the date first, so the files sort by day. */
function registerCsvFilename(activity: { id: number; starts_at: string }): string {
  return `join-in-register-${londonDateOf(activity.starts_at)}-session-${activity.id}.csv`
}

export interface SessionBookingRow {
  reference: string
  /** null for Adoptables and for bookings erased before families */
  familyId: number | null
  contactName: string | null
  email: string | null
  phone: string | null
  authorityName: string
  placeId: number
  firstName: string | null
  ageOnDay: number
  supportNeeds: string | null
  status: Place['status']
  bookedAt: string
}

/**
 * Staff view of one session's bookings (names, addresses, phone numbers): audited whenever there
 * is anyone to show.
 */
export async function viewSessionPlaces(db: DB, activityId: number, actor: StaffActor): Promise<SessionBookingRow[]> {
  const places = await listSessionPlaces(db, activityId)
  if (places.length) {
    await recordAudit(db, {
      actorUserId: actor.id,
      action: 'bookings.viewed',
      subjectType: 'activity',
      subjectId: activityId,
      ip: actor.ip,
    })
  }
  return places
}

/** Every place with its booking, confirmed first then the waiting list in order. */
async function listSessionPlaces(db: DB, activityId: number): Promise<SessionBookingRow[]> {
  const rows = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .innerJoin('authority', 'authority.code', 'booking.authority_code')
    .select([
      'booking.reference',
      'booking.family_id',
      'booking.contact_name',
      'booking.email',
      'booking.phone',
      'authority.name as authorityName',
      'place.id as placeId',
      'place.first_name',
      'place.age_on_day',
      'place.support_needs',
      'place.status',
      'place.created_at',
    ])
    .where('place.activity_id', '=', activityId)
    .orderBy('place.id')
    .execute()
  return rows.map((r) => ({
    reference: r.reference,
    familyId: r.family_id,
    contactName: r.contact_name,
    email: r.email,
    phone: r.phone,
    authorityName: r.authorityName,
    placeId: r.placeId,
    firstName: r.first_name,
    ageOnDay: r.age_on_day,
    supportNeeds: r.support_needs,
    status: r.status,
    bookedAt: r.created_at,
  }))
}
