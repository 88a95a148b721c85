// Bookings and their places: one place per child, counted against the activity's capacity.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('booking')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id'))
    .addColumn('contact_name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('authority_code', 'text', (c) => c.notNull().references('authority.code'))
    .addColumn('manage_token_hash', 'text', (c) => c.notNull())
    // NOT NULL: NULLs never collide in a unique index, so a missing key would allow doubles.
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('mailing_list_opt_in', 'integer', (c) => c.notNull().defaultTo(0))
    // iCalendar SEQUENCE of this booking's invite: raised with every update or cancellation sent
    .addColumn('invite_sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('booking_activity').on('booking').column('activity_id').execute()
  await db.schema.createIndex('booking_email').on('booking').column('email').execute()

  await db.schema
    .createTable('place')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('booking_id', 'integer', (c) => c.notNull().references('booking.id'))
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id'))
    .addColumn('first_name', 'text')
    .addColumn('date_of_birth', 'text')
    // lower(first name)|date of birth while the place is live; lets one unique index refuse the same child twice
    .addColumn('child_key', 'text', (c) => c.notNull())
    .addColumn('age_on_day', 'integer', (c) => c.notNull())
    .addColumn('support_needs', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('confirmed', 'waitlisted', 'cancelled')`))
    .addColumn('attended', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('place_activity_status').on('place').columns(['activity_id', 'status', 'id']).execute()
  await db.schema.createIndex('place_booking').on('place').column('booking_id').execute()
  await db.schema
    .createIndex('place_one_per_child')
    .unique()
    .on('place')
    .columns(['activity_id', 'child_key'])
    .where(sql.ref('status'), '<>', 'cancelled')
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('place').execute()
  await db.schema.dropTable('booking').execute()
}
