// "Add to Google Calendar" and "Add to Outlook" on the family's booking page, read from the page as
// the server sends it (no scripts run, so the links work with JavaScript off), and the ORGANIZER
// that RFC 5546 asks of every invite sent as REQUEST or CANCEL (read with ical.js).
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmBooking, publishActivity } from '../support/booking'
import { firstEvent, readCalendar } from '../support/calendar'
import { inviteOf, startSmtp, type TestSmtp } from '../support/smtp'
import { startTestService, type TestService } from '../support/service'
import { waitFor } from '../support/wait'

const TEAMS_SECRET = 'SECRET-LINK-123'
const TITLE = 'Spring slime & science'
const DESCRIPTION = 'Make glow-in-the-dark slime with things from the kitchen.'
// written out: the settings' defaults (Kent's) and ORGANISATION_NAME's default
const ORGANISER_NAME = 'Virtual School Kent Participation & Engagement team'
const ORGANISER_MAILTO = 'mailto:vskparticipation@kent.gov.uk'

/** Every href on the page, as a browser reads it (HTML's &amp; is &). */
function hrefsOf(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) =>
    m[1]!
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'"),
  )
}

describe('adding a booked session to a calendar', () => {
  let smtp: TestSmtp
  let service: TestService
  let manage: URL
  let reference: string
  let page: string
  const address = 'calendar.links@example.org'

  beforeAll(async () => {
    smtp = await startSmtp()
    service = await startTestService({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100' })
    // 10:00 to 11:00 London on 28 March 2027, the first day of British Summer Time
    const activityId = await publishActivity(service, {
      title: TITLE,
      description: DESCRIPTION,
      'date-day': '28',
      'date-month': '3',
      'date-year': '2027',
      startTime: '10:00',
      endTime: '11:00',
    })
    const client = service.client()
    const response = await confirmBooking(client, activityId, [{ firstName: 'Cal', dob: '2018-06-01' }], {
      email: address,
    })
    expect(response.status).toBe(302)
    manage = new URL(response.headers.get('location')!, service.url)
    reference = /\/bookings\/(JN-[A-Z0-9]{5})/.exec(manage.pathname)![1]!
    const answer = await client.get(`${manage.pathname}${manage.search}`)
    expect(answer.status).toBe(200)
    page = await answer.text()
  })
  afterAll(async () => {
    await service?.close()
    await smtp?.close()
  })

  function link(host: string): URL {
    const found = hrefsOf(page)
      .filter((href) => href.startsWith('https://'))
      .map((href) => new URL(href))
      .filter((url) => url.host === host)
    expect(found, `one link to ${host} on the booking page`).toHaveLength(1)
    return found[0]!
  }

  it('links to Google Calendar with the session in UTC: 10:00 London on 28 March 2027 is 09:00Z', () => {
    expect(page).toContain('>Add to Google Calendar</a>')
    const google = link('calendar.google.com')
    expect(google.pathname).toBe('/calendar/render')
    expect(google.searchParams.get('action')).toBe('TEMPLATE')
    expect(google.searchParams.get('dates')).toBe('20270328T090000Z/20270328T100000Z')
    expect(google.searchParams.get('text')).toBe(TITLE)
    expect(google.searchParams.get('location')).toBe('Online (Microsoft Teams)')
    const details = google.searchParams.get('details')!
    expect(details).toContain(DESCRIPTION)
    // the family's booking page (which shows the joining link), never the Teams link itself
    expect(details).toContain(`${service.url}${manage.pathname}?token=`)
    expect(google.href).not.toContain(TEAMS_SECRET)
    // a space is %20 and "&" in the title is %26, so nothing splits or shows a "+"
    expect(google.search).toContain('text=Spring%20slime%20%26%20science&')
  })

  it('links to Outlook.com and to Outlook for work or school with ISO instants in UTC', () => {
    expect(page).toContain('>Add to Outlook</a>')
    expect(page).toContain('>Add to Outlook for work or school</a>')
    for (const host of ['outlook.live.com', 'outlook.office.com']) {
      const outlook = link(host)
      expect(outlook.pathname).toBe('/calendar/0/deeplink/compose')
      expect(outlook.searchParams.get('startdt')).toBe('2027-03-28T09:00:00Z')
      expect(outlook.searchParams.get('enddt')).toBe('2027-03-28T10:00:00Z')
      expect(outlook.searchParams.get('subject')).toBe(TITLE)
      expect(outlook.searchParams.get('location')).toBe('Online (Microsoft Teams)')
      expect(outlook.searchParams.get('body')).toContain(`${service.url}${manage.pathname}?token=`)
      expect(outlook.href).not.toContain(TEAMS_SECRET)
    }
  })

  it('offers the links as plain links in the page the server sends, so they work with JavaScript off', () => {
    // no scripts ran to make this HTML: each is an <a href> a browser follows by itself, and no
    // Referer carries the booking page's token away
    for (const name of ['Add to Google Calendar', 'Add to Outlook', 'Add to Outlook for work or school']) {
      const anchor = new RegExp(`<a [^>]*href="https://[^"]+"[^>]*>${name}</a>`).exec(page)?.[0]
      expect(anchor, name).toBeDefined()
      expect(anchor, name).toContain('rel="noreferrer"')
    }
    expect(page).toContain('>Add to calendar</a>')
  })

  it('names the team as ORGANIZER with a mailto in the download, the emailed invite and its cancellation', async () => {
    const token = manage.searchParams.get('token')!
    const download = await service.client().get(`/bookings/${reference}/invite.ics?token=${encodeURIComponent(token)}`)
    const fromDownload = firstEvent(readCalendar(await download.text()))
    // The first email only asks to confirm the address: no invite (and no joining link) until then.
    const held = await waitFor(() => smtp.received.find((m) => m.to.includes(address)), 20_000)
    const heldMail = await simpleParser(held.raw)
    expect(heldMail.subject).toBe(`Confirm your booking: ${TITLE} – ${reference}`)
    expect(heldMail.attachments.map((a) => a.contentType)).toEqual([])
    const confirmation = await waitFor(() => smtp.received.filter((m) => m.to.includes(address))[1], 20_000)
    const confirmationMail = await simpleParser(confirmation.raw)
    expect(confirmationMail.subject).toBe(`Booking confirmed: ${TITLE} – ${reference}`)
    const sent = await inviteOf(confirmationMail)
    expect(sent.params.method).toBe('REQUEST')
    expect(sent.calendar.getFirstPropertyValue('method')).toBe('REQUEST')

    // the confirm step of the check page: cancelling is what is being tested here
    const cancelled = await service.client().post(`/bookings/${reference}`, { token, intent: 'confirm-cancel-all' })
    expect(cancelled.status).toBe(302)
    const cancellation = await waitFor(
      () => smtp.received.filter((m) => m.to.includes(address)).find((m) => m !== held && m !== confirmation),
      20_000,
    )
    const cancel = await inviteOf(await simpleParser(cancellation.raw))
    expect(cancel.calendar.getFirstPropertyValue('method')).toBe('CANCEL')

    for (const [why, event] of [
      ['download', fromDownload],
      ['REQUEST', sent.event],
      ['CANCEL', cancel.event],
    ] as const) {
      const organizer = event.component.getFirstProperty('organizer')
      expect(organizer, `${why}: ORGANIZER`).not.toBeNull()
      expect(String(organizer!.getFirstValue()).toLowerCase(), why).toBe(ORGANISER_MAILTO)
      expect(organizer!.getParameter('cn'), why).toBe(ORGANISER_NAME)
    }
  })
})
