// A family's data rights, self-service, against the real server: "Download our data" as JSON and
// CSV (only their own, never a joining link for a place that is not confirmed), "Delete our
// account" (places still to come cancelled and the waiting list promoted, personal details
// erased, the report for a past quarter unchanged), and retention of family profiles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { childKey } from '../../app/domain/booking-form'
import { book } from '../../app/domain/bookings.server'
import type { Links } from '../../app/domain/links'
import { parseCsv } from '../support/csv'
import { testClock } from '../support/clock'
import { createFamily, signInFamilyDirectly } from '../support/family'
import { KENT, MEDWAY, publishSessions } from '../support/seed-quarter'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const DAY = 86_400_000
const JOIN_URL = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_SEED%40thread.v2/0'
// The service's clock: 1 December 2026, whatever the wall clock says.
const clock = testClock('2026-12-01T10:00:00.000Z')
let service: TestService
let links: Links

beforeAll(async () => {
  service = await startTestService({}, { now: clock.now })
  links = { baseUrl: service.url, domain: 'join-in.test' }
})

afterAll(async () => {
  await service?.close()
})

const db = () => service.database.db

let sessions = 0
async function session(date: string, capacity = 10) {
  sessions += 1
  const [row] = await publishSessions(db(), {
    kind: 'activity',
    title: `Slime science ${sessions}`,
    category: 'Science experiments',
    date,
    start: '16:00',
    end: '17:00',
    capacity,
    minAge: 5,
    maxAge: 11,
  })
  return row!
}

let bookings = 0
/** A child of the family as the family pages write one; its id. */
async function childOf(familyId: number, child: { firstName: string; dob: string }): Promise<number> {
  const stamp = new Date().toISOString()
  const row = await db()
    .insertInto('child')
    .values({
      family_id: familyId,
      first_name: child.firstName,
      date_of_birth: child.dob,
      match_key: childKey(child.firstName, child.dob),
      support_needs: null,
      consent_photos: null,
      consent_photos_at: null,
      consent_name_visible: null,
      consent_name_visible_at: null,
      consent_camera: null,
      consent_camera_at: null,
      created_at: stamp,
      updated_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * Books as a signed-in family does, ticking its children, three days before the session. Without
 * a family, a family of its own (confirmed) is made for the children, in `authorityCode`.
 */
async function bookFor(
  s: { id: number; startsAt: Date },
  children: Array<{ firstName: string; dob: string; childId?: number }>,
  family?: { familyId: number; email: string },
  authorityCode = KENT,
) {
  bookings += 1
  const booker = family ?? (await createFamily(db(), { authorityCode }))
  const childIds: number[] = []
  for (const child of children) childIds.push(child.childId ?? (await childOf(booker.familyId, child)))
  const result = await book(
    db(),
    {
      activityId: s.id,
      idempotencyKey: `family-data-${bookings}`,
      acceptWaitlist: true,
      familyId: booker.familyId,
      childIds,
    },
    links,
    { maxChildren: 10, now: new Date(s.startsAt.getTime() - 3 * DAY) },
  )
  if (result.status !== 'booked') throw new Error(`booking refused: ${JSON.stringify(result)}`)
  const booking = await db()
    .selectFrom('booking')
    .select('id')
    .where('reference', '=', result.reference)
    .executeTakeFirstOrThrow()
  return { ...result, bookingId: booking.id }
}

async function statusesOn(activityId: number): Promise<Record<string, string>> {
  const rows = await db()
    .selectFrom('place')
    .select(['first_name', 'child_key', 'status'])
    .where('activity_id', '=', activityId)
    .orderBy('id')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.first_name ?? r.child_key, r.status]))
}

async function signedIn(familyId: number): Promise<HttpClient> {
  const client = service.client()
  await signInFamilyDirectly(db(), client, familyId)
  return client
}

