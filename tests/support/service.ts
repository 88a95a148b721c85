// Starts the real service (production build, real HTTP server, a fresh database: a SQLite file, or
// a PostgreSQL database when the suite runs on PostgreSQL) for a test file.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { secretBoxFor, totpPurpose } from '../../app/auth/secret-box.server'
import { twoFactorRequired } from '../../app/auth/two-factor'
import { readConfig } from '../../app/config.server'
import { confirmTwoFactor } from '../../app/domain/staff-accounts.server'
import { twoFactorSetup } from '../../app/domain/staff-security.server'
import { createStaffUser } from '../../app/domain/staff.server'
import type { DB } from '../../db/index'
import type { Role } from '../../db/schema'
import { startService, type RunningService } from '../../server/boot'
import { dropDatabaseUrl, freshDatabaseUrl } from './database'
import { freePort } from './smtp'
import { knownSecret, nextCode, realClock, registerDatabase, rememberSecret, secretFromPage } from './two-factor'

const buildFile = path.resolve(import.meta.dirname, '../../build/server/index.js')

/**
 * The administrator made from ADMIN_EMAIL: two-factor is required for admins, so startTestService
 * gives it this TOTP secret (sealed, as the service would) before any test signs in.
 */
export const ADMIN = {
  email: 'admin@example.org',
  password: 'correct horse battery staple 42',
  totpSecret: 'JBSWY3DPEHPK3PXPJOININADMINTESTS',
}

/** The SECRET_KEY test services run with, unless a test gives its own. */
export const TEST_SECRET_KEY = 'test secret key for join in, 32+ characters long'

export interface StaffCredentials {
  email: string
  password: string
  totpSecret?: string
}

export interface TestService extends RunningService {
  dir: string
  /** a new HTTP client with its own cookie jar */
  client(): HttpClient
  /** a client already signed in as a new staff user with this role (admin and staff with two-factor set up) */
  signedIn(role: Role): Promise<HttpClient>
  /**
   * Signs in as a person would over HTTP: password, then a code from their secret (given, or
   * remembered from enrolTwoFactor or an earlier set-up), setting two-factor up first if they
   * must have it and have not. Resolves to the client once signed in.
   */
  signIn(staff: StaffCredentials, client?: HttpClient): Promise<HttpClient>
  /** turns two-factor on for an account through the domain functions and returns the secret */
  enrolTwoFactor(userId: number, email: string): Promise<string>
}

