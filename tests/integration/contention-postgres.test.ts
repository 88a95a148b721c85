// Capacity under contention on PostgreSQL, across two app instances on one database: each has its
// own connection pool and HTTP server (here in one test process; the database cannot tell). On
// PostgreSQL's READ COMMITTED two transactions can both count the same free space, so capacity
// holds only because every transaction that changes who holds a space first locks the activity's
// row (db/index.ts lockActivities). Each race has a control with the row locks switched off
// (JOIN_IN_TEST_NO_ROW_LOCKS, refused outside tests) that must overbook, or the test proves nothing.
// SQLite's single writer has no such race: its multi-process counterpart is contention.test.ts.
import crypto from 'node:crypto'
import os from 'node:os'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bookingForm, confirmBooking, dobForAge, placeCounts, publishActivity } from '../support/booking'
import { dropDatabaseUrl, freshDatabaseUrl, onPostgres } from '../support/database'
import { createFamily, signInFamilyDirectly } from '../support/family'
import { activityForm, startTestService, type HttpClient, type TestService } from '../support/service'

const DOB = dobForAge(8)

/** Turns the row locks off for both instances (they read the switch on every transaction). */
function withoutRowLocks(): void {
  process.env.JOIN_IN_TEST_NO_ROW_LOCKS = '1'
}

