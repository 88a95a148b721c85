// `npm run bench`: how fast bookings are, and proof that a rush for the last spaces never overbooks.
// DATABASE_URL chooses the database (scripts/bench-db.ts): unset or a path → SQLite, each
// measurement on a fresh file; postgres://… → PostgreSQL, each measurement on a fresh database the
// bench creates on that server (C.UTF-8) and drops afterwards. The tables are the same for both.
//
//   (a) raw      the booking transaction by hand (capacity check + insert): better-sqlite3 on SQLite;
//                on PostgreSQL one `pg` connection, with the app's row lock on the activity
//   (b) app      the same through the app's book() (which also writes the confirmation email)
//   (c) HTTP     booking form POSTs against the production build, with p50/p99 latency
//   (d) bare     React Router routes over HTTP: GET /accessibility (document) and GET /healthz (resource)
//   scaling      two service processes on one database, each booking its own activities, against one
//   contention   200 concurrent bookings for the last 20 spaces, over HTTP and in-process
//   reports      the quarterly report at 10k, 100k and 1M places and the row-level CSV export of 1M
//                places (scripts/bench-reports.ts), last because it seeds about 400 MB
//
// Throughput targets that are missed are reported as MISSED; only overbooking (or a 5xx in the
// race) sets a failing exit code. Run it under the build lock: flock /tmp/join-in-build.lock npm run bench
// (PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres flock /tmp/join-in-build.lock npm run bench)
import { execSync, fork, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { createActivities } from '../app/domain/activities.server'
import { parseActivityForm } from '../app/domain/activity-form'
import { childKey } from '../app/domain/booking-form'
import { book, type BookingRequest } from '../app/domain/bookings.server'
import type { Links } from '../app/domain/links'
import { openDatabase, type OpenedDatabase } from '../db/index'
import { migrateToLatest, seedReferenceData } from '../db/migrate'
import {
  BENCH_DATABASE,
  BENCH_ON_POSTGRES,
  benchDatabaseUrl,
  dropAllBenchDatabases,
  dropBenchDatabase,
  postgresDescription,
} from './bench-db'
import { runReportBench, type ReportBenchResult } from './bench-reports'
import { printSeriesBench, runSeriesBench, type SeriesBenchResult } from './bench-series'

const root = path.resolve(import.meta.dirname, '..')
const buildFile = path.join(root, 'build/server/index.js')

// ---- knobs (environment overrides are for investigating, the defaults are the benchmark) ----
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3)
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 500)
const IN_PROCESS_MS = Number(process.env.BENCH_IN_PROCESS_MS ?? 2000)
const HTTP_MS = Number(process.env.BENCH_HTTP_MS ?? 3000)
// 4 bookings in flight at once is already a rush for one agency (hundreds of bookings a year);
// the 8-in-flight row shows how latency grows from queueing once the one process is saturated.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4)
const BUSY_CONCURRENCY = 8
/** the same booking POSTs one at a time: latency without queueing, for reading the p99 (info only) */
const SOLO_MS = Number(process.env.BENCH_SOLO_MS ?? 1500)
/** book() against the raw transaction: the codebase issue's target (it was 0.3× before) */
const BOOK_TARGET = 0.5
const RACERS = 200
const RACE_SPACES = 20
const RACE_CAPACITY = 40
/** what a browser sends; the server compresses HTML above 1 kB (the 302s are smaller) */
const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING ?? 'gzip, deflate, br'
const AUTHORITY = 'E10000016' // Kent: seeded and active
const LINKS: Links = { baseUrl: 'http://localhost', domain: 'localhost' }
const MAX_CHILDREN = 6

const temps: string[] = []
const children: ChildProcess[] = []
let failed = false

function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `join-in-bench-${label}-`))
  temps.push(dir)
  return dir
}

