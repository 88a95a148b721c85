// The words of the emails about a series as a whole: one email for a series booked in one step
// (every date and each child's outcome), and one per family when staff cancel or move the
// remaining sessions. Each lists the dates; the invite attached holds one event per booking.
import { formatLondonDate, formatLondonTimeRange } from '../time/london-time'
import { render, type Block, type EmailContent, type EmailOrganisation } from './templates.server'

export interface SeriesEmailDate {
  startsAt: string
  endsAt: string
  /** what happens on this date, one sentence per outcome: "Ava and Leo have places." */
  outcomes: string[]
  /** only when this date has a confirmed place */
  joinUrl: string | null
  /** the booking's manage link, when a booking was made for this date */
  manageUrl: string | null
}

/** 'series-places-offered': spaces came up from the waiting list on several dates of a series at once */
export type SeriesBookedKind = 'series-booked' | 'series-held' | 'series-awaiting-approval' | 'series-places-offered'

export interface SeriesBookedEmailData {
  contactName: string
  title: string
  where: string
  description?: string | null
  whatToBring?: string | null
  dates: SeriesEmailDate[]
  /** 'series-held': the link that confirms the address and every held place of the series */
  confirmUrl?: string | null
  holdExpiresAt?: string | null
  /** the family's bookings page */
  bookingsUrl: string
  organisation: EmailOrganisation
}

function when(date: { startsAt: string; endsAt: string }): string {
  return `${formatLondonDate(date.startsAt)}, ${formatLondonTimeRange(date.startsAt, date.endsAt)}`
}

function dateBlocks(dates: SeriesEmailDate[], withLinks: boolean): Block[] {
  return dates.flatMap((date) => [
    { heading: when(date) } as Block,
    { text: date.outcomes.join('\n') } as Block,
    ...(withLinks && date.joinUrl ? [{ link: date.joinUrl, label: 'Join on Microsoft Teams' } as Block] : []),
    ...(date.manageUrl ? [{ link: date.manageUrl, label: 'See or cancel this date' } as Block] : []),
  ])
}

export function seriesBookedEmail(kind: SeriesBookedKind, d: SeriesBookedEmailData): EmailContent {
  const hello: Block = { text: `Dear ${d.contactName || 'parent or carer'},` }
  const about: Block[] = [
    ...(d.description ? [{ heading: 'About the sessions' }, { text: d.description }] : []),
    ...(d.whatToBring ? [{ text: `What to bring: ${d.whatToBring}` }] : []),
  ]
  const signOff: Block = { text: d.organisation.organisationName }
  const count = `${d.dates.length} ${d.dates.length === 1 ? 'date' : 'dates'}`
  if (kind === 'series-held') {
    const until = d.holdExpiresAt ? ` until ${formatLondonDate(d.holdExpiresAt)}` : ''
    return render(
      `Confirm your booking: ${d.title} – ${count}`,
      [
        hello,
        { text: `We are holding places${until} for ${d.title} (${d.where}). Please confirm your email address:` },
        ...(d.confirmUrl ? [{ link: d.confirmUrl, label: 'Confirm your booking' }] : []),
        {
          text: 'Confirming confirms every date below at once. We email you the joining links and calendar invites when you have confirmed.',
        },
        ...dateBlocks(d.dates, false),
        { text: 'If you did not make this booking, you do not need to do anything: the places will be let go.' },
        signOff,
      ],
      d.organisation,
    )
  }
  if (kind === 'series-places-offered') {
    return render(
      `Spaces came up: ${d.title} – ${count}`,
      [
        hello,
        {
          text: `Good news: spaces came up on the waiting list for ${d.title} (${d.where}). We have booked them for you, date by date:`,
        },
        ...dateBlocks(d.dates, true),
        ...about,
        {
          text: 'Please do not share the joining links. They are only for the children booked. The calendar invite attached to this email has every date above.',
        },
        { link: d.bookingsUrl, label: 'See all your bookings' },
        { text: 'If you cannot come on a date, please cancel that date so another child can have the space.' },
        signOff,
      ],
      d.organisation,
    )
  }
  const approval = kind === 'series-awaiting-approval'
  return render(
    approval ? `Booking received: ${d.title} – ${count}` : `Booking confirmed: ${d.title} – ${count}`,
    [
      hello,
      {
        text: approval
          ? `Thank you for booking ${d.title} (${d.where}). The team checks a new family's first booking: we will email you when it is approved.`
          : `Here is your booking for ${d.title} (${d.where}), date by date:`,
      },
      ...dateBlocks(d.dates, !approval),
      ...about,
      ...(approval
        ? []
        : [
            {
              text: 'Please do not share the joining links. They are only for the children booked. The calendar invite attached to this email has every confirmed date.',
            },
          ]),
      { link: d.bookingsUrl, label: 'See all your bookings' },
      { text: 'If you cannot come on a date, please cancel that date so another child can have the space.' },
      signOff,
    ],
    d.organisation,
  )
}

export interface SeriesChangedEmailData {
  contactName: string
  title: string
  dates: SeriesEmailDate[]
  /** 'cancelled': the team's reason, if given */
  reason?: string | null
  bookingsUrl: string
  organisation: EmailOrganisation
}

export function seriesChangedEmail(kind: 'series-cancelled' | 'series-moved', d: SeriesChangedEmailData): EmailContent {
  const count = `${d.dates.length} ${d.dates.length === 1 ? 'date' : 'dates'}`
  const hello: Block = { text: `Dear ${d.contactName || 'parent or carer'},` }
  if (kind === 'series-cancelled') {
    return render(
      `Cancelled: ${d.title} – ${count}`,
      [
        hello,
        { text: `We are sorry: the team has cancelled the remaining sessions of ${d.title}:` },
        ...d.dates.map((date) => ({ text: `${when(date)}\n${date.outcomes.join('\n')}` })),
        ...(d.reason ? [{ text: `The reason: ${d.reason}` }] : []),
        {
          text: 'You do not need to do anything. The calendar invite attached removes these dates from your calendar.',
        },
        { link: d.bookingsUrl, label: 'See all your bookings' },
        { text: d.organisation.organisationName },
      ],
      d.organisation,
    )
  }
  return render(
    `New times: ${d.title} – ${count}`,
    [
      hello,
      { text: `The team has moved the remaining sessions of ${d.title} to a new time. The new times are:` },
      ...dateBlocks(d.dates, true),
      { text: 'The calendar invite attached updates these dates in your calendar.' },
      { link: d.bookingsUrl, label: 'See all your bookings' },
      { text: 'If you cannot come at the new time, please cancel that date so another child can have the space.' },
      { text: d.organisation.organisationName },
    ],
    d.organisation,
  )
}