describe('download our data', () => {
  it('gives the family’s own data as JSON and CSV, attachments never stored, with joining links only for confirmed places', async () => {
    const mine = await createFamily(db(), {
      email: 'download@example.org',
      contactName: 'Dana Download',
      phone: '01632 960 001',
      emergencyPhone: '07700 900 982',
      authorityCode: MEDWAY,
      children: [
        { firstName: 'Cara', dob: '2017-06-01', supportNeeds: 'Needs breaks' },
        { firstName: 'Dev', dob: '2019-02-03' },
      ],
    })
    await db()
      .updateTable('child')
      .set({ consent_photos: 1, consent_photos_at: '2026-11-02T09:00:00.000Z' })
      .where('id', '=', mine.childIds[0]!)
      .execute()
    const open = await session('2026-12-14')
    const full = await session('2026-12-15', 1)
    const cara = { firstName: 'Cara', dob: '2017-06-01', childId: mine.childIds[0] }
    const dev = { firstName: 'Dev', dob: '2019-02-03', childId: mine.childIds[1] }
    const confirmed = await bookFor(open, [cara], mine)
    await bookFor(full, [{ firstName: 'Zed', dob: '2018-01-01' }])
    const waiting = await bookFor(full, [dev], mine)
    // Another family on the same session: never in this family's download.
    await bookFor(open, [{ firstName: 'Stranger', dob: '2018-03-03' }])

    const client = await signedIn(mine.familyId)
    const page = await client.get('/family/data')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('href="/family/data.json"')
    expect(html).toContain('href="/family/data.csv"')

    const json = await client.get('/family/data.json')
    expect(json.status).toBe(200)
    expect(json.headers.get('content-type')).toContain('application/json')
    expect(json.headers.get('content-disposition')).toBe('attachment; filename="join-in-our-data.json"')
    expect(json.headers.get('cache-control')).toContain('no-store')
    const data = await json.json()
    expect(data.family).toEqual({
      email: 'download@example.org',
      contactName: 'Dana Download',
      phone: '01632 960 001',
      emergencyPhone: '07700 900 982',
      homeCouncil: 'Medway',
      childrenCanTakePlacesSeparately: false,
      addressConfirmedAt: expect.any(String),
    })
    expect(data.children).toEqual([
      {
        firstName: 'Cara',
        dateOfBirth: '2017-06-01',
        supportNeeds: 'Needs breaks',
        consents: {
          'Can we take photographs of sessions with them in?': { answer: 'yes', givenAt: '2026-11-02T09:00:00.000Z' },
          'Can their first name be shown to others on the call?': { answer: null, givenAt: null },
          'Can they have their camera on?': { answer: null, givenAt: null },
        },
      },
      {
        firstName: 'Dev',
        dateOfBirth: '2019-02-03',
        supportNeeds: null,
        consents: {
          'Can we take photographs of sessions with them in?': { answer: null, givenAt: null },
          'Can their first name be shown to others on the call?': { answer: null, givenAt: null },
          'Can they have their camera on?': { answer: null, givenAt: null },
        },
      },
    ])
    expect(data.bookings).toHaveLength(2)
    expect(data.bookings[0]).toMatchObject({
      reference: confirmed.reference,
      session: { title: 'Slime science 1', when: 'Monday 14 December 2026, 4pm to 5pm' },
      joiningLink: JOIN_URL,
      places: [{ firstName: 'Cara', dateOfBirth: '2017-06-01', status: 'confirmed' }],
    })
    expect(data.bookings[1]).toMatchObject({
      reference: waiting.reference,
      session: { title: 'Slime science 2', when: 'Tuesday 15 December 2026, 4pm to 5pm' },
      joiningLink: null,
      places: [{ firstName: 'Dev', status: 'waitlisted' }],
    })
    const text = JSON.stringify(data)
    expect(text).not.toContain('Stranger')
    expect(text).not.toContain('Zed')

    const csv = await client.get('/family/data.csv')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="join-in-our-data.csv"')
    expect(csv.headers.get('cache-control')).toContain('no-store')
    const rows = parseCsv(new TextDecoder().decode(await csv.arrayBuffer()))
    expect(rows[0]).toEqual(['about', 'which', 'field', 'value'])
    expect(rows).toContainEqual(['family', '', 'email address', 'download@example.org'])
    expect(rows).toContainEqual(['family', '', 'home council', 'Medway'])
    expect(rows).toContainEqual(['child', 'child 1', 'first name', 'Cara'])
    expect(rows).toContainEqual(['child', 'child 1', 'Can we take photographs of sessions with them in?', 'yes'])
    expect(rows).toContainEqual(['child', 'child 2', 'date of birth', '2019-02-03'])
    expect(rows).toContainEqual(['booking', confirmed.reference, 'session', 'Slime science 1'])
    expect(rows).toContainEqual(['booking', confirmed.reference, 'joining link', JOIN_URL])
    expect(rows).toContainEqual(['booking', waiting.reference, 'joining link', ''])
    expect(rows).toContainEqual(['place', `${waiting.reference} place 1`, 'status', 'waitlisted'])
    const csvText = rows.flat().join(' ')
    expect(csvText).not.toContain('Stranger')
  })

  it('never gives the joining link of a held place, nor to a family that has not confirmed its address', async () => {
    const unconfirmed = await createFamily(db(), {
      email: 'held@example.org',
      confirmedAt: null,
      children: [{ firstName: 'Eli', dob: '2018-08-08' }],
    })
    const s = await session('2026-12-16')
    const held = await bookFor(
      s,
      [{ firstName: 'Eli', dob: '2018-08-08', childId: unconfirmed.childIds[0] }],
      unconfirmed,
    )
    await db().updateTable('place').set({ status: 'held' }).where('booking_id', '=', held.bookingId).execute()
    await db().updateTable('booking').set({ hold_reason: 'address' }).where('id', '=', held.bookingId).execute()
    const client = await signedIn(unconfirmed.familyId)
    const json = await (await client.get('/family/data.json')).text()
    expect(JSON.parse(json).bookings[0].places[0].status).toBe('held')
    expect(json).not.toContain('teams.microsoft.com')
    const csv = await (await client.get('/family/data.csv')).text()
    expect(csv).not.toContain('teams.microsoft.com')
    // Even a confirmed place is not given its link while the address is unconfirmed.
    await db().updateTable('place').set({ status: 'confirmed' }).where('booking_id', '=', held.bookingId).execute()
    expect(await (await client.get('/family/data.json')).text()).not.toContain('teams.microsoft.com')
  })
})

