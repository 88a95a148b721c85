// Who may reach which staff page, checked on the server over real HTTP for every staff and API
// route: one row per route and method. The test also reads app/routes, so a new staff. or api.
// route without a row here fails the build instead of skipping the check.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enqueueEmail } from '../../app/email/outbox.server'
import { recordFeedback } from '../../app/domain/feedback.server'
import { recordConcern } from '../../app/domain/concerns.server'
import { createStaffUser } from '../../app/domain/staff.server'
import type { Role } from '../../db/schema'
import { confirmBooking } from '../support/booking'
import { createFamily } from '../support/family'
import { ADMIN, activityForm, startTestService, type HttpClient, type TestService } from '../support/service'

/**
 * reached: the guard let the request through (any answer but 401, 403, 404, 405, 5xx or a
 * redirect to sign-in: a POST with an empty form may well be a 400 from the form's own checks).
 */
type Outcome = 'reached' | 'sign-in' | 'forbidden' | 'unauthorised' | 'to-reports'
/** 'lead': a member of staff (the staff role) with the safeguarding lead flag */
type Who = 'signedOut' | Role | 'lead'
type Expect = Record<Who, Outcome>

const PUBLIC: Expect = { signedOut: 'reached', viewer: 'reached', staff: 'reached', admin: 'reached', lead: 'reached' }
const ANY_STAFF: Expect = {
  signedOut: 'sign-in',
  viewer: 'reached',
  staff: 'reached',
  admin: 'reached',
  lead: 'reached',
}
const STAFF: Expect = { signedOut: 'sign-in', viewer: 'forbidden', staff: 'reached', admin: 'reached', lead: 'reached' }
/** A lead keeps their role's rights and gains no others: a lead with the staff role is not an admin. */
const ADMIN_ONLY: Expect = {
  signedOut: 'sign-in',
  viewer: 'forbidden',
  staff: 'forbidden',
  admin: 'reached',
  lead: 'forbidden',
}
/** Safeguarding concerns: only a lead, from the flag; an administrator without it is refused. */
const LEAD_ONLY: Expect = {
  signedOut: 'sign-in',
  viewer: 'forbidden',
  staff: 'forbidden',
  admin: 'forbidden',
  lead: 'reached',
}
/** The staff home page sends viewers to the reports, the one thing they may see. */
const HOME: Expect = { ...STAFF, viewer: 'to-reports' }
/** Machine access only: a staff session is not an API token. */
const TOKEN_ONLY: Expect = {
  signedOut: 'unauthorised',
  viewer: 'unauthorised',
  staff: 'unauthorised',
  admin: 'unauthorised',
  lead: 'unauthorised',
}

type Method = 'GET' | 'POST'
/** [route file, method, path (":activity", ":outbox", ":user", ":family", ":series" and ":concern" become real ids), who may, options] */
type Row = [file: string, method: Method, path: string, expect: Expect, options?: { ownClient?: boolean }]