function loud(message: string): void {
  failed = true
  process.exitCode = 1
  const bar = '!'.repeat(78)
  console.error(`\n${bar}\n!!! ${message}\n${bar}\n`)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–'

// ---- data ----

/** A date of birth making the child 8 on the day of an activity 30 days ahead. */
function childDob(): string {
  const d = new Date(Date.now() + 30 * 86_400_000)
  d.setUTCFullYear(d.getUTCFullYear() - 8)
  return new Date(d.getTime() - 60 * 86_400_000).toISOString().slice(0, 10)
}
const DOB = childDob()
let nameCounter = 0
/** Unique per process run, so (activity, child_key) never collides. */
const uniqueName = (prefix: string) => `${prefix}${(++nameCounter).toString(36)}`

/**
 * A fresh database, migrated and seeded: a file in its own folder on SQLite, a new database on the
 * PostgreSQL server otherwise (scripts/bench-db.ts). `settings` are PostgreSQL session settings for
 * every connection of its pool (the info rows' synchronous_commit=off).
 */
async function freshDatabase(label: string, settings?: string): Promise<OpenedDatabase & { url: string }> {
  const url = await benchDatabaseUrl(tempDir(label), 'join-in')
  const opened = openDatabase(settings ? withSessionSettings(url, settings) : url)
  await migrateToLatest(opened.db)
  await seedReferenceData(opened.db)
  return { ...opened, url }
}

/** A PostgreSQL URL whose connections start with `-c name=value` settings. */
function withSessionSettings(url: string, settings: string): string {
  const parsed = new URL(url)
  parsed.searchParams.set('options', `-c ${settings}`)
  return parsed.toString()
}

async function closeDatabase(database: OpenedDatabase & { url: string }): Promise<void> {
  await database.db.destroy()
  await dropBenchDatabase(database.url)
}

/** A published activity 30 days ahead, ages 5–11; capacities above the form's 500 are allowed by the DB. */
async function createActivity(database: OpenedDatabase, capacity: number, title: string): Promise<number> {
  const start = new Date(Date.now() + 30 * 86_400_000)
  const parsed = parseActivityForm({
    kind: 'activity',
    title,
    category: 'Science experiments',
    description: 'Benchmark activity.',
    'date-day': String(start.getUTCDate()),
    'date-month': String(start.getUTCMonth() + 1),
    'date-year': String(start.getUTCFullYear()),
    startTime: '16:00',
    endTime: '17:00',
    capacity: '20',
    minAge: '5',
    maxAge: '11',
    locationType: 'online',
    joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_BENCH%40thread.v2/0',
    venue: '',
    repeat: 'none',
    sessions: '',
  })
  if (!parsed.ok) throw new Error(`activity form did not parse: ${JSON.stringify(parsed.errors)}`)
  const created = await createActivities(database.db, { ...parsed.value, capacity }, { publish: true, createdBy: null })
  if (created.status !== 'created') throw new Error(`could not create the activity: ${created.error}`)
  return created.ids[0]!
}

/**
 * Each booking from its own family, as in life: one address booking thousands of times would
 * meet the per-address email limit, and its emails would be held rather than queued.
 */
let familyCounter = 0
const familyEmail = () => `parent${(++familyCounter).toString(36)}.${process.pid}@example.org`

function bookingRequest(activityId: number, prefix: string): BookingRequest {
  return {
    activityId,
    idempotencyKey: crypto.randomUUID(),
    acceptWaitlist: true,
    contactName: 'Pat Parent',
    email: familyEmail(),
    phone: null,
    authorityCode: AUTHORITY,
    mailingListOptIn: false,
    children: [{ firstName: uniqueName(prefix), dateOfBirth: DOB, supportNeeds: null }],
  }
}

function bookingBody(prefix: string): string {
  const [year, month, day] = DOB.split('-')
  return new URLSearchParams({
    contactName: 'Pat Parent',
    email: familyEmail(),
    phone: '',
    authority: AUTHORITY,
    eligibility: 'yes',
    childCount: '1',
    'child-0-firstName': uniqueName(prefix),
    'child-0-dob-day': String(Number(day)),
    'child-0-dob-month': String(Number(month)),
    'child-0-dob-year': year!,
    'child-0-supportNeeds': '',
    intent: 'confirm',
    idempotencyKey: crypto.randomUUID(),
    whenShort: 'waitlist',
  }).toString()
}

async function confirmedCount(
  database: OpenedDatabase,
  activityId: number,
): Promise<{ confirmed: number; waitlisted: number }> {
  const rows = await database.db
    .selectFrom('place')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('activity_id', '=', activityId)
    .groupBy('status')
    .execute()
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
  // a new family's places are held (they take a space until the address is confirmed)
  return { confirmed: (by.confirmed ?? 0) + (by.held ?? 0), waitlisted: by.waitlisted ?? 0 }
}

// ---- (a) raw better-sqlite3 ----

interface Throughput {
  ops: number
  perSecond: number
}

/** Runs fn repeatedly: warm-up, then a timed window; synchronous fns never yield, which is the point of (a). */
function timedSync(fn: () => void, ms: number): Throughput {
  const warmEnd = performance.now() + WARMUP_MS
  while (performance.now() < warmEnd) fn()
  const start = performance.now()
  const end = start + ms
  let ops = 0
  while (performance.now() < end) {
    fn()
    ops++
  }
  return { ops, perSecond: (ops * 1000) / (performance.now() - start) }
}

async function timedAsync(fn: () => Promise<void>, ms: number): Promise<Throughput> {
  const warmEnd = performance.now() + WARMUP_MS
  while (performance.now() < warmEnd) await fn()
  const start = performance.now()
  const end = start + ms
  let ops = 0
  while (performance.now() < end) {
    await fn()
    ops++
  }
  return { ops, perSecond: (ops * 1000) / (performance.now() - start) }
}

/**
 * synchronous: left as openDatabase sets it (FULL on SQLite; PostgreSQL's synchronous_commit=on)
 * for the benchmark; OFF only for the diagnostic row (synchronous_commit=off on PostgreSQL).
 */
async function benchRaw(synchronous?: 'OFF'): Promise<Throughput> {
  const database = await freshDatabase('raw')
  try {
    const activityId = await createActivity(database, 1_000_000_000, 'Raw benchmark')
    if (database.kind === 'postgres') return await rawPostgresBookingLoop(database.url, activityId, synchronous)
    if (synchronous) database.sqlite.pragma(`synchronous = ${synchronous}`)
    return rawBookingLoop(database.sqlite, activityId)
  } finally {
    await closeDatabase(database)
  }
}

/**
 * PostgreSQL's (a): the same transaction in hand-written SQL on one `pg` connection, with the
 * row lock the app takes (FOR NO KEY UPDATE on the activity: without it the count is not a
 * capacity check under READ COMMITTED), prepared statements, one round trip per statement.
 */
async function rawPostgresBookingLoop(url: string, activityId: number, synchronous?: 'OFF'): Promise<Throughput> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    if (synchronous) await client.query('set synchronous_commit = off')
    let n = 0
    return await timedAsync(async () => {
      n++
      await client.query('begin')
      try {
        const capacity = await client.query<{ capacity: number }>({
          name: 'capacity',
          text: 'select capacity from activity where id = $1 for no key update',
          values: [activityId],
        })
        const confirmed = await client.query<{ n: string }>({
          name: 'confirmed',
          text: "select count(*) as n from place where activity_id = $1 and status in ('confirmed', 'held')",
          values: [activityId],
        })
        if (Number(confirmed.rows[0]!.n) >= capacity.rows[0]!.capacity)
          throw new Error('full: the raw benchmark activity should never fill')
        const stamp = new Date().toISOString()
        const id = `raw-${n}-${process.pid}`
        const booking = await client.query<{ id: number }>({
          name: 'booking',
          text: `insert into booking (reference, activity_id, contact_name, email, phone, authority_code, manage_token_hash,
                   idempotency_key, mailing_list_opt_in, created_at, updated_at)
                 values ($1, $2, 'Pat Parent', 'pat@example.org', null, $3, $4, $5, 0, $6, $6) returning id`,
          values: [`R-${n}`, activityId, AUTHORITY, hashHex(id), id, stamp],
        })
        const name = `Raw${n}`
        await client.query({
          name: 'place',
          text: `insert into place (booking_id, activity_id, first_name, date_of_birth, child_key, age_on_day, school_year,
                   authority_code, support_needs, status, attended, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, 8, 3, $6, null, 'confirmed', null, $7, $7)`,
          values: [booking.rows[0]!.id, activityId, name, DOB, childKey(name, DOB), AUTHORITY, stamp],
        })
        await client.query('commit')
      } catch (error) {
        await client.query('rollback')
        throw error
      }
    }, IN_PROCESS_MS)
  } finally {
    await client.end()
  }
}

