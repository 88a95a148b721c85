// Opens the database from DATABASE_URL and owns every difference between SQLite and PostgreSQL:
// opening and pooling, identity columns, row locks, unique-violation errors, case-insensitive
// search, the outbox claim, clean-up after erasure, the health check, bigint parsing, advisory
// locks. Nothing in app/ asks which database it is on (docs/decisions/009-postgresql.md).
import fs from 'node:fs'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresQueryCompiler,
  SqliteDialect,
  sql,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqliteDialectConfig,
  type Transaction,
} from 'kysely'
import type { Database } from './schema'

export type DB = Kysely<Database>
type Executor = Kysely<Database> | Transaction<Database>

export type DatabaseKind = 'sqlite' | 'postgres'

export interface SqliteDatabase {
  kind: 'sqlite'
  db: DB
  sqlite: BetterSqlite3.Database
  file: string
  /** where it is, for people: the file name */
  label: string
}

export interface PostgresDatabase {
  kind: 'postgres'
  db: DB
  pool: pg.Pool
  /** where it is, for people: host, port and database, never the password */
  label: string
}

export type OpenedDatabase = SqliteDatabase | PostgresDatabase

/**
 * A path, `file:` or `sqlite:` is SQLite; `postgres://` or `postgresql://` is PostgreSQL; any other
 * scheme (mysql://, https://, a typo) is refused rather than taken for a file name.
 */
export function databaseKindOf(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres'
  if (/^(file|sqlite):/i.test(url)) return 'sqlite'
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[a-z]:[\\/]/i.test(url)) {
    throw new Error(
      `DATABASE_URL must be a file path, a file: or sqlite: URL, or a postgres:// URL; "${url.split(':')[0]}:" is none of these.`,
    )
  }
  return 'sqlite'
}

/** DATABASE_URL may be a path, a file: URL or sqlite: URL. */
export function databaseFileFromUrl(url: string): string {
  if (url.startsWith('file:')) return decodeURIComponent(url.slice('file:'.length).replace(/^\/\//, ''))
  if (url.startsWith('sqlite:')) return decodeURIComponent(url.slice('sqlite:'.length).replace(/^\/\//, ''))
  return url
}

export interface OpenOptions {
  /** PostgreSQL: connections in this process's pool (PG_POOL_SIZE) */
  poolSize?: number
}

export function openDatabase(url: string, options: OpenOptions = {}): OpenedDatabase {
  return databaseKindOf(url) === 'postgres' ? openPostgres(url, options) : openSqlite(url)
}

export function isPostgres(db: Executor): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

// ---------------------------------------------------------------------------------------------
// SQLite

/**
 * Kysely's SQLite driver opens transactions with a deferred BEGIN; a transaction that reads then
 * writes can then fail with SQLITE_BUSY_SNAPSHOT when another process writes, and busy_timeout
 * does not retry that. BEGIN IMMEDIATE takes the write lock first, so waiting is done by
 * busy_timeout instead of failing.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig
  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }
}

/**
 * Personal data at rest is for the service's own user only: missing folders are made 0700 and the
 * file 0600 (an existing file is narrowed to 0600). Made before SQLite opens it, because SQLite
 * gives a database's -wal, -shm and -journal files the database file's own mode.
 */
export function createPrivateFile(file: string, options: { exclusive?: boolean } = {}): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 })
  fs.closeSync(fs.openSync(file, options.exclusive ? 'wx' : 'a', 0o600))
  for (const sibling of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (fs.existsSync(sibling) && (fs.statSync(sibling).mode & 0o077) !== 0) fs.chmodSync(sibling, 0o600)
  }
}

function openSqlite(url: string): SqliteDatabase {
  const file = databaseFileFromUrl(url)
  if (file !== ':memory:') createPrivateFile(file)
  const sqlite = new BetterSqlite3(file)
  // First, so every statement after it waits for another process's lock instead of failing.
  sqlite.pragma('busy_timeout = 5000')
  enableWal(sqlite)
  // FULL: a booking confirmed to a parent must survive a power cut, and bookings are few.
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  // Erased and deleted personal data is overwritten with zeros, not left in free space in the file.
  sqlite.pragma('secure_delete = ON')
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) })
  return { kind: 'sqlite', db, sqlite, file, label: file }
}

