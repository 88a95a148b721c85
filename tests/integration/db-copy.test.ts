// npm run db:copy: moving a service from SQLite to PostgreSQL. A quarter is booked on SQLite, its
// report read through a real server, the file copied to a new PostgreSQL database by the command an
// operator runs, and a service on PostgreSQL must show the same report and keep taking bookings
// (the identity sequences were moved on past the copied ids). The copy itself needs a PostgreSQL
// server, so that part runs only when the suite runs on PostgreSQL (JOIN_IN_TEST_POSTGRES_URL);
// the refusals that never reach PostgreSQL run on both.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import { openDatabase } from '../../db/index'
import { migrateToLatest } from '../../db/migrate'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { dropDatabaseUrl, freshDatabaseUrl, onPostgres, sqliteOf } from '../support/database'
import { seedSeedQuarter } from '../support/seed-quarter'
import { startTestService, type HttpClient, type TestService } from '../support/service'
import { registerDatabase } from '../support/two-factor'

const exec = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')

interface Ran {
  code: number
  stdout: string
  stderr: string
}

/** `npm run db:copy -- …`, as an operator types it, in this checkout (which has been built). */
async function dbCopy(args: string[]): Promise<Ran> {
  try {
    const { stdout, stderr } = await exec('npm', ['run', '--silent', 'db:copy', '--', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '' },
      timeout: 180_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

/** A stack trace's lines ("    at main (…)"): an operator's mistake must never print one. */
const STACK_LINE = /^\s+at /m

/** Nothing listens on port 1: a refusal that must come before PostgreSQL is ever asked. */
const UNREACHABLE = 'postgres://join-in@127.0.0.1:1/nowhere'

describe('npm run db:copy refuses what it cannot copy, before touching PostgreSQL (both databases)', () => {
  let dir: string
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-db-copy-'))
  })
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('explains how to call it when --from or --to is missing, wrong or unknown', async () => {
    const usage = 'Usage: npm run db:copy -- --from <sqlite file> --to <postgres url>'
    const cases: Array<[string[], string]> = [
      [[], usage],
      [['--from', path.join(dir, 'a.sqlite')], '--to is missing'],
      [['--to', UNREACHABLE], '--from is missing'],
      [['--from', path.join(dir, 'a.sqlite'), '--to', 'mysql://db/join_in'], '--to must be a postgres:// URL'],
      [['--from', path.join(dir, 'a.sqlite'), '--to', path.join(dir, 'b.sqlite')], '--to must be a postgres:// URL'],
      [['--from', UNREACHABLE, '--to', UNREACHABLE], '--from must be a SQLite file'],
      [['--from', path.join(dir, 'a.sqlite'), '--to', UNREACHABLE, '--tables', 'x'], "Unknown option '--tables'"],
      [['--from', path.join(dir, 'missing.sqlite'), '--to', UNREACHABLE], 'There is no SQLite database at'],
    ]
    for (const [args, message] of cases) {
      const ran = await dbCopy(args)
      expect(ran.code, args.join(' ')).toBe(2)
      expect(ran.stderr, args.join(' ')).toContain(message)
      expect(ran.stderr, args.join(' ')).not.toMatch(STACK_LINE)
      if (message !== usage) expect(ran.stderr, args.join(' ')).toContain(usage)
    }
    // the missing file was not made by looking for it
    expect(fs.existsSync(path.join(dir, 'missing.sqlite'))).toBe(false)
  })

  it('refuses a SQLite database that is not at the newest migration, and says to migrate it first', async () => {
    const file = path.join(dir, 'behind.sqlite')
    const database = sqliteOf(openDatabase(file))
    await migrateToLatest(database.db)
    const newest = database.sqlite
      .prepare('select name from kysely_migration order by name desc limit 1')
      .pluck()
      .get() as string
    database.sqlite.prepare('delete from kysely_migration where name = ?').run(newest)
    await database.db.destroy()

    const ran = await dbCopy(['--from', file, '--to', UNREACHABLE])
    expect(ran.code).toBe(1)
    expect(ran.stderr).toContain(`${file} is not at the newest migration: it has not run ${newest}.`)
    expect(ran.stderr).toContain(`DATABASE_URL=${file} npm run migrate`)
    expect(ran.stderr).not.toMatch(STACK_LINE)
    expect(ran.stderr).not.toContain('ECONNREFUSED')
  })

  it('refuses a file that is not a Join In database', async () => {
    const file = path.join(dir, 'other.sqlite')
    const other = new BetterSqlite3(file)
    other.exec('create table notes (id integer primary key, body text)')
    other.close()
    const ran = await dbCopy(['--from', file, '--to', UNREACHABLE])
    expect(ran.code).toBe(1)
    expect(ran.stderr).toContain(`${file} is not a Join In database (it has no kysely_migration table).`)
    expect(ran.stderr).not.toMatch(STACK_LINE)
  })
})

/** Every table's rows in primary-key order: the whole content of a database, to compare two. */
async function contents(
  sqliteFile: string,
  pgUrl: string,
): Promise<{ sqlite: Record<string, unknown[]>; postgres: Record<string, unknown[]> }> {
  const source = new BetterSqlite3(sqliteFile, { readonly: true })
  const client = new pg.Client({ connectionString: pgUrl })
  await client.connect()
  try {
    const tables = source
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name",
      )
      .pluck()
      .all() as string[]
    const sqlite: Record<string, unknown[]> = {}
    const postgres: Record<string, unknown[]> = {}
    for (const table of tables) {
      const columns = source.prepare(`pragma table_info("${table}")`).all() as Array<{ name: string; pk: number }>
      const keys = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk)
      const order = (keys.length ? keys : columns).map((c) => `"${c.name}"`).join(', ')
      const list = columns.map((c) => `"${c.name}"`).join(', ')
      sqlite[table] = source.prepare(`select ${list} from "${table}" order by ${order}`).all()
      postgres[table] = (await client.query(`select ${list} from "${table}" order by ${order}`)).rows
    }
    return { sqlite, postgres }
  } finally {
    source.close()
    await client.end()
  }
}

