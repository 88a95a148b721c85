// Which new passwords staff may choose, through the invitation's set-password
// form over real HTTP, and the first administrator's password from the environment at start-up.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/index'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')

let service: TestService
let admin: HttpClient

beforeAll(async () => {
  service = await startTestService()
  admin = await service.signedIn('admin')
})
afterAll(async () => {
  await service?.close()
})

let invited = 0
/** Invites a new colleague and returns the set-password link's token from their email. */
async function invite(): Promise<string> {
  invited += 1
  const email = `new.colleague${invited}@example.org`
  const response = await admin.post('/staff/users/invite', { name: `New Colleague ${invited}`, email, role: 'staff' })
  expect(response.status).toBe(302)
  const sent = await service.database.db
    .selectFrom('outbox')
    .select('text_body')
    .where('to_address', '=', email)
    .where('kind', '=', 'staff-invite')
    .executeTakeFirstOrThrow()
  return /\/staff\/set-password\?token=([\w-]+)/.exec(sent.text_body)![1]!
}

async function choose(token: string, password: string): Promise<Response> {
  return service.client().post(`/staff/set-password?token=${token}`, { token, password })
}

describe('choosing a password from an invitation', () => {
  it('refuses a password from the list of common passwords, with a little added', async () => {
    const token = await invite()
    for (const password of ['qwerty123456!', 'Password12345', 'iloveyou2026!']) {
      const response = await choose(token, password)
      expect(response.status, password).toBe(400)
      const html = await response.text()
      expect(html).toContain('There is a problem')
      expect(html).toContain('href="#password"')
      expect(html, password).toContain('Password is too common. Choose a password that is harder to guess')
    }
  })

  it("refuses a password made of the service's, the team's or the councils' names", async () => {
    const token = await invite()
    for (const password of [
      'kentadoption2026',
      'MedwayKent2025!',
      'Bexley Adoptables 2026',
      'joininjoinin12',
      'virtualschool1',
    ]) {
      const response = await choose(token, password)
      expect(response.status, password).toBe(400)
      expect(await response.text(), password).toContain(
        'Password must not be based on the name of Join In, the team or a council',
      )
    }
  })

  it('keeps the minimum length', async () => {
    const response = await choose(await invite(), 'x7#Kq!2p')
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('Password must be 12 characters or more')
  })

  it('accepts a strong password, also one that mentions Kent among other words', async () => {
    const first = await choose(await invite(), 'plum tractor oboe winter')
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe('/staff/sign-in?notice=password-set')
    const second = await choose(await invite(), 'my kent garden has forty tulips')
    expect(second.status).toBe(302)
  })
})

describe('the first administrator from ADMIN_PASSWORD', () => {
  for (const password of ['short', 'qwerty123456!']) {
    it(`refuses to start with ADMIN_PASSWORD=${password}, naming the variable, and creates no account`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-admin-password-'))
      const file = path.join(dir, 'join-in.sqlite')
      try {
        const started = run(process.execPath, ['scripts/run.js'], {
          cwd: root,
          timeout: 20_000,
          env: {
            PATH: process.env.PATH,
            NODE_ENV: 'production',
            // the other variables production requires, so only ADMIN_PASSWORD is wrong
            PUBLIC_URL: 'http://127.0.0.1',
            SECRET_KEY: 'a'.repeat(64),
            DATABASE_URL: file,
            PORT: '0',
            HOST: '127.0.0.1',
            ADMIN_EMAIL: 'first.admin@example.org',
            ADMIN_PASSWORD: password,
          },
        })
        const failure = (await started.then(
          () => null,
          (error: unknown) => error,
        )) as { code?: number; stderr?: string } | null
        expect(failure, 'the server must not start').not.toBeNull()
        expect(failure!.code).toBe(1)
        expect(failure!.stderr).toContain('ADMIN_PASSWORD')
        // Refused before or after the database is made, it holds no staff account.
        if (fs.existsSync(file)) {
          const { db } = openDatabase(file)
          try {
            expect(await db.selectFrom('staff_user').selectAll().execute()).toEqual([])
          } finally {
            await db.destroy()
          }
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    })
  }
})