/**
 * Switching a new file to WAL needs it to itself for a moment, and SQLite answers "database is
 * locked" at once rather than waiting (busy_timeout does not cover it). Two instances starting at
 * once on a new file hit that (seen 1 boot in 2), so the switch is tried again for up to ten
 * seconds; once the file is in WAL the pragma is a no-op.
 */
function enableWal(sqlite: BetterSqlite3.Database): void {
  const until = Date.now() + 10_000
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL')
      return
    } catch (error) {
      if (errorCode(error) !== 'SQLITE_BUSY' || Date.now() > until) throw error
      Atomics.wait(pause, 0, 0, 10 + Math.random() * 20)
    }
  }
}

const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely's SQLite driver prepares every query afresh; the app runs the same few dozen statements
 * over and over, and preparing was a sixth of a booking's CPU time. Reusing a prepared statement
 * is safe because Kysely runs one query at a time on its one connection
 * (docs/decisions/006-prepared-statement-cache.md).
 */
function withStatementCache(sqlite: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>()
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') {
        return (source: string) => {
          let statement = cache.get(source)
          if (!statement) {
            statement = target.prepare(source)
            if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
            cache.set(source, statement)
          }
          return statement
        }
      }
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * The migrations say `.autoIncrement()` (written for SQLite, and frozen). Kysely writes that as
 * MySQL's `auto_increment` for PostgreSQL; here it becomes an identity column, which takes
 * explicit ids too (the copy from SQLite keeps them) and never reuses one.
 */
class JoinInPostgresQueryCompiler extends PostgresQueryCompiler {
  protected override getAutoIncrement(): string {
    return 'generated by default as identity'
  }
}

class JoinInPostgresDialect extends PostgresDialect {
  override createQueryCompiler(): QueryCompiler {
    return new JoinInPostgresQueryCompiler()
  }
}

const INT8 = 20
const NUMERIC = 1700

/**
 * count(*) and sum() are bigint or numeric on PostgreSQL, which node-postgres returns as strings;
 * the app's figures are numbers, as SQLite gives them. Counts here are far below 2^53, and one that
 * is not throws instead of losing digits. Per pool, not pg.types' global table.
 */
const postgresTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) {
      return (value: string) => {
        const n = Number(value)
        if (oid === INT8 && !Number.isSafeInteger(n)) throw new Error(`A bigint beyond 2^53 came back: ${value}`)
        return n
      }
    }
    return pg.types.getTypeParser(oid, format as 'text')
  },
} as pg.CustomTypesConfig

/** Timeouts in milliseconds, so a stuck lock or statement fails one request instead of the pool. */
export const POSTGRES_TIMEOUTS = {
  lock_timeout: 10_000,
  statement_timeout: 30_000,
  idle_in_transaction_session_timeout: 60_000,
}

function openPostgres(url: string, options: OpenOptions): PostgresDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: postgresTypes,
    ...POSTGRES_TIMEOUTS,
    application_name: 'join-in',
    // No JIT compilation: this service's queries are short, and a report whose cost estimate
    // passes jit_above_cost (the reach's per-family check at a million places) spent longer
    // compiling (~0.4 s) than running.
    options: '-c jit=off',
  })
  // An idle connection the server dropped must not take the process down.
  pool.on('error', (error) => console.error(`PostgreSQL: an idle connection failed: ${error.message}`))
  const db = new Kysely<Database>({ dialect: new JoinInPostgresDialect({ pool }) })
  return { kind: 'postgres', db, pool, label: postgresLabel(url) }
}

export function postgresLabel(url: string): string {
  try {
    const parsed = new URL(url)
    return `PostgreSQL ${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${decodeURIComponent(parsed.pathname.slice(1))}`
  } catch {
    return 'PostgreSQL'
  }
}

/**
 * ISO instants are kept as text and compared as text (`starts_at > now`), which is right only when
 * the database's collation orders text byte by byte ("C", "C.UTF-8" or "POSIX"). Returns a warning
 * for anything else; null when all is well or on SQLite (which always compares bytes).
 */
export async function collationWarning(db: DB): Promise<string | null> {
  if (!isPostgres(db)) return null
  const result = await sql<{ collate: string; ok: boolean }>`
    select datcollate as collate,
           ('2026-12-01T09:00:00.000Z' < '2026-12-01T10:00:00.000Z'
             and '2026-12-01T10:00:00.000Z' < '2026-12-01T10:00:00.001Z'
             and 'A' < 'a' and '-' < '0' and ':' < 'T') as ok
    from pg_database where datname = current_database()`.execute(db)
  const row = result.rows[0]
  if (!row) return null
  if (/^(C|POSIX|C\.UTF-?8)$/i.test(row.collate) && row.ok) return null
  return (
    `The database's collation is ${row.collate}: Join In compares ISO times as text and needs byte order ` +
    `("C" or "C.UTF-8"). Create the database with LC_COLLATE 'C.UTF-8' TEMPLATE template0.`
  )
}

