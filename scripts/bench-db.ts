// Which database `npm run bench` measures, and its fresh databases. DATABASE_URL unset (or a
// path, file: or sqlite:) → SQLite, every measurement on its own file in a temporary folder, as
// before; postgres:// or postgresql:// → PostgreSQL on that server: every measurement gets its own
// database (CREATE DATABASE … TEMPLATE template0 LC_COLLATE 'C.UTF-8', the collation the service
// needs), dropped when the bench ends. The URL's own database is only used to create and drop them.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { databaseKindOf, postgresLabel } from '../db/index'

const URL_FROM_ENV = process.env.DATABASE_URL ?? ''
export const BENCH_ON_POSTGRES = URL_FROM_ENV !== '' && databaseKindOf(URL_FROM_ENV) === 'postgres'
export const BENCH_DATABASE: 'SQLite' | 'PostgreSQL' = BENCH_ON_POSTGRES ? 'PostgreSQL' : 'SQLite'
/** Unique per bench run, so two runs on one server never drop each other's databases. */
const RUN = `${process.pid}_${crypto.randomBytes(2).toString('hex')}`
export const BENCH_DATABASE_PREFIX = `bench_${RUN}_`

const made = new Set<string>()
let counter = 0

export async function adminQuery(text: string, values?: unknown[]): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: URL_FROM_ENV })
  await client.connect()
  try {
    return await client.query(text, values)
  } finally {
    await client.end()
  }
}

function urlFor(database: string): string {
  const url = new URL(URL_FROM_ENV)
  url.pathname = `/${database}`
  return url.toString()
}

/**
 * An empty database for one measurement: a SQLite file in `dir` (`name`), or a new PostgreSQL
 * database on the server in DATABASE_URL. Not migrated: the caller (or the service) migrates it.
 */
export async function benchDatabaseUrl(dir: string, name: string): Promise<string> {
  if (!BENCH_ON_POSTGRES) return path.join(dir, `${name}.sqlite`)
  const database = `${BENCH_DATABASE_PREFIX}${(++counter).toString().padStart(2, '0')}_${name.replace(/[^a-z0-9]/gi, '_')}`
  await adminQuery(
    `create database ${database} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
  )
  made.add(database)
  return urlFor(database)
}

/** Drops one database benchDatabaseUrl made (PostgreSQL), or removes the SQLite file and its -wal/-shm. */
export async function dropBenchDatabase(url: string): Promise<void> {
  if (!BENCH_ON_POSTGRES) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${url}${suffix}`, { force: true })
    return
  }
  const database = decodeURIComponent(new URL(url).pathname.slice(1))
  if (!made.has(database)) return
  // pg's pool.end() resolves before its connections have closed; forcing the drop while they are
  // closing makes them report an error. Give them a moment first.
  for (let i = 0; i < 40; i++) {
    const { rows } = await adminQuery('select count(*)::int as n from pg_stat_activity where datname = $1', [database])
    if ((rows[0] as { n: number }).n === 0) break
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  await adminQuery(`drop database if exists ${database} with (force)`)
  made.delete(database)
}

/** At the end (or on failure): every database this run made on the server. */
export async function dropAllBenchDatabases(): Promise<void> {
  if (!BENCH_ON_POSTGRES) return
  const { rows } = await adminQuery('select datname from pg_database where starts_with(datname, $1)', [
    BENCH_DATABASE_PREFIX,
  ])
  for (const row of rows as Array<{ datname: string }>)
    await adminQuery(`drop database if exists ${row.datname} with (force)`)
  made.clear()
}

/** Size on disk of the database at `url`: the file, or pg_database_size. */
export async function databaseBytes(url: string): Promise<number> {
  if (!BENCH_ON_POSTGRES) return fs.statSync(url).size
  const database = decodeURIComponent(new URL(url).pathname.slice(1))
  const { rows } = await adminQuery('select pg_database_size($1)::float8 as bytes', [database])
  return Number((rows[0] as { bytes: number }).bytes)
}

/** One line for the header: which server and its settings that matter to these figures. */
export async function postgresDescription(): Promise<string[]> {
  const { rows } = await adminQuery(
    `select version() as version,
       current_setting('shared_buffers') as shared_buffers, current_setting('work_mem') as work_mem,
       current_setting('synchronous_commit') as synchronous_commit, current_setting('fsync') as fsync,
       current_setting('max_connections') as max_connections, current_setting('jit') as jit,
       current_setting('max_parallel_workers_per_gather') as parallel`,
  )
  const r = rows[0] as Record<string, string>
  return [
    `${r.version!.split(' on ')[0]} at ${postgresLabel(URL_FROM_ENV).replace(/^PostgreSQL /, '')}; fresh databases ${BENCH_DATABASE_PREFIX}*`,
    `shared_buffers=${r.shared_buffers}, work_mem=${r.work_mem}, synchronous_commit=${r.synchronous_commit}, fsync=${r.fsync}, ` +
      `max_connections=${r.max_connections}, jit=${r.jit}, max_parallel_workers_per_gather=${r.parallel}`,
  ]
}

export function tempDir(label: string, temps: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `join-in-bench-${label}-`))
  temps.push(dir)
  return dir
}
