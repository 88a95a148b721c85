// Feedback requests and the mailing list (issue 6, parts 3 and 4).
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // One feedback link per booking, sent the day after its session. Only the token's hash is kept.
  await db.schema
    .createTable('feedback_request')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // UNIQUE: a booking is asked once, however often the job runs
    .addColumn('booking_id', 'integer', (c) => c.notNull().unique().references('booking.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()

  // A person on (or asking to join) the mailing list. The address is stored lower-case so one
  // person is one row whichever way they typed it. Rows stay after someone leaves, so the
  // monthly audit can list who left and a booking made before they left does not sign them up
  // again; erasure (eraseMailingListEmail) deletes the row.
  await db.schema
    .createTable('mailing_list_subscriber')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('first_name', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'subscribed', 'unsubscribed', 'bounced')`),
    )
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('sign-up', 'booking')`))
    .addColumn('confirm_token_hash', 'text', (c) => c.unique())
    .addColumn('confirm_expires_at', 'text')
    // when the latest confirmation email was asked for: a repeat request within minutes sends nothing
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('left_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('mailing_list_subscriber_status')
    .on('mailing_list_subscriber')
    .columns(['status', 'confirmed_at'])
    .execute()

  // Every email to a current subscriber carries a fresh unsubscribe token made when it is sent;
  // only hashes are kept. They never expire: an old newsletter's link must still work.
  await db.schema
    .createTable('mailing_list_unsubscribe_token')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('subscriber_id', 'integer', (c) =>
      c.notNull().references('mailing_list_subscriber.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('mailing_list_unsubscribe_token_subscriber')
    .on('mailing_list_unsubscribe_token')
    .column('subscriber_id')
    .execute()

  // Joins, leaves and bounces with their time and no address: the monthly counts survive erasure,
  // which only sets subscriber_id to null.
  await db.schema
    .createTable('mailing_list_event')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('join', 'leave', 'bounce')`))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('subscriber_id', 'integer', (c) => c.references('mailing_list_subscriber.id').onDelete('set null'))
    .execute()
  await db.schema.createIndex('mailing_list_event_at').on('mailing_list_event').columns(['at', 'kind']).execute()

  // The opt-in job reads recent bookings that ticked the box, without scanning every booking.
  // Partial: a booking without the tick (most of them) writes nothing to this index.
  await db.schema
    .createIndex('booking_mailing_list_opt_in')
    .on('booking')
    .column('created_at')
    .where(sql.ref('mailing_list_opt_in'), '=', 1)
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('booking_mailing_list_opt_in').execute()
  await db.schema.dropTable('mailing_list_event').execute()
  await db.schema.dropTable('mailing_list_unsubscribe_token').execute()
  await db.schema.dropTable('mailing_list_subscriber').execute()
  await db.schema.dropTable('feedback_request').execute()
}