// prettier-ignore
const ROUTES: Row[] = [
  ['api.reports[.]csv.ts',                    'GET',  '/api/reports.csv',                      TOKEN_ONLY],
  ['staff._index.tsx',                        'GET',  '/staff',                                HOME],
  ['staff.account.tsx',                       'GET',  '/staff/account',                        ANY_STAFF],
  ['staff.account.tsx',                       'POST', '/staff/account',                        ANY_STAFF],
  ['staff.activities.$id._index.tsx',         'GET',  '/staff/activities/:activity',           STAFF],
  ['staff.activities.$id._index.tsx',         'POST', '/staff/activities/:activity',           STAFF],
  ['staff.activities.$id.adults.tsx',         'GET',  '/staff/activities/:activity/adults',    STAFF],
  ['staff.activities.$id.adults.tsx',         'POST', '/staff/activities/:activity/adults',    STAFF],
  ['staff.activities.$id.checklist.tsx',      'GET',  '/staff/activities/:activity/checklist', STAFF],
  ['staff.activities.$id.checklist.tsx',      'POST', '/staff/activities/:activity/checklist', STAFF],
  ['staff.activities.$id.edit.tsx',           'GET',  '/staff/activities/:activity/edit',      STAFF],
  ['staff.activities.$id.edit.tsx',           'POST', '/staff/activities/:activity/edit',      STAFF],
  ['staff.activities.$id.feedback.tsx',       'GET',  '/staff/activities/:activity/feedback',  STAFF],
  ['staff.activities.$id.messages.tsx',       'GET',  '/staff/activities/:activity/messages',  STAFF],
  ['staff.activities.$id.messages.tsx',       'POST', '/staff/activities/:activity/messages',  STAFF],
  ['staff.activities.$id.concerns.new.tsx',   'GET',  '/staff/activities/:activity/concerns/new', STAFF],
  ['staff.activities.$id.concerns.new.tsx',   'POST', '/staff/activities/:activity/concerns/new', STAFF],
  ['staff.activities.$id.register.tsx',       'GET',  '/staff/activities/:activity/register',  STAFF],
  ['staff.activities.$id.register.tsx',       'POST', '/staff/activities/:activity/register',  STAFF],
  ['staff.activities.$id.register[.]csv.ts',  'GET',  '/staff/activities/:activity/register.csv', STAFF],
  ['staff.activities.$id.register_.import.tsx', 'GET',  '/staff/activities/:activity/register/import', STAFF],
  ['staff.activities.$id.register_.import.tsx', 'POST', '/staff/activities/:activity/register/import', STAFF],
  ['staff.activities.new.tsx',                'GET',  '/staff/activities/new',                 STAFF],
  ['staff.activities.new.tsx',                'POST', '/staff/activities/new',                 STAFF],
  ['staff.api-tokens.tsx',                    'GET',  '/staff/api-tokens',                     ADMIN_ONLY],
  ['staff.api-tokens.tsx',                    'POST', '/staff/api-tokens',                     ADMIN_ONLY],
  ['staff.audit.tsx',                         'GET',  '/staff/audit',                          ADMIN_ONLY],
  ['staff.concerns._index.tsx',               'GET',  '/staff/concerns',                       LEAD_ONLY],
  ['staff.concerns.$id.tsx',                  'GET',  '/staff/concerns/:concern',              LEAD_ONLY],
  ['staff.concerns.$id.tsx',                  'POST', '/staff/concerns/:concern',              LEAD_ONLY],
  ['staff.erasure.tsx',                       'GET',  '/staff/erasure',                        STAFF],
  ['staff.erasure.tsx',                       'POST', '/staff/erasure',                        STAFF],
  ['staff.series.$id.tsx',                    'GET',  '/staff/series/:series',                 STAFF],
  ['staff.series.$id.tsx',                    'POST', '/staff/series/:series',                 STAFF],
  ['staff.families.$id.tsx',                  'GET',  '/staff/families/:family',               STAFF],
  ['staff.families.$id_.book.tsx',            'GET',  '/staff/families/:family/book',          STAFF],
  ['staff.families.$id_.book.tsx',            'POST', '/staff/families/:family/book',          STAFF],
  ['staff.families.approvals.tsx',            'GET',  '/staff/families/approvals',             STAFF],
  ['staff.families.approvals.tsx',            'POST', '/staff/families/approvals',             STAFF],
  ['staff.mailing-list.tsx',                  'GET',  '/staff/mailing-list',                   STAFF],
  ['staff.mailing-list[.]csv.ts',             'GET',  '/staff/mailing-list.csv',               STAFF],
  ['staff.members.tsx',                       'GET',  '/staff/members',                        STAFF],
  ['staff.outbox.tsx',                        'GET',  '/staff/outbox',                         STAFF],
  ['staff.outbox.tsx',                        'POST', '/staff/outbox',                         STAFF],
  ['staff.outbox_.$id.tsx',                   'GET',  '/staff/outbox/:outbox',                 STAFF],
  ['staff.reports._index.tsx',                'GET',  '/staff/reports',                        ANY_STAFF],
  ['staff.reports.known-children.tsx',        'GET',  '/staff/reports/known-children',         ADMIN_ONLY],
  ['staff.reports.known-children.tsx',        'POST', '/staff/reports/known-children',         ADMIN_ONLY],
  ['staff.reports.csv.ts',                    'GET',  '/staff/reports/csv',                    ANY_STAFF],
  ['staff.reports.places[.]csv.ts',           'GET',  '/staff/reports/places.csv',             STAFF],
  ['staff.reports.print.tsx',                 'GET',  '/staff/reports/print',                  ANY_STAFF],
  ['staff.reports.xlsx.ts',                   'GET',  '/staff/reports/xlsx',                   ANY_STAFF],
  ['staff.set-password.tsx',                  'GET',  '/staff/set-password',                   PUBLIC],
  ['staff.set-password.tsx',                  'POST', '/staff/set-password',                   PUBLIC],
  ['staff.settings.tsx',                      'GET',  '/staff/settings',                       ADMIN_ONLY],
  ['staff.settings.tsx',                      'POST', '/staff/settings',                       ADMIN_ONLY],
  ['staff.setup.tsx',                         'GET',  '/staff/setup',                          PUBLIC],
  ['staff.setup.tsx',                         'POST', '/staff/setup',                          PUBLIC],
  ['staff.sign-in.tsx',                       'GET',  '/staff/sign-in',                        PUBLIC],
  ['staff.sign-in.tsx',                       'POST', '/staff/sign-in',                        PUBLIC],
  ['staff.sign-out.tsx',                      'GET',  '/staff/sign-out',                       PUBLIC],
  ['staff.sign-out.tsx',                      'POST', '/staff/sign-out',                       PUBLIC, { ownClient: true }],
  ['staff.two-factor.tsx',                    'GET',  '/staff/two-factor',                     ANY_STAFF],
  ['staff.two-factor.tsx',                    'POST', '/staff/two-factor',                     ANY_STAFF],
  ['staff.users.$id.tsx',                     'GET',  '/staff/users/:user',                    ADMIN_ONLY],
  ['staff.users.$id.tsx',                     'POST', '/staff/users/:user',                    ADMIN_ONLY],
  ['staff.users._index.tsx',                  'GET',  '/staff/users',                          ADMIN_ONLY],
  ['staff.users.invite.tsx',                  'GET',  '/staff/users/invite',                   ADMIN_ONLY],
  ['staff.users.invite.tsx',                  'POST', '/staff/users/invite',                   ADMIN_ONLY],
]

