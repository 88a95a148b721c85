// Marking a register from the attendance report Teams downloads: the report's names matched to
// the session's confirmed places, shown to staff to check and change, and saved only when they
// confirm, through the register's own save (the same marks, rules and audit as marking by hand).
//
// The matching rule (a suggestion for staff, never a silent guess):
// - names are compared as words, ignoring case, accents (Chloé is chloe), anything in brackets
//   ("(Guest)", "(External)", "(Unverified)"), punctuation, a trailing "'s" ("Sam's iPad") and
//   "Surname, First" order;
// - a name is a child's when its first words are the child's first name ("Sam", "Sam Carter",
//   "sam c");
// - a name is a family's device when it is the whole name of the family's parent or carer (two
//   words or more; a middle name may be left out): every child of that family on the session;
// - the meeting's organisers are never matched (they are staff);
// - when a name could be more than one child (two Sams), the one whose parent or carer has the
//   name's surname is taken if exactly one does; otherwise the name is shown beside each of them
//   for staff to choose, and none of them is marked for them;
// - a name that matches nobody is listed as unmatched: it may be a child under a nickname, a
//   relative, or someone who should not have been there, and staff decide.
// Any time in the meeting counts as seen; the minutes are shown so staff can judge.
import type { DB } from '../../db/index'
import type { ActivityKind, ActivityStatus } from '../../db/schema'
import { recordAudit, type StaffActor } from './audit.server'
import { registerIsEarly, saveRegister } from './register.server'
import { readTeamsReport, type TeamsAttendee, type TeamsReport, type TeamsReportProblem } from './teams-attendance'
import { londonDateOf } from '../time/london-time'

/** A confirmed place on the session, as matching needs it. */
export interface ImportPlace {
  placeId: number
  firstName: string | null
  ageOnDay: number
  authorityName: string
  attended: boolean | null
  /** the family (or, before families, the booking): children who may share one device */
  familyKey: string
  /** the family's parent or carer, as they gave their name */
  carerName: string | null
}

export interface NameSeen {
  name: string
  seconds: number | null
  /** the child's own name, or the family's device under their parent or carer's name */
  via: 'child' | 'carer'
}

export interface PlaceReview extends ImportPlace {
  /** names in the report that are this child's (own name or the family's device) */
  seen: NameSeen[]
  /** names that could be this child or another: staff choose */
  possible: Array<NameSeen & { alsoCouldBe: string[] }>
  /** the answer the check page starts with; null when staff must choose */
  suggestion: 'yes' | 'no' | null
}

export interface TeamsReview {
  places: PlaceReview[]
  /** names in the report that match nobody booked (organisers among them), in the report's order */
  unmatched: TeamsAttendee[]
}

