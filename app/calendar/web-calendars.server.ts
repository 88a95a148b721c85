// "Add to Google Calendar" and "Add to Outlook" links for a booked session: the .ics download
// alone often does not open on Android. Each link opens the calendar's own "new event" page
// filled in; the event it makes is a copy that never updates, unlike the emailed invite.
import type { CalendarActivity } from './ics.server'

export interface WebCalendarLinks {
  google: string
  /** Outlook.com, Hotmail and Live accounts */
  outlook: string
  /** work or school (Microsoft 365) accounts */
  office: string
}

/**
 * The session's times are UTC instants, written as each calendar reads them. The details carry
 * the family's booking page rather than the Teams joining link: these addresses go to Google or
 * Microsoft (and into the browser's history) as they are, and the booking page always shows the
 * current joining link and time, where a copied Teams link would go stale if the team moved the
 * session. The booking page's address is the family's own, as in their emails.
 */
export function webCalendarLinks(
  activity: Pick<CalendarActivity, 'title' | 'description' | 'starts_at' | 'ends_at' | 'location_type' | 'venue'>,
  options: { pageUrl: string },
): WebCalendarLinks {
  const location = activity.location_type === 'online' ? 'Online (Microsoft Teams)' : (activity.venue ?? '')
  const details = [
    activity.description,
    '',
    activity.location_type === 'online'
      ? `Join from your booking page, which has the Microsoft Teams link: ${options.pageUrl}`
      : `Your booking: ${options.pageUrl}`,
  ].join('\n')
  const start = new Date(activity.starts_at)
  const end = new Date(activity.ends_at)
  const google = query({
    action: 'TEMPLATE',
    text: activity.title,
    dates: `${basicUtc(start)}/${basicUtc(end)}`,
    details,
    location,
  })
  const outlook = query({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: activity.title,
    startdt: start.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    enddt: end.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    body: details,
    location,
  })
  return {
    google: `https://calendar.google.com/calendar/render?${google}`,
    outlook: `https://outlook.live.com/calendar/0/deeplink/compose?${outlook}`,
    office: `https://outlook.office.com/calendar/0/deeplink/compose?${outlook}`,
  }
}

/**
 * Each value percent-encoded with encodeURIComponent: a space as %20, not URLSearchParams' "+",
 * which Outlook on the web has been seen to show as a plus sign.
 */
function query(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&')
}

/** 20270328T090000Z: RFC 5545's basic UTC form, which Google Calendar's `dates` takes. */
function basicUtc(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return (
    `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}` +
    `T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}Z`
  )
}
