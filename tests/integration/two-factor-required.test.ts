// Two-factor is required for admin and staff (set up at the first sign-in
// after the change), with single-use recovery codes stored hashed; viewers may opt in. Changing
// two-factor ends the person's other sessions; staff change their own password and sign out
// everywhere. Codes are computed here with otpauth, as a phone would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import type { Role } from '../../db/schema'
import { ADMIN, HttpClient, startTestService, type TestService } from '../support/service'
import { nextCode, secretFromPage } from '../support/two-factor'

let service: TestService
let admin: HttpClient

beforeAll(async () => {
  service = await startTestService()
  admin = await service.signIn(ADMIN)
})

afterAll(async () => {
  await service?.close()
})

let made = 0
async function newPerson(role: Role) {
  made += 1
  const email = `required${made}@example.org`
  const password = `a long enough password ${made}`
  const id = await createStaffUser(service.database.db, { email, name: `Required ${made}`, password, role })
  return { id, email, password }
}

/** Signs in with the password only, as the person would before any code. */
async function passwordOnly(person: { email: string; password: string }, redirectTo?: string): Promise<HttpClient> {
  const client = service.client()
  const response = await client.post('/staff/sign-in', {
    email: person.email,
    password: person.password,
    ...(redirectTo ? { redirectTo } : {}),
  })
  expect(response.status).toBe(302)
  return client
}

async function user(id: number) {
  return service.database.db.selectFrom('staff_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function auditActions(id: number): Promise<string[]> {
  const rows = await service.database.db
    .selectFrom('audit_log')
    .select('action')
    .where('actor_user_id', '=', id)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.action)
}

function recoveryCodesIn(html: string): string[] {
  return [...html.matchAll(/<code class="recovery-code">([a-z2-9]{5}-[a-z2-9]{5})<\/code>/g)].map((m) => m[1]!)
}

/** Sets two-factor up from the set-up page; returns the secret and the recovery codes shown. */
async function setUp(client: HttpClient, email: string, redirectTo = '') {
  const page = await client.get(`/staff/two-factor${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}`)
  expect(page.status).toBe(200)
  const secret = secretFromPage(await page.text())
  const confirmed = await client.post('/staff/two-factor', {
    intent: 'confirm',
    code: await nextCode(service.url, email, secret),
    redirectTo,
  })
  expect(confirmed.status).toBe(200)
  const html = await confirmed.text()
  return { secret, codes: recoveryCodesIn(html), html }
}

describe('two-factor is required for admin and staff', () => {
  for (const role of ['admin', 'staff'] as const) {
    it(`sends ${role} without two-factor from every staff page to set it up, then back`, async () => {
      const person = await newPerson(role)
      const client = await passwordOnly(person, '/staff/reports')
      for (const pathname of ['/staff', '/staff/reports', '/staff/account', '/staff/activities/new']) {
        const response = await client.get(pathname)
        expect(response.status, pathname).toBe(302)
        expect(response.headers.get('location'), pathname).toBe(
          `/staff/two-factor?redirectTo=${encodeURIComponent(pathname)}`,
        )
      }
      // A POST elsewhere does nothing but send them to set up.
      const post = await client.post('/staff/account', { intent: 'sign-out-everywhere' })
      expect(post.status).toBe(302)
      expect(post.headers.get('location')).toBe('/staff/two-factor')

      const page = await (await client.get('/staff/two-factor?redirectTo=%2Fstaff%2Freports')).text()
      expect(page).toContain('Set up two-factor authentication')
      expect(page).not.toContain('value="cancel"')
      expect((await client.post('/staff/two-factor', { intent: 'cancel' })).headers.get('location')).toBe(
        '/staff/two-factor',
      )

      const { codes, html } = await setUp(client, person.email, '/staff/reports')
      expect(codes).toHaveLength(10)
      expect(new Set(codes).size).toBe(10)
      expect(html).toContain('href="/staff/reports"')
      expect((await client.get('/staff/reports')).status).toBe(200)
      expect((await user(person.id)).totp_secret).not.toBeNull()
      expect(await auditActions(person.id)).toEqual(['staff.signed-in', 'staff.two-factor-enabled'])
    })
  }

  it('lets a viewer in with the password alone, and lets them opt in', async () => {
    const person = await newPerson('viewer')
    const client = await passwordOnly(person)
    expect((await client.get('/staff/reports')).status).toBe(200)
    const account = await (await client.get('/staff/account')).text()
    expect(account).toContain('Set up two-factor authentication')
    const { codes } = await setUp(client, person.email)
    expect(codes).toHaveLength(10)
    // From now on the viewer needs a code too.
    const again = service.client()
    const password = await again.post('/staff/sign-in', { email: person.email, password: person.password })
    expect(password.headers.get('location')).toBe('/staff/sign-in?step=code')
  })

  it('does not let admin or staff turn their own two-factor off', async () => {
    const person = await newPerson('staff')
    const client = await service.signIn(person)
    const account = await (await client.get('/staff/account')).text()
    expect(account).not.toContain('Turn off two-factor authentication')
    const refused = await client.post('/staff/account', { intent: 'turn-off', code: '123456' })
    expect(refused.status).toBe(302)
    expect((await user(person.id)).totp_secret).not.toBeNull()
  })
})

