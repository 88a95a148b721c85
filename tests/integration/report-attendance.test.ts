// Attendance, no-shows, series retention, waiting-list demand that stayed and the share of known
// adopted children reached, over real HTTP against the production build, on a term booked through
// the real booking, cancelling and register code. Every expected figure is worked out by hand from
// the bookings and marks below (the comments show the sums), never by the code under test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createActivities } from '../../app/domain/activities.server'
import { parseActivityForm } from '../../app/domain/activity-form'
import { createApiToken } from '../../app/domain/api-tokens.server'
import { book } from '../../app/domain/bookings.server'
import { cancelPlaces } from '../../app/domain/cancellations.server'
import type { Links } from '../../app/domain/links'
import { saveAttendance } from '../../app/domain/register.server'
import { parseCalendarDate, startOfLondonDay } from '../../app/time/london-time'
import type { DB } from '../../db/index'
import { testClock } from '../support/clock'
import { parseCsv } from '../support/csv'
import { createFamily } from '../support/family'
import { startTestService, type HttpClient, type TestService } from '../support/service'
import { readWorkbook } from '../support/xlsx'

const KENT = 'E10000016'
const MEDWAY = 'E06000035'
const BEXLEY = 'E09000004'
const GREENWICH = 'E09000011'
const LINKS: Links = { baseUrl: 'http://join-in.test', domain: 'test.invalid' }
const DAY = 86_400_000
const Q3 = 'quarter=2025-26+Q3'

// The report is read on 10 December 2025: the session on 15 December has not started, so its
// waiting list has not "stayed" yet.
const START = '2025-12-10T12:00:00Z'
const clock = testClock(START)

function decode(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim()
}

/** The rows (head, body and totals) of the table with this caption, as cell texts. */
function table(html: string, caption: string): string[][] {
  const start = html.indexOf(`>${caption}</caption>`)
  if (start === -1) throw new Error(`no table captioned "${caption}"`)
  const markup = html.slice(start, html.indexOf('</table>', start))
  return [...markup.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => decode(cell[1]!)),
  )
}

async function publish(
  db: DB,
  spec: { title: string; category: string; date: string; capacity: number; weekly?: number },
): Promise<number[]> {
  const d = parseCalendarDate(spec.date)!
  const form = {
    kind: 'activity',
    title: spec.title,
    category: spec.category,
    description: `${spec.title}, live on Teams.`,
    'date-day': String(d.day),
    'date-month': String(d.month),
    'date-year': String(d.year),
    startTime: '16:00',
    endTime: '17:00',
    capacity: String(spec.capacity),
    minAge: '3',
    maxAge: '17',
    locationType: 'online',
    joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_ATTEND%40thread.v2/0',
    venue: '',
    repeat: spec.weekly ? 'weekly' : 'none',
    sessions: spec.weekly ? String(spec.weekly) : '',
  }
  const now = new Date(startOfLondonDay(spec.date).getTime() - 30 * DAY)
  const parsed = parseActivityForm(form, { allowRepeat: true, now })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  const created = await createActivities(db, parsed.value, { publish: true, createdBy: null })
  if (created.status !== 'created') throw new Error(created.error)
  const rows = await db
    .selectFrom('activity')
    .select('id')
    .where('id', 'in', created.ids)
    .orderBy('starts_at')
    .execute()
  return rows.map((r) => r.id)
}

let service: TestService
let admin: HttpClient
let staff: HttpClient
let viewer: HttpClient
let ids: Record<string, number> = {}
let families: Record<string, { familyId: number; childIds: number[] }> = {}
/** place ids by "session:child" */
const places = new Map<string, number>()
const references = new Map<string, { reference: string; manageToken: string }>()
let bookings = 0

