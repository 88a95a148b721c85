// Fewer B-trees written by every booking from the public form, which writes a family, its confirm
// link's token and the booking's email besides the booking and its places: each B-tree a commit
// touches is another page written and synced.
//
// - outbox.message_id loses its UNIQUE index. The id is "<uuid@domain>", made once per row and
//   never looked up (the worker reads it from the row it sends), so the index only cost a page per
//   email. NOT NULL stays.
// - On SQLite, family_token becomes a WITHOUT ROWID table keyed by token_hash: one B-tree for the
//   rows and their key instead of two. PostgreSQL keeps its table and primary key as they are.
//
// Frozen in time like every migration: it copies what it needs instead of importing it. SQLite
// cannot drop a column's UNIQUE or change a table to WITHOUT ROWID, so it rebuilds both tables by
// its documented procedure (new table, copy, drop, rename, indexes again), foreign keys off, in one
// transaction; the outbox keeps its AUTOINCREMENT counter, so no id is ever given out twice.
import { PostgresAdapter, sql, type Kysely } from 'kysely'

const UNIQUE_MESSAGE_ID = /("message_id" text not null) unique/i
const PLAIN_MESSAGE_ID = /("message_id" text not null)(?! unique)/i
const WITHOUT_ROWID = /\s*without rowid\s*$/i

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>

async function tableDdl(db: Db, table: string): Promise<string> {
  const found = await sql<{
    sql: string
  }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db)
  const ddl = found.rows[0]?.sql
  if (!ddl) throw new Error(`no table ${table}`)
  return ddl
}

/** Rebuilds `table` from `newDdl` (which creates `<table>_new`), keeping its rows, indexes and counter. */
async function rebuild(db: Db, table: string, newDdl: string): Promise<void> {
  const indexes = await sql<{
    sql: string
  }>`select sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db)
  const counter = await sql<{ seq: number }>`select seq from sqlite_sequence where name = ${table}`.execute(db)
  await sql.raw(newDdl).execute(db)
  await sql.raw(`insert into "${table}_new" select * from "${table}"`).execute(db)
  await sql.raw(`drop table "${table}"`).execute(db)
  await sql.raw(`alter table "${table}_new" rename to "${table}"`).execute(db)
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db)
  const seq = counter.rows[0]?.seq
  if (seq !== undefined) {
    await sql`update sqlite_sequence set seq = max(seq, ${seq}) where name = ${table}`.execute(db)
    await sql`insert into sqlite_sequence (name, seq) select ${table}, ${seq} where not exists (select 1 from sqlite_sequence where name = ${table})`.execute(
      db,
    )
  }
}

/** Both rebuilds in one transaction with foreign keys off (SQLite runs migrations outside one). */
async function rebuildBoth(db: Db, newOutbox: string, newFamilyToken: string): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db)
  try {
    await sql`begin immediate`.execute(db)
    try {
      await rebuild(db, 'outbox', newOutbox)
      await rebuild(db, 'family_token', newFamilyToken)
      const broken = await sql`pragma foreign_key_check`.execute(db)
      if (broken.rows.length) throw new Error('foreign keys broken by rebuilding outbox and family_token')
      await sql`commit`.execute(db)
    } catch (error) {
      await sql`rollback`.execute(db)
      throw error
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db)
  }
}

const renamed = (ddl: string, table: string) =>
  ddl.replace(new RegExp(`^create table "?${table}"?`, 'i'), `create table "${table}_new"`)

export async function up(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table outbox drop constraint if exists outbox_message_id_key`.execute(db)
    return
  }
  const outbox = await tableDdl(db, 'outbox')
  const familyToken = await tableDdl(db, 'family_token')
  if (!UNIQUE_MESSAGE_ID.test(outbox)) throw new Error('outbox table is not the shape this migration expects')
  if (WITHOUT_ROWID.test(familyToken)) throw new Error('family_token is already WITHOUT ROWID')
  await rebuildBoth(
    db,
    renamed(outbox.replace(UNIQUE_MESSAGE_ID, '$1'), 'outbox'),
    `${renamed(familyToken, 'family_token')} without rowid`,
  )
}

export async function down(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table outbox add constraint outbox_message_id_key unique (message_id)`.execute(db)
    return
  }
  const outbox = await tableDdl(db, 'outbox')
  const familyToken = await tableDdl(db, 'family_token')
  if (!PLAIN_MESSAGE_ID.test(outbox) || !WITHOUT_ROWID.test(familyToken))
    throw new Error('outbox and family_token are not the shape this migration made')
  await rebuildBoth(
    db,
    renamed(outbox.replace(PLAIN_MESSAGE_ID, '$1 unique'), 'outbox'),
    renamed(familyToken.replace(WITHOUT_ROWID, ''), 'family_token'),
  )
}