export async function startTestService(
  env: Record<string, string> = {},
  /** `now`: the clock of the scheduled jobs, the outbox worker and context.now (see clock.ts); the real one by default */
  options: { now?: () => Date } = {},
): Promise<TestService> {
  if (!fs.existsSync(buildFile)) throw new Error('No production build: run `npm run build` first (npm test does).')
  const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-test-'))
  // PUBLIC_URL (required in production) must be the address the service really answers on, so
  // the port is chosen before it starts.
  const port = await freePort()
  const config = readConfig({
    NODE_ENV: 'production',
    DATABASE_URL: env.DATABASE_URL ?? (await freshDatabaseUrl(dir)),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SECURE_COOKIES: 'false',
    SECRET_KEY: TEST_SECRET_KEY,
    ...env,
  })
  const service = await startService(config, build, { log: () => {}, now: options.now })
  const { db } = service.database
  serviceDatabases.set(service.url, db)
  registerDatabase(service.url, config.databaseUrl)
  // The jobs' first run starts at boot: let it finish before the test writes anything, so a test
  // that books in the past (a held booking, then its confirm link) cannot meet a hold release
  // already under way on the real clock.
  await service.jobs.runOnce()
  const box = secretBoxFor(config)
  // two-factor codes are checked at the service's clock
  const clock = options.now ?? realClock
  const admin = await db
    .selectFrom('staff_user')
    .select(['id', 'totp_secret'])
    .where('email', '=', ADMIN.email)
    .executeTakeFirst()
  if (admin && !admin.totp_secret) {
    await db
      .updateTable('staff_user')
      .set({
        totp_secret: box.seal(ADMIN.totpSecret, totpPurpose(admin.id)),
        totp_enabled_at: new Date().toISOString(),
      })
      .where('id', '=', admin.id)
      .execute()
  }
  rememberSecret(service.url, ADMIN.email, ADMIN.totpSecret)

  async function enrolTwoFactor(userId: number, email: string): Promise<string> {
    const setup = await twoFactorSetup(db, box, userId)
    if (setup.status !== 'setting-up') throw new Error(`${email} has two-factor on already`)
    const code = await nextCode(service.url, email, setup.secret, clock)
    const confirmed = await confirmTwoFactor(db, box, { id: userId, sessionId: '', ip: '127.0.0.1' }, code, clock())
    if (confirmed.status !== 'done') throw new Error(`two-factor set-up failed: ${confirmed.status}`)
    rememberSecret(service.url, email, setup.secret)
    return setup.secret
  }

  async function signIn(staff: StaffCredentials, client = new HttpClient(service.url)): Promise<HttpClient> {
    const response = await client.post('/staff/sign-in', { email: staff.email, password: staff.password })
    if (response.status !== 302) throw new Error(`sign-in for ${staff.email} failed: ${response.status}`)
    if (response.headers.get('location') === '/staff/sign-in?step=code') {
      const secret = staff.totpSecret ?? knownSecret(service.url, staff.email)
      if (!secret) throw new Error(`no TOTP secret known for ${staff.email}`)
      const code = await nextCode(service.url, staff.email, secret, clock)
      const coded = await client.post('/staff/sign-in?step=code', { intent: 'code', code })
      if (coded.status !== 302) throw new Error(`sign-in code for ${staff.email} failed: ${coded.status}`)
      return client
    }
    const probe = await client.get('/staff')
    if (probe.status === 302 && probe.headers.get('location')?.startsWith('/staff/two-factor')) {
      // Required and not yet set up: do it as the person would, from the page.
      const secret = secretFromPage(await (await client.get('/staff/two-factor')).text())
      const code = await nextCode(service.url, staff.email, secret, clock)
      const confirmed = await client.post('/staff/two-factor', { intent: 'confirm', code })
      if (confirmed.status !== 200) throw new Error(`two-factor set-up for ${staff.email} failed: ${confirmed.status}`)
      rememberSecret(service.url, staff.email, secret)
    }
    return client
  }

  let users = 0
  return {
    ...service,
    dir,
    client: () => new HttpClient(service.url),
    async signedIn(role: Role) {
      users += 1
      const email = `${role}${users}@example.org`
      const password = `a long password for ${role} ${users}`
      const id = await createStaffUser(db, { email, name: `${role} ${users}`, password, role })
      if (twoFactorRequired(role)) await enrolTwoFactor(id, email)
      return signIn({ email, password })
    },
    signIn,
    enrolTwoFactor,
    async close() {
      await service.close()
      if (!env.DATABASE_URL) await dropDatabaseUrl(config.databaseUrl)
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Each running test service's database by its address, for helpers that act as the person's inbox. */
const serviceDatabases = new Map<string, DB>()

export function databaseOfService(baseUrl: string): DB {
  const db = serviceDatabases.get(baseUrl)
  if (!db) throw new Error(`no test service at ${baseUrl}`)
  return db
}

/** fetch with a cookie jar, no automatic redirects, and same-origin POSTs like a browser's. */
export class HttpClient {
  readonly cookies = new Map<string, string>()
  constructor(readonly baseUrl: string) {}

  async get(pathname: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(pathname, { method: 'GET', headers })
  }

  async post(
    pathname: string,
    form: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const body = new URLSearchParams()
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v)
    }
    return this.request(pathname, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: this.baseUrl, ...headers },
    })
  }

  async request(pathname: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    const response = await fetch(new URL(pathname, this.baseUrl), { ...init, headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair!.indexOf('=')
      const name = pair!.slice(0, index).trim()
      const value = pair!.slice(index + 1).trim()
      if (!value || /max-age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return response
  }
}

/** The values a Remix form for the activity form needs, with overrides. */
export function activityForm(overrides: Record<string, string> = {}): Record<string, string> {
  const start = new Date(Date.now() + 30 * 86_400_000)
  return {
    kind: 'activity',
    title: 'Slime science',
    category: 'Science experiments',
    description: 'Make glow-in-the-dark slime with things from the kitchen.',
    'date-day': String(start.getUTCDate()),
    'date-month': String(start.getUTCMonth() + 1),
    'date-year': String(start.getUTCFullYear()),
    startTime: '16:00',
    endTime: '17:00',
    capacity: '20',
    minAge: '5',
    maxAge: '11',
    locationType: 'online',
    joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_SECRET-LINK-123%40thread.v2/0',
    venue: '',
    repeat: 'none',
    sessions: '',
    intent: 'publish',
    ...overrides,
  }
}
