import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collationWarning, openDatabase } from '../../db/index'
import { migrateToLatest, seedReferenceData } from '../../db/migrate'
import { ADMIN, activityForm, startTestService, TEST_SECRET_KEY, type TestService } from '../support/service'
import { nextCode } from '../support/two-factor'
import { dobForAge, postBooking, publishActivity } from '../support/booking'
import { dropDatabaseUrl, freshDatabaseUrl, onPostgres } from '../support/database'

const SECRET = 'SECRET-LINK-123'

describe('migrations', () => {
  it(`build every table on an empty ${onPostgres ? 'PostgreSQL database' : 'file'}, seed reference data once, and run again as a no-op`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-migrate-'))
    const url = await freshDatabaseUrl(dir, { name: 'empty.sqlite', empty: true })
    const database = openDatabase(url)
    const { db } = database
    try {
      expect(await db.introspection.getTables()).toEqual([])
      const first = await migrateToLatest(db)
      expect(first.results?.every((r) => r.status === 'Success')).toBe(true)
      await seedReferenceData(db, ['E10000016', 'E06000035', 'E09000004'])
      const second = await migrateToLatest(db)
      expect(second.results).toEqual([])
      await seedReferenceData(db, ['E09000011'])

      const tables = await db.introspection.getTables()
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining([
          'authority',
          'age_band',
          'activity',
          'series',
          'staff_user',
          'staff_session',
          'audit_log',
          'setting',
          'booking',
          'place',
        ]),
      )
      const partners = await db
        .selectFrom('authority')
        .select('name')
        .where('is_partner', '=', 1)
        .orderBy('name')
        .execute()
      // the second seeding must not override partners chosen the first time
      expect(partners.map((p) => p.name)).toEqual(['Bexley', 'Kent', 'Medway'])
      const count = await db
        .selectFrom('authority')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(count.n)).toBeGreaterThan(150)
      const bands = await db.selectFrom('age_band').select(['label', 'min_age', 'max_age']).orderBy('min_age').execute()
      expect(bands.map((b) => b.label)).toEqual(['0 to 4', '5 to 7', '8 to 11', '12 to 15', '16 to 18', '19 and over'])
      if (database.kind === 'sqlite') {
        expect(database.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
        expect(database.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
      } else {
        // ids are identity columns (Kysely would have written MySQL's auto_increment), and text sorts by bytes
        const activityId = tables.find((t) => t.name === 'activity')!.columns.find((c) => c.name === 'id')!
        expect(activityId).toMatchObject({ isAutoIncrementing: true })
        expect(await collationWarning(db)).toBeNull()
      }
    } finally {
      await db.destroy()
      await dropDatabaseUrl(url)
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the service over HTTP', () => {
  let service: TestService

  beforeAll(async () => {
    service = await startTestService()
  })
  afterAll(async () => {
    await service?.close()
  })

  it('answers /healthz after checking the database', async () => {
    const response = await service.client().get('/healthz')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok' })
  })

  it('sends security headers on every response', async () => {
    for (const pathname of ['/', '/staff/sign-in', '/calendar.ics', '/no-such-page']) {
      const response = await service.client().get(pathname)
      const csp = response.headers.get('content-security-policy') ?? ''
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
      expect(csp).toContain("object-src 'none'")
      expect(csp).toContain("base-uri 'none'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=31536000/)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('referrer-policy')).toBe('same-origin')
    }
  })

  it('sends a signed-out visitor from a staff page to sign in', async () => {
    for (const pathname of ['/staff', '/staff/activities/new']) {
      const response = await service.client().get(pathname)
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe(`/staff/sign-in?redirectTo=${encodeURIComponent(pathname)}`)
    }
    const post = await service.client().post('/staff/activities/new', activityForm())
    expect(post.status).toBe(302)
    expect(await service.database.db.selectFrom('activity').selectAll().execute()).toHaveLength(0)
  })

  it('does not let a viewer publish', async () => {
    const viewer = await service.signedIn('viewer')
    const page = await viewer.get('/staff/activities/new')
    expect(page.status).toBe(403)
    const post = await viewer.post('/staff/activities/new', activityForm())
    expect(post.status).toBe(403)
    expect(await service.database.db.selectFrom('activity').selectAll().execute()).toHaveLength(0)
  })

  it('signs staff in with a session cookie that is httpOnly and SameSite=Lax, and signs them out', async () => {
    const client = service.client()
    const password = await client.post('/staff/sign-in', {
      email: ADMIN.email,
      password: ADMIN.password,
      redirectTo: '/staff',
    })
    // Admins have two-factor: the password leads to the code step.
    expect(password.status).toBe(302)
    expect(password.headers.get('location')).toBe('/staff/sign-in?step=code')
    const response = await client.post('/staff/sign-in?step=code', {
      intent: 'code',
      code: await nextCode(service.url, ADMIN.email, ADMIN.totpSecret),
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/staff')
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('join-in-session=')) ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect((await client.get('/staff')).status).toBe(200)
    await client.post('/staff/sign-out', {})
    expect((await client.get('/staff')).status).toBe(302)
    const last = await service.database.db
      .selectFrom('audit_log')
      .select('action')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(last.action).toBe('staff.signed-out')
  })

  it("ends a disabled account's sessions at once", async () => {
    const staff = await service.signedIn('staff')
    expect((await staff.get('/staff')).status).toBe(200)
    const row = await service.database.db
      .selectFrom('staff_user')
      .select('id')
      .where('role', '=', 'staff')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    await service.database.db.updateTable('staff_user').set({ disabled: 1 }).where('id', '=', row.id).execute()
    expect((await staff.get('/staff')).status).toBe(302)
  })

  it('gives one message for a wrong password and an unknown account', async () => {
    const wrongPassword = await service
      .client()
      .post('/staff/sign-in', { email: ADMIN.email, password: 'not the password' })
    const unknown = await service
      .client()
      .post('/staff/sign-in', { email: 'nobody@example.org', password: 'not the password' })
    expect(wrongPassword.status).toBe(401)
    expect(unknown.status).toBe(401)
    const a = await wrongPassword.text()
    const b = await unknown.text()
    expect(a).toContain('Enter a correct email address and password')
    expect(b).toContain('Enter a correct email address and password')
    expect(a).toContain('value="admin@example.org"')
  })

  it('slows down repeated failures for one account with 429', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const r = await service
        .client()
        .post(
          '/staff/sign-in',
          { email: 'target@example.org', password: `guess ${i}` },
          { 'X-Forwarded-For': `10.0.0.${i}` },
        )
      statuses.push(r.status)
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401])
    expect(statuses.at(-1)).toBe(429)
  })

  it('refuses a form posted from another website and changes nothing', async () => {
    const staff = await service.signedIn('staff')
    const response = await staff.post('/staff/activities/new', activityForm(), { Origin: 'https://evil.example' })
    expect(response.status).toBe(403)
    expect(await service.database.db.selectFrom('activity').selectAll().execute()).toHaveLength(0)
  })

  describe('publishing', () => {
    let activityId: number

    it('lets staff create and publish an activity, shown on / with its spaces', async () => {
      const staff = await service.signedIn('staff')
      const response = await staff.post('/staff/activities/new', activityForm({ title: 'Glow slime lab' }))
      expect(response.status).toBe(302)
      activityId = Number(/\/staff\/activities\/(\d+)/.exec(response.headers.get('location') ?? '')![1])
      const home = await (await service.client().get('/')).text()
      expect(home).toContain('Glow slime lab')
      expect(home).toContain('20 spaces left')
      const detail = await (await service.client().get(`/activities/${activityId}`)).text()
      expect(detail).toContain('Glow slime lab')
      expect(detail).toContain('Ages 5 to 11')
    })

    it('never shows the joining link on a public page or in the feed', async () => {
      for (const pathname of [
        '/',
        `/activities/${activityId}`,
        '/adoptables',
        '/calendar.ics',
        '/?age=7',
        `/activities/${activityId}?_data=root`,
      ]) {
        const body = await (await service.client().get(pathname)).text()
        expect(body, pathname).not.toContain(SECRET)
        expect(body, pathname).not.toContain('meetup-join')
      }
      // the route's data request (single fetch) must not carry it either
      const data = await (await service.client().get(`/activities/${activityId}.data`)).text()
      expect(data).not.toContain(SECRET)
    })

    it('publishes a public feed that another iCalendar parser reads', async () => {
      const response = await service.client().get('/calendar.ics')
      expect(response.headers.get('content-type')).toMatch(/^text\/calendar/)
      const calendar = new ICAL.Component(ICAL.parse(await response.text()))
      const events = calendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e))
      const event = events.find((e) => e.summary === 'Glow slime lab')!
      expect(event).toBeDefined()
      expect(event.uid).toMatch(new RegExp(`^activity-${activityId}@`))
      expect(event.startDate.toJSDate().getTime()).toBeGreaterThan(Date.now())
    })

    it('hides a draft and an unpublished session from the public, and explains a cancelled one', async () => {
      const staff = await service.signedIn('staff')
      const draft = await staff.post('/staff/activities/new', activityForm({ title: 'Draft dance', intent: 'draft' }))
      const draftId = Number(/(\d+)/.exec(draft.headers.get('location')!)![1])
      expect(await (await service.client().get('/')).text()).not.toContain('Draft dance')
      expect((await service.client().get(`/activities/${draftId}`)).status).toBe(404)

      await staff.post(`/staff/activities/${draftId}`, { intent: 'publish' })
      expect(await (await service.client().get('/')).text()).toContain('Draft dance')
      await staff.post(`/staff/activities/${draftId}`, { intent: 'unpublish' })
      expect(await (await service.client().get('/')).text()).not.toContain('Draft dance')

      const refused = await staff.post(`/staff/activities/${draftId}`, { intent: 'cancel', reason: '' })
      expect(refused.status).toBe(400)
      await staff.post(`/staff/activities/${draftId}`, { intent: 'confirm-cancel', reason: 'The presenter is ill.' })
      const cancelled = await (await service.client().get(`/activities/${draftId}`)).text()
      expect(cancelled).toContain('This session has been cancelled. The presenter is ill.')
      expect(await (await service.client().get('/')).text()).not.toContain('Draft dance')
    })

    it('will not unpublish a session with places on it: it says to cancel instead (which tells everyone), and nothing changes', async () => {
      const staff = await service.signedIn('staff')
      const activityId = await publishActivity(service, { title: 'Booked bubble lab' })
      const booked = await postBooking(service.client(), activityId, [{ firstName: 'Una', dob: dobForAge(8) }])
      expect(booked.status).toBe(302)
      const refused = await staff.post(`/staff/activities/${activityId}`, { intent: 'unpublish' })
      expect(refused.status).toBe(409)
      const html = await refused.text()
      expect(html).toContain('There is a problem')
      expect(html).toContain(
        'This session has 1 place booked or on the waiting list, so it cannot be unpublished. To take it down, cancel it',
      )
      const row = await service.database.db
        .selectFrom('activity')
        .select('status')
        .where('id', '=', activityId)
        .executeTakeFirstOrThrow()
      expect(row.status).toBe('published')
      expect((await service.client().get(`/activities/${activityId}`)).status).toBe(200)
      const audited = await service.database.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'activity.unpublish')
        .where('subject_id', '=', String(activityId))
        .execute()
      expect(audited).toEqual([])
    })

    it("will not turn a booked activity into an Adoptables meeting: the places stay families' and nothing changes", async () => {
      const staff = await service.signedIn('staff')
      const activityId = await publishActivity(service, { title: 'Booked reptiles', minAge: '12', maxAge: '14' })
      expect((await postBooking(service.client(), activityId, [{ firstName: 'Ola', dob: dobForAge(13) }])).status).toBe(
        302,
      )
      const edited = await staff.post(
        `/staff/activities/${activityId}/edit`,
        activityForm({
          title: 'Booked reptiles',
          kind: 'adoptables',
          category: 'Adoptables meeting',
          minAge: '12',
          maxAge: '14',
        }),
      )
      expect(edited.status).toBe(400)
      const html = await edited.text()
      expect(html).toContain('There is a problem')
      expect(html).toContain('This session has places booked, so it cannot change kind')
      const row = await service.database.db
        .selectFrom('activity')
        .select('kind')
        .where('id', '=', activityId)
        .executeTakeFirstOrThrow()
      expect(row.kind).toBe('activity')
    })

    it('creates a weekly series in one step', async () => {
      const staff = await service.signedIn('staff')
      const response = await staff.post(
        '/staff/activities/new',
        activityForm({ title: 'Weekly gaming club', repeat: 'weekly', sessions: '4' }),
      )
      expect(response.headers.get('location')).toMatch(/notice=series-created-4/)
      const rows = await service.database.db
        .selectFrom('activity')
        .select(['starts_at', 'series_id'])
        .where('title', '=', 'Weekly gaming club')
        .orderBy('starts_at')
        .execute()
      expect(rows).toHaveLength(4)
      expect(new Set(rows.map((r) => r.series_id)).size).toBe(1)
      const gaps = rows.slice(1).map((r, i) => new Date(r.starts_at).getTime() - new Date(rows[i]!.starts_at).getTime())
      for (const gap of gaps) expect([7 * 24, 7 * 24 - 1, 7 * 24 + 1]).toContain(gap / 3_600_000)
    })

    it('keeps what was typed and shows each error by its field when the form is wrong', async () => {
      const staff = await service.signedIn('staff')
      const response = await staff.post(
        '/staff/activities/new',
        activityForm({ title: 'Broken form', capacity: '0', minAge: '12', maxAge: '8' }),
      )
      expect(response.status).toBe(400)
      const html = await response.text()
      expect(html).toContain('There is a problem')
      expect(html).toContain('href="#capacity"')
      expect(html).toContain('Spaces must be 1 or more')
      expect(html).toContain('Oldest age must be the same as or more than the youngest age')
      expect(html).toContain('value="Broken form"')
      expect(html).toContain('aria-describedby="capacity-hint capacity-error"')
    })

    it('lets staff change one session and bumps its calendar sequence when the time changes', async () => {
      const staff = await service.signedIn('staff')
      const before = await service.database.db
        .selectFrom('activity')
        .select('sequence')
        .where('id', '=', activityId)
        .executeTakeFirstOrThrow()
      const response = await staff.post(
        `/staff/activities/${activityId}/edit`,
        activityForm({ title: 'Glow slime lab', startTime: '16:30', endTime: '17:30' }),
      )
      expect(response.status).toBe(302)
      const after = await service.database.db
        .selectFrom('activity')
        .select(['sequence', 'starts_at'])
        .where('id', '=', activityId)
        .executeTakeFirstOrThrow()
      expect(after.sequence).toBe(before.sequence + 1)
      expect(new Date(after.starts_at).getUTCMinutes()).toBe(30)
    })
  })
})

