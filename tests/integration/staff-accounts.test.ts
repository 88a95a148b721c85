// Staff accounts over real HTTP: invitations and set-password links, roles, disabling, the last
// administrator, TOTP two-factor sign-in (codes computed here with otpauth, as a phone would),
// and the audit log viewer's filters.
import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecretBox, totpPurpose } from '../../app/auth/secret-box.server'
import { hashToken } from '../../app/auth/tokens.server'
import { recordAudit } from '../../app/domain/audit.server'
import { disableStaff, changeRole } from '../../app/domain/staff-accounts.server'
import { createStaffUser } from '../../app/domain/staff.server'
import type { Role } from '../../db/schema'
import { ADMIN, HttpClient, startTestService, TEST_SECRET_KEY, type TestService } from '../support/service'
import { knownSecret, nextCode, secretFromPage } from '../support/two-factor'

// Every wrong password or code here also counts against 127.0.0.1's limit (20 in 15 minutes):
// this file stays well under it, so keep new failures few.
let service: TestService
let admin: HttpClient
let adminId: number

beforeAll(async () => {
  service = await startTestService()
  admin = await signIn(ADMIN.email, ADMIN.password)
  adminId = (await userByEmail(ADMIN.email)).id
})

afterAll(async () => {
  await service?.close()
})

/** Signs in with the password and, for admin and staff, a code (setting two-factor up the first time). */
async function signIn(email: string, password: string): Promise<HttpClient> {
  const client = await service.signIn({ email, password })
  expect((await client.get('/staff/account')).status, `sign-in for ${email}`).toBe(200)
  return client
}

async function userByEmail(email: string) {
  return service.database.db.selectFrom('staff_user').selectAll().where('email', '=', email).executeTakeFirstOrThrow()
}

let made = 0
/** A new account with a known password, and a client signed in as it. */
async function newStaff(role: Role): Promise<{ id: number; email: string; password: string; client: HttpClient }> {
  made += 1
  const email = `person${made}@example.org`
  const password = `a long enough password ${made}`
  const id = await createStaffUser(service.database.db, { email, name: `Person ${made}`, password, role })
  return { id, email, password, client: await signIn(email, password) }
}

/** The set-password link's token from the newest email of this kind to this address. */
async function linkToken(to: string, kind: 'staff-invite' | 'staff-password-reset'): Promise<string> {
  const email = await service.database.db
    .selectFrom('outbox')
    .select(['text_body', 'html_body', 'subject'])
    .where('to_address', '=', to)
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const match = /\/staff\/set-password\?token=([\w-]+)/.exec(email.text_body)
  expect(match, 'set-password link in the email').not.toBeNull()
  expect(email.html_body).toContain(`/staff/set-password?token=${match![1]}`)
  return match![1]!
}

async function auditActions(subjectId: number): Promise<string[]> {
  const rows = await service.database.db
    .selectFrom('audit_log')
    .select('action')
    .where('subject_type', '=', 'staff_user')
    .where('subject_id', '=', String(subjectId))
    .orderBy('id')
    .execute()
  return rows.map((r) => r.action)
}