/** Books a known family's children through book(), three days before the session. */
async function bookKids(session: string, family: string, names: string[], expected: 'confirmed' | 'waitlisted') {
  const db = service.database.db
  const f = families[family]!
  const kids = await db.selectFrom('child').select(['id', 'first_name']).where('family_id', '=', f.familyId).execute()
  const childIds = names.map((n) => kids.find((k) => k.first_name === n)!.id)
  const activity = await db
    .selectFrom('activity')
    .select('starts_at')
    .where('id', '=', ids[session]!)
    .executeTakeFirstOrThrow()
  bookings += 1
  const result = await book(
    db,
    {
      activityId: ids[session]!,
      familyId: f.familyId,
      childIds,
      idempotencyKey: `attend-${bookings}`,
      acceptWaitlist: true,
    },
    LINKS,
    { maxChildren: 6, now: new Date(new Date(activity.starts_at).getTime() - 3 * DAY) },
  )
  if (result.status !== 'booked') throw new Error(`booking ${session} ${family}: ${JSON.stringify(result)}`)
  references.set(`${session}:${family}`, { reference: result.reference, manageToken: result.manageToken })
  const rows = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .select(['place.id', 'place.first_name', 'place.status'])
    .where('booking.reference', '=', result.reference)
    .execute()
  for (const row of rows) {
    expect(row.status, `${session} ${row.first_name}`).toBe(expected)
    places.set(`${session}:${row.first_name}`, row.id)
  }
}

async function mark(session: string, marks: Record<string, boolean>) {
  const map = new Map<number, boolean | null>()
  for (const [name, came] of Object.entries(marks)) map.set(places.get(`${session}:${name}`)!, came)
  expect(await saveAttendance(service.database.db, ids[session]!, map)).toBe(map.size)
}

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '1000' }, { now: clock.now })
  const db = service.database.db
  const [a1, a2, a3, a4] = await publish(db, {
    title: 'Weekly art club',
    category: 'Arts and crafts',
    date: '2025-10-01',
    capacity: 10,
    weekly: 4,
  })
  ids = {
    A1: a1!,
    A2: a2!,
    A3: a3!,
    A4: a4!,
    S5: (
      await publish(db, { title: 'Science lab', category: 'Science experiments', date: '2025-11-05', capacity: 3 })
    )[0]!,
    S6: (await publish(db, { title: 'Gaming night', category: 'Gaming', date: '2025-11-12', capacity: 2 }))[0]!,
    S7: (
      await publish(db, { title: 'Bake along', category: 'Cooking and baking', date: '2025-12-15', capacity: 1 })
    )[0]!,
    // 2025-26 Q4: a series whose second session has no register
    ...Object.fromEntries(
      (await publish(db, { title: 'Winter chess', category: 'Other', date: '2026-01-07', capacity: 5, weekly: 3 })).map(
        (id, i) => [`W${i + 1}`, id],
      ),
    ),
    // more than 12 months before the clock: not in the family's no-shows
    OLD: (await publish(db, { title: 'Old quiz', category: 'Bingo and quizzes', date: '2024-11-01', capacity: 5 }))[0]!,
  }
  const family = async (authorityCode: string, children: Array<[string, string]>) =>
    createFamily(db, {
      authorityCode,
      contactName: `Parent of ${children[0]![0]}`,
      children: children.map(([firstName, dob]) => ({ firstName, dob })),
    })
  families = {
    F1: await family(KENT, [
      ['Amy', '2018-03-01'],
      ['Ben', '2016-05-02'],
    ]),
    F2: await family(KENT, [['Cara', '2019-01-03']]),
    F3: await family(MEDWAY, [
      ['Dan', '2017-02-04'],
      ['Eve', '2015-06-05'],
    ]),
    F4: await family(BEXLEY, [['Finn', '2020-01-06']]),
    F5: await family(GREENWICH, [['Gus', '2014-04-07']]),
    F6: await family(KENT, [['Hal', '2017-07-08']]),
    F7: await family(MEDWAY, [['Ivy', '2016-08-09']]),
  }

  // The series: five children on the first session, fewer of them each week after.
  await bookKids('A1', 'F1', ['Amy', 'Ben'], 'confirmed')
  await bookKids('A1', 'F2', ['Cara'], 'confirmed')
  await bookKids('A1', 'F3', ['Dan', 'Eve'], 'confirmed')
  await mark('A1', { Amy: true, Ben: true, Cara: true, Dan: false, Eve: true })
  await bookKids('A2', 'F1', ['Amy', 'Ben'], 'confirmed')
  await bookKids('A2', 'F3', ['Dan', 'Eve'], 'confirmed')
  await bookKids('A2', 'F4', ['Finn'], 'confirmed')
  await mark('A2', { Amy: true, Ben: false, Dan: true, Eve: true, Finn: true })
  await bookKids('A3', 'F1', ['Amy', 'Ben'], 'confirmed')
  await bookKids('A3', 'F2', ['Cara'], 'confirmed')
  await bookKids('A3', 'F4', ['Finn'], 'confirmed')
  // Ben is never marked
  await mark('A3', { Amy: true, Cara: false, Finn: true })
  await bookKids('A4', 'F1', ['Amy'], 'confirmed')
  await bookKids('A4', 'F5', ['Gus'], 'confirmed')
  await mark('A4', { Amy: false, Gus: true })

  // Science lab: full; Cara's family cancels, Hal is promoted from the waiting list, Ivy stays on it.
  await bookKids('S5', 'F3', ['Dan', 'Eve'], 'confirmed')
  await bookKids('S5', 'F2', ['Cara'], 'confirmed')
  await bookKids('S5', 'F6', ['Hal'], 'waitlisted')
  await bookKids('S5', 'F7', ['Ivy'], 'waitlisted')
  const cara = references.get('S5:F2')!
  const starts = await db.selectFrom('activity').select('starts_at').where('id', '=', ids.S5!).executeTakeFirstOrThrow()
  const cancelled = await cancelPlaces(
    db,
    { reference: cara.reference, token: cara.manageToken },
    'all',
    LINKS,
    new Date(new Date(starts.starts_at).getTime() - 2 * DAY),
  )
  expect(cancelled).toMatchObject({ status: 'cancelled', promoted: 1 })
  await mark('S5', { Dan: true, Eve: true, Hal: false })

  // Gaming night: no register taken; Gus stays on its waiting list.
  await bookKids('S6', 'F1', ['Amy', 'Ben'], 'confirmed')
  await bookKids('S6', 'F5', ['Gus'], 'waitlisted')
  // Bake along, still to come on the clock's day: Gus waits, but the session has not started.
  await bookKids('S7', 'F4', ['Finn'], 'confirmed')
  await bookKids('S7', 'F5', ['Gus'], 'waitlisted')
  // Winter chess in Q4: Amy and Cara on the first session, both came; Amy on the second, no
  // register taken; Amy on the third, came.
  await bookKids('W1', 'F1', ['Amy'], 'confirmed')
  await bookKids('W1', 'F2', ['Cara'], 'confirmed')
  await mark('W1', { Amy: true, Cara: true })
  await bookKids('W2', 'F1', ['Amy'], 'confirmed')
  await bookKids('W3', 'F1', ['Amy'], 'confirmed')
  await mark('W3', { Amy: true })
  // A no-show more than a year before the clock
  await bookKids('OLD', 'F1', ['Amy'], 'confirmed')
  await mark('OLD', { Amy: false })

  admin = await service.signedIn('admin')
  staff = await service.signedIn('staff')
  viewer = await service.signedIn('viewer')
})