function rawBookingLoop(sqlite: BetterSqlite3.Database, activityId: number): Throughput {
  const capacityOf = sqlite.prepare<[number], { capacity: number }>('select capacity from activity where id = ?')
  const countConfirmed = sqlite.prepare<[number], { n: number }>(
    "select count(*) as n from place where activity_id = ? and status in ('confirmed', 'held')",
  )
  const insertBooking = sqlite.prepare(
    `insert into booking (reference, activity_id, contact_name, email, phone, authority_code, manage_token_hash,
       idempotency_key, mailing_list_opt_in, created_at, updated_at)
     values (?, ?, 'Pat Parent', 'pat@example.org', null, ?, ?, ?, 0, ?, ?)`,
  )
  const insertPlace = sqlite.prepare(
    `insert into place (booking_id, activity_id, first_name, date_of_birth, child_key, age_on_day, school_year,
       authority_code, support_needs, status, attended, created_at, updated_at)
     values (?, ?, ?, ?, ?, 8, 3, ?, null, 'confirmed', null, ?, ?)`,
  )
  const run = sqlite.transaction((n: number) => {
    const capacity = capacityOf.get(activityId)!.capacity
    const { n: confirmed } = countConfirmed.get(activityId)!
    if (confirmed >= capacity) throw new Error('full: the raw benchmark activity should never fill')
    const stamp = new Date().toISOString()
    const id = `raw-${n}-${process.pid}`
    const booking = insertBooking.run(`R-${n}`, activityId, AUTHORITY, hashHex(id), id, stamp, stamp)
    const name = `Raw${n}`
    insertPlace.run(booking.lastInsertRowid, activityId, name, DOB, childKey(name, DOB), AUTHORITY, stamp, stamp)
  })
  let n = 0
  return timedSync(() => run.immediate(++n), IN_PROCESS_MS)
}

/** the no-fsync diagnostic: SQLite's synchronous=OFF, PostgreSQL's synchronous_commit=off */
const NO_SYNC = BENCH_ON_POSTGRES ? 'synchronous_commit=off' : 'synchronous=OFF'

const hashHex = (s: string) => crypto.createHash('sha256').update(s).digest('hex')

// ---- (b) app's book() ----

async function benchApp(synchronous?: 'OFF'): Promise<Throughput> {
  const database = await freshDatabase('app', synchronous && BENCH_ON_POSTGRES ? 'synchronous_commit=off' : undefined)
  if (synchronous && database.kind === 'sqlite') database.sqlite.pragma(`synchronous = ${synchronous}`)
  try {
    const activityId = await createActivity(database, 1_000_000_000, 'App benchmark')
    return await timedAsync(async () => {
      const result = await book(database.db, bookingRequest(activityId, 'App'), LINKS, { maxChildren: MAX_CHILDREN })
      if (result.status !== 'booked' || result.confirmed.length + result.held.length !== 1)
        throw new Error(`book() said ${JSON.stringify(result)}`)
    }, IN_PROCESS_MS)
  } finally {
    await closeDatabase(database)
  }
}

// ---- the real service in a child process ----

interface Service {
  url: string
  origin: URL
  database: OpenedDatabase
  /** what DATABASE_URL the service was given: a second instance can share it */
  databaseUrl: string
  pid: number
  close(): Promise<void>
}

/**
 * The service in its own process on a fresh database, or on `shared` (another instance's database:
 * two instances behind one load balancer). The instance that made the database drops it on close.
 */
async function startServiceProcess(label: string, shared?: string): Promise<Service> {
  const file = shared ?? (await benchDatabaseUrl(tempDir(label), 'join-in'))
  const execArgv = ['--import', 'tsx']
  if (process.env.BENCH_CPU_PROF)
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`)
  const child = fork(path.join(root, 'scripts/bench-server.ts'), [], {
    cwd: root,
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      // required in production; the bench follows no link in an email
      PUBLIC_URL: 'http://127.0.0.1',
      HOST: '127.0.0.1',
      SECURE_COOKIES: 'false',
      BOOKING_RATE_LIMIT: '100000000',
      ADMIN_EMAIL: 'bench-admin@example.org',
      ADMIN_PASSWORD: 'a long benchmark password 42',
      SECRET_KEY: 'a benchmark secret key, made-up data only',
      DATABASE_URL: file,
      SMTP_URL: '',
    },
  })
  children.push(child)
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the service did not start within 30 s')), 30_000)
    child.once('message', (m: { url: string }) => {
      clearTimeout(timer)
      resolve(m.url)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the service exited while starting (code ${code})`))
    })
  })
  // The service migrated and seeded the database; the bench opens its own connection to set up
  // data and to count places, as a second process would.
  const database = openDatabase(file)
  return {
    url,
    origin: new URL(url),
    database,
    databaseUrl: file,
    pid: child.pid!,
    async close() {
      await database.db.destroy()
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
        child.send('close')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      if (!shared) await dropBenchDatabase(file)
    },
  }
}

// ---- HTTP driver: node:http with keep-alive, a fixed number of requests in flight ----

interface HttpResult {
  status: number
  ms: number
}

