// Migrations on a database that already holds bookings: the reports migration must give existing
// places their school year and home authority (the report reads both from the place), and every
// migration must go down and up again cleanly.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Migrator, sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type OpenedDatabase } from '../../db/index'
import { seedReferenceData } from '../../db/migrate'
import { migrations } from '../../db/migrations'
import { dropDatabaseUrl, freshDatabaseUrl, onPostgres, sqliteOf } from '../support/database'

const KENT = 'E10000016'
const MEDWAY = 'E06000035'

let opened: OpenedDatabase | null = null
let dir: string | null = null

let url: string | null = null

afterEach(async () => {
  await opened?.db.destroy()
  opened = null
  if (url) await dropDatabaseUrl(url)
  url = null
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
  dir = null
})

function migrator(database: OpenedDatabase): Migrator {
  return new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } })
}

async function migrateTo(database: OpenedDatabase, name: string): Promise<void> {
  const result = await migrator(database).migrateTo(name)
  if (result.error) throw result.error
}

/** A session on 15 October 2025 with two bookings from different councils, written as 04 knew them. */
async function bookingsBeforeReports(database: OpenedDatabase): Promise<void> {
  const now = new Date().toISOString()
  const { db } = database
  const idOf = (result: { rows: Array<{ id: number }> }) => result.rows[0]!.id
  const activity = idOf(
    await sql<{ id: number }>`insert into activity (kind, title, category, description, starts_at, ends_at, capacity,
        min_age, max_age, location_type, booking_closes_at, status, created_at, updated_at)
      values ('activity', 'Old session', 'Science experiments', 'Booked before reports.', '2025-10-15T16:00:00.000Z',
        '2025-10-15T17:00:00.000Z', 20, 0, 19, 'online', '2025-10-15T16:00:00.000Z', 'published', ${now}, ${now})
      returning id`.execute(db),
  )
  const booking = async (reference: string, authority: string, key: string) =>
    idOf(
      await sql<{ id: number }>`insert into booking (reference, activity_id, contact_name, email, authority_code,
          manage_token_hash, idempotency_key, created_at, updated_at)
        values (${reference}, ${activity}, 'Parent', 'parent@example.org', ${authority}, 'x', ${key}, ${now}, ${now})
        returning id`.execute(db),
    )
  const place = async (bookingId: number, dob: string | null, key: string, age: number) =>
    sql`insert into place (booking_id, activity_id, first_name, date_of_birth, child_key, age_on_day, status,
        created_at, updated_at)
      values (${bookingId}, ${activity}, 'Child', ${dob}, ${key}, ${age}, 'confirmed', ${now}, ${now})`.execute(db)
  const kent = await booking('OLD1', KENT, 'old-1')
  const medway = await booking('OLD2', MEDWAY, 'old-2')
  // Born 1 September 2016: Year 4 in October 2025. Born 31 August 2017: also Year 4 (youngest in the year).
  await place(kent, '2016-09-01', 'old|a', 9)
  await place(kent, '2017-08-31', 'old|b', 8)
  // Date of birth already erased: the school year cannot be known, the authority still can.
  await place(medway, null, 'old|c', 7)
}

async function columnsOf(database: OpenedDatabase, table: string): Promise<string[]> {
  const tables = await database.db.introspection.getTables()
  return tables.find((t) => t.name === table)!.columns.map((c) => c.name)
}

/** An empty database of the kind the suite runs on: a file, or a new PostgreSQL database. */
async function emptyDatabase(name: string): Promise<OpenedDatabase> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-migrations-'))
  url = await freshDatabaseUrl(dir, { name, empty: true })
  return openDatabase(url)
}