afterAll(async () => {
  await service?.close()
})

// ---- the figures, by hand ----
// Registered sessions (a confirmed place marked attended or not): A1, A2, A3, A4, S5; not S6, S7.
//   A1 5 places: 4 came (Amy, Ben, Cara, Eve), 1 did not (Dan)
//   A2 5 places: 4 came (Amy, Dan, Eve, Finn), 1 did not (Ben)
//   A3 4 places: 2 came (Amy, Finn), 1 did not (Cara), 1 not marked (Ben)
//   A4 2 places: 1 came (Gus), 1 did not (Amy)
//   S5 3 places: 2 came (Dan, Eve), 1 did not (Hal)
//   total 19 places: 13 came (68.4%), 5 did not (26.3%), 1 not marked
const BY_SESSION = [
  ['Weekly art club, 1 October 2025', '5', '4', '1', '0', '80', '20'],
  ['Weekly art club, 8 October 2025', '5', '4', '1', '0', '80', '20'],
  ['Weekly art club, 15 October 2025', '4', '2', '1', '1', '50', '25'],
  ['Weekly art club, 22 October 2025', '2', '1', '1', '0', '50', '50'],
  ['Science lab, 5 November 2025', '3', '2', '1', '0', '66.7', '33.3'],
]
const HEAD = ['Places', 'Attended', 'Did not attend', 'Not marked', 'Attendance rate (%)', 'No-show rate (%)']
const TOTAL = ['Total', '19', '13', '5', '1', '68.4', '26.3']