describe('delete our account', () => {
  it('cancels places still to come, promotes the waiting list, erases the family, and the past quarter’s report is identical', async () => {
    // A past quarter (2026-27 Q2, July to September 2026): the family and another family took part.
    const fam = await createFamily(db(), {
      email: 'leaving@example.org',
      children: [
        { firstName: 'Ava', dob: '2017-05-01' },
        { firstName: 'Ben', dob: '2019-03-02' },
      ],
    })
    const ava = { firstName: 'Ava', dob: '2017-05-01', childId: fam.childIds[0] }
    const ben = { firstName: 'Ben', dob: '2019-03-02', childId: fam.childIds[1] }
    const past = await session('2026-08-05')
    const pastBooking = await bookFor(past, [ava, ben], fam)
    await bookFor(past, [{ firstName: 'Gus', dob: '2018-04-04' }], undefined, MEDWAY)
    // A session still to come: the family has both spaces, another family waits with two children.
    const future = await session('2026-12-20', 2)
    const futureBooking = await bookFor(future, [ava, ben], fam)
    await bookFor(future, [
      { firstName: 'Hal', dob: '2016-09-09' },
      { firstName: 'Ivy', dob: '2018-10-10' },
    ])
    expect(await statusesOn(future.id)).toEqual({
      Ava: 'confirmed',
      Ben: 'confirmed',
      Hal: 'waitlisted',
      Ivy: 'waitlisted',
    })

    const viewer = await service.signedIn('viewer')
    const report = async () => {
      const response = await viewer.get('/staff/reports/csv?quarter=2026-27%20Q2')
      expect(response.status).toBe(200)
      return new TextDecoder().decode(await response.arrayBuffer())
    }
    const before = await report()
    const figures = parseCsv(before).map((row) => row.slice(1))
    expect(figures).toContainEqual(['activities_held', '', '1'])
    expect(figures).toContainEqual(['spaces_booked', '', '3'])
    expect(figures).toContainEqual(['spaces_by_authority', 'Kent', '2'])
    expect(figures).toContainEqual(['spaces_by_authority', 'Medway', '1'])

    const client = await signedIn(fam.familyId)
    const check = await client.get('/family/delete')
    expect(check.status).toBe(200)
    const checkHtml = await check.text()
    expect(checkHtml).toContain('Are you sure you want to delete your account?')
    expect(checkHtml).toContain('Slime science')
    expect(checkHtml).toContain('Sunday 20 December 2026')
    // The check page and a post without the button's intent change nothing.
    expect((await client.post('/family/delete', {})).status).toBe(400)
    expect(await statusesOn(future.id)).toMatchObject({ Ava: 'confirmed', Ben: 'confirmed' })

    const deleted = await client.post('/family/delete', { intent: 'delete' })
    expect(deleted.status).toBe(302)
    expect(deleted.headers.get('location')).toBe('/family/deleted')
    expect(client.cookies.has('join-in-family')).toBe(false)
    expect(await (await client.get('/family/deleted')).text()).toContain('Your account has been deleted')

    // The freed spaces went to the waiting list, both children of the family waiting.
    const after = await db()
      .selectFrom('place')
      .select(['id', 'first_name', 'status', 'family_id', 'child_id', 'age_on_day', 'authority_code'])
      .where('activity_id', '=', future.id)
      .orderBy('id')
      .execute()
    expect(after.map((p) => [p.first_name, p.status])).toEqual([
      [null, 'cancelled'],
      [null, 'cancelled'],
      ['Hal', 'confirmed'],
      ['Ivy', 'confirmed'],
    ])
    // The family's rows are gone; its bookings keep only what the reports count.
    for (const table of ['family', 'child', 'family_session', 'family_token'] as const) {
      const column = table === 'family' ? 'id' : 'family_id'
      const left = await db().selectFrom(table).select(column).where(column, '=', fam.familyId).execute()
      expect(left, table).toHaveLength(0)
    }
    const erased = await db()
      .selectFrom('booking')
      .select(['contact_name', 'email', 'phone', 'family_id'])
      .where('id', 'in', [pastBooking.bookingId, futureBooking.bookingId])
      .execute()
    expect(erased).toEqual([
      { contact_name: null, email: null, phone: null, family_id: null },
      { contact_name: null, email: null, phone: null, family_id: null },
    ])
    const pastPlaces = await db()
      .selectFrom('place')
      .select(['first_name', 'date_of_birth', 'child_key', 'status', 'family_id', 'age_on_day'])
      .where('booking_id', '=', pastBooking.bookingId)
      .orderBy('id')
      .execute()
    expect(pastPlaces.map((p) => [p.first_name, p.date_of_birth, p.status, p.family_id, p.age_on_day])).toEqual([
      [null, null, 'confirmed', fam.familyId, 9],
      [null, null, 'confirmed', fam.familyId, 7],
    ])
    for (const p of pastPlaces) expect(p.child_key).toMatch(/^erased:\d+$/)

    // One email confirms it, and it is the only one left to the address.
    const emails = await db()
      .selectFrom('outbox')
      .select(['kind', 'text_body'])
      .where('to_address', '=', 'leaving@example.org')
      .execute()
    expect(emails.map((e) => e.kind)).toEqual(['family-account-deleted'])
    expect(emails[0]!.text_body).toContain('We cancelled your places on this session')
    expect(emails[0]!.text_body).toContain('Slime science')
    const audit = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'family.account-deleted')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(audit.detail!)).toEqual({ bookings: 2, places: 4, cancelledPlaces: 2, promoted: 2 })
    expect(audit.detail).not.toContain('leaving@example.org')

    // History stays only as counts: the past quarter's report is the same, figure for figure.
    expect(await report()).toBe(before)
    // The old cookie no longer signs anyone in.
    expect((await client.get('/family')).status).toBe(302)
  })
})

