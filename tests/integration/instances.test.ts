// Several app instances on one database (issue 14): booting at once on an empty database, the
// scheduled jobs under a lease, retention's day claimed by one statement, the public forms' rate
// limits and the sign-in throttle counted in the database, the first administrator's set-up link
// kept across boots, and `npm run migrate` as a release step. Runs on SQLite (instances as separate
// processes on one file) and on PostgreSQL (one database from freshDatabaseUrl).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { readConfig } from '../../app/config.server'
import { allow, sweepRateLimits } from '../../app/auth/rate-limit.server'
import { hashToken } from '../../app/auth/tokens.server'
import { runDailyRetention } from '../../app/domain/retention.server'
import { isValidSetupToken } from '../../app/domain/staff.server'
import { openDatabase, type OpenedDatabase } from '../../db/index'
import { migrateToLatest } from '../../db/migrate'
import { AUTHORITIES } from '../../db/reference/authorities'
import { prepareDatabase } from '../../server/boot'
import { startJobs, type Job } from '../../server/jobs'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { testClock } from '../support/clock'
import { dropDatabaseUrl, freshDatabaseUrl, onPostgres } from '../support/database'
import { ADMIN, HttpClient, startTestService, TEST_SECRET_KEY } from '../support/service'
import { freePort } from '../support/smtp'

const root = path.resolve(import.meta.dirname, '../..')
const instanceScript = path.resolve(import.meta.dirname, '../support/instance-process.ts')
const DAY = 86_400_000
const HOUR = 3_600_000

const dirs: string[] = []
const urls: string[] = []
const opened: OpenedDatabase[] = []

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-instances-'))
  dirs.push(dir)
  return dir
}

/** An empty database (no tables at all) or a migrated one, dropped after the file. */
async function databaseUrl(options: { empty?: boolean } = {}): Promise<string> {
  const url = await freshDatabaseUrl(tempDir(), options)
  urls.push(url)
  if (!options.empty && !onPostgres) {
    // a SQLite path is only a name until something migrates it (PostgreSQL's copy is migrated)
    const database = openDatabase(url)
    await migrateToLatest(database.db)
    await database.db.destroy()
  }
  return url
}

function open(url: string): OpenedDatabase {
  const database = openDatabase(url)
  opened.push(database)
  return database
}

afterEach(async () => {
  while (opened.length) await opened.pop()!.db.destroy()
})

afterAll(async () => {
  for (const url of urls) await dropDatabaseUrl(url)
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

interface Answer {
  event: 'booted' | 'failed' | 'ran'
  url?: string
  message?: string
  log: string[]
}

interface Instance {
  send(command: 'boot' | 'jobs'): Promise<Answer>
  stop(): Promise<void>
}

/** One app instance in its own process (tests/support/instance-process.ts), ready for commands. */
async function spawnInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', instanceScript], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SECURE_COOKIES: 'false',
      SECRET_KEY: TEST_SECRET_KEY,
      ...env,
    },
  })
  let buffered = ''
  const waiting: Array<(line: string) => void> = []
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    let newline: number
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      waiting.shift()?.(line)
    }
  })
  const next = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve)
      void exited.then(() => reject(new Error('the instance process exited')))
    })
  expect(await next()).toBe('ready')
  return {
    async send(command) {
      const answer = next()
      child.stdin.write(`${command}\n`)
      return JSON.parse(await answer) as Answer
    },
    async stop() {
      child.stdin.end('stop\n')
      await exited
    },
  }
}

/** The token in a "set up the first administrator" line of a boot's log. */
function setupTokens(log: string[]): string[] {
  return log.flatMap((line) => [...line.matchAll(/\/staff\/setup\?token=([\w-]+)/g)].map((m) => m[1]!))
}

