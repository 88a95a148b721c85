// A series booked in one step, over real HTTP and a real SMTP server: per date and child what will
// happen (confirmed, waiting list, not eligible that day, closed), one booking per date, one email
// with one invite of every confirmed date (read with ical.js, each event under the UID of that
// booking's single invite), a double submit booking once, capacity never exceeded, a new family's
// places held until one link confirms every date, and one date cancelled leaving the others.
import crypto from 'node:crypto'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ICAL from 'ical.js'
import { instantOf, londonClock, readCalendar } from '../support/calendar'
import { createFamily, signInFamilyDirectly } from '../support/family'
import { releaseExpiredHolds } from '../../app/domain/holds.server'
import { bookForFamily } from '../support/family-booking'
import { startSmtp, type Received, type TestSmtp } from '../support/smtp'
import { activityForm, startTestService, type HttpClient, type TestService } from '../support/service'
import { waitFor } from '../support/wait'
import { words } from '../support/page-words'

let service: TestService
let smtp: TestSmtp
let staff: HttpClient

beforeAll(async () => {
  smtp = await startSmtp()
  service = await startTestService({ BOOKING_RATE_LIMIT: '1000', SMTP_URL: smtp.url, OUTBOX_POLL_MS: '50' })
  staff = await service.signedIn('staff')
})

afterAll(async () => {
  await service?.close()
  await smtp?.close()
})

const DAY_MS = 86_400_000

/** The first date of a series published `daysAhead` days from now: its London date is that UTC date (16:00 there). */
function firstDate(daysAhead: number): { y: number; m: number; d: number } {
  const at = new Date(Date.now() + daysAhead * DAY_MS)
  return { y: at.getUTCFullYear(), m: at.getUTCMonth() + 1, d: at.getUTCDate() }
}

/** A calendar date `days` after y-m-d, as YYYY-MM-DD, minus `years`. */
function shifted(date: { y: number; m: number; d: number }, days: number, years = 0): string {
  const at = new Date(Date.UTC(date.y - years, date.m - 1, date.d) + days * DAY_MS)
  return at.toISOString().slice(0, 10)
}

let published = 0
/** Publishes a weekly series of `sessions` sessions for 5 to 11; returns the series id and its sessions' ids by date. */
async function publishSeries(
  sessions: number,
  first: { y: number; m: number; d: number },
  overrides: Record<string, string> = {},
): Promise<{ seriesId: number; ids: number[]; title: string }> {
  published += 1
  const title = `Art club ${published}-${crypto.randomUUID().slice(0, 6)}`
  const response = await staff.post(
    '/staff/activities/new',
    activityForm({
      title,
      'date-day': String(first.d),
      'date-month': String(first.m),
      'date-year': String(first.y),
      repeat: 'weekly',
      sessions: String(sessions),
      ...overrides,
    }),
  )
  expect(response.status).toBe(302)
  const rows = await service.database.db
    .selectFrom('activity')
    .select(['id', 'series_id'])
    .where('title', '=', title)
    .orderBy('starts_at')
    .execute()
  expect(rows).toHaveLength(sessions)
  return { seriesId: rows[0]!.series_id!, ids: rows.map((r) => r.id), title }
}

/** The series form as a family not signed in fills it: all dates, one child, confirmed at once. */
function formBooking(who: { contactName: string; email: string; firstName: string; dob: string }) {
  const [year, month, day] = who.dob.split('-')
  return {
    mode: 'form',
    intent: 'confirm',
    dates: 'all',
    contactName: who.contactName,
    email: who.email,
    phone: '',
    authority: 'E10000016',
    eligibility: 'yes',
    childCount: '1',
    'child-0-firstName': who.firstName,
    'child-0-dob-day': String(Number(day)),
    'child-0-dob-month': String(Number(month)),
    'child-0-dob-year': year!,
    'child-0-supportNeeds': '',
    idempotencyKey: crypto.randomUUID(),
  }
}

/** Runs `test` with "approve new families" on, and turns it off again whatever happens. */
async function withApproval(test: () => Promise<void>): Promise<void> {
  const db = service.database.db
  const stamp = new Date().toISOString()
  await db
    .insertInto('setting')
    .values({ key: 'approve_new_families', value: 'on', updated_at: stamp })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: 'on', updated_at: stamp }))
    .execute()
  try {
    await test()
  } finally {
    await db.updateTable('setting').set({ value: 'off' }).where('key', '=', 'approve_new_families').execute()
  }
}

async function placesOf(activityId: number): Promise<string[]> {
  const rows = await service.database.db
    .selectFrom('place')
    .select(['first_name', 'status'])
    .where('activity_id', '=', activityId)
    .where('status', '<>', 'cancelled')
    .orderBy('id')
    .execute()
  return rows.map((r) => `${r.first_name}:${r.status}`)
}

async function mailTo(address: string, count: number): Promise<Received[]> {
  return waitFor(() => {
    const to = smtp.received.filter((m) => m.to.includes(address))
    return to.length >= count ? to : null
  })
}

async function calendarOf(message: Received) {
  const mail = await simpleParser(message.raw)
  const parts = mail.attachments.filter((a) => a.contentType.startsWith('text/calendar'))
  expect(parts).toHaveLength(1)
  const calendar = readCalendar(parts[0]!.content.toString('utf8'))
  return { mail, calendar, events: calendar.getAllSubcomponents('vevent') }
}

