// Opens the database from DATABASE_URL: the only module that knows the dialect is SQLite.
import fs from 'node:fs'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  sql,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely'
import type { Database } from './schema'

export type DB = Kysely<Database>

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

export interface OpenedDatabase {
  db: DB
  sqlite: BetterSqlite3.Database
  file: string
}

/** DATABASE_URL may be a path, a file: URL or sqlite: URL. */
export function databaseFileFromUrl(url: string): string {
  if (url.startsWith('file:')) return decodeURIComponent(url.slice('file:'.length).replace(/^\/\//, ''))
  if (url.startsWith('sqlite:')) return decodeURIComponent(url.slice('sqlite:'.length).replace(/^\/\//, ''))
  return url
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

export function openDatabase(url: string): OpenedDatabase {
  const file = databaseFileFromUrl(url)
  if (file !== ':memory:') createPrivateFile(file)
  const sqlite = new BetterSqlite3(file)
  sqlite.pragma('journal_mode = WAL')
  // FULL: a booking confirmed to a parent must survive a power cut, and bookings are few.
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // Erased and deleted personal data is overwritten with zeros, not left in free space in the file.
  sqlite.pragma('secure_delete = ON')
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) })
  return { db, sqlite, file }
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

/**
 * After an erasure (on request, or by the nightly retention job): copies the write-ahead log into
 * the main file and empties it, so old versions of erased rows do not linger in the -wal file
 * (secure_delete zeroes them in the main file). If a long read holds the log this does what it
 * can and the next checkpoint finishes. The one place that knows about the log: on a database
 * without one this is where it becomes a no-op.
 */
export async function checkpointAfterErasure(db: DB): Promise<void> {
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db)
}

/** Cheap liveness check for /healthz: one round trip on the connection the app itself uses. */
export async function checkDatabase(db: DB): Promise<boolean> {
  try {
    const result = await sql<{ ok: number }>`select 1 as ok`.execute(db)
    return result.rows[0]?.ok === 1
  } catch {
    return false
  }
}
