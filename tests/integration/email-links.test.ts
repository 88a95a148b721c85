// Every kind of email the service sends, received through a real SMTP server: every link in its
// HTML part, its text part and its calendar invite (read with ical.js) is followed through the
// real server, as the person it was sent to would, and must open a working page. Scheduled emails
// (reminders, feedback requests) are made by moving the jobs' clock, not by waiting.
import crypto from 'node:crypto'
import ICAL from 'ical.js'
import { simpleParser, type ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import { confirmAddress, dobForAge, postBooking, publishActivity } from '../support/booking'
import { createFamily, signInFamilyDirectly } from '../support/family'
import { bookForFamily } from '../support/family-bookings'
import { firstEvent, readCalendar } from '../support/calendar'
import { testClock } from '../support/clock'
import { inviteOf, startSmtp, type TestSmtp } from '../support/smtp'
import { activityForm, startTestService, type HttpClient, type TestService } from '../support/service'
import { waitFor } from '../support/wait'

const TEAMS = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_SECRET-LINK-123%40thread.v2/0'
const HOUR = 3_600_000

/** Every kind of email in the outbox, written out: a new kind fails this test until it is checked here. */
const EVERY_KIND = [
  'activity-cancelled',
  'activity-changed',
  'awaiting-approval',
  'cancellation',
  'concern-recorded',
  'confirmation',
  'consent-declined',
  'consent-declined-team',
  'consent-request',
  'family-account-deleted',
  'family-declined',
  'family-sign-in',
  'feedback-request',
  'held',
  'hold-released',
  'mailing-list-confirm',
  'member-link',
  'member-pending',
  'member-welcome',
  'place-offer',
  'place-offered',
  'reminder',
  'reminder-today',
  'series-awaiting-approval',
  'series-booked',
  'series-cancelled',
  'series-held',
  'series-moved',
  'series-places-offered',
  'service-feedback',
  'session-message',
  'staff-invite',
  'staff-password-reset',
  'waitlisted',
]

/** Page headings that mean the link did not work, whatever the status says. */
const BROKEN_HEADING = /could not find|does not work|has expired|already been used|not found|no longer/i

interface Checked {
  subject: string
  links: string[]
}

describe('every link in every email', () => {
  const clock = testClock()
  let smtp: TestSmtp
  let service: TestService
  let staff: HttpClient
  let admin: HttpClient
  /** message ids of the emails whose links were followed */
  const checked = new Map<string, Checked>()
  /** the origin every link to the service uses (the first one seen): links must not mix addresses */
  let origin: string | null = null
  const taken = new Set<number>()
  /** "subject to address" of each email one of whose links opened a page showing the joining link */
  const pagesShowingLink: string[] = []

  beforeAll(async () => {
    smtp = await startSmtp()
    service = await startTestService(
      { SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100', BOOKING_RATE_LIMIT: '1000' },
      { now: clock.now },
    )
    staff = await service.signedIn('staff')
    admin = await service.signedIn('admin')
  })
  afterAll(async () => {
    await service?.close()
    await smtp?.close()
  })

  /** The next email received for this address with this subject (each message is returned once). */
  async function mailFor(to: string, subject: RegExp): Promise<ParsedMail> {
    return waitFor(async () => {
      for (const [i, message] of smtp.received.entries()) {
        if (taken.has(i) || !message.to.includes(to)) continue
        const mail = await simpleParser(message.raw)
        if (subject.test(mail.subject ?? '')) {
          taken.add(i)
          return mail
        }
      }
      return null
    })
  }

  /** Every http(s) link in the email: the HTML's hrefs, the text's addresses, and the invite's URL and description. */
  async function linksOf(mail: ParsedMail): Promise<string[]> {
    const links = new Set<string>()
    const html = typeof mail.html === 'string' ? mail.html : ''
    expect(html, `"${mail.subject}" has an HTML part`).not.toBe('')
    expect(mail.text ?? '', `"${mail.subject}" has a text part`).not.toBe('')
    for (const [, href] of html.matchAll(/href="([^"]+)"/g)) {
      // the footer's mailto: and tel: links reach the team, not a page of the service
      if (/^(mailto|tel):/.test(href!)) continue
      links.add(
        href!
          .replace(/&amp;/g, '&')
          .replace(/&#39;/g, "'")
          .replace(/&quot;/g, '"'),
      )
    }
    for (const [link] of (mail.text ?? '').matchAll(/https?:\/\/[^\s<>"]+/g)) links.add(link)
    if (mail.attachments.some((a) => a.contentType.startsWith('text/calendar'))) {
      // A series email's invite holds one event per date: each event's links are followed.
      const { calendar } = await inviteOf(mail)
      const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c))
      expect(events.length, `the invite in "${mail.subject}" has an event`).toBeGreaterThan(0)
      for (const event of events) {
        const url = event.component.getFirstPropertyValue('url')
        expect(typeof url, `each event in the invite in "${mail.subject}" has a URL`).toBe('string')
        links.add(String(url))
        for (const [link] of (event.description ?? '').matchAll(/https?:\/\/[^\s<>"]+/g)) links.add(link)
      }
    }
    return [...links]
  }

  /**
   * Opens a link to the service as someone with no cookies would; it must be a working page. Soft
   * checks, so one run lists every dead link rather than the first.
   */
  async function follow(link: string, why: string): Promise<string> {
    const url = new URL(link)
    origin ??= url.origin
    expect(url.origin, `${why}: ${link} points at the service's address`).toBe(origin)
    let response = await service.client().get(url.pathname + url.search)
    // A page for a signed-in family (the series emails' "your bookings") sends a reader with no
    // cookies to sign in, as a browser would follow: that page must work. No other redirect counts
    // as working (it could hide a dead link behind the home page).
    if (response.status === 302 && url.pathname.startsWith('/family/')) {
      const next = new URL(response.headers.get('location') ?? '', url)
      expect(`${next.origin}${next.pathname}`, `${why}: ${link} redirects to sign in`).toBe(`${origin}/family/sign-in`)
      response = await service.client().get(next.pathname + next.search)
    }
    const body = await response.text()
    const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1]?.replace(/<[^>]+>/g, '') ?? ''
    expect.soft(response.status, `${why}: ${link} answered ${response.status} "${heading}"`).toBeGreaterThanOrEqual(200)
    expect.soft(response.status, `${why}: ${link} answered ${response.status} "${heading}"`).toBeLessThan(300)
    expect.soft(heading, `${why}: ${link}`).not.toMatch(BROKEN_HEADING)
    return body
  }

  /** Receives the email and follows every link in it; returns its links. */
  async function check(to: string, subject: RegExp): Promise<string[]> {
    const mail = await mailFor(to, subject)
    const links = await linksOf(mail)
    for (const link of links) {
      const why = `"${mail.subject}" to ${to}`
      if (new URL(link).host === 'teams.microsoft.com') {
        expect(link, why).toBe(TEAMS)
        continue
      }
      const page = await follow(link, why)
      if (page.includes('SECRET-LINK-123')) pagesShowingLink.push(why.replace(/ – JN-[A-Z0-9]{5}/, ''))
      // A manage page's "Add to calendar" file has a URL of its own to check.
      const invite = /href="(\/bookings\/JN-[A-Z0-9]{5}\/invite\.ics\?token=[^"]+)"/.exec(page)?.[1]
      if (invite) {
        const ics = await service.client().get(invite.replace(/&amp;/g, '&'))
        expect(ics.status, `${why}: the manage page's invite`).toBe(200)
        const url = firstEvent(readCalendar(await ics.text())).component.getFirstPropertyValue('url')
        expect(typeof url, `${why}: the manage page's invite has a URL`).toBe('string')
        await follow(String(url), `${why}, the manage page's invite`)
      }
    }
    checked.set(mail.messageId!, { subject: mail.subject ?? '', links })
    return links
  }

  /**
   * Books through the public form as a new or signed-out family: the places are held and the first
   * email asks to confirm the address. Its links are followed (the confirm link opens its button
   * page; it shows no joining link), then the parent confirms, as from the email.
   */
  async function bookByForm(
    activityId: number,
    children: Array<{ firstName: string; dob: string }>,
    overrides: Record<string, string> & { email: string },
    title: string,
    confirm = true,
  ): Promise<void> {
    const response = await postBooking(service.client(), activityId, children, overrides)
    expect(response.status).toBe(302)
    const heldLinks = await check(overrides.email, new RegExp(`^Confirm your booking: ${title} – JN-`))
    expect(heldLinks.some((l) => l.includes('/family/confirm/'))).toBe(true)
    expect(heldLinks.some((l) => l.includes('teams.microsoft.com'))).toBe(false)
    if (confirm) await confirmAddress(service.url, response)
  }

  function manageLinkIn(links: string[]): { path: string; token: string } {
    const link = links.find((l) => /\/bookings\/JN-[A-Z0-9]{5}\?token=/.test(l))
    if (!link) throw new Error(`no manage link in ${links.join(', ')}`)
    const url = new URL(link)
    return { path: url.pathname, token: url.searchParams.get('token')! }
  }

  async function startsAt(activityId: number): Promise<{ starts: Date; ends: Date }> {
    const row = await service.database.db
      .selectFrom('activity')
      .select(['starts_at', 'ends_at'])
      .where('id', '=', activityId)
      .executeTakeFirstOrThrow()
    return { starts: new Date(row.starts_at), ends: new Date(row.ends_at) }
  }

  it('opens a working page from every link in every kind of email, in both parts and in the invite', async () => {
    // Every session on one day, so the reminder and feedback jobs find them all at one clock time.
    const form = activityForm()
    const day = { 'date-day': form['date-day']!, 'date-month': form['date-month']!, 'date-year': form['date-year']! }
    // The mailing list: the confirmation email, then a subscriber's emails carry the unsubscribe link.
    const ada = 'ada.parent@example.org'
    expect((await service.client().post('/mailing-list', { email: ada, firstName: 'Ada' })).status).toBe(200)
    const confirmLinks = await check(ada, /^Confirm you want to join our mailing list$/)
    const confirm = new URL(confirmLinks.find((l) => l.includes('/mailing-list/confirm'))!)
    const joined = await service
      .client()
      .post(confirm.pathname + confirm.search, { token: confirm.searchParams.get('token')! })
    expect(await joined.text()).toContain('You have joined our mailing list')

    // A full session: confirmation, waiting list, the family cancelling, the space offered on.
    const full = await publishActivity(service, { ...day, title: 'Links full session', capacity: '1' })
    await bookByForm(full, [{ firstName: 'Alfie', dob: dobForAge(8) }], { email: ada }, 'Links full session')
    const adaLinks = await check(ada, /^Booking confirmed: Links full session/)
    expect(adaLinks.some((l) => l.includes('/mailing-list/unsubscribe?token='))).toBe(true)
    const ben = 'ben.parent@example.org'
    // A new family whose every child is on the waiting list is told so in the email asking to
    // confirm its address; a known family, signed in and ticking its child, is emailed on booking.
    const benFamily = await createFamily(service.database.db, {
      email: ben,
      contactName: 'Ben Parent',
      children: [{ firstName: 'Bea', dob: dobForAge(9) }],
    })
    const benClient = service.client()
    await signInFamilyDirectly(service.database.db, benClient, benFamily.familyId)
    const benBooked = await benClient.post(`/activities/${full}`, {
      mode: 'family',
      intent: 'confirm',
      childId: String(benFamily.childIds[0]),
      idempotencyKey: crypto.randomUUID(),
      whenShort: 'waitlist',
    })
    expect(benBooked.status).toBe(302)
    await check(ben, /^On the waiting list: Links full session/)
    const bo = 'bo.parent@example.org'
    await bookByForm(full, [{ firstName: 'Bo', dob: dobForAge(9) }], { email: bo }, 'Links full session')
    // Bo's family confirms its address while only waiting: told so, with its booking's own link
    // (the form page's link ends on confirming)
    const boLinks = await check(bo, /^On the waiting list: Links full session/)
    expect(boLinks.filter((l) => /\/bookings\/JN-[A-Z0-9]{5}\?token=/.test(l))).toHaveLength(1)
    const adaManage = manageLinkIn(adaLinks)
    expect(
      (await service.client().post(adaManage.path, { token: adaManage.token, intent: 'confirm-cancel-all' })).status,
    ).toBe(302)
    await check(ada, /^Cancelled: Links full session/)
    await check(ben, /^A space came up: Links full session/)

    // A family keeping one of two places, then the session moved and messaged.
    const moved = await publishActivity(service, { ...day, title: 'Links moved session', capacity: '5' })
    const cara = 'cara.parent@example.org'
    await bookByForm(
      moved,
      [
        { firstName: 'Cal', dob: dobForAge(7) },
        { firstName: 'Cleo', dob: dobForAge(10) },
      ],
      { email: cara, contactName: 'Cara Parent' },
      'Links moved session',
    )
    const caraManage = manageLinkIn(await check(cara, /^Booking confirmed: Links moved session/))
    const page = await (
      await service.client().get(`${caraManage.path}?token=${encodeURIComponent(caraManage.token)}`)
    ).text()
    const placeId = /name="placeId" value="(\d+)"/.exec(page)![1]!
    expect(
      (
        await service
          .client()
          .post(caraManage.path, { token: caraManage.token, intent: 'confirm-cancel-place', placeId })
      ).status,
    ).toBe(302)
    await check(cara, /^Cancelled: Links moved session/)
    expect(
      (
        await staff.post(
          `/staff/activities/${moved}/edit`,
          activityForm({ ...day, title: 'Links moved session', capacity: '5', startTime: '15:00', endTime: '16:00' }),
        )
      ).status,
    ).toBe(302)
    await check(cara, /^Changed: Links moved session/)
    const message = { audience: 'confirmed', subject: 'Bring some string', body: 'Please bring a ball of string.' }
    const checkStep = await staff.post(`/staff/activities/${moved}/messages`, { intent: 'check', ...message })
    const sendKey = /name="sendKey" value="([0-9a-f-]{36})"/.exec(await checkStep.text())![1]!
    const sent = await staff.post(`/staff/activities/${moved}/messages`, { intent: 'send', sendKey, ...message })
    expect(sent.status).toBe(302)
    await check(cara, /^Bring some string$/)

    // A new family's first booking, waiting for approval, declined by staff with a reason.
    const newParent = 'dee.parent@example.org'
    const deeFamily = await createFamily(service.database.db, {
      email: newParent,
      contactName: 'Dee Parent',
      approvedAt: null,
      children: [{ firstName: 'Dan', dob: dobForAge(8) }],
    })
    const deeBooking = await bookForFamily(
      service.database.db,
      deeFamily.familyId,
      moved,
      [{ childId: deeFamily.childIds[0]!, firstName: 'Dan', dob: dobForAge(8), age: 8 }],
      'held',
      { holdReason: 'approval' },
    )
    const declinedByStaff = await staff.post('/staff/families/approvals', {
      intent: 'decline',
      booking: String(deeBooking.bookingId),
      [`reason-${deeBooking.bookingId}`]: 'This session is for families in Kent, Medway or Bexley.',
    })
    expect(declinedByStaff.status).toBe(302)
    const declinedLinks = await check(newParent, /^We could not accept your booking: Links moved session/)
    expect(declinedLinks.some((l) => l.includes('teams.microsoft.com'))).toBe(false)

    // With approval of new families on: a new family confirms its address and is told its booking
    // was received and waits for the team; the team declines it.
    const families = (approveNewFamilies: string) =>
      admin.post('/staff/settings', { intent: 'save-families', approveNewFamilies, familyHoldHours: '24' })
    expect((await families('on')).status).toBe(302)
    const hana = 'hana.parent@example.org'
    await bookByForm(moved, [{ firstName: 'Hugo', dob: dobForAge(9) }], { email: hana }, 'Links moved session')
    const receivedLinks = await check(hana, /^Booking received: Links moved session – JN-/)
    expect(receivedLinks.some((l) => l.includes('teams.microsoft.com'))).toBe(false)
    expect((await families('off')).status).toBe(302)
    const hanaBooking = await service.database.db
      .selectFrom('booking')
      .select('id')
      .where('email', '=', hana)
      .executeTakeFirstOrThrow()
    expect(
      (
        await staff.post('/staff/families/approvals', {
          intent: 'decline',
          booking: String(hanaBooking.id),
          [`reason-${hanaBooking.id}`]: 'This session is full for new families.',
        })
      ).status,
    ).toBe(302)
    await check(hana, /^We could not accept your booking: Links moved session/)

    // A family signing in by an emailed link, and a family deleting its account.
    expect((await service.client().post('/family/sign-in', { email: cara })).status).toBe(200)
    const signInLinks = await check(cara, /^Your link to sign in$/)
    expect(signInLinks.some((l) => l.includes('/family/sign-in/'))).toBe(true)
    const gil = 'gil.parent@example.org'
    const gilFamily = await createFamily(service.database.db, {
      email: gil,
      contactName: 'Gil Parent',
      children: [{ firstName: 'Gwen', dob: dobForAge(8) }],
    })
    const gilClient = service.client()
    await signInFamilyDirectly(service.database.db, gilClient, gilFamily.familyId)
    expect((await gilClient.post('/family/delete', { intent: 'delete' })).status).toBe(302)
    await check(gil, /^We have deleted your account$/)

    // A family that never confirms its address: its places are let go once the hold ends (the
    // jobs' run the day before the sessions, below).
    const hal = 'hal.parent@example.org'
    await bookByForm(moved, [{ firstName: 'Hal', dob: dobForAge(9) }], { email: hal }, 'Links moved session', false)

    // Staff cancel the full session: the family who got the space is told.
    expect(
      (await staff.post(`/staff/activities/${full}`, { intent: 'confirm-cancel', reason: 'The host is ill.' })).status,
    ).toBe(302)
    await check(ben, /^Cancelled by the team: Links full session/)
    await check(bo, /^Cancelled by the team: Links full session/)

    // Adoptables: a 15-year-old joins and is booked, asks again, and a 12-year-old's parent agrees.
    const meeting = await publishActivity(service, {
      ...day,
      kind: 'adoptables',
      category: 'Adoptables meeting',
      title: 'Links Adoptables meeting',
      minAge: '12',
      maxAge: '18',
    })
    const join = (firstName: string, email: string, age: number, parentEmail = '') => {
      const [year, month, day] = dobForAge(age).split('-')
      return service.client().post(`/adoptables/join?meeting=${meeting}`, {
        firstName,
        'dob-day': String(Number(day)),
        'dob-month': String(Number(month)),
        'dob-year': year!,
        email,
        authority: 'E10000016',
        parentEmail,
        notes: '',
      })
    }
    const dee = 'dee.young@example.org'
    expect((await join('Dee', dee, 15)).status).toBe(200)
    await check(dee, /^Welcome to Adoptables$/)
    await check(dee, /^Booking confirmed: Links Adoptables meeting/)
    expect((await join('Dee', dee, 15)).status).toBe(200)
    await check(dee, /^Your Adoptables link$/)
    const eli = 'eli.young@example.org'
    const eliParent = 'eli.parent@example.org'
    expect((await join('Eli', eli, 12, eliParent)).status).toBe(200)
    await check(eli, /^Adoptables: we have asked your parent or carer$/)
    const consentLinks = await check(eliParent, /^Can Eli join Adoptables\?$/)
    const consent = new URL(consentLinks.find((l) => l.includes('/adoptables/consent'))!)
    const agreed = await service
      .client()
      .post('/adoptables/consent', { token: consent.searchParams.get('token')!, answer: 'yes' })
    expect(await agreed.text()).toContain('Eli can now join Adoptables')
    await check(eli, /^Welcome to Adoptables$/)
    await check(eli, /^Booking confirmed: Links Adoptables meeting/)
    // A parent who says no: the young person is told kindly, and the team at its own address.
    const fin = 'fin.young@example.org'
    const finParent = 'fin.parent@example.org'
    expect((await join('Fin', fin, 12, finParent)).status).toBe(200)
    await check(fin, /^Adoptables: we have asked your parent or carer$/)
    const finConsent = new URL(
      (await check(finParent, /^Can Fin join Adoptables\?$/)).find((l) => l.includes('/adoptables/consent'))!,
    )
    const declined = await service
      .client()
      .post('/adoptables/consent', { token: finConsent.searchParams.get('token')!, answer: 'no' })
    expect(await declined.text()).toContain('Fin will not join Adoptables')
    await check(fin, /^Adoptables: not this time$/)
    await check('vskparticipation@kent.gov.uk', /^Adoptables sign-up closed: a parent or carer said no for Fin$/)

    // Staff accounts: an invitation and a password reset.
    expect(
      (await admin.post('/staff/users/invite', { name: 'Fay New', email: 'fay@example.org', role: 'staff' })).status,
    ).toBe(302)
    await check('fay@example.org', /^You have been invited to /)
    const gus = await createStaffUser(service.database.db, {
      email: 'gus@example.org',
      name: 'Gus Reset',
      password: crypto.randomUUID(),
      role: 'viewer',
    })
    expect((await admin.post(`/staff/users/${gus}`, { intent: 'reset-password' })).status).toBe(302)
    await check('gus@example.org', /^Reset your .* password$/)

    // A safeguarding concern: each lead is told one was recorded, with only a link to sign in.
    const lead = await createStaffUser(service.database.db, {
      email: 'lead.dsl@example.org',
      name: 'Lee Lead',
      password: crypto.randomUUID(),
      role: 'staff',
    })
    expect((await admin.post(`/staff/users/${lead}`, { intent: 'give-safeguarding-lead' })).status).toBe(302)
    const concernForm = await (await staff.get(`/staff/activities/${full}/concerns/new`)).text()
    const yesterday = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      day: 'numeric',
      month: 'numeric',
      year: 'numeric',
    }).formatToParts(new Date(clock.now().getTime() - 24 * HOUR))
    const part = (type: string) => yesterday.find((p) => p.type === type)!.value
    const recorded = await staff.post(`/staff/activities/${full}/concerns/new`, {
      idempotencyKey: /name="idempotencyKey" value="([^"]+)"/.exec(concernForm)![1]!,
      child: 'someone-else',
      otherName: 'Noor',
      seenOrSaid: 'Noor said a stranger asked for her address',
      'happened-day': part('day'),
      'happened-month': part('month'),
      'happened-year': part('year'),
      happenedTime: '10:15',
      present: 'Two members of staff',
      actionTaken: 'Ended the chat and told the lead',
    })
    expect(recorded.status).toBe(302)
    const concernLinks = await check('lead.dsl@example.org', /^A safeguarding concern has been recorded$/)
    expect(concernLinks.some((l) => l.includes('/staff/sign-in?redirectTo=%2Fstaff%2Fconcerns%2F'))).toBe(true)

    // Feedback on the service goes to the team's own address.
    const feedback = await service
      .client()
      .post('/service-feedback', { feedback: 'The date boxes were easy.', email: 'kim.parent@example.org' })
    expect(feedback.status).toBe(200)
    await check('vskparticipation@kent.gov.uk', /^Feedback on /)

    // A series booked in one step, a fortnight after the other sessions (so the jobs below leave it
    // alone): a new family's places are held until one link confirms every date; with approval on,
    // a new family's confirmed series waits for the team; then staff move and cancel the rest.
    const later = new Date(Date.UTC(Number(day['date-year']), Number(day['date-month']) - 1, Number(day['date-day'])))
    later.setUTCDate(later.getUTCDate() + 14)
    /** Publishes a weekly series of two sessions starting on `later`; its id. */
    const publishSeries = async (title: string, extra: Record<string, string> = {}): Promise<number> => {
      const published = await staff.post(
        '/staff/activities/new',
        activityForm({
          title,
          'date-day': String(later.getUTCDate()),
          'date-month': String(later.getUTCMonth() + 1),
          'date-year': String(later.getUTCFullYear()),
          repeat: 'weekly',
          sessions: '2',
          ...extra,
        }),
      )
      expect(published.status).toBe(302)
      const row = await service.database.db
        .selectFrom('activity')
        .select('series_id')
        .where('title', '=', title)
        .executeTakeFirstOrThrow()
      return row.series_id!
    }
    const seriesTitle = 'Links series'
    const seriesId = await publishSeries(seriesTitle)
    const bookSeriesByForm = async (email: string, firstName: string): Promise<string[]> => {
      const [year, month, date] = dobForAge(8).split('-')
      const booked = await service.client().post(`/series/${seriesId}`, {
        mode: 'form',
        intent: 'confirm',
        dates: 'all',
        contactName: `${firstName} Parent`,
        email,
        phone: '',
        authority: 'E10000016',
        eligibility: 'yes',
        childCount: '1',
        'child-0-firstName': firstName,
        'child-0-dob-day': String(Number(date)),
        'child-0-dob-month': String(Number(month)),
        'child-0-dob-year': year!,
        'child-0-supportNeeds': '',
        idempotencyKey: crypto.randomUUID(),
      })
      expect(booked.status).toBe(302)
      expect(booked.headers.get('location')).toBe(`/series/${seriesId}?booked=held`)
      const links = await check(email, new RegExp(`^Confirm your booking: ${seriesTitle} – 2 dates$`))
      expect(links.some((l) => l.includes('teams.microsoft.com'))).toBe(false)
      const confirmLink = new URL(links.find((l) => l.includes('/family/confirm/'))!)
      expect((await service.client().post(confirmLink.pathname, {})).status).toBe(302)
      return links
    }
    const ivy = 'ivy.parent@example.org'
    await bookSeriesByForm(ivy, 'Iris')
    const seriesLinks = await check(ivy, new RegExp(`^Booking confirmed: ${seriesTitle} – 2 dates$`))
    expect(seriesLinks.filter((l) => /\/bookings\/JN-[A-Z0-9]{5}\?token=/.test(l))).toHaveLength(2)
    expect(seriesLinks).toContain(TEAMS)
    // A signed-in family books the series in one step: confirmed at once, one email.
    const max = 'max.parent@example.org'
    const maxFamily = await createFamily(service.database.db, {
      email: max,
      contactName: 'Max Parent',
      children: [{ firstName: 'Mia', dob: dobForAge(7) }],
    })
    const maxClient = service.client()
    await signInFamilyDirectly(service.database.db, maxClient, maxFamily.familyId)
    const maxBooked = await maxClient.post(`/series/${seriesId}`, {
      mode: 'family',
      intent: 'confirm',
      dates: 'all',
      childId: String(maxFamily.childIds[0]),
      idempotencyKey: crypto.randomUUID(),
    })
    expect(maxBooked.headers.get('location')).toBe(`/series/${seriesId}?booked=confirmed`)
    const maxLinks = await check(max, new RegExp(`^Booking confirmed: ${seriesTitle} – 2 dates$`))
    expect(maxLinks.filter((l) => /\/bookings\/JN-[A-Z0-9]{5}\?token=/.test(l))).toHaveLength(2)
    expect(maxLinks).toContain(TEAMS)
    expect((await families('on')).status).toBe(302)
    const jo = 'jo.parent@example.org'
    await bookSeriesByForm(jo, 'Jem')
    const awaitingLinks = await check(jo, new RegExp(`^Booking received: ${seriesTitle} – 2 dates$`))
    expect(awaitingLinks.some((l) => l.includes('teams.microsoft.com'))).toBe(false)
    expect((await families('off')).status).toBe(302)
    expect(
      (await staff.post(`/staff/series/${seriesId}`, { intent: 'confirm-move', startTime: '10:00', endTime: '11:30' }))
        .status,
    ).toBe(302)
    expect(await check(ivy, new RegExp(`^New times: ${seriesTitle} – 2 dates$`))).toContain(TEAMS)
    expect(await check(max, new RegExp(`^New times: ${seriesTitle} – 2 dates$`))).toContain(TEAMS)
    // Jo's places wait for the team: held places never carry the joining link.
    expect(await check(jo, new RegExp(`^New times: ${seriesTitle} – 2 dates$`))).not.toContain(TEAMS)
    expect(
      (await staff.post(`/staff/series/${seriesId}`, { intent: 'confirm-cancel', reason: 'The artist is ill.' }))
        .status,
    ).toBe(302)
    expect(await check(ivy, new RegExp(`^Cancelled: ${seriesTitle} – 2 dates$`))).not.toContain(TEAMS)
    expect(await check(jo, new RegExp(`^Cancelled: ${seriesTitle} – 2 dates$`))).not.toContain(TEAMS)
    expect(await check(max, new RegExp(`^Cancelled: ${seriesTitle} – 2 dates$`))).not.toContain(TEAMS)

    // A full series with a family waiting on both dates: the family with the places deletes its
    // account, and the waiting family is told once for both dates ("Spaces came up").
    const waitingTitle = 'Links waiting series'
    const waitingSeriesId = await publishSeries(waitingTitle, { capacity: '1' })
    const bookWholeSeries = async (email: string, firstName: string) => {
      const family = await createFamily(service.database.db, {
        email,
        contactName: `${firstName} Parent`,
        children: [{ firstName, dob: dobForAge(8) }],
      })
      const client = service.client()
      await signInFamilyDirectly(service.database.db, client, family.familyId)
      const booked = await client.post(`/series/${waitingSeriesId}`, {
        mode: 'family',
        intent: 'confirm',
        dates: 'all',
        childId: String(family.childIds[0]),
        idempotencyKey: crypto.randomUUID(),
      })
      expect(booked.status).toBe(302)
      return client
    }
    const noa = 'noa.parent@example.org'
    const noaClient = await bookWholeSeries(noa, 'Noah')
    expect(await check(noa, new RegExp(`^Booking confirmed: ${waitingTitle} – 2 dates$`))).toContain(TEAMS)
    const pip = 'pip.parent@example.org'
    await bookWholeSeries(pip, 'Pia')
    expect(await check(pip, new RegExp(`^Booking confirmed: ${waitingTitle} – 2 dates$`))).not.toContain(TEAMS)
    expect((await noaClient.post('/family/delete', { intent: 'delete' })).status).toBe(302)
    await check(noa, /^We have deleted your account$/)
    const spacesLinks = await check(pip, new RegExp(`^Spaces came up: ${waitingTitle} – 2 dates$`))
    expect(spacesLinks).toContain(TEAMS)
    expect(spacesLinks.filter((l) => /\/bookings\/JN-[A-Z0-9]{5}\?token=/.test(l))).toHaveLength(2)

    // A full session near its start: a parent releases the place from the reminder, and the space
    // is offered to the waiting family, who claims it (below, with the jobs).
    const offered = await publishActivity(service, { ...day, title: 'Links offer session', capacity: '1' })
    const kit = 'kit.parent@example.org'
    await bookByForm(offered, [{ firstName: 'Kai', dob: dobForAge(8) }], { email: kit }, 'Links offer session')
    await check(kit, /^Booking confirmed: Links offer session/)
    const lou = 'lou.parent@example.org'
    const louFamily = await createFamily(service.database.db, {
      email: lou,
      contactName: 'Lou Parent',
      children: [{ firstName: 'Lola', dob: dobForAge(9) }],
    })
    const louClient = service.client()
    await signInFamilyDirectly(service.database.db, louClient, louFamily.familyId)
    expect(
      (
        await louClient.post(`/activities/${offered}`, {
          mode: 'family',
          intent: 'confirm',
          childId: String(louFamily.childIds[0]),
          idempotencyKey: crypto.randomUUID(),
          whenShort: 'waitlist',
        })
      ).status,
    ).toBe(302)
    await check(lou, /^On the waiting list: Links offer session/)

    // The day before the sessions (the moved one, the meeting and the offer session are on the same
    // day): reminders to everyone with a place, each with a release link that opens its page.
    const { starts, ends } = await startsAt(moved)
    clock.set(new Date(starts.getTime() - 12 * HOUR))
    await service.jobs.runOnce()
    const releasePage = async (links: string[], why: string): Promise<{ path: string; page: string }> => {
      const link = links.find((l) => /\/release\/[\w-]{43}$/.test(l))
      expect(link, `${why} has a release link`).toBeDefined()
      const path = new URL(link!).pathname
      const page = await (await service.client().get(path)).text()
      const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(page)?.[1]?.replace(/<[^>]+>/g, '')
      expect(heading, `${why}: the release page`).toMatch(/^Can’t come\? Release your (place|places)$/)
      return { path, page }
    }
    await releasePage(await check(cara, /^Reminder: Links moved session is tomorrow$/), 'cara’s reminder')
    await releasePage(await check(dee, /^Reminder: Links Adoptables meeting is tomorrow$/), 'dee’s reminder')
    await releasePage(await check(eli, /^Reminder: Links Adoptables meeting is tomorrow$/), 'eli’s reminder')
    const kitRelease = await releasePage(
      await check(kit, /^Reminder: Links offer session is tomorrow$/),
      'kit’s reminder',
    )
    const releasedLinks = await check(hal, /^Places not kept: Links moved session – JN-/)
    expect(releasedLinks.some((l) => l.includes('teams.microsoft.com'))).toBe(false)
    // Kit's parent releases the place: within a day of the start the space is offered, not given.
    const kaiPlace = /name="places" value="(\d+)"/.exec(kitRelease.page)![1]!
    expect((await service.client().post(kitRelease.path, { intent: 'release', places: kaiPlace })).status).toBe(200)
    await check(kit, /^Cancelled: Links offer session/)
    const offerLinks = await check(lou, /^A place has come up: Links offer session – JN-/)
    expect(offerLinks.some((l) => l.includes('teams.microsoft.com'))).toBe(false)
    const claim = new URL(offerLinks.find((l) => l.includes('/offers/'))!)
    expect(await (await service.client().post(claim.pathname, { intent: 'claim' })).text()).toContain('Place booked')
    await check(lou, /^A space came up: Links offer session – JN-/)

    // On the day, two hours before the offer session and the meeting (an hour before the moved
    // one): the second reminder, its release link opening its page.
    const { starts: offerStarts } = await startsAt(offered)
    clock.set(new Date(offerStarts.getTime() - 2 * HOUR))
    await service.jobs.runOnce()
    for (const [to, title] of [
      [cara, 'Links moved session'],
      [dee, 'Links Adoptables meeting'],
      [eli, 'Links Adoptables meeting'],
      [lou, 'Links offer session'],
    ] as const) {
      await releasePage(await check(to, new RegExp(`^Today: ${title} at `)), `${to}’s reminder today`)
    }

    // The day after: the feedback requests.
    clock.set(new Date(ends.getTime() + 48 * HOUR))
    await service.jobs.runOnce()
    await check(cara, /^How was Links moved session\?$/)
    await check(dee, /^How was Links Adoptables meeting\?$/)
    await check(eli, /^How was Links Adoptables meeting\?$/)
    await check(lou, /^How was Links offer session\?$/)

    // Last, leaving the mailing list from a subscriber's email: the page, then its button.
    const unsubscribe = new URL(adaLinks.find((l) => l.includes('/mailing-list/unsubscribe?token='))!)
    const left = await service
      .client()
      .post(unsubscribe.pathname + unsubscribe.search, { token: unsubscribe.searchParams.get('token')! })
    expect(left.status).toBe(200)
    expect(await left.text()).toContain('You have left our mailing list')

    // Every email the service wrote was received and checked, and every kind was among them.
    const outbox = await service.database.db.selectFrom('outbox').select(['kind', 'message_id', 'status']).execute()
    expect(outbox.filter((e) => !checked.has(e.message_id)).map((e) => `${e.kind} (${e.status})`)).toEqual([])
    expect([...new Set(outbox.map((e) => e.kind))].sort()).toEqual(EVERY_KIND)

    // The joining link, across every flow above: exactly these emails carry it, each to someone
    // with a confirmed place at the time (Cara's cancellation keeps Cleo's place). Nobody waiting,
    // held, awaiting approval, declined, offered but not yet claiming, or cancelled ever gets it,
    // in any part (text, HTML or invite).
    const bodies = await service.database.db
      .selectFrom('outbox')
      .select(['kind', 'to_address', 'text_body', 'html_body', 'ics'])
      .execute()
    const carrying = bodies
      .filter((e) => [e.text_body, e.html_body, e.ics].some((part) => part?.includes('SECRET-LINK-123')))
      .map((e) => `${e.kind} to ${e.to_address}`)
      .sort()
    // And the pages those emails open, as their reader would, right after each email: only these
    // show the joining link. A waiting family's, a held or declined family's, an offer not yet
    // claimed, a cancelled booking's and a held series moved by staff never do.
    expect([...new Set(pagesShowingLink)].sort()).toEqual([
      '"A space came up: Links full session" to ben.parent@example.org',
      '"A space came up: Links offer session" to lou.parent@example.org',
      '"Booking confirmed: Links Adoptables meeting" to dee.young@example.org',
      '"Booking confirmed: Links Adoptables meeting" to eli.young@example.org',
      '"Booking confirmed: Links full session" to ada.parent@example.org',
      '"Booking confirmed: Links moved session" to cara.parent@example.org',
      '"Booking confirmed: Links offer session" to kit.parent@example.org',
      '"Booking confirmed: Links series – 2 dates" to ivy.parent@example.org',
      '"Booking confirmed: Links series – 2 dates" to max.parent@example.org',
      '"Booking confirmed: Links waiting series – 2 dates" to noa.parent@example.org',
      '"Cancelled: Links moved session" to cara.parent@example.org',
      '"Changed: Links moved session" to cara.parent@example.org',
      '"New times: Links series – 2 dates" to ivy.parent@example.org',
      '"New times: Links series – 2 dates" to max.parent@example.org',
      '"Reminder: Links Adoptables meeting is tomorrow" to dee.young@example.org',
      '"Reminder: Links Adoptables meeting is tomorrow" to eli.young@example.org',
      '"Reminder: Links moved session is tomorrow" to cara.parent@example.org',
      '"Reminder: Links offer session is tomorrow" to kit.parent@example.org',
      '"Spaces came up: Links waiting series – 2 dates" to pip.parent@example.org',
      '"Today: Links Adoptables meeting at 4pm" to dee.young@example.org',
      '"Today: Links Adoptables meeting at 4pm" to eli.young@example.org',
      '"Today: Links moved session at 3pm" to cara.parent@example.org',
      '"Today: Links offer session at 4pm" to lou.parent@example.org',
      '"Welcome to Adoptables" to dee.young@example.org',
      '"Welcome to Adoptables" to eli.young@example.org',
      '"Your Adoptables link" to dee.young@example.org',
    ])
    expect(carrying).toEqual([
      'activity-changed to cara.parent@example.org',
      'cancellation to cara.parent@example.org',
      'confirmation to ada.parent@example.org',
      'confirmation to cara.parent@example.org',
      'confirmation to dee.young@example.org',
      'confirmation to eli.young@example.org',
      'confirmation to kit.parent@example.org',
      'place-offered to ben.parent@example.org',
      'place-offered to lou.parent@example.org',
      'reminder to cara.parent@example.org',
      'reminder to dee.young@example.org',
      'reminder to eli.young@example.org',
      'reminder to kit.parent@example.org',
      'reminder-today to cara.parent@example.org',
      'reminder-today to dee.young@example.org',
      'reminder-today to eli.young@example.org',
      'reminder-today to lou.parent@example.org',
      'series-booked to ivy.parent@example.org',
      'series-booked to max.parent@example.org',
      'series-moved to ivy.parent@example.org',
      'series-moved to max.parent@example.org',
      'series-places-offered to pip.parent@example.org',
      'session-message to cara.parent@example.org',
    ])
    // One long walk through every flow: 34 kinds of email and every link in them, about 40 s on a
    // quiet machine; the default minute is too short when the suite shares the machine's 2 cores.
  }, 240_000)
})
