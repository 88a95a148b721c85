// A family's no-shows for staff: places on its bookings marked "did not attend" on a register, on
// sessions (not cancelled) that started in the last 12 months. Shown on the family's staff page
// (whose view is audited there); nothing is done with them automatically: no bans.
import type { DB } from '../../db/index'
import { addMonths, londonDateOf, startOfLondonDay } from '../time/london-time'

export interface FamilyNoShow {
  placeId: number
  activityId: number
  title: string
  startsAt: string
  firstName: string | null
}

/** The London day 12 months before now's London day: no-shows on sessions from its start count. */
export function noShowWindowStart(now: Date): string {
  return startOfLondonDay(addMonths(londonDateOf(now), -12)).toISOString()
}

/** Newest first. Reads the family's places from place_family (family_id, activity_id, status). */
export async function familyNoShows(db: DB, familyId: number, now: Date): Promise<FamilyNoShow[]> {
  const rows = await db
    .selectFrom('place')
    .innerJoin('activity', 'activity.id', 'place.activity_id')
    .select(['place.id', 'place.first_name', 'activity.id as activityId', 'activity.title', 'activity.starts_at'])
    .where('place.family_id', '=', familyId)
    .where('place.status', '=', 'confirmed')
    .where('place.attended', '=', 0)
    .where('activity.status', '=', 'published')
    .where('activity.starts_at', '>=', noShowWindowStart(now))
    .where('activity.starts_at', '<=', now.toISOString())
    .orderBy('activity.starts_at', 'desc')
    .orderBy('place.id')
    .execute()
  return rows.map((r) => ({
    placeId: r.id,
    activityId: r.activityId,
    title: r.title,
    startsAt: r.starts_at,
    firstName: r.first_name,
  }))
}