function send(
  agent: http.Agent,
  origin: URL,
  method: 'GET' | 'POST',
  pathname: string,
  body?: string,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Accept-Encoding': ACCEPT_ENCODING, Accept: 'text/html' }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
      headers['Content-Length'] = String(Buffer.byteLength(body))
      headers.Origin = origin.origin
    }
    const t0 = performance.now()
    const req = http.request(
      { host: origin.hostname, port: origin.port, path: pathname, method, agent, headers },
      (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

interface HttpRun {
  perSecond: number
  ok: number
  errors: Map<string, number>
  p50: number
  p99: number
  max: number
}

async function drive(
  service: Service,
  make: () => { method: 'GET' | 'POST'; path: string; body?: string },
  okStatus: number,
  ms: number,
  concurrency = CONCURRENCY,
): Promise<HttpRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const latencies: number[] = []
  const errors = new Map<string, number>()
  let ok = 0
  let measuring = false
  let stop = false
  const worker = async () => {
    while (!stop) {
      const r = make()
      let result: HttpResult
      try {
        result = await send(agent, service.origin, r.method, r.path, r.body)
      } catch (error) {
        const key = `network: ${(error as Error).message}`
        if (measuring) errors.set(key, (errors.get(key) ?? 0) + 1)
        continue
      }
      if (!measuring) continue
      latencies.push(result.ms)
      if (result.status === okStatus) ok++
      else errors.set(String(result.status), (errors.get(String(result.status)) ?? 0) + 1)
    }
  }
  const workers = Array.from({ length: concurrency }, worker)
  await sleep(WARMUP_MS)
  measuring = true
  const start = performance.now()
  await sleep(ms)
  measuring = false
  const elapsed = performance.now() - start
  stop = true
  await Promise.all(workers)
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return {
    perSecond: (ok * 1000) / elapsed,
    ok,
    errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
  }
}

// ---- contention ----

async function httpContention(): Promise<{
  confirmedInRace: number
  total: number
  waitlisted: number
  statuses: Map<number, number>
}> {
  const service = await startServiceProcess('race-http')
  try {
    const activityId = await createActivity(service.database, RACE_CAPACITY, 'HTTP race')
    for (let i = 0; i < RACE_CAPACITY - RACE_SPACES; i++) {
      const r = await book(service.database.db, bookingRequest(activityId, 'Early'), LINKS, {
        maxChildren: MAX_CHILDREN,
      })
      if (r.status !== 'booked' || r.confirmed.length + r.held.length !== 1)
        throw new Error(`could not fill the first places: ${JSON.stringify(r)}`)
    }
    const before = await confirmedCount(service.database, activityId)
    const agent = new http.Agent({ keepAlive: true, maxSockets: RACERS })
    const bodies = Array.from({ length: RACERS }, () => bookingBody('Racer'))
    const statuses = new Map<number, number>()
    const results = await Promise.allSettled(
      bodies.map((body) => send(agent, service.origin, 'POST', `/activities/${activityId}`, body)),
    )
    agent.destroy()
    for (const r of results) {
      const status = r.status === 'fulfilled' ? r.value.status : 0
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    }
    const after = await confirmedCount(service.database, activityId)
    return {
      confirmedInRace: after.confirmed - before.confirmed,
      total: after.confirmed,
      waitlisted: after.waitlisted,
      statuses,
    }
  } finally {
    await service.close()
  }
}

async function inProcessContention(): Promise<{
  confirmedInRace: number
  total: number
  waitlisted: number
  outcomes: Map<string, number>
}> {
  const database = await freshDatabase('race-app')
  try {
    const activityId = await createActivity(database, RACE_CAPACITY, 'In-process race')
    for (let i = 0; i < RACE_CAPACITY - RACE_SPACES; i++) {
      await book(database.db, bookingRequest(activityId, 'Early'), LINKS, { maxChildren: MAX_CHILDREN })
    }
    const before = await confirmedCount(database, activityId)
    const outcomes = new Map<string, number>()
    const results = await Promise.allSettled(
      Array.from({ length: RACERS }, () =>
        book(database.db, bookingRequest(activityId, 'Racer'), LINKS, { maxChildren: MAX_CHILDREN }),
      ),
    )
    for (const r of results) {
      const key =
        r.status === 'rejected'
          ? `threw: ${(r.reason as Error).message}`
          : r.value.status === 'booked'
            ? r.value.confirmed.length + r.value.held.length
              ? 'booked (a space: held for a new family)'
              : 'booked (waiting list)'
            : r.value.status
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1)
    }
    const after = await confirmedCount(database, activityId)
    return {
      confirmedInRace: after.confirmed - before.confirmed,
      total: after.confirmed,
      waitlisted: after.waitlisted,
      outcomes,
    }
  } finally {
    await closeDatabase(database)
  }
}

// ---- two instances on one database ----

const SCALE_ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 5)
/** per instance per run: its requests go round these, and no other instance books them */
const SCALE_ACTIVITIES = 4
/** small enough that most fill during a run, so "confirmed ≤ capacity" is a real check */
const SCALE_CAPACITY = Number(process.env.BENCH_SCALE_CAPACITY ?? 25)
const SCALE_TARGET = 1.6

/** The whole machine's CPU time from /proc/stat (Linux), to say how busy both cores were. */
function cpuTimes(): { busy: number; total: number } | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!
    const n = line.trim().split(/\s+/).slice(1).map(Number)
    const idle = n[3]! + (n[4] ?? 0)
    const total = n.reduce((a, b) => a + b, 0)
    return { busy: total - idle, total }
  } catch {
    return null
  }
}
/** CPU ticks (user + system) of each of these processes, from /proc/<pid>/stat (Linux; empty elsewhere). */
function processTicks(pids: number[]): Map<number, number> {
  const ticks = new Map<number, number>()
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks.set(pid, Number(fields[11]) + Number(fields[12]))
    } catch {
      // gone, or not Linux
    }
  }
  return ticks
}

/** Ticks used between two samples by the processes present in both. */
function ticksBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0
  for (const [pid, t] of after) if (before.has(pid)) ticks += t - before.get(pid)!
  return ticks
}

/**
 * The PostgreSQL backends serving the bench's database (the services' pooled connections): their
 * pids from pg_stat_activity. Empty on SQLite.
 */
async function backendPids(database: OpenedDatabase): Promise<number[]> {
  if (database.kind !== 'postgres') return []
  const { rows } = await database.pool.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  )
  return rows.map((r) => r.pid)
}

/** Where the CPU went during a run, in cores: this process, the services, their PostgreSQL backends, the rest. */
interface CpuSplit {
  /** the whole machine's busy share, 0–1 */
  busy: number
  bench: number
  services: number
  postgres: number
  others: number
}

async function withCpu<T>(
  servicePids: number[],
  database: OpenedDatabase,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuSplit }> {
  const t0 = performance.now()
  const machine0 = cpuTimes()
  const before = { bench: processTicks([process.pid]), services: processTicks(servicePids) }
  let backends: number[] = []
  let backends0 = new Map<number, number>()
  // the pools open their connections as the load starts: take the backends' pids once they are there
  const early = setTimeout(() => {
    void backendPids(database).then((pids) => {
      backends = pids
      backends0 = processTicks(pids)
    })
  }, WARMUP_MS)
  const result = await work()
  clearTimeout(early)
  const machine1 = cpuTimes()
  const seconds = (performance.now() - t0) / 1000
  // /proc/<pid>/stat counts clock ticks, 100 a second on Linux
  const cores = (ticks: number) => ticks / 100 / seconds
  const busy =
    machine0 && machine1 ? (machine1.busy - machine0.busy) / Math.max(1, machine1.total - machine0.total) : NaN
  const bench = cores(ticksBetween(before.bench, processTicks([process.pid])))
  const services = cores(ticksBetween(before.services, processTicks(servicePids)))
  // from the end of the warm-up: scaled to the whole run as an estimate
  const postgresSeconds = Math.max(0.001, seconds - WARMUP_MS / 1000)
  const postgres = ticksBetween(backends0, processTicks(backends)) / 100 / postgresSeconds
  const others = Math.max(0, busy * os.cpus().length - bench - services - postgres)
  return { result, cpu: { busy, bench, services, postgres, others } }
}

interface ScalingRound {
  one: number
  two: number
  twoA: number
  twoB: number
  ratio: number
  cpuOne: CpuSplit
  cpuTwo: CpuSplit
}

