// Every kind of email, as a phone shows it: the HTML part opened in Chromium at 375 pixels wide
// must be a whole document in English that fits the screen, says who sent it and how to reach
// them, and has nothing axe can find.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bookingEmail,
  feedbackRequestEmail,
  mailingListConfirmEmail,
  mailingListFooter,
  memberEmail,
  serviceFeedbackEmail,
  sessionMessageEmail,
  staffAccountEmail,
  type BookingEmailKind,
  type EmailContent,
  type EmailOrganisation,
  type MemberEmailKind,
} from '../../app/email/templates.server'
import { familyAccountDeletedEmail, familySignInEmail } from '../../app/email/family-templates.server'
import { familyDeclinedEmail } from '../../app/email/approval-templates.server'
import { concernRecordedEmail } from '../../app/email/concern-templates.server'
import { holdReleasedEmail, seriesHoldReleasedEmail } from '../../app/email/hold-templates.server'
import { placeOfferEmail } from '../../app/email/offer-templates.server'
import {
  seriesBookedEmail,
  seriesChangedEmail,
  type SeriesBookedKind,
  type SeriesEmailDate,
} from '../../app/email/series-templates.server'
import { formatViolations, checkAccessibility, launchBrowser } from '../support/browser'

const organisation: EmailOrganisation = {
  organisationName: 'Medway Young People’s Participation Team',
  contactEmail: 'participation@medway.example.org',
  contactPhone: '01634 306000',
  contactPhoneHref: 'tel:01634306000',
}

