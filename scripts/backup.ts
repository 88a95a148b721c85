// npm run backup: a consistent copy of the live SQLite database, taken while the service runs.
//
// better-sqlite3's backup() uses SQLite's online backup API: it copies the database page by page
// and restarts if a write lands mid-copy, so the copy is one moment's state even with bookings
// arriving. (Copying the file with cp while the server runs is not safe: the -wal file holds the
// latest bookings and a half-copied file can be corrupt.) The copy is written under a temporary
// name, checked with `pragma integrity_check`, then renamed, so a file named join-in-*.sqlite in
// the backup folder is always complete. Older backups beyond --keep are deleted: they hold
// personal data that retention and erasure requests have removed from the live database since.
//
//   npm run backup                       → ./backups/join-in-2026-11-23T21-30-00Z.sqlite
//   npm run backup -- --dir /mnt/backups --keep 30
//
// DATABASE_URL is the database to copy (as for the server); BACKUP_DIR and BACKUP_KEEP are the
// defaults for --dir and --keep. Restoring is in the README. It is for SQLite only: with a
// postgres:// DATABASE_URL it refuses and points at pg_dump and point-in-time recovery, which
// PostgreSQL does better than the app could.
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import { z } from 'zod'
import { createPrivateFile, databaseFileFromUrl, databaseKindOf, postgresLabel } from '../db/index'

const BACKUP_NAME = /^join-in-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d{3})?Z\.sqlite$/

const optionsSchema = z.object({
  database: z.string().min(1, 'DATABASE_URL is empty'),
  dir: z.string().min(1, 'Give a folder for the backups'),
  keep: z.coerce
    .number({ message: '--keep must be a whole number' })
    .int('--keep must be a whole number')
    .min(1, '--keep must be at least 1: the backup just made is kept'),
})

export interface BackupResult {
  file: string
  bytes: number
  pages: number
  bookings: number
  deleted: string[]
}

/** Why there is no `npm run backup` for PostgreSQL, and what to do instead. */
export function postgresBackupRefusal(url: string): string {
  return (
    `npm run backup copies a SQLite database, and DATABASE_URL is ${postgresLabel(url)}. ` +
    'Back PostgreSQL up with its own tools: pg_dump for a nightly copy, and continuous WAL archiving ' +
    'for point-in-time recovery (see PostgreSQL backups in the README).'
  )
}

function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.(\d{3})Z$/, '-$1Z')
}

export async function backup(options: {
  database: string
  dir: string
  keep: number
  now?: Date
}): Promise<BackupResult> {
  if (databaseKindOf(options.database) === 'postgres') throw new Error(postgresBackupRefusal(options.database))
  const source = databaseFileFromUrl(options.database)
  if (!fs.existsSync(source)) throw new Error(`There is no database at ${source} (DATABASE_URL)`)
  // Backups hold the same personal data as the database: 0600 files in a 0700 folder.
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 })
  const name = `join-in-${stamp(options.now ?? new Date())}.sqlite`
  const file = path.join(options.dir, name)
  const partial = `${file}.partial`

  // Made empty and private first: SQLite writes the copy (and its journal) with this file's mode.
  createPrivateFile(partial, { exclusive: true })
  const live = new BetterSqlite3(source, { fileMustExist: true })
  let pages = 0
  try {
    live.pragma('busy_timeout = 5000')
    const progress = await live.backup(partial)
    pages = progress.totalPages
  } finally {
    live.close()
  }

  const copy = new BetterSqlite3(partial, { fileMustExist: true })
  let bookings = 0
  try {
    const check = copy.pragma('integrity_check', { simple: true })
    if (check !== 'ok') throw new Error(`The copy failed its integrity check: ${String(check)}`)
    // A backup is a single file: no -wal beside it to lose.
    copy.pragma('journal_mode = DELETE')
    bookings = (copy.prepare('select count(*) as n from booking').get() as { n: number }).n
  } catch (error) {
    copy.close()
    fs.rmSync(partial, { force: true })
    throw error
  }
  copy.close()
  fs.renameSync(partial, file)

  const backups = fs
    .readdirSync(options.dir)
    .filter((f) => BACKUP_NAME.test(f))
    .sort()
    .reverse()
  const deleted = backups.slice(options.keep)
  for (const old of deleted) fs.rmSync(path.join(options.dir, old), { force: true })
  return { file, bytes: fs.statSync(file).size, pages, bookings, deleted }
}

export async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, keep: { type: 'string' } } })
  const parsed = optionsSchema.safeParse({
    database: process.env.DATABASE_URL ?? './data/join-in.sqlite',
    dir: values.dir ?? process.env.BACKUP_DIR ?? './backups',
    keep: values.keep ?? process.env.BACKUP_KEEP ?? '14',
  })
  if (!parsed.success) {
    console.error(parsed.error.issues.map((i) => i.message).join('\n'))
    process.exitCode = 2
    return
  }
  let kind: ReturnType<typeof databaseKindOf>
  try {
    kind = databaseKindOf(parsed.data.database)
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    process.exitCode = 2
    return
  }
  if (kind === 'postgres') {
    console.error(postgresBackupRefusal(parsed.data.database))
    process.exitCode = 2
    return
  }
  const result = await backup(parsed.data)
  console.log(
    `Backed up ${result.bookings} bookings (${result.pages} pages, ${(result.bytes / 1024 / 1024).toFixed(1)} MB) to ${result.file}`,
  )
  if (result.deleted.length) console.log(`Deleted ${result.deleted.length} older backups: ${result.deleted.join(', ')}`)
}

// Run directly from source (`node --import tsx scripts/backup.ts`); `npm run backup` runs the
// compiled copy through scripts/run.js, which calls main() itself.
if (process.argv[1]?.endsWith('scripts/backup.ts')) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
