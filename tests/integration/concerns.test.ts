// The safeguarding concern log over real HTTP: the form keeps what was typed, a double submit
// records one concern, the recorder sees only that they recorded one, the leads' email carries no
// detail, and the nightly retention never touches an open concern and erases a closed one only after
// its own period, with the quarterly report's figures unchanged throughout.
import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeConcern } from '../../app/domain/concerns.server'
import { quarterOf, quarterPeriod } from '../../app/domain/quarters'
import { computeReport } from '../../app/domain/reports.server'
import { createStaffUser } from '../../app/domain/staff.server'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { testClock } from '../support/clock'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const DAY = 86_400_000
const YEAR = 365.25 * DAY
const WORDS = 'She said her birth dad messages her on a game and asked where she lives'

describe('the safeguarding concern log', () => {
  const clock = testClock()
  let service: TestService
  let staff: HttpClient
  let activityId: number
  let title: string
  let placeIds: number[]
  let leadId: number

  beforeAll(async () => {
    service = await startTestService({}, { now: clock.now })
    staff = await service.signedIn('staff')
    title = `Concern log session ${Date.now().toString(36)}`
    activityId = await publishActivity(service, { title })
    const booked = await confirmBooking(service.client(), activityId, [
      { firstName: 'Poppy', dob: dobForAge(9) },
      { firstName: 'Ruben', dob: dobForAge(10) },
    ])
    expect(booked.status).toBe(302)
    placeIds = (
      await service.database.db
        .selectFrom('place')
        .select('id')
        .where('activity_id', '=', activityId)
        .orderBy('id')
        .execute()
    ).map((p) => p.id)
    expect(placeIds).toHaveLength(2)
    leadId = await createStaffUser(service.database.db, {
      email: 'dsl@example.org',
      name: 'Dee Lead',
      password: 'a long password for the designated lead',
      role: 'staff',
    })
    await service.database.db.updateTable('staff_user').set({ safeguarding_lead: 1 }).where('id', '=', leadId).execute()
  })
  afterAll(async () => {
    await service?.close()
  })

  const formPath = () => `/staff/activities/${activityId}/concerns/new`
  const yesterday = () => {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      day: 'numeric',
      month: 'numeric',
      year: 'numeric',
    }).formatToParts(new Date(clock.now().getTime() - DAY))
    const part = (type: string) => parts.find((p) => p.type === type)!.value
    return { 'happened-day': part('day'), 'happened-month': part('month'), 'happened-year': part('year') }
  }
  const concernForm = (key: string, overrides: Record<string, string> = {}) => ({
    idempotencyKey: key,
    child: `place-${placeIds[0]}`,
    otherName: '',
    seenOrSaid: WORDS,
    ...yesterday(),
    happenedTime: '14:30',
    present: 'Sam (host) and Alex (second adult)',
    actionTaken: 'Ended the breakout room and told the lead by phone',
    ...overrides,
  })

  /** The quarter of the session: the figures must never change with concerns. */
  const report = async () => {
    const activity = await service.database.db
      .selectFrom('activity')
      .select('starts_at')
      .where('id', '=', activityId)
      .executeTakeFirstOrThrow()
    const { financialYear, number } = quarterOf(activity.starts_at)
    // as of the day after the session, so it counts as held
    const now = new Date(Date.parse(activity.starts_at) + DAY)
    return computeReport(service.database.db, quarterPeriod(financialYear, number), { cut: 'age-band', now })
  }

  it('keeps everything typed when the form has errors, and names each error', async () => {
    const response = await staff.post(
      formPath(),
      concernForm(crypto.randomUUID(), {
        child: 'someone-else',
        otherName: '',
        seenOrSaid: WORDS,
        present: '',
        happenedTime: '25:99',
        actionTaken: 'Phoned the lead straight away',
      }),
    )
    expect(response.status).toBe(400)
    const page = await response.text()
    expect(page).toContain('There is a problem')
    expect(page).toContain('Enter the first name of the child or young person')
    expect(page).toContain('Enter who was present')
    expect(page).toContain('Enter the time it happened like 14:30 or 2:30pm')
    expect(page).toContain(WORDS)
    expect(page).toContain('Phoned the lead straight away')
    expect(page).toContain('value="25:99"')
    expect(page).toMatch(/<input[^>]*checked=""[^>]*value="someone-else"/)
    expect(await service.database.db.selectFrom('concern').select('id').execute()).toEqual([])
  })

  it('refuses a child who is not on the session, and a time in the future', async () => {
    const other = await staff.post(formPath(), concernForm(crypto.randomUUID(), { child: 'place-999999' }))
    expect(other.status).toBe(400)
    expect(await other.text()).toContain('Select the child or young person the concern is about')
    const tomorrow = new Date(clock.now().getTime() + 2 * DAY)
    const future = await staff.post(
      formPath(),
      concernForm(crypto.randomUUID(), {
        'happened-day': String(tomorrow.getUTCDate()),
        'happened-month': String(tomorrow.getUTCMonth() + 1),
        'happened-year': String(tomorrow.getUTCFullYear()),
      }),
    )
    expect(future.status).toBe(400)
    expect(await future.text()).toContain('The date and time it happened must be in the past')
  })

  it('records one concern from a double submit, emails each lead once with no detail, and the recorder cannot read it', async () => {
    const before = await report()
    expect(before.activities).toEqual({ held: 1, spacesBooked: 2, spacesAttended: 0 })
    const key = crypto.randomUUID()
    const [first, second] = await Promise.all([
      staff.post(formPath(), concernForm(key)),
      staff.post(formPath(), concernForm(key)),
    ])
    expect([first.status, second.status]).toEqual([302, 302])
    expect(first.headers.get('location')).toBe(`${formPath()}?recorded=1`)
    const again = await staff.post(formPath(), concernForm(key))
    expect(again.headers.get('location')).toBe(`${formPath()}?recorded=1`)

    const concerns = await service.database.db
      .selectFrom('concern')
      .select(['id', 'child_first_name', 'session_title', 'seen_or_said', 'status', 'place_id'])
      .execute()
    expect(concerns).toEqual([
      {
        id: expect.any(Number),
        child_first_name: 'Poppy',
        session_title: title,
        seen_or_said: WORDS,
        status: 'open',
        place_id: placeIds[0],
      },
    ])
    const emails = await service.database.db
      .selectFrom('outbox')
      .select(['to_address', 'subject', 'text_body', 'html_body'])
      .where('kind', '=', 'concern-recorded')
      .execute()
    expect(emails.map((e) => [e.to_address, e.subject])).toEqual([
      ['dsl@example.org', 'A safeguarding concern has been recorded'],
    ])
    for (const part of [emails[0]!.subject, emails[0]!.text_body, emails[0]!.html_body ?? '']) {
      expect(part).not.toContain('Poppy')
      expect(part).not.toContain(title)
      expect(part).not.toContain('birth dad')
      expect(part).not.toContain('Sam (host)')
    }
    expect(emails[0]!.text_body).toContain(`/staff/sign-in?redirectTo=%2Fstaff%2Fconcerns%2F${concerns[0]!.id}`)

    const confirmation = await (await staff.get(`${formPath()}?recorded=1`)).text()
    expect(confirmation).toContain('Concern recorded')
    expect(confirmation).toContain('The safeguarding leads have been told.')
    // Afterwards the recorder sees only that (and when) they recorded one, never what it says.
    const form = await (await staff.get(formPath())).text()
    expect(form).toMatch(
      /You recorded a concern on this session at \d{1,2}(:\d{2})?(am|pm) on \w+day \d{1,2} \w+ \d{4}\./,
    )
    expect(form).not.toContain('birth dad')
    for (const pathname of ['/staff/concerns', `/staff/concerns/${concerns[0]!.id}`]) {
      const refused = await staff.get(pathname)
      expect(refused.status, pathname).toBe(403)
      expect(await refused.text(), pathname).not.toContain('birth dad')
    }
    expect(await report()).toEqual(before)
  })

  it('tells the recorder to phone the designated lead when no lead is set', async () => {
    await service.database.db.updateTable('staff_user').set({ safeguarding_lead: 0 }).where('id', '=', leadId).execute()
    try {
      const page = await (await staff.get(formPath())).text()
      expect(page).toContain('No safeguarding lead is set up in Join In')
      const saved = await staff.post(
        formPath(),
        concernForm(crypto.randomUUID(), { child: 'someone-else', otherName: 'Jay' }),
      )
      expect(saved.status).toBe(302)
      const confirmation = await (await staff.get(`${formPath()}?recorded=1`)).text()
      expect(confirmation).toContain('Phone your designated safeguarding lead now')
      const admin = await service.signedIn('admin')
      expect(await (await admin.get('/staff/users')).text()).toContain('No safeguarding lead is set.')
      // the dashboard says so to everyone who runs sessions, and shows an admin where to fix it
      const dashboard = await (await staff.get('/staff')).text()
      expect(dashboard).toContain('No safeguarding lead is set up in Join In, so nobody is emailed')
      expect(dashboard).toContain('Ask an administrator to make your designated safeguarding lead’s account')
      expect(await (await admin.get('/staff')).text()).toMatch(
        /<a class="govuk-link" href="\/staff\/users">Make your designated safeguarding lead(’|&rsquo;|&#x27;)s account a safeguarding lead<\/a>/,
      )
    } finally {
      await service.database.db
        .updateTable('staff_user')
        .set({ safeguarding_lead: 1 })
        .where('id', '=', leadId)
        .execute()
    }
    expect(await (await staff.get('/staff')).text()).not.toContain('No safeguarding lead is set up')
    const jay = await service.database.db
      .selectFrom('concern')
      .select(['child_first_name', 'place_id'])
      .where('child_first_name', '=', 'Jay')
      .executeTakeFirstOrThrow()
    expect(jay).toEqual({ child_first_name: 'Jay', place_id: null })
  })

  it('keeps a concern, whole, when the family is erased on request', async () => {
    const db = service.database.db
    const booked = await confirmBooking(service.client(), activityId, [{ firstName: 'Zara', dob: dobForAge(8) }], {
      email: 'zara.family@example.org',
    })
    expect(booked.status).toBe(302)
    const zara = await db
      .selectFrom('place')
      .select('id')
      .where('activity_id', '=', activityId)
      .where('first_name', '=', 'Zara')
      .executeTakeFirstOrThrow()
    const recorded = await staff.post(formPath(), concernForm(crypto.randomUUID(), { child: `place-${zara.id}` }))
    expect(recorded.status).toBe(302)
    const concern = () =>
      db
        .selectFrom('concern')
        .select(['child_first_name', 'session_title', 'seen_or_said', 'status'])
        .where('child_first_name', '=', 'Zara')
        .execute()
    const before = await concern()
    expect(before).toEqual([{ child_first_name: 'Zara', session_title: title, seen_or_said: WORDS, status: 'open' }])

    expect(await (await staff.get('/staff/erasure')).text()).toContain(
      'Safeguarding concerns about their children are kept',
    )
    const erased = await staff.post('/staff/erasure', {
      intent: 'erase',
      email: 'zara.family@example.org',
      confirm: 'yes',
    })
    expect(erased.status).toBe(200)
    expect(await erased.text()).toContain('Details erased')
    expect(
      await db.selectFrom('place').select(['first_name', 'status']).where('id', '=', zara.id).executeTakeFirstOrThrow(),
    ).toEqual({ first_name: null, status: 'cancelled' })
    expect(await concern()).toEqual(before)
  })

  it('never erases an open concern, erases a closed one only after its own period, and the report stays the same', async () => {
    const db = service.database.db
    const before = await report()
    expect(before.activities).toEqual({ held: 1, spacesBooked: 2, spacesAttended: 0 })
    expect(before.byAuthority.find((a) => a.code === 'E10000016')?.value).toBe(2)
    const concerns = await db.selectFrom('concern').select(['id', 'child_first_name']).orderBy('id').execute()
    expect(concerns.map((c) => c.child_first_name)).toEqual(['Poppy', 'Jay', 'Zara'])
    const [poppy, jay, zara] = concerns
    // Jay's concern is closed now; Poppy's stays open.
    const closedAt = clock.now()
    expect(
      await closeConcern(
        db,
        jay!.id,
        'Referred to the local authority',
        { id: leadId, name: 'Dee Lead', ip: '' },
        closedAt,
      ),
    ).toEqual({ status: 'done' })
    await db
      .insertInto('concern_note')
      .values({
        concern_id: jay!.id,
        author_id: leadId,
        author_name: 'Dee Lead',
        body: 'Called back',
        created_at: closedAt.toISOString(),
      })
      .execute()

    // 24 years on: the session is far past the 24 months bookings are kept, and its details are
    // gone; both concerns stay whole (the closed one has a year of its 25 left).
    clock.set(new Date(closedAt.getTime() + 24 * YEAR))
    await service.jobs.runOnce()
    const places = await db.selectFrom('place').select('first_name').where('activity_id', '=', activityId).execute()
    expect(places).toEqual([{ first_name: null }, { first_name: null }, { first_name: null }])
    const kept = await db
      .selectFrom('concern')
      .select(['id', 'child_first_name', 'session_title', 'seen_or_said', 'status'])
      .orderBy('id')
      .execute()
    expect(kept).toEqual([
      { id: poppy!.id, child_first_name: 'Poppy', session_title: title, seen_or_said: WORDS, status: 'open' },
      { id: jay!.id, child_first_name: 'Jay', session_title: title, seen_or_said: WORDS, status: 'closed' },
      { id: zara!.id, child_first_name: 'Zara', session_title: title, seen_or_said: WORDS, status: 'open' },
    ])
    expect(await report()).toEqual(before)

    // 25 years and a few days after closing: the closed concern and its notes go; the open one stays.
    clock.set(new Date(closedAt.getTime() + 25 * YEAR + 3 * DAY))
    await service.jobs.runOnce()
    expect(await db.selectFrom('concern').select(['id', 'status']).orderBy('id').execute()).toEqual([
      { id: poppy!.id, status: 'open' },
      { id: zara!.id, status: 'open' },
    ])
    expect(await db.selectFrom('concern_note').select('id').execute()).toEqual([])
    const ran = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'retention.ran')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(ran.detail!)).toMatchObject({ concernYears: 25, concerns: 1 })

    // Fifty years on, the open concern is still there.
    clock.set(new Date(closedAt.getTime() + 50 * YEAR))
    await service.jobs.runOnce()
    expect(await db.selectFrom('concern').select('id').orderBy('id').execute()).toEqual([
      { id: poppy!.id },
      { id: zara!.id },
    ])
    expect(await report()).toEqual(before)
  })

  it('validates the period for keeping closed concerns on the settings page', async () => {
    const admin = await service.signedIn('admin')
    const tooShort = await admin.post('/staff/settings', {
      intent: 'save-concern-retention',
      concernRetentionYears: '5',
    })
    expect(tooShort.status).toBe(400)
    const page = await tooShort.text()
    expect(page).toContain('Enter a whole number of years from 6 to 100, like 25')
    expect(page).toContain('value="5"')
    const saved = await admin.post('/staff/settings', { intent: 'save-concern-retention', concernRetentionYears: '30' })
    expect(saved.headers.get('location')).toBe('/staff/settings?saved=concern-retention')
    const setting = await service.database.db
      .selectFrom('setting')
      .select('value')
      .where('key', '=', 'concern_retention_years')
      .executeTakeFirstOrThrow()
    expect(setting.value).toBe('30')
  })
})