interface ScalingResult {
  rounds: ScalingRound[]
  one: number
  two: number
  ratio: number
  activities: number
  filled: number
  overbooked: Array<{ id: number; confirmed: number; capacity: number }>
  errors: number
  p99One: number
  p99Two: number
}

/**
 * Two services (two processes, each with its own pool) on ONE database, as behind a load balancer.
 * Each round: one instance alone at CONCURRENCY in flight, and both at once at CONCURRENCY each,
 * every instance booking its own fresh activities; the order alternates between rounds so drift
 * on a noisy machine hits both alike. The ratio is per round (both measured minutes apart), its
 * median reported. At the end every activity's confirmed places are counted against its capacity.
 */
async function instanceScaling(): Promise<ScalingResult> {
  const a = await startServiceProcess('scale-a')
  const b = await startServiceProcess('scale-b', a.databaseUrl)
  const activities: number[] = []
  let made = 0
  const fresh = async () => {
    const ids: number[] = []
    for (let i = 0; i < SCALE_ACTIVITIES; i++)
      ids.push(await createActivity(a.database, SCALE_CAPACITY, `Scaling ${++made}`))
    activities.push(...ids)
    return ids
  }
  const booker = (ids: number[]) => {
    let k = 0
    return () => ({ method: 'POST' as const, path: `/activities/${ids[k++ % ids.length]}`, body: bookingBody('Scale') })
  }
  const rounds: ScalingRound[] = []
  const p99s: { one: number[]; two: number[] } = { one: [], two: [] }
  let errors = 0
  const count = (r: HttpRun) => [...r.errors.values()].reduce((x, y) => x + y, 0)
  try {
    for (let i = 0; i < SCALE_ROUNDS; i++) {
      const single = async () => {
        const ids = await fresh()
        const alone = i % 2 ? b : a
        return withCpu([alone.pid], a.database, () => drive(alone, booker(ids), 302, HTTP_MS))
      }
      const both = async () => {
        const idsA = await fresh()
        const idsB = await fresh()
        return withCpu([a.pid, b.pid], a.database, () =>
          Promise.all([drive(a, booker(idsA), 302, HTTP_MS), drive(b, booker(idsB), 302, HTTP_MS)]),
        )
      }
      let one: Awaited<ReturnType<typeof single>>
      let two: Awaited<ReturnType<typeof both>>
      if (i % 2 === 0) {
        one = await single()
        two = await both()
      } else {
        two = await both()
        one = await single()
      }
      const [ra, rb] = two.result
      const round: ScalingRound = {
        one: one.result.perSecond,
        twoA: ra.perSecond,
        twoB: rb.perSecond,
        two: ra.perSecond + rb.perSecond,
        ratio: (ra.perSecond + rb.perSecond) / one.result.perSecond,
        cpuOne: one.cpu,
        cpuTwo: two.cpu,
      }
      rounds.push(round)
      p99s.one.push(one.result.p99)
      p99s.two.push(Math.max(ra.p99, rb.p99))
      errors += count(one.result) + count(ra) + count(rb)
      process.stdout.write(
        `  scaling round ${i + 1}/${SCALE_ROUNDS}: one instance ${fmt(round.one)}/s, two ${fmt(round.twoA)} + ${fmt(round.twoB)} = ${fmt(round.two)}/s, ${round.ratio.toFixed(2)}×\n`,
      )
    }
    const rows = await a.database.db
      .selectFrom('activity')
      .leftJoin('place', (join) =>
        join.onRef('place.activity_id', '=', 'activity.id').on('place.status', 'in', ['confirmed', 'held']),
      )
      .select(['activity.id', 'activity.capacity', (eb) => eb.fn.count<number>('place.id').as('confirmed')])
      .where('activity.id', 'in', activities)
      .groupBy(['activity.id', 'activity.capacity'])
      .execute()
    const overbooked = rows
      .map((r) => ({ id: r.id, confirmed: Number(r.confirmed), capacity: r.capacity }))
      .filter((r) => r.confirmed > r.capacity)
    return {
      rounds,
      one: median(rounds.map((r) => r.one)),
      two: median(rounds.map((r) => r.two)),
      ratio: median(rounds.map((r) => r.ratio)),
      activities: rows.length,
      filled: rows.filter((r) => Number(r.confirmed) === r.capacity).length,
      overbooked,
      errors,
      p99One: median(p99s.one),
      p99Two: median(p99s.two),
    }
  } finally {
    await b.close()
    await a.close()
  }
}

function printScaling(s: ScalingResult): void {
  const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '–')
  const cores = (c: CpuSplit) => [c.bench, c.services, c.postgres, c.others].map((x) => fmt(x, 2)).join(', ')
  console.log(
    `\nTwo instances on one ${BENCH_DATABASE} database: HTTP booking POSTs, ${CONCURRENCY} in flight per instance, ` +
      `each instance on its own ${SCALE_ACTIVITIES} activities (capacity ${SCALE_CAPACITY})`,
  )
  console.log(
    table(
      [
        'round',
        'one instance /s',
        'two instances /s',
        '(A + B)',
        'ratio',
        'machine busy 1 / 2',
        'cores: bench, app, PG, other (1 → 2)',
      ],
      [
        ...s.rounds.map((r, i) => [
          String(i + 1),
          fmt(r.one),
          fmt(r.two),
          `${fmt(r.twoA)} + ${fmt(r.twoB)}`,
          `${r.ratio.toFixed(2)}×`,
          `${pct(r.cpuOne.busy)} / ${pct(r.cpuTwo.busy)}`,
          `${cores(r.cpuOne)} → ${cores(r.cpuTwo)}`,
        ]),
        ['median', fmt(s.one), fmt(s.two), '', `${s.ratio.toFixed(2)}×`, '', ''],
      ],
    ),
  )
  console.log(
    `  p99 (median of rounds): one instance ${fmt(s.p99One, 1)} ms, two ${fmt(s.p99Two, 1)} ms; non-302 responses ${s.errors}`,
  )
  console.log(
    `  overbooking check: ${s.activities} activities, ${s.filled} filled to capacity, ` +
      (s.overbooked.length
        ? `${s.overbooked.length} OVERBOOKED (${s.overbooked.map((o) => `#${o.id} ${o.confirmed}/${o.capacity}`).join(', ')})`
        : 'none with more confirmed than capacity'),
  )
  console.log(
    `  machine busy: all ${os.cpus().length} cores, from /proc/stat. Cores used, from /proc/<pid>/stat: bench = this load ` +
      `generator; app = the service process(es) measured; PG = the PostgreSQL backends connected to the bench's ` +
      `database (from pg_stat_activity, after the warm-up); other = everything else on the machine, other clients ` +
      `of the PostgreSQL server included. On one machine the load generator` +
      `${BENCH_ON_POSTGRES ? ', the services and PostgreSQL' : ' and the services'} share the same cores.`,
  )
}

