// Run as a separate process by the contention tests: opens the same SQLite file, prints "ready",
// waits for "go" on stdin (so every process starts writing at the same moment), then books
// `count` children concurrently through the app's booking function and, if asked, cancels one
// booking among them. Prints the outcomes as one line of JSON.
//
// `driver: 'deferred'` opens the file with Kysely's stock SqliteDialect instead of the app's
// (a plain deferred BEGIN): the control run that shows the immediate driver is what prevents
// SQLITE_BUSY between processes. It lives here, in test code, never behind a production switch.
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { book } from '../../app/domain/bookings.server'
import { cancelPlaces } from '../../app/domain/cancellations.server'
import { openDatabase, type DB } from '../../db/index'
import type { Database } from '../../db/schema'

export interface ProcessJob {
  file: string
  activityId: number
  /** names this process's families apart from the others' */
  worker: string
  count: number
  dob: string
  driver: 'immediate' | 'deferred'
  cancel?: { reference: string; token: string }
}

export interface ProcessOutcome {
  outcomes: Record<string, number>
  errors: string[]
  cancelled?: string
}

/** The same pragmas as db/index.ts, but Kysely's own dialect: every transaction begins deferred. */
function openWithStockDialect(file: string): DB {
  const sqlite = new BetterSqlite3(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
}

/** "SQLITE_BUSY_SNAPSHOT: database is locked": better-sqlite3 puts the SQLite code beside the message. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]!) as ProcessJob
  const db = job.driver === 'deferred' ? openWithStockDialect(job.file) : openDatabase(job.file).db
  const links = { baseUrl: 'http://localhost', domain: 'test.invalid' }
  const outcomes: Record<string, number> = {}
  const errors: string[] = []
  const result: ProcessOutcome = { outcomes, errors }

  process.stdout.write('ready\n')
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()))

  const bookings = Array.from({ length: job.count }, async (_, i) => {
    try {
      const booked = await book(
        db,
        {
          activityId: job.activityId,
          contactName: 'Process parent',
          email: `p${job.worker}-${i}@example.org`,
          phone: null,
          authorityCode: 'E06000035',
          children: [{ firstName: `Proc${job.worker}x${i}`, dateOfBirth: job.dob, supportNeeds: null }],
          mailingListOptIn: false,
          idempotencyKey: `process-${job.worker}-${i}-${job.activityId}`,
          acceptWaitlist: true,
        },
        links,
        { maxChildren: 6 },
      )
      outcomes[booked.status] = (outcomes[booked.status] ?? 0) + 1
    } catch (error) {
      errors.push(describe(error))
    }
  })
  const cancelling = job.cancel
    ? cancelPlaces(db, { reference: job.cancel.reference, token: job.cancel.token }, 'all', links).then(
        (cancelled) => void (result.cancelled = cancelled.status),
        (error: unknown) => void errors.push(`cancel: ${describe(error)}`),
      )
    : Promise.resolve()
  await Promise.all([...bookings, cancelling])
  await db.destroy()
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main()
