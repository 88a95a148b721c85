// The number of known adopted children an authority has in a financial year, entered by an admin,
// so the quarterly report can show the share of them the service reached. One row per authority
// and year; no personal data.
//
// With it, two covering indexes for the report's participation figures (attendance per session and
// category, series retention, waiting lists that stayed): a quarter's sessions with their category,
// series and title read from activity_participation alone, and a series' sessions from
// activity_series_report alone (PostgreSQL indexes hold only their own columns, so without them
// every session's row would be read from the table; SQLite's end with the row id as well), and
// booking_member_activity so a young person's bookings in a series are found without reading each
// booking's row.
import type { Kysely } from 'kysely'

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('known_adopted_children')
    .addColumn('authority_code', 'text', (c) => c.notNull().references('authority.code'))
    /** "2025-26", as the report's quarters name their year */
    .addColumn('financial_year', 'text', (c) => c.notNull())
    .addColumn('children', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('known_adopted_children_pk', ['financial_year', 'authority_code'])
    .execute()
  await db.schema
    .createIndex('activity_participation')
    .on('activity')
    .columns(['kind', 'status', 'starts_at', 'id', 'category', 'series_id', 'title'])
    .execute()
  await db.schema
    .createIndex('activity_series_report')
    .on('activity')
    .columns(['series_id', 'status', 'kind', 'starts_at', 'id', 'title'])
    .execute()
  // a young person's bookings with their sessions, from the index alone (series retention at Adoptables)
  await db.schema.createIndex('booking_member_activity').on('booking').columns(['member_id', 'activity_id']).execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('booking_member_activity').execute()
  await db.schema.dropIndex('activity_series_report').execute()
  await db.schema.dropIndex('activity_participation').execute()
  await db.schema.dropTable('known_adopted_children').execute()
}
