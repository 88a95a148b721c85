// The reports part of `npm run bench`: the quarterly report's time at 10k, 100k and 1M places and
// how it scales, and the row-level CSV export of a million places (time and extra memory).
//
// Each size gets a fresh database (DATABASE_URL chooses SQLite or PostgreSQL: scripts/bench-db.ts),
// migrated and seeded like production (migrateToLatest, seedReferenceData), then filled FAST from
// one seeded generator, so both databases hold exactly the same rows. SQLite: raw better-sqlite3
// prepared statements in transactions of 50,000 rows on a separate seeding connection with
// synchronous=OFF (only that connection: the measurements use openDatabase's connection,
// synchronous=FULL, as the service). PostgreSQL: one `insert … select from unnest(arrays)` per
// table per 50,000 places, then VACUUM ANALYZE; the measurements use openDatabase's pool.
// The data look like all of England's agencies on one service over three financial years
// (~20 places per activity, so 1M places ≈ 50,000 activities, the SPEC's figure): a quarter holds
// about 1/12 of the places.
//
// Run through scripts/bench.ts (flock /tmp/join-in-build.lock npm run bench), or alone:
//   flock /tmp/join-in-build.lock npx tsx scripts/bench-reports.ts
// BENCH_REPORT_SIZES=10000,100000 picks other sizes (the CSV export runs at the largest).
import { fork } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import v8 from 'node:v8'
import vm from 'node:vm'
import BetterSqlite3 from 'better-sqlite3'
import { sql } from 'kysely'
import { streamPlacesCsv } from '../app/domain/places-export.server'
import { addDays, addMonths, londonDateOf, startOfLondonDay } from '../app/time/london-time'
import { ageOnDay } from '../app/domain/age'
import { schoolYearOf } from '../app/domain/age-groups'
import { quarterPeriod, rangePeriod } from '../app/domain/quarters'
import type { AgeCut, Report, ReportPeriod } from '../app/domain/report-types'
import { computeReport } from '../app/domain/reports.server'
import { openDatabase, type OpenedDatabase } from '../db/index'
import { migrateToLatest, seedReferenceData } from '../db/migrate'
import { AUTHORITIES, DEFAULT_PARTNER_CODES } from '../db/reference/authorities'
import pg from 'pg'
import {
  BENCH_DATABASE,
  BENCH_ON_POSTGRES,
  benchDatabaseUrl,
  databaseBytes,
  dropAllBenchDatabases,
  dropBenchDatabase,
} from './bench-db'

