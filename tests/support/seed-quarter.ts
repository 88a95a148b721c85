// Books a quarter shaped like the seed documents' figures (49 virtual activities, 522 spaces:
// Kent 458, Medway 41, Bexley 18, Greenwich 4, Bromley 1; 6 Adoptables meetings, 16 young people
// aged 12 to 18) into 2025-26 Q3, through the real booking, cancelling, register and feedback
// code, with noise that must not count. Returns the figures the report must show.
import type { DB } from '../../db/index'
import { changeActivityStatus, createActivities } from '../../app/domain/activities.server'
import { parseActivityForm } from '../../app/domain/activity-form'
import { ageOnDay } from '../../app/domain/age'
import { book } from '../../app/domain/bookings.server'
import { cancelPlaces } from '../../app/domain/cancellations.server'
import { confirmFamilyBooking, type ConfirmedBooking } from '../../app/domain/family-confirmation.server'
import type { Links } from '../../app/domain/links'
import { recordFeedback, type RecordFeedbackResult } from '../../app/domain/feedback.server'
import {
  addDays,
  addMonths,
  calendarDate,
  londonDateOf,
  parseCalendarDate,
  startOfLondonDay,
} from '../../app/time/london-time'
import { answerConsent, bookMeeting, registerMember } from '../../app/domain/members.server'
import { quarterPeriod } from '../../app/domain/quarters'
import { saveAttendance } from '../../app/domain/register.server'
import type { AuthorityCount, Report, ReportPeriod } from '../../app/domain/report-types'
import type { TestService } from './service'
import { pageTokenAfterConfirming } from './booking'

export const KENT = 'E10000016'
export const MEDWAY = 'E06000035'
export const BEXLEY = 'E09000004'
export const GREENWICH = 'E09000011'
export const BROMLEY = 'E09000006'
/** Appears only in noise: if it shows up in the report, noise was counted. */
export const LEWISHAM = 'E09000023'

/** The seed documents' spaces by home authority. */
export const SEED_SPACES: ReadonlyArray<readonly [string, number]> = [
  [KENT, 458],
  [MEDWAY, 41],
  [BEXLEY, 18],
  [GREENWICH, 4],
  [BROMLEY, 1],
]

/** The same spaces as the report, its tables and exports show them: name and figure, largest first. */
export const SEED_AUTHORITIES: ReadonlyArray<[string, string]> = [
  ['Kent', '458'],
  ['Medway', '41'],
  ['Bexley', '18'],
  ['Greenwich', '4'],
  ['Bromley', '1'],
]

export interface ExpectedFigures {
  period: ReportPeriod
  /** section 1 */
  activities: Report['activities']
  /** section 2, in report order (largest first, partners always listed) */
  byAuthority: AuthorityCount[]
  /** section 3 with the default age bands, in band order (every band listed) */
  byAgeBand: Array<{ label: string; value: number }>
  /** section 3's table with the default age bands: rows in byAuthority order, cells in band order */
  authorityByAgeBand: Array<{ code: string; cells: number[]; total: number }>
  /** section 3 cut by school year group, Pre-school to Left school (every group listed) */
  bySchoolYear: Array<{ label: string; value: number }>
  /** section 4 */
  adoptables: Report['adoptables']
  /** section 5: activity then adoptables */
  feedback: Report['feedback']
  /** section 6: activity then adoptables */
  waitingList: Report['waitingList']
  /** the sessions booked, by id */
  activityIds: number[]
  meetingIds: number[]
  /** what was booked but must not count */
  noise: {
    cancelledActivityId: number
    /** confirmed places on the cancelled activity (some marked attended, one with feedback) */
    cancelledActivityPlaces: number
    /** waitlisted places on the cancelled activity: not waiting-list demand either */
    cancelledActivityWaitlisted: number
    /** 30 September 2025 23:00 BST: 2025-26 Q2 */
    previousQuarterActivityId: number
    /** 1 January 2026 00:30 GMT: 2025-26 Q4 */
    nextQuarterActivityId: number
    /** cancelled places on counted activities (a whole booking and one child of another) */
    cancelledPlaces: number
    /** waitlisted places on counted activities: also section 6 */
    waitlistedPlaces: number
    cancelledMeetingId: number
    /** places marked not attended on counted activities and meetings */
    absentPlaces: number
    /** confirmed places never marked on the register */
    unmarkedPlaces: number
  }
}

// Section 3's figures for the 522 spaces booked below, worked out by hand from the ages and dates of
// birth the seed gives the children (not with the app's ageBandOf or schoolYearOf, so a wrong rule
// there shows as a wrong figure). They change only if the seed's children change.