/** Every link to the service in an email's text and HTML parts and its invite's URLs opens a working page. */
async function expectWorkingLinks(mail: Awaited<ReturnType<typeof simpleParser>>, ics?: string): Promise<number> {
  const text = `${mail.text ?? ''}\n${typeof mail.html === 'string' ? mail.html.replace(/&amp;/g, '&') : ''}\n${(ics ?? '').replace(/\r\n /g, '')}`
  const links = [...new Set(text.match(/https?:\/\/[^\s"<>\\]+/g) ?? [])].filter((l) => l.startsWith(service.url))
  for (const link of links) {
    const url = new URL(link)
    const answer = await service.client().get(url.pathname + url.search)
    const body = await answer.text()
    // /family/bookings asks a signed-out reader to sign in; every other page opens
    if (answer.status === 302) expect(answer.headers.get('location')).toMatch(/^\/family\/sign-in/)
    else expect([link, answer.status]).toEqual([link, 200])
    expect(body).not.toMatch(/could not find|does not work|has expired|already been used/i)
  }
  return links.length
}

describe('booking a series in one step (signed-in family)', () => {
  it('shows each date and child, books one booking per date, and sends one email with one invite', async () => {
    const first = firstDate(30)
    // Sam turns 5 three days after the first date: too young for it, old enough for the rest.
    const sam = shifted(first, 3, 5)
    const series = await publishSeries(5, first, { capacity: '3' })
    const family = await createFamily(service.database.db, {
      email: `series-${crypto.randomUUID().slice(0, 6)}@example.org`,
      children: [
        { firstName: 'Ava', dob: shifted(first, -100, 8) },
        { firstName: 'Leo', dob: shifted(first, -100, 6) },
        { firstName: 'Sam', dob: sam },
      ],
    })
    // The third date has one space left: another family holds two of its three.
    const other = await createFamily(service.database.db, {
      children: [
        { firstName: 'Zoe', dob: shifted(first, -100, 7) },
        { firstName: 'Max', dob: shifted(first, -100, 7) },
      ],
    })
    await bookForFamily(service.database.db, other, series.ids[2]!, [
      { child: 0, status: 'confirmed' },
      { child: 1, status: 'confirmed' },
    ])
    // The fifth date's booking has closed.
    await service.database.db
      .updateTable('activity')
      .set({ booking_closes_at: new Date(Date.now() - 60_000).toISOString() })
      .where('id', '=', series.ids[4]!)
      .execute()

    const client = service.client()
    await signInFamilyDirectly(service.database.db, client, family.familyId)
    const page = await client.get(`/series/${series.seriesId}`)
    expect(page.status).toBe(200)
    const pageText = words(await page.text())
    expect(pageText).toContain('All remaining sessions (4)')

    const checked = await client.post(`/series/${series.seriesId}`, {
      mode: 'family',
      intent: 'check',
      dates: 'all',
      childId: family.childIds.map(String),
    })
    expect(checked.status).toBe(200)
    const html = await checked.text()
    const check = words(html)
    expect(check).toContain('Check your booking, date by date')
    expect(check).toContain(
      'Sam What happens Not eligible that day: Sam will be 4 on the day; this session is for 5 to 11',
    )
    expect(check).toContain('Leo What happens Waiting list (this date is full)')
    expect(check).toContain('Ava What happens Closed: Booking for this date has closed')
    const key = /name="idempotencyKey" value="([\w-]+)"/.exec(html)![1]!

    const confirm = {
      mode: 'family',
      intent: 'confirm',
      dates: 'all',
      childId: family.childIds.map(String),
      idempotencyKey: key,
    }
    const booked = await client.post(`/series/${series.seriesId}`, confirm)
    expect(booked.status).toBe(302)
    expect(booked.headers.get('location')).toBe(`/series/${series.seriesId}?booked=confirmed`)

    expect(await placesOf(series.ids[0]!)).toEqual(['Ava:confirmed', 'Leo:confirmed'])
    expect(await placesOf(series.ids[1]!)).toEqual(['Ava:confirmed', 'Leo:confirmed', 'Sam:confirmed'])
    expect(await placesOf(series.ids[2]!)).toEqual([
      'Zoe:confirmed',
      'Max:confirmed',
      'Ava:confirmed',
      'Leo:waitlisted',
      'Sam:waitlisted',
    ])
    expect(await placesOf(series.ids[3]!)).toEqual(['Ava:confirmed', 'Leo:confirmed', 'Sam:confirmed'])
    expect(await placesOf(series.ids[4]!)).toEqual([])
    const bookings = await service.database.db
      .selectFrom('booking')
      .select(['reference', 'activity_id'])
      .where('family_id', '=', family.familyId)
      .orderBy('activity_id')
      .execute()
    expect(bookings.map((b) => b.activity_id)).toEqual(series.ids.slice(0, 4))

    // Posted again (a double click, the back button): nothing more is booked or sent.
    const again = await client.post(`/series/${series.seriesId}`, confirm)
    expect(again.status).toBe(200)
    expect(words(await again.text())).toContain('You have already booked this')

    const [message] = await mailTo(family.email, 1)
    const { mail, calendar, events } = await calendarOf(message!)
    expect(mail.subject).toBe(`Booking confirmed: ${series.title} – 5 dates`)
    expect(mail.text).toContain('Sam will be 4 on the day; this session is for 5 to 11.')
    expect(mail.text).toContain('Leo and Sam are on the waiting list.')
    expect(mail.text).toContain('Booking for this date has closed.')
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST')
    expect(events).toHaveLength(4)
    const host = new URL(service.url).hostname
    expect(events.map((e) => e.getFirstPropertyValue('uid'))).toEqual(
      bookings.map((b) => `booking-${b.reference}@${host}`),
    )
    expect(events.map((e) => e.getFirstPropertyValue('sequence'))).toEqual([0, 0, 0, 0])
    expect(await expectWorkingLinks(mail, calendar.toString())).toBeGreaterThanOrEqual(5)
    // one email, however long we wait for a second
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(smtp.received.filter((m) => m.to.includes(family.email))).toHaveLength(1)

    // Cancelling one date leaves the others.
    const cancelled = await client.post(`/family/bookings/${bookings[1]!.reference}/cancel`, { intent: 'confirm' })
    expect(cancelled.status).toBe(302)
    expect(await placesOf(series.ids[1]!)).toEqual([])
    expect(await placesOf(series.ids[0]!)).toEqual(['Ava:confirmed', 'Leo:confirmed'])
    expect(await placesOf(series.ids[3]!)).toEqual(['Ava:confirmed', 'Leo:confirmed', 'Sam:confirmed'])
  })

  it('books once when the same confirmation is posted twice at once', async () => {
    const first = firstDate(40)
    const series = await publishSeries(3, first)
    const family = await createFamily(service.database.db, {
      children: [{ firstName: 'Ivy', dob: shifted(first, -100, 9) }],
    })
    const client = service.client()
    await signInFamilyDirectly(service.database.db, client, family.familyId)
    const confirm = {
      mode: 'family',
      intent: 'confirm',
      dates: 'all',
      childId: family.childIds.map(String),
      idempotencyKey: crypto.randomUUID(),
    }
    const answers = await Promise.all([1, 2, 3].map(() => client.post(`/series/${series.seriesId}`, confirm)))
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 302])
    const bookings = await service.database.db
      .selectFrom('booking')
      .select('activity_id')
      .where('family_id', '=', family.familyId)
      .execute()
    expect(bookings).toHaveLength(3)
    const emails = await service.database.db
      .selectFrom('outbox')
      .select('kind')
      .where('to_address', '=', family.email)
      .execute()
    expect(emails).toEqual([{ kind: 'series-booked' }])
  })

  it('never gives more places than a date has, with families booking the series at once', async () => {
    const first = firstDate(50)
    const series = await publishSeries(3, first, { capacity: '4' })
    const families = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        createFamily(service.database.db, {
          children: [
            { firstName: `Kid${i}a`, dob: shifted(first, -100, 8) },
            { firstName: `Kid${i}b`, dob: shifted(first, -100, 7) },
          ],
        }),
      ),
    )
    const clients = await Promise.all(
      families.map(async (f) => {
        const client = service.client()
        await signInFamilyDirectly(service.database.db, client, f.familyId)
        return client
      }),
    )
    const answers = await Promise.all(
      clients.map((client, i) =>
        client.post(`/series/${series.seriesId}`, {
          mode: 'family',
          intent: 'confirm',
          dates: 'all',
          childId: families[i]!.childIds.map(String),
          idempotencyKey: crypto.randomUUID(),
        }),
      ),
    )
    expect(answers.map((a) => a.status)).toEqual([302, 302, 302, 302, 302, 302])
    for (const id of series.ids) {
      const statuses = (await placesOf(id)).map((p) => p.split(':')[1])
      expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(4)
      expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(8)
    }
  })

  it('says which field to fix, keeping what was ticked', async () => {
    const first = firstDate(60)
    const series = await publishSeries(2, first)
    const family = await createFamily(service.database.db, {
      children: [{ firstName: 'Noor', dob: shifted(first, -100, 9) }],
    })
    const client = service.client()
    await signInFamilyDirectly(service.database.db, client, family.familyId)
    const none = await client.post(`/series/${series.seriesId}`, { mode: 'family', intent: 'check' })
    expect(none.status).toBe(400)
    const text = words(await none.text())
    expect(text).toContain('Select which dates you want to book')
    expect(text).toContain('Select who is coming')
    const noDates = await client.post(`/series/${series.seriesId}`, {
      mode: 'family',
      intent: 'check',
      dates: 'some',
      childId: family.childIds.map(String),
    })
    expect(noDates.status).toBe(400)
    expect(words(await noDates.text())).toContain('Select at least one date')
    // odd input: never a 500
    for (const form of [
      { mode: 'family', intent: 'confirm', dates: 'all', childId: ['0', 'x'], idempotencyKey: 'short' },
      { mode: 'nonsense', dates: 'sometimes', activityId: ['-1', '1e99'] },
      { mode: 'family', intent: 'confirm', dates: 'all', childId: ['999999'], idempotencyKey: crypto.randomUUID() },
    ] as Array<Record<string, string | string[]>>) {
      const answer = await client.post(`/series/${series.seriesId}`, form)
      expect(answer.status).toBeLessThan(500)
    }
    expect((await service.client().get('/series/999999')).status).toBe(404)
    expect((await service.client().get('/series/abc')).status).toBe(404)
  })
})