const ROUTES_DIR = path.resolve(import.meta.dirname, '../../app/routes')
const GUARDED = /^(staff|api)\./

function routeFiles(): string[] {
  return fs
    .readdirSync(ROUTES_DIR)
    .filter((f) => GUARDED.test(f))
    .sort()
}

function hasAction(file: string): boolean {
  return /export\s+(async\s+)?function\s+action\b|export\s+const\s+action\b/.test(
    fs.readFileSync(path.join(ROUTES_DIR, file), 'utf8'),
  )
}

describe('the role table', () => {
  it('has a row for every staff and API route, and a POST row for every one with an action', () => {
    const covered = new Set(ROUTES.map(([file]) => file))
    expect(
      routeFiles().filter((f) => !covered.has(f)),
      'route files with no row in ROUTES',
    ).toEqual([])
    const posted = new Set(ROUTES.filter(([, method]) => method === 'POST').map(([file]) => file))
    expect(
      routeFiles().filter((f) => hasAction(f) && !posted.has(f)),
      'actions with no POST row',
    ).toEqual([])
    expect(
      ROUTES.filter(([file]) => !fs.existsSync(path.join(ROUTES_DIR, file))).map(([f]) => f),
      'rows for routes that no longer exist',
    ).toEqual([])
  })
})