/** Default age bands 0 to 4, 5 to 7, 8 to 11, 12 to 15, 16 to 18, 19 and over. */
const SEED_BY_AGE_BAND = [
  { label: '0 to 4', value: 48 },
  { label: '5 to 7', value: 119 },
  { label: '8 to 11', value: 214 },
  { label: '12 to 15', value: 95 },
  { label: '16 to 18', value: 46 },
  { label: '19 and over', value: 0 },
]

/** The authority × age band table's cells, in the bands' order above. */
const SEED_AUTHORITY_BY_AGE_BAND: ReadonlyArray<readonly [string, number[]]> = [
  [KENT, [43, 104, 190, 82, 39, 0]],
  [MEDWAY, [5, 9, 16, 7, 4, 0]],
  [BEXLEY, [0, 5, 7, 4, 2, 0]],
  [GREENWICH, [0, 1, 1, 1, 1, 0]],
  [BROMLEY, [0, 0, 0, 1, 0, 0]],
]

/** England's school year groups on the day of each session (the school year starts on 1 September). */
const SEED_BY_SCHOOL_YEAR = [
  { label: 'Pre-school', value: 28 },
  { label: 'Reception', value: 27 },
  { label: 'Year 1', value: 27 },
  { label: 'Year 2', value: 49 },
  { label: 'Year 3', value: 48 },
  { label: 'Year 4', value: 53 },
  { label: 'Year 5', value: 66 },
  { label: 'Year 6', value: 46 },
  { label: 'Year 7', value: 41 },
  { label: 'Year 8', value: 26 },
  { label: 'Year 9', value: 26 },
  { label: 'Year 10', value: 23 },
  { label: 'Year 11', value: 20 },
  { label: 'Year 12', value: 25 },
  { label: 'Year 13', value: 17 },
  { label: 'Left school', value: 0 },
]

const LINKS: Links = { baseUrl: 'http://join-in.test', domain: 'test.invalid' }
const DAY = 86_400_000

// Ages on the day, cycled over the children: every default band from 0 to 4 up to 16 to 18.
const AGES = [4, 6, 9, 7, 10, 5, 8, 11, 12, 3, 9, 13, 6, 14, 10, 8, 16, 7, 11, 15, 17, 9]
const FAMILY_SIZES = [2, 1, 3, 2, 1, 4, 2, 3]
const NAMES = [
  'Amara',
  'Ben',
  'Chloe',
  'Dev',
  'Ella',
  'Finn',
  'Grace',
  'Harry',
  'Isla',
  'Jay',
  'Kai',
  'Lily',
  'Max',
  'Nia',
  'Ollie',
  'Priya',
]

interface SeedChild {
  name: string
  dob: string
  age: number
  authority: string
  /** counted in the seed figures if it ends confirmed */
  planned: boolean
  /** cancelled by the family straight after booking */
  cancel: boolean
  state: 'confirmed' | 'waitlisted' | 'cancelled'
  attended: boolean | null
}

interface SeedFamily {
  authority: string
  children: SeedChild[]
}

interface SeedSession {
  id: number
  startsAt: Date
  day: string
  capacity: number
  families: SeedFamily[]
  confirmed: number
}

export interface SessionSpec {
  kind: 'activity' | 'adoptables'
  title: string
  category: string
  date: string
  start: string
  end: string
  capacity: number
  minAge: number
  maxAge: number
  weekly?: number
}

function sessionForm(s: SessionSpec): Record<string, string> {
  const d = parseCalendarDate(s.date)!
  return {
    kind: s.kind,
    title: s.title,
    category: s.category,
    description: `${s.title}, live on Teams.`,
    'date-day': String(d.day),
    'date-month': String(d.month),
    'date-year': String(d.year),
    startTime: s.start,
    endTime: s.end,
    capacity: String(s.capacity),
    minAge: String(s.minAge),
    maxAge: String(s.maxAge),
    locationType: 'online',
    joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_SEED%40thread.v2/0',
    venue: '',
    repeat: s.weekly ? 'weekly' : 'none',
    sessions: s.weekly ? String(s.weekly) : '',
  }
}

/** Publishes a session (or a weekly series) through the staff form's parser and createActivities, as staff would a month ahead. */
export async function publishSessions(
  db: DB,
  spec: SessionSpec,
): Promise<Array<{ id: number; startsAt: Date; capacity: number }>> {
  const now = new Date(startOfLondonDay(spec.date).getTime() - 30 * DAY)
  const parsed = parseActivityForm(sessionForm(spec), { allowRepeat: true, now })
  if (!parsed.ok) throw new Error(`seed session refused: ${JSON.stringify(parsed.errors)}`)
  const created = await createActivities(db, parsed.value, { publish: true, createdBy: null })
  if (created.status !== 'created') throw new Error(`seed session not created: ${created.error}`)
  const rows = await db
    .selectFrom('activity')
    .select(['id', 'starts_at', 'capacity'])
    .where('id', 'in', created.ids)
    .orderBy('starts_at')
    .execute()
  return rows.map((r) => ({ id: r.id, startsAt: new Date(r.starts_at), capacity: r.capacity }))
}

