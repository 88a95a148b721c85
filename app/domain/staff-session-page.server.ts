// A session's page for staff: the session, and for those who may see bookings, who booked (an
// audited view of personal data) and the messages sent to families.
import type { DB } from '../../db/index'
import type { Role } from '../../db/schema'
import { can } from '../auth/permissions'
import { getActivityForStaff } from './activities.server'
import type { StaffActor } from './audit.server'
import { listSessionMessages } from './messages.server'
import { viewSessionPlaces } from './register.server'

/** Null when there is no such session. */
export async function staffSessionPage(db: DB, activityId: number | null, actor: StaffActor & { role: Role }) {
  const activity = activityId ? await getActivityForStaff(db, activityId) : null
  if (!activity) return null
  const canSeeBookings = can(actor.role, 'bookings:read')
  const places = canSeeBookings ? await viewSessionPlaces(db, activity.id, actor) : []
  const messages = canSeeBookings ? await listSessionMessages(db, activity.id) : []
  return {
    activity,
    canWrite: can(actor.role, 'activities:write'),
    canSeeBookings,
    canMessage: can(actor.role, 'bookings:write'),
    places,
    messages,
  }
}