describe('inviting staff', () => {
  it('invites by email; the link sets a password once, and then they can sign in', async () => {
    const response = await admin.post('/staff/users/invite', {
      name: 'Priya Shah',
      email: ' Priya@Example.org ',
      role: 'staff',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/staff/users?notice=invited')
    const list = await (await admin.get('/staff/users')).text()
    expect(list).toContain('Priya Shah')
    expect(list).toContain('priya@example.org')
    expect(list).toContain('Invited')

    const token = await linkToken('priya@example.org', 'staff-invite')
    // Only the token's hash is stored.
    const stored = await service.database.db.selectFrom('staff_password_token').selectAll().execute()
    expect(stored.map((t) => t.token_hash)).toContain(hashToken(token))
    expect(JSON.stringify(stored)).not.toContain(token)

    // No password yet: signing in fails like any wrong password.
    const early = await service
      .client()
      .post('/staff/sign-in', { email: 'priya@example.org', password: 'anything at all here' })
    expect(early.status).toBe(401)

    const person = service.client()
    const page = await person.get(`/staff/set-password?token=${token}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Create your password')
    expect(html).toContain('priya@example.org')
    expect(page.headers.get('cache-control')).toBe('no-store')

    // The form posts back to its own address, token and all, as a browser does.
    const weak = await person.post(`/staff/set-password?token=${token}`, { token, password: 'short' })
    expect(weak.status).toBe(400)
    const weakHtml = await weak.text()
    expect(weakHtml).toContain('There is a problem')
    expect(weakHtml).toContain('href="#password"')
    expect(weakHtml).toContain('Password must be 12 characters or more')

    const set = await person.post(`/staff/set-password?token=${token}`, { token, password: 'priya chooses a long one' })
    expect(set.status).toBe(302)
    expect(set.headers.get('location')).toBe('/staff/sign-in?notice=password-set')
    expect(await (await person.get('/staff/sign-in?notice=password-set')).text()).toContain(
      'Your password has been set',
    )

    const priya = await signIn('priya@example.org', 'priya chooses a long one')
    expect((await priya.get('/staff')).status).toBe(200)
    expect((await priya.get('/staff/users')).status).toBe(403)

    // The link worked once.
    expect(await (await service.client().get(`/staff/set-password?token=${token}`)).text()).toContain(
      'This link has expired or has already been used',
    )
    const again = await service.client().post('/staff/set-password', { token, password: 'someone else takes over' })
    expect(again.status).toBe(400)
    await signIn('priya@example.org', 'priya chooses a long one')

    const user = await userByEmail('priya@example.org')
    expect(user.role).toBe('staff')
    expect(user.last_signed_in_at).not.toBeNull()
    // Staff set two-factor up at their first sign-in.
    expect(await auditActions(user.id)).toEqual(['staff.invited', 'staff.password-set', 'staff.two-factor-enabled'])
  })

  it('keeps what was typed and explains each problem on a wrong invitation, and refuses a second account for one email', async () => {
    const empty = await admin.post('/staff/users/invite', { name: '', email: 'not-an-email', role: 'owner' })
    expect(empty.status).toBe(400)
    const html = await empty.text()
    expect(html).toContain('Enter their name')
    expect(html).toContain('Enter an email address in the correct format, like name@example.org')
    expect(html).toContain('Select what they can do')
    expect(html).toContain('value="not-an-email"')
    const taken = await admin.post('/staff/users/invite', { name: 'Again', email: ADMIN.email, role: 'viewer' })
    expect(taken.status).toBe(400)
    expect(await taken.text()).toContain('There is already a staff account with this email address')
  })

  it('sends a password reset whose link expires, and a newer link replaces the older one', async () => {
    const person = await newStaff('staff')
    const first = await admin.post(`/staff/users/${person.id}`, { intent: 'reset-password' })
    expect(first.headers.get('location')).toBe(`/staff/users/${person.id}?notice=reset-sent`)
    const firstToken = await linkToken(person.email, 'staff-password-reset')
    await admin.post(`/staff/users/${person.id}`, { intent: 'reset-password' })
    const secondToken = await linkToken(person.email, 'staff-password-reset')
    expect(secondToken).not.toBe(firstToken)
    expect(
      (await service.client().post('/staff/set-password', { token: firstToken, password: 'replaced link password' }))
        .status,
    ).toBe(400)

    // A day and a bit later the newer one has expired too.
    await service.database.db
      .updateTable('staff_password_token')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', hashToken(secondToken))
      .execute()
    expect(await (await service.client().get(`/staff/set-password?token=${secondToken}`)).text()).toContain(
      'This link has expired or has already been used',
    )
    expect(
      (await service.client().post('/staff/set-password', { token: secondToken, password: 'expired link password' }))
        .status,
    ).toBe(400)
    // The old password still works: nothing changed.
    await signIn(person.email, person.password)
    expect(await auditActions(person.id)).toEqual([
      'staff.two-factor-enabled',
      'staff.password-reset-sent',
      'staff.password-reset-sent',
    ])
  })

  it('shows a reset link in the outbox to administrators only, so staff cannot take over an admin account', async () => {
    const target = await newStaff('admin')
    await admin.post(`/staff/users/${target.id}`, { intent: 'reset-password' })
    const token = await linkToken(target.email, 'staff-password-reset')
    const row = await service.database.db
      .selectFrom('outbox')
      .select('id')
      .where('to_address', '=', target.email)
      .where('kind', '=', 'staff-password-reset')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const colleague = await newStaff('staff')
    const seenByStaff = await colleague.client.get(`/staff/outbox/${row.id}`)
    expect(seenByStaff.status).toBe(200)
    const staffPage = await seenByStaff.text()
    expect(staffPage).not.toContain(token)
    expect(staffPage).toContain('Only administrators can read it.')
    expect(await (await admin.get(`/staff/outbox/${row.id}`)).text()).toContain(token)
    // Later tests count on one active administrator.
    expect((await admin.post(`/staff/users/${target.id}`, { intent: 'confirm-disable' })).status).toBe(302)
  })

  it('ends the person’s sessions when a reset link sets a new password', async () => {
    const person = await newStaff('staff')
    await admin.post(`/staff/users/${person.id}`, { intent: 'reset-password' })
    const token = await linkToken(person.email, 'staff-password-reset')
    expect((await person.client.get('/staff')).status).toBe(200)
    expect(
      (await service.client().post('/staff/set-password', { token, password: 'a brand new password' })).status,
    ).toBe(302)
    expect((await person.client.get('/staff')).status).toBe(302)
    await signIn(person.email, 'a brand new password')
    expect(
      (await service.client().post('/staff/sign-in', { email: person.email, password: person.password })).status,
    ).toBe(401)
  })
})

describe('roles and access', () => {
  it('applies a role change at once, without signing in again', async () => {
    const person = await newStaff('staff')
    expect((await person.client.get('/staff/activities/new')).status).toBe(200)
    const changed = await admin.post(`/staff/users/${person.id}`, { intent: 'change-role', role: 'viewer' })
    expect(changed.headers.get('location')).toBe(`/staff/users/${person.id}?notice=role-changed`)
    expect((await person.client.get('/staff/activities/new')).status).toBe(403)
    expect((await person.client.get('/staff/reports')).status).toBe(200)
    await admin.post(`/staff/users/${person.id}`, { intent: 'change-role', role: 'admin' })
    expect((await person.client.get('/staff/users')).status).toBe(200)
    // With two administrators, either may be disabled: this one goes, so the next test starts with one.
    expect((await admin.post(`/staff/users/${person.id}`, { intent: 'confirm-disable' })).status).toBe(302)
    const entry = await service.database.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'detail'])
      .where('action', '=', 'staff.role-changed')
      .where('subject_id', '=', String(person.id))
      .orderBy('id')
      .execute()
    expect(entry.map((e) => JSON.parse(e.detail!))).toEqual([
      { from: 'staff', to: 'viewer' },
      { from: 'viewer', to: 'admin' },
    ])
    expect(entry[0]!.actor_user_id).toBe(adminId)
  })

  it('ends a disabled person’s sessions at once, refuses their sign-in, and lets them back when enabled', async () => {
    const person = await newStaff('staff')
    expect((await person.client.get('/staff')).status).toBe(200)
    const disabled = await admin.post(`/staff/users/${person.id}`, { intent: 'confirm-disable' })
    expect(disabled.headers.get('location')).toBe(`/staff/users/${person.id}?notice=disabled`)
    const after = await person.client.get('/staff')
    expect(after.status).toBe(302)
    expect(after.headers.get('location')).toMatch(/^\/staff\/sign-in/)
    const sessions = await service.database.db
      .selectFrom('staff_session')
      .select('id')
      .where('user_id', '=', person.id)
      .execute()
    expect(sessions).toEqual([])
    const refused = await service.client().post('/staff/sign-in', { email: person.email, password: person.password })
    expect(refused.status).toBe(401)
    expect(await refused.text()).toContain('Enter a correct email address and password')
    expect(await (await admin.get('/staff/users')).text()).toContain('Disabled')

    // A password link cannot bring a disabled account back.
    const reset = await admin.post(`/staff/users/${person.id}`, { intent: 'reset-password' })
    expect(reset.status).toBe(400)

    await admin.post(`/staff/users/${person.id}`, { intent: 'enable' })
    await signIn(person.email, person.password)
    expect(await auditActions(person.id)).toEqual(['staff.two-factor-enabled', 'staff.disabled', 'staff.enabled'])
  })

  it('never leaves the service without an active administrator', async () => {
    // The test service starts with one administrator.
    const demote = await admin.post(`/staff/users/${adminId}`, { intent: 'change-role', role: 'staff' })
    expect(demote.status).toBe(400)
    const html = await demote.text()
    expect(html).toContain('There is a problem')
    expect(html).toContain('This is the only active administrator')
    const self = await admin.post(`/staff/users/${adminId}`, { intent: 'disable' })
    expect(self.status).toBe(400)
    expect(await self.text()).toContain('You cannot disable your own account')
    // The rule holds in the domain too, whoever asks.
    expect(await disableStaff(service.database.db, adminId, { userId: 999_999 })).toEqual({ status: 'last-admin' })
    expect(await changeRole(service.database.db, adminId, 'viewer', { userId: 999_999 })).toEqual({
      status: 'last-admin',
    })
    const me = await userByEmail(ADMIN.email)
    expect([me.role, me.disabled]).toEqual(['admin', 0])

    // With a second active administrator, the first may step down; then the second is the last.
    const second = await newStaff('admin')
    const stepDown = await admin.post(`/staff/users/${adminId}`, { intent: 'change-role', role: 'staff' })
    expect(stepDown.headers.get('location')).toBe('/staff')
    expect((await admin.get('/staff/users')).status).toBe(403)
    const last = await second.client.post(`/staff/users/${second.id}`, { intent: 'change-role', role: 'viewer' })
    expect(last.status).toBe(400)
    await second.client.post(`/staff/users/${adminId}`, { intent: 'change-role', role: 'admin' })
    expect((await userByEmail(ADMIN.email)).role).toBe('admin')
  })

  it('refuses a made-up action and an unknown account', async () => {
    expect((await admin.post(`/staff/users/${adminId}`, { intent: 'delete-everything' })).status).toBe(400)
    expect((await admin.post(`/staff/users/${adminId}`, { intent: 'change-role', role: 'owner' })).status).toBe(400)
    expect((await admin.get('/staff/users/999999')).status).toBe(404)
    expect((await admin.get('/staff/users/not-a-number')).status).toBe(404)
  })
})

describe('two-factor sign-in (TOTP)', () => {
  function codeFor(secret: string, step: number): string {
    return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: step * 30_000 })
  }
  const nowStep = () => Math.floor(Date.now() / 30_000)
  /** Six digits that are not a valid code at the moment (nor a step either side). */
  function notACode(secret: string, start = 100000): string {
    const valid = [-1, 0, 1].map((d) => codeFor(secret, nowStep() + d))
    let candidate = start
    while (valid.includes(String(candidate))) candidate += 1
    return String(candidate)
  }

  async function lastStep(id: number): Promise<number> {
    const row = await service.database.db
      .selectFrom('staff_user')
      .select('totp_last_step')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    return row.totp_last_step!
  }

  /**
   * The person's secret with two-factor on: admin and staff set it up at their first sign-in
   * (signIn did, from the set-up page); a viewer turns it on from the account page, as they would.
   */
  async function turnOn(person: { id: number; email: string; client: HttpClient }): Promise<string> {
    const known = knownSecret(service.url, person.email)
    if (known) return known
    const started = await person.client.post('/staff/account', { intent: 'start-setup' })
    expect(started.headers.get('location')).toBe('/staff/two-factor')
    const page = await (await person.client.get('/staff/two-factor')).text()
    const secret = secretFromPage(page)
    // The key is also shown as text to type, in groups of four.
    expect(page).toContain(secret.slice(0, 4) + ' ' + secret.slice(4, 8))
    const confirmed = await person.client.post('/staff/two-factor', {
      intent: 'confirm',
      code: await nextCode(service.url, person.email, secret),
    })
    expect(confirmed.status).toBe(200)
    const confirmedText = await confirmed.text()
    expect(confirmedText).toContain('Two-factor authentication is on')
    expect(confirmedText).toContain('<title>Two-factor authentication is on – Join In staff</title>')
    return secret
  }

  it('asks for a code after the right password, refuses a wrong or replayed code, and signs in with a new one', async () => {
    // A viewer, who may choose two-factor (admin and staff must have it; two-factor-required.test.ts).
    const person = await newStaff('viewer')
    const wrongFirst = await (async () => {
      await person.client.post('/staff/account', { intent: 'start-setup' })
      await person.client.get('/staff/two-factor')
      return person.client.post('/staff/two-factor', { intent: 'confirm', code: '000000' })
    })()
    expect(wrongFirst.status).toBe(400)
    expect(await wrongFirst.text()).toContain('The code is not correct')
    expect((await userByEmail(person.email)).totp_secret).toBeNull()

    const secret = await turnOn(person)
    // Stored sealed with SECRET_KEY (secret-key.test.ts), never as the secret itself.
    const stored = (await userByEmail(person.email)).totp_secret!
    expect(stored).not.toContain(secret)
    expect(createSecretBox(TEST_SECRET_KEY).open(stored, totpPurpose(person.id))).toBe(secret)
    expect(await (await admin.get('/staff/users')).text()).toMatch(/Person \d+/)

    const client = service.client()
    const password = await client.post('/staff/sign-in', {
      email: person.email,
      password: person.password,
      redirectTo: '/staff/reports',
    })
    expect(password.status).toBe(302)
    expect(password.headers.get('location')).toBe('/staff/sign-in?step=code')
    // The password alone opens nothing.
    expect((await client.get('/staff')).status).toBe(302)
    const codePage = await client.get('/staff/sign-in?step=code')
    expect(await codePage.text()).toContain('Enter your security code')

    const empty = await client.post('/staff/sign-in?step=code', { intent: 'code', code: '' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Enter the 6-digit code from your authenticator app')
    const wrong = await client.post('/staff/sign-in?step=code', { intent: 'code', code: notACode(secret) })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toContain('The code is not correct')
    // The code that turned two-factor on has been used: it cannot be used again.
    const used = await lastStep(person.id)
    const replay = await client.post('/staff/sign-in?step=code', { intent: 'code', code: codeFor(secret, used) })
    expect(replay.status).toBe(401)

    const next = codeFor(secret, used + 1)
    const signedIn = await client.post('/staff/sign-in?step=code', {
      intent: 'code',
      code: `${next.slice(0, 3)} ${next.slice(3)}`,
    })
    expect(signedIn.status).toBe(302)
    expect(signedIn.headers.get('location')).toBe('/staff/reports')
    expect((await client.get('/staff/reports')).status).toBe(200)
    // The half-done sign-in is gone: the code form cannot be used twice.
    expect(
      await service.database.db
        .selectFrom('staff_sign_in_challenge')
        .selectAll()
        .where('user_id', '=', person.id)
        .execute(),
    ).toEqual([])
    const audit = await service.database.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('actor_user_id', '=', person.id)
      .where('action', 'in', ['staff.signed-in', 'staff.sign-in-code-failed', 'staff.two-factor-enabled'])
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual([
      'staff.signed-in',
      'staff.two-factor-enabled',
      'staff.sign-in-code-failed',
      'staff.sign-in-code-failed',
      'staff.signed-in',
    ])
    expect(JSON.parse(audit.at(-1)!.detail!)).toEqual({ twoFactor: true })
  })

  it('sends a code step that has timed out back to the password', async () => {
    const person = await newStaff('staff')
    const secret = await turnOn(person)
    const client = service.client()
    await client.post('/staff/sign-in', { email: person.email, password: person.password })
    await service.database.db
      .updateTable('staff_sign_in_challenge')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', person.id)
      .execute()
    const late = await client.post('/staff/sign-in?step=code', {
      intent: 'code',
      code: codeFor(secret, (await lastStep(person.id)) + 1),
    })
    expect(late.status).toBe(400)
    expect(await late.text()).toContain('Your sign-in timed out')
    expect((await client.get('/staff')).status).toBe(302)
    // Without the cookie at all, the code step is not offered.
    const restarted = await (await service.client().get('/staff/sign-in?step=code')).text()
    expect(restarted).toContain('Your sign-in timed out')
    // The page shows an error summary, so its title says so first.
    expect(restarted).toContain('<title>Error: Sign in – Join In staff</title>')
  })

  it('throttles wrong codes like wrong passwords', async () => {
    const person = await newStaff('staff')
    const secret = await turnOn(person)
    const client = service.client()
    await client.post('/staff/sign-in', { email: person.email, password: person.password })
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      const code = notACode(secret, 100000 + i * 1000)
      statuses.push((await client.post('/staff/sign-in?step=code', { intent: 'code', code })).status)
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401])
    // Five wrong codes used up this password: the account now waits, even with the right password.
    const blocked = await service.client().post('/staff/sign-in', { email: person.email, password: person.password })
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('needs a current code to turn two-factor off, after which the password is enough', async () => {
    const person = await newStaff('viewer')
    const secret = await turnOn(person)
    const noCode = await person.client.post('/staff/account', { intent: 'turn-off', code: '' })
    expect(noCode.status).toBe(400)
    expect(await noCode.text()).toContain('Enter the 6-digit code from your authenticator app')
    const wrongCode = await person.client.post('/staff/account', { intent: 'turn-off', code: '99999' })
    expect(wrongCode.status).toBe(400)
    expect((await userByEmail(person.email)).totp_secret).not.toBeNull()
    const off = await person.client.post('/staff/account', {
      intent: 'turn-off',
      code: codeFor(secret, (await lastStep(person.id)) + 1),
    })
    expect(off.headers.get('location')).toBe('/staff/account?notice=two-factor-off')
    expect((await userByEmail(person.email)).totp_secret).toBeNull()
    await signIn(person.email, person.password)
    expect(await auditActions(person.id)).toEqual(['staff.two-factor-enabled', 'staff.two-factor-disabled'])
  })

  it('lets an administrator turn off two-factor for someone who lost their phone', async () => {
    const person = await newStaff('staff')
    await turnOn(person)
    expect(await (await admin.get(`/staff/users/${person.id}`)).text()).toContain('Turn off two-factor authentication')
    const off = await admin.post(`/staff/users/${person.id}`, { intent: 'turn-off-two-factor' })
    expect(off.headers.get('location')).toBe(`/staff/users/${person.id}?notice=two-factor-off`)
    await signIn(person.email, person.password)
    const entry = await service.database.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'detail'])
      .where('action', '=', 'staff.two-factor-disabled')
      .where('subject_id', '=', String(person.id))
      .executeTakeFirstOrThrow()
    expect(entry.actor_user_id).toBe(adminId)
    expect(JSON.parse(entry.detail!)).toEqual({ byAdministrator: true })
  })
})

describe('the audit log viewer', () => {
  /** The action names in the page's table, in order. */
  function actionsIn(html: string): string[] {
    // the action column's cells (each may start with its column name, shown when the table reflows)
    return [
      ...html.matchAll(
        /<td[^>]*class="govuk-table__cell"[^>]*>(?:<span class="app-table__label"[^>]*>[^<]*<\/span>)?<code>([^<]+)<\/code><\/td>/g,
      ),
    ].map((m) => m[1]!)
  }

  it('shows entries newest first with who did them, and filters by action and by staff member', async () => {
    await recordAudit(service.database.db, {
      actorUserId: null,
      action: 'api.report-feed',
      subjectType: 'api_token',
      subjectId: 1,
      detail: { token: 'Power BI dashboard' },
    })
    await recordAudit(service.database.db, { actorUserId: null, action: 'retention.erased', detail: { places: 3 } })
    const page = await admin.get('/staff/audit')
    expect(page.status).toBe(200)
    const html = await page.text()
    const actions = actionsIn(html)
    expect(actions.slice(0, 2)).toEqual(['retention.erased', 'api.report-feed'])
    expect(html).toContain('API token “Power BI dashboard”')
    expect(html).toContain('System')
    // The action filter lists the actions present.
    expect(html).toContain('<option value="staff.role-changed">staff.role-changed</option>')

    const byAction = await (await admin.get('/staff/audit?action=staff.role-changed')).text()
    expect(actionsIn(byAction).length).toBeGreaterThan(0)
    expect(new Set(actionsIn(byAction))).toEqual(new Set(['staff.role-changed']))

    const byActor = await (await admin.get(`/staff/audit?actor=${adminId}&action=staff.invited`)).text()
    expect(actionsIn(byActor)).toEqual(['staff.invited'])
    const byNoOne = actionsIn(await (await admin.get('/staff/audit?actor=none')).text())
    expect(byNoOne).toEqual(expect.arrayContaining(['retention.erased', 'api.report-feed']))
    expect(byNoOne).not.toContain('staff.invited')
  })

  it('filters by London dates and by subject, and shows London time', async () => {
    // 23:30 UTC on 1 July is 00:30 on 2 July in London (BST).
    await service.database.db
      .insertInto('audit_log')
      .values({
        at: '2026-07-01T23:30:00.000Z',
        actor_user_id: adminId,
        action: 'settings.wording-changed',
        subject_type: 'setting',
        subject_id: 'wording',
        detail: null,
        ip: null,
      })
      .execute()
    const second = '&to-day=2&to-month=7&to-year=2026'
    const onSecond = await (await admin.get(`/staff/audit?from-day=2&from-month=7&from-year=2026${second}`)).text()
    expect(actionsIn(onSecond)).toEqual(['settings.wording-changed'])
    expect(onSecond).toContain('00:30')
    const onFirst = await (
      await admin.get('/staff/audit?from-day=1&from-month=7&from-year=2026&to-day=1&to-month=7&to-year=2026')
    ).text()
    expect(onFirst).toContain('No entries match these filters')

    const bySubject = await (await admin.get('/staff/audit?subjectType=setting&subjectId=wording')).text()
    expect(actionsIn(bySubject)).toEqual(['settings.wording-changed'])
  })

  it('answers wrong filters with GOV.UK errors, not a crash', async () => {
    const cases: Array<[string, string]> = [
      ['action=made.up', 'Select an action from the list'],
      ['actor=999999', 'Select a member of staff from the list'],
      ['actor=%27%3B%20drop', 'Select a member of staff from the list'],
      ['from-day=31&from-month=2&from-year=2026', 'Date from must be a real date'],
      ['from-day=1&from-year=2026', 'Date from must include a month'],
      [
        'from-day=2&from-month=7&from-year=2026&to-day=1&to-month=7&to-year=2026',
        'Date to must be the same as or after date from',
      ],
      ['subjectType=nothing', 'Select a kind of record from the list'],
      ['subjectId=has%20spaces', 'Record number must be'],
      [`action=${'x'.repeat(5000)}`, 'Select an action from the list'],
    ]
    for (const [query, message] of cases) {
      const response = await admin.get(`/staff/audit?${query}`)
      expect(response.status, query).toBe(400)
      const html = await response.text()
      expect(html, query).toContain('There is a problem')
      expect(html, query).toContain(message)
      expect(actionsIn(html), query).toEqual([])
    }
    // A page number past the end shows the last page rather than failing.
    expect((await admin.get('/staff/audit?page=abc')).status).toBe(200)
    expect((await admin.get('/staff/audit?page=99999')).status).toBe(200)
  })

  it('pages through the log, 50 at a time, keeping the filters', async () => {
    for (let i = 0; i < 60; i++) {
      await recordAudit(service.database.db, {
        actorUserId: adminId,
        action: 'test.bulk',
        subjectType: 'test',
        subjectId: i,
      })
    }
    const first = await (await admin.get('/staff/audit?action=test.bulk')).text()
    expect(actionsIn(first)).toHaveLength(50)
    expect(first).toContain('60 entries, newest first. Page 1 of 2.')
    expect(first).toContain('href="/staff/audit?action=test.bulk&amp;page=2"')
    expect(first).toContain('>test 59<')
    const second = await (await admin.get('/staff/audit?action=test.bulk&page=2')).text()
    expect(actionsIn(second)).toHaveLength(10)
    expect(second).toContain('>test 0<')
  })
})
