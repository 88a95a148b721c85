// The quarterly report's reach (distinct children, new and returning families) read from indexes.
// place_report gains the place's child and family, and its id (PostgreSQL indexes hold only their
// own columns; SQLite's already end with the row id), so a quarter's children are still read from
// the one covering index. place_family gains the place's status, so "did this family have a
// confirmed place before the period?" reads the family's places from the index alone. Both keep
// their names and their leading columns, so every query that used them still can.
import type { Kysely } from 'kysely'

const REPORT_COLUMNS = [
  'activity_id',
  'status',
  'authority_code',
  'age_on_day',
  'school_year',
  'attended',
  'booking_id',
]

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('place_report').execute()
  await db.schema
    .createIndex('place_report')
    .on('place')
    .columns([...REPORT_COLUMNS, 'child_id', 'family_id', 'id'])
    .execute()
  await db.schema.dropIndex('place_family').execute()
  await db.schema.createIndex('place_family').on('place').columns(['family_id', 'activity_id', 'status']).execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('place_family').execute()
  await db.schema.createIndex('place_family').on('place').columns(['family_id', 'activity_id']).execute()
  await db.schema.dropIndex('place_report').execute()
  await db.schema.createIndex('place_report').on('place').columns(REPORT_COLUMNS).execute()
}