describe.runIf(onPostgres)('capacity on PostgreSQL with two app instances on one database', () => {
  let databaseUrl: string
  let one: TestService
  let two: TestService
  /** a new client of instance one or two, alternately: the load balancer */
  let turn = 0
  const client = (): HttpClient => (turn++ % 2 === 0 ? one : two).client()

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl(os.tmpdir())
    const env = { DATABASE_URL: databaseUrl, BOOKING_RATE_LIMIT: '100000' }
    one = await startTestService(env)
    two = await startTestService(env)
  })
  afterEach(() => {
    delete process.env.JOIN_IN_TEST_NO_ROW_LOCKS
  })
  afterAll(async () => {
    await two?.close()
    await one?.close()
    if (databaseUrl) await dropDatabaseUrl(databaseUrl)
  })

  /** A session of `capacity` with `taken` places already confirmed, so the race is for the rest. */
  async function sessionWithTaken(capacity: number, taken: number, title: string): Promise<number> {
    const activityId = await publishActivity(one, { capacity: String(capacity), title })
    for (let i = 0; i < taken; i++) {
      const r = await confirmBooking(client(), activityId, [{ firstName: `Early${i}`, dob: DOB }], {
        email: `early${i}-${activityId}@example.org`,
      })
      if (r.status !== 302) throw new Error(`early booking ${i}: ${r.status}`)
    }
    return activityId
  }

  /**
   * 200 families at once, alternately on each instance, half agreeing to the waiting list and half
   * not. Returns what each was shown: a booking page ("Booking confirmed" or "You are on the
   * waiting list") or the check page saying the spaces went.
   */
  async function race(activityId: number): Promise<{ fiveHundreds: number; pages: string[] }> {
    const responses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const c = client()
        const response = await confirmBooking(c, activityId, [{ firstName: `Racer${i}`, dob: DOB }], {
          email: `racer${i}@example.org`,
          whenShort: i % 2 === 0 ? 'waitlist' : '',
        })
        if (response.status === 302) {
          const page = await c.get(response.headers.get('location')!)
          return { status: page.status, text: (await page.text()).replace(/<!-- -->/g, '') }
        }
        return { status: response.status, text: (await response.text()).replace(/<!-- -->/g, '') }
      }),
    )
    const pages = responses.map(({ status, text }) => {
      if (status === 200 && text.includes('Booking confirmed')) return 'confirmed'
      if (status === 200 && text.includes('You are on the waiting list')) return 'waiting list'
      if (status === 409 && text.includes('Fewer spaces are left than when you started')) return 'spaces went'
      if (status === 400 && text.includes('Choose what to do')) return 'full: choose'
      return `${status}: ${/<h1[^>]*>([^<]*)/.exec(text)?.[1] ?? text.slice(0, 200)}`
    })
    return { fiveHundreds: responses.filter((r) => r.status >= 500).length, pages }
  }

  const tally = (pages: string[]) =>
    pages.reduce<Record<string, number>>((t, p) => ({ ...t, [p]: (t[p] ?? 0) + 1 }), {})

  it('confirms exactly 20 of 200 concurrent bookings over HTTP for the last 20 spaces, with no 5xx', async () => {
    const activityId = await sessionWithTaken(40, 20, 'Last twenty, two instances')
    const { fiveHundreds, pages } = await race(activityId)
    expect(fiveHundreds).toBe(0)
    const shown = tally(pages)
    expect(shown.confirmed).toBe(20)
    // everyone else was told plainly: the waiting list, or that the spaces have gone
    expect(
      Object.keys(shown)
        .filter((p) => p !== 'confirmed')
        .every((p) => ['waiting list', 'spaces went', 'full: choose'].includes(p)),
      JSON.stringify(shown),
    ).toBe(true)
    const turnedAway = (shown['spaces went'] ?? 0) + (shown['full: choose'] ?? 0)
    expect((shown['waiting list'] ?? 0) + turnedAway).toBe(180)
    // the database agrees with what people were shown
    expect(await placeCounts(one, activityId)).toEqual({
      confirmed: 40,
      waitlisted: shown['waiting list'] ?? 0,
      cancelled: 0,
    })
  })

  it('overbooks in the control run without the row locks (the test can fail)', async () => {
    const activityId = await sessionWithTaken(40, 20, 'Last twenty, no row locks')
    withoutRowLocks()
    const { fiveHundreds, pages } = await race(activityId)
    delete process.env.JOIN_IN_TEST_NO_ROW_LOCKS
    expect(fiveHundreds).toBe(0)
    const counts = await placeCounts(one, activityId)
    expect(counts.confirmed, JSON.stringify(tally(pages))).toBeGreaterThan(40)
  })

  it.each([
    ['with the row locks', false],
    ['without them, so the unique index decides', true],
  ])('makes one booking of one form posted 10 times at once on two instances, %s', async (_, noLocks) => {
    const activityId = await publishActivity(one, { title: `Double click ${noLocks ? 'unlocked' : 'locked'}` })
    const form = bookingForm([{ firstName: 'Dot', dob: dobForAge(7) }], {
      intent: 'confirm',
      idempotencyKey: crypto.randomUUID(),
      whenShort: 'waitlist',
    })
    if (noLocks) withoutRowLocks()
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => client().post(`/activities/${activityId}`, form)),
    )
    delete process.env.JOIN_IN_TEST_NO_ROW_LOCKS
    const answers = await Promise.all(responses.map(async (r) => `${r.status} ${await heading(r.clone())}`))
    expect(responses.map((r) => r.status).sort(), answers.join('; ')).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 302,
    ])
    const booking = await one.database.db
      .selectFrom('booking')
      .select('reference')
      .where('activity_id', '=', activityId)
      .execute()
    expect(booking).toHaveLength(1)
    expect(responses.find((r) => r.status === 302)!.headers.get('location')).toContain(
      `/bookings/${booking[0]!.reference}?`,
    )
    // every repeat says the same: already booked, under that one reference
    for (const r of responses.filter((r) => r.status === 200)) {
      const text = (await r.text()).replace(/<!-- -->/g, '')
      expect(text).toContain('You have already booked this')
      expect(text).toContain(`Your booking reference is <strong>${booking[0]!.reference}</strong>`)
    }
    // a new family's form post: one place, held until the address is confirmed
    expect(await placeCounts(one, activityId)).toEqual({ confirmed: 0, held: 1, waitlisted: 0, cancelled: 0 })
  })

  it.each([
    ['with the row locks', false],
    ['without them, so the unique index decides', true],
  ])('books a family’s child ticked in 10 different forms at once once, %s', async (_, noLocks) => {
    const activityId = await publishActivity(one, { title: `Same child ${noLocks ? 'unlocked' : 'locked'}` })
    // A signed-in family (only a family's own children are ever matched: a form post is nobody's
    // child until its address is confirmed, so it can never be told another family's child is booked).
    const { familyId, childIds } = await createFamily(one.database.db, {
      children: [{ firstName: 'Eve', dob: dobForAge(7) }],
    })
    const devices = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const c = client()
        await signInFamilyDirectly(one.database.db, c, familyId)
        return c
      }),
    )
    if (noLocks) withoutRowLocks()
    const responses = await Promise.all(
      devices.map((c) =>
        c.post(`/activities/${activityId}`, {
          mode: 'family',
          intent: 'confirm',
          childId: String(childIds[0]),
          idempotencyKey: crypto.randomUUID(),
        }),
      ),
    )
    delete process.env.JOIN_IN_TEST_NO_ROW_LOCKS
    const answers = await Promise.all(responses.map(async (r) => `${r.status} ${await heading(r.clone())}`))
    expect(responses.map((r) => r.status).sort(), answers.join('; ')).toEqual([
      302, 400, 400, 400, 400, 400, 400, 400, 400, 400,
    ])
    for (const r of responses.filter((r) => r.status === 400)) {
      expect(await r.text()).toContain('Eve already has a place on this session')
    }
    expect(await placeCounts(one, activityId)).toEqual({ confirmed: 1, waitlisted: 0, cancelled: 0 })
  })

  /** 20 spaces held, 10 waiting; 10 holders cancel while 100 others book, on both instances. */
  async function cancelWhileOthersBook(title: string, noLocks: boolean) {
    const activityId = await publishActivity(one, { capacity: '20', title })
    const holders: Array<{ reference: string; token: string }> = []
    for (let i = 0; i < 20; i++) {
      const r = await confirmBooking(client(), activityId, [{ firstName: `Holder${i}`, dob: DOB }], {
        email: `holder${i}-${activityId}@example.org`,
      })
      const location = new URL(r.headers.get('location')!, 'http://x')
      holders.push({ reference: location.pathname.split('/').at(-1)!, token: location.searchParams.get('token')! })
    }
    for (let i = 0; i < 10; i++) {
      const r = await confirmBooking(client(), activityId, [{ firstName: `Waiting${i}`, dob: DOB }], {
        email: `waiting${i}-${activityId}@example.org`,
      })
      expect(r.status).toBe(302)
    }
    expect(await placeCounts(one, activityId)).toEqual({ confirmed: 20, waitlisted: 10, cancelled: 0 })
    if (noLocks) withoutRowLocks()
    const cancels = holders
      .slice(0, 10)
      .map(({ reference, token }) => client().post(`/bookings/${reference}`, { token, intent: 'confirm-cancel-all' }))
    const bookings = Array.from({ length: 100 }, (_, i) =>
      confirmBooking(client(), activityId, [{ firstName: `Late${i}`, dob: DOB }], {
        email: `late${i}-${activityId}@example.org`,
      }),
    )
    const responses = await Promise.all([...cancels, ...bookings])
    delete process.env.JOIN_IN_TEST_NO_ROW_LOCKS
    return { activityId, statuses: responses.map((r) => r.status) }
  }

  it('gives the spaces ten families cancel to the ten waiting, never more, while 100 others book', async () => {
    const { activityId, statuses } = await cancelWhileOthersBook('Cancel and book', false)
    expect(statuses).toEqual(Array.from({ length: 110 }, () => 302))
    expect(await placeCounts(one, activityId)).toEqual({ confirmed: 20, waitlisted: 100, cancelled: 10 })
    // cancelling and promoting are one locked transaction: no late booking ever saw a free space
    const confirmed = await one.database.db
      .selectFrom('place')
      .select('first_name')
      .where('activity_id', '=', activityId)
      .where('status', '=', 'confirmed')
      .orderBy('id')
      .execute()
    expect(confirmed.map((p) => p.first_name)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `Holder${i + 10}`),
      ...Array.from({ length: 10 }, (_, i) => `Waiting${i}`),
    ])
  })

  it('gives more than 20 places in the same race without the row locks (the test can fail)', async () => {
    // A race, so one run may happen not to interleave (seen once in about 15 on a loaded machine):
    // up to three runs, and the control holds when any of them overbooks.
    const confirmedByRun: number[] = []
    for (let run = 1; run <= 3 && !confirmedByRun.some((n) => n > 20); run++) {
      const { activityId, statuses } = await cancelWhileOthersBook(`Cancel and book, no row locks ${run}`, true)
      expect(statuses.filter((s) => s >= 500)).toEqual([])
      const counts = await placeCounts(one, activityId)
      expect(counts.cancelled).toBe(10)
      confirmedByRun.push(counts.confirmed ?? 0)
    }
    expect(Math.max(...confirmedByRun), JSON.stringify(confirmedByRun)).toBeGreaterThan(20)
  })

  /**
   * 40 spaces, 20 taken; staff reduce them to 25 while 100 book, three times. Returns each
   * round's spaces at the end, confirmed places and the edit's answer.
   */
  async function reduceWhileOthersBook(title: string, noLocks: boolean) {
    const staff = await one.signedIn('staff')
    const rounds: Array<{ capacity: number; confirmed: number; waitlisted: number; edit: number; others: number[] }> =
      []
    for (const round of [1, 2, 3]) {
      const activityId = await sessionWithTaken(40, 20, `${title} ${round}`)
      if (noLocks) withoutRowLocks()
      const reduce = staff.post(
        `/staff/activities/${activityId}/edit`,
        activityForm({ title: `${title} ${round}`, capacity: '25' }),
      )
      const bookings = Array.from({ length: 100 }, (_, i) =>
        confirmBooking(client(), activityId, [{ firstName: `Late${i}`, dob: DOB }], {
          email: `late${i}-${activityId}@example.org`,
        }),
      )
      const [edit, ...others] = await Promise.all([reduce, ...bookings])
      delete process.env.JOIN_IN_TEST_NO_ROW_LOCKS
      const activity = await one.database.db
        .selectFrom('activity')
        .select('capacity')
        .where('id', '=', activityId)
        .executeTakeFirstOrThrow()
      const counts = await placeCounts(one, activityId)
      rounds.push({
        capacity: activity.capacity,
        confirmed: counts.confirmed!,
        waitlisted: counts.waitlisted!,
        edit: edit!.status,
        others: others.map((r) => r.status).filter((s) => s !== 302),
      })
    }
    return rounds
  }

  it('never leaves more confirmed than the spaces when staff reduce them while 100 book', async () => {
    const rounds = await reduceWhileOthersBook('Fewer spaces', false)
    for (const round of rounds) {
      expect(round.others).toEqual([])
      // either the edit came first (25 spaces) or it was refused, the bookings having filled more
      expect(round.capacity).toBe(round.edit === 302 ? 25 : 40)
      expect([302, 400]).toContain(round.edit)
      expect(round.confirmed).toBe(round.capacity)
      expect(round.waitlisted).toBe(120 - round.capacity)
    }
  })

  it('overbooks the reduced session in the same race without the row locks (the test can fail)', async () => {
    const rounds = await reduceWhileOthersBook('Fewer spaces, no row locks', true)
    expect(rounds.flatMap((r) => r.others)).toEqual([])
    expect(
      rounds.some((r) => r.confirmed > r.capacity),
      JSON.stringify(rounds),
    ).toBe(true)
  })

  it('locks both sessions when an erasure cancels a family’s places on two while others book and cancel', async () => {
    const email = 'forget-us@example.org'
    const sessions: number[] = []
    const others: Array<{ reference: string; token: string }> = []
    for (const title of ['Erased on one', 'Erased on two']) {
      const activityId = await publishActivity(one, { capacity: '10', title })
      sessions.push(activityId)
      for (let i = 0; i < 3; i++) {
        const r = await confirmBooking(client(), activityId, [{ firstName: `Forget${i}`, dob: DOB }], { email })
        expect(r.status).toBe(302)
      }
      for (let i = 0; i < 7; i++) {
        const r = await confirmBooking(client(), activityId, [{ firstName: `Stay${i}`, dob: DOB }], {
          email: `stay${i}-${activityId}@example.org`,
        })
        const location = new URL(r.headers.get('location')!, 'http://x')
        others.push({ reference: location.pathname.split('/').at(-1)!, token: location.searchParams.get('token')! })
      }
      for (let i = 0; i < 10; i++) {
        const r = await confirmBooking(client(), activityId, [{ firstName: `Waiting${i}`, dob: DOB }], {
          email: `waiting${i}-${activityId}@example.org`,
        })
        expect(r.status).toBe(302)
      }
    }
    const admin = await one.signedIn('admin')
    // Three other families cancel on each session as the erasure runs, and 40 more book each.
    const cancelling = [...others.slice(0, 3), ...others.slice(7, 10)]
    const responses = await Promise.all([
      admin.post('/staff/erasure', { intent: 'erase', email, confirm: 'yes' }),
      ...cancelling.map(({ reference, token }) =>
        client().post(`/bookings/${reference}`, { token, intent: 'confirm-cancel-all' }),
      ),
      ...sessions.flatMap((activityId) =>
        Array.from({ length: 40 }, (_, i) =>
          confirmBooking(client(), activityId, [{ firstName: `Late${i}`, dob: DOB }], {
            email: `late${i}-${activityId}@example.org`,
          }),
        ),
      ),
    ])
    expect(responses.map((r) => r.status)).toEqual([200, ...Array.from({ length: 6 + 80 }, () => 302)])
    for (const activityId of sessions) {
      // 3 erased and 3 cancelled: the six spaces went to the first six waiting, in order
      expect(await placeCounts(one, activityId)).toEqual({ confirmed: 10, waitlisted: 44, cancelled: 6 })
      const confirmed = await one.database.db
        .selectFrom('place')
        .select('first_name')
        .where('activity_id', '=', activityId)
        .where('status', '=', 'confirmed')
        .orderBy('id')
        .execute()
      expect(confirmed.map((p) => p.first_name)).toEqual([
        'Stay3',
        'Stay4',
        'Stay5',
        'Stay6',
        ...Array.from({ length: 6 }, (_, i) => `Waiting${i}`),
      ])
    }
  })
  it('makes one Adoptables member of one sign-up posted 10 times at once on two instances, with no 5xx', async () => {
    const meeting = await publishActivity(one, {
      kind: 'adoptables',
      category: 'Adoptables meeting',
      title: 'Sign-up posted ten times',
      minAge: '12',
      maxAge: '18',
    })
    const [year, month, day] = dobForAge(15).split('-')
    const form = {
      firstName: 'Sam',
      'dob-day': String(Number(day)),
      'dob-month': String(Number(month)),
      'dob-year': year!,
      email: 'sam.signs.up@example.org',
      authority: 'E06000035',
      parentEmail: '',
      notes: '',
    }
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => client().post(`/adoptables/join?meeting=${meeting}`, form)),
    )
    const answers = await Promise.all(responses.map(async (r) => `${r.status} ${await heading(r.clone())}`))
    expect(
      responses.filter((r) => r.status >= 500),
      answers.join('; '),
    ).toEqual([])
    const members = await one.database.db.selectFrom('member').select('id').where('first_name', '=', 'Sam').execute()
    expect(members).toHaveLength(1)
    const places = await placeCounts(one, meeting)
    expect(places).toEqual({ confirmed: 1, waitlisted: 0, cancelled: 0 })
  })
  it('keeps one mailing-list sign-up posted 8 times at once on two instances, with no 5xx', async () => {
    const form = { email: 'twice.over@example.org', firstName: 'Twice' }
    // 8: under the sign-up page's limit of 10 an address (127.0.0.1 here) may post in 10 minutes
    const responses = await Promise.all(Array.from({ length: 8 }, () => client().post('/mailing-list', form)))
    const answers = await Promise.all(responses.map(async (r) => `${r.status} ${await heading(r.clone())}`))
    expect(
      responses.map((r) => r.status),
      answers.join('; '),
    ).toEqual(Array.from({ length: 8 }, () => 200))
    const rows = await one.database.db
      .selectFrom('mailing_list_subscriber')
      .select('status')
      .where('email', '=', form.email)
      .execute()
    expect(rows).toEqual([{ status: 'pending' }])
  })
})

/** A page's heading and first error, or a redirect's target: what a person saw, for failure messages. */
async function heading(response: Response): Promise<string> {
  if (response.status === 302) return response.headers.get('location') ?? ''
  const text = (await response.text()).replace(/<!-- -->/g, '')
  const h1 = /<h1[^>]*>([^<]*)/.exec(text)?.[1] ?? text.slice(0, 300)
  const error = /govuk-error-summary__list[\s\S]*?<a[^>]*>([^<]*)/.exec(text)?.[1]
  return error ? `${h1} (${error})` : h1
}