describe('recovery codes', () => {
  it('signs in once with each code, stores only hashes, and new codes replace the old', async () => {
    const person = await newPerson('staff')
    const client = await passwordOnly(person)
    const { secret, codes } = await setUp(client, person.email)
    const stored = await service.database.db
      .selectFrom('staff_recovery_code')
      .selectAll()
      .where('user_id', '=', person.id)
      .execute()
    expect(stored).toHaveLength(10)
    const storedText = JSON.stringify(stored)
    for (const code of codes) {
      expect(storedText).not.toContain(code)
      expect(storedText).not.toContain(code.replace('-', ''))
    }

    const withCode = async (code: string) => {
      const c = await passwordOnly(person)
      return c.post('/staff/sign-in?step=code', { intent: 'code', code })
    }
    const first = await withCode(codes[0]!.toUpperCase().replace('-', ' '))
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe('/staff')
    const reused = await withCode(codes[0]!)
    expect(reused.status).toBe(401)
    // Two sign-ins at once with one code: only one gets in.
    const [one, two] = await Promise.all([passwordOnly(person), passwordOnly(person)])
    const both = await Promise.all(
      [one, two].map((c) => c.post('/staff/sign-in?step=code', { intent: 'code', code: codes[2]! })),
    )
    expect(both.filter((r) => r.status === 302)).toHaveLength(1)

    const remade = await client.post('/staff/account', {
      intent: 'new-recovery-codes',
      recoveryCodesCode: await nextCode(service.url, person.email, secret),
    })
    expect(remade.status).toBe(200)
    const fresh = recoveryCodesIn(await remade.text())
    expect(fresh).toHaveLength(10)
    expect(fresh).not.toContain(codes[1])
    expect((await withCode(codes[1]!)).status).toBe(401)
    expect((await withCode(fresh[0]!)).status).toBe(302)

    const audit = await service.database.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('actor_user_id', '=', person.id)
      .where('action', 'in', ['staff.signed-in', 'staff.recovery-codes-replaced'])
      .orderBy('id')
      .execute()
    expect(audit.map((a) => [a.action, a.detail])).toEqual([
      ['staff.signed-in', null],
      ['staff.signed-in', JSON.stringify({ twoFactor: true, recoveryCode: true })],
      ['staff.signed-in', JSON.stringify({ twoFactor: true, recoveryCode: true })],
      ['staff.recovery-codes-replaced', null],
      ['staff.signed-in', JSON.stringify({ twoFactor: true, recoveryCode: true })],
    ])
  })
})