describe('two instances booting at once on an empty database', () => {
  it('both come up, migrate and seed once, and print the one set-up link they share', async () => {
    const url = await databaseUrl({ empty: true })
    const instances = await Promise.all([spawnInstance({ DATABASE_URL: url }), spawnInstance({ DATABASE_URL: url })])
    try {
      const answers = await Promise.all(instances.map((i) => i.send('boot')))
      expect(answers.map((a) => [a.event, a.message])).toEqual([
        ['booted', undefined],
        ['booted', undefined],
      ])
      for (const answer of answers) expect((await fetch(`${answer.url}/`)).status).toBe(200)

      const { db } = open(url)
      const links = await db.selectFrom('setup_token').selectAll().where('purpose', '=', 'first-admin').execute()
      expect(links).toHaveLength(1)
      const printed = answers.map((a) => setupTokens(a.log))
      expect(printed[0]).toHaveLength(1)
      expect(printed[1]).toEqual(printed[0])
      expect(hashToken(printed[0]![0]!)).toBe(links[0]!.token_hash)
      expect(await isValidSetupToken(db, printed[0]![0]!)).toBe(true)
      const seeded = await db.selectFrom('setting').select('key').where('key', '=', 'reference_seeded').execute()
      expect(seeded).toHaveLength(1)
      const authorities = await db.selectFrom('authority').select('code').execute()
      expect(authorities).toHaveLength(AUTHORITIES.length)
      expect(await db.selectFrom('staff_user').select('id').execute()).toEqual([])
    } finally {
      await Promise.all(instances.map((i) => i.stop()))
    }
  })

  it('both come up with ADMIN_EMAIL and make one administrator', async () => {
    const url = await databaseUrl({ empty: true })
    const env = { DATABASE_URL: url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }
    const instances = await Promise.all([spawnInstance(env), spawnInstance(env)])
    try {
      const answers = await Promise.all(instances.map((i) => i.send('boot')))
      expect(answers.map((a) => [a.event, a.message])).toEqual([
        ['booted', undefined],
        ['booted', undefined],
      ])
      const created = answers.flatMap((a) => a.log).filter((line) => line.startsWith('Created the first administrator'))
      expect(created).toEqual([`Created the first administrator, ${ADMIN.email}, from ADMIN_EMAIL.`])
      const { db } = open(url)
      expect(await db.selectFrom('staff_user').select(['email', 'role']).execute()).toEqual([
        { email: ADMIN.email, role: 'admin' },
      ])
      expect(await db.selectFrom('setup_token').select('token_hash').execute()).toEqual([])
    } finally {
      await Promise.all(instances.map((i) => i.stop()))
    }
  })
})

describe('the first administrator’s set-up link across boots', () => {
  const boot = async (url: string, secretKey = TEST_SECRET_KEY) => {
    const log: string[] = []
    const config = readConfig({
      NODE_ENV: 'production',
      DATABASE_URL: url,
      PUBLIC_URL: 'https://join-in.example.org',
      SECRET_KEY: secretKey,
    })
    const database = await prepareDatabase(config, (line) => void log.push(line))
    await database.db.destroy()
    return log
  }

  it('a second boot keeps the still-valid link and prints it again; once expired it is replaced', async () => {
    const url = await databaseUrl({ empty: true })
    const first = setupTokens(await boot(url))
    expect(first).toHaveLength(1)
    const secondLog = await boot(url)
    expect(setupTokens(secondLog)).toEqual(first)
    expect(secondLog.join('\n')).toContain('The set-up link made')
    const { db } = open(url)
    expect(await isValidSetupToken(db, first[0]!)).toBe(true)
    expect(await db.selectFrom('setup_token').select('token_hash').execute()).toEqual([
      { token_hash: hashToken(first[0]!) },
    ])

    // Started with another SECRET_KEY, the kept link cannot be shown, but it is still not replaced.
    const otherKey = await boot(url, 'another secret key for join in, 32+ characters')
    expect(setupTokens(otherKey)).toEqual([])
    expect(otherKey.join('\n')).toContain('SECRET_KEY has changed since, so it cannot be shown again')
    expect(await isValidSetupToken(db, first[0]!)).toBe(true)

    // A day later the link has expired: the next boot makes a new one, and the old one is gone.
    await db
      .updateTable('setup_token')
      .set({ expires_at: new Date(Date.now() - HOUR).toISOString() })
      .execute()
    const third = setupTokens(await boot(url))
    expect(third).toHaveLength(1)
    expect(third[0]).not.toBe(first[0])
    expect(await isValidSetupToken(db, third[0]!)).toBe(true)
    expect(await isValidSetupToken(db, first[0]!)).toBe(false)
    expect(await db.selectFrom('setup_token').select('token_hash').execute()).toHaveLength(1)
  })
})