// ---------------------------------------------------------------------------------------------
// What the app calls

/**
 * Locks the activities (ascending id, so two transactions locking the same set never deadlock) for
 * the rest of the transaction. Call it first in every transaction that changes who holds a space:
 * booking, cancelling, promotion, capacity or status changes, erasure. On SQLite BEGIN IMMEDIATE
 * already serialises every writer, so it costs nothing there; on PostgreSQL it is
 * `SELECT … FOR NO KEY UPDATE`, which lets places still reference the row.
 */
export async function lockActivities(trx: Transaction<Database>, ids: readonly number[]): Promise<void> {
  if (!isPostgres(trx) || ids.length === 0) return
  if (rowLocksDisabledForTests()) return
  const unique = [...new Set(ids)].sort((a, b) => a - b)
  await trx.selectFrom('activity').select('id').where('id', 'in', unique).orderBy('id').forNoKeyUpdate().execute()
}

/**
 * The contention tests' control: with JOIN_IN_TEST_NO_ROW_LOCKS=1 the row locks are not taken, so
 * the tests can show they would overbook. Refused outside Vitest: the server will not start with it
 * (server/boot.ts asks at start), and a lock call made with it throws (docs/decisions/009-postgresql.md).
 */
export function rowLocksDisabledForTests(): boolean {
  if (process.env.JOIN_IN_TEST_NO_ROW_LOCKS !== '1') return false
  if (process.env.VITEST !== 'true') {
    throw new Error('JOIN_IN_TEST_NO_ROW_LOCKS is a test-only switch and is refused outside the tests.')
  }
  return true
}

const RETRYABLE_POSTGRES = new Set(['40P01', '40001'])

/**
 * A transaction, run again (up to three times, after a short random pause) when PostgreSQL ends it
 * for a deadlock or a serialisation failure; SQLite's single writer has neither.
 */
export async function transaction<T>(db: DB, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work)
    } catch (error) {
      if (attempt >= 4 || !RETRYABLE_POSTGRES.has(errorCode(error) ?? '')) throw error
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt))
    }
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
}

/**
 * The rows `query` selects, locked for the rest of the transaction (`FOR UPDATE` on PostgreSQL, in
 * the query's order); on SQLite BEGIN IMMEDIATE already serialises writers. For a check over
 * several rows that a concurrent transaction could invalidate, such as "another admin remains".
 */
export function lockedForUpdate<DBT, T extends keyof DBT, O>(
  db: Executor,
  query: SelectQueryBuilder<DBT, T, O>,
): SelectQueryBuilder<DBT, T, O> {
  return isPostgres(db) && !rowLocksDisabledForTests() ? query.forUpdate() : query
}

/**
 * Runs `work` again once if it lost a race on a unique key (another request inserted the same key
 * and committed first): the second run sees the winner and gives the answer a repeat gets. On
 * SQLite the single writer means the first run already saw it.
 */
export async function againAfterUniqueRace<T>(
  work: () => Promise<T>,
  on: { table: string; column?: string; index?: string },
): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (!isUniqueViolation(error, on)) throw error
    return work()
  }
}

/**
 * True when the error is a unique-constraint violation on `table` by `column` (or by the unique
 * index `index`). SQLite names the columns in its message ("UNIQUE constraint failed: t.a, t.b");
 * PostgreSQL gives code 23505 with the table, the constraint's name and "Key (a, b)=…" in detail.
 */
export function isUniqueViolation(error: unknown, on: { table: string; column?: string; index?: string }): boolean {
  if (typeof error !== 'object' || error === null) return false
  const code = errorCode(error)
  if (code === '23505') {
    const e = error as { table?: string; constraint?: string; detail?: string }
    if (e.table !== on.table) return false
    if (on.index && e.constraint === on.index) return true
    if (on.column) {
      const columns =
        /^Key \(([^)]*)\)=/
          .exec(e.detail ?? '')?.[1]
          ?.split(',')
          .map((c) => c.trim()) ?? []
      return columns.includes(on.column)
    }
    return !on.index
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const message = error instanceof Error ? error.message : ''
    const columns = message
      .replace(/^UNIQUE constraint failed: /, '')
      .split(',')
      .map((c) => c.trim())
    if (on.column) return columns.includes(`${on.table}.${on.column}`)
    return columns.some((c) => c.startsWith(`${on.table}.`)) || (!!on.index && message.includes(on.index))
  }
  return false
}