const SIZES = (process.env.BENCH_REPORT_SIZES ?? '10000,100000,1000000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0)
// Nine runs, median reported: on a shared 2-core machine a single run can take twice as long.
const REPORT_RUNS = 9
const TARGET_REPORT_MS = 100
const TARGET_EXPONENT = 1.05
const TARGET_CSV_MS = 5000
const TARGET_CSV_EXTRA_MB = 100
const SEED_BATCH_ROWS = 50_000
const PLACES_PER_ACTIVITY = 20
/** a virtual activity's booking is a new family's first (otherwise one of the recent families books again) */
const NEW_FAMILY = 0.22
/** a booking of a family with several children books only one of them */
const ONE_CHILD = 0.2
/** how many of the latest families may book again, per place seeded (30,000 at 1M: about eight months) */
const RECENT_FAMILIES_PER_PLACE = 0.03
const MEMORY_SAMPLE_MS = 10
const CSV_CHILD = '--csv-export-child'
const root = path.resolve(import.meta.dirname, '..')

/** Three financial years of sessions; the report is timed over one quarter of them. */
const SPAN = { fromDate: '2023-04-01', toDate: '2026-03-31' }
const QUARTER = { financialYear: '2025-26', number: 3 as const }
const QUARTER_LABEL = `${QUARTER.financialYear} Q${QUARTER.number}`

// ---- results ----

export interface ReportSizeResult {
  places: number
  activities: number
  bookings: number
  seedMs: number
  fileMb: number
  /** places on sessions in the timed quarter */
  quarterPlaces: number
  reportMs: number
  reportRuns: number[]
  schoolYearMs: number
  /** the timed report's reach figures for the quarter, and the children and families seeded */
  reach: Report['reach'] | null
  childrenSeeded: number
  familiesSeeded: number
}

export interface CsvResult {
  rows: number
  bytes: number
  ms: number
  rssExtraMb: number
  heapExtraMb: number
  /** queries for places (the connection is free between them) */
  batches: number
  /** the longest a one-row query waited for the connection while the export ran */
  blockedMaxMs: number
  /** the event loop's longest delay while the export ran: how late any other request could start */
  loopDelayMaxMs: number
  probes: number
  quarterRows: number
  quarterMs: number
}

export interface ReportBenchResult {
  sizes: ReportSizeResult[]
  exponent: number | null
  exponentWide: number | null
  csv: CsvResult | null
  targets: Array<{ target: string; measured: string; goal: string; pass: boolean }>
}

// ---- seeding ----

/** mulberry32: a small seeded generator, so every run seeds the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Home authorities weighted towards a few, as bookings are: the three default partners take 45%,
 * the next ten 30%, and the other ~150 the remaining quarter.
 */
function authorityPicker(rand: () => number): () => string {
  const partners = [...DEFAULT_PARTNER_CODES]
  const others = AUTHORITIES.map((a) => a.code).filter((c) => !partners.includes(c))
  const busy = others.slice(0, 10)
  const rest = others.slice(10)
  const slots: string[] = []
  const add = (code: string, n: number) => {
    for (let i = 0; i < n; i++) slots.push(code)
  }
  add(partners[0]!, 200)
  add(partners[1]!, 150)
  add(partners[2]!, 100)
  for (const code of busy) add(code, 30)
  for (let i = 0; i < 250; i++) slots.push(rest[i % rest.length]!)
  return () => slots[Math.floor(rand() * slots.length)]!
}

interface SeedCounts {
  activities: number
  bookings: number
  members: number
  feedback: number
  families: number
  children: number
  /** places (of any status) for a child on a virtual activity */
  childPlaces: number
}

/**
 * The rows, one table at a time: the columns that vary (with their PostgreSQL array type for the
 * batched insert) and the ones that are the same on every row. One description feeds both sinks,
 * so SQLite and PostgreSQL get the same rows.
 */
const SEED_TABLES = {
  activity: {
    vars: [
      ['id', 'int'],
      ['kind', 'text'],
      ['title', 'text'],
      ['starts_at', 'text'],
      ['ends_at', 'text'],
      ['min_age', 'int'],
      ['max_age', 'int'],
      ['booking_closes_at', 'text'],
      ['status', 'text'],
      ['cancel_reason', 'text'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
    ],
    consts: {
      category: "'Science experiments'",
      description: "'Benchmark session.'",
      capacity: '30',
      location_type: "'online'",
      join_url: "'https://teams.microsoft.com/l/meetup-join/bench'",
      sequence: '0',
    },
  },
  member: {
    vars: [
      ['id', 'int'],
      ['email', 'text'],
      ['member_key', 'text'],
      ['authority_code', 'text'],
      ['access_token_hash', 'text'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
    ],
    consts: { first_name: "'Young'", date_of_birth: "'2010-06-15'", status: "'active'" },
  },
  booking: {
    vars: [
      ['id', 'int'],
      ['reference', 'text'],
      ['activity_id', 'int'],
      ['email', 'text'],
      ['authority_code', 'text'],
      ['idempotency_key', 'text'],
      ['member_id', 'int'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
    ],
    consts: {
      contact_name: "'Bench Parent'",
      manage_token_hash: "'bench-hash'",
      mailing_list_opt_in: '0',
      invite_sequence: '0',
    },
  },
  place: {
    vars: [
      ['id', 'int'],
      ['booking_id', 'int'],
      ['activity_id', 'int'],
      ['date_of_birth', 'text'],
      ['child_key', 'text'],
      ['age_on_day', 'int'],
      ['status', 'text'],
      ['attended', 'int'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
      ['school_year', 'int'],
      ['authority_code', 'text'],
      ['child_id', 'int'],
      ['family_id', 'int'],
    ],
    consts: { first_name: "'Child'" },
  },
  feedback: {
    vars: [
      ['place_id', 'int'],
      ['activity_id', 'int'],
      ['score', 'int'],
      ['created_at', 'text'],
    ],
    consts: {},
  },
} as const satisfies Record<string, { vars: ReadonlyArray<readonly [string, string]>; consts: Record<string, string> }>

type SeedTable = keyof typeof SEED_TABLES
/** parents before children, for the PostgreSQL sink's flush */
const SEED_ORDER: readonly SeedTable[] = ['activity', 'member', 'booking', 'place', 'feedback']
type SeedValue = string | number | null

interface SeedSink {
  row(table: SeedTable, values: SeedValue[]): void
  /** called every SEED_BATCH_ROWS places (and between tables): commit, or send the buffered rows */
  flush(): Promise<void>
  close(): Promise<void>
}

/** SQLite: prepared statements in transactions of SEED_BATCH_ROWS on a connection with synchronous=OFF. */
function sqliteSink(file: string): SeedSink {
  const sqlite = new BetterSqlite3(file)
  sqlite.pragma('synchronous = OFF')
  sqlite.pragma('foreign_keys = OFF')
  sqlite.pragma('cache_size = -65536')
  const statements = Object.fromEntries(
    SEED_ORDER.map((table) => {
      const { vars, consts } = SEED_TABLES[table]
      const columns = [...vars.map(([c]) => c), ...Object.keys(consts)]
      const values = [...vars.map(() => '?'), ...Object.values(consts)]
      return [table, sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${values.join(', ')})`)]
    }),
  ) as Record<SeedTable, BetterSqlite3.Statement>
  sqlite.exec('begin')
  return {
    row: (table, values) => void statements[table].run(...values),
    async flush() {
      sqlite.exec('commit')
      sqlite.exec('begin')
    },
    async close() {
      sqlite.exec('commit')
      sqlite.pragma('wal_checkpoint(TRUNCATE)')
      sqlite.close()
    },
  }
}

/**
 * PostgreSQL: the same rows, buffered per table and sent as one `insert … select from unnest($1,
 * $2, …)` per table per batch (a few statements per 50,000 places rather than one per row), on a
 * connection with synchronous_commit off and, when the user may, foreign-key triggers off
 * (session_replication_role = replica; the rows are generated consistent). Then the identity
 * sequences are moved past the ids given, and VACUUM ANALYZE: the state autovacuum reaches on its
 * own on a table filled over three years, and what the planner's estimates need; then a CHECKPOINT
 * (when allowed), so the timed runs do not share the disk and CPU with writing out the seeding.
 */
async function postgresSink(url: string): Promise<SeedSink> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query('set synchronous_commit = off')
  try {
    await client.query('set session_replication_role = replica')
  } catch {
    // not a superuser: the foreign keys are checked, which is slower but the same data
  }
  const buffers = Object.fromEntries(
    SEED_ORDER.map((t) => [t, SEED_TABLES[t].vars.map(() => [] as SeedValue[])]),
  ) as Record<SeedTable, SeedValue[][]>
  const statements = Object.fromEntries(
    SEED_ORDER.map((table) => {
      const { vars, consts } = SEED_TABLES[table]
      const columns = [...vars.map(([c]) => c), ...Object.keys(consts)]
      const arrays = vars.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')
      const names = vars.map(([c]) => c).join(', ')
      const select = [...vars.map(([c]) => `u.${c}`), ...Object.values(consts)].join(', ')
      return [
        table,
        `insert into ${table} (${columns.join(', ')}) select ${select} from unnest(${arrays}) as u(${names})`,
      ]
    }),
  ) as Record<SeedTable, string>
  const flush = async () => {
    for (const table of SEED_ORDER) {
      const columns = buffers[table]
      if (!columns[0]!.length) continue
      await client.query(statements[table], columns)
      buffers[table] = columns.map(() => [])
    }
  }
  return {
    row(table, values) {
      const columns = buffers[table]
      for (let i = 0; i < values.length; i++) columns[i]!.push(values[i]!)
    },
    flush,
    async close() {
      await flush()
      for (const table of SEED_ORDER) {
        await client.query(
          `select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 0) + 1, false)`,
        )
      }
      await client.query('vacuum analyze')
      // The seeding's dirty pages written out now, not by the checkpointer during the timed runs.
      await client.query('checkpoint').catch(() => {})
      await client.end()
    },
  }
}

/**
 * Fills a migrated database with `places` places. Activities are created in start order and
 * bookings arrive for sessions near the current point in time (a window of ~200 sessions), as they
 * do: so a session's places are spread over the table, neither all adjacent nor scattered at
 * random. A seeded generator: every run, and both databases, get exactly the same rows.
 */
export async function seed(url: string, places: number): Promise<SeedCounts> {
  const sink = BENCH_ON_POSTGRES ? await postgresSink(url) : sqliteSink(url)
  const rand = random(20251001 + places)
  const pickAuthority = authorityPicker(rand)
  const spanStart = startOfLondonDay(SPAN.fromDate).getTime()
  const spanEnd = startOfLondonDay(SPAN.toDate).getTime() + 86_400_000
  const days = Math.round((spanEnd - spanStart) / 86_400_000)
  const activities = Math.max(12, Math.round(places / PLACES_PER_ACTIVITY))
  const now = new Date().toISOString()

  const kinds: Array<'activity' | 'adoptables'> = []
  /** each session's London date */
  const sessionDays: string[] = []
  const runBatches = async (total: number, one: (i: number) => void) => {
    for (let from = 0; from < total; from += SEED_BATCH_ROWS) {
      for (let i = from; i < Math.min(total, from + SEED_BATCH_ROWS); i++) one(i)
      await sink.flush()
    }
  }

  await runBatches(activities, (i) => {
    const id = i + 1
    const kind = rand() < 0.15 ? 'adoptables' : 'activity'
    const day = Math.floor(((i + rand()) * days) / activities)
    // 10:00 to 18:00 UTC: the same London day all year round
    const start = new Date(spanStart + day * 86_400_000 + (10 + Math.floor(rand() * 8)) * 3_600_000 + 3_600_000)
    const iso = start.toISOString()
    const cancelled = rand() < 0.04
    kinds.push(kind)
    sessionDays.push(londonDateOf(start))
    sink.row('activity', [
      id,
      kind,
      `Bench session ${id}`,
      iso,
      new Date(start.getTime() + 3_600_000).toISOString(),
      kind === 'adoptables' ? 11 : 0,
      19,
      iso,
      cancelled ? 'cancelled' : 'published',
      cancelled ? 'Bench cancellation' : null,
      now,
      now,
    ])
  })

  // Adoptables members: young people who book meetings for themselves.
  const members = Math.max(50, Math.round(places / 100))
  const memberAuthority: string[] = []
  await runBatches(members, (i) => {
    const id = i + 1
    const code = pickAuthority()
    memberAuthority.push(code)
    const key = `m${id.toString(36).padStart(7, '0')}`
    sink.row('member', [id, `${key}@example.org`, `${key}|2010-06-15`, code, `hash-${key}`, now, now])
  })

  // Families and their children (virtual activities): a booking is a new family's first one
  // (NEW_FAMILY of the time) or another booking by one of the recently arrived families, so a
  // family books ~4.5 times over some eight months (it returns across quarters) and a child holds
  // ~4 places; 1 to 3 children per family (~1.65), each with a date of birth, so the age on the
  // day grows from session to session (a birthday can move a child to the next age band within a
  // quarter). Every booking books all the family's children, or one of them (ONE_CHILD).
  const familyAuthority: string[] = []
  const familyFirstChild: number[] = []
  const familyChildren: number[] = []
  const childBirth: string[] = []
  const recentFamilies = Math.max(20, Math.round(places * RECENT_FAMILIES_PER_PLACE))
  const newFamily = (day: string): number => {
    familyAuthority.push(pickAuthority())
    familyFirstChild.push(childBirth.length)
    const r = rand()
    const n = r < 0.5 ? 1 : r < 0.85 ? 2 : 3
    familyChildren.push(n)
    for (let c = 0; c < n; c++) {
      // 0 to 19 on the day of the first booking, birthdays on any day of the year
      childBirth.push(addDays(addMonths(day, -12 * Math.floor(rand() * 20)), -Math.floor(rand() * 365)))
    }
    return familyAuthority.length
  }

  // Feedback: about a third of attended places answer, scores 1–5.
  let feedback = 0
  let childPlaces = 0
  const WINDOW = 200
  let placeId = 0
  let bookingId = 0
  const batch = (until: number) => {
    while (placeId < until) {
      const progress = placeId / places
      const index = Math.min(
        activities - 1,
        Math.max(0, Math.floor(progress * activities + rand() * WINDOW - WINDOW / 2)),
      )
      const activityId = index + 1
      const kind = kinds[index]!
      const day = sessionDays[index]!
      bookingId++
      const reference = `B${bookingId.toString(36).padStart(7, '0')}`
      let memberId: number | null = null
      let familyId: number | null = null
      let code: string
      // the children booked: ids (1-based) into childBirth; none for a young person's own booking
      let booked: number[] = []
      if (kind === 'adoptables') {
        memberId = 1 + Math.floor(rand() * members)
        code = memberAuthority[memberId - 1]!
      } else {
        const families = familyAuthority.length
        familyId =
          families === 0 || rand() < NEW_FAMILY
            ? newFamily(day)
            : families - Math.floor(rand() * Math.min(families, recentFamilies))
        code = familyAuthority[familyId - 1]!
        const first = familyFirstChild[familyId - 1]!
        const n = familyChildren[familyId - 1]!
        booked =
          n > 1 && rand() < ONE_CHILD
            ? [first + 1 + Math.floor(rand() * n)]
            : Array.from({ length: n }, (_, c) => first + 1 + c)
      }
      sink.row('booking', [
        bookingId,
        reference,
        activityId,
        `${reference}@example.org`,
        code,
        `bench-${reference}`,
        memberId,
        now,
        now,
      ])
      const s = rand()
      const status = s < 0.85 ? 'confirmed' : s < 0.95 ? 'waitlisted' : 'cancelled'
      const count = kind === 'adoptables' ? 1 : booked.length
      for (let c = 0; c < count && placeId < until; c++) {
        placeId++
        const childId = booked[c] ?? null
        if (childId !== null) childPlaces++
        // a young person at an Adoptables meeting: an age of 11 to 19, born on 15 June
        const youngAge = childId === null ? 11 + Math.floor(rand() * 9) : 0
        const dob = childId === null ? `${Number(day.slice(0, 4)) - youngAge - 1}-06-15` : childBirth[childId - 1]!
        const age = childId === null ? youngAge : ageOnDay(dob, day)
        const a = rand()
        const attended = status !== 'confirmed' ? null : a < 0.7 ? 1 : a < 0.85 ? 0 : null
        sink.row('place', [
          placeId,
          bookingId,
          activityId,
          dob,
          `c${placeId}`,
          age,
          status,
          attended,
          now,
          now,
          // England's school year group (Reception 0)
          childId === null ? age - 5 : schoolYearOf(dob, day),
          code,
          childId,
          familyId,
        ])
        if (attended === 1 && rand() < 0.3) {
          sink.row('feedback', [placeId, activityId, 1 + Math.floor(rand() * 5), now])
          feedback++
        }
      }
    }
  }
  for (let until = SEED_BATCH_ROWS; placeId < places; until += SEED_BATCH_ROWS) {
    batch(Math.min(until, places))
    await sink.flush()
  }
  await sink.close()
  return {
    activities,
    bookings: bookingId,
    members,
    feedback,
    families: familyAuthority.length,
    children: childBirth.length,
    childPlaces,
  }
}

// ---- measuring ----

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–'
const mb = (bytes: number) => bytes / (1024 * 1024)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/** One warm-up, then REPORT_RUNS timed runs of a quarter's report. */
async function timeReport(database: OpenedDatabase, period: ReportPeriod, cut: AgeCut): Promise<number[]> {
  await computeReport(database.db, period, { cut })
  const runs: number[] = []
  for (let i = 0; i < REPORT_RUNS; i++) {
    const t0 = performance.now()
    await computeReport(database.db, period, { cut })
    runs.push(performance.now() - t0)
  }
  return runs
}

/** gc() when available (node --expose-gc), otherwise switched on for this process so baselines are clean. */
function collectGarbage(): void {
  let gc = (globalThis as { gc?: () => void }).gc
  if (!gc) {
    v8.setFlagsFromString('--expose-gc')
    gc = vm.runInNewContext('gc') as () => void
  }
  gc()
  gc()
}

type CsvMeasurement = Omit<CsvResult, 'quarterRows' | 'quarterMs'>

/**
 * Measured in a fresh process: this one has just seeded a million rows, and memory the seeding
 * left behind would hide what the export itself takes.
 */
async function measureCsv(file: string, period: ReportPeriod): Promise<CsvMeasurement> {
  const child = fork(fileURLToPath(import.meta.url), [CSV_CHILD, file, period.fromDate, period.toDate], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise<CsvMeasurement>((resolve, reject) => {
    let result: CsvMeasurement | null = null
    child.once('message', (message: CsvMeasurement) => (result = message))
    child.once('error', reject)
    child.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`the CSV export process exited with code ${code}`)),
    )
  })
}

/** The child's side: open the file as the service does, settle, then export into a counting sink. */
async function csvChild(file: string, fromDate: string, toDate: string): Promise<void> {
  const database = openDatabase(file)
  try {
    const period = rangePeriod(fromDate, toDate)
    // Everything the export touches is loaded and compiled once before the baseline.
    await streamPlacesCsv(database.db, rangePeriod('2000-01-01', '2000-01-02'), () => {})
    collectGarbage()
    await sleep(100)
    collectGarbage()
    const baseline = process.memoryUsage()
    let peakRss = baseline.rss
    let peakHeap = baseline.heapUsed
    const sample = () => {
      const m = process.memoryUsage()
      if (m.rss > peakRss) peakRss = m.rss
      if (m.heapUsed > peakHeap) peakHeap = m.heapUsed
    }
    const sampler = setInterval(sample, MEMORY_SAMPLE_MS)
    // Everyone else's requests, as a request sees them: how late the event loop gets to it, and
    // how long a one-row query then waits for the connection.
    const loopDelay = monitorEventLoopDelay({ resolution: 5 })
    loopDelay.enable()
    let probing = true
    let blockedMaxMs = 0
    let probes = 0
    const prober = (async () => {
      while (probing) {
        const t0 = performance.now()
        await sql`select 1`.execute(database.db)
        blockedMaxMs = Math.max(blockedMaxMs, performance.now() - t0)
        probes++
        await sleep(20)
      }
    })()

    // The sink does what the route does with a chunk (encode it to UTF-8) and yields to the event
    // loop, as a network write does; it keeps nothing.
    const encoder = new TextEncoder()
    let bytes = 0
    const t0 = performance.now()
    const summary = await streamPlacesCsv(database.db, period, async (chunk) => {
      bytes += encoder.encode(chunk).byteLength
      await yieldToEventLoop()
    })
    const ms = performance.now() - t0
    sample()
    clearInterval(sampler)
    loopDelay.disable()
    probing = false
    await prober
    const result: CsvMeasurement = {
      rows: summary.rows,
      batches: summary.batches,
      bytes,
      ms,
      rssExtraMb: mb(peakRss - baseline.rss),
      heapExtraMb: mb(peakHeap - baseline.heapUsed),
      blockedMaxMs,
      loopDelayMaxMs: loopDelay.max / 1e6,
      probes,
    }
    process.send!(result)
  } finally {
    await database.db.destroy()
  }
}

/** A fresh database (a file in `dir`, or a new PostgreSQL database), migrated and seeded like production. */
export async function freshFile(dir: string, label: string): Promise<string> {
  const url = await benchDatabaseUrl(dir, label)
  const opened = openDatabase(url)
  try {
    await migrateToLatest(opened.db)
    await seedReferenceData(opened.db)
  } finally {
    await opened.db.destroy()
  }
  return url
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

export async function runReportBench(): Promise<ReportBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-bench-reports-'))
  const sizes: ReportSizeResult[] = []
  let csv: CsvResult | null = null
  const whole = rangePeriod(SPAN.fromDate, SPAN.toDate)
  const quarter = quarterPeriod(QUARTER.financialYear, QUARTER.number)
  try {
    console.log(
      `\nReports on ${BENCH_DATABASE}: seeding ${SIZES.map((n) => fmt(n)).join(', ')} places (three financial years each), ` +
        (BENCH_ON_POSTGRES ? 'each in a fresh database, batched inserts then VACUUM ANALYZE' : `files in ${dir}`),
    )
    for (const places of SIZES) {
      const t0 = performance.now()
      const file = await freshFile(dir, `places-${places}`)
      const counts = await seed(file, places)
      const seedMs = performance.now() - t0
      const fileMb = mb(await databaseBytes(file))
      const database = openDatabase(file)
      try {
        const quarterPlaces = Number(
          (
            await sql<{ n: number }>`select count(*) as n from place p join activity a on a.id = p.activity_id
              where a.starts_at >= ${quarter.from} and a.starts_at < ${quarter.to}`.execute(database.db)
          ).rows[0]?.n ?? 0,
        )
        const result: ReportSizeResult = {
          places,
          activities: counts.activities,
          bookings: counts.bookings,
          seedMs,
          fileMb,
          quarterPlaces,
          reportMs: NaN,
          reach: null,
          childrenSeeded: counts.children,
          familiesSeeded: counts.families,
          reportRuns: [],
          schoolYearMs: NaN,
        }
        sizes.push(result)
        result.reportRuns = await timeReport(database, quarter, 'age-band')
        result.reportMs = median(result.reportRuns)
        result.schoolYearMs = median(await timeReport(database, quarter, 'school-year'))
        result.reach = (await computeReport(database.db, quarter, { cut: 'age-band' })).reach
        console.log(
          `  ${fmt(places)} places: ${fmt(counts.activities)} activities, ${fmt(counts.bookings)} bookings, ` +
            `${fmt(counts.members)} members; seeded in ${fmt(seedMs / 1000, 1)} s (${fmt(fileMb)} MB); ` +
            `${fmt(quarterPlaces)} places in ${quarter.label}; report ${fmt(result.reportMs, 1)} ms`,
        )
        console.log(
          `    ${fmt(counts.children)} children in ${fmt(counts.families)} families seeded ` +
            `(${fmt(counts.childPlaces / Math.max(1, counts.children), 1)} places each, ${fmt(counts.children / Math.max(1, counts.families), 2)} children per family, over the three years);\n    ` +
            reachLine(result.reach),
        )
        if (places === Math.max(...SIZES)) {
          const quarterCsv = await measureCsv(file, quarter)
          const full = await measureCsv(file, whole)
          csv = { ...full, quarterRows: quarterCsv.rows, quarterMs: quarterCsv.ms }
          console.log(
            `  CSV of all ${fmt(full.rows)} places: ${fmt(full.ms)} ms, ${fmt(mb(full.bytes), 1)} MB; ` +
              `one quarter (${fmt(quarterCsv.rows)} rows) ${fmt(quarterCsv.ms)} ms`,
          )
        }
      } finally {
        await database.db.destroy()
        await dropBenchDatabase(file)
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return summarise(sizes, csv)
}

function summarise(sizes: ReportSizeResult[], csv: CsvResult | null): ReportBenchResult {
  const at = (n: number) => sizes.find((s) => s.places === n)
  const slope = (a?: ReportSizeResult, b?: ReportSizeResult) =>
    a && b && a.reportMs > 0 && b.reportMs > 0
      ? Math.log(b.reportMs / a.reportMs) / Math.log(b.places / a.places)
      : null
  const largest = sizes[sizes.length - 1]
  const exponent = slope(at(100_000), at(1_000_000))
  const exponentWide = slope(at(10_000), at(1_000_000))
  const targets: ReportBenchResult['targets'] = []
  if (largest)
    targets.push({
      target: `quarter report over ${fmt(largest.places)} places`,
      measured: `${fmt(largest.reportMs, 1)} ms`,
      goal: `< ${TARGET_REPORT_MS} ms`,
      pass: largest.reportMs < TARGET_REPORT_MS,
    })
  if (exponent !== null)
    targets.push({
      target: 'scaling exponent 100k → 1M',
      measured: exponent.toFixed(3),
      goal: `≤ ${TARGET_EXPONENT}`,
      pass: exponent <= TARGET_EXPONENT,
    })
  if (csv) {
    targets.push({
      target: `CSV export of ${fmt(csv.rows)} places: time`,
      measured: `${fmt(csv.ms)} ms`,
      goal: `< ${fmt(TARGET_CSV_MS)} ms`,
      pass: csv.ms < TARGET_CSV_MS,
    })
    targets.push({
      target: `CSV export of ${fmt(csv.rows)} places: extra RSS`,
      measured: `${fmt(csv.rssExtraMb, 1)} MB`,
      goal: `< ${TARGET_CSV_EXTRA_MB} MB`,
      pass: csv.rssExtraMb < TARGET_CSV_EXTRA_MB,
    })
  }
  const result = { sizes, exponent, exponentWide, csv, targets }
  printReportBench(result)
  return result
}

/** "in 2025-26 Q3: 41,192 children reached (1.5 places each), 26,279 families: 10,875 new, 15,404 returning" */
function reachLine(reach: Report['reach'] | null): string {
  if (!reach) return 'no reach figures'
  return (
    `the report's reach: ${fmt(reach.children)} children (${reach.placesPerChild ?? '–'} places each), ` +
    `${fmt(reach.families)} families: ${fmt(reach.newFamilies)} new, ${fmt(reach.returningFamilies)} returning`
  )
}

export function printReportBench(result: ReportBenchResult): void {
  const { sizes, csv } = result
  console.log(
    `\nQuarterly report on ${BENCH_DATABASE} (computeReport with its reach (distinct children, new and returning families), one quarter; median of ${REPORT_RUNS} after 1 warm-up)`,
  )
  console.log(
    table(
      [
        'places',
        'activities',
        'in quarter',
        'seed s',
        BENCH_ON_POSTGRES ? 'db MB' : 'file MB',
        'age-band ms',
        'fastest–slowest ms',
        'school-year ms',
      ],
      sizes.map((s) => [
        fmt(s.places),
        fmt(s.activities),
        fmt(s.quarterPlaces),
        fmt(s.seedMs / 1000, 1),
        fmt(s.fileMb),
        fmt(s.reportMs, 1),
        `${Math.min(...s.reportRuns).toFixed(1)}–${Math.max(...s.reportRuns).toFixed(1)}`,
        fmt(s.schoolYearMs, 1),
      ]),
    ),
  )
  for (const s of sizes) console.log(`  ${fmt(s.places)} places, ${QUARTER_LABEL}: ${reachLine(s.reach)}`)
  console.log(
    `  scaling exponent (slope of log time vs log places): 100k → 1M ${result.exponent?.toFixed(3) ?? '–'}, ` +
      `10k → 1M ${result.exponentWide?.toFixed(3) ?? '–'}`,
  )
  if (csv) {
    console.log(`\nRow-level CSV export (streamPlacesCsv), all places over three financial years`)
    console.log(
      `  ${fmt(csv.rows)} rows, ${fmt(mb(csv.bytes), 1)} MB in ${fmt(csv.ms)} ms (${fmt(csv.rows / (csv.ms / 1000))} rows/s); ` +
        `peak extra RSS ${fmt(csv.rssExtraMb, 1)} MB, peak extra heap ${fmt(csv.heapExtraMb, 1)} MB (sampled every ${MEMORY_SAMPLE_MS} ms)`,
    )
    console.log(
      `  meanwhile (${fmt(csv.batches)} place queries, the connection free between them): a one-row query every 20 ms ` +
        `waited at most ${fmt(csv.blockedMaxMs, 1)} ms (${fmt(csv.probes)} probes); longest event-loop delay ${fmt(csv.loopDelayMaxMs, 1)} ms`,
    )
    console.log(`  one quarter's export: ${fmt(csv.quarterRows)} rows in ${fmt(csv.quarterMs)} ms`)
  }
  console.log('\nReport targets')
  console.log(
    table(
      ['target', 'measured', 'goal', 'result'],
      result.targets.map((t) => [t.target, t.measured, t.goal, t.pass ? 'PASS' : 'MISSED']),
    ),
  )
}

if (process.argv[2] === CSV_CHILD) {
  csvChild(process.argv[3]!, process.argv[4]!, process.argv[5]!).catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runReportBench()
    .catch((error: unknown) => {
      console.error(error)
      process.exitCode = 1
    })
    .finally(dropAllBenchDatabases)
}
