// iCalendar for the public feed and for booking invites. The public feed never carries a joining
// link; invites for a confirmed place do. One event builder serves both so they cannot drift.
import ical, { ICalCalendarMethod, ICalEventStatus, type ICalCalendarData, type ICalEventData } from 'ical-generator'
import type { Activity } from '../../db/schema'
import { withoutControlCharacters } from '../text/control-characters'

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
  /**
   * Who runs the session (RFC 5546: an invite sent as REQUEST or CANCEL names its ORGANIZER): the
   * team's name and contact address from the settings, so "Organiser" in a calendar reaches them.
   */
  organiser?: { name: string; email: string }
}

export function uidDomain(publicUrl: string | undefined): string {
  try {
    return publicUrl ? new URL(publicUrl).hostname : 'join-in.invalid'
  } catch {
    return 'join-in.invalid'
  }
}

function eventFor(activity: CalendarActivity, options: EventOptions) {
  const where =
    activity.location_type === 'online' ? 'Online (Microsoft Teams)' : withoutControlCharacters(activity.venue ?? '')
  // RFC 5545 text holds no control characters; a session saved before forms dropped them may
  const title = withoutControlCharacters(activity.title)
  const lines = [withoutControlCharacters(activity.description)]
  if (options.joinUrl) lines.push('', `Join on Microsoft Teams: ${options.joinUrl}`)
  lines.push('', `Details: ${options.pageUrl}`)
  return {
    id: options.uid,
    sequence: options.sequence,
    start: new Date(activity.starts_at),
    end: new Date(activity.ends_at),
    // No TZID: given one, ical-generator writes the wall time of the server's own zone (getHours),
    // so a server in UTC put London sessions an hour out in summer. UTC instants are exact anywhere.
    summary: options.cancelled || activity.status === 'cancelled' ? `Cancelled: ${title}` : title,
    description: lines.join('\n'),
    location: options.joinUrl ?? where,
    url: options.pageUrl,
    organizer: options.organiser ? { name: options.organiser.name, email: options.organiser.email } : null,
    status:
      options.cancelled || activity.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  }
}

/** The public calendar of published sessions: no joining links, ever. */
export function publicFeed(
  activities: CalendarActivity[],
  options: { name: string; baseUrl: string; domain: string },
): string {
  return calendarText(
    {
      name: options.name,
      prodId: { company: 'Join In', product: 'Join In', language: 'EN' },
      method: ICalCalendarMethod.PUBLISH,
      ttl: 60 * 60,
    },
    activities.map((activity) =>
      eventFor(activity, {
        uid: `activity-${activity.id}@${options.domain}`,
        sequence: activity.sequence,
        pageUrl: `${options.baseUrl}/activities/${activity.id}`,
      }),
    ),
  )
}

/** One invite: REQUEST for a confirmed place, CANCEL when the place or session is cancelled. */
export function inviteCalendar(activity: CalendarActivity, options: EventOptions): string {
  return calendarText(
    {
      prodId: { company: 'Join In', product: 'Join In', language: 'EN' },
      method:
        options.cancelled || activity.status === 'cancelled' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    },
    [eventFor(activity, options)],
  )
}

/**
 * What ical-generator's calendar.toString() returns, byte for byte, without its cost: it folds
 * every line with a new TextEncoder per character, about 0.3 ms for one invite, which was a
 * quarter of a booking's time. Folding works line by line, so the calendar's own few lines are
 * folded by ical-generator and the events' lines (ICalEvent.toString() is unfolded) by foldLines.
 * No custom X- properties on the calendar: ical-generator writes those after the events.
 */
export function calendarText(data: Omit<ICalCalendarData, 'events' | 'x'>, events: ICalEventData[]): string {
  const calendar = ical(data)
  const shell = shellOf(calendar, data)
  const end = shell.lastIndexOf('END:VCALENDAR')
  const body = events.map((event) => calendar.createEvent(event).toString()).join('')
  return shell.slice(0, end) + foldLines(body) + shell.slice(end)
}

/**
 * The calendar's own lines with no events: the same few strings for every invite, folded by
 * ical-generator once per distinct set of calendar properties.
 */
const shells = new Map<string, string>()
function shellOf(calendar: ReturnType<typeof ical>, data: Omit<ICalCalendarData, 'events' | 'x'>): string {
  const key = JSON.stringify(data)
  let shell = shells.get(key)
  if (shell === undefined) {
    shell = calendar.toString()
    if (shells.size >= 100) shells.delete(shells.keys().next().value!)
    shells.set(key, shell)
  }
  return shell
}

/**
 * RFC 5545 §3.1 folding, as ical-generator does it: a line longer than 75 octets continues on the
 * next after CRLF and a space, never splitting a character. Octets are counted in UTF-8.
 */
export function foldLines(text: string): string {
  return text
    .split('\r\n')
    .map((line) => {
      let out = ''
      let from = 0
      let octets = 0
      for (let i = 0; i < line.length; i++) {
        const code = line.charCodeAt(i)
        let size = 1
        let end = i + 1
        if (code >= 0x80) {
          // a surrogate pair is one character; a lone surrogate is sent as U+FFFD (3 octets)
          if (code >= 0xd800 && code <= 0xdbff && i + 1 < line.length) end = i + 2
          size = Buffer.byteLength(line.slice(i, end), 'utf8')
        }
        octets += size
        if (octets > 74) {
          out += line.slice(from, i) + '\r\n '
          from = i
          octets = size
        }
        i = end - 1
      }
      return out + line.slice(from)
    })
    .join('\r\n')
}

/** One event of a family's private feed: a booking with a confirmed place, under its invite's UID. */
export interface FeedEvent extends EventOptions {
  activity: CalendarActivity
}

/**
 * A family's private calendar feed (a subscription, so PUBLISH): each booking with a confirmed
 * place under the UID and SEQUENCE of its emailed invite, with the joining link the caller passed.
 */
export function privateFeed(events: FeedEvent[], options: { name: string }): string {
  return calendarText(
    {
      name: options.name,
      prodId: { company: 'Join In', product: 'Join In', language: 'EN' },
      method: ICalCalendarMethod.PUBLISH,
      ttl: 60 * 60,
    },
    events.map(({ activity, ...event }) => eventFor(activity, event)),
  )
}

/** One event of a multi-event invite: a session and the options its single invite would have. */
export interface InviteEvent extends EventOptions {
  activity: CalendarActivity
}

/**
 * Several sessions in one invite (a series booked, cancelled or moved in one step): each event
 * under the UID and SEQUENCE of that booking's single invite, so it replaces the same calendar
 * entry. A calendar has one METHOD, so the events are all requests or all cancellations.
 */
export function inviteCalendarForMany(events: InviteEvent[], method: 'REQUEST' | 'CANCEL'): string {
  return calendarText(
    {
      prodId: { company: 'Join In', product: 'Join In', language: 'EN' },
      method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    },
    events.map(({ activity, ...event }) => eventFor(activity, { ...event, cancelled: method === 'CANCEL' })),
  )
}