describe('scheduled jobs across two instances', () => {
  it('two instances running the jobs at the same moment queue one reminder and one feedback request per booking', async () => {
    const url = await databaseUrl()
    // The data, made through a service on the same database that then stops.
    const maker = await startTestService({ DATABASE_URL: url })
    const parts = (offsetDays: number) => {
      const d = new Date(Date.now() + offsetDays * DAY)
      return {
        'date-day': String(d.getUTCDate()),
        'date-month': String(d.getUTCMonth() + 1),
        'date-year': String(d.getUTCFullYear()),
      }
    }
    const held = await publishActivity(maker, { title: 'Held yesterday', ...parts(30) })
    const tomorrow = await publishActivity(maker, { title: 'Tomorrow', ...parts(32) })
    for (const [activityId, who] of [
      [held, 'ann'],
      [held, 'bea'],
      [held, 'cal'],
      [tomorrow, 'dan'],
      [tomorrow, 'eve'],
    ] as const) {
      const response = await confirmBooking(maker.client(), activityId, [{ firstName: who, dob: dobForAge(8) }], {
        email: `${who}@example.org`,
      })
      expect(response.status).toBe(302)
    }
    const ends = await maker.database.db
      .selectFrom('activity')
      .select('ends_at')
      .where('id', '=', held)
      .executeTakeFirstOrThrow()
    const ranBefore = (
      await maker.database.db.selectFrom('audit_log').select('id').where('action', '=', 'retention.ran').execute()
    ).length
    await maker.close()

    // 25 hours after the first session ends (17:00 London): its feedback requests are due (09:00
    // the next day), and the second session starts within the next 24 hours (22 hours later).
    const clockStart = new Date(new Date(ends.ends_at).getTime() + 25 * HOUR).toISOString()
    const env = { DATABASE_URL: url, INSTANCE_CLOCK_START: clockStart }
    const instances = await Promise.all([spawnInstance(env), spawnInstance(env)])
    try {
      const answers = await Promise.all(instances.map((i) => i.send('boot')))
      const again = await Promise.all(instances.map((i) => i.send('jobs')))
      const log = [...answers, ...again].flatMap((a) => a.log)
      expect(answers.map((a) => a.event)).toEqual(['booted', 'booted'])
      expect(log.filter((line) => /job failed/.test(line))).toEqual([])
      const queued = (what: string) =>
        log
          .map((line) => new RegExp(`^Queued (\\d+) ${what} emails\\.$`).exec(line)?.[1])
          .reduce((sum, n) => sum + Number(n ?? 0), 0)
      expect(queued('reminder')).toBe(2)
      expect(queued('feedback request')).toBe(3)

      const { db } = open(url)
      const emails = await db
        .selectFrom('outbox')
        .select(['kind', 'to_address'])
        .where('kind', 'in', ['reminder', 'feedback-request'])
        .orderBy('to_address')
        .execute()
      expect(emails).toEqual([
        { kind: 'feedback-request', to_address: 'ann@example.org' },
        { kind: 'feedback-request', to_address: 'bea@example.org' },
        { kind: 'feedback-request', to_address: 'cal@example.org' },
        { kind: 'reminder', to_address: 'dan@example.org' },
        { kind: 'reminder', to_address: 'eve@example.org' },
      ])
      expect(await db.selectFrom('feedback_request').select('booking_id').execute()).toHaveLength(3)
      const ran = await db.selectFrom('audit_log').select('id').where('action', '=', 'retention.ran').execute()
      // once on the instances' day (the service that made the data ran it on today's)
      expect(ran).toHaveLength(ranBefore + 1)
    } finally {
      await Promise.all(instances.map((i) => i.stop()))
    }
  })
})

