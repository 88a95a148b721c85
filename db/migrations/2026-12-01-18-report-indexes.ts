// The quarterly report on PostgreSQL: a quarter's sessions read from one index alone. A PostgreSQL
// index holds only its own columns, so the report's joins (which need each session's id) read
// every session's row from the table after activity_kind_status_start; with the id in the index
// they do not (an index-only scan; EXPLAIN in tests/integration/report-plan.test.ts). On SQLite
// every index already ends with the row id, so this index holds the same as the one it replaces.
import type { Kysely } from 'kysely'

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('activity_report').on('activity').columns(['kind', 'status', 'starts_at', 'id']).execute()
  await db.schema.dropIndex('activity_kind_status_start').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('activity_kind_status_start')
    .on('activity')
    .columns(['kind', 'status', 'starts_at'])
    .execute()
  await db.schema.dropIndex('activity_report').execute()
}
