// Keeping personal data no longer than needed. The daily retention job erases every personal
// field of bookings on old sessions and the quarterly report stays exactly the same; a family
// found by email and erased on request leaves no trace of the address anywhere in the database
// file; the confirmation step cannot be skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { book } from '../../app/domain/bookings.server'
import type { Links } from '../../app/domain/links'
import { requestSubscription } from '../../app/domain/mailing-list.server'
import { registerMember } from '../../app/domain/members.server'
import { quarterPeriod } from '../../app/domain/quarters'
import { computeReport } from '../../app/domain/reports.server'
import { eraseExpired } from '../../app/domain/retention.server'
import { confirmBooking, dobForAge, placeCounts, publishActivity } from '../support/booking'
import { testClock } from '../support/clock'
import { KENT, publishSessions, seedSeedQuarter } from '../support/seed-quarter'
import { startTestService, type TestService } from '../support/service'
import { onPostgres, tracesInDatabase } from '../support/database'

const LINKS: Links = { baseUrl: 'http://join-in.test', domain: 'test.invalid' }
const DAY = 86_400_000

describe('the daily retention job', () => {
  // The seed quarter is 2025-26 Q3 (October to December 2025). The jobs run on a clock set nine
  // months after it, whatever the wall clock says: 24 months keep it, 6 months do not.
  const clock = testClock('2026-09-15T08:00:00.000Z')
  let service: TestService
  beforeAll(async () => {
    service = await startTestService({}, { now: clock.now })
  })
  afterAll(async () => {
    await service?.close()
  })

  it('erases every personal field of bookings older than the retention period, and the report is identical', async () => {
    const db = service.database.db
    await seedSeedQuarter(service)
    const period = quarterPeriod('2025-26', 3)
    const before = {
      ageBands: await computeReport(db, period, { cut: 'age-band' }),
      schoolYears: await computeReport(db, period, { cut: 'school-year' }),
    }
    expect(before.ageBands.activities.spacesBooked).toBe(522)
    const personal = async () => ({
      places: await db
        .selectFrom('place')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.or([
            eb('first_name', 'is not', null),
            eb('date_of_birth', 'is not', null),
            eb('support_needs', 'is not', null),
          ]),
        )
        .executeTakeFirstOrThrow(),
      bookings: await db
        .selectFrom('booking')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.or([eb('email', 'is not', null), eb('contact_name', 'is not', null), eb('phone', 'is not', null)]),
        )
        .executeTakeFirstOrThrow(),
      members: await db
        .selectFrom('member')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where((eb) =>
          eb.or([eb('email', 'is not', null), eb('first_name', 'is not', null), eb('date_of_birth', 'is not', null)]),
        )
        .executeTakeFirstOrThrow(),
      comments: await db
        .selectFrom('feedback')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('comment', 'is not', null)
        .executeTakeFirstOrThrow(),
      emails: await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    })
    const held = await personal()
    for (const [what, row] of Object.entries(held)) expect(Number(row.n), `${what} held before`).toBeGreaterThan(0)

    // The next day the job runs again with the default 24 months: it keeps a quarter nine months old.
    const runs = () => db.selectFrom('audit_log').select('detail').where('action', '=', 'retention.ran').execute()
    const ranAtStart = (await runs()).length
    clock.advance(DAY)
    await service.jobs.runOnce()
    const ranNextDay = await runs()
    expect(ranNextDay).toHaveLength(ranAtStart + 1)
    expect(JSON.parse(ranNextDay.at(-1)!.detail!)).toMatchObject({ months: 24, bookings: 0, places: 0, members: 0 })
    expect(await personal()).toEqual(held)

    // An admin shortens the period to 6 months; the next run (within minutes) applies it.
    const admin = await service.signedIn('admin')
    const tooShort = await admin.post('/staff/settings', { intent: 'save-retention', retentionMonths: '2' })
    expect(tooShort.status).toBe(400)
    expect(await tooShort.text()).toContain('Enter a whole number of months from 3 to 120, like 24')
    const saved = await admin.post('/staff/settings', { intent: 'save-retention', retentionMonths: '6' })
    expect(saved.status).toBe(302)
    await service.jobs.runOnce()

    const after = await personal()
    for (const [what, row] of Object.entries(after)) expect(Number(row.n), `${what} left after`).toBe(0)
    const keys = await db.selectFrom('place').select(['id', 'child_key']).execute()
    for (const p of keys) expect(p.child_key).toBe(`erased:${p.id}`)
    const tokens = await db.selectFrom('member').select(['member_key', 'access_token_hash', 'parent_email']).execute()
    for (const m of tokens) {
      expect(m.member_key).toMatch(/^erased:\d+$/)
      expect(m.access_token_hash).toBe('erased')
      expect(m.parent_email).toBeNull()
    }

    expect(await computeReport(db, period, { cut: 'age-band' })).toEqual(before.ageBands)
    expect(await computeReport(db, period, { cut: 'school-year' })).toEqual(before.schoolYears)

    // Idempotent: a second run finds nothing left to erase.
    expect(await eraseExpired(db, clock.now(), 6)).toEqual({ bookings: 0, places: 0, members: 0, emails: 0 })
    const ranShorter = await runs()
    expect(ranShorter).toHaveLength(ranAtStart + 2)
    expect(JSON.parse(ranShorter.at(-1)!.detail!)).toMatchObject({ months: 6, bookings: Number(held.bookings.n) })
  })
})