describe('attendance and no-shows in the report', () => {
  it('counts only sessions with a register, per session, kind, category and authority, each adding up to the headline', async () => {
    const response = await viewer.get(`/staff/reports?${Q3}`)
    expect(response.status).toBe(200)
    const html = await response.text()
    // Seven sessions in Q3, but Bake along (15 December) is still to come on the clock's day: 6 held
    expect(html).toContain('Registers were taken at 5 of the 6 sessions held.')
    expect(table(html, 'Attendance where a register was taken')).toEqual([
      ['Measure', 'Number'],
      ['Sessions held', '6'],
      ['Sessions with a register', '5'],
      ['Places on those sessions', '19'],
      ['Attended', '13'],
      ['Did not attend', '5'],
      ['Not marked', '1'],
      ['Attendance rate (%)', '68.4'],
      ['No-show rate (%)', '26.3'],
    ])
    expect(table(html, 'Attendance by session')).toEqual([['Session', ...HEAD], ...BY_SESSION, TOTAL])
    expect(table(html, 'Attendance by kind of session')).toEqual([
      ['Kind of session', ...HEAD],
      ['Virtual activities', '19', '13', '5', '1', '68.4', '26.3'],
      ['Adoptables meetings', '0', '0', '0', '0', 'None', 'None'],
      TOTAL,
    ])
    // Arts and crafts: 5 + 5 + 4 + 2 = 16 places, 11 came (68.75 → 68.8%), 4 did not (25%), 1 not marked
    expect(table(html, 'Attendance by category')).toEqual([
      ['Category', ...HEAD],
      ['Arts and crafts', '16', '11', '4', '1', '68.8', '25'],
      ['Science experiments', '3', '2', '1', '0', '66.7', '33.3'],
      TOTAL,
    ])
    // Kent: Amy 4 + Ben 3 + Cara 2 + Hal 1 = 10 places; came Amy 3 (A1, A2, A3), Ben 1 (A1), Cara 1 (A1) = 5;
    // did not Ben (A2), Cara (A3), Amy (A4), Hal (S5) = 4; Ben A3 not marked.
    // Medway: Dan and Eve on A1, A2, S5 = 6 places, 5 came, Dan on A1 did not.
    expect(table(html, 'Attendance by home authority')).toEqual([
      ['Home authority', ...HEAD],
      ['Kent', '10', '5', '4', '1', '50', '40'],
      ['Medway', '6', '5', '1', '0', '83.3', '16.7'],
      ['Bexley', '2', '2', '0', '0', '100', '0'],
      ['Greenwich', '1', '1', '0', '0', '100', '0'],
      TOTAL,
    ])
  })

  it('shows series retention: of the five children booked on the first session, how many came to each', async () => {
    const html = await (await viewer.get(`/staff/reports?${Q3}`)).text()
    expect(table(html, 'Series retention: Weekly art club, first session 1 October 2025')).toEqual([
      ['Session', 'Children from the first session who came', 'Of the 5 booked on the first session (%)'],
      ['1 October 2025', '4', '80'],
      ['8 October 2025', '3', '60'],
      ['15 October 2025', '1', '20'],
      ['22 October 2025', '0', '0'],
    ])
  })

  it('counts the places that stayed on a waiting list once the session started, per category', async () => {
    const html = await (await viewer.get(`/staff/reports?${Q3}`)).text()
    // Ivy (Science lab) and Gus (Gaming night); Hal was promoted; Gus on Bake along is still to come
    expect(table(html, 'Places that stayed on a waiting list, by category')).toEqual([
      ['Category', 'Places', 'Sessions'],
      ['Gaming', '1', '1'],
      ['Science experiments', '1', '1'],
      ['Total', '2', '2'],
    ])
    // The waiting lists by kind count the same places: not Gus's on the session still to come
    expect(table(html, 'Places that stayed on a waiting list')).toEqual([
      ['Sessions', 'Places on a waiting list', 'Sessions with a waiting list'],
      ['Virtual activities', '2', '2'],
      ['Adoptables meetings', '0', '0'],
    ])
  })

  it('puts the same figures in the CSV, the XLSX and the Power BI feed', async () => {
    const csv = await staff.get(`/staff/reports/csv?${Q3}`)
    expect(csv.status).toBe(200)
    const rows = parseCsv((await csv.text()).replace(/^\uFEFF/, '')).slice(1)
    const measure = (name: string) => rows.filter((r) => r[1] === name).map((r) => [r[2], r[3]])
    expect(measure('attendance_sessions_with_register')).toEqual([['', '5']])
    expect(measure('attendance_places')).toEqual([['', '19']])
    expect(measure('attendance_attended')).toEqual([['', '13']])
    expect(measure('attendance_no_shows')).toEqual([['', '5']])
    expect(measure('attendance_not_marked')).toEqual([['', '1']])
    expect(measure('attendance_rate')).toEqual([['', '68.4']])
    expect(measure('no_show_rate')).toEqual([['', '26.3']])
    expect(measure('attendance_rate_by_category')).toEqual([
      ['Arts and crafts', '68.8'],
      ['Science experiments', '66.7'],
    ])
    expect(measure('no_show_rate_by_authority')).toEqual([
      ['Kent', '40'],
      ['Medway', '16.7'],
      ['Bexley', '0'],
      ['Greenwich', '0'],
    ])
    expect(measure('attendance_places_by_session')).toEqual([
      ['2025-10-01 16:00 Weekly art club', '5'],
      ['2025-10-08 16:00 Weekly art club', '5'],
      ['2025-10-15 16:00 Weekly art club', '4'],
      ['2025-10-22 16:00 Weekly art club', '2'],
      ['2025-11-05 16:00 Science lab', '3'],
    ])
    expect(measure('attendance_rate_by_kind')).toEqual([['Virtual activities', '68.4']])
    expect(measure('series_first_session_children')).toEqual([['Weekly art club from 2025-10-01', '5']])
    expect(measure('series_came')).toEqual([
      ['Weekly art club from 2025-10-01 | 2025-10-01', '4'],
      ['Weekly art club from 2025-10-01 | 2025-10-08', '3'],
      ['Weekly art club from 2025-10-01 | 2025-10-15', '1'],
      ['Weekly art club from 2025-10-01 | 2025-10-22', '0'],
    ])
    expect(measure('waiting_list_stayed_places')).toEqual([['', '2']])
    expect(measure('waiting_list_stayed_places_by_category')).toEqual([
      ['Gaming', '1'],
      ['Science experiments', '1'],
    ])

    const xlsx = await viewer.get(`/staff/reports/xlsx?${Q3}`)
    const workbook = readWorkbook(await xlsx.arrayBuffer())
    expect(workbook.sheetNames.slice(-3)).toEqual(['Attendance', 'Series retention', 'Demand'])
    const attendance = workbook.sheet('Attendance').values
    expect(attendance.slice(0, 9)).toEqual([
      ['Measure', 'Number'],
      ['Sessions held', 6],
      ['Sessions with a register', 5],
      ['Places on those sessions', 19],
      ['Attended', 13],
      ['Did not attend', 5],
      ['Not marked', 1],
      ['Attendance rate (%)', 68.4],
      ['No-show rate (%)', 26.3],
    ])
    expect(attendance).toContainEqual(['Medway', 6, 5, 1, 0, 83.3, 16.7])
    expect(attendance).toContainEqual(['Weekly art club, 15 October 2025', 4, 2, 1, 1, 50, 25])
    expect(workbook.sheet('Series retention').values).toContainEqual(['22 October 2025', 0, 0])
    expect(workbook.sheet('Demand').values).toContainEqual(['Total', 2, 2])

    const token = await createApiToken(service.database.db, 'Attendance feed', 1)
    if (!token.ok) throw new Error('no token')
    const feed = await service.client().get(`/api/reports.csv?${Q3}`, { Authorization: `Bearer ${token.token}` })
    expect(feed.status).toBe(200)
    const feedRows = parseCsv((await feed.text()).replace(/^\uFEFF/, '')).slice(1)
    expect(feedRows.filter((r) => r[1] === 'attendance_rate' || r[1] === 'no_show_rate')).toEqual([
      ['2025-26 Q3', 'attendance_rate', '', '68.4'],
      ['2025-26 Q3', 'no_show_rate', '', '26.3'],
    ])
  })

  it('shows a series whose first session was before the period, from that first session', async () => {
    // 8 to 31 October: the series' first session (1 October) is before the range, and still its baseline
    const range = 'period=range&from-day=8&from-month=10&from-year=2025&to-day=31&to-month=10&to-year=2025'
    const html = await (await viewer.get(`/staff/reports?${range}`)).text()
    expect(table(html, 'Series retention: Weekly art club, first session 1 October 2025')).toEqual([
      ['Session', 'Children from the first session who came', 'Of the 5 booked on the first session (%)'],
      ['1 October 2025', '4', '80'],
      ['8 October 2025', '3', '60'],
      ['15 October 2025', '1', '20'],
      ['22 October 2025', '0', '0'],
    ])
    // A2, A3, A4: 5 + 4 + 2 = 11 places, 7 came, 3 did not, 1 not marked
    expect(table(html, 'Attendance by category')).toEqual([
      ['Category', ...HEAD],
      ['Arts and crafts', '11', '7', '3', '1', '63.6', '27.3'],
      ['Total', '11', '7', '3', '1', '63.6', '27.3'],
    ])
  })

  it('says "No register taken" for a later session of a series with no register, rather than 0', async () => {
    // made once the quarter is over, so every session of it was held
    clock.set('2026-04-02T09:00:00Z')
    const html = await (await viewer.get('/staff/reports?quarter=2025-26+Q4')).text()
    clock.set(START)
    expect(table(html, 'Series retention: Winter chess, first session 7 January 2026')).toEqual([
      ['Session', 'Children from the first session who came', 'Of the 2 booked on the first session (%)'],
      ['7 January 2026', '2', '100'],
      ['14 January 2026', 'No register taken', 'No register taken'],
      ['21 January 2026', '1', '50'],
    ])
    const rows = parseCsv(
      (await (await viewer.get('/staff/reports/csv?quarter=2025-26+Q4')).text()).replace(/^\uFEFF/, ''),
    )
    expect(rows.filter((r) => r[1] === 'series_came').map((r) => [r[2], r[3]])).toEqual([
      ['Winter chess from 2026-01-07 | 2026-01-07', '2'],
      ['Winter chess from 2026-01-07 | 2026-01-21', '1'],
    ])
    // 3 sessions held in Q4, 2 with a register: W1 2 places both came, W3 1 place came
    expect(html).toContain('Registers were taken at 2 of the 3 sessions held.')
  })

  it('shows the attendance in the print view', async () => {
    const html = await (await viewer.get(`/staff/reports/print?${Q3}`)).text()
    expect(table(html, 'Attendance by session')).toEqual([['Session', ...HEAD], ...BY_SESSION, TOTAL])
  })
})

