// Every kind of email the service sends, received through a real SMTP server: every link in its
// HTML part, its text part and its calendar invite (read with ical.js) is followed through the
// real server, as the person it was sent to would, and must open a working page. Scheduled emails
// (reminders, feedback requests) are made by moving the jobs' clock, not by waiting.
import crypto from 'node:crypto'
import { simpleParser, type ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
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
  'cancellation',
  'confirmation',
  'consent-declined',
  'consent-declined-team',
  'consent-request',
  'feedback-request',
  'mailing-list-confirm',
  'member-link',
  'member-pending',
  'member-welcome',
  'place-offered',
  'reminder',
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
      const { event } = await inviteOf(mail)
      const url = event.component.getFirstPropertyValue('url')
      expect(typeof url, `the invite in "${mail.subject}" has a URL`).toBe('string')
      links.add(String(url))
      for (const [link] of (event.description ?? '').matchAll(/https?:\/\/[^\s<>"]+/g)) links.add(link)
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
    const response = await service.client().get(url.pathname + url.search)
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
    expect(
      (await confirmBooking(service.client(), full, [{ firstName: 'Alfie', dob: dobForAge(8) }], { email: ada }))
        .status,
    ).toBe(302)
    const adaLinks = await check(ada, /^Booking confirmed: Links full session/)
    expect(adaLinks.some((l) => l.includes('/mailing-list/unsubscribe?token='))).toBe(true)
    const ben = 'ben.parent@example.org'
    expect(
      (await confirmBooking(service.client(), full, [{ firstName: 'Bea', dob: dobForAge(9) }], { email: ben })).status,
    ).toBe(302)
    await check(ben, /^On the waiting list: Links full session/)
    const adaManage = manageLinkIn(adaLinks)
    expect(
      (await service.client().post(adaManage.path, { token: adaManage.token, intent: 'confirm-cancel-all' })).status,
    ).toBe(302)
    await check(ada, /^Cancelled: Links full session/)
    await check(ben, /^A space came up: Links full session/)

    // A family keeping one of two places, then the session moved and messaged.
    const moved = await publishActivity(service, { ...day, title: 'Links moved session', capacity: '5' })
    const cara = 'cara.parent@example.org'
    expect(
      (
        await confirmBooking(
          service.client(),
          moved,
          [
            { firstName: 'Cal', dob: dobForAge(7) },
            { firstName: 'Cleo', dob: dobForAge(10) },
          ],
          { email: cara, contactName: 'Cara Parent' },
        )
      ).status,
    ).toBe(302)
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

    // Staff cancel the full session: the family who got the space is told.
    expect(
      (await staff.post(`/staff/activities/${full}`, { intent: 'confirm-cancel', reason: 'The host is ill.' })).status,
    ).toBe(302)
    await check(ben, /^Cancelled by the team: Links full session/)

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

    // The day before the sessions (the moved one and the meeting are on the same day): reminders
    // to everyone with a place. The day after: the feedback requests.
    const { starts, ends } = await startsAt(moved)
    clock.set(new Date(starts.getTime() - 12 * HOUR))
    await service.jobs.runOnce()
    await check(cara, /^Reminder: Links moved session is tomorrow$/)
    await check(dee, /^Reminder: Links Adoptables meeting is tomorrow$/)
    await check(eli, /^Reminder: Links Adoptables meeting is tomorrow$/)
    clock.set(new Date(ends.getTime() + 48 * HOUR))
    await service.jobs.runOnce()
    await check(cara, /^How was Links moved session\?$/)
    await check(dee, /^How was Links Adoptables meeting\?$/)
    await check(eli, /^How was Links Adoptables meeting\?$/)

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
  })
})
