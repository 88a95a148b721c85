// The email a new family gets when staff decline its first booking: the reason, in staff's words,
// and never the joining link. (The approval's email is the booking confirmation itself.)
import type { Activity } from '../../db/schema'
import { formatLondonDate, formatLondonTimeRange } from '../time/london-time'
import { names, render, type EmailContent, type EmailOrganisation } from './templates.server'

export interface FamilyDeclinedEmailData {
  contactName: string
  reference: string
  activity: Pick<Activity, 'title' | 'starts_at' | 'ends_at'>
  /** a series booked in one step: its other dates, declined with the first */
  otherDates?: Array<{ activity: Pick<Activity, 'starts_at' | 'ends_at'>; reference: string }>
  /** the children whose held places were released */
  names: string[]
  /** staff's reason, as they wrote it */
  reason: string
  /** the service's home page, to see other activities */
  homeUrl: string
  organisation: EmailOrganisation
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export function familyDeclinedEmail(d: FamilyDeclinedEmailData): EmailContent {
  const when = `${formatLondonDate(d.activity.starts_at)}, ${formatLondonTimeRange(d.activity.starts_at, d.activity.ends_at)} (UK time)`
  const who = names(d.names) || 'your child'
  const others = d.otherDates ?? []
  const dateCount = others.length + 1
  const whenOf = (a: Pick<Activity, 'starts_at' | 'ends_at'>) =>
    `${formatLondonDate(a.starts_at)}, ${formatLondonTimeRange(a.starts_at, a.ends_at)} (UK time)`
  return render(
    others.length
      ? `We could not accept your booking: ${d.activity.title} – ${dateCount} dates`
      : `We could not accept your booking: ${d.activity.title} – ${d.reference}`,
    [
      { text: `Dear ${d.contactName || 'parent or carer'},` },
      others.length
        ? {
            text: `Thank you for booking. We are sorry: we could not accept the booking for ${who} on ${dateCount} dates of ${d.activity.title}:`,
          }
        : { text: `Thank you for booking. We are sorry: we could not accept the booking for ${who} at:` },
      ...(others.length
        ? [
            { text: `${when}\nBooking reference: ${d.reference}` },
            ...others.map((o) => ({ text: `${whenOf(o.activity)}\nBooking reference: ${o.reference}` })),
          ]
        : [{ text: `${d.activity.title}\n${when}\nBooking reference: ${d.reference}` }]),
      { text: `Why: ${d.reason}` },
      {
        text: `${capitalise(who)} ${d.names.length > 1 ? 'do not have places' : 'does not have a place'} on ${others.length ? 'these dates' : 'this session'}, and you do not need to do anything.`,
      },
      {
        text: `If you have a question about this, or think it is a mistake, reply to ${d.organisation.contactEmail} or call ${d.organisation.contactPhone}.`,
      },
      { link: d.homeUrl, label: 'See the activities' },
      { text: d.organisation.organisationName },
    ],
    d.organisation,
  )
}
