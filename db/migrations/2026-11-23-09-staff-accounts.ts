// Staff invitations, password resets and two-factor sign-in (issue 6, part 5).
import type { Kysely } from 'kysely'

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff_user').addColumn('last_signed_in_at', 'text').execute()
  // The TOTP shared secret (base32) once confirmed, and one being set up but not yet confirmed.
  await db.schema.alterTable('staff_user').addColumn('totp_secret', 'text').execute()
  await db.schema.alterTable('staff_user').addColumn('totp_pending_secret', 'text').execute()
  await db.schema.alterTable('staff_user').addColumn('totp_enabled_at', 'text').execute()
  // The last 30-second step a code was accepted for, so an overheard code cannot be used twice.
  await db.schema.alterTable('staff_user').addColumn('totp_last_step', 'integer').execute()

  // Set-password links for invitations and resets: only the token's hash, used once.
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

  // A correct password waiting for its two-factor code: keyed by the hash of a short-lived cookie.
  await db.schema
    .createTable('staff_sign_in_challenge')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('staff_user.id').onDelete('cascade'))
    .addColumn('redirect_to', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('staff_sign_in_challenge_user').on('staff_sign_in_challenge').column('user_id').execute()

  // The audit viewer filters by action, by staff member and by subject, newest first.
  await db.schema.createIndex('audit_log_action_at').on('audit_log').columns(['action', 'at']).execute()
  await db.schema.createIndex('audit_log_actor_at').on('audit_log').columns(['actor_user_id', 'at']).execute()
  await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject_type', 'subject_id']).execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_subject').execute()
  await db.schema.dropIndex('audit_log_actor_at').execute()
  await db.schema.dropIndex('audit_log_action_at').execute()
  await db.schema.dropTable('staff_sign_in_challenge').execute()
  await db.schema.dropTable('staff_password_token').execute()
  for (const column of [
    'totp_last_step',
    'totp_enabled_at',
    'totp_pending_secret',
    'totp_secret',
    'last_signed_in_at',
  ]) {
    await db.schema.alterTable('staff_user').dropColumn(column).execute()
  }
}
