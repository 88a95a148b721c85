// Which database the suite runs on, and a fresh one per test file. `npm test` runs on SQLite; with
// JOIN_IN_TEST_POSTGRES_URL (a superuser's URL on a real PostgreSQL server, which .ci/run starts)
// the same suite runs on PostgreSQL: every service gets its own database, made in one statement
// from a template that tests/support/global-setup.ts migrated once.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import type { OpenedDatabase, SqliteDatabase } from '../../db/index'

export const POSTGRES_ADMIN_URL = process.env.JOIN_IN_TEST_POSTGRES_URL ?? ''
export const onPostgres = POSTGRES_ADMIN_URL !== ''
export const TEST_DATABASE: 'sqlite' | 'postgres' = onPostgres ? 'postgres' : 'sqlite'
/**
 * One run's databases, so two runs on one server (two worktrees, say) never drop each other's:
 * global-setup.ts chooses the run id before the test processes start, and they inherit it.
 */
export function runId(): string {
  return process.env.JOIN_IN_TEST_RUN ?? 'adhoc'
}
/** Read when called, so global-setup.ts (which sets the run id after importing this) sees its own. */
export const testDatabasePrefix = (): string => `join_in_test_${runId()}_`
export const templateDatabase = (): string => `${testDatabasePrefix()}template`
/** An empty database that sorts text by bytes, as Join In needs (db/index.ts collationWarning). */
export const createEmptyDatabaseSql = (name: string): string =>
  `create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`

export function postgresUrlFor(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL)
  url.pathname = `/${database}`
  return url.toString()
}

/** One statement on the server as the superuser of JOIN_IN_TEST_POSTGRES_URL. */
export async function adminQuery(sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await client.connect()
  try {
    return await client.query(sql)
  } finally {
    await client.end()
  }
}

/**
 * A new, empty-but-migrated database for one service: on SQLite a file in `dir` (`name` by
 * default join-in.sqlite), on PostgreSQL a database copied from the migrated template, or an empty
 * one with `{ empty: true }` (for tests of migrating itself).
 */
export async function freshDatabaseUrl(dir: string, options: { name?: string; empty?: boolean } = {}): Promise<string> {
  if (!onPostgres) return path.join(dir, options.name ?? 'join-in.sqlite')
  const name = `${testDatabasePrefix()}${process.pid}_${crypto.randomBytes(4).toString('hex')}`
  await adminQuery(
    options.empty ? createEmptyDatabaseSql(name) : `create database ${name} template ${templateDatabase()}`,
  )
  return postgresUrlFor(name)
}

/** Drops a database freshDatabaseUrl made (PostgreSQL); a SQLite file goes with its folder. */
export async function dropDatabaseUrl(url: string): Promise<void> {
  if (!onPostgres || !/^postgres/.test(url)) return
  const name = decodeURIComponent(new URL(url).pathname.slice(1))
  if (!name.startsWith(testDatabasePrefix())) return
  await adminQuery(`drop database if exists ${name} with (force)`)
}

/** For tests that only mean something on SQLite (they are skipped on PostgreSQL): the SQLite handle. */
export function sqliteOf(database: OpenedDatabase): SqliteDatabase {
  if (database.kind !== 'sqlite') throw new Error('This test is for SQLite only and must be skipped on PostgreSQL')
  return database
}

/**
 * Which of `traces` can still be found in the database. SQLite: the bytes of the .sqlite and -wal
 * files, exactly as written (so free pages and old log frames count too). PostgreSQL has no
 * secure_delete and no single file to read: every text column of every table, ignoring case.
 */
export async function tracesInDatabase(database: OpenedDatabase, traces: readonly string[]): Promise<string[]> {
  if (database.kind === 'sqlite') {
    const files = [database.file, `${database.file}-wal`].filter((f) => fs.existsSync(f))
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(f)))
    return traces.filter((trace) => bytes.indexOf(Buffer.from(trace, 'utf8')) > -1)
  }
  const columns = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'character varying')
    order by table_name, column_name`.execute(database.db)
  const byTable = new Map<string, string[]>()
  for (const c of columns.rows) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name])
  const found: string[] = []
  for (const trace of traces) {
    for (const [table, names] of byTable) {
      const anyColumn = sql.join(
        names.map((name) => sql`strpos(lower(${sql.ref(name)}), lower(${trace})) > 0`),
        sql` or `,
      )
      const hit = await sql`select 1 from ${sql.table(table)} where ${anyColumn} limit 1`.execute(database.db)
      if (hit.rows.length) {
        found.push(trace)
        break
      }
    }
  }
  return found
}