function count(file: string, table: string): number {
  const source = new BetterSqlite3(file, { readonly: true })
  try {
    return source.prepare(`select count(*) from "${table}"`).pluck().get() as number
  } finally {
    source.close()
  }
}

/** What a person reads: the report page's main content and its downloads, for 2025-26 Q3. */
async function readReport(staff: HttpClient): Promise<Record<string, string>> {
  const read: Record<string, string> = {}
  for (const url of [
    '/staff/reports?quarter=2025-26+Q3&cut=age-band',
    '/staff/reports?quarter=2025-26+Q3&cut=school-year',
    '/staff/reports/csv?quarter=2025-26+Q3&cut=age-band',
    '/staff/reports/csv?quarter=2025-26+Q3&cut=school-year',
    '/staff/reports/places.csv?quarter=2025-26%20Q3',
  ]) {
    const response = await staff.get(url)
    expect(response.status, url).toBe(200)
    const text = await response.text()
    if (url.includes('places.csv')) {
      // A session's places come in no particular order (places-export.server.ts): the same lines.
      const [header, ...lines] = text.split('\r\n')
      read[url] = [header, ...lines.sort()].join('\r\n')
    } else if (url.includes('csv')) read[url] = text
    // the page around the report (the signed-in name, the form's token) is not the report
    else read[url] = /<main[\s\S]*<\/main>/.exec(text)![0]
  }
  return read
}

