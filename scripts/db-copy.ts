// npm run db:copy -- --from <sqlite file> --to <postgres url>: moves a service from SQLite to
// PostgreSQL. Stop the service first (every booking made after the copy starts stays behind on
// SQLite), copy, then start it with DATABASE_URL set to the PostgreSQL URL.
//
// - The SQLite file must be at the newest migration (run `npm run migrate` on it first); the
//   PostgreSQL database must hold no data. It is migrated here, so its tables are the ones this
//   release's migrations make, and Kysely's own migration tables are written by that migrator.
// - Tables are copied in foreign-key order, read from SQLite's `pragma foreign_key_list`, so a
//   table a later migration adds is copied without anyone listing it; a table in the SQLite file
//   that PostgreSQL does not have after migrating is an error, never silently left behind.
// - The SQLite side is read in one read transaction (one moment's state, even if something still
//   writes); the PostgreSQL side is written in one transaction, in batches, ids kept, so a failure
//   leaves it empty. Then every identity sequence is moved past the largest id copied (and past
//   ids SQLite handed out and erasure later deleted), so the next booking gets a new id.
//
// Compiled into build/node/db-copy.js and run by scripts/run.js, like `npm run migrate`: no
// TypeScript tools needed in production.
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import type pg from 'pg'
import { collationWarning, databaseFileFromUrl, databaseKindOf, openDatabase, type PostgresDatabase } from '../db/index'
import { migrateToLatest } from '../db/migrate'
import { migrations } from '../db/migrations'

export const USAGE = 'Usage: npm run db:copy -- --from <sqlite file> --to <postgres url>'

/** Something the operator can put right: printed as a message, never as a stack trace. */
export class CopyRefused extends Error {
  constructor(
    message: string,
    /** 2: the command was called wrongly; 1: the databases are not ready for a copy */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message)
    this.name = 'CopyRefused'
  }
}

/** Kysely's own tables: the target's migrator writes them, so they are neither copied nor data. */
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock'])

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_BATCH_ROWS = 1000
const MAX_PARAMETERS = 65_535

/** The lock an instance takes to migrate and seed at boot (db/index.ts withDatabaseLock). */
const BOOT_LOCK = 'join-in:migrate'

export interface CopyOptions {
  /** the SQLite file (a path, file: or sqlite: URL) */
  from: string
  /** the PostgreSQL database: postgres:// or postgresql:// */
  to: string
  log?: (line: string) => void
  warn?: (line: string) => void
}

export interface TableCopied {
  table: string
  rows: number
  /** true for a table PostgreSQL has and the SQLite file does not (left empty) */
  notInSource?: boolean
}

export interface CopyResult {
  source: string
  target: string
  tables: TableCopied[]
  rows: number
  /** identity columns whose sequences were moved on, with the next id each will give */
  sequences: Array<{ table: string; column: string; next: number }>
  milliseconds: number
}

interface SourceTable {
  name: string
  columns: string[]
  /** primary-key columns in key order: rows are read (and so inserted) in this order */
  keys: string[]
  /** tables this one's foreign keys point at */
  references: string[]
  /** the highest id SQLite's AUTOINCREMENT handed out, even if that row was deleted since */
  sqliteSequence: number
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`

// ---------------------------------------------------------------------------------------------
// Arguments

export function parseArguments(argv: readonly string[]): { from: string; to: string } | 'help' {
  let values: { from?: string; to?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    throw new CopyRefused(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, 2)
  }
  if (values.help) return 'help'
  if (!values.from && !values.to) throw new CopyRefused(USAGE, 2)
  if (!values.from) throw new CopyRefused(`--from is missing: give the SQLite file to copy.\n${USAGE}`, 2)
  if (!values.to) throw new CopyRefused(`--to is missing: give the PostgreSQL database to copy into.\n${USAGE}`, 2)
  if (kindOf(values.to) !== 'postgres') {
    throw new CopyRefused(`--to must be a postgres:// URL (the PostgreSQL database to copy into).\n${USAGE}`, 2)
  }
  if (kindOf(values.from) !== 'sqlite') {
    throw new CopyRefused(`--from must be a SQLite file (the database the service runs on now).\n${USAGE}`, 2)
  }
  const file = databaseFileFromUrl(values.from)
  if (file === ':memory:' || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new CopyRefused(`There is no SQLite database at ${file} (--from).\n${USAGE}`, 2)
  }
  return { from: file, to: values.to }
}

function kindOf(url: string): 'sqlite' | 'postgres' | 'other' {
  try {
    return databaseKindOf(url)
  } catch {
    return 'other'
  }
}

// ---------------------------------------------------------------------------------------------
// The SQLite side