// ---- output ----

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'MISSED'
}

interface Header {
  lines: string[]
}

/** SQLite's settings and what one commit costs here: a one-row transaction with FULL, then OFF (no fsync). */
async function sqliteHeader(): Promise<Header> {
  const probe = await freshDatabase('probe')
  if (probe.kind !== 'sqlite') throw new Error('unreachable: the SQLite header on PostgreSQL')
  const sqliteVersion = (probe.sqlite.prepare('select sqlite_version() as v').get() as { v: string }).v
  const journal = probe.sqlite.pragma('journal_mode', { simple: true })
  const synchronous = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(probe.sqlite.pragma('synchronous', { simple: true }))]
  probe.sqlite.exec('create table bench_probe (id integer primary key, v text)')
  const probeInsert = probe.sqlite.prepare("insert into bench_probe (v) values ('x')")
  const probeTx = probe.sqlite.transaction(() => probeInsert.run())
  const commitMs = (mode: string) => {
    probe.sqlite.pragma(`synchronous = ${mode}`)
    const r = timedSync(() => probeTx.immediate(), 700)
    return 1000 / r.perSecond
  }
  const commitFull = commitMs('FULL')
  const commitOff = commitMs('OFF')
  await closeDatabase(probe)
  return {
    lines: [
      `SQLite ${sqliteVersion}, journal_mode=${journal}, synchronous=${synchronous} (as openDatabase sets them), files in ${os.tmpdir()}`,
      `one-row commit: ${commitFull.toFixed(3)} ms with synchronous=FULL, ${commitOff.toFixed(3)} ms with OFF (so fsync ≈ ${(commitFull - commitOff).toFixed(3)} ms)`,
    ],
  }
}

/**
 * PostgreSQL's settings and the same probe: a one-row insert transaction on one connection with
 * synchronous_commit=on (the server's default: the commit waits for the WAL flush), then off.
 */
async function postgresHeader(): Promise<Header> {
  const probe = await freshDatabase('probe')
  const client = new pg.Client({ connectionString: probe.url })
  await client.connect()
  try {
    await client.query('create table bench_probe (id integer generated always as identity primary key, v text)')
    const commitMs = async (mode: string) => {
      await client.query(`set synchronous_commit = ${mode}`)
      const r = await timedAsync(async () => {
        await client.query('begin')
        await client.query({ name: 'probe', text: "insert into bench_probe (v) values ('x')" })
        await client.query('commit')
      }, 700)
      return 1000 / r.perSecond
    }
    const on = await commitMs('on')
    const off = await commitMs('off')
    return {
      lines: [
        ...(await postgresDescription()),
        `one-row commit over one connection: ${on.toFixed(3)} ms with synchronous_commit=on, ${off.toFixed(3)} ms with off ` +
          `(so the WAL flush ≈ ${(on - off).toFixed(3)} ms); the app's pool: PG_POOL_SIZE=${process.env.PG_POOL_SIZE ?? '10 (default)'}`,
      ],
    }
  } finally {
    await client.end()
    await closeDatabase(probe)
  }
}