describe('the job lease', () => {
  const links = { baseUrl: 'http://localhost', domain: 'test.invalid' }

  /** A job that counts its runs and holds each run until `release` is called. */
  function heldJob() {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const held: { runs: number; release: () => void; job: Job } = {
      runs: 0,
      release,
      job: { name: 'held', run: async () => ((held.runs += 1), await gate, null) },
    }
    return held
  }

  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10))
  }

  it('runs a job on one of two instances at a time; without the lease (the control) both run it', async () => {
    const url = await databaseUrl()
    const clock = testClock('2026-12-01T10:00:00Z')
    for (const withLease of [true, false]) {
      const held = heldJob()
      const loops = [open(url), open(url)].map(({ db }) =>
        startJobs({ db, links, everyMs: 60 * 60_000, log: () => {}, jobs: [held.job], now: clock.now, withLease }),
      )
      if (withLease) {
        // The instance that did not get the lease finishes at once; the other is still in the job.
        await Promise.race(loops.map((l) => l.runOnce()))
        expect(held.runs).toBe(1)
      } else {
        await until(() => held.runs === 2)
        expect(held.runs).toBe(2)
      }
      held.release()
      await Promise.all(loops.map((l) => l.stop()))
      expect(held.runs).toBe(withLease ? 1 : 2)
    }
  })

  it('a lease left by an instance that stopped mid-run expires, and then another instance runs the job', async () => {
    const url = await databaseUrl()
    const { db } = open(url)
    const clock = testClock('2026-12-01T10:00:00Z')
    await db
      .insertInto('job_lease')
      .values({
        job: 'counted',
        holder: 'an instance that stopped',
        claimed_at: clock.now().toISOString(),
        expires_at: new Date(clock.now().getTime() + 10 * 60_000).toISOString(),
        released_at: null,
      })
      .execute()
    let runs = 0
    const job: Job = { name: 'counted', run: async () => ((runs += 1), null) }
    const loop = startJobs({ db, links, everyMs: 60 * 60_000, log: () => {}, jobs: [job], now: clock.now })
    await loop.runOnce()
    expect(runs).toBe(0)
    clock.advance(11 * 60_000)
    await loop.runOnce()
    expect(runs).toBe(1)
    // released after the run: the next run goes ahead at once
    await loop.runOnce()
    expect(runs).toBe(2)
    await loop.stop()
    const lease = await db.selectFrom('job_lease').selectAll().where('job', '=', 'counted').executeTakeFirstOrThrow()
    expect(lease.holder).toBeNull()
  })
})

describe('retention’s once-a-day run', () => {
  it('eight runs at the same moment erase once: the day is claimed by one statement', async () => {
    const url = await databaseUrl()
    // PostgreSQL: two instances' pools. SQLite: one connection (two in one process would wait on
    // each other synchronously), whose queries from the eight runs still interleave.
    const dbs = onPostgres ? [open(url).db, open(url).db] : [open(url).db]
    // every pool's connections open before the runs, so they start together
    await Promise.all(dbs.flatMap((db) => Array.from({ length: 4 }, () => sql`select 1`.execute(db))))
    const now = new Date('2026-12-01T03:00:00Z')
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => runDailyRetention(dbs[i % dbs.length]!, now)))
    expect(results.filter((r) => r !== null)).toHaveLength(1)
    const ran = await dbs[0]!.selectFrom('audit_log').select('id').where('action', '=', 'retention.ran').execute()
    expect(ran).toHaveLength(1)
    // the next London day it runs again
    expect(await runDailyRetention(dbs[0]!, new Date(now.getTime() + DAY))).not.toBeNull()
  })
})

