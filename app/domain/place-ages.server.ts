// Age on the day, kept true when a session moves: a place stores the child's age and school year
// on the session's day (so the report survives the later erasure of dates of birth); moved to
// another day, they are worked out again from the date of birth for that day.
import type { Transaction } from 'kysely'
import type { Database } from '../../db/schema'
import { londonDateOf } from '../time/london-time'
import { ageOnDay } from './age'
import { schoolYearOf } from './age-groups'

/**
 * Restamps the age and school year of every place on a session whose day has changed, in the
 * caller's transaction. Places whose date of birth has been erased keep what they had (only a
 * session long past has those, and it is not moved).
 */
export async function restampAgesOnDay(
  trx: Transaction<Database>,
  activityId: number,
  startsAt: Date | string,
): Promise<void> {
  const day = londonDateOf(startsAt)
  const places = await trx
    .selectFrom('place')
    .select(['id', 'date_of_birth', 'age_on_day', 'school_year'])
    .where('activity_id', '=', activityId)
    .where('date_of_birth', 'is not', null)
    .execute()
  for (const place of places) {
    const age = ageOnDay(place.date_of_birth!, day)
    const schoolYear = schoolYearOf(place.date_of_birth!, day)
    if (age === place.age_on_day && schoolYear === place.school_year) continue
    await trx
      .updateTable('place')
      .set({ age_on_day: age, school_year: schoolYear })
      .where('id', '=', place.id)
      .execute()
  }
}