function openSource(file: string): BetterSqlite3.Database {
  const source = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    source.pragma('busy_timeout = 5000')
    // One read transaction for everything read below: one moment's state.
    source.exec('begin')
    source.prepare('select count(*) from sqlite_master').get()
  } catch (error) {
    source.close()
    if (sqliteCode(error) === 'SQLITE_NOTADB') throw new CopyRefused(`${file} is not a SQLite database.`)
    throw error
  }
  return source
}

function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
}

/** The migrations the file has run must be exactly this release's. */
function checkSourceMigrations(source: BetterSqlite3.Database, file: string): void {
  const table = source.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get()
  if (!table) throw new CopyRefused(`${file} is not a Join In database (it has no kysely_migration table).`)
  const ran = new Set(source.prepare('select name from kysely_migration').pluck().all() as string[])
  const known = Object.keys(migrations)
  const unknown = [...ran].filter((name) => !known.includes(name)).sort()
  if (unknown.length) {
    throw new CopyRefused(
      `${file} has run migrations this release of Join In does not have (${unknown.join(', ')}): ` +
        'run db:copy from the release the service runs now.',
    )
  }
  const missing = known.filter((name) => !ran.has(name))
  if (missing.length) {
    throw new CopyRefused(
      `${file} is not at the newest migration: it has not run ${missing.join(', ')}. ` +
        `Bring it up to date first (\`DATABASE_URL=${file} npm run migrate\`, or start this release on it once), then copy.`,
    )
  }
}

function sourceTables(source: BetterSqlite3.Database): SourceTable[] {
  const names = (
    source
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name",
      )
      .pluck()
      .all() as string[]
  ).filter((name) => !MIGRATION_TABLES.has(name))
  const hasSequence = source.prepare("select 1 from sqlite_master where name = 'sqlite_sequence'").get()
  const sequences = new Map(
    hasSequence ? (source.prepare('select name, seq from sqlite_sequence').raw().all() as Array<[string, number]>) : [],
  )
  return names.map((name) => {
    const columns = source.prepare(`pragma table_info(${quote(name)})`).all() as Array<{ name: string; pk: number }>
    const foreignKeys = source.prepare(`pragma foreign_key_list(${quote(name)})`).all() as Array<{ table: string }>
    return {
      name,
      columns: columns.map((c) => c.name),
      keys: columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      references: [...new Set(foreignKeys.map((f) => f.table))],
      sqliteSequence: Number(sequences.get(name) ?? 0),
    }
  })
}

/**
 * Parents before children. A table that points at itself is copied in key order (older rows
 * first); a cycle between tables cannot be copied with the constraints on, and is refused.
 */
export function foreignKeyOrder<T extends { name: string; references: string[] }>(tables: readonly T[]): T[] {
  const byName = new Map(tables.map((t) => [t.name, t]))
  const state = new Map<string, 'visiting' | 'done'>()
  const ordered: T[] = []
  const visit = (table: T, path: string[]) => {
    const seen = state.get(table.name)
    if (seen === 'done') return
    if (seen === 'visiting') {
      throw new CopyRefused(
        `The foreign keys go round in a circle (${[...path, table.name].join(' → ')}): cannot copy.`,
      )
    }
    state.set(table.name, 'visiting')
    for (const name of [...table.references].sort()) {
      if (name === table.name) continue
      const parent = byName.get(name)
      if (!parent) throw new CopyRefused(`${table.name} has a foreign key to ${name}, which is not in the database.`)
      visit(parent, [...path, table.name])
    }
    state.set(table.name, 'done')
    ordered.push(table)
  }
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, [])
  return ordered
}

// ---------------------------------------------------------------------------------------------
// The PostgreSQL side

interface TargetColumn {
  name: string
  required: boolean
}

async function targetTables(client: pg.PoolClient): Promise<Map<string, TargetColumn[]>> {
  const { rows } = await client.query<{
    table_name: string
    column_name: string
    is_nullable: string
    column_default: string | null
    is_identity: string
  }>(
    `select c.table_name, c.column_name, c.is_nullable, c.column_default, c.is_identity
     from information_schema.columns c
     join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
     order by c.table_name, c.ordinal_position`,
  )
  const tables = new Map<string, TargetColumn[]>()
  for (const row of rows) {
    if (MIGRATION_TABLES.has(row.table_name)) continue
    const columns = tables.get(row.table_name) ?? []
    columns.push({
      name: row.column_name,
      required: row.is_nullable === 'NO' && row.column_default === null && row.is_identity !== 'YES',
    })
    tables.set(row.table_name, columns)
  }
  return tables
}