let childCounter = 0
function child(authority: string, age: number, day: string, planned: boolean, cancel = false): SeedChild {
  const n = childCounter++
  // a birthday 1 to 300 days before the day: exactly `age` on the day
  const dob = addDays(addMonths(day, -12 * age), -(1 + ((n * 37) % 300)))
  if (ageOnDay(dob, day) !== age) throw new Error('seed date of birth is wrong')
  return {
    name: `${NAMES[n % NAMES.length]} ${n}`,
    dob,
    age,
    authority,
    planned,
    cancel,
    state: 'confirmed',
    attended: null,
  }
}

let bookingCounter = 0
/** Books one family through book(), three days before the session, and checks the outcome is the one modelled. */
async function bookFamily(db: DB, session: SeedSession, family: SeedFamily): Promise<void> {
  const n = bookingCounter++
  const now = new Date(session.startsAt.getTime() - 3 * DAY)
  const result = await book(
    db,
    {
      activityId: session.id,
      contactName: `Parent ${n}`,
      email: `family${n}@example.org`,
      phone: null,
      authorityCode: family.authority,
      children: family.children.map((c) => ({ firstName: c.name, dateOfBirth: c.dob, supportNeeds: null })),
      mailingListOptIn: false,
      idempotencyKey: `seed-quarter-${n}`,
      acceptWaitlist: true,
    },
    LINKS,
    { maxChildren: 10, now },
  )
  if (result.status !== 'booked') throw new Error(`seed booking refused: ${JSON.stringify(result)}`)
  const left = Math.max(0, session.capacity - session.confirmed)
  family.children.forEach((c, i) => (c.state = i < left ? 'confirmed' : 'waitlisted'))
  session.confirmed += Math.min(left, family.children.length)
  const confirmed = family.children.filter((c) => c.state === 'confirmed').map((c) => c.name)
  // A new family's places are held until its address is proved: the parent opens the emailed
  // link a minute later, and the places held become its confirmed places.
  if (JSON.stringify(result.held) !== JSON.stringify(confirmed))
    throw new Error(`seed booking: expected ${confirmed} held, got ${result.held}`)
  const proved = await confirmByEmailedLink(db, result.reference, new Date(now.getTime() + 60_000))
  if (JSON.stringify(proved.confirmed) !== JSON.stringify(confirmed))
    throw new Error(`seed booking: expected ${confirmed} confirmed, got ${proved.confirmed}`)

  const toCancel = family.children.filter((c) => c.cancel)
  if (toCancel.length === 0) return
  const places = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .select(['place.id', 'place.first_name'])
    .where('booking.reference', '=', result.reference)
    .execute()
  const ids = places.filter((p) => toCancel.some((c) => c.name === p.first_name)).map((p) => p.id)
  const which = ids.length === family.children.length ? 'all' : ids
  // Confirming ended the form page's token: the family cancels with its confirmation email's link.
  const token = await pageTokenAfterConfirming(db, result.reference)
  if (!token) throw new Error(`seed booking ${result.reference}: no page link emailed on confirming`)
  const cancelled = await cancelPlaces(db, { reference: result.reference, token }, which, LINKS, now)
  if (cancelled.status !== 'cancelled' || cancelled.promoted !== 0)
    throw new Error(`seed cancellation: ${JSON.stringify(cancelled)}`)
  for (const c of toCancel) {
    if (c.state === 'confirmed') session.confirmed -= 1
    c.state = 'cancelled'
  }
}

/** Confirms a held booking by the link in its 'held' email (read from the outbox, as from an inbox). */
async function confirmByEmailedLink(db: DB, reference: string, now: Date): Promise<ConfirmedBooking> {
  const email = await db
    .selectFrom('outbox')
    .innerJoin('booking', 'booking.id', 'outbox.booking_id')
    .select('outbox.text_body')
    .where('booking.reference', '=', reference)
    .where('outbox.kind', '=', 'held')
    .executeTakeFirstOrThrow()
  const token = /\/family\/confirm\/([\w-]+)/.exec(email.text_body)?.[1]
  if (!token) throw new Error(`seed booking ${reference}: no confirm link in the held email`)
  const result = await confirmFamilyBooking(db, token, LINKS, now)
  if (result.status !== 'confirmed') throw new Error(`seed confirming ${reference}: ${result.status}`)
  return result
}