describe('delete our account, with a series booked', () => {
  it('tells a family that was waiting on several dates of the series once, listing them', async () => {
    const fam = await createFamily(db(), { children: [{ firstName: 'Cy', dob: '2017-06-01' }] })
    const cy = { firstName: 'Cy', dob: '2017-06-01', childId: fam.childIds[0] }
    sessions += 1
    const dates = await publishSessions(db(), {
      kind: 'activity',
      title: `Clay club ${sessions}`,
      category: 'Arts and crafts',
      date: '2027-01-06',
      start: '16:00',
      end: '17:00',
      capacity: 1,
      minAge: 5,
      maxAge: 11,
      weekly: 2,
    })
    expect(dates).toHaveLength(2)
    const waiting = await createFamily(db(), { children: [{ firstName: 'Dee', dob: '2016-02-02' }] })
    const dee = { firstName: 'Dee', dob: '2016-02-02', childId: waiting.childIds[0] }
    for (const date of dates) {
      await bookFor(date, [cy], fam)
      await bookFor(date, [dee], waiting)
      expect(await statusesOn(date.id)).toEqual({ Cy: 'confirmed', Dee: 'waitlisted' })
    }
    const kinds = async () =>
      (
        await db().selectFrom('outbox').select('kind').where('to_address', '=', waiting.email).orderBy('id').execute()
      ).map((o) => o.kind)
    expect(await kinds()).toEqual(['waitlisted', 'waitlisted'])

    const client = await signedIn(fam.familyId)
    expect((await client.post('/family/delete', { intent: 'delete' })).status).toBe(302)
    for (const date of dates) expect(await statusesOn(date.id)).toMatchObject({ Dee: 'confirmed' })
    // one email for both dates, not one per date
    expect(await kinds()).toEqual(['waitlisted', 'waitlisted', 'series-places-offered'])
    const email = await db()
      .selectFrom('outbox')
      .select(['subject', 'text_body', 'ics'])
      .where('to_address', '=', waiting.email)
      .where('kind', '=', 'series-places-offered')
      .executeTakeFirstOrThrow()
    expect(email.subject).toMatch(/^Spaces came up: Clay club \d+ – 2 dates$/)
    expect(email.text_body).toContain('Wednesday 6 January 2027')
    expect(email.text_body).toContain('Wednesday 13 January 2027')
    expect(email.text_body.match(/Dee has a place\./g)).toHaveLength(2)
    expect(email.ics?.match(/BEGIN:VEVENT/g)).toHaveLength(2)
  })
})