/**
 * "column contains text" whatever the case, literally: % and _ (an email can hold an underscore)
 * escaped. SQLite's LIKE ignores ASCII case; PostgreSQL's does not, so it gets ILIKE.
 */
export function containsIgnoringCase(db: Executor, column: string, text: string): RawBuilder<boolean> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  return isPostgres(db)
    ? sql<boolean>`${sql.ref(column)} ilike ${pattern} escape '\\'`
    : sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`
}

/**
 * The outbox worker's claim: the id of the next row to send. On PostgreSQL `FOR UPDATE SKIP
 * LOCKED`, so two instances' workers take different rows instead of queueing on one; SQLite has
 * one writer and needs nothing.
 */
export function claimable<DBT, T extends keyof DBT, O>(
  db: Executor,
  query: SelectQueryBuilder<DBT, T, O>,
): SelectQueryBuilder<DBT, T, O> {
  return isPostgres(db) ? query.forUpdate().skipLocked() : query
}

/** The tables an erasure or retention run rewrites: vacuumed after it on PostgreSQL. */
const TABLES_HOLDING_PERSONAL_DATA = [
  'booking',
  'place',
  'member',
  'outbox',
  'audit_log',
  'feedback',
  'session_message',
  'mailing_list_subscriber',
  'mailing_list_event',
  'staff_user',
  'booking_manage_token',
  'family',
  'child',
  'family_token',
  'family_session',
]

/**
 * After an erasure (on request, or by the nightly retention job). SQLite: copies the write-ahead
 * log into the main file and empties it, so old versions of erased rows do not linger in the -wal
 * file (secure_delete zeroes them in the main file); if a long read holds the log this does what
 * it can and the next checkpoint finishes. PostgreSQL keeps dead row versions until VACUUM: the
 * tables that held the erased rows are vacuumed (outside any transaction) so their space is reused.
 */
export async function checkpointAfterErasure(db: DB): Promise<void> {
  if (isPostgres(db)) {
    try {
      await sql`vacuum (skip_locked) ${sql.raw(TABLES_HOLDING_PERSONAL_DATA.join(', '))}`.execute(db)
    } catch (error) {
      // Erasure has committed; the next VACUUM (autovacuum or the nightly run) finishes the job.
      console.error(`PostgreSQL: VACUUM after erasure failed: ${error instanceof Error ? error.message : error}`)
    }
    return
  }
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db)
}

/** Cheap liveness check for /healthz: one round trip on the connection the app itself uses. */
export async function checkDatabase(db: DB): Promise<boolean> {
  try {
    const result = await sql<{ ok: number }>`select 1 as ok`.execute(db)
    return Number(result.rows[0]?.ok) === 1
  } catch {
    return false
  }
}

/**
 * Runs `work` while holding a database-wide lock named `name`, so two instances booting at once do
 * not both migrate and seed. PostgreSQL: a session advisory lock on one pooled connection.
 * SQLite: a transaction on the database itself would block the migrator's own writes (and Kysely's
 * migrator takes no lock on SQLite, so two processes both ran the first migration), so the lock is
 * BEGIN IMMEDIATE on a small companion file `<file>.lock`: another process waits for it (up to a
 * minute), and the operating system lets go of it if the holder dies.
 */
export async function withDatabaseLock<T>(database: OpenedDatabase, name: string, work: () => Promise<T>): Promise<T> {
  if (database.kind !== 'postgres') {
    if (database.file === ':memory:') return work()
    const lockFile = `${database.file}.lock`
    createPrivateFile(lockFile)
    const lock = new BetterSqlite3(lockFile)
    try {
      lock.pragma('busy_timeout = 60000')
      lock.exec('begin immediate')
      try {
        return await work()
      } finally {
        lock.exec('rollback')
      }
    } finally {
      lock.close()
    }
  }
  const client = await database.pool.connect()
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [name])
    try {
      return await work()
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [name])
    }
  } finally {
    client.release()
  }
}