/** The tables that hold rows, with how many: any at all and the database is not one to copy into. */
async function tablesHoldingData(client: pg.PoolClient): Promise<Array<[string, number]>> {
  const holding: Array<[string, number]> = []
  for (const table of [...(await targetTables(client)).keys()].sort()) {
    const { rows } = await client.query<{ n: number }>(`select count(*) as n from ${quote(table)}`)
    const n = Number(rows[0]?.n ?? 0)
    if (n > 0) holding.push([table, n])
  }
  return holding
}

function refuseIfHoldingData(holding: Array<[string, number]>, label: string): void {
  if (holding.length === 0) return
  const listed = holding.map(([table, n]) => `${table} (${n} ${n === 1 ? 'row' : 'rows'})`)
  throw new CopyRefused(
    `${label} already holds data: ${listed.join(', ')}. Copy into a new, empty database ` +
      `(CREATE DATABASE … LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0); db:copy migrates it itself.`,
  )
}

/** Every table and column of the SQLite file must have somewhere to go. */
function checkSchemasMatch(tables: readonly SourceTable[], target: Map<string, TargetColumn[]>): void {
  const problems: string[] = []
  for (const table of tables) {
    const columns = target.get(table.name)
    if (!columns) {
      problems.push(`the table ${table.name} is in the SQLite file but not in PostgreSQL`)
      continue
    }
    const names = new Set(columns.map((c) => c.name))
    for (const column of table.columns) {
      if (!names.has(column)) problems.push(`${table.name}.${column} is in the SQLite file but not in PostgreSQL`)
    }
    for (const column of columns) {
      if (column.required && !table.columns.includes(column.name)) {
        problems.push(`${table.name}.${column.name} is required in PostgreSQL but not in the SQLite file`)
      }
    }
  }
  if (problems.length) {
    throw new CopyRefused(
      `The two databases do not have the same tables after migrating, so some data would be left behind:\n  ${problems.join('\n  ')}`,
    )
  }
}