describe('known adopted children (admins)', () => {
  const PAGE = '/staff/reports/known-children'

  it('lets an admin enter a number per authority and year, refusing bad input with a message by the field', async () => {
    const page = await admin.get(`${PAGE}?year=2025-26`)
    expect(page.status).toBe(200)
    const refused = await admin.post(PAGE, {
      intent: 'save',
      financialYear: '2025-26',
      authority: KENT,
      children: 'lots',
    })
    expect(refused.status).toBe(400)
    const html = await refused.text()
    expect(html).toContain('govuk-error-summary')
    expect(html).toContain('href="#children"')
    expect(html).toContain('Enter the number of known adopted children as a whole number, like 350')
    expect(html).toMatch(/id="children"[^>]*value="lots"/)
    for (const [authority, children, year] of [
      [KENT, '400', '2025-26'],
      [MEDWAY, '50', '2025-26'],
      [KENT, '999', '2024-25'],
    ] as const) {
      const saved = await admin.post(PAGE, { intent: 'save', financialYear: year, authority, children })
      expect(saved.status).toBe(302)
    }
    // a second save for the same authority and year replaces the first
    expect(
      (await admin.post(PAGE, { intent: 'save', financialYear: '2025-26', authority: MEDWAY, children: '50' })).status,
    ).toBe(302)
    const listed = await (await admin.get(`${PAGE}?year=2025-26`)).text()
    expect(table(listed, 'Known adopted children in 2025-26')).toEqual([
      ['Home authority', 'Known adopted children', 'Action'],
      ['Kent', '400', 'Remove Kent'],
      ['Medway', '50', 'Remove Medway'],
    ])
    const audit = await service.database.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'known-children.saved')
      .execute()
    expect(audit).toHaveLength(4)
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ financialYear: '2025-26', authority: KENT, children: 400 })
  })

  it('refuses staff and viewers', async () => {
    for (const client of [staff, viewer]) {
      expect((await client.get(PAGE)).status).toBe(403)
      expect(
        (await client.post(PAGE, { intent: 'save', financialYear: '2025-26', authority: KENT, children: '1' })).status,
      ).toBe(403)
    }
  })

  it('shows the share of each authority’s known children reached where a number was entered', async () => {
    const html = await (await viewer.get(`/staff/reports?${Q3}`)).text()
    // children reached in 2025-26 Q3: Kent Amy, Ben, Cara, Hal = 4; Medway Dan, Eve = 2 (Ivy only waited)
    // 4 of 400 = 1%, 2 of 50 = 4%, together 6 of 450 = 1.3%
    expect(table(html, 'Share of known adopted children reached (2025-26)')).toEqual([
      ['Home authority', 'Children reached', 'Known adopted children', 'Share reached (%)'],
      ['Kent', '4', '400', '1'],
      ['Medway', '2', '50', '4'],
      ['Total', '6', '450', '1.3'],
    ])
    expect(html).toContain('No number entered for 2025-26: Bexley (1 child reached), Greenwich (1 child reached).')
    const rows = parseCsv((await (await viewer.get(`/staff/reports/csv?${Q3}`)).text()).replace(/^\uFEFF/, '')).slice(1)
    expect(rows.filter((r) => r[1]!.startsWith('known_adopted_children')).map((r) => [r[1], r[2], r[3]])).toEqual([
      ['known_adopted_children', 'Kent', '400'],
      ['known_adopted_children_share', 'Kent', '1'],
      ['known_adopted_children', 'Medway', '50'],
      ['known_adopted_children_share', 'Medway', '4'],
      ['known_adopted_children', '', '450'],
      ['known_adopted_children_share', '', '1.3'],
    ])
  })

  it('says where more children were reached than the number entered, so an out-of-date number is checked', async () => {
    const save = (children: string) =>
      admin.post(PAGE, { intent: 'save', financialYear: '2025-26', authority: MEDWAY, children })
    try {
      expect((await save('1')).status).toBe(302)
      const page = await (await viewer.get(`/staff/reports?${Q3}`)).text()
      // Medway: Dan and Eve reached, 1 entered
      expect(page).toContain(
        'More children were reached than the number of known adopted children entered for 2025-26 in Medway (2 reached, 1 entered). Check the number entered.',
      )
      expect(page).not.toContain('Kent (4 reached')
    } finally {
      expect((await save('50')).status).toBe(302)
    }
    const after = await (await viewer.get(`/staff/reports?${Q3}`)).text()
    expect(after).not.toContain('More children were reached than the number')
  })
})

