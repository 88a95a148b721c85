// "Release your place" links in reminders, and places offered to the waiting list near the start.
// A reminder carries a release link whose token's hash is kept here (one per reminder email, any of
// them opens the booking's release page). A space freed near the start is offered to every waiting
// booking that fits, each with a claim link of its own: one row per booking offered, whose outcome
// is set when it is claimed, taken by someone else, or ended by the booking close.
import { sql, type Kysely } from 'kysely'

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('place_release_token')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('booking_id', 'integer', (c) => c.notNull().references('booking.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('place_release_token_booking').on('place_release_token').column('booking_id').execute()

  await db.schema
    .createTable('place_offer')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('booking_id', 'integer', (c) => c.notNull().references('booking.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    /** the booking close: a claim after it is refused */
    .addColumn('ends_at', 'text', (c) => c.notNull())
    /** null while open; 'claimed' (this booking got the places) or 'taken' (someone else was first) */
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('claimed', 'taken')`))
    .addColumn('resolved_at', 'text')
    .execute()
  await db.schema
    .createIndex('place_offer_activity_booking')
    .on('place_offer')
    .columns(['activity_id', 'booking_id'])
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('place_offer').execute()
  await db.schema.dropTable('place_release_token').execute()
}