describe('retention of family profiles', () => {
  it('deletes profiles with no booking in the retention period created before it, keeps recent ones, and sweeps spent links and sessions', async () => {
    const old = await createFamily(db(), {
      email: 'old@example.org',
      children: [{ firstName: 'Oli', dob: '2015-01-01' }],
    })
    const oldButBooked = await createFamily(db(), { email: 'old-booked@example.org' })
    const recent = await createFamily(db(), { email: 'recent@example.org' })
    const oldWithOldBooking = await createFamily(db(), { email: 'old-history@example.org' })
    const longAgo = await session('2024-06-05')
    const oldBooking = await bookFor(longAgo, [{ firstName: 'Pip', dob: '2016-02-02' }], oldWithOldBooking)
    const upcoming = await session('2026-12-21')
    await bookFor(upcoming, [{ firstName: 'Ria', dob: '2016-03-03' }], oldButBooked)
    for (const id of [old.familyId, oldButBooked.familyId, oldWithOldBooking.familyId]) {
      await db().updateTable('family').set({ created_at: '2024-01-01T09:00:00.000Z' }).where('id', '=', id).execute()
    }
    await db()
      .updateTable('family')
      .set({ created_at: '2026-11-01T09:00:00.000Z' })
      .where('id', '=', recent.familyId)
      .execute()
    // Links and sessions of a family that stays: one used, one expired, one live; a session expired.
    const token = (hash: string, used: string | null, expires: string) => ({
      token_hash: hash,
      family_id: recent.familyId,
      purpose: 'sign-in' as const,
      booking_id: null,
      created_at: '2026-11-30T09:00:00.000Z',
      expires_at: expires,
      used_at: used,
    })
    await db()
      .insertInto('family_token')
      .values([
        token('used-link', '2026-11-30T09:05:00.000Z', '2026-12-30T09:00:00.000Z'),
        token('expired-link', null, '2026-11-30T09:30:00.000Z'),
        token('live-link', null, '2026-12-30T09:00:00.000Z'),
      ])
      .execute()
    await db()
      .insertInto('family_session')
      .values([
        {
          id: 'expired-session',
          family_id: recent.familyId,
          created_at: '2026-10-01T09:00:00.000Z',
          last_seen_at: '2026-10-01T09:00:00.000Z',
          expires_at: '2026-10-31T09:00:00.000Z',
        },
        {
          id: 'live-session',
          family_id: recent.familyId,
          created_at: '2026-11-30T09:00:00.000Z',
          last_seen_at: '2026-11-30T09:00:00.000Z',
          expires_at: '2026-12-30T09:00:00.000Z',
        },
      ])
      .execute()

    // The next day's run, with the default 24 months: it keeps from 2 December 2024.
    clock.advance(DAY)
    await service.jobs.runOnce()
    const families = await db()
      .selectFrom('family')
      .select('email')
      .where('id', 'in', [old.familyId, oldButBooked.familyId, recent.familyId, oldWithOldBooking.familyId])
      .orderBy('email')
      .execute()
    expect(families.map((f) => f.email)).toEqual(['old-booked@example.org', 'recent@example.org'])
    expect(await db().selectFrom('child').select('id').where('family_id', '=', old.familyId).execute()).toHaveLength(0)
    // The old booking stays, erased, as a count.
    const history = await db()
      .selectFrom('booking')
      .select(['email', 'family_id'])
      .where('id', '=', oldBooking.bookingId)
      .executeTakeFirstOrThrow()
    expect(history).toEqual({ email: null, family_id: null })
    const tokens = await db()
      .selectFrom('family_token')
      .select('token_hash')
      .where('family_id', '=', recent.familyId)
      .execute()
    expect(tokens.map((t) => t.token_hash)).toEqual(['live-link'])
    const sessionsLeft = await db()
      .selectFrom('family_session')
      .select('id')
      .where('family_id', '=', recent.familyId)
      .execute()
    expect(sessionsLeft.map((s) => s.id)).toEqual(['live-session'])
    const ran = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'retention.ran')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(ran.detail!)).toMatchObject({ months: 24, families: 2 })
  })
})