async function copyTable(client: pg.PoolClient, source: BetterSqlite3.Database, table: SourceTable): Promise<number> {
  const columns = table.columns
  const order = (table.keys.length ? table.keys : ['rowid']).map(quote).join(', ')
  const rows = source
    .prepare(`select ${columns.map(quote).join(', ')} from ${quote(table.name)} order by ${order}`)
    .raw(true)
    .iterate() as IterableIterator<unknown[]>
  const batchRows = Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMETERS / columns.length)))
  const insert = (n: number) => {
    const tuples = Array.from(
      { length: n },
      (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`,
    )
    // OVERRIDING SYSTEM VALUE: the copied ids go in even into a GENERATED ALWAYS identity column.
    return `insert into ${quote(table.name)} (${columns.map(quote).join(', ')}) overriding system value values ${tuples.join(', ')}`
  }
  const full = insert(batchRows)
  let copied = 0
  let batch: unknown[] = []
  let inBatch = 0
  const flush = async () => {
    if (inBatch === 0) return
    try {
      // Full batches share one prepared statement per table.
      await client.query(
        inBatch === batchRows
          ? { name: `db-copy-${table.name}-${batchRows}`, text: full, values: batch }
          : { text: insert(inBatch), values: batch },
      )
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      throw new Error(`Copying ${table.name} failed at rows ${copied + 1}–${copied + inBatch}: ${message}`, {
        cause: error,
      })
    }
    copied += inBatch
    batch = []
    inBatch = 0
  }
  for (const row of rows) {
    batch.push(...row)
    inBatch += 1
    if (inBatch === batchRows) await flush()
  }
  await flush()
  return copied
}

/** Moves every identity (and serial) sequence on past the ids now in its table. */
async function resetSequences(client: pg.PoolClient, tables: readonly SourceTable[]): Promise<CopyResult['sequences']> {
  const { rows } = await client.query<{ table_name: string; column_name: string; sequence: string }>(
    `select c.relname as table_name, a.attname as column_name,
            pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) as sequence
     from pg_attribute a
     join pg_class c on c.oid = a.attrelid
     join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
       and pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) is not null
     order by c.relname, a.attname`,
  )
  const sqliteSequence = new Map(tables.map((t) => [t.name, t.sqliteSequence]))
  const reset: CopyResult['sequences'] = []
  for (const row of rows) {
    if (MIGRATION_TABLES.has(row.table_name)) continue
    const max = await client.query<{ max: number | null }>(
      `select max(${quote(row.column_name)}) as max from ${quote(row.table_name)}`,
    )
    // An AUTOINCREMENT id SQLite gave out is never given again, even after its row was erased.
    const last = Math.max(Number(max.rows[0]?.max ?? 0), sqliteSequence.get(row.table_name) ?? 0)
    // setval(seq, max(id)): the next nextval() gives max(id) + 1; an empty table starts at 1.
    await client.query('select setval($1, $2, $3)', [row.sequence, Math.max(last, 1), last > 0])
    reset.push({ table: row.table_name, column: row.column_name, next: last + 1 })
  }
  return reset
}

function connectionProblem(error: unknown, label: string): CopyRefused | null {
  const code = sqliteCode(error)
  const known = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ETIMEDOUT',
    'ECONNRESET',
    '28P01',
    '28000',
    '3D000',
  ])
  if (!code || !known.has(code)) return null
  const message = error instanceof Error ? error.message : String(error)
  return new CopyRefused(`Could not use ${label}: ${message || code}. Check --to (host, port, database, user).`)
}

// ---------------------------------------------------------------------------------------------

export async function copyDatabase(options: CopyOptions): Promise<CopyResult> {
  const started = Date.now()
  const warn = options.warn ?? console.error
  const file = databaseFileFromUrl(options.from)
  const source = openSource(file)
  try {
    checkSourceMigrations(source, file)
    const tables = foreignKeyOrder(sourceTables(source))

    const target = openDatabase(options.to, { poolSize: 2 }) as PostgresDatabase
    try {
      return await copyInto(target, source, tables, { file, started, warn })
    } catch (error) {
      throw connectionProblem(error, target.label) ?? error
    } finally {
      await target.db.destroy()
      // Kysely ends the pool only if it ran a query itself; a refusal may have used the pool alone.
      if (!target.pool.ending && !target.pool.ended) await target.pool.end()
    }
  } finally {
    source.close()
  }
}

async function copyInto(
  target: PostgresDatabase,
  source: BetterSqlite3.Database,
  tables: SourceTable[],
  context: { file: string; started: number; warn: (line: string) => void },
): Promise<CopyResult> {
  // Before migrating: never add tables to a database that is someone else's.
  const first = await target.pool.connect()
  try {
    refuseIfHoldingData(await tablesHoldingData(first), target.label)
  } finally {
    first.release()
  }
  await migrateToLatest(target.db)
  const collation = await collationWarning(target.db)
  if (collation) context.warn(`Warning: ${collation}`)

  const client = await target.pool.connect()
  try {
    await client.query('begin')
    // An instance booting on this database now waits for the copy, then finds it seeded.
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [BOOT_LOCK])
    const targetSchema = await targetTables(client)
    refuseIfHoldingData(await tablesHoldingData(client), target.label)
    checkSchemasMatch(tables, targetSchema)

    const copied: TableCopied[] = []
    for (const table of tables) {
      const rows = await copyTable(client, source, table)
      const { rows: counted } = await client.query<{ n: number }>(`select count(*) as n from ${quote(table.name)}`)
      if (Number(counted[0]?.n) !== rows) {
        throw new Error(`${table.name}: copied ${rows} rows but PostgreSQL holds ${counted[0]?.n}`)
      }
      copied.push({ table: table.name, rows })
    }
    const inSource = new Set(tables.map((t) => t.name))
    for (const name of [...targetSchema.keys()].sort()) {
      if (!inSource.has(name)) copied.push({ table: name, rows: 0, notInSource: true })
    }
    const sequences = await resetSequences(client, tables)
    await client.query('commit')
    // Fresh statistics, so the first reports after the move are planned on the real row counts.
    await client.query('analyze')
    return {
      source: context.file,
      target: target.label,
      tables: copied,
      rows: copied.reduce((n, t) => n + t.rows, 0),
      sequences,
      milliseconds: Date.now() - context.started,
    }
  } catch (error) {
    await client.query('rollback').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}

export function describeResult(result: CopyResult): string[] {
  const width = Math.max(...result.tables.map((t) => t.table.length))
  return [
    `Copied ${result.source} to ${result.target}, table by table in foreign-key order:`,
    ...result.tables.map(
      (t) => `  ${t.table.padEnd(width)}  ${t.rows}${t.notInSource ? '  (not in the SQLite file: left empty)' : ''}`,
    ),
    `Copied ${result.rows} rows in ${result.tables.length} tables in ${(result.milliseconds / 1000).toFixed(1)} s; ` +
      `${result.sequences.length} identity sequences moved on past the copied ids.`,
    `Next: start the service with DATABASE_URL set to the PostgreSQL URL.`,
  ]
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    const parsed = parseArguments(argv)
    if (parsed === 'help') {
      console.log(USAGE)
      return
    }
    const result = await copyDatabase(parsed)
    for (const line of describeResult(result)) console.log(line)
  } catch (error) {
    if (!(error instanceof CopyRefused)) throw error
    console.error(error.message)
    process.exitCode = error.exitCode
  }
}

// Run directly from source (`node --import tsx scripts/db-copy.ts …`); `npm run db:copy` runs the
// compiled copy through scripts/run.js, which calls main() itself.
if (process.argv[1]?.endsWith('scripts/db-copy.ts')) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error)
    process.exitCode = 1
  })
}
