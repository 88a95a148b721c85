// Families: a parent or carer who signs in by an emailed link, their children kept once (with
// per-child consents), sign-in links and family sessions. A booking and its places belong to a
// family; a new family's places are 'held' (they count against capacity, and never see the
// joining link) until its address is confirmed. Bookings made before families existed become
// families by email address, their children merged within a family by first name and date of
// birth (the places' own child key, made by the booking form).
//
// Frozen in time like every migration: it copies what it needs instead of importing it. The one
// dialect difference is widening place.status's CHECK: PostgreSQL alters the constraint, SQLite
// (which cannot alter a constraint) rebuilds the table by its documented twelve-step procedure.
import { PostgresAdapter, sql, type Kysely } from 'kysely'

const OLD_STATUS_CHECK = "status in ('confirmed', 'waitlisted', 'cancelled')"
const NEW_STATUS_CHECK = "status in ('confirmed', 'waitlisted', 'cancelled', 'held')"

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function setPlaceStatusCheck(db: Kysely<any>, from: string, to: string): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table place drop constraint if exists place_status_check`.execute(db)
    await sql.raw(`alter table place add constraint place_status_check check (${to})`).execute(db)
    return
  }
  // SQLite runs migrations outside a transaction (Kysely: no transactional DDL there), so foreign
  // keys can be switched off for the rebuild and the rebuild itself made one transaction.
  const table = await sql<{
    sql: string
  }>`select sql from sqlite_master where type = 'table' and name = 'place'`.execute(db)
  const ddl = table.rows[0]?.sql
  if (!ddl || !ddl.includes(from)) throw new Error('place table is not the shape this migration expects')
  const indexes = await sql<{
    sql: string
  }>`select sql from sqlite_master where type = 'index' and tbl_name = 'place' and sql is not null`.execute(db)
  const newDdl = ddl.replace(from, to).replace(/^create table "?place"?/i, 'create table "place_new"')
  await sql`pragma foreign_keys = off`.execute(db)
  try {
    await sql`begin immediate`.execute(db)
    try {
      await sql.raw(newDdl).execute(db)
      await sql`insert into place_new select * from place`.execute(db)
      await sql`drop table place`.execute(db)
      await sql`alter table place_new rename to place`.execute(db)
      for (const index of indexes.rows) await sql.raw(index.sql).execute(db)
      const broken = await sql`pragma foreign_key_check`.execute(db)
      if (broken.rows.length) throw new Error('foreign keys broken by rebuilding place')
      await sql`commit`.execute(db)
    } catch (error) {
      await sql`rollback`.execute(db)
      throw error
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db)
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('family')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // lower-case; one family per address
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('contact_name', 'text')
    .addColumn('phone', 'text')
    // a number to reach the parent or carer during a session
    .addColumn('emergency_phone', 'text')
    .addColumn('authority_code', 'text', (c) => c.references('authority.code'))
    // "my children can take places separately": the waiting list may promote one without the others
    .addColumn('places_separately', 'integer', (c) => c.notNull().defaultTo(0))
    // when the address was proved by a link sent to it; null until then (places held, no joining link)
    .addColumn('confirmed_at', 'text')
    // when staff approved the family, or its first booking went ahead with approval off
    .addColumn('approved_at', 'text')
    // sha256 of the private calendar feed's token; null when there is no feed
    .addColumn('feed_token_hash', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('child')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('family_id', 'integer', (c) => c.notNull().references('family.id').onDelete('cascade'))
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'text', (c) => c.notNull())
    // lower-case first name|date of birth: the same child twice in one family is refused
    .addColumn('match_key', 'text', (c) => c.notNull())
    .addColumn('support_needs', 'text')
    // consents: 1 yes, 0 no, null not answered; each with the instant it was given or changed
    .addColumn('consent_photos', 'integer')
    .addColumn('consent_photos_at', 'text')
    .addColumn('consent_name_visible', 'integer')
    .addColumn('consent_name_visible_at', 'text')
    .addColumn('consent_camera', 'integer')
    .addColumn('consent_camera_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('child_one_per_family').unique().on('child').columns(['family_id', 'match_key']).execute()

  await db.schema
    .createTable('family_token')
    // sha256 of the token in the emailed link: the token itself is never stored
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'integer', (c) => c.notNull().references('family.id').onDelete('cascade'))
    // 'sign-in': a one-time sign-in link; 'confirm': the link in a booking's first email
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('sign-in', 'confirm')`))
    .addColumn('booking_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()
  await db.schema.createIndex('family_token_family').on('family_token').column('family_id').execute()

  await db.schema
    .createTable('family_session')
    // sha256 of the cookie's token
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'integer', (c) => c.notNull().references('family.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('family_session_family').on('family_session').column('family_id').execute()

  await db.schema
    .alterTable('booking')
    .addColumn('family_id', 'integer', (c) => c.references('family.id').onDelete('set null'))
    .execute()
  // why the booking's places are held: 'address' (waiting for the emailed link) or 'approval' (staff)
  await db.schema.alterTable('booking').addColumn('hold_reason', 'text').execute()
  // when an unconfirmed hold is released to the waiting list
  await db.schema.alterTable('booking').addColumn('hold_expires_at', 'text').execute()
  // staff's reason when they declined a new family's first booking
  await db.schema.alterTable('booking').addColumn('decline_reason', 'text').execute()
  await db.schema.createIndex('booking_family').on('booking').column('family_id').execute()
  await db.schema
    .createIndex('booking_hold_expires')
    .on('booking')
    .column('hold_expires_at')
    .where(sql.ref('hold_expires_at'), 'is not', null)
    .execute()

  // The child and family a place is for, as plain numbers (no foreign key): they outlive the
  // child's and family's rows, so the report's distinct children and returning families do not
  // change when a family deletes its account or retention erases it.
  await db.schema.alterTable('place').addColumn('child_id', 'integer').execute()
  await db.schema.alterTable('place').addColumn('family_id', 'integer').execute()
  await setPlaceStatusCheck(db, OLD_STATUS_CHECK, NEW_STATUS_CHECK)
  await db.schema.createIndex('place_child').on('place').column('child_id').execute()
  await db.schema.createIndex('place_family').on('place').columns(['family_id', 'activity_id']).execute()

  // ---- bookings made before families: one family per address, children merged by name and birth date
  const stamp = new Date().toISOString()
  await sql`
    insert into family (email, contact_name, phone, authority_code, places_separately, confirmed_at, approved_at,
      created_at, updated_at)
    select e.email,
      (select b2.contact_name from booking b2 where lower(trim(b2.email)) = e.email order by b2.id desc limit 1),
      (select b2.phone from booking b2 where lower(trim(b2.email)) = e.email order by b2.id desc limit 1),
      (select b2.authority_code from booking b2 where lower(trim(b2.email)) = e.email order by b2.id desc limit 1),
      0, ${stamp}, ${stamp}, e.first_at, ${stamp}
    from (
      select lower(trim(b.email)) as email, min(b.created_at) as first_at
      from booking b where b.email is not null and b.member_id is null
      group by lower(trim(b.email))
    ) e`.execute(db)
  await sql`
    update booking set family_id = (select f.id from family f where f.email = lower(trim(booking.email)))
    where email is not null and member_id is null`.execute(db)
  await sql`update place set family_id = (select b.family_id from booking b where b.id = place.booking_id)`.execute(db)
  await sql`
    insert into child (family_id, first_name, date_of_birth, match_key, support_needs, created_at, updated_at)
    select p.family_id, max(p.first_name), max(p.date_of_birth), p.child_key, max(p.support_needs), min(p.created_at),
      ${stamp}
    from place p
    where p.family_id is not null and p.first_name is not null and p.date_of_birth is not null
    group by p.family_id, p.child_key`.execute(db)
  await sql`
    update place set child_id = (select c.id from child c where c.family_id = place.family_id and c.match_key = place.child_key)
    where family_id is not null and first_name is not null and date_of_birth is not null`.execute(db)
  await sql`update place set child_key = 'child:' || child_id where child_id is not null`.execute(db)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from place where status = 'held'`.execute(db)
  await sql`update place set child_key = (select c.match_key from child c where c.id = place.child_id)
    where child_key like 'child:%' and child_id in (select id from child)`.execute(db)
  await db.schema.dropIndex('place_family').execute()
  await db.schema.dropIndex('place_child').execute()
  await setPlaceStatusCheck(db, NEW_STATUS_CHECK, OLD_STATUS_CHECK)
  await db.schema.alterTable('place').dropColumn('family_id').execute()
  await db.schema.alterTable('place').dropColumn('child_id').execute()
  await db.schema.dropIndex('booking_hold_expires').execute()
  await db.schema.dropIndex('booking_family').execute()
  for (const column of ['decline_reason', 'hold_expires_at', 'hold_reason', 'family_id'])
    await db.schema.alterTable('booking').dropColumn(column).execute()
  await db.schema.dropTable('family_session').execute()
  await db.schema.dropTable('family_token').execute()
  await db.schema.dropTable('child').execute()
  await db.schema.dropTable('family').execute()
}
