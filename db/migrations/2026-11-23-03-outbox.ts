// The email outbox: every email is a row written in the same transaction as the change that
// causes it, then sent by the worker. No foreign keys, so erasing a booking later is simple.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // Generated when the row is written and reused on every retry, so a resend after a dropped
    // connection can be recognised as the same message.
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    // NOT NULL and UNIQUE: a second enqueue with the same key is a no-op, never a second email.
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('ics', 'text')
    .addColumn('ics_method', 'text', (c) =>
      c.check(sql`ics_method is null or ics_method in ('REQUEST', 'CANCEL', 'PUBLISH')`),
    )
    .addColumn('booking_id', 'integer')
    .addColumn('activity_id', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'sending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute()
  await db.schema
    .createIndex('outbox_status_next_attempt')
    .on('outbox')
    .columns(['status', 'next_attempt_at'])
    .execute()
  await db.schema.createIndex('outbox_booking').on('outbox').column('booking_id').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbox').execute()
}