/** Marks the register for the children whose `attended` is set; others stay unmarked. */
async function keepRegister(db: DB, session: SeedSession): Promise<void> {
  const places = await db
    .selectFrom('place')
    .select(['id', 'first_name'])
    .where('activity_id', '=', session.id)
    .where('status', '=', 'confirmed')
    .execute()
  const byName = new Map(places.map((p) => [p.first_name, p.id]))
  const marks = new Map<number, boolean | null>()
  for (const c of session.families.flatMap((f) => f.children)) {
    if (c.state === 'confirmed' && c.attended !== null) marks.set(byName.get(c.name)!, c.attended)
  }
  await saveAttendance(db, session.id, marks)
}

async function placeIdOf(db: DB, activityId: number, firstName: string): Promise<number> {
  const row = await db
    .selectFrom('place')
    .select('id')
    .where('activity_id', '=', activityId)
    .where('first_name', '=', firstName)
    .executeTakeFirstOrThrow()
  return row.id
}

async function expectFeedback(
  db: DB,
  placeId: number,
  score: number,
  expected: RecordFeedbackResult,
  now: Date,
): Promise<void> {
  const outcome = await recordFeedback(db, placeId, score, score >= 4 ? 'Loved it' : null, now)
  if (outcome !== expected) throw new Error(`seed feedback on place ${placeId}: expected ${expected}, got ${outcome}`)
}

/** Splits a run of children's authorities into families: consecutive children of one authority, 1 to 4 at a time. */
function families(codes: string[], ageOf: (i: number) => number, day: string): SeedFamily[] {
  const out: SeedFamily[] = []
  let pos = 0
  while (pos < codes.length) {
    const size = FAMILY_SIZES[out.length % FAMILY_SIZES.length]!
    const authority = codes[pos]!
    const children: SeedChild[] = []
    while (children.length < size && pos < codes.length && codes[pos] === authority) {
      children.push(child(authority, ageOf(pos), day, true))
      pos += 1
    }
    out.push({ authority, children })
  }
  return out
}

