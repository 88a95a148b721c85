// Safeguarding leads and the concern log. A staff account may be a safeguarding lead (a flag, not a
// role: a lead keeps their role's other rights). A concern is a restricted record of what was seen or
// said in a session; it keeps its own copy of the child's first name, the session's title and start
// and the recorder's name, so erasing bookings, families or members never breaks or deletes it: the
// links to the place, member and session are kept only while those rows exist (set null, never
// cascade). Follow-up notes belong to their concern and go with it.
import { sql, type Kysely } from 'kysely'

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('staff_user')
    .addColumn('safeguarding_lead', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('concern')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    /** the form's key: a second submit of the same form finds the first concern */
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('activity_id', 'integer', (c) => c.references('activity.id').onDelete('set null'))
    .addColumn('place_id', 'integer', (c) => c.references('place.id').onDelete('set null'))
    .addColumn('member_id', 'integer', (c) => c.references('member.id').onDelete('set null'))
    .addColumn('child_first_name', 'text', (c) => c.notNull())
    .addColumn('session_title', 'text', (c) => c.notNull())
    .addColumn('session_starts_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'integer', (c) => c.references('staff_user.id').onDelete('set null'))
    .addColumn('recorded_by_name', 'text', (c) => c.notNull())
    .addColumn('happened_at', 'text', (c) => c.notNull())
    .addColumn('seen_or_said', 'text', (c) => c.notNull())
    .addColumn('present', 'text', (c) => c.notNull())
    .addColumn('action_taken', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'closed')`),
    )
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'integer', (c) => c.references('staff_user.id').onDelete('set null'))
    .addColumn('closed_by_name', 'text')
    .addColumn('outcome', 'text')
    .execute()
  await db.schema.createIndex('concern_activity').on('concern').column('activity_id').execute()
  await db.schema.createIndex('concern_status_closed').on('concern').columns(['status', 'closed_at']).execute()

  await db.schema
    .createTable('concern_note')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('concern_id', 'integer', (c) => c.notNull().references('concern.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.references('staff_user.id').onDelete('set null'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('concern_note_concern').on('concern_note').column('concern_id').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('concern_note').execute()
  await db.schema.dropTable('concern').execute()
  await db.schema.alterTable('staff_user').dropColumn('safeguarding_lead').execute()
}