describe('booking a series when not signed in', () => {
  it('holds every date until one link confirms them all, then sends one email with the invite', async () => {
    const first = firstDate(70)
    const series = await publishSeries(3, first)
    const email = `held-${crypto.randomUUID().slice(0, 6)}@example.org`
    const dob = shifted(first, -100, 8)
    const [year, month, day] = dob.split('-')
    const form = {
      mode: 'form',
      dates: 'all',
      contactName: 'Robin Carer',
      email,
      phone: '',
      authority: 'E10000016',
      eligibility: 'yes',
      childCount: '1',
      'child-0-firstName': 'Ola',
      'child-0-dob-day': String(Number(day)),
      'child-0-dob-month': String(Number(month)),
      'child-0-dob-year': year!,
      'child-0-supportNeeds': '',
    }
    const client = service.client()
    // "Add another child" and "Remove" are plain posts back to the series page, keeping what was typed
    const added = await client.post(`/series/${series.seriesId}`, { ...form, intent: 'add-child' })
    expect(added.status).toBe(200)
    const addedHtml = await added.text()
    expect(addedHtml).toContain('name="child-1-firstName"')
    expect(addedHtml).toContain('value="Robin Carer"')
    expect(addedHtml).toContain(`formaction="/series/${series.seriesId}#child-2-firstName"`)
    const removed = await client.post(`/series/${series.seriesId}`, {
      ...form,
      childCount: '2',
      'child-1-firstName': 'Extra',
      intent: 'remove-child-1',
    })
    expect(await removed.text()).not.toContain('name="child-1-firstName"')
    // a typed error comes back beside its field, with the rest kept
    const wrong = await client.post(`/series/${series.seriesId}`, { ...form, email: 'not an email', intent: 'check' })
    expect(wrong.status).toBe(400)
    const wrongText = words(await wrong.text())
    expect(wrongText).toContain('Enter an email address in the correct format, like name@example.com')
    const checked = await client.post(`/series/${series.seriesId}`, { ...form, intent: 'check' })
    expect(checked.status).toBe(200)
    const html = await checked.text()
    expect(words(html)).toContain('Ola What happens Place held until you confirm your email address')
    const key = /name="idempotencyKey" value="([\w-]+)"/.exec(html)![1]!
    const booked = await client.post(`/series/${series.seriesId}`, { ...form, intent: 'confirm', idempotencyKey: key })
    expect(booked.status).toBe(302)
    expect(booked.headers.get('location')).toBe(`/series/${series.seriesId}?booked=held`)
    for (const id of series.ids) expect(await placesOf(id)).toEqual(['Ola:held'])

    const [held] = await mailTo(email, 1)
    const heldMail = await simpleParser(held!.raw)
    expect(heldMail.subject).toBe(`Confirm your booking: ${series.title} – 3 dates`)
    expect(heldMail.attachments.filter((a) => a.contentType.startsWith('text/calendar'))).toHaveLength(0)
    expect(heldMail.text).not.toContain('teams.microsoft.com')
    expect(await expectWorkingLinks(heldMail)).toBeGreaterThanOrEqual(4)
    const link = /\/family\/confirm\/[\w-]+/.exec(heldMail.text!)![0]
    // the link's page names every date it confirms, and opening it changes nothing
    const preview = await service.client().get(link)
    expect(preview.status).toBe(200)
    expect(words(await preview.text()).match(/4pm to 5pm \(UK time\)/g)).toHaveLength(3)
    for (const id of series.ids) expect(await placesOf(id)).toEqual(['Ola:held'])
    const confirmer = service.client()
    const confirmed = await confirmer.post(link, {})
    expect(confirmed.status).toBe(302)
    for (const id of series.ids) expect(await placesOf(id)).toEqual(['Ola:confirmed'])
    // the page after the link names every date it confirmed, not only the first
    const after = await confirmer.get(confirmed.headers.get('location')!)
    expect(after.status).toBe(200)
    const afterText = words(await after.text())
    expect(afterText).toContain('Booking confirmed 3 dates')
    expect(afterText).toContain(`${series.title}: 3 dates, one booking for each.`)
    expect(afterText.match(/4pm to 5pm \(UK time\), JN-[A-Z0-9]{5} Ola: place confirmed/g)).toHaveLength(3)
    expect(afterText).toContain('You can cancel any one date later without losing the others.')

    const messages = await mailTo(email, 2)
    expect(messages).toHaveLength(2)
    const { mail, events } = await calendarOf(messages[1]!)
    expect(mail.subject).toBe(`Booking confirmed: ${series.title} – 3 dates`)
    expect(events).toHaveLength(3)
    expect(await expectWorkingLinks(mail)).toBeGreaterThanOrEqual(4)
    expect(mail.text).toContain('teams.microsoft.com')
  })
})

