// Registers and what the report says about them, over real HTTP: with no register taken the
// report says so (not "Spaces attended 0") and counts the sessions with one; marking a register
// more than a day before the session needs an explicit confirmation; an Adoptables register
// speaks of young people. The service's clock is moved, never slept for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { londonDateOf, parseCalendarDate } from '../../app/time/london-time'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { testClock } from '../support/clock'
import { parseCsv } from '../support/csv'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const clock = testClock()
let service: TestService
let staff: HttpClient
let activityId: number
let meetingId: number
let placeIds: number[]
let reportQuery: string
let sessionStart: Date

/** The figure beside a row's label in the report page's tables. */
function figure(html: string, label: string): string {
  const match = new RegExp(`<th scope="row" class="govuk-table__header">${label}</th><td[^>]*>([^<]*)</td>`).exec(html)
  if (!match) throw new Error(`no row "${label}" in the report`)
  return match[1]!
}

async function report(): Promise<string> {
  const response = await staff.get(`/staff/reports?${reportQuery}`)
  expect(response.status).toBe(200)
  return response.text()
}

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '1000' }, { now: clock.now })
  staff = await service.signedIn('staff')
  // 16:00 to 17:00 London, a month from now (activityForm's day), two children booked
  activityId = await publishActivity(service, { title: 'Register report check', capacity: '5' })
  const booked = await confirmBooking(service.client(), activityId, [
    { firstName: 'Ava', dob: dobForAge(7) },
    { firstName: 'Leo', dob: dobForAge(8) },
  ])
  expect(booked.status).toBe(302)
  // an Adoptables meeting the same day, 18:00 to 19:00, one young person booked
  meetingId = await publishActivity(service, {
    kind: 'adoptables',
    category: 'Adoptables meeting',
    title: 'Register report meeting',
    minAge: '12',
    maxAge: '18',
    startTime: '18:00',
    endTime: '19:00',
  })
  const dob = dobForAge(14).split('-')
  await service.client().post(`/adoptables/join?meeting=${meetingId}`, {
    firstName: 'Jo',
    'dob-day': String(Number(dob[2])),
    'dob-month': String(Number(dob[1])),
    'dob-year': dob[0]!,
    email: 'jo.register@example.org',
    authority: 'E06000035',
    parentEmail: '',
    notes: '',
  })
  const member = await service.database.db
    .selectFrom('member')
    .select('id')
    .where('email', '=', 'jo.register@example.org')
    .executeTakeFirstOrThrow()
  const { bookMeeting } = await import('../../app/domain/members.server')
  await bookMeeting(service.database.db, member.id, meetingId, { baseUrl: service.url, domain: 'test.invalid' })
  const places = await service.database.db
    .selectFrom('place')
    .select(['id', 'activity_id'])
    .where('activity_id', 'in', [activityId, meetingId])
    .where('status', '=', 'confirmed')
    .orderBy('id')
    .execute()
  expect(places.filter((p) => p.activity_id === meetingId)).toHaveLength(1)
  placeIds = places.filter((p) => p.activity_id === activityId).map((p) => p.id)
  expect(placeIds).toHaveLength(2)
  const activity = await service.database.db
    .selectFrom('activity')
    .select('starts_at')
    .where('id', '=', activityId)
    .executeTakeFirstOrThrow()
  const { year, month, day } = parseCalendarDate(londonDateOf(activity.starts_at))!
  const date = (prefix: string) => `${prefix}-day=${day}&${prefix}-month=${month}&${prefix}-year=${year}`
  reportQuery = `period=range&${date('from')}&${date('to')}`
  sessionStart = new Date(activity.starts_at)
})

afterAll(async () => {
  await service?.close()
})

