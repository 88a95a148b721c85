// Several app instances on one database: the public forms' rate limits are counted in the database
// (one upsert per request) instead of in each process's memory; each scheduled job is run under a
// lease so one instance runs it at a time; and the first administrator's set-up link is kept (at
// most one unused, sealed so any instance can print it again) instead of replaced at every boot.
import { sql, type Kysely } from 'kysely'

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limit')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'text', (c) => c.notNull())
    .addColumn('window_ends_at', 'text', (c) => c.notNull())
    .execute()
  // the sweep deletes windows that have ended
  await db.schema.createIndex('rate_limit_window_ends_at').on('rate_limit').column('window_ends_at').execute()

  await db.schema
    .createTable('job_lease')
    .addColumn('job', 'text', (c) => c.primaryKey())
    // null once released; otherwise the instance running the job
    .addColumn('holder', 'text')
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('released_at', 'text')
    .execute()

  await db.schema.alterTable('setup_token').addColumn('sealed_token', 'text').execute()
  // Two boots at once used to leave two first-admin links; keep the newest before the index.
  await sql`delete from setup_token where purpose = 'first-admin' and used_at is null and expires_at < (
    select max(expires_at) from setup_token where purpose = 'first-admin' and used_at is null)`.execute(db)
  await db.schema
    .createIndex('setup_token_one_first_admin_link')
    .on('setup_token')
    .column('purpose')
    .unique()
    .where(sql.ref('purpose'), '=', 'first-admin')
    .where(sql.ref('used_at'), 'is', null)
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('setup_token_one_first_admin_link').execute()
  await db.schema.alterTable('setup_token').dropColumn('sealed_token').execute()
  await db.schema.dropTable('job_lease').execute()
  await db.schema.dropTable('rate_limit').execute()
}
