// The words of every booking email, in plain text and simple HTML. Plain English, GOV.UK style.
import type { Activity } from '../../db/schema'
import { formatLondonDate, formatLondonTime, formatLondonTimeRange } from '../time/london-time'
import { whenTheLinkIsSent } from './joining-link-wording'

export type BookingEmailKind =
  | 'confirmation'
  | 'waitlisted'
  | 'place-offered'
  | 'cancellation'
  | 'reminder'
  /** the second reminder, on the day (second_reminder_hours before the start) */
  | 'reminder-today'
  | 'activity-changed'
  | 'activity-cancelled'
  /** a booking by a family whose address is not yet confirmed: places held, a link to confirm */
  | 'held'
  /** a new family's first booking, confirmed address, waiting for staff to approve it */
  | 'awaiting-approval'

/**
 * Who sends every email and how to reach them (the admin's organisation settings), for its footer.
 * Passed in by the domain, which reads the settings: this layer reads nothing.
 */
export interface EmailOrganisation {
  organisationName: string
  contactEmail: string
  /** as people read it, e.g. "03000 41 41 41" */
  contactPhone: string
  /** the same number as a tel: link */
  contactPhoneHref: string
}

export interface BookingEmailData {
  contactName: string
  reference: string
  activity: Pick<Activity, 'title' | 'starts_at' | 'ends_at' | 'location_type' | 'venue'> &
    Partial<Pick<Activity, 'description' | 'what_to_bring'>>
  confirmedNames: string[]
  waitlistedNames: string[]
  cancelledNames: string[]
  /** only for a live confirmed place */
  joinUrl: string | null
  manageUrl: string
  activityUrl: string
  reason: string | null
  /** a young person booked for themselves: speak to them as "you" */
  selfBooked?: boolean
  organisation: EmailOrganisation
  /** 'held': the link that confirms the address and the places */
  confirmUrl?: string | null
  /** 'held': the team approves a new family's first booking, so the link may wait for that too */
  approvalFollows?: boolean
  /** 'held': the held and waiting-list children, and when the hold ends unless confirmed */
  heldNames?: string[]
  holdExpiresAt?: string | null
  /** reminders: "Can't come? Release your place", a page with one button (no sign-in) */
  releaseUrl?: string | null
}

export interface EmailContent {
  subject: string
  text: string
  html: string
}