describe('roles on every staff route, checked on the server', () => {
  let service: TestService
  const clients = {} as Record<Who, HttpClient>
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    service = await startTestService()
    clients.signedOut = service.client()
    clients.viewer = await service.signedIn('viewer')
    clients.staff = await service.signedIn('staff')
    clients.admin = await service.signIn(ADMIN)
    clients.lead = await signedInLead()

    const created = await clients.staff.post('/staff/activities/new', activityForm({ title: 'Role matrix session' }))
    ids.activity = /\/staff\/activities\/(\d+)/.exec(created.headers.get('location') ?? '')![1]!
    const series = await clients.staff.post(
      '/staff/activities/new',
      activityForm({ title: 'Role matrix series', repeat: 'weekly', sessions: '2' }),
    )
    const first = /\/staff\/activities\/(\d+)/.exec(series.headers.get('location') ?? '')![1]!
    ids.series = String(
      (
        await service.database.db
          .selectFrom('activity')
          .select('series_id')
          .where('id', '=', Number(first))
          .executeTakeFirstOrThrow()
      ).series_id,
    )
    await enqueueEmail(
      service.database.db,
      { kind: 'test', to: 'someone@example.org', subject: 'Hello', text: 'Hello', dedupeKey: 'roles-test' },
      { domain: 'example.org' },
    )
    const email = await service.database.db.selectFrom('outbox').select('id').executeTakeFirstOrThrow()
    ids.outbox = String(email.id)

    // Personal data for the staff views to show: a booking, a comment on it, a subscriber who joined this month.
    const booked = await confirmBooking(service.client(), Number(ids.activity), [
      { firstName: 'Robin', dob: '2018-03-04', supportNeeds: 'Needs a quiet space' },
    ])
    expect(booked.status).toBe(302)
    const place = await service.database.db
      .selectFrom('place')
      .select('id')
      .where('activity_id', '=', Number(ids.activity))
      .executeTakeFirstOrThrow()
    expect(await recordFeedback(service.database.db, place.id, 5, 'Robin loved it')).toBe('recorded')
    const now = new Date().toISOString()
    const subscriber = await service.database.db
      .insertInto('mailing_list_subscriber')
      .values({
        email: 'sam@example.org',
        first_name: 'Sam',
        status: 'subscribed',
        source: 'sign-up',
        confirm_token_hash: null,
        confirm_expires_at: null,
        requested_at: now,
        confirmed_at: now,
        left_at: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await service.database.db
      .insertInto('mailing_list_event')
      .values({ kind: 'join', at: now, subscriber_id: subscriber.id })
      .execute()
    // A family for the family page.
    ids.family = String((await createFamily(service.database.db, { contactName: 'Robin’s carer' })).familyId)
    // A bystander account for the user page, so no row changes the clients' own accounts.
    ids.user = String(
      await createStaffUser(service.database.db, {
        email: 'bystander@example.org',
        name: 'Bystander',
        password: 'a long bystander password',
        role: 'staff',
      }),
    )
    // A concern for the concern pages, recorded as from the session's form.
    const recorded = await recordConcern(
      service.database.db,
      Number(ids.activity),
      {
        child: { kind: 'place', placeId: place.id },
        seenOrSaid: 'Robin said something worrying',
        happenedAt: new Date(),
        present: 'Two members of staff',
        actionTaken: 'Told the lead',
      },
      'roles-test-concern-key',
      { id: Number(ids.user), name: 'Bystander', ip: '127.0.0.1' },
      { links: { baseUrl: service.url, domain: 'example.org' }, serviceName: 'Join In' },
    )
    if (recorded.status !== 'recorded') throw new Error(`concern not recorded: ${recorded.status}`)
    ids.concern = String(recorded.concernId)
  })

  /** A member of staff with the safeguarding lead flag, signed in with two-factor as any other. */
  let leads = 0
  async function signedInLead(): Promise<HttpClient> {
    leads += 1
    // The first is the shared lead client (staffId finds it by this address); the others sign out.
    const email = leads === 1 ? 'lead@example.org' : `lead${leads}@example.org`
    const password = 'a long password for the safeguarding lead'
    const id = await createStaffUser(service.database.db, { email, name: 'Safeguarding Lead', password, role: 'staff' })
    await service.database.db.updateTable('staff_user').set({ safeguarding_lead: 1 }).where('id', '=', id).execute()
    await service.enrolTwoFactor(id, email)
    return service.signIn({ email, password })
  }

  afterAll(async () => {
    await service?.close()
  })

  function realPath(template: string): string {
    return template.replace(/:(activity|outbox|user|family|series|concern)\b/g, (_, key: string) => ids[key]!)
  }

  async function clientFor(who: Who, ownClient: boolean): Promise<HttpClient> {
    if (!ownClient) return clients[who]
    if (who === 'signedOut') return service.client()
    if (who === 'admin') return service.signIn(ADMIN)
    if (who === 'lead') return signedInLead()
    return service.signedIn(who)
  }

  function outcomeOf(response: Response): Outcome | `status ${number}` {
    const location = response.headers.get('location') ?? ''
    if (response.status === 302 && location.startsWith('/staff/sign-in?redirectTo=')) return 'sign-in'
    if (response.status === 302 && location === '/staff/reports') return 'to-reports'
    if (response.status === 403) return 'forbidden'
    if (response.status === 401) return 'unauthorised'
    if ([404, 405].includes(response.status) || response.status >= 500) return `status ${response.status}`
    return 'reached'
  }

  const WHO: Who[] = ['signedOut', 'viewer', 'staff', 'admin', 'lead']

  for (const [file, method, template, expected, options] of ROUTES) {
    it(`${method} ${template} (${file})`, async () => {
      const actual = {} as Record<Who, string>
      for (const who of WHO) {
        const client = await clientFor(who, options?.ownClient ?? false)
        const response =
          method === 'GET' ? await client.get(realPath(template)) : await client.post(realPath(template), {})
        await response.arrayBuffer()
        actual[who] = outcomeOf(response)
      }
      expect(actual).toEqual(expected)
    })
  }

  // An admin or a member of staff without two-factor reaches no staff page but its set-up.
  it('sends admin and staff without two-factor from every staff route to set it up', async () => {
    const staffRoutes = ROUTES.filter(
      ([file, , , expected]) =>
        expected.signedOut === 'sign-in' && file !== 'staff.two-factor.tsx' && file !== 'staff.sign-out.tsx',
    )
    expect(staffRoutes.length).toBeGreaterThan(30)
    for (const role of ['admin', 'staff'] as const) {
      const email = `no-two-factor-${role}@example.org`
      const password = `a long password for ${role} without two-factor`
      await createStaffUser(service.database.db, { email, name: `No 2FA ${role}`, password, role })
      const client = service.client()
      expect((await client.post('/staff/sign-in', { email, password })).status).toBe(302)
      const wrong: string[] = []
      for (const [, method, template] of staffRoutes) {
        const response =
          method === 'GET' ? await client.get(realPath(template)) : await client.post(realPath(template), {})
        await response.arrayBuffer()
        const location = response.headers.get('location') ?? ''
        if (response.status !== 302 || !location.startsWith('/staff/two-factor')) {
          wrong.push(`${role} ${method} ${template}: ${response.status} ${location}`)
        }
      }
      expect(wrong).toEqual([])
      expect((await client.get('/staff/two-factor')).status).toBe(200)
    }
  })

  it('the shared clients are still signed in after every row (so no row passed by being signed out)', async () => {
    expect((await clients.viewer.get('/staff/reports')).status).toBe(200)
    expect((await clients.staff.get('/staff')).status).toBe(200)
    expect((await clients.admin.get('/staff/users')).status).toBe(200)
    expect((await clients.lead.get('/staff/concerns')).status).toBe(200)
  })

  it('shows "Safeguarding concerns" in the navigation to a lead and to nobody else', async () => {
    const link = /href="\/staff\/concerns"/
    expect(await (await clients.lead.get('/staff/account')).text()).toMatch(link)
    for (const who of ['viewer', 'staff', 'admin'] as const) {
      expect(await (await clients[who].get('/staff/account')).text(), who).not.toMatch(link)
    }
  })

  it('shows no concern, and changes none, for staff, viewers and admins without the flag (every route, GET and POST)', async () => {
    const concernPaths = [`/staff/concerns`, `/staff/concerns/${ids.concern}`]
    for (const who of ['viewer', 'staff', 'admin'] as const) {
      for (const pathname of concernPaths) {
        const read = await clients[who].get(pathname)
        expect(read.status, `${who} GET ${pathname}`).toBe(403)
        const body = await read.text()
        expect(body, `${who} GET ${pathname}`).not.toContain('Robin said something worrying')
        expect(body, `${who} GET ${pathname}`).not.toContain('Robin')
      }
      const note = await clients[who].post(`/staff/concerns/${ids.concern}`, {
        intent: 'add-note',
        note: `Note by ${who}`,
      })
      expect(note.status, `${who} adds a note`).toBe(403)
      const close = await clients[who].post(`/staff/concerns/${ids.concern}`, { intent: 'close', outcome: `By ${who}` })
      expect(close.status, `${who} closes`).toBe(403)
    }
    const concern = await service.database.db
      .selectFrom('concern')
      .select(['status', 'outcome'])
      .where('id', '=', Number(ids.concern))
      .executeTakeFirstOrThrow()
    expect(concern).toEqual({ status: 'open', outcome: null })
    expect(await service.database.db.selectFrom('concern_note').select('id').execute()).toEqual([])
    // The lead reads it.
    const read = await clients.lead.get(`/staff/concerns/${ids.concern}`)
    expect(read.status).toBe(200)
    expect(await read.text()).toContain('Robin said something worrying')
  })

  it('does not let a viewer be made a safeguarding lead, and lets an admin make a member of staff one', async () => {
    const viewerId = await createStaffUser(service.database.db, {
      email: 'viewer-not-lead@example.org',
      name: 'Viewer Not Lead',
      password: 'a long password for a viewer',
      role: 'viewer',
    })
    const refused = await clients.admin.post(`/staff/users/${viewerId}`, { intent: 'give-safeguarding-lead' })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('A viewer cannot be a safeguarding lead')
    const asStaff = await clients.staff.post(`/staff/users/${ids.user}`, { intent: 'give-safeguarding-lead' })
    expect(asStaff.status).toBe(403)
    const given = await clients.admin.post(`/staff/users/${ids.user}`, { intent: 'give-safeguarding-lead' })
    expect(given.headers.get('location')).toBe(`/staff/users/${ids.user}?notice=lead-given`)
    const removed = await clients.admin.post(`/staff/users/${ids.user}`, { intent: 'remove-safeguarding-lead' })
    expect(removed.headers.get('location')).toBe(`/staff/users/${ids.user}?notice=lead-removed`)
    const flags = await service.database.db
      .selectFrom('staff_user')
      .select(['id', 'safeguarding_lead'])
      .where('id', 'in', [viewerId, Number(ids.user)])
      .orderBy('id')
      .execute()
    expect(flags).toEqual([
      { id: Number(ids.user), safeguarding_lead: 0 },
      { id: viewerId, safeguarding_lead: 0 },
    ])
    const audited = await service.database.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id'])
      .where('action', 'like', 'staff.safeguarding-lead-%')
      .orderBy('id')
      .execute()
    expect(audited).toEqual([
      { action: 'staff.safeguarding-lead-given', subject_id: ids.user },
      { action: 'staff.safeguarding-lead-removed', subject_id: ids.user },
    ])
  })

  it('does not let a viewer or a member of staff make anyone an administrator or invite anyone', async () => {
    for (const who of ['viewer', 'staff'] as const) {
      const promote = await clients[who].post(`/staff/users/${ids.user}`, { intent: 'change-role', role: 'admin' })
      expect(promote.status).toBe(403)
      const invite = await clients[who].post('/staff/users/invite', {
        name: 'Mallory',
        email: `mallory-${who}@example.org`,
        role: 'admin',
      })
      expect(invite.status).toBe(403)
    }
    const bystander = await service.database.db
      .selectFrom('staff_user')
      .select('role')
      .where('id', '=', Number(ids.user))
      .executeTakeFirstOrThrow()
    expect(bystander.role).toBe('staff')
    const mallory = await service.database.db
      .selectFrom('staff_user')
      .select('id')
      .where('email', 'like', 'mallory-%')
      .execute()
    expect(mallory).toEqual([])
  })

  it('does not show a viewer a register or its CSV, or who booked', async () => {
    for (const pathname of [
      `/staff/activities/${ids.activity}/register`,
      `/staff/activities/${ids.activity}/register.csv`,
      `/staff/activities/${ids.activity}`,
    ]) {
      const response = await clients.viewer.get(pathname)
      expect(response.status, pathname).toBe(403)
      expect(await response.text(), pathname).not.toContain('Role matrix session')
    }
  })

  it('offers the row-level places CSV on the report page to staff and admins, and not to viewers', async () => {
    const link = /href="\/staff\/reports\/places\.csv\?[^"]*"/
    expect(await (await clients.viewer.get('/staff/reports')).text()).not.toMatch(link)
    expect(await (await clients.staff.get('/staff/reports')).text()).toMatch(link)
    expect(await (await clients.admin.get('/staff/reports')).text()).toMatch(link)
  })

  describe('each view of personal data by a member of staff writes exactly one audit entry naming them', () => {
    /**
     * [what is viewed, method, path, the entry expected (actor and address are checked for all),
     * the form, and who looks (staff unless said) with the status they get (200 unless said)]
     */
    type View = [
      name: string,
      method: Method,
      template: string,
      expected: { action: string; subject_type: string | null; subject_id: string | null; detail: unknown },
      form?: Record<string, string>,
      as?: { who: 'staff' | 'admin' | 'lead'; status: number },
    ]
    // The London month, read here with Intl rather than the app's own time module.
    const thisMonth = () =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' }).format(
        new Date(),
      )
    const views = (): View[] => [
      [
        'who booked a session',
        'GET',
        '/staff/activities/:activity',
        { action: 'bookings.viewed', subject_type: 'activity', subject_id: ids.activity!, detail: null },
      ],
      [
        'a register',
        'GET',
        '/staff/activities/:activity/register',
        {
          action: 'register.viewed',
          subject_type: 'activity',
          subject_id: ids.activity!,
          detail: { rows: 1, shown: ['consents', 'emergency numbers'] },
        },
      ],
      [
        "a register's CSV",
        'GET',
        '/staff/activities/:activity/register.csv',
        {
          action: 'register.exported',
          subject_type: 'activity',
          subject_id: ids.activity!,
          detail: { format: 'csv', rows: 1 },
        },
      ],
      [
        "families' comments",
        'GET',
        '/staff/activities/:activity/feedback',
        { action: 'feedback.viewed', subject_type: 'activity', subject_id: ids.activity!, detail: null },
      ],
      [
        "a month's mailing-list changes",
        'GET',
        '/staff/mailing-list',
        { action: 'mailing-list.viewed', subject_type: 'mailing-list', subject_id: thisMonth(), detail: null },
      ],
      [
        'the mailing-list CSV',
        'GET',
        '/staff/mailing-list.csv',
        {
          action: 'mailing-list.exported',
          subject_type: 'mailing-list',
          subject_id: null,
          detail: { format: 'csv', subscribers: 1 },
        },
      ],
      [
        'the Adoptables members',
        'GET',
        '/staff/members',
        { action: 'members.viewed', subject_type: null, subject_id: null, detail: null },
      ],
      [
        "a family's page",
        'GET',
        '/staff/families/:family',
        { action: 'family.viewed', subject_type: 'family', subject_id: ids.family!, detail: null },
      ],
      [
        'an email in the outbox',
        'GET',
        '/staff/outbox/:outbox',
        { action: 'outbox.viewed', subject_type: 'outbox', subject_id: ids.outbox!, detail: null },
      ],
      [
        "a search for someone's details before erasing",
        'POST',
        '/staff/erasure',
        {
          action: 'personal-data.searched',
          subject_type: null,
          subject_id: null,
          detail: { bookings: 1, members: 0, emails: 'counted below' },
        },
        { intent: 'find', email: 'pat@example.org' },
      ],
      [
        "someone's details shown again by Erase without the confirmation ticked",
        'POST',
        '/staff/erasure',
        {
          action: 'personal-data.searched',
          subject_type: null,
          subject_id: null,
          detail: { bookings: 1, members: 0, emails: 'counted below' },
        },
        { intent: 'erase', email: 'pat@example.org' },
        { who: 'staff', status: 400 },
      ],
      [
        'the list of emails in the outbox',
        'GET',
        '/staff/outbox',
        {
          action: 'outbox.listed',
          subject_type: 'outbox',
          subject_id: null,
          detail: { status: 'all', shown: 'counted below' },
        },
      ],
      [
        'the audit log',
        'GET',
        '/staff/audit',
        { action: 'audit.viewed', subject_type: null, subject_id: null, detail: null },
        undefined,
        { who: 'admin', status: 200 },
      ],
      [
        'the first names on the record-a-concern form',
        'GET',
        '/staff/activities/:activity/concerns/new',
        { action: 'concern.form-viewed', subject_type: 'activity', subject_id: ids.activity!, detail: null },
      ],
      [
        'the list of safeguarding concerns',
        'GET',
        '/staff/concerns',
        { action: 'concerns.listed', subject_type: 'concern', subject_id: null, detail: { open: 1, closed: 0 } },
        undefined,
        { who: 'lead', status: 200 },
      ],
      [
        'a safeguarding concern',
        'GET',
        '/staff/concerns/:concern',
        { action: 'concern.viewed', subject_type: 'concern', subject_id: ids.concern!, detail: null },
        undefined,
        { who: 'lead', status: 200 },
      ],
    ]

    async function staffId(who: 'staff' | 'admin' | 'lead'): Promise<number> {
      if (who === 'lead') {
        const lead = await service.database.db
          .selectFrom('staff_user')
          .select('id')
          .where('email', '=', 'lead@example.org')
          .executeTakeFirstOrThrow()
        return lead.id
      }
      // The shared "staff" client is the one member of staff signed in by startTestService's helper;
      // the shared "admin" client is the first administrator.
      const row = await service.database.db
        .selectFrom('staff_user')
        .select('id')
        .where((eb) =>
          who === 'admin'
            ? eb('email', '=', ADMIN.email)
            : eb.and([eb('role', '=', 'staff'), eb('email', 'like', 'staff%@example.org')]),
        )
        .executeTakeFirstOrThrow()
      return row.id
    }

    async function lastAuditId(): Promise<number> {
      const row = await service.database.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst()
      return Number(row?.id ?? 0)
    }

    /** Entries after `after` that name a staff member or have this action (the service's own jobs write others). */
    async function entriesSince(after: number, action: string) {
      const rows = await service.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_user_id', 'subject_type', 'subject_id', 'detail', 'ip'])
        .where('id', '>', after)
        .where((eb) => eb.or([eb('actor_user_id', 'is not', null), eb('action', '=', action)]))
        .orderBy('id')
        .execute()
      return rows.map((r) => ({ ...r, detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown) }))
    }

    it.each(views().map(([name]) => name))('%s', async (name) => {
      const [, method, template, expected, form, as = { who: 'staff', status: 200 }] = views().find(
        ([n]) => n === name,
      )!
      if (expected.action === 'outbox.listed') {
        const emails = await service.database.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
        expected.detail = { status: 'all', shown: Number(emails.n) }
      }
      if (expected.action === 'personal-data.searched') {
        const emails = await service.database.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('to_address', '=', 'pat@example.org')
          .executeTakeFirstOrThrow()
        expected.detail = { bookings: 1, members: 0, emails: Number(emails.n) }
      }
      const send = (client: HttpClient) =>
        method === 'GET' ? client.get(realPath(template)) : client.post(realPath(template), form ?? {})

      // A viewer is turned away before anything is read, so nothing is recorded for them.
      const beforeViewer = await lastAuditId()
      const refused = await send(clients.viewer)
      await refused.arrayBuffer()
      expect(refused.status).toBe(403)
      expect(await entriesSince(beforeViewer, expected.action)).toEqual([])

      const before = await lastAuditId()
      const response = await send(clients[as.who])
      await response.arrayBuffer()
      expect(response.status).toBe(as.status)
      expect(await entriesSince(before, expected.action)).toEqual([
        { ...expected, actor_user_id: await staffId(as.who), ip: expect.stringMatching(/127\.0\.0\.1/) },
      ])
    })
  })
})