export async function seedSeedQuarter(service: TestService): Promise<ExpectedFigures> {
  const db = service.database.db
  childCounter = 0
  bookingCounter = 0
  const period = quarterPeriod('2025-26', 3)
  const admin = await db.selectFrom('staff_user').select('id').orderBy('id').executeTakeFirstOrThrow()

  // ---- 49 virtual activities in 2025-26 Q3: six weekly series of eight, and one just after midnight on 1 October
  const activity = (title: string, category: string, date: string, start: string, end: string, weekly?: number) =>
    ({
      kind: 'activity',
      title,
      category,
      date,
      start,
      end,
      capacity: 11,
      minAge: 3,
      maxAge: 17,
      weekly,
    }) satisfies SessionSpec
  const created = [
    // 00:30 BST on 1 October is still 30 September in UTC: it belongs to Q3 by its London date
    ...(await publishSessions(
      db,
      activity('Midnight stargazing', 'Science experiments', '2025-10-01', '00:30', '01:30'),
    )),
    ...(await publishSessions(
      db,
      activity('After-school arts and crafts', 'Arts and crafts', '2025-10-02', '16:00', '17:00', 8),
    )),
    ...(await publishSessions(db, activity('Saturday dance', 'Dance and music', '2025-10-04', '10:00', '11:00', 8))),
    // includes Sunday 26 October 2025, the day the clocks go back
    ...(await publishSessions(
      db,
      activity('Sunday animal encounters', 'Animal encounters', '2025-10-05', '10:00', '11:00', 8),
    )),
    ...(await publishSessions(db, activity('Half-term gaming', 'Gaming', '2025-10-22', '16:30', '17:30', 8))),
    ...(await publishSessions(db, activity('Bingo and quiz', 'Bingo and quizzes', '2025-11-01', '14:00', '15:00', 8))),
    ...(await publishSessions(db, activity('Bake along', 'Cooking and baking', '2025-11-05', '17:00', '18:00', 8))),
  ].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
  if (created.length !== 49) throw new Error(`expected 49 seed activities, made ${created.length}`)

  // The 522 spaces' authorities, spread evenly over the quarter: 32 sessions of 11 and 17 of 10.
  const tokens = SEED_SPACES.flatMap(([code, n], order) =>
    Array.from({ length: n }, (_, j) => ({ code, at: (j + 0.5) / n, order })),
  )
  tokens.sort((a, b) => a.at - b.at || a.order - b.order)
  const codes = tokens.map((t) => t.code)
  let offset = 0
  const sessions: SeedSession[] = created.map((a, i) => {
    const count = i < 32 ? 11 : 10
    const slice = codes.slice(offset, offset + count)
    const start = offset
    offset += count
    const day = londonDateOf(a.startsAt)
    return {
      id: a.id,
      startsAt: a.startsAt,
      day,
      capacity: a.capacity,
      confirmed: 0,
      families: families(slice, (k) => AGES[(start + k) % AGES.length]!, day),
    }
  })

  // Noise on counted sessions: a child cancelled from a booking, a whole booking cancelled,
  // and families put on the waiting list of two full sessions.
  const partial = sessions[40]!
  partial.families[0]!.children.push(child(partial.families[0]!.authority, 8, partial.day, false, true))
  const whole = sessions[45]!
  whole.families.unshift({
    authority: KENT,
    children: [child(KENT, 8, whole.day, false, true), child(KENT, 10, whole.day, false, true)],
  })
  sessions[1]!.families.push({
    authority: MEDWAY,
    children: [child(MEDWAY, 8, sessions[1]!.day, false), child(MEDWAY, 9, sessions[1]!.day, false)],
  })
  sessions[10]!.families.push({ authority: BEXLEY, children: [child(BEXLEY, 7, sessions[10]!.day, false)] })

  // Registers: most came, some were absent, a few never marked.
  let plannedIndex = 0
  for (const s of sessions) {
    for (const c of s.families.flatMap((f) => f.children)) {
      if (!c.planned) continue
      const g = plannedIndex++
      c.attended = g % 13 === 7 ? null : g % 6 === 5 ? false : true
    }
  }
  for (const s of sessions) {
    for (const f of s.families) await bookFamily(db, s, f)
    await keepRegister(db, s)
  }

  // ---- Noise sessions: cancelled in Q3, and just either side of the quarter
  const [cancelledRow] = await publishSessions(db, {
    kind: 'activity',
    title: 'Magic show',
    category: 'Other',
    date: '2025-11-12',
    start: '16:00',
    end: '17:00',
    capacity: 4,
    minAge: 3,
    maxAge: 17,
  })
  const cancelledSession: SeedSession = {
    ...cancelledRow!,
    day: londonDateOf(cancelledRow!.startsAt),
    confirmed: 0,
    families: [],
  }
  cancelledSession.families = [
    { authority: KENT, children: [6, 8, 10].map((age) => child(KENT, age, cancelledSession.day, false)) },
    { authority: LEWISHAM, children: [child(LEWISHAM, 9, cancelledSession.day, false)] },
    { authority: MEDWAY, children: [child(MEDWAY, 7, cancelledSession.day, false)] },
  ]
  cancelledSession.families[0]!.children.forEach((c, i) => (c.attended = i < 2))
  for (const f of cancelledSession.families) await bookFamily(db, cancelledSession, f)
  await keepRegister(db, cancelledSession)

  const edge = async (title: string, date: string, start: string, end: string, kids: Array<[string, number]>) => {
    const [row] = await publishSessions(db, {
      kind: 'activity',
      title,
      category: 'Science experiments',
      date,
      start,
      end,
      capacity: 10,
      minAge: 3,
      maxAge: 17,
    })
    const day = londonDateOf(row!.startsAt)
    const s: SeedSession = {
      ...row!,
      day,
      confirmed: 0,
      families: kids.map(([code, age]) => ({ authority: code, children: [child(code, age, day, false)] })),
    }
    for (const c of s.families.flatMap((f) => f.children)) c.attended = true
    for (const f of s.families) await bookFamily(db, s, f)
    await keepRegister(db, s)
    return s
  }
  // 23:00 BST on 30 September: Q2 (a UTC-date rule would agree, 22:00Z; the Q3 start is the test above)
  const previous = await edge('Late stargazing', '2025-09-30', '23:00', '23:45', [
    [KENT, 9],
    [KENT, 10],
    [LEWISHAM, 11],
  ])
  const next = await edge('New Year stargazing', '2026-01-01', '00:30', '01:15', [
    [KENT, 9],
    [BROMLEY, 10],
    [LEWISHAM, 12],
  ])

  // ---- Section 5: feedback on ten counted activities and three meetings; noise that must not count
  const ACTIVITY_SCORES = [5, 4, 5, 3, 5, 4, 2, 5, 4, 5]
  const firstFeedbackPlace = { id: 0 }
  for (const [i, score] of ACTIVITY_SCORES.entries()) {
    const s = sessions[2 + 2 * i]!
    const c = s.families.flatMap((f) => f.children).find((x) => x.planned && x.state === 'confirmed')!
    const placeId = await placeIdOf(db, s.id, c.name)
    if (i === 0) firstFeedbackPlace.id = placeId
    await expectFeedback(db, placeId, score, 'recorded', new Date(s.startsAt.getTime() + DAY))
  }
  // a second response for the same place is refused; a waitlisted child cannot respond
  // (noise answered at a fixed time after the quarter, so nothing here follows the wall clock)
  const afterTheQuarter = new Date('2026-01-20T12:00:00.000Z')
  await expectFeedback(db, firstFeedbackPlace.id, 1, 'already-given', afterTheQuarter)
  const waitlistedChild = sessions[1]!.families.at(-1)!.children[0]!
  await expectFeedback(db, await placeIdOf(db, sessions[1]!.id, waitlistedChild.name), 1, 'not-found', afterTheQuarter)
  // responses on the sessions either side of the quarter, and on the magic show before it was cancelled
  await expectFeedback(
    db,
    await placeIdOf(db, previous.id, previous.families[0]!.children[0]!.name),
    1,
    'recorded',
    afterTheQuarter,
  )
  await expectFeedback(
    db,
    await placeIdOf(db, next.id, next.families[0]!.children[0]!.name),
    1,
    'recorded',
    afterTheQuarter,
  )
  await expectFeedback(
    db,
    await placeIdOf(db, cancelledSession.id, cancelledSession.families[0]!.children[0]!.name),
    1,
    'recorded',
    afterTheQuarter,
  )
  const cancelled = await changeActivityStatus(
    db,
    cancelledSession.id,
    'cancel',
    admin.id,
    LINKS,
    'The magician is unwell',
  )
  if (cancelled.status !== 'changed') throw new Error('seed: could not cancel the magic show')

  // ---- Section 4: six Adoptables meetings, 16 young people aged 12 to 18
  const meetingForm = (date: string, capacity: number) =>
    ({
      kind: 'adoptables',
      title: 'Adoptables meeting',
      category: 'Adoptables meeting',
      date,
      start: '18:00',
      end: '19:00',
      capacity,
      minAge: 12,
      maxAge: 18,
    }) satisfies SessionSpec
  const meetings: Array<{ id: number; startsAt: Date }> = []
  for (const [date, capacity] of [
    ['2025-10-08', 20],
    ['2025-10-22', 20],
    ['2025-11-05', 20],
    ['2025-11-19', 20],
    ['2025-12-03', 20],
    // exactly full with its six attendees: the next young person waits
    ['2025-12-17', 6],
  ] as const) {
    meetings.push(...(await publishSessions(db, meetingForm(date, capacity))))
  }
  const [cancelledMeeting] = await publishSessions(db, meetingForm('2025-11-26', 20))

  // who books which meeting (index), and the register: true came, false absent, null unmarked
  type Visit = [number, boolean | null]
  const members: Array<{ name: string; authority: string; age: number; visits: Visit[]; counted: boolean }> = [
    {
      name: 'Ash',
      authority: KENT,
      age: 12,
      visits: [
        [0, true],
        [1, true],
        [2, true],
        [3, true],
        [4, true],
        [5, true],
      ],
      counted: true,
    },
    {
      name: 'Bea',
      authority: KENT,
      age: 13,
      visits: [
        [0, true],
        [2, true],
        [4, true],
      ],
      counted: true,
    },
    {
      name: 'Cal',
      authority: KENT,
      age: 14,
      visits: [
        [1, true],
        [3, true],
        [5, true],
      ],
      counted: true,
    },
    {
      name: 'Dee',
      authority: KENT,
      age: 15,
      visits: [
        [0, true],
        [1, false],
      ],
      counted: true,
    },
    {
      name: 'Eli',
      authority: KENT,
      age: 16,
      visits: [
        [1, true],
        [2, true],
      ],
      counted: true,
    },
    {
      name: 'Fay',
      authority: KENT,
      age: 17,
      visits: [
        [2, true],
        [3, true],
        [4, true],
      ],
      counted: true,
    },
    { name: 'Gus', authority: KENT, age: 18, visits: [[3, true]], counted: true },
    {
      name: 'Hal',
      authority: KENT,
      age: 14,
      visits: [
        [4, true],
        [5, true],
      ],
      counted: true,
    },
    {
      name: 'Ivy',
      authority: KENT,
      age: 15,
      visits: [
        [5, true],
        [4, null],
      ],
      counted: true,
    },
    {
      name: 'Jed',
      authority: KENT,
      age: 16,
      visits: [
        [0, true],
        [5, true],
      ],
      counted: true,
    },
    { name: 'Kit', authority: MEDWAY, age: 12, visits: [[1, true]], counted: true },
    {
      name: 'Lou',
      authority: MEDWAY,
      age: 13,
      visits: [
        [2, true],
        [5, true],
      ],
      counted: true,
    },
    {
      name: 'Mo',
      authority: MEDWAY,
      age: 17,
      visits: [
        [3, true],
        [4, true],
      ],
      counted: true,
    },
    {
      name: 'Ned',
      authority: BEXLEY,
      age: 15,
      visits: [
        [0, true],
        [1, true],
      ],
      counted: true,
    },
    { name: 'Oz', authority: BEXLEY, age: 18, visits: [[4, true]], counted: true },
    { name: 'Pip', authority: GREENWICH, age: 16, visits: [[2, true]], counted: true },
    // noise: booked and marked absent, then on the waiting list of the full last meeting
    { name: 'Quin', authority: MEDWAY, age: 13, visits: [[2, false]], counted: false },
    // noise: came only to a meeting that was then cancelled
    { name: 'Rae', authority: LEWISHAM, age: 14, visits: [[6, true]], counted: false },
  ]
  const allMeetings = [...meetings, cancelledMeeting!]
  const registeredAt = new Date('2025-09-25T12:00:00.000Z')
  const memberIds = new Map<string, number>()
  for (const m of members) {
    // birthdays in June: the same age at every meeting from October to December 2025
    const dateOfBirth = calendarDate(2025 - m.age, 6, 10 + m.name.length)
    const [firstMeeting] = m.visits[0]!
    const registered = await registerMember(
      db,
      {
        firstName: m.name,
        dateOfBirth,
        email: `${m.name.toLowerCase()}@adoptables.example.org`,
        authorityCode: m.authority,
        notes: null,
        parentEmail: m.age < 13 ? `parent.of.${m.name.toLowerCase()}@example.org` : null,
        meetingId: allMeetings[firstMeeting]!.id,
      },
      LINKS,
      registeredAt,
    )
    if (registered.status === 'pending-consent') {
      // a parent or carer follows the emailed link
      const mail = await db
        .selectFrom('outbox')
        .select('text_body')
        .where('dedupe_key', '=', `consent-request:${registered.memberId}`)
        .executeTakeFirstOrThrow()
      const token = /\/adoptables\/consent\?token=([^\s"&<]+)/.exec(mail.text_body)?.[1]
      const consent = await answerConsent(
        db,
        decodeURIComponent(token ?? ''),
        'yes',
        LINKS,
        new Date(registeredAt.getTime() + DAY),
      )
      if (consent.status !== 'confirmed' || consent.booking?.status !== 'booked')
        throw new Error(`seed consent for ${m.name}: ${JSON.stringify(consent)}`)
      memberIds.set(m.name, registered.memberId)
    } else if (registered.status === 'registered' && registered.booking.status === 'booked') {
      memberIds.set(m.name, registered.memberId)
    } else {
      throw new Error(`seed registration for ${m.name}: ${JSON.stringify(registered)}`)
    }
  }
  for (const m of members) {
    for (const [index] of m.visits.slice(1)) {
      const meeting = allMeetings[index]!
      const booked = await bookMeeting(
        db,
        memberIds.get(m.name)!,
        meeting.id,
        LINKS,
        new Date(meeting.startsAt.getTime() - 2 * DAY),
      )
      if (booked.status !== 'booked' || booked.confirmed.length !== 1)
        throw new Error(`seed meeting booking for ${m.name}: ${JSON.stringify(booked)}`)
    }
  }
  const quin = await bookMeeting(
    db,
    memberIds.get('Quin')!,
    meetings[5]!.id,
    LINKS,
    new Date(meetings[5]!.startsAt.getTime() - DAY),
  )
  if (quin.status !== 'booked' || quin.waitlisted.length !== 1)
    throw new Error(`seed: Quin should wait for the full meeting: ${JSON.stringify(quin)}`)

  for (const [index, meeting] of allMeetings.entries()) {
    const places = await db
      .selectFrom('place')
      .innerJoin('booking', 'booking.id', 'place.booking_id')
      .select(['place.id', 'booking.member_id'])
      .where('place.activity_id', '=', meeting.id)
      .where('place.status', '=', 'confirmed')
      .execute()
    const marks = new Map<number, boolean | null>()
    for (const p of places) {
      const m = members.find((x) => memberIds.get(x.name) === p.member_id)!
      const mark = m.visits.find(([i]) => i === index)![1]
      if (mark !== null) marks.set(p.id, mark)
    }
    await saveAttendance(db, meeting.id, marks)
  }
  const ADOPTABLES_FEEDBACK: Array<[string, number, number]> = [
    ['Ash', 0, 5],
    ['Ash', 1, 4],
    ['Ned', 0, 4],
  ]
  for (const [name, index, score] of ADOPTABLES_FEEDBACK) {
    await expectFeedback(
      db,
      await placeIdOf(db, meetings[index]!.id, name),
      score,
      'recorded',
      new Date(meetings[index]!.startsAt.getTime() + DAY),
    )
  }
  const meetingCancelled = await changeActivityStatus(
    db,
    cancelledMeeting!.id,
    'cancel',
    admin.id,
    LINKS,
    'Room unavailable',
  )
  if (meetingCancelled.status !== 'changed') throw new Error('seed: could not cancel the meeting')

  // ---- The figures the report must show, from what was booked above
  const counted = sessions.flatMap((s) => s.families.flatMap((f) => f.children)).filter((c) => c.state === 'confirmed')
  if (counted.some((c) => !c.planned)) throw new Error('seed: noise ended up confirmed on a counted session')
  const authorityRows = await db.selectFrom('authority').select(['code', 'name', 'is_partner']).execute()
  const spacesBy = new Map<string, number>()
  for (const c of counted) spacesBy.set(c.authority, (spacesBy.get(c.authority) ?? 0) + 1)
  const listed = (counts: Map<string, number>): AuthorityCount[] =>
    authorityRows
      .filter((a) => a.is_partner === 1 || (counts.get(a.code) ?? 0) > 0)
      .map((a) => ({ code: a.code, name: a.name, isPartner: a.is_partner === 1, value: counts.get(a.code) ?? 0 }))
      .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name, 'en-GB'))
  const byAuthority = listed(spacesBy)
  if (counted.length !== 522) throw new Error(`seed: ${counted.length} spaces booked, not 522`)
  const came = members.filter((m) => m.counted && m.visits.some(([i, mark]) => i < 6 && mark === true))
  const attendedAges = came.flatMap((m) => m.visits.filter(([i, mark]) => i < 6 && mark === true).map(() => m.age))
  const youngPeopleBy = new Map<string, number>()
  for (const m of came) youngPeopleBy.set(m.authority, (youngPeopleBy.get(m.authority) ?? 0) + 1)
  const round2 = (n: number) => Math.round(n * 100) / 100
  const adoptablesScores = ADOPTABLES_FEEDBACK.map(([, , s]) => s)

  const allSeedChildren = sessions.flatMap((s) => s.families.flatMap((f) => f.children))
  const absentMeetings = members.flatMap((m) => m.visits.filter(([i, mark]) => i < 6 && mark === false)).length
  const unmarkedMeetings = members.flatMap((m) => m.visits.filter(([i, mark]) => i < 6 && mark === null)).length
  return {
    period,
    activities: {
      held: sessions.length,
      spacesBooked: counted.length,
      spacesAttended: counted.filter((c) => c.attended === true).length,
    },
    byAuthority,
    byAgeBand: SEED_BY_AGE_BAND,
    authorityByAgeBand: byAuthority.map((a) => {
      const row = SEED_AUTHORITY_BY_AGE_BAND.find(([code]) => code === a.code)
      if (!row) throw new Error(`seed: no age bands written down for ${a.code}`)
      return { code: a.code, cells: row[1], total: a.value }
    }),
    bySchoolYear: SEED_BY_SCHOOL_YEAR,
    adoptables: {
      meetingsHeld: meetings.length,
      distinctYoungPeople: came.length,
      minAge: Math.min(...attendedAges),
      maxAge: Math.max(...attendedAges),
      byAuthority: listed(youngPeopleBy),
    },
    feedback: [
      {
        kind: 'activity',
        responses: ACTIVITY_SCORES.length,
        averageScore: round2(ACTIVITY_SCORES.reduce((a, b) => a + b, 0) / ACTIVITY_SCORES.length),
      },
      {
        kind: 'adoptables',
        responses: adoptablesScores.length,
        averageScore: round2(adoptablesScores.reduce((a, b) => a + b, 0) / adoptablesScores.length),
      },
    ],
    waitingList: [
      {
        kind: 'activity',
        places: allSeedChildren.filter((c) => c.state === 'waitlisted').length,
        sessions: sessions.filter((s) => s.families.some((f) => f.children.some((c) => c.state === 'waitlisted')))
          .length,
      },
      { kind: 'adoptables', places: 1, sessions: 1 },
    ],
    activityIds: sessions.map((s) => s.id),
    meetingIds: meetings.map((m) => m.id),
    noise: {
      cancelledActivityId: cancelledSession.id,
      cancelledActivityPlaces: cancelledSession.families
        .flatMap((f) => f.children)
        .filter((c) => c.state === 'confirmed').length,
      cancelledActivityWaitlisted: cancelledSession.families
        .flatMap((f) => f.children)
        .filter((c) => c.state === 'waitlisted').length,
      previousQuarterActivityId: previous.id,
      nextQuarterActivityId: next.id,
      cancelledPlaces: allSeedChildren.filter((c) => c.state === 'cancelled').length,
      waitlistedPlaces: allSeedChildren.filter((c) => c.state === 'waitlisted').length,
      cancelledMeetingId: cancelledMeeting!.id,
      absentPlaces: counted.filter((c) => c.attended === false).length + absentMeetings,
      unmarkedPlaces: counted.filter((c) => c.attended === null).length + unmarkedMeetings,
    },
  }
}
