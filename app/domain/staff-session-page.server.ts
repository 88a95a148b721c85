// A session's page for staff: the session, its two adults (flagged when fewer than two), and for
// those who may see bookings, who booked (an audited view of personal data), the "before the
// call" checklist worded from the children's consents, and the messages sent to families.
import type { DB } from '../../db/index'
import type { Role } from '../../db/schema'
import { can } from '../auth/permissions'
import { getActivityForStaff } from './activities.server'
import type { StaffActor } from './audit.server'
import { listSessionMessages } from './messages.server'
import { viewSessionPlaces } from './register.server'
import { adultsFlag, checklistWording } from './session-safety'
import { checklistChildren, sessionAdults, sessionChecklist } from './session-safety.server'

/** Null when there is no such session. */
export async function staffSessionPage(
  db: DB,
  activityId: number | null,
  actor: StaffActor & { role: Role },
  now: Date,
) {
  const activity = activityId ? await getActivityForStaff(db, activityId) : null
  if (!activity) return null
  const canSeeBookings = can(actor.role, 'bookings:read')
  const places = canSeeBookings ? await viewSessionPlaces(db, activity.id, actor) : []
  const messages = canSeeBookings ? await listSessionMessages(db, activity.id) : []
  const adults = await sessionAdults(db, activity.id)
  // The checklist names children by their consents: shown only with the bookings (whose view is audited).
  const checklist = canSeeBookings
    ? {
        wording: checklistWording(await checklistChildren(db, activity.id)),
        state: await sessionChecklist(db, activity.id),
      }
    : null
  // A child booked or waiting whose age on the day is outside the session's ages: the ages or the
  // day were changed after they booked. Staff are shown them to check with the family.
  const outsideAges = places
    .filter((p) => p.status !== 'cancelled' && (p.ageOnDay < activity.min_age || p.ageOnDay > activity.max_age))
    .map((p) => ({ firstName: p.firstName ?? '', ageOnDay: p.ageOnDay, reference: p.reference }))
  return {
    activity,
    outsideAges,
    canWrite: can(actor.role, 'activities:write'),
    canSeeBookings,
    canMessage: can(actor.role, 'bookings:write'),
    places,
    messages,
    adults,
    adultsFlag: adultsFlag(activity, Number(adults.host !== null) + Number(adults.second !== null), now),
    checklist,
    canTick: can(actor.role, 'bookings:write'),
  }
}
