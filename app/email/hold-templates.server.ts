// The email a family gets when the places held for it are released: the hold ran out before the
// address was confirmed (or before the team approved the booking). It never carries the joining
// link; it links to the session's page, to book again while booking is open.
import type { Activity } from '../../db/schema'
import { formatLondonDate, formatLondonTimeRange } from '../time/london-time'
import { names, render, type EmailContent, type EmailOrganisation } from './templates.server'

export interface HoldReleasedEmailData {
  contactName: string
  reference: string
  activity: Pick<Activity, 'title' | 'starts_at' | 'ends_at' | 'location_type' | 'venue'>
  /** the children whose held places were released */
  heldNames: string[]
  /** the children of the booking taken off the waiting list with them */
  waitingNames: string[]
  /** why the places were held */
  reason: 'address' | 'approval'
  /** booking is still open on the session: they can book again */
  bookingOpen: boolean
  /** the session's public page */
  activityUrl: string
  /** the list of activities */
  activitiesUrl: string
  organisation: EmailOrganisation
}

export function holdReleasedEmail(d: HoldReleasedEmailData): EmailContent {
  const when = `${formatLondonDate(d.activity.starts_at)}, ${formatLondonTimeRange(d.activity.starts_at, d.activity.ends_at)} (UK time)`
  const where = d.activity.location_type === 'online' ? 'Online on Microsoft Teams' : (d.activity.venue ?? '')
  const held = d.heldNames.map((n) => n || 'your child')
  const waiting = d.waitingNames.map((n) => n || 'your child')
  const why =
    d.reason === 'address'
      ? 'We did not hear back in time to confirm your email address (the link in our first email).'
      : 'The team could not approve the booking before booking closed.'
  const kept = held.length ? `We kept ${held.length > 1 ? 'places' : 'a place'} for ${names(held)}` : ''
  const onList = waiting.length ? `${names(waiting)} ${waiting.length > 1 ? 'were' : 'was'} on the waiting list` : ''
  const what = [
    held.length ? `let the ${held.length > 1 ? 'places' : 'place'} go to other children` : '',
    waiting.length ? `taken ${names(waiting)} off the waiting list` : '',
  ].filter(Boolean)
  const opening = kept && onList ? `${kept}, and ${onList},` : kept || onList
  return render(
    `Places not kept: ${d.activity.title} – ${d.reference}`,
    [
      { text: `Dear ${d.contactName || 'parent or carer'},` },
      { text: `${opening} for this session:` },
      { text: `${d.activity.title}\n${when}\n${where}\nBooking reference: ${d.reference}` },
      { text: `${why} So we have ${what.join(' and ')}.` },
      ...(d.bookingOpen
        ? [
            {
              text: 'You can book again. If the session is full, you can join its waiting list.',
            },
            { link: d.activityUrl, label: 'Book the session again' },
          ]
        : [
            { text: 'Booking for this session has now closed.' },
            { link: d.activityUrl, label: 'See the session' },
            { link: d.activitiesUrl, label: 'See other activities you can book' },
          ]),
      { text: 'If you did not make this booking, you do not need to do anything.' },
      { text: d.organisation.organisationName },
    ],
    d.organisation,
  )
}

export interface SeriesHoldReleasedEmailData {
  contactName: string
  /** the series' title (every date has it) */
  title: string
  /** each date whose held places were released, soonest first */
  dates: Array<{
    reference: string
    activity: Pick<Activity, 'starts_at' | 'ends_at'>
    heldNames: string[]
    waitingNames: string[]
  }>
  reason: 'address' | 'approval'
  /** booking is still open on at least one of the dates */
  bookingOpen: boolean
  /** the series' page, to book again */
  seriesUrl: string
  activitiesUrl: string
  organisation: EmailOrganisation
}

/**
 * One email for the dates of one series booking whose holds ran out together: a family that booked
 * ten dates in one step hears once, as it booked once.
 */
export function seriesHoldReleasedEmail(d: SeriesHoldReleasedEmailData): EmailContent {
  const why =
    d.reason === 'address'
      ? 'We did not hear back in time to confirm your email address (the link in our first email).'
      : 'The team could not approve the booking before booking closed.'
  const dateBlocks = d.dates.map((date) => {
    const held = date.heldNames.map((n) => n || 'your child')
    const waiting = date.waitingNames.map((n) => n || 'your child')
    const what = [
      held.length ? `${names(held)}: ${held.length > 1 ? 'places' : 'place'} not kept` : '',
      waiting.length ? `${names(waiting)}: taken off the waiting list` : '',
    ].filter(Boolean)
    return {
      text: `${formatLondonDate(date.activity.starts_at)}, ${formatLondonTimeRange(date.activity.starts_at, date.activity.ends_at)} (UK time)\n${what.join('\n')}\nBooking reference: ${date.reference}`,
    }
  })
  return render(
    `Places not kept: ${d.title} – ${d.dates.length} dates`,
    [
      { text: `Dear ${d.contactName || 'parent or carer'},` },
      { text: `We kept places for you on ${d.dates.length} dates of ${d.title}:` },
      ...dateBlocks,
      { text: `${why} So we have let these places go to other children.` },
      ...(d.bookingOpen
        ? [
            { text: 'You can book again. If a date is full, you can join its waiting list.' },
            { link: d.seriesUrl, label: 'Book the series again' },
          ]
        : [
            { text: 'Booking for these dates has now closed.' },
            { link: d.activitiesUrl, label: 'See other activities you can book' },
          ]),
      { text: 'If you did not make this booking, you do not need to do anything.' },
      { text: d.organisation.organisationName },
    ],
    d.organisation,
  )
}
