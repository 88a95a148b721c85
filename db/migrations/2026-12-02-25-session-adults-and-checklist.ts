// Safe sessions (issue 17): the two adults named on each session, and its "before the call"
// checklist. An adult is a staff account or a named guest adult (one of the two, never both); a
// session has at most one host and one second adult. A checklist item is a row once first ticked:
// ticked 1 or 0 (unticked), with who changed it last and when; every change is in the audit log.
import { sql, type Kysely } from 'kysely'

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('session_adult')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('host', 'second')`))
    .addColumn('staff_user_id', 'integer', (c) => c.references('staff_user.id'))
    .addColumn('guest_name', 'text')
    .addColumn('guest_organisation', 'text')
    .addColumn('updated_by', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_adult_pk', ['activity_id', 'role'])
    .addCheckConstraint(
      'session_adult_one_kind',
      sql`(staff_user_id is not null and guest_name is null) or (staff_user_id is null and guest_name is not null)`,
    )
    .execute()

  await db.schema
    .createTable('session_check')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('ticked', 'integer', (c) => c.notNull().check(sql`ticked in (0, 1)`))
    .addColumn('changed_by', 'integer')
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_check_pk', ['activity_id', 'item'])
    .execute()
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('session_check').execute()
  await db.schema.dropTable('session_adult').execute()
}