export function names(list: string[]): string {
  if (list.length <= 1) return list[0] ?? ''
  return `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

export type Block = { text: string } | { link: string; label: string } | { heading: string }

function footerText(o: EmailOrganisation): string {
  return `--\n${o.organisationName}\nEmail: ${o.contactEmail}\nPhone: ${o.contactPhone}`
}

function footerHtml(o: EmailOrganisation): string {
  return [
    '<footer style="max-width: 640px; margin: 0 auto; padding: 16px; border-top: 1px solid #b1b4b6; font-size: 16px">',
    `<p style="margin: 0 0 8px">${escapeHtml(o.organisationName)}</p>`,
    `<p style="margin: 0 0 8px">Email: <a href="mailto:${escapeHtml(o.contactEmail)}" style="color: #1d70b8">${escapeHtml(o.contactEmail)}</a></p>`,
    `<p style="margin: 0">Phone: <a href="${escapeHtml(o.contactPhoneHref)}" style="color: #1d70b8">${escapeHtml(o.contactPhone)}</a></p>`,
    '</footer>',
  ].join('\n')
}

/**
 * A whole HTML document a phone lays out at its own width: the viewport meta (without it a phone's
 * browser lays the page out about 980 pixels wide), one fluid column up to 640 pixels, and long
 * links and words wrapped rather than widening the page. Inline styles, as mail programs drop <style>.
 */
export function render(subject: string, blocks: Block[], organisation: EmailOrganisation): EmailContent {
  const text = blocks
    .map((b) =>
      'heading' in b
        ? `${b.heading}\n${'-'.repeat(b.heading.length)}`
        : 'link' in b
          ? `${b.label}:\n${b.link}`
          : b.text,
    )
    .concat(footerText(organisation))
    .join('\n\n')
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body style="margin: 0; padding: 0; font-family: arial, sans-serif; font-size: 19px; line-height: 1.4; color: #0b0c0c; background: #ffffff; overflow-wrap: break-word; word-wrap: break-word">',
    '<main style="display: block; max-width: 640px; margin: 0 auto; padding: 16px">',
    ...blocks.map((b) =>
      'heading' in b
        ? `<h2 style="font-size: 24px">${escapeHtml(b.heading)}</h2>`
        : 'link' in b
          ? `<p><a href="${escapeHtml(b.link)}" style="color: #1d70b8">${escapeHtml(b.label)}</a></p>`
          : `<p>${escapeHtml(b.text).replace(/\n/g, '<br>')}</p>`,
    ),
    '</main>',
    footerHtml(organisation),
    '</body>',
    '</html>',
  ].join('\n')
  return { subject, text, html }
}

/** "Ava and Leo have places" for a parent; "You have a place" for a young person. */
function havePlaces(list: string[], selfBooked: boolean | undefined): string {
  if (selfBooked) return 'you have a place'
  return `${names(list)} ${list.length > 1 ? 'have places' : 'has a place'}`
}

function capitaliseFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

export function bookingEmail(kind: BookingEmailKind, d: BookingEmailData): EmailContent {
  const when = `${formatLondonDate(d.activity.starts_at)}, ${formatLondonTimeRange(d.activity.starts_at, d.activity.ends_at)} (UK time)`
  const where = d.activity.location_type === 'online' ? 'Online on Microsoft Teams' : (d.activity.venue ?? '')
  const hello: Block = { text: d.selfBooked ? `Hi ${d.contactName},` : `Dear ${d.contactName || 'parent or carer'},` }
  const details: Block = { text: `${d.activity.title}\n${when}\n${where}\nBooking reference: ${d.reference}` }
  // What the session is and what to have ready: in every email that asks them to come.
  const about: Block[] = [
    ...(d.activity.description ? [{ heading: 'About the session' }, { text: d.activity.description }] : []),
    ...(d.activity.what_to_bring ? [{ text: `What to bring: ${d.activity.what_to_bring}` }] : []),
  ]
  const join: Block[] = d.joinUrl
    ? [
        { heading: 'Joining the session' },
        { link: d.joinUrl, label: 'Join on Microsoft Teams' },
        {
          text: d.selfBooked
            ? 'Please do not share this link. It is only for you.'
            : 'Please do not share this link. It is only for the children booked.',
        },
      ]
    : []
  const manage: Block = { link: d.manageUrl, label: 'See or cancel your booking' }
  const cancelAsk: Block = {
    text: d.selfBooked
      ? 'If you cannot come, please cancel your place so another young person can come.'
      : 'If you cannot come, please cancel so another child can have the space.',
  }
  const signOff: Block = { text: d.organisation.organisationName }
  const o = d.organisation

  switch (kind) {
    case 'confirmation':
      return render(
        `Booking confirmed: ${d.activity.title} – ${d.reference}`,
        [
          hello,
          { text: `${capitaliseFirst(havePlaces(d.confirmedNames, d.selfBooked))} at:` },
          details,
          ...about,
          ...(d.waitlistedNames.length
            ? [
                {
                  text: `${names(d.waitlistedNames)} ${d.waitlistedNames.length > 1 ? 'are' : 'is'} on the waiting list. We will email you if a space comes up.`,
                },
              ]
            : []),
          ...join,
          { text: 'The calendar invite attached to this email has the link too.' },
          manage,
          cancelAsk,
          signOff,
        ],
        o,
      )
    case 'waitlisted':
      return render(
        `On the waiting list: ${d.activity.title} – ${d.reference}`,
        [
          hello,
          {
            text: `The session is full, so ${d.selfBooked ? 'you are' : `${names(d.waitlistedNames)} ${d.waitlistedNames.length > 1 ? 'are' : 'is'}`} on the waiting list for:`,
          },
          details,
          {
            text: 'If a space comes up, we will book it for you automatically and email you the joining link. Close to the start, we email everyone waiting instead, and the first to claim the space gets it.',
          },
          manage,
          signOff,
        ],
        o,
      )
    case 'place-offered':
      return render(
        `A space came up: ${d.activity.title} – ${d.reference}`,
        [
          hello,
          {
            text: `Good news: a space came up, and ${havePlaces(d.confirmedNames, d.selfBooked).replace(/ (have|has) /, ' now $1 ')} at:`,
          },
          details,
          ...about,
          ...join,
          manage,
          cancelAsk,
          signOff,
        ],
        o,
      )
    case 'cancellation':
      return render(
        `Cancelled: ${d.activity.title} – ${d.reference}`,
        [
          hello,
          {
            text: `We have cancelled the ${d.cancelledNames.length > 1 ? 'places' : 'place'} for ${names(d.cancelledNames)} at:`,
          },
          details,
          ...(d.confirmedNames.length
            ? [
                {
                  text: `${names(d.confirmedNames)} still ${d.confirmedNames.length > 1 ? 'have places' : 'has a place'}.`,
                },
                ...join,
                manage,
              ]
            : [
                { text: 'You have no places left on this session. Your calendar will remove it.' },
                { link: d.activityUrl, label: 'See the session' },
              ]),
          signOff,
        ],
        o,
      )
    case 'reminder':
    case 'reminder-today':
      return render(
        kind === 'reminder'
          ? `Reminder: ${d.activity.title} is tomorrow`
          : `Today: ${d.activity.title} at ${formatLondonTime(d.activity.starts_at)}`,
        [
          hello,
          {
            text:
              kind === 'reminder'
                ? `A reminder that ${havePlaces(d.confirmedNames, d.selfBooked)} at:`
                : `A reminder that ${havePlaces(d.confirmedNames, d.selfBooked)} today at:`,
          },
          details,
          ...about,
          ...join,
          ...(d.releaseUrl
            ? [
                { heading: 'Can’t come?' },
                {
                  text: d.selfBooked
                    ? 'Release your place so someone on the waiting list can have it. It takes one button, and you do not need to sign in.'
                    : d.confirmedNames.length > 1
                      ? 'Release the place of any child who cannot come, so a child on the waiting list can have it. It takes one button, and you do not need to sign in.'
                      : 'Release your place so a child on the waiting list can have it. It takes one button, and you do not need to sign in.',
                },
                { link: d.releaseUrl, label: d.confirmedNames.length > 1 ? 'Release places' : 'Release your place' },
              ]
            : [cancelAsk]),
          manage,
          signOff,
        ],
        o,
      )
    case 'activity-changed':
      return render(
        `Changed: ${d.activity.title} – ${d.reference}`,
        [
          hello,
          { text: 'The session you booked has changed. Here are the new details:' },
          details,
          ...about,
          ...join,
          { text: 'The calendar invite attached to this email replaces the old one.' },
          manage,
          cancelAsk,
          signOff,
        ],
        o,
      )
    case 'held': {
      const held = d.heldNames ?? []
      const until = d.holdExpiresAt
        ? `${formatLondonDate(d.holdExpiresAt)} at ${formatLondonTime(d.holdExpiresAt)} (UK time)`
        : 'the booking closes'
      return render(
        `Confirm your booking: ${d.activity.title} – ${d.reference}`,
        [
          hello,
          {
            text: held.length
              ? `We are holding ${held.length > 1 ? 'places' : 'a place'} for ${names(held)}${d.waitlistedNames.length ? `, and ${names(d.waitlistedNames)} ${d.waitlistedNames.length > 1 ? 'are' : 'is'} on the waiting list,` : ''} at:`
              : `${names(d.waitlistedNames)} ${d.waitlistedNames.length > 1 ? 'are' : 'is'} on the waiting list for:`,
          },
          details,
          { heading: 'Confirm your email address' },
          {
            text: held.length
              ? `To keep ${held.length + d.waitlistedNames.length > 1 ? 'these places' : 'this place'}, confirm your email address by ${until}. ${whenTheLinkIsSent(d.approvalFollows)}`
              : `To stay on the waiting list, confirm your email address by ${until}. Until then no space can be given to ${d.waitlistedNames.length > 1 ? 'them' : names(d.waitlistedNames)}.`,
          },
          ...(d.confirmUrl ? [{ link: d.confirmUrl, label: 'Confirm your booking' }] : []),
          {
            text: `If you did not ask for this booking, you do not need to do anything: ${
              !held.length
                ? `${names(d.waitlistedNames)} will be taken off the waiting list`
                : held.length + d.waitlistedNames.length > 1
                  ? 'the places will be released'
                  : 'the place will be released'
            } and no one will be booked.`,
          },
          signOff,
        ],
        o,
      )
    }
    case 'awaiting-approval':
      return render(
        `Booking received: ${d.activity.title} – ${d.reference}`,
        [
          hello,
          { text: 'Thank you for confirming your email address. We are holding your places at:' },
          details,
          {
            text: 'As this is your first booking with us, the team checks it before it is confirmed. We will email you as soon as they have, with the Teams joining link.',
          },
          manage,
          signOff,
        ],
        o,
      )
    case 'activity-cancelled':
      return render(
        `Cancelled by the team: ${d.activity.title}`,
        [
          hello,
          { text: 'We are sorry: we have had to cancel this session.' },
          details,
          ...(d.reason ? [{ text: `Why: ${d.reason}` }] : []),
          { text: 'You do not need to do anything. Your calendar will remove it.' },
          { link: d.activityUrl.replace(/\/activities\/\d+$/, '/'), label: 'See other activities you can book' },
          signOff,
        ],
        o,
      )
  }
}

export type MemberEmailKind =
  'member-welcome' | 'member-link' | 'member-pending' | 'consent-request' | 'consent-declined' | 'consent-declined-team'

export interface MemberEmailData {
  firstName: string
  /** their age today: the parent's request and the team's notice say it */
  age?: number
  /** the young person's own link; never in a pending member's email */
  memberUrl: string | null
  meetingTitle: string | null
  consentUrl?: string
  organisation: EmailOrganisation
}

/**
 * Emails to young people (and, for consent, their parent or carer): short and plain, in words a
 * 12-year-old reads easily. The team's notice of a "no" goes to the team's own address.
 */
export function memberEmail(kind: MemberEmailKind, d: MemberEmailData): EmailContent {
  const o = d.organisation
  const signOff: Block = { text: `The Adoptables team (${o.organisationName})` }
  const link: Block[] = d.memberUrl ? [{ link: d.memberUrl, label: 'Your Adoptables page' }] : []
  const aged = d.age === undefined ? '' : ` (${d.age})`
  switch (kind) {
    case 'member-welcome':
      return render(
        'Welcome to Adoptables',
        [
          { text: `Hi ${d.firstName},` },
          {
            text: 'You are now an Adoptables member. From your page you can book meetings in one click and get the joining links.',
          },
          ...link,
          {
            text: 'Keep this email: the link is just for you. If you lose it, fill in the form again and we will send a new one.',
          },
          signOff,
        ],
        o,
      )
    case 'member-link':
      return render(
        'Your Adoptables link',
        [
          { text: `Hi ${d.firstName},` },
          {
            text: 'Someone (probably you) asked to join Adoptables with this email address. You are already a member, so here is your link again. Your old link no longer works.',
          },
          ...link,
          { text: 'If this was not you, you do not need to do anything.' },
          signOff,
        ],
        o,
      )
    case 'member-pending':
      return render(
        'Adoptables: we have asked your parent or carer',
        [
          { text: `Hi ${d.firstName},` },
          {
            text: 'Thanks for signing up. Because you are under 13, we have emailed your parent or carer to ask if it is OK for you to join.',
          },
          { text: 'When they say yes, we will email you your link to book meetings and join them.' },
          signOff,
        ],
        o,
      )
    case 'consent-request':
      return render(
        `Can ${d.firstName} join Adoptables?`,
        [
          { text: 'Hello,' },
          {
            text: `${d.firstName}${aged} has asked to join Adoptables, a group where adopted young people aged 12 to 18 meet online on Microsoft Teams to share their views and help improve adoption services. Meetings are run by ${o.organisationName}.`,
          },
          {
            text: 'Because they are under 13, we need a parent or carer to say yes before they can join meetings. Use this link to read more and answer yes or no:',
          },
          ...(d.consentUrl ? [{ link: d.consentUrl, label: `Answer: can ${d.firstName} join Adoptables?` }] : []),
          { text: 'Nothing happens until you answer on that page.' },
          signOff,
        ],
        o,
      )
    case 'consent-declined':
      return render(
        'Adoptables: not this time',
        [
          { text: `Hi ${d.firstName},` },
          { text: 'Thank you for wanting to join Adoptables. It was really good to hear from you.' },
          {
            text: 'Your parent or carer has said no for now, so you will not be joining the meetings this time. You have not done anything wrong.',
          },
          {
            text: 'You can talk to them about it. If things change, you can sign up again, or when you are 13 you can sign up on your own.',
          },
          { text: `If you want to talk to us, email ${o.contactEmail}.` },
          signOff,
        ],
        o,
      )
    case 'consent-declined-team':
      return render(
        `Adoptables sign-up closed: a parent or carer said no for ${d.firstName}`,
        [
          {
            text: `A parent or carer answered no to ${d.firstName}${aged} joining Adoptables, so the sign-up is closed: it cannot book meetings, and no link was sent.`,
          },
          {
            text: `We have emailed ${d.firstName} to tell them. They can sign up again later, which asks their parent or carer again.`,
          },
        ],
        o,
      )
  }
}

// ---- staff accounts: invitations and password resets ----

export type StaffAccountEmailKind = 'staff-invite' | 'staff-password-reset'

export interface StaffAccountEmailData {
  name: string
  serviceName: string
  setPasswordUrl: string
  /** e.g. "7 days": how long the link works */
  validFor: string
  organisation: EmailOrganisation
}

/** The set-password link for a new member of staff, or a reset for an existing one. */
export function staffAccountEmail(kind: StaffAccountEmailKind, d: StaffAccountEmailData): EmailContent {
  const ignore: Block = {
    text: 'If you were not expecting this email, you do not need to do anything: nothing changes until the link is used.',
  }
  switch (kind) {
    case 'staff-invite':
      return render(
        `You have been invited to ${d.serviceName}`,
        [
          { text: `Hello ${d.name},` },
          { text: `You have been given a staff account on ${d.serviceName}. To start using it, create your password:` },
          { link: d.setPasswordUrl, label: 'Create your password' },
          {
            text: `The link works once and for ${d.validFor}. If it has expired, ask an administrator to send a new one.`,
          },
          ignore,
        ],
        d.organisation,
      )
    case 'staff-password-reset':
      return render(
        `Reset your ${d.serviceName} password`,
        [
          { text: `Hello ${d.name},` },
          { text: `An administrator asked for your ${d.serviceName} password to be reset. Choose a new password:` },
          { link: d.setPasswordUrl, label: 'Choose a new password' },
          {
            text: `The link works once and for ${d.validFor}. Your current password keeps working until you choose a new one.`,
          },
          ignore,
        ],
        d.organisation,
      )
  }
}

// ---- session messages: what staff send to a session's families ----

export interface SessionMessageEmailData {
  audience: 'confirmed' | 'waitlisted'
  subject: string
  body: string
  contactName: string
  selfBooked: boolean
  /** the children (or young person) this family has on the session in this audience */
  names: string[]
  reference: string
  activity: Pick<Activity, 'title' | 'starts_at' | 'ends_at' | 'location_type' | 'venue' | 'status'>
  /** only for families with a place on a session going ahead; the waiting list never gets it */
  joinUrl: string | null
  organisation: EmailOrganisation
}

/** Staff's own words, framed with a greeting, which session and place it is about, and the reference. */
export function sessionMessageEmail(d: SessionMessageEmailData): EmailContent {
  const when = `${formatLondonDate(d.activity.starts_at)}, ${formatLondonTimeRange(d.activity.starts_at, d.activity.ends_at)} (UK time)`
  const where = d.activity.location_type === 'online' ? 'Online on Microsoft Teams' : (d.activity.venue ?? '')
  const who = d.selfBooked ? 'you' : names(d.names) || 'your child'
  const about =
    d.audience === 'confirmed'
      ? `You are getting this message because ${d.selfBooked ? 'you have a place' : `${who} ${d.names.length > 1 ? 'have places' : 'has a place'}`} at:`
      : `You are getting this message because ${d.selfBooked ? 'you are' : `${who} ${d.names.length > 1 ? 'are' : 'is'}`} on the waiting list for:`
  return render(
    d.subject,
    [
      { text: d.selfBooked ? `Hi ${d.contactName},` : `Dear ${d.contactName || 'parent or carer'},` },
      { text: d.body },
      { text: about },
      { text: `${d.activity.title}\n${when}\n${where}\nBooking reference: ${d.reference}` },
      ...(d.joinUrl
        ? [{ link: d.joinUrl, label: 'Join on Microsoft Teams' }, { text: 'Please do not share this link.' }]
        : d.audience === 'waitlisted' && d.activity.status !== 'cancelled'
          ? [{ text: 'If a space comes up, we will book it for you automatically and email you the joining link.' }]
          : []),
      { text: 'To see or cancel your booking, use the link in your booking confirmation email.' },
      { text: d.organisation.organisationName },
    ],
    d.organisation,
  )
}

// ---- feedback requests and the mailing list ----

export interface FeedbackRequestEmailData {
  contactName: string
  activity: Pick<Activity, 'title' | 'starts_at'>
  /** first names of the confirmed places */
  names: string[]
  /** a young person booked for themselves: ask them, not a parent */
  selfBooked: boolean
  feedbackUrl: string
  /** the last day the link works, e.g. "Friday 25 December 2026" */
  validUntil: string
  organisation: EmailOrganisation
}

/** The day after a session: one link for the whole booking, a question per place on the page. */
export function feedbackRequestEmail(d: FeedbackRequestEmailData): EmailContent {
  const who = d.selfBooked ? 'you' : names(d.names.filter(Boolean)) || 'your child'
  return render(
    `How was ${d.activity.title}?`,
    [
      { text: d.selfBooked ? `Hi ${d.contactName},` : `Dear ${d.contactName || 'parent or carer'},` },
      { text: `Thank you for coming to ${d.activity.title} on ${formatLondonDate(d.activity.starts_at)}.` },
      {
        text: d.selfBooked
          ? 'We would like to know what you thought of it. It takes a minute: choose a face, and add a comment if you like.'
          : `We would like to know what ${who} thought of it. It takes a minute: choose a face for each child, and add a comment if you like.`,
      },
      { link: d.feedbackUrl, label: 'Tell us how it went' },
      { text: `You do not need to sign in. The link works until ${d.validUntil}.` },
      { text: d.organisation.organisationName },
    ],
    d.organisation,
  )
}

export interface MailingListConfirmEmailData {
  firstName: string | null
  confirmUrl: string
  /** e.g. "7 days" */
  validFor: string
  organisation: EmailOrganisation
}

/** Double opt-in: nobody is on the list until they use this link. */
export function mailingListConfirmEmail(d: MailingListConfirmEmailData): EmailContent {
  return render(
    'Confirm you want to join our mailing list',
    [
      { text: d.firstName ? `Hello ${d.firstName},` : 'Hello,' },
      {
        text: 'Someone, probably you, asked for this email address to join our mailing list: news of new activities for adopted children and of Adoptables meetings for young people, about once a month.',
      },
      { text: 'To join, use this link and press the button on the page:' },
      { link: d.confirmUrl, label: 'Yes, add me to the mailing list' },
      {
        text: `The link works for ${d.validFor}. If you do not want to join, you do not need to do anything: we will not add you.`,
      },
      { text: d.organisation.organisationName },
    ],
    d.organisation,
  )
}

/** Added by the outbox worker to every email it sends to a current subscriber. */
export function mailingListFooter(unsubscribeUrl: string): { text: string; html: string } {
  const words =
    'You are on our mailing list. You can leave it at any time; you will still get emails about any bookings you make.'
  return {
    text: `\n\n--\n${words}\nLeave the mailing list:\n${unsubscribeUrl}\n`,
    html: `<hr style="border: 0; border-top: 1px solid #b1b4b6">\n<p style="font-size: 16px">${escapeHtml(words)} <a href="${escapeHtml(unsubscribeUrl)}" style="color: #1d70b8">Leave the mailing list</a></p>\n`,
  }
}

// ---- feedback on the service (the beta banner's link) ----

export interface ServiceFeedbackEmailData {
  serviceName: string
  feedback: string
  /** the address the person gave for a reply, or null */
  replyTo: string | null
  /** when it was sent, as London time words, e.g. "Tuesday 1 December 2026 at 2:05pm" */
  sentAt: string
  organisation: EmailOrganisation
}

/** To the team's own address: what someone wrote on the feedback page, as they wrote it. */
export function serviceFeedbackEmail(d: ServiceFeedbackEmailData): EmailContent {
  return render(
    `Feedback on ${d.serviceName}`,
    [
      { text: `Someone sent feedback on ${d.serviceName} on ${d.sentAt}:` },
      { text: d.feedback },
      {
        text: d.replyTo ? `Reply to: ${d.replyTo}` : 'They did not give an email address, so you cannot reply to them.',
      },
    ],
    d.organisation,
  )
}
