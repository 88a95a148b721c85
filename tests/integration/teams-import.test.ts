// Importing a register from a Teams attendance report, over real HTTP against the production
// build: the upload (multipart, with a size limit), the check page (each child's suggested mark,
// names to choose between, names that match nobody), nothing saved before staff confirm, the
// save through the register's own save (audited), the register showing it, and who may do it.
// The service's clock is moved past the session, never slept for.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { londonDateOf } from '../../app/time/london-time'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { testClock } from '../support/clock'
import { onPostgres } from '../support/database'
import { startTestService, type HttpClient, type TestService } from '../support/service'
import { words } from '../support/page-words'

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/teams')
const fixture = (name: string): Uint8Array<ArrayBuffer> => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)))

const clock = testClock()
let service: TestService
let staff: HttpClient
let activityId: number
let importPath: string
let startsAt: string
const placeIds: Record<string, number> = {}

/** Posts a file as the upload form does (multipart, the file in the "report" field). */
async function upload(
  client: HttpClient,
  bytes: Uint8Array<ArrayBuffer>,
  filename = 'Slime science - Attendance report 10-03-26.csv',
  to = importPath,
) {
  const form = new FormData()
  form.append('report', new Blob([bytes], { type: 'text/csv' }), filename)
  return client.request(to, { method: 'POST', body: form, headers: { Origin: client.baseUrl } })
}

/** Which answer the page has chosen for a place: its checked radio. */
function checkedMark(html: string, placeId: number): 'yes' | 'no' | null {
  for (const value of ['yes', 'no'] as const) {
    const input = new RegExp(`<input[^>]*id="attended-${placeId}-${value}"[^>]*>`).exec(html)?.[0]
    if (!input) throw new Error(`no radio for place ${placeId}`)
    if (/\schecked(=""|\s|>|\/)/.test(input)) return value
  }
  return null
}

function hiddenReport(html: string): string {
  const raw = /<input type="hidden" name="report" value="([^"]*)"/.exec(html)?.[1]
  if (raw === undefined) throw new Error('no report field on the page')
  return raw
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

async function attendance(): Promise<Record<string, number | null>> {
  const rows = await service.database.db
    .selectFrom('place')
    .select(['id', 'attended'])
    .where('activity_id', '=', activityId)
    .execute()
  const byId = Object.fromEntries(rows.map((r) => [r.id, r.attended]))
  return Object.fromEntries(Object.entries(placeIds).map(([name, id]) => [name, byId[id] ?? null]))
}

const NOTHING_MARKED = { sam: null, chloe: null, tom: null, zoe: null, leoPatel: null, leoBrown: null, mia: null }

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '1000' }, { now: clock.now })
  staff = await service.signedIn('staff')
  // Seven spaces, a month ahead (activityForm's day), 16:00 to 17:00 London.
  activityId = await publishActivity(service, { title: 'Slime science', capacity: '7' })
  importPath = `/staff/activities/${activityId}/register/import`
  const families: Array<[string, string, Array<[string, number]>]> = [
    ['Jo Carter', 'jo.carter@example.org', [['Sam', 7]]],
    ['Hannah Webb', 'hannah.webb@example.org', [['Chloé', 8]]],
    [
      'Grace Okafor',
      'grace.okafor@example.org',
      [
        ['Tom', 10],
        ['Zoë', 8],
      ],
    ],
    ['Priya Patel', 'priya.patel@example.org', [['Leo', 6]]],
    ['Mark Brown', 'mark.brown@example.org', [['Leo', 9]]],
    ['Dan Jones', 'dan.jones@example.org', [['Mia', 7]]],
    // the session is full: Alex waits, so is not on the register (and "Alex Morgan" is nobody's)
    ['Sue Lee', 'sue.lee@example.org', [['Alex', 8]]],
  ]
  for (const [contactName, email, children] of families) {
    const response = await confirmBooking(
      service.client(),
      activityId,
      children.map(([firstName, age]) => ({ firstName, dob: dobForAge(age) })),
      { contactName, email },
    )
    expect(response.status).toBe(302)
  }
  const places = await service.database.db
    .selectFrom('place')
    .select(['id', 'first_name', 'age_on_day', 'status'])
    .where('activity_id', '=', activityId)
    .orderBy('id')
    .execute()
  expect(places.map((p) => `${p.first_name} ${p.age_on_day} ${p.status}`)).toEqual([
    'Sam 7 confirmed',
    'Chloé 8 confirmed',
    'Tom 10 confirmed',
    'Zoë 8 confirmed',
    'Leo 6 confirmed',
    'Leo 9 confirmed',
    'Mia 7 confirmed',
    'Alex 8 waitlisted',
  ])
  const keys = ['sam', 'chloe', 'tom', 'zoe', 'leoPatel', 'leoBrown', 'mia']
  keys.forEach((key, i) => (placeIds[key] = places[i]!.id))
  const activity = await service.database.db
    .selectFrom('activity')
    .select('starts_at')
    .where('id', '=', activityId)
    .executeTakeFirstOrThrow()
  startsAt = activity.starts_at
})

