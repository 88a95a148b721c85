// Safe sessions' rules that need no database: whether a session is flagged for too few adults,
// and the "before the call" checklist's items worded from the consents of the children booked.
// Recording is allowed only when every child with a confirmed place has said yes to "photographs
// of sessions": a recording holds the same images, so that consent is read as covering it.
import { z } from 'zod'
import { consentAnswer, type Consents } from './child-consents'
import { formatLondonDate, formatLondonTime } from '../time/london-time'

export const CHECKLIST_ITEMS = ['lobby', 'no-presenting', 'recording', 'cameras'] as const
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number]

export type AdultsFlag = 'No adults named' | 'Needs a second adult'

/**
 * The flag staff see on the dashboard and the session page: every session not cancelled and not
 * yet ended (one under way too, so the missing adult can still join) with fewer than two adults.
 */
export function adultsFlag(
  session: { status: string; ends_at: string },
  adultsNamed: number,
  now: Date,
): AdultsFlag | null {
  if (session.status === 'cancelled' || new Date(session.ends_at).getTime() <= now.getTime()) return null
  if (adultsNamed === 0) return 'No adults named'
  if (adultsNamed === 1) return 'Needs a second adult'
  return null
}

export interface ChecklistChild {
  firstName: string | null
  consents: Consents
}

function nameOf(child: ChecklistChild): string {
  return child.firstName ?? '(name erased)'
}

function listNames(children: ChecklistChild[], answer?: (child: ChecklistChild) => string): string {
  return children.map((c) => (answer ? `${nameOf(c)} (${answer(c)})` : nameOf(c))).join(', ')
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** What each checklist item asks staff to check, in the words of the consents as they are now. */
export function checklistWording(children: ChecklistChild[]): Record<ChecklistItem, string> {
  const withoutRecording = children.filter((c) => c.consents.photos.given !== true)
  const cameraOff = children.filter((c) => c.consents.camera.given !== true)
  const nameHidden = children.filter((c) => c.consents.nameVisible.given !== true)
  const recording =
    children.length === 0
      ? 'Recording is off. Nobody has a confirmed place yet, so there are no consents to allow it.'
      : withoutRecording.length === 0
        ? `Recording is off unless it is needed: it is allowed, because ${children.length === 1 ? 'the one child' : `all ${children.length} children`} booked consented to photographs of sessions (which covers recordings).`
        : `Recording is off. Recording is not allowed: ${plural(withoutRecording.length, 'child has', 'children have')} not consented to photographs of sessions (${listNames(withoutRecording)}).`
  const cameraParts = [
    cameraOff.length
      ? `Camera must stay off for ${listNames(cameraOff, (c) => consentAnswer(c.consents.camera).toLowerCase())}.`
      : '',
    nameHidden.length
      ? `First name must not be visible for ${listNames(nameHidden, (c) => consentAnswer(c.consents.nameVisible).toLowerCase())}.`
      : '',
  ].filter(Boolean)
  const cameras =
    children.length === 0
      ? 'Cameras and names as the consents allow. Nobody has a confirmed place yet.'
      : cameraParts.length === 0
        ? 'Cameras and names as the consents allow: every child booked may have their camera on and their first name visible.'
        : `Cameras and names as the consents allow. ${cameraParts.join(' ')}`
  return {
    lobby: 'The lobby is on: everyone waits in the lobby until a host lets them in.',
    'no-presenting': 'Attendees cannot present: only the host and the second adult can share a screen.',
    recording,
    cameras,
  }
}

export interface ChecklistState {
  ticked: boolean
  changedByName: string | null
  changedAt: string
}

/** "Ticked by Sam Staff at 2:05pm on Wednesday 2 December 2026" (London time). */
export function checklistStateText(state: ChecklistState | undefined): string {
  if (!state) return 'Not ticked yet'
  const who = state.changedByName ?? 'a former member of staff'
  return `${state.ticked ? 'Ticked' : 'Unticked'} by ${who} at ${formatLondonTime(state.changedAt)} on ${formatLondonDate(state.changedAt)}`
}

/** One press of a checklist item's button: tick it, or untick it. */
export const checklistChangeSchema = z.object({
  item: z.enum(CHECKLIST_ITEMS),
  intent: z.enum(['tick', 'untick']),
})