describe('the daily retention job and the database file', () => {
  const clock = testClock('2026-09-15T08:00:00.000Z')
  const EMAIL = 'quillon.retention.4e2a@example.org'
  const TEEN_EMAIL = 'quillteen.retention.4e2a@example.org'
  let service: TestService
  beforeAll(async () => {
    service = await startTestService({}, { now: clock.now })
  })
  afterAll(async () => {
    await service?.close()
  })

  it(`leaves none of the erased details ${onPostgres ? 'in any text column' : 'in the .sqlite or -wal file while the server runs'}`, async () => {
    const db = service.database.db
    const [past] = await publishSessions(db, {
      kind: 'activity',
      title: 'Long-ago lanterns',
      category: 'Arts and crafts',
      date: '2025-06-10',
      start: '16:00',
      end: '17:00',
      capacity: 10,
      minAge: 3,
      maxAge: 17,
    })
    const booked = await book(
      db,
      {
        activityId: past!.id,
        contactName: 'Quillon Family',
        email: EMAIL,
        phone: '07700 900456',
        authorityCode: KENT,
        children: [{ firstName: 'Quillonetta', dateOfBirth: '2016-03-04', supportNeeds: 'Tangram-puzzle calms her' }],
        mailingListOptIn: false,
        idempotencyKey: 'retention-file-past',
        acceptWaitlist: true,
      },
      LINKS,
      { maxChildren: 6, now: new Date(past!.startsAt.getTime() - 3 * DAY) },
    )
    if (booked.status !== 'booked') throw new Error(`not booked: ${booked.status}`)
    const [meeting] = await publishSessions(db, {
      kind: 'adoptables',
      title: 'Long-ago Adoptables',
      category: 'Adoptables meeting',
      date: '2025-06-12',
      start: '17:00',
      end: '18:00',
      capacity: 10,
      minAge: 12,
      maxAge: 18,
    })
    const joined = await registerMember(
      db,
      {
        firstName: 'Quillteen',
        dateOfBirth: '2010-01-05',
        email: TEEN_EMAIL,
        authorityCode: KENT,
        notes: 'Likes origami-cranes',
        parentEmail: null,
        meetingId: meeting!.id,
      },
      LINKS,
      new Date(meeting!.startsAt.getTime() - 3 * DAY),
    )
    expect(joined.status).toBe('registered')
    const traces = [
      EMAIL,
      TEEN_EMAIL,
      'Quillon Family',
      'Quillonetta',
      'Quillteen',
      '07700 900456',
      'Tangram-puzzle',
      'origami-cranes',
    ]
    // The control: before the job the search finds them, so finding nothing afterwards means something.
    expect(await tracesInDatabase(service.database, traces)).toEqual(traces)

    // A period of 6 months: the June 2025 sessions are past it on 15 September 2026.
    const admin = await service.signedIn('admin')
    expect((await admin.post('/staff/settings', { intent: 'save-retention', retentionMonths: '6' })).status).toBe(302)
    await service.jobs.runOnce()
    const erased = await db
      .selectFrom('booking')
      .select(['email', 'contact_name'])
      .where('reference', '=', booked.reference)
      .executeTakeFirstOrThrow()
    expect(erased).toEqual({ email: null, contact_name: null })

    // Read while the server still runs: no clean stop has checkpointed the log for it.
    expect(await tracesInDatabase(service.database, [...traces, EMAIL.toUpperCase()])).toEqual([])
  })
})