afterAll(async () => {
  await service?.close()
})

describe('importing a register from a Teams attendance report', () => {
  it('before the session, asks for the early-register confirmation before saving', async () => {
    const response = await upload(staff, fixture('teams-attendance-report.csv'))
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('I want to mark this register before the session')
    const save = await staff.post(importPath, {
      report: hiddenReport(html),
      ...Object.fromEntries(Object.values(placeIds).map((id) => [`attended-${id}`, 'yes'])),
    })
    expect(save.status).toBe(400)
    const text = words(await save.text())
    expect(text).toContain('There is a problem Confirm that you want to mark this register before the session')
    expect(await attendance()).toEqual(NOTHING_MARKED)
    // from here on the session has happened: 30 minutes after it ended
    clock.set(new Date(new Date(startsAt).getTime() + 90 * 60_000))
  })

  it('shows each child’s suggested mark, the names to choose between and the names that match nobody, and saves nothing', async () => {
    const page = await staff.get(importPath)
    expect(page.status).toBe(200)
    expect(words(await page.text())).toContain('Upload the attendance report')

    const response = await upload(staff, fixture('teams-attendance-report.csv'))
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const html = await response.text()
    const text = words(html)
    expect(text).toContain('Check the attendance from Teams')
    expect(text).not.toContain('I want to mark this register before the session')
    expect(Object.fromEntries(Object.entries(placeIds).map(([name, id]) => [name, checkedMark(html, id)]))).toEqual({
      sam: 'yes',
      chloe: 'yes',
      tom: 'yes',
      zoe: 'yes',
      leoPatel: null,
      leoBrown: null,
      mia: 'no',
    })
    // two connections of Sam's (20m 5s and 31m 2s), one name
    expect(text).toContain('Seen In Teams as “Sam Carter (Guest)”: 51 minutes')
    expect(text).toContain('Seen In Teams as “Chloe (Guest)”: 55 minutes')
    // the Okafors on one device, in their mother's name
    expect(text.split('Seen On their parent or carer’s device as “Grace Okafor (Guest)”: 58 minutes').length).toBe(3)
    expect(text).toContain('Choose “Leo (Guest)” (45 minutes) could be Leo (age 6) or Leo (age 9)')
    expect(text).toContain('Choose “Leo (Guest)” (45 minutes) could be Leo (age 9) or Leo (age 6)')
    expect(text).toContain('Not seen Not in the Teams report')
    expect(text).toContain('The report lists 7 names for “Slime science (after school)”.')
    expect(text).toContain('4 of the 7 children booked were seen in it; for 2 you need to choose.')
    expect(text).toContain('3 names not matched')
    expect(text).toContain('Robin Register Time in the meeting 63 minutes Role Organiser')
    expect(text).toContain('Alex Morgan (External) Time in the meeting 4 minutes Role Attendee')
    expect(text).toContain('Kim Lee Time in the meeting 60 minutes Role Presenter')
    // The sample report is from 10 March 2026, not this session's day.
    expect(text).toContain('This report is for a meeting on 10 March 2026, but this session is on')

    expect(await attendance()).toEqual(NOTHING_MARKED)
    const audit = await service.database.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id', 'detail'])
      .where('action', '=', 'register.teams-report-checked')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(audit).toEqual({
      action: 'register.teams-report-checked',
      subject_id: String(activityId),
      detail: JSON.stringify({ names: 7, seen: 4, toChoose: 2, unmatched: 3 }),
    })
  })

  it('says nothing about the date when the report is from the session’s day', async () => {
    const [year, month, day] = londonDateOf(startsAt).split('-')
    const text = new TextDecoder('utf-16le')
      .decode(fixture('teams-attendance-report.csv').subarray(2))
      .replaceAll('10/03/2026', `${day}/${month}/${year}`)
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')])
    const response = await upload(staff, bytes)
    expect(response.status).toBe(200)
    const page = words(await response.text())
    expect(page).toContain('Check the attendance from Teams')
    expect(page).not.toContain('This report is for a meeting on')
  })

  it('reads the report saved from Excel and the older join and leave list the same way', async () => {
    for (const name of ['teams-attendance-saved-from-excel.csv', 'teams-attendance-2020.csv']) {
      const response = await upload(staff, fixture(name))
      expect(response.status, name).toBe(200)
      const html = await response.text()
      expect(
        Object.fromEntries(Object.entries(placeIds).map(([key, id]) => [key, checkedMark(html, id)])),
        name,
      ).toEqual({ sam: 'yes', chloe: 'yes', tom: 'yes', zoe: 'yes', leoPatel: null, leoBrown: null, mia: 'no' })
      expect(words(html), name).toContain('3 names not matched')
    }
    expect(await attendance()).toEqual(NOTHING_MARKED)
  })

  it('will not save until staff choose for each name that could be two children, keeping what they chose', async () => {
    const html = await (await upload(staff, fixture('teams-attendance-report.csv'))).text()
    const response = await staff.post(importPath, {
      report: hiddenReport(html),
      [`attended-${placeIds.sam}`]: 'yes',
      [`attended-${placeIds.chloe}`]: 'yes',
      [`attended-${placeIds.tom}`]: 'yes',
      [`attended-${placeIds.zoe}`]: 'no',
      [`attended-${placeIds.mia}`]: 'no',
    })
    expect(response.status).toBe(400)
    const page = await response.text()
    expect(words(page)).toContain(
      'There is a problem Choose whether Leo (age 6) attended Choose whether Leo (age 9) attended',
    )
    expect(page).toContain(`href="#attended-${placeIds.leoPatel}-yes"`)
    // what staff chose is kept: Zoë changed to did not attend
    expect(checkedMark(page, placeIds.zoe!)).toBe('no')
    expect(checkedMark(page, placeIds.sam!)).toBe('yes')
    expect(checkedMark(page, placeIds.leoBrown!)).toBeNull()
    expect(await attendance()).toEqual(NOTHING_MARKED)
  })

  it('saves the marks staff confirm through the register (audited), and the register shows them', async () => {
    const html = await (await upload(staff, fixture('teams-attendance-report.csv'))).text()
    const response = await staff.post(importPath, {
      report: hiddenReport(html),
      [`attended-${placeIds.sam}`]: 'yes',
      [`attended-${placeIds.chloe}`]: 'yes',
      [`attended-${placeIds.tom}`]: 'yes',
      [`attended-${placeIds.zoe}`]: 'yes',
      // staff know it was the older Leo
      [`attended-${placeIds.leoPatel}`]: 'no',
      [`attended-${placeIds.leoBrown}`]: 'yes',
      [`attended-${placeIds.mia}`]: 'no',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/staff/activities/${activityId}/register?saved=teams`)
    expect(await attendance()).toEqual({ sam: 1, chloe: 1, tom: 1, zoe: 1, leoPatel: 0, leoBrown: 1, mia: 0 })
    const audit = await service.database.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id', 'detail'])
      .where('action', '=', 'register.saved')
      .execute()
    expect(audit).toEqual([
      {
        action: 'register.saved',
        subject_id: String(activityId),
        detail: JSON.stringify({ changed: 7, saved: 7, markedAttended: 0 }),
      },
    ])
    const register = words(await (await staff.get(`/staff/activities/${activityId}/register?saved=teams`)).text())
    expect(register).toContain('Register saved from the Teams attendance report')
    expect(register).toContain('7 children: 5 attended, 2 did not attend, 0 not marked yet.')

    // Uploaded again, the check page starts from the report, and says what the register has now.
    const again = await (await upload(staff, fixture('teams-attendance-report.csv'))).text()
    expect(checkedMark(again, placeIds.leoBrown!)).toBe('yes')
    expect(checkedMark(again, placeIds.leoPatel!)).toBe('no')
    expect(words(again)).toContain('On the register now: did not attend')
  })

  it('never keeps the file or the names in it', async () => {
    const everything = await service.database.db.selectFrom('audit_log').select('detail').execute()
    for (const row of everything) expect(row.detail ?? '').not.toMatch(/Morgan|Okafor \(Guest\)|alex\.morgan/)
    const outbox = await service.database.db.selectFrom('outbox').select(['text_body', 'subject']).execute()
    for (const row of outbox) expect(`${row.subject} ${row.text_body}`).not.toContain('Alex Morgan')
    if (!onPostgres) {
      // the database and its write-ahead log, in UTF-8 and UTF-16 (as the file came)
      const files = fs.readdirSync(service.dir).map((f) => fs.readFileSync(path.join(service.dir, f)))
      expect(files.length).toBeGreaterThan(0)
      for (const bytes of files) {
        expect(bytes.includes(Buffer.from('Alex Morgan'))).toBe(false)
        expect(bytes.includes(Buffer.from('Alex Morgan', 'utf16le'))).toBe(false)
      }
    }
  })
})

describe('uploads that are not a report we can read', () => {
  async function errorOf(response: Response): Promise<string> {
    expect(response.status).toBe(400)
    const html = await response.text()
    // the error summary links to the file field, and the message is by it
    expect(html).toContain('href="#report"')
    expect(html).toContain('class="govuk-file-upload govuk-file-upload--error"')
    const message = /<p id="report-error" class="govuk-error-message">(.*?)<\/p>/.exec(html)?.[1]
    return words(message ?? '')
      .replace(/^ ?Error: /, '')
      .trim()
  }

  it('answers each with a message by the field, never a 500, and saves nothing', async () => {
    expect(await errorOf(await upload(staff, new Uint8Array(), ''))).toBe('Select the attendance report from Teams')
    expect(await errorOf(await upload(staff, new Uint8Array(), 'report.csv'))).toBe('The selected file is empty')
    expect(
      await errorOf(await upload(staff, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 8, 0]), 'report.xlsx')),
    ).toBe(
      'The selected file is an Excel workbook. Upload the CSV file Teams downloads, or save the workbook as “CSV UTF-8”',
    )
    const registerCsv = await (await staff.get(`/staff/activities/${activityId}/register.csv`)).arrayBuffer()
    expect(await errorOf(await upload(staff, new Uint8Array(registerCsv), 'register.csv'))).toBe(
      'The selected file is not a Teams attendance report. In Teams, open the meeting’s Attendance tab and download the report',
    )
    const justHeadings = Buffer.from(
      '\uFEFF2. Participants\r\nName\tFirst Join\tLast Leave\tIn-Meeting Duration\r\n',
      'utf16le',
    )
    expect(await errorOf(await upload(staff, new Uint8Array(justHeadings)))).toBe(
      'The selected attendance report has nobody in it',
    )
    expect(await attendance()).toEqual({ sam: 1, chloe: 1, tom: 1, zoe: 1, leoPatel: 0, leoBrown: 1, mia: 0 })
  })

  it('refuses a file over 1MB with a message (the upload is read to its end, not cut off), however large', async () => {
    const justOver = new Uint8Array(1024 * 1024 + 1).fill(0x41)
    expect(await errorOf(await upload(staff, justOver))).toBe('The selected file must be smaller than 1MB')
    const large = new Uint8Array(8 * 1024 * 1024).fill(0x41)
    expect(await errorOf(await upload(staff, large))).toBe('The selected file must be smaller than 1MB')
    // a real report with padding that takes it just over the limit: still refused
    const padded = new Uint8Array(1024 * 1024 + 10)
    padded.set(fixture('teams-attendance-report.csv'))
    expect(await errorOf(await upload(staff, padded))).toBe('The selected file must be smaller than 1MB')
    // and the service still answers
    expect((await staff.get(importPath)).status).toBe(200)
  })

  it('answers a multipart body that does not parse, or a garbled check page, with a 400', async () => {
    const broken = await staff.request(importPath, {
      method: 'POST',
      body: '--wrong\r\nContent-Disposition: form-data; name="report"; filename="a.csv"\r\n\r\nhello',
      headers: { Origin: staff.baseUrl, 'Content-Type': 'multipart/form-data; boundary=join-in-boundary' },
    })
    expect(await errorOf(broken)).toBe('The selected file could not be uploaded – try again')
    const garbled: Array<Record<string, string>> = [
      { report: 'not json', [`attended-${placeIds.sam}`]: 'yes' },
      { report: '{"layout":"sections"}' },
      {
        report: hiddenReport(await (await upload(staff, fixture('teams-attendance-2020.csv'))).text()),
        [`attended-${placeIds.sam}`]: 'maybe',
      },
      {},
    ]
    for (const form of garbled) {
      const response = await staff.post(importPath, form)
      expect(await errorOf(response)).toBe('The attendance could not be saved. Upload the report again')
    }
    expect(await attendance()).toEqual({ sam: 1, chloe: 1, tom: 1, zoe: 1, leoPatel: 0, leoBrown: 1, mia: 0 })
  })
})

describe('who may import a register', () => {
  it('lets only staff and admins upload: a viewer is refused before the file is read, and the signed out are sent to sign in', async () => {
    const viewer = await service.signedIn('viewer')
    expect((await viewer.get(importPath)).status).toBe(403)
    expect((await upload(viewer, fixture('teams-attendance-report.csv'))).status).toBe(403)
    const signedOut = await upload(service.client(), fixture('teams-attendance-report.csv'))
    expect(signedOut.status).toBe(302)
    expect(signedOut.headers.get('location')).toMatch(/^\/staff\/sign-in\?redirectTo=/)
    // the upload from another site is refused, as every staff post is
    const foreign = new FormData()
    foreign.append('report', new Blob([fixture('teams-attendance-report.csv')]), 'report.csv')
    const crossSite = await staff.request(importPath, {
      method: 'POST',
      body: foreign,
      headers: { Origin: 'https://evil.example' },
    })
    expect(crossSite.status).toBe(403)
    // a file is still refused on any other form
    const elsewhere = await upload(
      staff,
      fixture('teams-attendance-report.csv'),
      'report.csv',
      `/staff/activities/${activityId}/register`,
    )
    expect(elsewhere.status).toBe(415)
    expect(await attendance()).toEqual({ sam: 1, chloe: 1, tom: 1, zoe: 1, leoPatel: 0, leoBrown: 1, mia: 0 })
  })
})

describe('a register that changed after the upload', () => {
  it('asks about a child confirmed since, and saves nothing for a place cancelled since', async () => {
    const html = await (await upload(staff, fixture('teams-attendance-report.csv'))).text()
    // Since the upload: Mia's place was cancelled and Alex, who was waiting, has a place.
    const alex = await service.database.db
      .selectFrom('place')
      .select('id')
      .where('activity_id', '=', activityId)
      .where('first_name', '=', 'Alex')
      .executeTakeFirstOrThrow()
    await service.database.db
      .updateTable('place')
      .set({ status: 'cancelled' })
      .where('id', '=', placeIds.mia!)
      .execute()
    await service.database.db.updateTable('place').set({ status: 'confirmed' }).where('id', '=', alex.id).execute()
    const marks = Object.fromEntries(Object.values(placeIds).map((id) => [`attended-${id}`, 'yes']))
    const first = await staff.post(importPath, { report: hiddenReport(html), ...marks })
    expect(first.status).toBe(400)
    const page = await first.text()
    expect(words(page)).toContain('There is a problem Choose whether Alex (age 8) attended')
    // Alex now has a place, so "Alex Morgan (External)" is taken to be them (staff see the name
    // and the 4 minutes, and decide); Mia is no longer listed
    expect(checkedMark(page, alex.id)).toBe('yes')
    expect(words(page)).toContain('Seen In Teams as “Alex Morgan (External)”: 4 minutes')
    expect(words(page)).toContain('2 names not matched')
    expect(page).not.toContain(`attended-${placeIds.mia}-yes`)
    expect(await attendance()).toEqual({ sam: 1, chloe: 1, tom: 1, zoe: 1, leoPatel: 0, leoBrown: 1, mia: 0 })

    const second = await staff.post(importPath, { report: hiddenReport(page), ...marks, [`attended-${alex.id}`]: 'no' })
    expect(second.status).toBe(302)
    // everyone posted as attended; Mia's cancelled place keeps its old mark
    expect(await attendance()).toEqual({ sam: 1, chloe: 1, tom: 1, zoe: 1, leoPatel: 1, leoBrown: 1, mia: 0 })
    const alexNow = await service.database.db
      .selectFrom('place')
      .select('attended')
      .where('id', '=', alex.id)
      .executeTakeFirstOrThrow()
    expect(alexNow.attended).toBe(0)
  })
})

describe('an Adoptables meeting’s register', () => {
  it('matches the young people booked by first name, and speaks of young people', async () => {
    clock.set(new Date())
    const meetingId = await publishActivity(service, {
      kind: 'adoptables',
      category: 'Adoptables meeting',
      title: 'Adoptables meeting',
      minAge: '12',
      maxAge: '18',
      startTime: '18:00',
      endTime: '19:00',
    })
    const dob = dobForAge(14).split('-')
    const joined = await service.client().post(`/adoptables/join?meeting=${meetingId}`, {
      firstName: 'Jordan',
      'dob-day': String(Number(dob[2])),
      'dob-month': String(Number(dob[1])),
      'dob-year': dob[0]!,
      email: 'jordan.teams@example.org',
      authority: 'E06000035',
      parentEmail: '',
      notes: '',
    })
    expect(joined.status).toBeLessThan(400)
    const member = await service.database.db
      .selectFrom('member')
      .select('id')
      .where('email', '=', 'jordan.teams@example.org')
      .executeTakeFirstOrThrow()
    const { bookMeeting } = await import('../../app/domain/members.server')
    await bookMeeting(service.database.db, member.id, meetingId, { baseUrl: service.url, domain: 'test.invalid' })
    const meeting = await service.database.db
      .selectFrom('activity')
      .select('starts_at')
      .where('id', '=', meetingId)
      .executeTakeFirstOrThrow()
    clock.set(new Date(new Date(meeting.starts_at).getTime() + 2 * 3600_000))
    const report = [
      'Full Name\tUser Action\tTimestamp',
      'Robin Register\tJoined\t3/10/2026, 5:58:00 PM',
      'jordan (Guest)\tJoined\t3/10/2026, 6:01:00 PM',
      'jordan (Guest)\tLeft\t3/10/2026, 6:51:00 PM',
      'Robin Register\tLeft\t3/10/2026, 7:00:00 PM',
    ].join('\r\n')
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(report, 'utf16le')])
    const response = await upload(staff, bytes, 'report.csv', `/staff/activities/${meetingId}/register/import`)
    expect(response.status).toBe(200)
    const text = words(await response.text())
    expect(text).toContain('The report lists 2 names. The young person booked was seen in it.')
    expect(text).toContain('Young people booked')
    expect(text).toContain('Seen In Teams as “jordan (Guest)”: 50 minutes')
    expect(text).toContain('If one of them is a young person booked on this session, choose Attended for them above.')
    expect(text).toContain('1 name not matched')
  })
})