describe.runIf(onPostgres)('npm run db:copy moves a seeded quarter from SQLite to PostgreSQL (PostgreSQL only)', () => {
  let dir: string
  let sqliteFile: string
  let pgUrl: string
  let before: Record<string, string>
  let copied: Ran
  let onPg: TestService | undefined
  const staff = { email: 'reporter@example.org', password: 'a long password for the reporter', totpSecret: '' }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-db-copy-'))
    sqliteFile = path.join(dir, 'join-in.sqlite')
    // The SQLite service, whichever database the rest of the suite is on.
    const source = await startTestService({ DATABASE_URL: sqliteFile })
    try {
      await seedSeedQuarter(source)
      const id = await createStaffUser(source.database.db, { ...staff, name: 'Report Reader', role: 'staff' })
      staff.totpSecret = await source.enrolTwoFactor(id, staff.email)
      before = await readReport(await source.signIn(staff))
    } finally {
      // The operator stops the service, then copies.
      await source.close()
    }
    pgUrl = await freshDatabaseUrl(dir, { empty: true })
    copied = await dbCopy(['--from', sqliteFile, '--to', pgUrl])
  }, 300_000)
  afterAll(async () => {
    await onPg?.close()
    if (pgUrl) await dropDatabaseUrl(pgUrl)
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('migrates the empty database, copies every table with its ids and prints the counts', async () => {
    expect(copied.stderr).not.toMatch(STACK_LINE)
    expect(copied.code, copied.stderr).toBe(0)
    const { sqlite, postgres } = await contents(sqliteFile, pgUrl)
    // every table, every row, every value
    expect(Object.keys(postgres).length).toBeGreaterThanOrEqual(25)
    for (const table of Object.keys(sqlite)) expect(postgres[table], table).toEqual(sqlite[table])
    // the seeded quarter really is there: 522 confirmed spaces and more
    expect(sqlite.place!.length).toBeGreaterThan(522)
    for (const table of ['activity', 'booking', 'place', 'member', 'feedback', 'audit_log', 'staff_user']) {
      expect(copied.stdout).toMatch(new RegExp(`^\\s*${table}\\s+${sqlite[table]!.length}$`, 'm'))
    }
    expect(copied.stdout).toContain(`Copied ${Object.values(sqlite).reduce((n, rows) => n + rows.length, 0)} rows`)

    const client = new pg.Client({ connectionString: pgUrl })
    await client.connect()
    try {
      const migrated = await client.query<{ name: string }>('select name from kysely_migration order by name')
      const source = new BetterSqlite3(sqliteFile, { readonly: true })
      const names = source.prepare('select name from kysely_migration order by name').pluck().all()
      source.close()
      expect(migrated.rows.map((r) => r.name)).toEqual(names)
    } finally {
      await client.end()
    }
  })

  it('serves the same quarterly report, page and downloads, from PostgreSQL', async () => {
    onPg = await startTestService({ DATABASE_URL: pgUrl })
    // The account and its two-factor secret came across with the data, and so did the last code
    // it used: its next code must be one the SQLite service never took.
    registerDatabase(onPg.url, sqliteFile)
    const after = await readReport(await onPg.signIn(staff))
    expect(Object.keys(after)).toEqual(Object.keys(before))
    for (const url of Object.keys(before)) expect(after[url], url).toBe(before[url])
    expect(after['/staff/reports/csv?quarter=2025-26+Q3&cut=age-band']).toContain('spaces_booked,,522')
  })

  it('takes new staff, activities and bookings on PostgreSQL without reusing a copied id', async () => {
    expect(onPg).toBeDefined()
    const service = onPg!
    const bookingsBefore = count(sqliteFile, 'booking')
    const placesBefore = count(sqliteFile, 'place')
    const staffBefore = count(sqliteFile, 'staff_user')
    const activitiesBefore = count(sqliteFile, 'activity')
    const maxActivity = (
      await service.database.db
        .selectFrom('activity')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow()
    ).id as number

    const activity = await publishActivity(service, { capacity: '10', title: 'After the move' })
    expect(activity).toBeGreaterThan(maxActivity)
    const family = service.client()
    for (const [i, email] of ['first@example.org', 'second@example.org'].entries()) {
      const response = await confirmBooking(
        family,
        activity,
        [
          { firstName: `Moved${i}`, dob: dobForAge(8) },
          { firstName: `Sibling${i}`, dob: dobForAge(6) },
        ],
        { email },
      )
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toMatch(/\/bookings\//)
    }

    const { db } = service.database
    const n = async (table: 'booking' | 'place' | 'staff_user' | 'activity') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    expect(await n('booking')).toBe(bookingsBefore + 2)
    expect(await n('place')).toBe(placesBefore + 4)
    // publishActivity signed in a new staff member
    expect(await n('staff_user')).toBe(staffBefore + 1)
    expect(await n('activity')).toBe(activitiesBefore + 1)
    const places = await db.selectFrom('place').select('status').where('activity_id', '=', activity).execute()
    expect(places.map((p) => p.status)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed'])
  })

  it('refuses a SQLite table that PostgreSQL has no place for, rather than leaving it behind', async () => {
    const file = path.join(dir, 'extra.sqlite')
    const database = sqliteOf(openDatabase(file))
    await migrateToLatest(database.db)
    // a table no migration made (a later migration's, say, or someone's own): its rows must not be lost quietly
    database.sqlite.exec(
      "create table visit_notes (id integer primary key, note text); insert into visit_notes (note) values ('kept')",
    )
    await database.db.destroy()
    const empty = await freshDatabaseUrl(dir, { empty: true })
    try {
      const ran = await dbCopy(['--from', file, '--to', empty])
      expect(ran.code).toBe(1)
      expect(ran.stderr).toContain('the table visit_notes is in the SQLite file but not in PostgreSQL')
      expect(ran.stderr).not.toMatch(STACK_LINE)
      // nothing was copied: the transaction was rolled back (the migrated tables are empty)
      const client = new pg.Client({ connectionString: empty })
      await client.connect()
      try {
        const { rows } = await client.query<{ n: string }>('select count(*) as n from authority')
        expect(Number(rows[0]!.n)).toBe(0)
      } finally {
        await client.end()
      }
    } finally {
      await dropDatabaseUrl(empty)
    }
  })

  it('refuses a second copy into the database that now holds data, and changes nothing', async () => {
    const bookings = Number(
      (
        await onPg!.database.db
          .selectFrom('booking')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
    const again = await dbCopy(['--from', sqliteFile, '--to', pgUrl])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already holds data')
    expect(again.stderr).toMatch(/booking \(\d+ rows?\)/)
    expect(again.stderr).toContain('Copy into a new, empty database')
    expect(again.stderr).not.toMatch(STACK_LINE)
    expect(
      Number(
        (
          await onPg!.database.db
            .selectFrom('booking')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(bookings)
  })
})