describe("the link confirming a new family's series", () => {
  it('names every child with a place on any date, not only those on the first', async () => {
    const first = firstDate(75)
    const series = await publishSeries(2, first)
    const email = `names-${crypto.randomUUID().slice(0, 6)}@example.org`
    const child = (i: number, name: string, dob: string) => {
      const [year, month, day] = dob.split('-')
      return {
        [`child-${i}-firstName`]: name,
        [`child-${i}-dob-day`]: String(Number(day)),
        [`child-${i}-dob-month`]: String(Number(month)),
        [`child-${i}-dob-year`]: year!,
        [`child-${i}-supportNeeds`]: '',
      }
    }
    const form = {
      mode: 'form',
      dates: 'all',
      contactName: 'Robin Carer',
      email,
      phone: '',
      authority: 'E10000016',
      eligibility: 'yes',
      childCount: '2',
      ...child(0, 'Ola', shifted(first, -100, 8)),
      // turns 5 the day after the first date: a place on the second date only
      ...child(1, 'Tiny', shifted(first, 1, 5)),
    }
    const client = service.client()
    const checked = await client.post(`/series/${series.seriesId}`, { ...form, intent: 'check' })
    const key = /name="idempotencyKey" value="([\w-]+)"/.exec(await checked.text())![1]!
    const booked = await client.post(`/series/${series.seriesId}`, { ...form, intent: 'confirm', idempotencyKey: key })
    expect(booked.status).toBe(302)
    expect(await placesOf(series.ids[0]!)).toEqual(['Ola:held'])
    expect(await placesOf(series.ids[1]!)).toEqual(['Ola:held', 'Tiny:held'])
    const [held] = await mailTo(email, 1)
    const link = /\/family\/confirm\/[\w-]+/.exec((await simpleParser(held!.raw)).text!)![0]
    expect(words(await (await service.client().get(link)).text())).toContain('Children Ola and Tiny')
    // confirmed, so no hold of this test is left for the hold job of the tests after it
    expect((await service.client().post(link, {})).status).toBe(302)
    expect(await placesOf(series.ids[1]!)).toEqual(['Ola:confirmed', 'Tiny:confirmed'])
  })
})

describe('a held series whose waiting child gets a space while it is held', () => {
  it('confirms the space with the address, in the one series email, not an email a date', async () => {
    const first = firstDate(85)
    const series = await publishSeries(2, first, { capacity: '1' })
    const email = `sibling-${crypto.randomUUID().slice(0, 6)}@example.org`
    const [year, month, day] = shifted(first, -100, 7).split('-')
    const booked = await service.client().post(`/series/${series.seriesId}`, {
      ...formBooking({ contactName: 'Ash Carer', email, firstName: 'Uma', dob: shifted(first, -100, 8) }),
      childCount: '2',
      'child-1-firstName': 'Vic',
      'child-1-dob-day': String(Number(day)),
      'child-1-dob-month': String(Number(month)),
      'child-1-dob-year': year!,
      'child-1-supportNeeds': '',
    })
    expect(booked.headers.get('location')).toBe(`/series/${series.seriesId}?booked=held`)
    for (const id of series.ids) expect(await placesOf(id)).toEqual(['Uma:held', 'Vic:waitlisted'])
    // While the places are held, each session gets a second space (as staff editing it would give).
    await service.database.db.updateTable('activity').set({ capacity: 2 }).where('id', 'in', series.ids).execute()
    const [held] = await mailTo(email, 1)
    const link = /\/family\/confirm\/[\w-]+/.exec((await simpleParser(held!.raw)).text!)![0]
    expect((await service.client().post(link, {})).status).toBe(302)
    for (const id of series.ids) expect(await placesOf(id)).toEqual(['Uma:confirmed', 'Vic:confirmed'])
    // One email: the series confirmation, naming both children on both dates with their invite.
    const kinds = await service.database.db
      .selectFrom('outbox')
      .select('kind')
      .where('to_address', '=', email)
      .orderBy('id')
      .execute()
    expect(kinds.map((k) => k.kind)).toEqual(['series-held', 'series-booked'])
    const { mail, events } = await calendarOf((await mailTo(email, 2))[1]!)
    expect(mail.subject).toBe(`Booking confirmed: ${series.title} – 2 dates`)
    expect(mail.text!.match(/Uma and Vic have places\./g)).toHaveLength(2)
    expect(events).toHaveLength(2)
  })
})

