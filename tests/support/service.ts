// Starts the real service (production build, real HTTP server, fresh SQLite file) for a test file.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { readConfig } from '../../app/config.server'
import { createStaffUser } from '../../app/domain/staff.server'
import type { Role } from '../../db/schema'
import { startService, type RunningService } from '../../server/boot'
import { freePort } from './smtp'

const buildFile = path.resolve(import.meta.dirname, '../../build/server/index.js')

export const ADMIN = { email: 'admin@example.org', password: 'correct horse battery staple 42' }

export interface TestService extends RunningService {
  dir: string
  /** a new HTTP client with its own cookie jar */
  client(): HttpClient
  /** a client already signed in as a new staff user with this role */
  signedIn(role: Role): Promise<HttpClient>
}

export async function startTestService(
  env: Record<string, string> = {},
  /** `now`: the clock of the scheduled jobs and the outbox worker (see clock.ts); the real one by default */
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
    DATABASE_URL: path.join(dir, 'join-in.sqlite'),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SECURE_COOKIES: 'false',
    ...env,
  })
  const service = await startService(config, build, { log: () => {}, now: options.now })
  let users = 0
  return {
    ...service,
    dir,
    client: () => new HttpClient(service.url),
    async signedIn(role: Role) {
      users += 1
      const email = `${role}${users}@example.org`
      const password = `a long password for ${role} ${users}`
      await createStaffUser(service.database.db, { email, name: `${role} ${users}`, password, role })
      const client = new HttpClient(service.url)
      const response = await client.post('/staff/sign-in', { email, password })
      if (response.status !== 302) throw new Error(`sign-in failed: ${response.status}`)
      return client
    },
    async close() {
      await service.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
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