describe('a report with no register taken', () => {
  it('counts neither session as held while both are still to come', async () => {
    const html = await report()
    expect(figure(html, 'Activities held')).toBe('0')
    expect(figure(html, 'Spaces booked')).toBe('2')
    // two places booked and no register yet: not a 0 that reads as two no-shows
    expect(figure(html, 'Spaces attended')).toBe('No register taken')
    expect(figure(html, 'Meetings held')).toBe('0')
    // no meeting held yet, so no young person has attended one
    expect(figure(html, 'Young people who attended at least one')).toBe('0')
    expect(html).not.toContain('Registers were taken')
  })

  it('says "No register taken" instead of 0 attended, and counts the sessions with a register', async () => {
    // the next morning: both sessions were held, and no register was taken
    clock.set(new Date(sessionStart.getTime() + 18 * 60 * 60 * 1000))
    const html = await report()
    expect(figure(html, 'Activities held')).toBe('1')
    expect(figure(html, 'Spaces booked')).toBe('2')
    expect(figure(html, 'Spaces attended')).toBe('No register taken')
    expect(figure(html, 'Meetings held')).toBe('1')
    expect(figure(html, 'Young people who attended at least one')).toBe('No register taken')
    expect(html).toContain('Registers were taken at 0 of the 1 activity held.')
    expect(html).toContain('Registers were taken at 0 of the 1 meeting held.')

    const csv = await staff.get(`/staff/reports/csv?${reportQuery}`)
    expect(csv.status).toBe(200)
    const rows = parseCsv((await csv.text()).replace(/^\uFEFF/, '')).slice(1)
    const measure = (name: string) => rows.filter((r) => r[1] === name).map((r) => r[3])
    // attendance is unknown, so it is left out (as a missing average is), never 0
    expect(measure('spaces_attended')).toEqual([])
    expect(measure('adoptables_young_people')).toEqual([])
    expect(measure('activities_with_register')).toEqual(['0'])
    expect(measure('adoptables_meetings_with_register')).toEqual(['0'])
    expect(measure('spaces_booked')).toEqual(['2'])
    clock.set(new Date())
  })
})

describe('marking a register more than a day ahead', () => {
  it('warns on the page and saves nothing until staff confirm, keeping the marks chosen', async () => {
    const page = await (await staff.get(`/staff/activities/${activityId}/register`)).text()
    expect(page).toContain('more than a day away')
    expect(page).toContain('I want to mark this register before the session')

    const refused = await staff.post(`/staff/activities/${activityId}/register`, {
      intent: 'save',
      [`attended-${placeIds[0]}`]: 'yes',
      [`attended-${placeIds[1]}`]: 'no',
    })
    expect(refused.status).toBe(400)
    const html = await refused.text()
    expect(html).toContain('Confirm that you want to mark this register before the session')
    expect(html).toContain('href="#confirmEarly"')
    // what was chosen is chosen again
    expect(html).toMatch(new RegExp(`id="attended-${placeIds[0]}-yes"[^>]*checked`))
    expect(html).toMatch(new RegExp(`id="attended-${placeIds[1]}-no"[^>]*checked`))
    const marks = await service.database.db.selectFrom('place').select('attended').where('id', 'in', placeIds).execute()
    expect(marks.map((m) => m.attended)).toEqual([null, null])
  })

  it('says "young person" on an Adoptables register', async () => {
    const page = await (await staff.get(`/staff/activities/${meetingId}/register`)).text()
    expect(page).toContain('1 young person: 0 attended, 0 did not attend, 1 not marked yet.')
    const main = /<main[\s\S]*<\/main>/.exec(page)![0]
    expect(main).not.toMatch(/\bchild(ren)?\b/i)
  })

  it('saves without asking on the day, and the report then counts the register', async () => {
    const activity = await service.database.db
      .selectFrom('activity')
      .select('starts_at')
      .where('id', '=', activityId)
      .executeTakeFirstOrThrow()
    clock.set(new Date(new Date(activity.starts_at).getTime() - 2 * 60 * 60 * 1000))
    const page = await (await staff.get(`/staff/activities/${activityId}/register`)).text()
    expect(page).not.toContain('more than a day away')
    const saved = await staff.post(`/staff/activities/${activityId}/register`, {
      intent: 'save',
      [`attended-${placeIds[0]}`]: 'yes',
      [`attended-${placeIds[1]}`]: 'no',
    })
    expect(saved.status).toBe(302)
    const html = await report()
    expect(figure(html, 'Spaces attended')).toBe('1')
    // a register taken on the day counts its session as held, though it starts in two hours
    expect(html).toContain('Registers were taken at 1 of the 1 activity held.')
    // the meeting at 18:00 has neither started nor had its register taken: not held yet
    expect(figure(html, 'Meetings held')).toBe('0')
    expect(figure(html, 'Young people who attended at least one')).toBe('0')
  })
})