describe('a held series not confirmed in time', () => {
  it('lets every date go to its waiting list and tells each family once, listing the dates', async () => {
    const first = firstDate(80)
    const series = await publishSeries(3, first, { capacity: '1' })
    const email = `lapsed-${crypto.randomUUID().slice(0, 6)}@example.org`
    const booked = await service
      .client()
      .post(
        `/series/${series.seriesId}`,
        formBooking({ contactName: 'Lee Carer', email, firstName: 'Noor', dob: shifted(first, -100, 8) }),
      )
    expect(booked.headers.get('location')).toBe(`/series/${series.seriesId}?booked=held`)
    // a known family waits behind the held place on every date
    const waiting = await createFamily(service.database.db, {
      children: [{ firstName: 'Wren', dob: shifted(first, -100, 9) }],
    })
    const client = service.client()
    await signInFamilyDirectly(service.database.db, client, waiting.familyId)
    const queued = await client.post(`/series/${series.seriesId}`, {
      mode: 'family',
      intent: 'confirm',
      dates: 'all',
      childId: String(waiting.childIds[0]),
      idempotencyKey: crypto.randomUUID(),
    })
    expect(queued.status).toBe(302)
    for (const id of series.ids) expect(await placesOf(id)).toEqual(['Noor:held', 'Wren:waitlisted'])
    await mailTo(email, 1)

    const holds = await service.database.db
      .selectFrom('booking')
      .select('hold_expires_at')
      .where('email', '=', email)
      .execute()
    expect(holds).toHaveLength(3)
    const lastExpiry = Math.max(...holds.map((h) => Date.parse(h.hold_expires_at!)))
    const links = { baseUrl: service.url, domain: 'test.invalid' }
    expect(await releaseExpiredHolds(service.database.db, links, new Date(lastExpiry + 60_000))).toBe(3)
    for (const id of series.ids) expect(await placesOf(id)).toEqual(['Wren:confirmed'])
    // run again: nothing more to release, no second email
    expect(await releaseExpiredHolds(service.database.db, links, new Date(lastExpiry + 120_000))).toBe(0)

    const [, released] = await mailTo(email, 2)
    const mail = await simpleParser(released!.raw)
    expect(mail.subject).toBe(`Places not kept: ${series.title} – 3 dates`)
    expect(mail.text).toContain(`We kept places for you on 3 dates of ${series.title}:`)
    expect(
      mail.text!.match(/4pm to 5pm \(UK time\)\nNoor: place not kept\nBooking reference: JN-[A-Z0-9]{5}/g),
    ).toHaveLength(3)
    expect(mail.text).toContain('Book the series again')
    expect(mail.text).not.toContain('teams.microsoft.com')
    expect(await expectWorkingLinks(mail)).toBeGreaterThanOrEqual(1)
    const outbox = await service.database.db
      .selectFrom('outbox')
      .select('kind')
      .where('to_address', '=', email)
      .orderBy('id')
      .execute()
    expect(outbox.map((o) => o.kind)).toEqual(['series-held', 'hold-released'])

    // The family waiting on every date is told once, in one email listing the three dates, with one
    // invite of three events under the UIDs of its three bookings (each SEQUENCE raised), not three
    // "a space came up" emails.
    const waitingKinds = async () =>
      (
        await service.database.db
          .selectFrom('outbox')
          .select('kind')
          .where('to_address', '=', waiting.email)
          .orderBy('id')
          .execute()
      ).map((o) => o.kind)
    expect(await waitingKinds()).toEqual(['series-booked', 'series-places-offered'])
    const [, offered] = await mailTo(waiting.email, 2)
    const { mail: offeredMail, calendar, events } = await calendarOf(offered!)
    expect(offeredMail.subject).toBe(`Spaces came up: ${series.title} – 3 dates`)
    expect(offeredMail.text).toContain(`Good news: spaces came up on the waiting list for ${series.title}`)
    expect(offeredMail.text!.match(/Wren has a place\./g)).toHaveLength(3)
    expect(offeredMail.text!.match(/Join on Microsoft Teams/g)).toHaveLength(3)
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST')
    const waitingBookings = await service.database.db
      .selectFrom('booking')
      .select(['reference', 'invite_sequence', 'activity_id'])
      .where('family_id', '=', waiting.familyId)
      .where('activity_id', 'in', series.ids)
      .execute()
    expect(waitingBookings).toHaveLength(3)
    expect(events.map((e) => e.getFirstPropertyValue('uid')).sort()).toEqual(
      waitingBookings.map((b) => `booking-${b.reference}@test.invalid`).sort(),
    )
    expect(waitingBookings.map((b) => b.invite_sequence)).toEqual([1, 1, 1])
    expect(events.map((e) => Number(e.getFirstPropertyValue('sequence')))).toEqual([1, 1, 1])
    expect(await expectWorkingLinks(offeredMail, calendar.toString())).toBeGreaterThanOrEqual(3)
    // nothing more is sent to either family by a second run (above)
    expect(await waitingKinds()).toEqual(['series-booked', 'series-places-offered'])
  })
})

