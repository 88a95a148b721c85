// A parent or carer can now answer no to an under-13's Adoptables sign-up (the member keeps
// status 'pending' for ever, with the time of the answer), and an activity can say what a child
// needs to have ready for it.
import type { Kysely } from 'kysely'

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('member').addColumn('consent_declined_at', 'text').execute()
  await db.schema.alterTable('activity').addColumn('what_to_bring', 'text').execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('activity').dropColumn('what_to_bring').execute()
  await db.schema.alterTable('member').dropColumn('consent_declined_at').execute()
}
