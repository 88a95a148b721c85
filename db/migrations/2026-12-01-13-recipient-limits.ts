// Public forms may send one address only a few emails an hour (app/domain/recipient-limits.ts):
// counting what went to an address lately reads this index rather than the whole outbox.
// Addresses are compared lower-case, as people type them in any case.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists outbox_recipient_created on outbox (lower(to_address), created_at)`.execute(db)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_recipient_created`.execute(db)
}
