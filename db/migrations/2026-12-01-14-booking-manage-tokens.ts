// Manage links that keep working in every email about a booking. The booking keeps the hash of
// the token emailed with its confirmation; every later email (a space offered, a cancellation, a
// change, a reminder) carries a token of its own, and only its hash is kept here.
import type { Kysely } from 'kysely'

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('booking_manage_token')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('booking_id', 'integer', (c) => c.notNull().references('booking.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('booking_manage_token_booking').on('booking_manage_token').column('booking_id').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('booking_manage_token').execute()
}