describe('changing two-factor ends the person’s other sessions', () => {
  it('ends other sessions when two-factor is set up and when new recovery codes are made', async () => {
    const person = await newPerson('viewer')
    const laptop = await passwordOnly(person)
    const phone = await passwordOnly(person)
    const { secret } = await setUp(phone, person.email)
    expect((await phone.get('/staff/reports')).status).toBe(200)
    expect((await laptop.get('/staff/reports')).status).toBe(302)

    const tablet = await service.signIn({ ...person, totpSecret: secret })
    await phone.post('/staff/account', {
      intent: 'new-recovery-codes',
      recoveryCodesCode: await nextCode(service.url, person.email, secret),
    })
    expect((await phone.get('/staff/reports')).status).toBe(200)
    expect((await tablet.get('/staff/reports')).status).toBe(302)
  })

  it('ends all their sessions when an administrator turns it off, and asks staff to set it up again', async () => {
    const person = await newPerson('staff')
    const client = await service.signIn(person)
    expect((await client.get('/staff')).status).toBe(200)
    const off = await admin.post(`/staff/users/${person.id}`, { intent: 'turn-off-two-factor' })
    expect(off.status).toBe(302)
    expect((await client.get('/staff')).status).toBe(302)
    expect((await client.get('/staff')).headers.get('location')).toBe('/staff/sign-in?redirectTo=%2Fstaff')
    const again = await passwordOnly(person)
    expect((await again.get('/staff')).headers.get('location')).toBe('/staff/two-factor?redirectTo=%2Fstaff')
    expect(
      await service.database.db
        .selectFrom('staff_recovery_code')
        .selectAll()
        .where('user_id', '=', person.id)
        .execute(),
    ).toEqual([])
  })
})

describe('your own password and sessions', () => {
  it('changes the password with the current one, by the password rules, ending other sessions', async () => {
    const person = await newPerson('staff')
    const here = await service.signIn(person)
    const elsewhere = await service.signIn(person)

    const wrong = await here.post('/staff/account', {
      intent: 'change-password',
      currentPassword: 'not my password at all',
      newPassword: 'violet kettle harbour 93 lantern',
      confirmPassword: 'violet kettle harbour 93 lantern',
    })
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toContain('Your current password is not correct')
    const weak = await here.post('/staff/account', {
      intent: 'change-password',
      currentPassword: person.password,
      newPassword: 'short',
      confirmPassword: 'short',
    })
    expect(weak.status).toBe(400)
    // The message is the password rules' own (app/auth/password.server.ts), by the new password's field.
    expect(await weak.text()).toContain('id="newPassword-error"')
    const mismatch = await here.post('/staff/account', {
      intent: 'change-password',
      currentPassword: person.password,
      newPassword: 'violet kettle harbour 93 lantern',
      confirmPassword: 'violet kettle harbour 93 lanterns',
    })
    expect(mismatch.status).toBe(400)
    expect(await mismatch.text()).toContain('The passwords do not match')
    expect((await elsewhere.get('/staff')).status).toBe(200)

    const changed = await here.post('/staff/account', {
      intent: 'change-password',
      currentPassword: person.password,
      newPassword: 'violet kettle harbour 93 lantern',
      confirmPassword: 'violet kettle harbour 93 lantern',
    })
    expect(changed.status).toBe(302)
    expect(changed.headers.get('location')).toBe('/staff/account?notice=password-changed')
    expect((await here.get('/staff')).status).toBe(200)
    expect((await elsewhere.get('/staff')).status).toBe(302)
    const old = await service.client().post('/staff/sign-in', { email: person.email, password: person.password })
    expect(old.status).toBe(401)
    await service.signIn({ email: person.email, password: 'violet kettle harbour 93 lantern' })
    const actions = await auditActions(person.id)
    expect(actions).toContain('staff.password-change-failed')
    expect(actions).toContain('staff.password-changed')
  })

  it('signs out everywhere, this session too', async () => {
    const person = await newPerson('staff')
    const here = await service.signIn(person)
    const elsewhere = await service.signIn(person)
    const out = await here.post('/staff/account', { intent: 'sign-out-everywhere' })
    expect(out.status).toBe(302)
    expect(out.headers.get('location')).toBe('/staff/sign-in?notice=signed-out-everywhere')
    expect((await here.get('/staff')).status).toBe(302)
    expect((await elsewhere.get('/staff')).status).toBe(302)
    expect(await auditActions(person.id)).toContain('staff.signed-out-everywhere')
    expect(
      await service.database.db.selectFrom('staff_session').selectAll().where('user_id', '=', person.id).execute(),
    ).toEqual([])
  })
})