describe('limits counted in the database, shared by two instances', () => {
  /** Two instances (processes: one process's memory would be shared) booted on one database. */
  async function twoInstances(
    env: Record<string, string> = {},
  ): Promise<{ url: string; urls: string[]; stop: () => Promise<void> }> {
    const url = await databaseUrl()
    const instances = await Promise.all([
      spawnInstance({ DATABASE_URL: url, ...env }),
      spawnInstance({ DATABASE_URL: url, ...env }),
    ])
    const answers = await Promise.all(instances.map((i) => i.send('boot')))
    expect(answers.map((a) => a.event)).toEqual(['booted', 'booted'])
    return {
      url,
      urls: answers.map((a) => a.url!),
      stop: () => Promise.all(instances.map((i) => i.stop())).then(() => {}),
    }
  }

  it('a limit of 10 posts per address across two instances allows 10 in total', async () => {
    const {
      urls: [a, b],
      stop,
    } = await twoInstances()
    try {
      // An empty sign-up form: refused (400) after the limit is counted, so nothing else is written.
      const statuses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => new HttpClient(i % 2 ? a! : b!).post('/mailing-list', { email: '' })),
      ).then((responses) => responses.map((r) => r.status))
      expect(statuses.filter((s) => s === 400)).toHaveLength(10)
      expect(statuses.filter((s) => s === 429)).toHaveLength(10)
    } finally {
      await stop()
    }
  })

  it('20 concurrent wrong passwords across two instances are counted as 20', async () => {
    const {
      url,
      urls: [a, b],
      stop,
    } = await twoInstances({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password })
    try {
      const statuses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          new HttpClient(i % 2 ? a! : b!).post('/staff/sign-in', {
            email: ADMIN.email,
            password: `wrong password ${i}`,
          }),
        ),
      ).then((responses) => responses.map((r) => r.status))
      expect(statuses.filter((s) => s >= 500)).toEqual([])
      const { db } = open(url)
      const rows = await db
        .selectFrom('sign_in_throttle')
        .select(['key', 'attempts'])
        .where('key', 'in', [`account:${ADMIN.email}`, 'ip:127.0.0.1'])
        .orderBy('key')
        .execute()
      expect(rows).toEqual([
        { key: `account:${ADMIN.email}`, attempts: 20 },
        { key: 'ip:127.0.0.1', attempts: 20 },
      ])
    } finally {
      await stop()
    }
  })
})

describe('a rate limit’s window in the database', () => {
  it('starts again when the window ends, and the sweep deletes ended windows only', async () => {
    const { db } = open(await databaseUrl())
    const start = new Date('2026-12-01T10:00:00Z')
    const at = (ms: number) => new Date(start.getTime() + ms)
    const hits = async (key: string, n: number, when: Date) => {
      const allowed: boolean[] = []
      for (let i = 0; i < n; i += 1) allowed.push(await allow(db, key, 3, 10 * 60_000, when))
      return allowed
    }
    expect(await hits('form:192.0.2.1', 4, start)).toEqual([true, true, true, false])
    expect(await hits('form:192.0.2.1', 1, at(10 * 60_000 - 1))).toEqual([false])
    expect(await hits('form:192.0.2.2', 1, at(5 * 60_000))).toEqual([true])
    // the first window has ended: counting starts again
    expect(await hits('form:192.0.2.1', 4, at(10 * 60_000))).toEqual([true, true, true, false])
    // at 15 minutes the second address's window (from 5 minutes) has ended, the first's (from 10) has not
    expect(await sweepRateLimits(db, at(15 * 60_000))).toBe(1)
    expect(await db.selectFrom('rate_limit').select(['key', 'hits']).execute()).toEqual([
      { key: 'form:192.0.2.1', hits: 4 },
    ])
  })
})

describe('npm run migrate', () => {
  const migrate = (url: string) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['scripts/run.js', 'migrate'], {
        cwd: root,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          DATABASE_URL: url,
          PUBLIC_URL: 'https://join-in.example.org',
          SECRET_KEY: TEST_SECRET_KEY,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
      child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')))
      child.once('exit', (code) => resolve({ code, out }))
    })

  it('migrates and seeds an empty database without starting the server, twice at once, then says it is up to date', async () => {
    const url = await databaseUrl({ empty: true })
    const both = await Promise.all([migrate(url), migrate(url)])
    expect(both.map((r) => r.code)).toEqual([0, 0])
    const said = both
      .map((r) => r.out.trim())
      .sort((x, y) => Number(x.includes('up to date')) - Number(y.includes('up to date')))
    expect(said[0]).toMatch(
      /^Applied 24 migrations to .*: 2026-11-23-01-foundation, .*2026-12-02-24-safeguarding-concerns, 2026-12-02-25-session-adults-and-checklist, 2026-12-02-26-leaner-booking-writes$/,
    )
    expect(said[1]).toMatch(/ is already up to date\.$/)
    const again = await migrate(url)
    expect(again).toEqual({ code: 0, out: expect.stringMatching(/ is already up to date\.\n$/) })
    const { db } = open(url)
    expect(await db.selectFrom('authority').select('code').execute()).toHaveLength(AUTHORITIES.length)
    expect(await db.selectFrom('setting').select('key').where('key', '=', 'reference_seeded').execute()).toHaveLength(1)
    expect(await db.selectFrom('staff_user').select('id').execute()).toEqual([])
  })
})