async function main(): Promise<void> {
  const began = performance.now()
  if (!fs.existsSync(buildFile)) {
    console.log('No production build: building once (npm run build)…')
    execSync('npm run build', { cwd: root, stdio: 'inherit' })
  }

  const header = BENCH_ON_POSTGRES ? await postgresHeader() : await sqliteHeader()
  const cpus = os.cpus()
  console.log(`Join In benchmark on ${BENCH_DATABASE}`)
  console.log(`  node ${process.version} on ${os.platform()} ${os.arch()} (${os.release()})`)
  console.log(
    `  ${cpus.length} CPU(s): ${cpus[0]?.model ?? 'unknown'}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  for (const line of header.lines) console.log(`  ${line}`)
  console.log(
    `  ${REPEATS} runs of each, median reported; in-process ${IN_PROCESS_MS} ms, HTTP ${HTTP_MS} ms at ${CONCURRENCY} in flight, ${WARMUP_MS} ms warm-up each`,
  )
  console.log(
    `  HTTP: the service runs in its own process (scripts/bench-server.ts); requests send Accept-Encoding: ${ACCEPT_ENCODING}\n`,
  )

  // BENCH_ONLY=scaling: the two-instance rounds alone (for investigating them); BENCH_ONLY=book: (a) and (b)
  if (process.env.BENCH_ONLY === 'scaling') {
    const scaling = await instanceScaling()
    printScaling(scaling)
    if (scaling.overbooked.length) loud(`OVERBOOKED with two instances: ${scaling.overbooked.length} activities`)
    return
  }

  // (a) and (b), alternating so drift on a noisy machine hits both alike.
  const raw: Throughput[] = []
  const app: Throughput[] = []
  for (let i = 0; i < REPEATS; i++) {
    raw.push(await benchRaw())
    app.push(await benchApp())
    process.stdout.write(
      `  in-process run ${i + 1}/${REPEATS}: raw ${fmt(raw[i]!.perSecond)}/s, app ${fmt(app[i]!.perSecond)}/s\n`,
    )
  }
  // BENCH_ONLY=book: (a) and (b) alone, with their ratio (for investigating book())
  if (process.env.BENCH_ONLY === 'book') {
    const ratio = median(app.map((r) => r.perSecond)) / median(raw.map((r) => r.perSecond))
    console.log(`\napp book() / raw transaction: ${ratio.toFixed(3)}× (goal ≥ ${BOOK_TARGET}×)`)
    const [rawOff, appOff] = [await benchRaw('OFF'), await benchApp('OFF')]
    console.log(
      `without fsync: raw ${fmt(rawOff.perSecond)}/s, app ${fmt(appOff.perSecond)}/s, ${(appOff.perSecond / rawOff.perSecond).toFixed(3)}×`,
    )
    return
  }
  // Diagnostic, one run each: the same without fsync, to show how much of (a) and (b) is the disk.
  const rawNoSync = await benchRaw('OFF')
  const appNoSync = await benchApp('OFF')

  // (c) and (d) against one service on a fresh file, again alternating.
  const service = await startServiceProcess('http')
  const bookingRuns: HttpRun[] = []
  const soloRuns: HttpRun[] = []
  const busyRuns: HttpRun[] = []
  const pageRuns: HttpRun[] = []
  const healthRuns: HttpRun[] = []
  try {
    const activityId = await createActivity(service.database, 1_000_000_000, 'HTTP benchmark')
    const bookingPath = `/activities/${activityId}`
    for (let i = 0; i < REPEATS; i++) {
      bookingRuns.push(
        await drive(service, () => ({ method: 'POST', path: bookingPath, body: bookingBody('Http') }), 302, HTTP_MS),
      )
      soloRuns.push(
        await drive(service, () => ({ method: 'POST', path: bookingPath, body: bookingBody('Solo') }), 302, SOLO_MS, 1),
      )
      busyRuns.push(
        await drive(
          service,
          () => ({ method: 'POST', path: bookingPath, body: bookingBody('Busy') }),
          302,
          SOLO_MS,
          BUSY_CONCURRENCY,
        ),
      )
      pageRuns.push(await drive(service, () => ({ method: 'GET', path: '/accessibility' }), 200, HTTP_MS))
      healthRuns.push(await drive(service, () => ({ method: 'GET', path: '/healthz' }), 200, HTTP_MS))
      process.stdout.write(
        `  HTTP run ${i + 1}/${REPEATS}: booking ${fmt(bookingRuns[i]!.perSecond)}/s, /accessibility ${fmt(pageRuns[i]!.perSecond)}/s, /healthz ${fmt(healthRuns[i]!.perSecond)}/s\n`,
      )
    }
  } finally {
    await service.close()
  }

  console.log(`\nTwo instances on one database, ${SCALE_ROUNDS} rounds`)
  const scaling = await instanceScaling()

  console.log(
    '\nContention: 200 concurrent bookings (one child each, waiting list accepted) for the last 20 of 40 spaces',
  )
  const httpRace = await httpContention()
  const appRace = await inProcessContention()

  // ---- results ----
  const rawPs = median(raw.map((r) => r.perSecond))
  const appPs = median(app.map((r) => r.perSecond))
  const summarise = (runs: HttpRun[]) => ({
    perSecond: median(runs.map((r) => r.perSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    max: Math.max(...runs.map((r) => r.max)),
    ok: runs.reduce((s, r) => s + r.ok, 0),
    errors: runs.reduce((all, r) => {
      for (const [k, v] of r.errors) all.set(k, (all.get(k) ?? 0) + v)
      return all
    }, new Map<string, number>()),
  })
  const booking = summarise(bookingRuns)
  const solo = summarise(soloRuns)
  const busy = summarise(busyRuns)
  const page = summarise(pageRuns)
  const health = summarise(healthRuns)
  /** each run, and a warning when the slowest and fastest differ by more than half: a busy machine */
  const runsOf = (xs: { perSecond: number }[]) => {
    const rates = xs.map((x) => x.perSecond)
    const spread = Math.max(...rates) / Math.min(...rates)
    return `${rates.map((r) => fmt(r)).join(' / ')}${spread > 1.5 ? ` (noisy ${spread.toFixed(1)}×)` : ''}`
  }

  console.log('\nThroughput (median of runs)')
  console.log(
    table(
      ['measurement', 'ops/s', 'runs', 'p50 ms', 'p99 ms', 'max ms', 'errors'],
      [
        [
          BENCH_ON_POSTGRES ? '(a) raw pg transaction (row lock)' : '(a) raw better-sqlite3 transaction',
          fmt(rawPs),
          runsOf(raw),
          '',
          '',
          '',
          '',
        ],
        ['(b) app book() (+ outbox email)', fmt(appPs), runsOf(app), '', '', '', ''],
        [`    (a) with ${NO_SYNC} (info)`, fmt(rawNoSync.perSecond), '1 run', '', '', '', ''],
        [`    (b) with ${NO_SYNC} (info)`, fmt(appNoSync.perSecond), '1 run', '', '', '', ''],
        [
          '(c) HTTP booking POST -> 302',
          fmt(booking.perSecond),
          runsOf(bookingRuns),
          fmt(booking.p50, 1),
          fmt(booking.p99, 1),
          fmt(booking.max, 1),
          String([...booking.errors.values()].reduce((a, b) => a + b, 0)),
        ],
        [
          '    same, 1 in flight (info only)',
          fmt(solo.perSecond),
          runsOf(soloRuns),
          fmt(solo.p50, 1),
          fmt(solo.p99, 1),
          fmt(solo.max, 1),
          String([...solo.errors.values()].reduce((a, b) => a + b, 0)),
        ],
        [
          `    same, ${BUSY_CONCURRENCY} in flight (info only)`,
          fmt(busy.perSecond),
          runsOf(busyRuns),
          fmt(busy.p50, 1),
          fmt(busy.p99, 1),
          fmt(busy.max, 1),
          String([...busy.errors.values()].reduce((a, b) => a + b, 0)),
        ],
        [
          '(d) HTTP GET /accessibility (page)',
          fmt(page.perSecond),
          runsOf(pageRuns),
          fmt(page.p50, 1),
          fmt(page.p99, 1),
          fmt(page.max, 1),
          String([...page.errors.values()].reduce((a, b) => a + b, 0)),
        ],
        [
          '(d) HTTP GET /healthz (resource)',
          fmt(health.perSecond),
          runsOf(healthRuns),
          fmt(health.p50, 1),
          fmt(health.p99, 1),
          fmt(health.max, 1),
          String([...health.errors.values()].reduce((a, b) => a + b, 0)),
        ],
      ],
    ),
  )
  for (const [label, s] of [
    ['booking', booking],
    ['booking, 1 in flight', solo],
    ['/accessibility', page],
    ['/healthz', health],
  ] as const) {
    if (s.errors.size) console.log(`  ${label} errors: ${[...s.errors].map(([k, v]) => `${k} ×${v}`).join(', ')}`)
  }
  console.log(
    BENCH_ON_POSTGRES
      ? '  (a) one transaction on one pg connection: lock the activity (FOR NO KEY UPDATE, as the app), read capacity,\n' +
          '      count confirmed places, insert booking + place; prepared statements, one round trip each.'
      : '  (a) one immediate transaction: read capacity, count confirmed places, insert booking + place.',
  )
  console.log('  (b) book(): the same checks through Kysely (idempotency, window, authority, ages, duplicate child),')
  console.log('      and it also renders the confirmation email with its calendar invite into the outbox in the same')
  console.log('      transaction: that is part of the real work of a booking, so it is counted.')
  console.log(
    '  (c) the whole request: the action loads the activity, authorities and settings, parses the form, calls',
  )
  console.log('      book() and answers 302 to the booking page (not followed). Only 302s count as successes.')
  console.log(
    `      With ${CONCURRENCY} in flight, latency ≈ ${CONCURRENCY} ÷ throughput once the server is saturated; the`,
  )
  console.log('      1-in-flight row is the time one booking takes when nothing queues in front of it.')
  console.log('  (d) "a bare route" for the target is /accessibility, a static page through the root loader and')
  console.log('      React render; /healthz (a resource route doing select 1) is shown for comparison.')

  printScaling(scaling)

  const httpRatio = booking.perSecond / page.perSecond
  const httpRatioHealth = booking.perSecond / health.perSecond
  const appRatio = appPs / rawPs
  console.log('\nTargets')
  console.log(
    table(
      ['target', 'measured', 'goal', 'result'],
      [
        ['HTTP booking / bare route (/accessibility)', `${httpRatio.toFixed(3)}×`, '≥ 0.5×', verdict(httpRatio >= 0.5)],
        ['  for comparison: HTTP booking / /healthz', `${httpRatioHealth.toFixed(3)}×`, '(info)', ''],
        ['app book() / raw transaction', `${appRatio.toFixed(3)}×`, '≥ 0.5×', verdict(appRatio >= BOOK_TARGET)],
        [
          '  diagnostic: app / raw without fsync',
          `${(appNoSync.perSecond / rawNoSync.perSecond).toFixed(3)}×`,
          '(info)',
          '',
        ],
        [
          `HTTP booking p99 at ${fmt(booking.perSecond)}/s (${CONCURRENCY} in flight)`,
          `${fmt(booking.p99, 1)} ms`,
          '< 50 ms',
          verdict(booking.p99 < 50),
        ],
        [
          'two instances / one, booking different activities',
          `${scaling.ratio.toFixed(2)}×`,
          BENCH_ON_POSTGRES ? `≥ ${SCALE_TARGET}×` : '(info: one writer)',
          BENCH_ON_POSTGRES ? verdict(scaling.ratio >= SCALE_TARGET) : '',
        ],
        [
          'overbooking, two instances',
          `${scaling.overbooked.length} of ${scaling.activities} activities over`,
          '= 0',
          scaling.overbooked.length === 0 ? 'PASS' : 'FAIL',
        ],
        [
          'overbooking, HTTP race',
          `${httpRace.confirmedInRace} of ${RACE_SPACES} confirmed`,
          `= ${RACE_SPACES}`,
          httpRace.confirmedInRace === RACE_SPACES ? 'PASS' : 'FAIL',
        ],
        [
          'overbooking, in-process race',
          `${appRace.confirmedInRace} of ${RACE_SPACES} confirmed`,
          `= ${RACE_SPACES}`,
          appRace.confirmedInRace === RACE_SPACES ? 'PASS' : 'FAIL',
        ],
      ],
    ),
  )
  console.log(
    `\nHTTP race: ${httpRace.total} confirmed in total (capacity ${RACE_CAPACITY}), ${httpRace.waitlisted} on the waiting list; ` +
      `responses ${[...httpRace.statuses].map(([k, v]) => `${k || 'network error'} ×${v}`).join(', ')}`,
  )
  console.log(
    `In-process race: ${appRace.total} confirmed in total (capacity ${RACE_CAPACITY}), ${appRace.waitlisted} on the waiting list; ` +
      `outcomes ${[...appRace.outcomes].map(([k, v]) => `${k} ×${v}`).join(', ')}`,
  )

  const http5xx = [...httpRace.statuses].filter(([s]) => s >= 500 || s === 0).reduce((a, [, v]) => a + v, 0)
  if (httpRace.total > RACE_CAPACITY)
    loud(`OVERBOOKED over HTTP: ${httpRace.total} confirmed for ${RACE_CAPACITY} spaces`)
  else if (httpRace.total < RACE_CAPACITY)
    loud(`HTTP race left spaces empty: ${httpRace.total} confirmed for ${RACE_CAPACITY} with a waiting list`)
  if (http5xx) loud(`HTTP race: ${http5xx} request(s) failed with a 5xx or a network error`)
  if (appRace.total > RACE_CAPACITY)
    loud(`OVERBOOKED in-process: ${appRace.total} confirmed for ${RACE_CAPACITY} spaces`)
  else if (appRace.confirmedInRace !== RACE_SPACES)
    loud(`In-process race confirmed ${appRace.confirmedInRace}, expected exactly ${RACE_SPACES}`)
  const threw = [...appRace.outcomes].filter(([k]) => k.startsWith('threw')).reduce((a, [, v]) => a + v, 0)
  if (threw) loud(`In-process race: ${threw} book() call(s) threw`)
  if (scaling.overbooked.length)
    loud(`OVERBOOKED with two instances: ${scaling.overbooked.length} activities over capacity`)

  // Reports: like the throughput targets, a missed report target (or a report benchmark that
  // could not run) is reported, never a failing exit code.
  let reports: ReportBenchResult | null = null
  try {
    reports = await runReportBench()
  } catch (error) {
    console.error('\nThe reports benchmark did not complete (reported, not failed):', error)
  }

  // A series booked in one step against the same places booked singly (scripts/bench-series.ts).
  let series: SeriesBenchResult | null = null
  try {
    series = await runSeriesBench()
    printSeriesBench(series)
  } catch (error) {
    console.error('\nThe series benchmark did not complete (reported, not failed):', error)
  }

  const missed = [
    httpRatio >= 0.5,
    series === null || series.pass,
    appRatio >= BOOK_TARGET,
    booking.p99 < 50,
    !BENCH_ON_POSTGRES || scaling.ratio >= SCALE_TARGET,
  ].filter((ok) => !ok).length
  const missedReports = reports ? reports.targets.filter((t) => !t.pass).length : 0
  const missedParts = [
    missed ? `${missed} throughput/latency target(s)` : '',
    missedReports ? `${missedReports} report target(s)` : '',
  ].filter(Boolean)
  console.log(
    `\n${failed ? 'FAILED: see above.' : 'No overbooking.'} ${missedParts.length ? `${missedParts.join(' and ')} MISSED (reported, not failed).` : 'All targets met.'}` +
      (reports ? '' : ' The reports benchmark did not complete.') +
      ` Took ${((performance.now() - began) / 1000).toFixed(0)} s; load average now ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}.`,
  )
}

async function cleanup(): Promise<void> {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true })
  await dropAllBenchDatabases().catch((error: unknown) => console.error('Could not drop the bench databases:', error))
}

main()
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(cleanup)