describe('first start without ADMIN_EMAIL', () => {
  it('prints a one-time setup link that creates the first admin once', async () => {
    const lines: string[] = []
    const { startService } = await import('../../server/boot')
    const { readConfig } = await import('../../app/config.server')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-setup-'))
    const { pathToFileURL } = await import('node:url')
    const build = await import(pathToFileURL(path.resolve(import.meta.dirname, '../../build/server/index.js')).href)
    const service = await startService(
      readConfig({
        NODE_ENV: 'production',
        DATABASE_URL: path.join(dir, 'db.sqlite'),
        PORT: '0',
        PUBLIC_URL: 'http://127.0.0.1',
        HOST: '127.0.0.1',
        SECURE_COOKIES: 'false',
        SECRET_KEY: TEST_SECRET_KEY,
      }),
      build,
      { log: (line) => lines.push(line) },
    )
    try {
      const link = /\/staff\/setup\?token=([\w-]+)/.exec(lines.join('\n'))
      expect(link).not.toBeNull()
      const token = link![1]!
      const { HttpClient } = await import('../support/service')
      const client = new HttpClient(service.url)
      expect(await (await client.get(`/staff/setup?token=${token}`)).text()).toContain('Set up the first administrator')
      const weak = await client.post('/staff/setup', {
        token,
        name: 'Sam',
        email: 'sam@example.org',
        password: 'short',
      })
      expect(weak.status).toBe(400)
      const ok = await client.post('/staff/setup', {
        token,
        name: 'Sam',
        email: 'sam@example.org',
        password: 'a sensible long password',
      })
      expect(ok.status).toBe(302)
      // The first admin sets two-factor up before anything else.
      const home = await client.get('/staff')
      expect(home.status).toBe(302)
      expect(home.headers.get('location')).toBe('/staff/two-factor?redirectTo=%2Fstaff')
      const again = await new HttpClient(service.url).post('/staff/setup', {
        token,
        name: 'Eve',
        email: 'eve@example.org',
        password: 'another long password',
      })
      expect(again.status).toBe(400)
      const staff = await service.database.db.selectFrom('staff_user').select(['email', 'role']).execute()
      expect(staff).toEqual([{ email: 'sam@example.org', role: 'admin' }])
    } finally {
      await service.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