describe('erasing one family on request', () => {
  const EMAIL = 'zephyrine.family.7c1f@example.org'
  const CHILD = 'Zephyrinetta'
  let service: TestService

  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
  })
  afterAll(async () => {
    await service?.close()
  })

  it(`finds everything held under an email, needs confirming, then leaves no trace of the address ${onPostgres ? 'in any text column' : 'in the database file'}`, async () => {
    const db = service.database.db
    // A past session they came to, through the real booking code.
    const [past] = await publishSessions(db, {
      kind: 'activity',
      title: 'Past pottery',
      category: 'Arts and crafts',
      date: '2025-06-10',
      start: '16:00',
      end: '17:00',
      capacity: 10,
      minAge: 3,
      maxAge: 17,
    })
    const booked = await book(
      db,
      {
        activityId: past!.id,
        contactName: 'Zed Family',
        email: EMAIL,
        phone: '07700 900123',
        authorityCode: KENT,
        children: [{ firstName: CHILD, dateOfBirth: '2016-03-04', supportNeeds: 'Quokka-shaped fidget toy helps' }],
        mailingListOptIn: false,
        idempotencyKey: 'erasure-past',
        acceptWaitlist: true,
      },
      LINKS,
      { maxChildren: 6, now: new Date(past!.startsAt.getTime() - 3 * DAY) },
    )
    expect(booked.status).toBe('booked')

    // A session still to come, full with them: another family waits.
    const upcoming = await publishActivity(service, { capacity: '1', title: 'Upcoming puppets' })
    const family = service.client()
    expect(
      (await confirmBooking(family, upcoming, [{ firstName: CHILD, dob: dobForAge(8) }], { email: EMAIL })).status,
    ).toBe(302)
    const other = service.client()
    expect(
      (
        await confirmBooking(other, upcoming, [{ firstName: 'Waiting', dob: dobForAge(9) }], {
          email: 'waiting@example.org',
        })
      ).status,
    ).toBe(302)
    expect(await placeCounts(service, upcoming)).toEqual({ confirmed: 1, waitlisted: 1, cancelled: 0 })

    // Their teenager signed up to Adoptables with the same address.
    const meeting = await publishActivity(service, {
      kind: 'adoptables',
      title: 'Adoptables chat',
      minAge: '12',
      maxAge: '18',
    })
    const member = await registerMember(
      db,
      {
        firstName: 'Zephyrteen',
        dateOfBirth: dobForAge(15),
        email: EMAIL,
        authorityCode: KENT,
        notes: 'Quiet at first',
        parentEmail: null,
        meetingId: meeting,
      },
      LINKS,
    )
    expect(member.status).toBe('registered')
    // And asked to join the mailing list.
    expect(await requestSubscription(db, { email: EMAIL, firstName: 'Zed', source: 'sign-up' }, LINKS)).toBe('sent')

    const staff = await service.signedIn('staff')
    const blank = await staff.post('/staff/erasure', { intent: 'find', email: 'not an email' })
    expect(blank.status).toBe(400)
    const blankPage = await blank.text()
    expect(blankPage).toContain('Enter an email address in the correct format, like name@example.com')
    expect(blankPage).toContain('value="not an email"')

    const found = await staff.post('/staff/erasure', { intent: 'find', email: ` ${EMAIL.toUpperCase()} ` })
    expect(found.status).toBe(200)
    const check = await found.text()
    expect(check).toContain(booked.status === 'booked' ? booked.reference : '')
    expect(check).toContain('Past pottery')
    expect(check).toContain('Upcoming puppets')
    expect(check).toContain('Zephyrteen')
    expect(check).toContain('will be cancelled and offered to the')
    expect(check).toContain('Mailing list: asked to join, not confirmed yet.')

    // Without ticking the confirmation nothing is erased.
    const unconfirmed = await staff.post('/staff/erasure', { intent: 'erase', email: EMAIL })
    expect(unconfirmed.status).toBe(400)
    expect(await unconfirmed.text()).toContain('Confirm you have checked these are the details of the person who asked')
    expect(await db.selectFrom('booking').select('id').where('email', '=', EMAIL).execute()).toHaveLength(3)

    // A viewer cannot erase anyone.
    const viewer = await service.signedIn('viewer')
    expect((await viewer.post('/staff/erasure', { intent: 'erase', email: EMAIL, confirm: 'yes' })).status).toBe(403)

    const erased = await staff.post('/staff/erasure', { intent: 'erase', email: EMAIL, confirm: 'yes' })
    expect(erased.status).toBe(200)
    const erasedText = await erased.text()
    expect(erasedText).toContain('Details erased')
    expect(erasedText).toContain('<title>Details erased – Join In staff</title>')

    // Their upcoming place went to the family waiting.
    expect(await placeCounts(service, upcoming)).toEqual({ confirmed: 1, waitlisted: 0, cancelled: 1 })
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', 'like', 'personal-data.%')
      .execute()
    // The search, the details shown again by Erase without the box ticked, and the erasure.
    expect(audit.map((a) => a.action)).toEqual([
      'personal-data.searched',
      'personal-data.searched',
      'personal-data.erased',
    ])
    // Their place on the puppets session and the teenager's place at the meeting were still to come.
    expect(JSON.parse(audit[2]!.detail!)).toMatchObject({
      bookings: 3,
      places: 3,
      members: 1,
      cancelledPlaces: 2,
      mailingList: true,
    })
    expect(await db.selectFrom('mailing_list_subscriber').select('id').execute()).toHaveLength(0)

    // Nothing of them in the file: not the address (any case), the child's name, the phone or the support note.
    expect(
      await tracesInDatabase(service.database, [
        EMAIL,
        EMAIL.toUpperCase(),
        CHILD,
        'Zephyrteen',
        '07700 900123',
        'Quokka-shaped',
        'Zed Family',
      ]),
    ).toEqual([])

    // Asking again finds nothing.
    const again = await staff.post('/staff/erasure', { intent: 'find', email: EMAIL })
    expect(await again.text()).toContain('We hold nothing under')
  })
})