/** A name as the words it is compared by (see the rule above). */
export function nameWords(name: string): string[] {
  let text = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/[‘’`´]/g, "'")
  // "Carter, Sam" is Sam Carter (one comma only: more is not a name order we know)
  const parts = text.split(',')
  if (parts.length === 2 && parts[0]!.trim() && parts[1]!.trim()) text = `${parts[1]} ${parts[0]}`
  return text
    .replace(/'s\b/g, ' ')
    .replace(/'/g, '')
    .replace(/[^\p{L}\p{N}-]+/gu, ' ')
    .split(/\s+/)
    .map((word) => word.replace(/^-+|-+$/g, ''))
    .filter(Boolean)
}

function startsWith(words: string[], prefix: string[]): boolean {
  return prefix.length > 0 && prefix.length <= words.length && prefix.every((w, i) => words[i] === w)
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((w, i) => b[i] === w)
}

function isCarersName(words: string[], carer: string[]): boolean {
  if (carer.length < 2 || words.length < 2) return false
  return same(words, carer) || (carer.length > 2 && same(words, [carer[0]!, carer.at(-1)!]))
}

function isOrganiser(role: string | null): boolean {
  return role !== null && /organi[sz]er/i.test(role)
}

/** One way a name could be read: a child, or a family's device (all its children). */
interface Reading {
  placeIds: number[]
  via: 'child' | 'carer'
  surname: string | null
}

/** Matches the report's names to the session's confirmed places. Pure: no database, no clock. */
export function matchAttendees(attendees: TeamsAttendee[], places: ImportPlace[]): TeamsReview {
  const childWords = new Map(places.map((p) => [p.placeId, nameWords(p.firstName ?? '')]))
  const families = new Map<string, ImportPlace[]>()
  for (const place of places) families.set(place.familyKey, [...(families.get(place.familyKey) ?? []), place])
  const seen = new Map<number, NameSeen[]>()
  const possible = new Map<number, Array<NameSeen & { alsoCouldBe: string[] }>>()
  const unmatched: TeamsAttendee[] = []
  const label = (place: ImportPlace) => `${place.firstName ?? '(name erased)'} (age ${place.ageOnDay})`
  const byId = new Map(places.map((p) => [p.placeId, p]))

  for (const attendee of attendees) {
    const words = nameWords(attendee.name)
    if (isOrganiser(attendee.role) || words.length === 0) {
      unmatched.push(attendee)
      continue
    }
    const readings: Reading[] = []
    for (const [, members] of families) {
      const carer = nameWords(members[0]!.carerName ?? '')
      if (isCarersName(words, carer))
        readings.push({ placeIds: members.map((m) => m.placeId), via: 'carer', surname: null })
    }
    for (const place of places) {
      const first = childWords.get(place.placeId)!
      if (!startsWith(words, first)) continue
      const rest = words.slice(first.length)
      readings.push({ placeIds: [place.placeId], via: 'child', surname: rest.at(-1) ?? null })
    }
    let chosen = readings
    if (readings.length > 1) {
      // Two children the name could be: the one whose parent or carer has the name's surname, if only one does.
      const bySurname = readings.filter((r) => {
        if (r.via === 'carer') return true
        const place = byId.get(r.placeIds[0]!)!
        const carerSurname = nameWords(place.carerName ?? '').at(-1)
        return r.surname !== null && carerSurname !== undefined && r.surname === carerSurname
      })
      if (bySurname.length === 1) chosen = bySurname
    }
    if (chosen.length === 0) {
      unmatched.push(attendee)
    } else if (chosen.length === 1) {
      for (const placeId of chosen[0]!.placeIds) {
        seen.set(placeId, [
          ...(seen.get(placeId) ?? []),
          { name: attendee.name, seconds: attendee.seconds, via: chosen[0]!.via },
        ])
      }
    } else {
      const candidates = [...new Set(chosen.flatMap((r) => r.placeIds))]
      for (const placeId of candidates) {
        const via = chosen.find((r) => r.placeIds.includes(placeId))!.via
        possible.set(placeId, [
          ...(possible.get(placeId) ?? []),
          {
            name: attendee.name,
            seconds: attendee.seconds,
            via,
            alsoCouldBe: candidates.filter((id) => id !== placeId).map((id) => label(byId.get(id)!)),
          },
        ])
      }
    }
  }

  return {
    places: places.map((place) => {
      const names = seen.get(place.placeId) ?? []
      const maybe = possible.get(place.placeId) ?? []
      const current = place.attended === null ? null : place.attended ? 'yes' : 'no'
      // Seen: attended. A name that could be them or another: a mark already on the register
      // stands, else staff choose. Not seen: a mark already there stands (a child who came by
      // phone, marked by hand), else did not attend.
      const suggestion: PlaceReview['suggestion'] =
        names.length > 0 ? 'yes' : maybe.length > 0 ? current : (current ?? 'no')
      return { ...place, seen: names, possible: maybe, suggestion }
    }),
    unmatched,
  }
}

async function importPlaces(db: DB, activityId: number): Promise<ImportPlace[]> {
  const rows = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .innerJoin('authority', 'authority.code', 'booking.authority_code')
    .leftJoin('family', 'family.id', 'booking.family_id')
    .select([
      'place.id',
      'place.first_name',
      'place.age_on_day',
      'place.attended',
      'authority.name as authorityName',
      'booking.id as bookingId',
      'booking.family_id',
      'booking.contact_name',
      'booking.member_id',
      'family.contact_name as familyContactName',
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
    attended: r.attended === null ? null : r.attended === 1,
    familyKey: r.family_id === null ? `booking-${r.bookingId}` : `family-${r.family_id}`,
    // an Adoptables booking's contact is the young person themself, not a parent or carer
    carerName: r.member_id === null ? (r.familyContactName ?? r.contact_name) : null,
  }))
}

export interface ImportActivity {
  id: number
  title: string
  starts_at: string
  ends_at: string
  kind: ActivityKind
  status: ActivityStatus
}

export interface TeamsCheck {
  status: 'checked'
  activity: ImportActivity
  report: TeamsReport
  review: TeamsReview
  /** false when the report's meeting started on another day than the session (a series shares one link) */
  sameDay: boolean | null
  early: boolean
}

async function activityFor(db: DB, activityId: number): Promise<ImportActivity | null> {
  const row = await db
    .selectFrom('activity')
    .select(['id', 'title', 'starts_at', 'ends_at', 'kind', 'status'])
    .where('id', '=', activityId)
    .executeTakeFirst()
  return row ?? null
}

async function check(
  db: DB,
  activity: ImportActivity,
  report: TeamsReport,
  now: Date,
  actor: StaffActor,
): Promise<TeamsCheck> {
  const review = matchAttendees(report.attendees, await importPlaces(db, activity.id))
  // Who is on the register is personal data shown to staff: the check is audited, with counts only
  // (never the report's names, which may be of people not booked).
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'register.teams-report-checked',
    subjectType: 'activity',
    subjectId: activity.id,
    detail: {
      names: report.attendees.length,
      seen: review.places.filter((p) => p.seen.length > 0).length,
      toChoose: review.places.filter((p) => p.seen.length === 0 && p.possible.length > 0).length,
      unmatched: review.unmatched.length,
    },
    ip: actor.ip,
  })
  return {
    status: 'checked',
    activity,
    report,
    review,
    sameDay: report.meetingDates.length ? report.meetingDates.includes(londonDateOf(activity.starts_at)) : null,
    early: registerIsEarly(activity.starts_at, now),
  }
}

/**
 * The check page for an uploaded report: the file's bytes read (never stored or logged), its
 * names matched to the session's confirmed places. Nothing is saved.
 */
export async function checkTeamsReport(
  db: DB,
  activityId: number,
  file: Uint8Array,
  now: Date,
  actor: StaffActor,
): Promise<TeamsCheck | { status: 'not-found' } | { status: 'problem'; problem: TeamsReportProblem }> {
  const activity = await activityFor(db, activityId)
  if (!activity) return { status: 'not-found' }
  const read = readTeamsReport(file)
  if (read.status === 'problem') return read
  return check(db, activity, read.report, now, actor)
}

/**
 * The check page's save: every child on the register now must have a mark (a name staff had to
 * choose for, or a place booked since the upload, is not left to chance); then the marks are
 * saved by the register's own save. Otherwise the check page again, with what was chosen.
 */
export async function saveTeamsAttendance(
  db: DB,
  activityId: number,
  input: { report: TeamsReport; marks: Map<number, boolean>; confirmedEarly: boolean; now: Date },
  actor: StaffActor,
): Promise<
  | { status: 'saved'; saved: number }
  | { status: 'not-found' }
  | (TeamsCheck & { problem: 'not-chosen'; missing: number[] })
  | (TeamsCheck & { problem: 'early-not-confirmed' })
> {
  const activity = await activityFor(db, activityId)
  if (!activity) return { status: 'not-found' }
  const places = await importPlaces(db, activity.id)
  const missing = places.filter((p) => !input.marks.has(p.placeId)).map((p) => p.placeId)
  if (missing.length > 0) {
    return { ...(await check(db, activity, input.report, input.now, actor)), problem: 'not-chosen', missing }
  }
  const result = await saveRegister(
    db,
    activity.id,
    input.marks,
    { markRestAttended: false, confirmedEarly: input.confirmedEarly, now: input.now },
    actor,
  )
  if (result.status === 'not-found') return { status: 'not-found' }
  if (result.status === 'early-not-confirmed') {
    return { ...(await check(db, activity, input.report, input.now, actor)), problem: 'early-not-confirmed' }
  }
  return { status: 'saved', saved: result.saved }
}