// A long unbroken address and title, as real ones are: they must wrap, not widen the page.
const LONG_URL = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${'N2Q4YzE5ZDEtMmE3'.repeat(8)}%40thread.v2/0`
const activity = {
  title: 'Slime science: make slime that glows in the dark',
  description: 'Make slime that glows, with things from the kitchen cupboard.',
  what_to_bring: 'PVA glue, a bowl, a spoon and an old T-shirt',
  starts_at: '2026-12-15T16:00:00.000Z',
  ends_at: '2026-12-15T17:00:00.000Z',
  location_type: 'online' as const,
  venue: null,
  status: 'published' as const,
}

const bookingKinds: BookingEmailKind[] = [
  'confirmation',
  'waitlisted',
  'place-offered',
  'cancellation',
  'reminder',
  'activity-changed',
  'activity-cancelled',
]
const memberKinds: MemberEmailKind[] = [
  'member-welcome',
  'member-link',
  'member-pending',
  'consent-request',
  'consent-declined',
]

function emails(): Array<{ name: string; email: EmailContent }> {
  const booking = (kind: BookingEmailKind, selfBooked: boolean) =>
    bookingEmail(kind, {
      contactName: selfBooked ? 'Robin' : 'Sam Taylor',
      reference: 'JN-7KQ2M',
      activity,
      confirmedNames: selfBooked ? ['Robin'] : ['Ava', 'Leo'],
      waitlistedNames: kind === 'waitlisted' ? ['Mia'] : [],
      cancelledNames: kind === 'cancellation' ? ['Leo'] : [],
      joinUrl: LONG_URL,
      manageUrl: `https://join-in.example.org/bookings/JN-7KQ2M?token=${'a'.repeat(43)}`,
      activityUrl: 'https://join-in.example.org/activities/12',
      reason: 'The presenter is ill.',
      selfBooked,
      organisation,
    })
  // A series' dates as its emails list them: a long joining link on each confirmed one.
  const seriesDates: SeriesEmailDate[] = [0, 7, 14].map((days, i) => ({
    startsAt: new Date(Date.parse(activity.starts_at) + days * 86_400_000).toISOString(),
    endsAt: new Date(Date.parse(activity.ends_at) + days * 86_400_000).toISOString(),
    outcomes: i === 2 ? ['Ava has a place.', 'Leo is on the waiting list.'] : ['Ava and Leo have places.'],
    joinUrl: LONG_URL,
    manageUrl: `https://join-in.example.org/bookings/JN-7KQ2${i}?token=${'a'.repeat(43)}`,
  }))
  const seriesKinds: SeriesBookedKind[] = [
    'series-booked',
    'series-held',
    'series-awaiting-approval',
    'series-places-offered',
  ]
  return [
    ...seriesKinds.map((kind) => ({
      name: kind,
      email: seriesBookedEmail(kind, {
        contactName: 'Sam Taylor',
        title: activity.title,
        where: 'online on Microsoft Teams',
        description: activity.description,
        whatToBring: activity.what_to_bring,
        dates: seriesDates,
        confirmUrl: `https://join-in.example.org/family/confirm/${'a'.repeat(43)}`,
        holdExpiresAt: '2026-12-02T16:00:00.000Z',
        bookingsUrl: 'https://join-in.example.org/family/bookings',
        organisation,
      }),
    })),
    ...(['series-cancelled', 'series-moved'] as const).map((kind) => ({
      name: kind,
      email: seriesChangedEmail(kind, {
        contactName: 'Sam Taylor',
        title: activity.title,
        dates: seriesDates,
        reason: 'The presenter is ill.',
        bookingsUrl: 'https://join-in.example.org/family/bookings',
        organisation,
      }),
    })),
    {
      name: 'hold released',
      email: holdReleasedEmail({
        contactName: 'Sam Taylor',
        reference: 'JN-7KQ2M',
        activity,
        heldNames: ['Ava'],
        waitingNames: ['Leo'],
        reason: 'address',
        bookingOpen: true,
        activityUrl: 'https://join-in.example.org/activities/12',
        activitiesUrl: 'https://join-in.example.org/activities',
        organisation,
      }),
    },
    {
      name: 'series hold released',
      email: seriesHoldReleasedEmail({
        contactName: 'Sam Taylor',
        title: activity.title,
        dates: seriesDates.map((d, i) => ({
          reference: `JN-7KQ2${i}`,
          activity: { starts_at: d.startsAt, ends_at: d.endsAt },
          heldNames: ['Ava'],
          waitingNames: [],
        })),
        reason: 'approval',
        bookingOpen: true,
        seriesUrl: 'https://join-in.example.org/series/3',
        activitiesUrl: 'https://join-in.example.org/activities',
        organisation,
      }),
    },
    {
      name: 'place offer',
      email: placeOfferEmail({
        contactName: 'Sam Taylor',
        reference: 'JN-7KQ2M',
        activity,
        waitingNames: ['Ava', 'Leo'],
        claimUrl: `https://join-in.example.org/offers/${'a'.repeat(43)}`,
        endsAt: '2026-12-15T12:00:00.000Z',
        organisation,
      }),
    },
    {
      name: 'safeguarding concern recorded',
      email: concernRecordedEmail({
        name: 'Jo Lead',
        serviceName: 'Join In',
        signInUrl: 'https://join-in.example.org/staff/sign-in?redirectTo=%2Fstaff%2Fconcerns%2F4',
        organisation,
      }),
    },
    ...bookingKinds.map((kind) => ({ name: `${kind} (parent)`, email: booking(kind, false) })),
    ...bookingKinds.map((kind) => ({ name: `${kind} (young person)`, email: booking(kind, true) })),
    ...memberKinds.map((kind) => ({
      name: kind,
      email: memberEmail(kind, {
        firstName: 'Robin',
        age: 12,
        memberUrl: 'https://join-in.example.org/adoptables/members/4?token=abc',
        meetingTitle: 'Adoptables: what should change',
        consentUrl: 'https://join-in.example.org/adoptables/consent?token=abc',
        organisation,
      }),
    })),
    {
      name: 'staff-invite',
      email: staffAccountEmail('staff-invite', {
        name: 'Jo',
        serviceName: 'Join In',
        setPasswordUrl: 'https://join-in.example.org/staff/set-password?token=abc',
        validFor: '7 days',
        organisation,
      }),
    },
    {
      name: 'staff-password-reset',
      email: staffAccountEmail('staff-password-reset', {
        name: 'Jo',
        serviceName: 'Join In',
        setPasswordUrl: 'https://join-in.example.org/staff/set-password?token=abc',
        validFor: '24 hours',
        organisation,
      }),
    },
    {
      name: 'session message',
      email: sessionMessageEmail({
        audience: 'confirmed',
        subject: 'Bring a torch',
        body: `Please bring a torch.\nSee ${LONG_URL}`,
        contactName: 'Sam Taylor',
        selfBooked: false,
        names: ['Ava'],
        reference: 'JN-7KQ2M',
        activity,
        joinUrl: LONG_URL,
        organisation,
      }),
    },
    {
      name: 'feedback request',
      email: feedbackRequestEmail({
        contactName: 'Sam Taylor',
        activity,
        names: ['Ava'],
        selfBooked: false,
        feedbackUrl: 'https://join-in.example.org/feedback/abc',
        validUntil: 'Friday 25 December 2026',
        organisation,
      }),
    },
    {
      name: 'mailing list confirm (with the subscriber footer)',
      email: (() => {
        const email = mailingListConfirmEmail({
          firstName: 'Sam',
          confirmUrl: 'https://join-in.example.org/mailing-list/confirm?token=abc',
          validFor: '7 days',
          organisation,
        })
        const footer = mailingListFooter('https://join-in.example.org/mailing-list/unsubscribe?token=abc')
        return { ...email, html: email.html.replace('</body>', `${footer.html}</body>`) }
      })(),
    },
    {
      name: 'service feedback',
      email: serviceFeedbackEmail({
        serviceName: 'Join In',
        feedback: `The page at ${LONG_URL} did not load`,
        replyTo: 'sam@example.org',
        sentAt: 'Tuesday 1 December 2026 at 2:05pm',
        organisation,
      }),
    },
    {
      name: 'family sign-in link',
      email: familySignInEmail({
        signInUrl: `https://join-in.example.org/family/sign-in/${'a'.repeat(43)}?redirectTo=%2Ffamily`,
        validFor: '30 minutes',
        organisation,
      }),
    },
    {
      name: 'family account deleted',
      email: familyAccountDeletedEmail({
        cancelledSessions: [`${activity.title}, Tuesday 15 December 2026`, 'Dance party, Friday 18 December 2026'],
        organisation,
      }),
    },
    {
      name: 'family declined',
      email: familyDeclinedEmail({
        contactName: 'Pat Parent',
        reference: 'JN-ABCDE',
        activity,
        names: ['Ava', 'Leo'],
        reason: `We could not confirm your family’s details. See ${LONG_URL}`,
        homeUrl: 'https://join-in.example.org/',
        organisation,
      }),
    },
  ]
}

