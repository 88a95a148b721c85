// Adoptables members: young people who register themselves, with a parent's consent under 13.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('member')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('first_name', 'text')
    .addColumn('date_of_birth', 'text')
    .addColumn('email', 'text')
    // lower(email)|date of birth: how a young person who registers again finds their membership
    .addColumn('member_key', 'text', (c) => c.notNull().unique())
    .addColumn('authority_code', 'text', (c) => c.notNull().references('authority.code'))
    .addColumn('notes', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'active')`))
    .addColumn('parent_email', 'text')
    .addColumn('consent_token_hash', 'text', (c) => c.unique())
    .addColumn('consented_at', 'text')
    .addColumn('access_token_hash', 'text', (c) => c.notNull())
    // the meeting chosen when registering, booked once a parent consents
    .addColumn('pending_activity_id', 'integer', (c) => c.references('activity.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('member_status').on('member').column('status').execute()
  await db.schema
    .alterTable('booking')
    .addColumn('member_id', 'integer', (c) => c.references('member.id'))
    .execute()
  await db.schema.createIndex('booking_member').on('booking').column('member_id').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('booking_member').execute()
  await db.schema.alterTable('booking').dropColumn('member_id').execute()
  await db.schema.dropTable('member').execute()
}