describe('known adopted children: bad input and removing', () => {
  const PAGE = '/staff/reports/known-children'
  const post = (form: Record<string, string>) => admin.post(PAGE, form)

  it('answers every bad post with a message by the field (never a 500), and saves nothing', async () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [
        { intent: 'save', financialYear: '2025-26', authority: '', children: '5' },
        'authority',
        'Select the home authority',
      ],
      [
        { intent: 'save', financialYear: '2025-26', authority: 'E99999999', children: '5' },
        'authority',
        'Select the home authority',
      ],
      [
        { intent: 'save', financialYear: '2019-20', authority: BEXLEY, children: '5' },
        'financialYear',
        'Select the financial year',
      ],
      [
        { intent: 'save', financialYear: 'next year', authority: BEXLEY, children: '5' },
        'financialYear',
        'Select the financial year',
      ],
      [
        { intent: 'save', financialYear: '2025-26', authority: BEXLEY, children: '' },
        'children',
        'Enter the number of known adopted children',
      ],
      [
        { intent: 'save', financialYear: '2025-26', authority: BEXLEY, children: '0' },
        'children',
        'The number of known adopted children must be between 1 and 100,000',
      ],
      [
        { intent: 'save', financialYear: '2025-26', authority: BEXLEY, children: '12.5' },
        'children',
        'Enter the number of known adopted children as a whole number, like 350',
      ],
      [
        { intent: 'save', financialYear: '2025-26', authority: BEXLEY, children: '100001' },
        'children',
        'The number of known adopted children must be between 1 and 100,000',
      ],
      [{}, 'financialYear', 'Select the financial year'],
    ]
    for (const [form, field, message] of cases) {
      const response = await post(form)
      expect(response.status, JSON.stringify(form)).toBe(400)
      const html = await response.text()
      expect(html, JSON.stringify(form)).toContain(`href="#${field}"`)
      expect(html, JSON.stringify(form)).toContain(message)
    }
    const rows = await service.database.db.selectFrom('known_adopted_children').select('authority_code').execute()
    expect(rows.map((r) => r.authority_code).sort()).toEqual([KENT, KENT, MEDWAY].sort())
  })

  it('takes a number written with a comma, and removes a number, audited', async () => {
    expect(
      (await post({ intent: 'save', financialYear: '2024-25', authority: BEXLEY, children: '1,200' })).status,
    ).toBe(302)
    const saved = await service.database.db
      .selectFrom('known_adopted_children')
      .select('children')
      .where('authority_code', '=', BEXLEY)
      .executeTakeFirstOrThrow()
    expect(saved.children).toBe(1200)
    const removed = await post({ intent: 'remove', financialYear: '2024-25', authority: BEXLEY })
    expect(removed.status).toBe(302)
    expect(removed.headers.get('location')).toBe('/staff/reports/known-children?year=2024-25&removed=Bexley')
    expect(
      await service.database.db
        .selectFrom('known_adopted_children')
        .select('children')
        .where('authority_code', '=', BEXLEY)
        .execute(),
    ).toEqual([])
    const audit = await service.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'known-children.removed')
      .execute()
    expect(audit.map((a) => JSON.parse(a.detail!))).toEqual([{ financialYear: '2024-25', authority: BEXLEY }])
  })

  it('shows no share for a period in two financial years', async () => {
    const range = 'period=range&from-day=1&from-month=3&from-year=2026&to-day=30&to-month=4&to-year=2026'
    const html = await (await viewer.get(`/staff/reports?${range}`)).text()
    expect(html).toContain('This period is in two financial years')
    expect(html).not.toContain('Share of known adopted children reached (')
  })
})

describe('no-shows on the family page', () => {
  it('lists the family’s no-shows in the last 12 months, for staff only, audited', async () => {
    const page = await staff.get(`/staff/families/${families.F1!.familyId}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    // Ben on 8 October, Amy on 22 October 2025; Amy's on 1 November 2024 is more than a year ago
    expect(html).toContain('No-shows in the last 12 months (2)')
    expect(table(html, 'Sessions a child was booked on and did not attend')).toEqual([
      ['Date', 'Session', 'Child'],
      ['22 October 2025', 'Weekly art club', 'Amy'],
      ['8 October 2025', 'Weekly art club', 'Ben'],
    ])
    expect(html).not.toContain('Old quiz</td>')
    const none = await (await staff.get(`/staff/families/${families.F4!.familyId}`)).text()
    expect(none).toContain('No-shows in the last 12 months (0)')
    expect((await viewer.get(`/staff/families/${families.F1!.familyId}`)).status).toBe(403)
  })
})
