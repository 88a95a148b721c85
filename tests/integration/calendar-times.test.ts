// Calendar times through the real server: the invite download, the email's attachment and the
// public feed name the session's instant whatever zone the server runs in (the suite runs in UTC,
// Europe/London and Pacific/Auckland). Read with ical.js, not the library that wrote them.
import ICAL from 'ical.js'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmBooking, publishActivity } from '../support/booking'
import { instantOf, readCalendar } from '../support/calendar'
import { inviteOf, startSmtp, type TestSmtp } from '../support/smtp'
import { startTestService, type TestService } from '../support/service'
import { waitFor } from '../support/wait'

// written out: 10:00 London on the first day of British Summer Time, and on the day it ends
const SESSIONS = [
  { day: '28', month: '3', year: '2027', start: '2027-03-28T09:00:00.000Z', end: '2027-03-28T10:00:00.000Z' },
  { day: '31', month: '10', year: '2027', start: '2027-10-31T10:00:00.000Z', end: '2027-10-31T11:00:00.000Z' },
]

describe('calendar times over HTTP and email', () => {
  let smtp: TestSmtp
  let service: TestService
  beforeAll(async () => {
    smtp = await startSmtp()
    service = await startTestService({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100' })
  })
  afterAll(async () => {
    await service?.close()
    await smtp?.close()
  })

  it.each(SESSIONS)(
    'puts 10:00 London on $day/$month/$year at $start in the invite, the email and the feed',
    async (s) => {
      const title = `Ten o'clock on ${s.day}/${s.month}`
      const activityId = await publishActivity(service, {
        title,
        'date-day': s.day,
        'date-month': s.month,
        'date-year': s.year,
        startTime: '10:00',
        endTime: '11:00',
      })
      const address = `calendar-${s.day}-${s.month}@example.org`
      const client = service.client()
      const response = await confirmBooking(client, activityId, [{ firstName: 'Cal', dob: '2018-06-01' }], {
        email: address,
      })
      expect(response.status).toBe(302)
      const manage = new URL(response.headers.get('location')!, service.url)
      const reference = /\/bookings\/(JN-[A-Z0-9]{5})/.exec(manage.pathname)![1]!
      const token = manage.searchParams.get('token')!

      const download = await client.get(`/bookings/${reference}/invite.ics?token=${encodeURIComponent(token)}`)
      expect(download.status).toBe(200)
      const fromDownload = readCalendar(await download.text()).getFirstSubcomponent('vevent')!

      // the second email: the first only asks to confirm the address, with no invite
      const message = await waitFor(() => smtp.received.filter((m) => m.to.includes(address))[1], 20_000)
      const parsed = await simpleParser(message.raw)
      expect(parsed.subject).toBe(`Booking confirmed: ${title} – ${reference}`)
      const fromEmail = (await inviteOf(parsed)).event

      const feed = await (await service.client().get('/calendar.ics')).text()
      const fromFeed = readCalendar(feed)
        .getAllSubcomponents('vevent')
        .find((e) => e.getFirstPropertyValue('summary') === title)
      expect(fromFeed, 'the session is in the public feed').toBeDefined()

      for (const event of [new ICAL.Event(fromDownload), fromEmail, new ICAL.Event(fromFeed!)]) {
        expect(instantOf(event, 'dtstart').toISOString()).toBe(s.start)
        expect(instantOf(event, 'dtend').toISOString()).toBe(s.end)
      }
    },
  )
})