describe('emails on a phone', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('lays out every kind of email at 375 pixels, in English, with the organisation’s contact details and nothing axe finds', async () => {
    // isMobile: a phone's browser lays a page out 980 pixels wide unless its viewport meta says otherwise
    const context = await browser.newContext({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    })
    const page = await context.newPage()
    const problems: string[] = []
    for (const { name, email } of emails()) {
      expect(email.html, name).toMatch(/^<!doctype html>/i)
      await page.setContent(email.html)
      const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        lang: document.documentElement.getAttribute('lang'),
        charset: document.querySelector('meta[charset]')?.getAttribute('charset') ?? null,
        viewport: document.querySelector('meta[name="viewport"]')?.getAttribute('content') ?? null,
        title: document.title,
        footer: document.querySelector('footer')?.textContent?.replace(/\s+/g, ' ') ?? '',
        mailto: document.querySelector('footer a[href^="mailto:"]')?.getAttribute('href') ?? null,
        tel: document.querySelector('footer a[href^="tel:"]')?.getAttribute('href') ?? null,
      }))
      expect(layout.scrollWidth, `${name} scrolls sideways`).toBeLessThanOrEqual(375)
      expect(layout.lang, name).toBe('en')
      expect(layout.charset?.toLowerCase(), name).toBe('utf-8')
      expect(layout.viewport, name).toBe('width=device-width, initial-scale=1')
      expect(layout.title, name).toBe(email.subject)
      expect(layout.footer, name).toContain('Medway Young People’s Participation Team')
      expect(layout.footer, name).toContain('participation@medway.example.org')
      expect(layout.footer, name).toContain('01634 306000')
      expect(layout.mailto, name).toBe('mailto:participation@medway.example.org')
      expect(layout.tel, name).toBe('tel:01634306000')
      // the plain-text part says the same
      expect(email.text, name).toContain('Medway Young People’s Participation Team')
      expect(email.text, name).toContain('participation@medway.example.org')
      expect(email.text, name).toContain('01634 306000')
      const violations = await checkAccessibility(page, { landmarks: false })
      if (violations.length) problems.push(`${name}\n${formatViolations(violations)}`)
    }
    expect(problems, problems.join('\n\n')).toEqual([])
    await context.close()
  })

  it('tells families what the session is and what to bring, and asks young people kindly to free a place', async () => {
    for (const kind of ['confirmation', 'reminder', 'place-offered', 'activity-changed'] as const) {
      const parent = emails().find((e) => e.name === `${kind} (parent)`)!.email
      expect(parent.text, kind).toContain('Make slime that glows, with things from the kitchen cupboard.')
      expect(parent.text, kind).toContain('What to bring: PVA glue, a bowl, a spoon and an old T-shirt')
      expect(parent.html, kind).toContain('PVA glue, a bowl, a spoon and an old T-shirt')
      const young = emails().find((e) => e.name === `${kind} (young person)`)!.email
      expect(young.text, kind).not.toContain('another child')
      expect(young.text, kind).toContain(
        'If you cannot come, please cancel your place so another young person can come.',
      )
    }
  })
})
