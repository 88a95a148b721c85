// Messages staff send to everyone booked on a session, or on its waiting list (issue 6, part 2).
// One row per message; the emails themselves are outbox rows keyed by the message's id.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('session_message')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .addColumn('sent_by', 'integer', (c) => c.references('staff_user.id').onDelete('set null'))
    // Made on the "check your message" step and posted back with "Send": a double-clicked or
    // re-posted send finds its message already there and sends nothing twice. NOT NULL: NULLs
    // never collide in a UNIQUE index.
    .addColumn('send_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('session_message_activity')
    .on('session_message')
    .columns(['activity_id', 'created_at'])
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('session_message').execute()
}
