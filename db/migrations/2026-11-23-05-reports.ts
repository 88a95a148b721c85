// The quarterly report: school year stored on each place, feedback per place, and the indexes
// that let a quarter's figures be read without scanning every place.
import { sql, type Kysely } from 'kysely'

const BACKFILL_BATCH = 2000

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // England school year group on the day, stored at booking like age_on_day so the report
  // survives the erasure of dates of birth. Null only for places erased before this existed.
  await db.schema.alterTable('place').addColumn('school_year', 'integer').execute()
  await backfillSchoolYears(db)
  // The booking's home authority on each place (see PlaceTable): the report's biggest query then
  // reads a quarter's places from one covering index, with no lookup of each place's booking.
  // No REFERENCES: SQLite cannot add a foreign-key column with a non-null default; the booking's
  // own authority_code is the checked one, and this is always copied from it.
  await db.schema
    .alterTable('place')
    .addColumn('authority_code', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db
    .updateTable('place')
    .set((eb) => ({
      authority_code: eb
        .selectFrom('booking')
        .select('booking.authority_code')
        .whereRef('booking.id', '=', 'place.booking_id'),
    }))
    .execute()

  await db.schema
    .createTable('feedback')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    // UNIQUE: one response per place, however often the link is used
    .addColumn('place_id', 'integer', (c) => c.notNull().unique().references('place.id'))
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id'))
    .addColumn('score', 'integer', (c) => c.notNull().check(sql`score between 1 and 5`))
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  // A quarter's sessions of one kind, without reading cancelled ones or touching the table.
  await db.schema
    .createIndex('activity_kind_status_start')
    .on('activity')
    .columns(['kind', 'status', 'starts_at'])
    .execute()
  // Covers every place column the report reads, so a quarter's places are read from the index alone.
  await db.schema
    .createIndex('place_report')
    .on('place')
    .columns(['activity_id', 'status', 'authority_code', 'age_on_day', 'school_year', 'attended', 'booking_id'])
    .execute()
  // A quarter's feedback by session, scores read from the index.
  await db.schema.createIndex('feedback_activity').on('feedback').columns(['activity_id', 'score']).execute()
}

/** Places booked before this migration whose date of birth is still held get their school year. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function backfillSchoolYears(db: Kysely<any>): Promise<void> {
  let after = 0
  for (;;) {
    const rows: Array<{ id: number; date_of_birth: string; starts_at: string }> = await db
      .selectFrom('place')
      .innerJoin('activity', 'activity.id', 'place.activity_id')
      .select(['place.id as id', 'place.date_of_birth as date_of_birth', 'activity.starts_at as starts_at'])
      .where('place.id', '>', after)
      .where('place.date_of_birth', 'is not', null)
      .orderBy('place.id')
      .limit(BACKFILL_BATCH)
      .execute()
    if (rows.length === 0) return
    const byYear = new Map<number, number[]>()
    for (const row of rows) {
      const year = schoolYearOf(row.date_of_birth, londonDateOf(row.starts_at))
      byYear.set(year, [...(byYear.get(year) ?? []), row.id])
    }
    for (const [year, ids] of byYear) {
      await db.updateTable('place').set({ school_year: year }).where('id', 'in', ids).execute()
    }
    after = rows[rows.length - 1]!.id
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('feedback_activity').execute()
  await db.schema.dropIndex('place_report').execute()
  await db.schema.dropIndex('activity_kind_status_start').execute()
  await db.schema.dropTable('feedback').execute()
  await db.schema.alterTable('place').dropColumn('authority_code').execute()
  await db.schema.alterTable('place').dropColumn('school_year').execute()
}

// Copied from the app as it was when this migration was written (school year and London date of an
// instant), so that later changes to those rules never change what this migration did.

/** The school year (England: Reception = 0, from 1 September) of a child born on `dateOfBirth`, on `onDate`. */
function schoolYearOf(dateOfBirth: string, onDate: string): number {
  const [birthYear, birthMonth] = dateOfBirth.split('-').map(Number) as [number, number]
  const [onYear, onMonth] = onDate.split('-').map(Number) as [number, number]
  const schoolYearStarting = onMonth >= 9 ? onYear : onYear - 1
  const cohortStarting = birthMonth >= 9 ? birthYear : birthYear - 1
  return schoolYearStarting - cohortStarting - 5
}

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** The Europe/London calendar date ("2026-03-29") of a stored UTC instant. */
function londonDateOf(instant: string): string {
  const parts = Object.fromEntries(londonDate.formatToParts(new Date(instant)).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}
