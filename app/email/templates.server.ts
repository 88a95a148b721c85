// The words of every booking email, in plain text and simple HTML. Plain English, GOV.UK style.
import type { Activity } from '../../db/schema'
import { formatLondonDate, formatLondonTimeRange } from '../domain/london-time'

export type BookingEmailKind =
  | 'confirmation'
  | 'waitlisted'
  | 'place-offered'
  | 'cancellation'
  | 'reminder'
  | 'activity-changed'
  | 'activity-cancelled'

export interface BookingEmailData {
  contactName: string
  reference: string
  activity: Pick<Activity, 'title' | 'starts_at' | 'ends_at' | 'location_type' | 'venue'>
  confirmedNames: string[]
  waitlistedNames: string[]
  cancelledNames: string[]
  /** only for a live confirmed place */
  joinUrl: string | null
  manageUrl: string
  activityUrl: string
  reason: string | null
}

export interface EmailContent {
  subject: string
  text: string
  html: string
}

function names(list: string[]): string {
  if (list.length <= 1) return list[0] ?? ''
  return `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

type Block = { text: string } | { link: string; label: string } | { heading: string }

function render(subject: string, blocks: Block[]): EmailContent {
  const text = blocks
    .map((b) => ('heading' in b ? `${b.heading}\n${'-'.repeat(b.heading.length)}` : 'link' in b ? `${b.label}:\n${b.link}` : b.text))
    .join('\n\n')
  const html = [
    '<!doctype html><html lang="en"><body style="font-family: arial, sans-serif; font-size: 19px; line-height: 1.4; color: #0b0c0c">',
    ...blocks.map((b) =>
      'heading' in b
        ? `<h2 style="font-size: 24px">${escapeHtml(b.heading)}</h2>`
        : 'link' in b
          ? `<p><a href="${escapeHtml(b.link)}" style="color: #1d70b8">${escapeHtml(b.label)}</a></p>`
          : `<p>${escapeHtml(b.text).replace(/\n/g, '<br>')}</p>`,
    ),
    '</body></html>',
  ].join('\n')
  return { subject, text, html }
}

export function bookingEmail(kind: BookingEmailKind, d: BookingEmailData): EmailContent {
  const when = `${formatLondonDate(d.activity.starts_at)}, ${formatLondonTimeRange(d.activity.starts_at, d.activity.ends_at)} (UK time)`
  const where = d.activity.location_type === 'online' ? 'Online on Microsoft Teams' : (d.activity.venue ?? '')
  const hello: Block = { text: `Dear ${d.contactName || 'parent or carer'},` }
  const details: Block = { text: `${d.activity.title}\n${when}\n${where}\nBooking reference: ${d.reference}` }
  const join: Block[] = d.joinUrl
    ? [{ heading: 'Joining the session' }, { link: d.joinUrl, label: 'Join on Microsoft Teams' }, { text: 'Please do not share this link. It is only for the children booked.' }]
    : []
  const manage: Block = { link: d.manageUrl, label: 'See or cancel your booking' }
  const cancelAsk: Block = { text: 'If you cannot come, please cancel so another child can have the space.' }
  const signOff: Block = { text: 'Participation & Engagement team' }

  switch (kind) {
    case 'confirmation':
      return render(`Booking confirmed: ${d.activity.title} – ${d.reference}`, [
        hello,
        { text: `${names(d.confirmedNames)} ${d.confirmedNames.length > 1 ? 'have places' : 'has a place'} at:` },
        details,
        ...(d.waitlistedNames.length
          ? [{ text: `${names(d.waitlistedNames)} ${d.waitlistedNames.length > 1 ? 'are' : 'is'} on the waiting list. We will email you if a space comes up.` }]
          : []),
        ...join,
        { text: 'The calendar invite attached to this email has the link too.' },
        manage,
        cancelAsk,
        signOff,
      ])
    case 'waitlisted':
      return render(`On the waiting list: ${d.activity.title} – ${d.reference}`, [
        hello,
        { text: `The session is full, so ${names(d.waitlistedNames)} ${d.waitlistedNames.length > 1 ? 'are' : 'is'} on the waiting list for:` },
        details,
        { text: 'If a space comes up, we will book it for you automatically and email you the joining link.' },
        manage,
        signOff,
      ])
    case 'place-offered':
      return render(`A space came up: ${d.activity.title} – ${d.reference}`, [
        hello,
        { text: `Good news: a space came up, and ${names(d.confirmedNames)} now ${d.confirmedNames.length > 1 ? 'have places' : 'has a place'} at:` },
        details,
        ...join,
        manage,
        cancelAsk,
        signOff,
      ])
    case 'cancellation':
      return render(`Cancelled: ${d.activity.title} – ${d.reference}`, [
        hello,
        { text: `We have cancelled the ${d.cancelledNames.length > 1 ? 'places' : 'place'} for ${names(d.cancelledNames)} at:` },
        details,
        ...(d.confirmedNames.length
          ? [{ text: `${names(d.confirmedNames)} still ${d.confirmedNames.length > 1 ? 'have places' : 'has a place'}.` }, ...join, manage]
          : [{ text: 'You have no places left on this session. Your calendar will remove it.' }, { link: d.activityUrl, label: 'See the session' }]),
        signOff,
      ])
    case 'reminder':
      return render(`Reminder: ${d.activity.title} is tomorrow`, [
        hello,
        { text: `A reminder that ${names(d.confirmedNames)} ${d.confirmedNames.length > 1 ? 'have places' : 'has a place'} at:` },
        details,
        ...join,
        manage,
        cancelAsk,
        signOff,
      ])
    case 'activity-changed':
      return render(`Changed: ${d.activity.title} – ${d.reference}`, [
        hello,
        { text: 'The session you booked has changed. Here are the new details:' },
        details,
        ...join,
        { text: 'The calendar invite attached to this email replaces the old one.' },
        manage,
        cancelAsk,
        signOff,
      ])
    case 'activity-cancelled':
      return render(`Cancelled by the team: ${d.activity.title}`, [
        hello,
        { text: 'We are sorry: we have had to cancel this session.' },
        details,
        ...(d.reason ? [{ text: `Why: ${d.reason}` }] : []),
        { text: 'You do not need to do anything. Your calendar will remove it.' },
        { link: d.activityUrl.replace(/\/activities\/\d+$/, '/'), label: 'See other activities you can book' },
        signOff,
      ])
  }
}