describe('migrations', () => {
  it('gives places booked before the reports migration their school year and home authority', async () => {
    opened = await emptyDatabase('old.sqlite')
    await migrateTo(opened, '2026-11-23-04-adoptables')
    await seedReferenceData(opened.db)
    await bookingsBeforeReports(opened)

    await migrateTo(opened, '2026-12-01-18-report-indexes')
    const places = await opened.db
      .selectFrom('place')
      .select(['child_key', 'school_year', 'authority_code'])
      .orderBy('child_key')
      .execute()
    expect(places).toEqual([
      { child_key: 'old|a', school_year: 4, authority_code: KENT },
      { child_key: 'old|b', school_year: 4, authority_code: KENT },
      { child_key: 'old|c', school_year: null, authority_code: MEDWAY },
    ])
  })

  it('makes families of the bookings made before families, by address, merging children only within a family', async () => {
    opened = await emptyDatabase('families.sqlite')
    await migrateTo(opened, '2026-12-01-18-report-indexes')
    await seedReferenceData(opened.db)
    const { db } = opened
    const now = '2026-10-01T09:00:00.000Z'
    const activityId = async (title: string) =>
      (
        await sql<{
          id: number
        }>`insert into activity (kind, title, category, description, starts_at, ends_at, capacity,
            min_age, max_age, location_type, booking_closes_at, status, created_at, updated_at)
          values ('activity', ${title}, 'Arts and crafts', 'x', '2026-10-15T16:00:00.000Z', '2026-10-15T17:00:00.000Z',
            20, 0, 19, 'online', '2026-10-15T15:00:00.000Z', 'published', ${now}, ${now}) returning id`.execute(db)
      ).rows[0]!.id
    const first = await activityId('First')
    const second = await activityId('Second')
    const booking = async (reference: string, activity: number, email: string, name: string, at: string) =>
      (
        await sql<{
          id: number
        }>`insert into booking (reference, activity_id, contact_name, email, phone, authority_code,
            manage_token_hash, idempotency_key, created_at, updated_at)
          values (${reference}, ${activity}, ${name}, ${email}, '07700 900123', ${KENT}, 'hash-' || ${reference},
            ${reference}, ${at}, ${at}) returning id`.execute(db)
      ).rows[0]!.id
    const place = (bookingId: number, activity: number, firstName: string | null, dob: string | null, key: string) =>
      sql`insert into place (booking_id, activity_id, first_name, date_of_birth, child_key, age_on_day, status,
          authority_code, created_at, updated_at)
        values (${bookingId}, ${activity}, ${firstName}, ${dob}, ${key}, 9, 'confirmed', ${KENT}, ${now}, ${now})`.execute(
        db,
      )
    // One family booking twice, the address typed in two ways; Sam on both sessions, Ava once.
    const a1 = await booking('JN-AAAA1', first, 'Parent@Example.org', 'Pat Old', '2026-09-01T10:00:00.000Z')
    await place(a1, first, 'Sam', '2017-01-02', 'sam|2017-01-02')
    await place(a1, first, 'Ava', '2015-05-06', 'ava|2015-05-06')
    const a2 = await booking('JN-AAAA2', second, 'parent@example.org', 'Pat New', '2026-09-05T10:00:00.000Z')
    await place(a2, second, 'sam', '2017-01-02', 'sam|2017-01-02')
    // Another family with a child of the same first name and date of birth: a different child.
    const b1 = await booking('JN-BBBB1', second, 'other@example.org', 'Other Carer', '2026-09-02T10:00:00.000Z')
    await place(b1, second, 'Sam', '2017-01-02', 'sam|2017-01-02-b')
    // A place already erased keeps no child.
    await place(b1, first, null, null, 'erased:99')

    await migrateTo(opened, '2026-12-01-19-families')
    const families = await db
      .selectFrom('family')
      .select(['id', 'email', 'contact_name', 'confirmed_at', 'created_at'])
      .orderBy('email')
      .execute()
    expect(families.map((f) => [f.email, f.contact_name, f.created_at])).toEqual([
      ['other@example.org', 'Other Carer', '2026-09-02T10:00:00.000Z'],
      ['parent@example.org', 'Pat New', '2026-09-01T10:00:00.000Z'],
    ])
    // they already had their joining links: confirmed by the migration
    expect(families.every((f) => f.confirmed_at !== null)).toBe(true)
    const [other, parent] = families
    const children = await db
      .selectFrom('child')
      .select(['family_id', 'date_of_birth', 'match_key'])
      .orderBy('family_id')
      .orderBy('match_key')
      .execute()
    expect(children).toEqual(
      [
        { family_id: parent!.id, date_of_birth: '2015-05-06', match_key: 'ava|2015-05-06' },
        { family_id: parent!.id, date_of_birth: '2017-01-02', match_key: 'sam|2017-01-02' },
        { family_id: other!.id, date_of_birth: '2017-01-02', match_key: 'sam|2017-01-02-b' },
      ].sort((x, y) => x.family_id - y.family_id),
    )
    const places = await db
      .selectFrom('place')
      .innerJoin('booking', 'booking.id', 'place.booking_id')
      .select(['booking.reference', 'place.first_name', 'place.child_id', 'place.family_id', 'place.child_key'])
      .orderBy('place.id')
      .execute()
    const samOfParent = places[0]!.child_id
    expect(places.map((p) => [p.reference, p.first_name, p.family_id])).toEqual([
      ['JN-AAAA1', 'Sam', parent!.id],
      ['JN-AAAA1', 'Ava', parent!.id],
      ['JN-AAAA2', 'sam', parent!.id],
      ['JN-BBBB1', 'Sam', other!.id],
      ['JN-BBBB1', null, other!.id],
    ])
    // the same Sam on both of the family's sessions; the other family's Sam is another child
    expect(places[2]!.child_id).toBe(samOfParent)
    expect(places[3]!.child_id).not.toBe(samOfParent)
    expect(places[4]!.child_id).toBeNull()
    expect(places[0]!.child_key).toBe(`child:${samOfParent}`)
    expect(places[4]!.child_key).toBe('erased:99')
    expect(await db.selectFrom('booking').select(['reference', 'family_id']).orderBy('reference').execute()).toEqual([
      { reference: 'JN-AAAA1', family_id: parent!.id },
      { reference: 'JN-AAAA2', family_id: parent!.id },
      { reference: 'JN-BBBB1', family_id: other!.id },
    ])
  })

  it('goes all the way down and up again on a database with bookings', async () => {
    opened = await emptyDatabase('roundtrip.sqlite')
    await migrateTo(opened, '2026-11-23-04-adoptables')
    await seedReferenceData(opened.db)
    await bookingsBeforeReports(opened)
    const names = Object.keys(migrations)
    await migrateTo(opened, names[names.length - 1]!)
    await migrateTo(opened, '2026-11-23-04-adoptables')
    const columns = await columnsOf(opened, 'place')
    expect(columns).not.toContain('school_year')
    expect(columns).not.toContain('authority_code')
    const result = await migrator(opened).migrateToLatest()
    expect(result.error).toBeUndefined()
    expect(
      await opened.db.selectFrom('place').select('authority_code').distinct().orderBy('authority_code').execute(),
    ).toEqual([{ authority_code: MEDWAY }, { authority_code: KENT }])
  })

  it('26 keeps every email, its ids and every link token, and lets two emails share a message id', async () => {
    opened = await emptyDatabase('leaner.sqlite')
    await migrateTo(opened, '2026-12-02-25-session-adults-and-checklist')
    const { db } = opened
    const at = '2026-12-02T10:00:00.000Z'
    const email = (id: number, messageId: string) => ({
      message_id: messageId,
      dedupe_key: `test:${id}`,
      kind: 'confirmation',
      to_address: 'parent@example.org',
      subject: `Email ${id}`,
      text_body: 'Hello',
      status: 'queued' as const,
      next_attempt_at: at,
      created_at: at,
    })
    await db
      .insertInto('outbox')
      .values([email(1, '<one@x>'), email(2, '<two@x>'), email(3, '<three@x>')])
      .execute()
    await db.deleteFrom('outbox').where('id', '=', 3).execute()
    const family = await db
      .insertInto('family')
      .values({ email: 'parent@example.org', created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow()
    const token = { family_id: family.id, purpose: 'sign-in' as const, created_at: at, expires_at: at, used_at: null }
    await db
      .insertInto('family_token')
      .values([
        { token_hash: 'hash-a', ...token },
        { token_hash: 'hash-b', ...token },
      ])
      .execute()

    await migrateTo(opened, '2026-12-02-26-leaner-booking-writes')

    expect(await db.selectFrom('outbox').select(['id', 'message_id']).orderBy('id').execute()).toEqual([
      { id: 1, message_id: '<one@x>' },
      { id: 2, message_id: '<two@x>' },
    ])
    // the counter is kept: the deleted email's id 3 is not given out again
    const next = await db
      .insertInto('outbox')
      .values({ ...email(0, '<one@x>'), dedupe_key: 'test:next' })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect(next.id).toBe(4)
    expect(
      await db.selectFrom('family_token').select(['token_hash', 'family_id']).orderBy('token_hash').execute(),
    ).toEqual([
      { token_hash: 'hash-a', family_id: family.id },
      { token_hash: 'hash-b', family_id: family.id },
    ])
    await expect(
      db
        .insertInto('family_token')
        .values({ token_hash: 'hash-a', ...token })
        .execute(),
    ).rejects.toThrow()
    if (!onPostgres) {
      const ddl = sqliteOf(opened)
        .sqlite.prepare("select sql from sqlite_master where name = 'family_token'")
        .get() as { sql: string }
      expect(ddl.sql).toMatch(/without rowid$/i)
    }
    // a family's tokens still go with it
    await db.deleteFrom('family').where('id', '=', family.id).execute()
    expect(await db.selectFrom('family_token').selectAll().execute()).toEqual([])
  })

  // 07–09 were empty placeholders only before PostgreSQL was supported: no PostgreSQL database ran them.
  it.skipIf(onPostgres)(
    'completes a database that ran migrations 07–09 while they were still empty placeholders (SQLite only)',
    async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-migrations-'))
      opened = openDatabase(path.join(dir, 'early.sqlite'))
      await migrateTo(opened, '2026-11-23-06-api-tokens')
      // What the first, empty 07–09 left: recorded as run, nothing created; and 08's first index,
      // over every booking rather than only the ticked ones.
      // (Kysely orders what ran by its timestamp: these ran after 01–06.)
      const ranAfter = Date.now() + 1_000
      for (const [index, name] of [
        '2026-11-23-07-session-messages',
        '2026-11-23-08-feedback-mailing-list',
        '2026-11-23-09-staff-accounts',
      ].entries()) {
        sqliteOf(opened)
          .sqlite.prepare('insert into kysely_migration (name, timestamp) values (?, ?)')
          .run(name, new Date(ranAfter + index).toISOString())
      }
      sqliteOf(opened).sqlite.prepare('create index booking_mailing_list_opt_in on booking (created_at)').run()
      const tableNames = () =>
        (
          sqliteOf(opened!).sqlite.prepare("select name from sqlite_master where type = 'table'").all() as Array<{
            name: string
          }>
        )
          .map((t) => t.name)
          .sort()
      expect(tableNames()).not.toContain('session_message')

      const result = await migrator(opened).migrateToLatest()
      expect(result.error).toBeUndefined()
      // 07–09 are not run again: 10 completes them, then the migrations added after it run
      expect(result.results?.map((r) => r.migrationName)).toEqual([
        '2026-12-01-10-complete-early-databases',
        '2026-12-01-11-staff-two-factor',
        '2026-12-01-12-sign-in-throttle',
        '2026-12-01-13-recipient-limits',
        '2026-12-01-14-booking-manage-tokens',
        '2026-12-01-16-consent-answers',
        '2026-12-01-17-shared-limits-and-leases',
        '2026-12-01-18-report-indexes',
        '2026-12-01-19-families',
        '2026-12-01-20-reach-indexes',
        '2026-12-01-22-known-adopted-children',
        '2026-12-01-23-release-and-offers',
        '2026-12-02-24-safeguarding-concerns',
        '2026-12-02-25-session-adults-and-checklist',
        '2026-12-02-26-leaner-booking-writes',
      ])
      expect(tableNames()).toEqual(
        expect.arrayContaining([
          'session_message',
          'feedback_request',
          'mailing_list_subscriber',
          'mailing_list_unsubscribe_token',
          'mailing_list_event',
          'staff_password_token',
          'staff_sign_in_challenge',
        ]),
      )
      const staffColumns = (
        sqliteOf(opened).sqlite.prepare('pragma table_info(staff_user)').all() as Array<{ name: string }>
      ).map((c) => c.name)
      expect(staffColumns).toEqual(
        expect.arrayContaining([
          'last_signed_in_at',
          'totp_secret',
          'totp_pending_secret',
          'totp_enabled_at',
          'totp_last_step',
        ]),
      )
      const optIn = sqliteOf(opened)
        .sqlite.prepare("select sql from sqlite_master where type = 'index' and name = 'booking_mailing_list_opt_in'")
        .get() as { sql: string }
      expect(optIn.sql).toMatch(/where "mailing_list_opt_in" = 1$/i)
      // The service works on it: a staff account can get a set-password link, a session a message.
      await seedReferenceData(opened.db)
      expect(await opened.db.selectFrom('staff_password_token').selectAll().execute()).toEqual([])
    },
  )

  it.skipIf(onPostgres)('changes nothing on a database that ran the finished 07–09 (SQLite only)', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-migrations-'))
    opened = openDatabase(path.join(dir, 'current.sqlite'))
    await migrateTo(opened, '2026-11-23-09-staff-accounts')
    const schema = () =>
      sqliteOf(opened!)
        .sqlite.prepare("select type, name, sql from sqlite_master where name not like 'kysely_%' order by name")
        .all()
    const before = schema()
    await migrateTo(opened, '2026-12-01-10-complete-early-databases')
    expect(schema()).toEqual(before)
  })
})