describe('a new family when the team approves new families', () => {
  it('keeps every date held for approval once the address is confirmed, and says so in one email', async () => {
    const db = service.database.db
    await withApproval(async () => {
      const first = firstDate(90)
      // two spaces a date: Pip's, and the one another new family's held places take (below)
      const series = await publishSeries(2, first, { capacity: '2' })
      const email = `approve-${crypto.randomUUID().slice(0, 6)}@example.org`
      const dob = shifted(first, -100, 8)
      const booked = await service
        .client()
        .post(`/series/${series.seriesId}`, formBooking({ contactName: 'Jo New', email, firstName: 'Pip', dob }))
      expect(booked.status).toBe(302)
      const [held] = await mailTo(email, 1)
      const link = /\/family\/confirm\/[\w-]+/.exec((await simpleParser(held!.raw)).text!)![0]
      expect((await service.client().post(link, {})).status).toBe(302)
      const bookings = await db.selectFrom('booking').select('hold_reason').where('email', '=', email).execute()
      expect(bookings).toEqual([{ hold_reason: 'approval' }, { hold_reason: 'approval' }])
      for (const id of series.ids) expect(await placesOf(id)).toEqual(['Pip:held'])
      const messages = await mailTo(email, 2)
      const waiting = await simpleParser(messages[1]!.raw)
      expect(waiting.subject).toBe(`Booking received: ${series.title} – 2 dates`)
      expect(waiting.text).toContain('Places kept for Pip while the team checks your booking.')
      expect(waiting.text).not.toContain('teams.microsoft.com')
      expect(waiting.attachments.filter((a) => a.contentType.startsWith('text/calendar'))).toHaveLength(0)

      // The team sees the series as one booking to decide, and one approval confirms every date.
      const ids = await db.selectFrom('booking').select('id').where('email', '=', email).orderBy('id').execute()
      const queue = words(await (await staff.get('/staff/families/approvals')).text())
      expect(queue).toContain(`Series: 2 dates ${series.title}`)
      expect(queue).toContain('Approve all 2 dates')
      expect(queue.match(/Pip \(8\), JN-[A-Z0-9]{5}/g)).toHaveLength(2)
      const approved = await staff.post('/staff/families/approvals', { intent: 'approve', booking: String(ids[0]!.id) })
      expect(approved.status).toBe(302)
      for (const id of series.ids) expect(await placesOf(id)).toEqual(['Pip:confirmed'])
      const { mail: confirmed, events } = await calendarOf((await mailTo(email, 3))[2]!)
      expect(confirmed.subject).toBe(`Booking confirmed: ${series.title} – 2 dates`)
      expect(events).toHaveLength(2)
      expect(confirmed.text).toContain('teams.microsoft.com')
      // approving again (another tab) changes nothing and sends nothing
      expect(
        (await staff.post('/staff/families/approvals', { intent: 'approve', booking: String(ids[1]!.id) })).status,
      ).toBe(409)
      const kinds = await db.selectFrom('outbox').select('kind').where('to_address', '=', email).orderBy('id').execute()
      expect(kinds.map((k) => k.kind)).toEqual(['series-held', 'series-awaiting-approval', 'series-booked'])

      // Another new family's series, declined as one: one email naming both dates, every place let go.
      const other = `decline-${crypto.randomUUID().slice(0, 6)}@example.org`
      const again = await service
        .client()
        .post(
          `/series/${series.seriesId}`,
          formBooking({ contactName: 'Kim New', email: other, firstName: 'Rio', dob }),
        )
      expect(again.status).toBe(302)
      const otherLink = /\/family\/confirm\/[\w-]+/.exec(
        (await simpleParser((await mailTo(other, 1))[0]!.raw)).text!,
      )![0]
      expect((await service.client().post(otherLink, {})).status).toBe(302)
      for (const id of series.ids) expect(await placesOf(id)).toEqual(['Pip:confirmed', 'Rio:held'])
      // a known family waits behind Rio's held places on both dates
      const zoe = await createFamily(db, { children: [{ firstName: 'Zoe', dob }] })
      const waitingClient = service.client()
      await signInFamilyDirectly(db, waitingClient, zoe.familyId)
      const queued = await waitingClient.post(`/series/${series.seriesId}`, {
        mode: 'family',
        intent: 'confirm',
        dates: 'all',
        childId: String(zoe.childIds[0]),
        idempotencyKey: crypto.randomUUID(),
      })
      expect(queued.status).toBe(302)
      for (const id of series.ids) {
        expect(await placesOf(id)).toEqual(['Pip:confirmed', 'Rio:held', 'Zoe:waitlisted'])
      }
      const otherIds = await db.selectFrom('booking').select('id').where('email', '=', other).orderBy('id').execute()
      const declined = await staff.post('/staff/families/approvals', {
        intent: 'decline',
        booking: String(otherIds[1]!.id),
        [`reason-${otherIds[1]!.id}`]: 'These dates are for families in Kent, Medway or Bexley.',
      })
      expect(declined.status).toBe(302)
      for (const id of series.ids) expect(await placesOf(id)).toEqual(['Pip:confirmed', 'Zoe:confirmed'])
      const declinedMail = await simpleParser((await mailTo(other, 3))[2]!.raw)
      expect(declinedMail.subject).toBe(`We could not accept your booking: ${series.title} – 2 dates`)
      expect(declinedMail.text).toContain(`we could not accept the booking for Rio on 2 dates of ${series.title}:`)
      expect(declinedMail.text!.match(/4pm to 5pm \(UK time\)\nBooking reference: JN-[A-Z0-9]{5}/g)).toHaveLength(2)
      expect(declinedMail.text).toContain('Why: These dates are for families in Kent, Medway or Bexley.')
      expect(declinedMail.text).not.toContain('teams.microsoft.com')
      const otherKinds = await db
        .selectFrom('outbox')
        .select('kind')
        .where('to_address', '=', other)
        .orderBy('id')
        .execute()
      expect(otherKinds.map((k) => k.kind)).toEqual(['series-held', 'series-awaiting-approval', 'family-declined'])
      // The spaces the decline freed went to the family waiting on both dates, told once for both.
      const waitingKinds = await db
        .selectFrom('outbox')
        .select('kind')
        .where('to_address', '=', zoe.email)
        .orderBy('id')
        .execute()
      expect(waitingKinds.map((k) => k.kind)).toEqual(['series-booked', 'series-places-offered'])
      const { mail: spaces, events: spaceEvents } = await calendarOf((await mailTo(zoe.email, 2))[1]!)
      expect(spaces.subject).toBe(`Spaces came up: ${series.title} – 2 dates`)
      expect(spaces.text!.match(/Zoe has a place\./g)).toHaveLength(2)
      expect(spaceEvents).toHaveLength(2)
    })
  })
  it('tells a new family on the check page and after booking that the team approves the places, not the email', async () => {
    const db = service.database.db
    await withApproval(async () => {
      const first = firstDate(95)
      const series = await publishSeries(2, first, { capacity: '3' })
      const dob = shifted(first, -100, 8)
      // typed in the form: held for the address, and the page says approval may follow
      const typed = formBooking({
        contactName: 'Val New',
        email: `val-${crypto.randomUUID().slice(0, 6)}@example.org`,
        firstName: 'Una',
        dob,
      })
      const checked = words(
        await (await service.client().post(`/series/${series.seriesId}`, { ...typed, intent: 'check' })).text(),
      )
      expect(checked).toContain('Una What happens Place held until you confirm your email address')
      expect(checked).toContain('If this is your first booking with us, the team then checks it')

      // a family that has confirmed its address but has no booking approved yet
      const family = await createFamily(db, {
        email: `wes-${crypto.randomUUID().slice(0, 6)}@example.org`,
        approvedAt: null,
        children: [{ firstName: 'Wes', dob }],
      })
      const client = service.client()
      await signInFamilyDirectly(db, client, family.familyId)
      const post = { mode: 'family', dates: 'all', activityId: [], childId: family.childIds.map(String) }
      const check = await client.post(`/series/${series.seriesId}`, { ...post, intent: 'check' })
      const page = await check.text()
      expect(words(page)).toContain('Wes What happens Place held until the team approves your first booking')
      expect(words(page)).toContain("The team checks a new family's first booking before the places are confirmed.")
      expect(page).not.toContain('confirm your email address')
      const key = /name="idempotencyKey" value="([\w-]+)"/.exec(page)![1]!
      const booked = await client.post(`/series/${series.seriesId}`, {
        ...post,
        intent: 'confirm',
        idempotencyKey: key,
      })
      expect(booked.headers.get('location')).toBe(`/series/${series.seriesId}?booked=approval`)
      for (const id of series.ids) expect(await placesOf(id)).toEqual(['Wes:held'])
      const after = await (await client.get(booked.headers.get('location')!)).text()
      expect(words(after)).toContain('Booking received: awaiting approval')
      expect(after).not.toContain('Check your email to confirm')
    })
  })
})

