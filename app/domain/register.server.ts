// The register of a session: who has a confirmed place, and whether they came.
import type { DB } from '../../db/index'

export interface RegisterRow {
  placeId: number
  firstName: string | null
  ageOnDay: number
  authorityName: string
  supportNeeds: string | null
  attended: boolean | null
}

export async function listRegister(db: DB, activityId: number): Promise<RegisterRow[]> {
  const rows = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .innerJoin('authority', 'authority.code', 'booking.authority_code')
    .select(['place.id', 'place.first_name', 'place.age_on_day', 'place.support_needs', 'place.attended', 'authority.name as authorityName'])
    .where('place.activity_id', '=', activityId)
    .where('place.status', '=', 'confirmed')
    .orderBy('place.first_name')
    .orderBy('place.id')
    .execute()
  return rows.map((r) => ({
    placeId: r.id,
    firstName: r.first_name,
    ageOnDay: r.age_on_day,
    authorityName: r.authorityName,
    supportNeeds: r.support_needs,
    attended: r.attended === null ? null : r.attended === 1,
  }))
}

/** Saves attendance for the places given (others untouched); only confirmed places of this session. */
export async function saveAttendance(db: DB, activityId: number, marks: Map<number, boolean | null>): Promise<number> {
  if (marks.size === 0) return 0
  return db.transaction().execute(async (trx) => {
    let changed = 0
    for (const [placeId, attended] of marks) {
      const result = await trx
        .updateTable('place')
        .set({ attended: attended === null ? null : attended ? 1 : 0, updated_at: new Date().toISOString() })
        .where('id', '=', placeId)
        .where('activity_id', '=', activityId)
        .where('status', '=', 'confirmed')
        .executeTakeFirst()
      changed += Number(result.numUpdatedRows)
    }
    return changed
  })
}
