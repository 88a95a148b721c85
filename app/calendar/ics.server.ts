// iCalendar for the public feed and for booking invites. The public feed never carries a joining
// link; invites for a confirmed place do. One event builder serves both so they cannot drift.
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator'
import type { Activity } from '../../db/schema'

/** What an event says about a session. The joining link is not in it: only EventOptions carries one. */
export type CalendarActivity = Pick<
  Activity,
  'id' | 'title' | 'description' | 'starts_at' | 'ends_at' | 'location_type' | 'venue' | 'status' | 'sequence'
>

export interface EventOptions {
  uid: string
  sequence: number
  /** the private joining link: only ever passed for a confirmed place */
  joinUrl?: string | null
  pageUrl: string
  cancelled?: boolean
}

export function uidDomain(publicUrl: string | undefined): string {
  try {
    return publicUrl ? new URL(publicUrl).hostname : 'join-in.invalid'
  } catch {
    return 'join-in.invalid'
  }
}

function eventFor(activity: CalendarActivity, options: EventOptions) {
  const where = activity.location_type === 'online' ? 'Online (Microsoft Teams)' : (activity.venue ?? '')
  const lines = [activity.description]
  if (options.joinUrl) lines.push('', `Join on Microsoft Teams: ${options.joinUrl}`)
  lines.push('', `Details: ${options.pageUrl}`)
  return {
    id: options.uid,
    sequence: options.sequence,
    start: new Date(activity.starts_at),
    end: new Date(activity.ends_at),
    // No TZID: given one, ical-generator writes the wall time of the server's own zone (getHours),
    // so a server in UTC put London sessions an hour out in summer. UTC instants are exact anywhere.
    summary: options.cancelled || activity.status === 'cancelled' ? `Cancelled: ${activity.title}` : activity.title,
    description: lines.join('\n'),
    location: options.joinUrl ?? where,
    url: options.pageUrl,
    status:
      options.cancelled || activity.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  }
}

/** The public calendar of published sessions: no joining links, ever. */
export function publicFeed(
  activities: CalendarActivity[],
  options: { name: string; baseUrl: string; domain: string },
): string {
  const calendar = ical({
    name: options.name,
    prodId: { company: 'Join In', product: 'Join In', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
  })
  for (const activity of activities) {
    calendar.createEvent(
      eventFor(activity, {
        uid: `activity-${activity.id}@${options.domain}`,
        sequence: activity.sequence,
        pageUrl: `${options.baseUrl}/activities/${activity.id}`,
      }),
    )
  }
  return calendar.toString()
}

/** One invite: REQUEST for a confirmed place, CANCEL when the place or session is cancelled. */
export function inviteCalendar(activity: CalendarActivity, options: EventOptions): string {
  const calendar = ical({
    prodId: { company: 'Join In', product: 'Join In', language: 'EN' },
    method:
      options.cancelled || activity.status === 'cancelled' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  })
  calendar.createEvent(eventFor(activity, options))
  return calendar.toString()
}
