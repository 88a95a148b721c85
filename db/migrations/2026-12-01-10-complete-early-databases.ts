// Completes databases that ran migrations 07–09 while they were still empty placeholders (they
// were committed empty and filled in later, so such a database never got their tables), and gives
// them the partial mailing-list index that 08 gained after it was first committed. On a database
// that ran the filled-in 07–09 it changes nothing. Frozen in time like every migration: it copies
// the definitions it needs rather than importing them.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const tables = await db.introspection.getTables()
  const has = (table: string) => tables.some((t) => t.name === table)
  const columnsOf = (table: string) => new Set(tables.find((t) => t.name === table)?.columns.map((c) => c.name))

  // 07: messages staff send to a session's families
  if (!has('session_message')) {
    await db.schema
      .createTable('session_message')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('recipients', 'integer', (c) => c.notNull())
      .addColumn('sent_by', 'integer', (c) => c.references('staff_user.id').onDelete('set null'))
      .addColumn('send_key', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('session_message_activity')
      .on('session_message')
      .columns(['activity_id', 'created_at'])
      .execute()
  }

  // 08: feedback requests and the mailing list
  if (!has('feedback_request')) {
    await db.schema
      .createTable('feedback_request')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('booking_id', 'integer', (c) => c.notNull().unique().references('booking.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute()
  }
  if (!has('mailing_list_subscriber')) {
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
  }
  if (!has('mailing_list_unsubscribe_token')) {
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
  }
  if (!has('mailing_list_event')) {
    await db.schema
      .createTable('mailing_list_event')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('join', 'leave', 'bounce')`))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('subscriber_id', 'integer', (c) => c.references('mailing_list_subscriber.id').onDelete('set null'))
      .execute()
    await db.schema.createIndex('mailing_list_event_at').on('mailing_list_event').columns(['at', 'kind']).execute()
  }
  // 08 first made this index over every booking; it became partial (ticked bookings only) later.
  await db.schema.dropIndex('booking_mailing_list_opt_in').ifExists().execute()
  await db.schema
    .createIndex('booking_mailing_list_opt_in')
    .on('booking')
    .column('created_at')
    .where(sql.ref('mailing_list_opt_in'), '=', 1)
    .execute()

  // 09: staff invitations, password resets and two-factor sign-in
  const staffColumns = columnsOf('staff_user')
  for (const [column, type] of [
    ['last_signed_in_at', 'text'],
    ['totp_secret', 'text'],
    ['totp_pending_secret', 'text'],
    ['totp_enabled_at', 'text'],
    ['totp_last_step', 'integer'],
  ] as const) {
    if (!staffColumns.has(column)) await db.schema.alterTable('staff_user').addColumn(column, type).execute()
  }
  if (!has('staff_password_token')) {
    await db.schema
      .createTable('staff_password_token')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('staff_user.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute()
    await db.schema.createIndex('staff_password_token_user').on('staff_password_token').column('user_id').execute()
  }
  if (!has('staff_sign_in_challenge')) {
    await db.schema
      .createTable('staff_sign_in_challenge')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('staff_user.id').onDelete('cascade'))
      .addColumn('redirect_to', 'text', (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('staff_sign_in_challenge_user')
      .on('staff_sign_in_challenge')
      .column('user_id')
      .execute()
  }
  await db.schema.createIndex('audit_log_action_at').ifNotExists().on('audit_log').columns(['action', 'at']).execute()
  await db.schema
    .createIndex('audit_log_actor_at')
    .ifNotExists()
    .on('audit_log')
    .columns(['actor_user_id', 'at'])
    .execute()
  await db.schema
    .createIndex('audit_log_subject')
    .ifNotExists()
    .on('audit_log')
    .columns(['subject_type', 'subject_id'])
    .execute()
}

// Nothing to undo: what this adds belongs to 07–09, whose own down() removes it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
export async function down(db: Kysely<any>): Promise<void> {}