describe('staff and a series as a whole', () => {
  it('shows the bookings per date, moves and cancels the remaining sessions, telling each family once', async () => {
    const first = firstDate(80)
    const series = await publishSeries(4, first, { capacity: '3' })
    const ava = await createFamily(service.database.db, {
      email: `move-a-${crypto.randomUUID().slice(0, 6)}@example.org`,
      contactName: 'Alex Able',
      children: [
        { firstName: 'Ava', dob: shifted(first, -100, 8) },
        { firstName: 'Leo', dob: shifted(first, -100, 7) },
      ],
    })
    const ben = await createFamily(service.database.db, {
      email: `move-b-${crypto.randomUUID().slice(0, 6)}@example.org`,
      contactName: 'Bo Baker',
      children: [{ firstName: 'Ben', dob: shifted(first, -100, 9) }],
    })
    const cy = await createFamily(service.database.db, {
      email: `move-c-${crypto.randomUUID().slice(0, 6)}@example.org`,
      contactName: 'Cam Cole',
      children: [{ firstName: 'Cy', dob: shifted(first, -100, 9) }],
    })
    const bookAll = async (family: { familyId: number; childIds: number[] }, dates: 'all' | number[]) => {
      const client = service.client()
      await signInFamilyDirectly(service.database.db, client, family.familyId)
      const answer = await client.post(`/series/${series.seriesId}`, {
        mode: 'family',
        intent: 'confirm',
        dates: dates === 'all' ? 'all' : 'some',
        activityId: dates === 'all' ? [] : dates.map(String),
        childId: family.childIds.map(String),
        idempotencyKey: crypto.randomUUID(),
      })
      expect(answer.status).toBe(302)
    }
    await bookAll(ava, 'all')
    await bookAll(ben, [series.ids[0]!, series.ids[1]!])
    // the first date is full now: Cy waits for it
    await bookAll(cy, [series.ids[0]!])
    expect(await placesOf(series.ids[0]!)).toEqual(['Ava:confirmed', 'Leo:confirmed', 'Ben:confirmed', 'Cy:waitlisted'])
    await mailTo(cy.email, 1)
    const before = smtp.received.length

    const page = await staff.get(`/staff/series/${series.seriesId}`)
    expect(page.status).toBe(200)
    const pageText = words(await page.text())
    expect(pageText).toContain('Alex Able : Ava (place) and Leo (place)')
    expect(pageText).toContain('Cam Cole : Cy (waiting list)')
    const viewed = await service.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'series.bookings-viewed')
      .where('subject_id', '=', String(series.seriesId))
      .execute()
    expect(viewed).toHaveLength(1)

    // Bad times are said next to the fields, nothing changes.
    const bad = await staff.post(`/staff/series/${series.seriesId}`, {
      intent: 'move',
      startTime: '25:00',
      endTime: '',
    })
    expect(bad.status).toBe(400)
    const badText = words(await bad.text())
    expect(badText).toContain('Enter a start time like 10:00 or 4:30pm')
    expect(badText).toContain('Enter an end time like 11:00 or 5:30pm')
    const backwards = await staff.post(`/staff/series/${series.seriesId}`, {
      intent: 'move',
      startTime: '11:00',
      endTime: '10:00',
    })
    expect(words(await backwards.text())).toContain('The end time must be after the start time')

    // Move: the check page first, which changes nothing.
    const check = await staff.post(`/staff/series/${series.seriesId}`, {
      intent: 'move',
      startTime: '10:00',
      endTime: '11:30',
    })
    expect(check.status).toBe(200)
    expect(words(await check.text())).toContain('We will email 3 families, once each')
    const unchanged = await service.database.db
      .selectFrom('activity')
      .select('sequence')
      .where('id', 'in', series.ids)
      .execute()
    expect(unchanged.map((a) => a.sequence)).toEqual([0, 0, 0, 0])
    const moved = await staff.post(`/staff/series/${series.seriesId}`, {
      intent: 'confirm-move',
      startTime: '10:00',
      endTime: '11:30',
    })
    expect(moved.status).toBe(302)
    expect(moved.headers.get('location')).toBe(`/staff/series/${series.seriesId}?notice=moved-4-3`)
    const after = await service.database.db
      .selectFrom('activity')
      .select(['starts_at', 'ends_at', 'sequence'])
      .where('id', 'in', series.ids)
      .orderBy('starts_at')
      .execute()
    for (const [i, a] of after.entries()) {
      expect(londonClock(new Date(a.starts_at))).toBe('10:00')
      expect(londonClock(new Date(a.ends_at))).toBe('11:30')
      expect(a.starts_at.slice(0, 10)).toBe(shifted(first, 7 * i))
      expect(a.sequence).toBe(1)
    }
    const movedMail = await waitFor(() => {
      const list = smtp.received.slice(before)
      return list.length >= 3 ? list : null
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(smtp.received.slice(before)).toHaveLength(3)
    expect(movedMail.map((m) => m.to[0]).sort()).toEqual([ava.email, ben.email, cy.email].sort())
    const avaBookings = await service.database.db
      .selectFrom('booking')
      .select('reference')
      .where('family_id', '=', ava.familyId)
      .orderBy('activity_id')
      .execute()
    const host = new URL(service.url).hostname
    const avaMoved = await calendarOf(movedMail.find((m) => m.to.includes(ava.email))!)
    expect(avaMoved.mail.subject).toBe(`New times: ${series.title} – 4 dates`)
    expect(avaMoved.calendar.getFirstPropertyValue('method')).toBe('REQUEST')
    expect(await expectWorkingLinks(avaMoved.mail, avaMoved.calendar.toString())).toBeGreaterThanOrEqual(5)
    expect(avaMoved.events.map((e) => e.getFirstPropertyValue('uid'))).toEqual(
      avaBookings.map((b) => `booking-${b.reference}@${host}`),
    )
    expect(avaMoved.events.map((e) => e.getFirstPropertyValue('sequence'))).toEqual([1, 1, 1, 1])
    expect(avaMoved.events.map((e) => londonClock(instantOf(new ICAL.Event(e), 'dtstart')))).toEqual([
      '10:00',
      '10:00',
      '10:00',
      '10:00',
    ])
    // Cy only waits: told the new time, but no joining link and no invite
    const cyMail = await simpleParser(movedMail.find((m) => m.to.includes(cy.email))!.raw)
    expect(cyMail.attachments.filter((a) => a.contentType.startsWith('text/calendar'))).toHaveLength(0)
    expect(cyMail.text).toContain('Cy is on the waiting list.')
    expect(cyMail.text).not.toContain('teams.microsoft.com')

    // Cancel the remaining sessions: check, then confirm, then a repeat that does nothing.
    const sent = smtp.received.length
    const noReason = await staff.post(`/staff/series/${series.seriesId}`, { intent: 'cancel', reason: '' })
    expect(noReason.status).toBe(400)
    expect(words(await noReason.text())).toContain('Enter why the sessions are cancelled')
    const cancelCheck = await staff.post(`/staff/series/${series.seriesId}`, {
      intent: 'cancel',
      reason: 'The artist is ill',
    })
    expect(words(await cancelCheck.text())).toContain('Cancel 4 remaining sessions?')
    const cancelled = await staff.post(`/staff/series/${series.seriesId}`, {
      intent: 'confirm-cancel',
      reason: 'The artist is ill',
    })
    expect(cancelled.status).toBe(302)
    const statuses = await service.database.db
      .selectFrom('activity')
      .select(['status', 'sequence'])
      .where('id', 'in', series.ids)
      .execute()
    expect(statuses).toEqual(Array.from({ length: 4 }, () => ({ status: 'cancelled', sequence: 2 })))
    const again = await staff.post(`/staff/series/${series.seriesId}`, {
      intent: 'confirm-cancel',
      reason: 'The artist is ill',
    })
    expect(again.status).toBe(200)
    expect(words(await again.text())).toContain('This series has no remaining sessions to change. Nothing was sent.')
    const cancelMail = await waitFor(() => {
      const list = smtp.received.slice(sent)
      return list.length >= 3 ? list : null
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(smtp.received.slice(sent)).toHaveLength(3)
    const avaCancel = await calendarOf(cancelMail.find((m) => m.to.includes(ava.email))!)
    expect(avaCancel.mail.subject).toBe(`Cancelled: ${series.title} – 4 dates`)
    expect(avaCancel.mail.text).toContain('The reason: The artist is ill')
    expect(avaCancel.calendar.getFirstPropertyValue('method')).toBe('CANCEL')
    expect(await expectWorkingLinks(avaCancel.mail)).toBeGreaterThanOrEqual(1)
    expect(avaCancel.events.map((e) => e.getFirstPropertyValue('uid'))).toEqual(
      avaBookings.map((b) => `booking-${b.reference}@${host}`),
    )
    expect(avaCancel.events.map((e) => e.getFirstPropertyValue('sequence'))).toEqual([2, 2, 2, 2])
    const audit = await service.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_type', '=', 'series')
      .where('subject_id', '=', String(series.seriesId))
      .orderBy('id')
      .execute()
    // every page showing the bookings is a view (the check pages too); the changes once each
    expect(audit.map((a) => a.action).filter((a) => a !== 'series.bookings-viewed')).toEqual([
      'series.move-remaining',
      'series.cancel-remaining',
    ])
  })
})
