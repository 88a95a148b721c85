// Booking emails through a real SMTP server started in the test.
import { simpleParser } from 'mailparser'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_BACKOFF_MS } from '../../app/email/worker.server'
import { confirmBooking, dobForAge, postBooking, publishActivity } from '../support/booking'
import { firstEvent, readCalendar } from '../support/calendar'
import { testClock } from '../support/clock'
import { freePort, inviteOf, startSmtp } from '../support/smtp'
import { startTestService, type TestService } from '../support/service'
import { waitFor } from '../support/wait'

const SECRET = 'SECRET-LINK-123'

describe('booking emails over SMTP', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!()
  })

  it('delivers the confirmation with the joining link and an invite another parser reads', async () => {
    const smtp = await startSmtp()
    cleanups.push(() => smtp.close())
    const service: TestService = await startTestService({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100' })
    cleanups.push(() => service.close())

    const activityId = await publishActivity(service, { title: 'Email me the link' })
    const response = await confirmBooking(service.client(), activityId, [{ firstName: 'Mia', dob: dobForAge(8) }], {
      email: 'mia.parent@example.org',
    })
    expect(response.status).toBe(302)

    // first the link to confirm the address (no joining link, no invite), then the confirmation
    const messages = await waitFor(() => {
      const to = smtp.received.filter((m) => m.to.includes('mia.parent@example.org'))
      return to.length >= 2 ? to : undefined
    }, 20_000)
    const [held, mail] = await Promise.all(messages.map((m) => simpleParser(m.raw)))
    expect(held!.subject).toMatch(/^Confirm your booking: Email me the link – JN-[A-Z0-9]{5}$/)
    expect(held!.text).not.toContain(SECRET)
    // one child, one place
    expect(held!.text).toContain('you do not need to do anything: the place will be released and no one will be booked')
    expect(held!.attachments.filter((a) => a.contentType.startsWith('text/calendar'))).toHaveLength(0)
    expect(mail!.subject).toMatch(/^Booking confirmed: Email me the link – JN-[A-Z0-9]{5}$/)
    expect(mail!.text).toContain(SECRET)
    expect(mail!.text).toContain('/bookings/JN-')
    // the invite is a text/calendar part of its own, read by ical.js
    const invite = await inviteOf(mail!)
    expect(invite.params.method).toBe('REQUEST')
    expect(invite.calendar.getFirstPropertyValue('method')).toBe('REQUEST')
    expect(invite.event.summary).toBe('Email me the link')
    expect(invite.event.description).toContain(SECRET)
    const row = await service.database.db
      .selectFrom('outbox')
      .select(['status', 'message_id'])
      .where('kind', '=', 'confirmation')
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('sent')
    expect(mail!.messageId).toBe(row.message_id)
  })

  it('keeps mail queued while the SMTP server is down and delivers it once, after the back-off, when it is back', async () => {
    const port = await freePort()
    // The worker runs on a clock the test moves; it polls only when nudged or asked to.
    const clock = testClock()
    const service: TestService = await startTestService(
      { SMTP_URL: `smtp://127.0.0.1:${port}`, OUTBOX_POLL_MS: '600000' },
      { now: clock.now },
    )
    cleanups.push(() => service.close())
    const outbox = service.outbox!
    const activityId = await publishActivity(service, { title: 'Mail server down' })
    // one email: the held booking's link to confirm the address
    const response = await postBooking(service.client(), activityId, [{ firstName: 'Noah', dob: dobForAge(9) }], {
      email: 'noah.parent@example.org',
    })
    expect(response.status).toBe(302)

    // the booking nudged the worker, which found the server down
    const failedOnce = await waitFor(async () => {
      const row = await service.database.db
        .selectFrom('outbox')
        .select(['status', 'attempts', 'last_error', 'next_attempt_at'])
        .executeTakeFirst()
      return row && row.attempts >= 1 && row.status === 'queued' ? row : undefined
    })
    expect(failedOnce.last_error).toMatch(/ECONNREFUSED|ECONNECTION/)
    const due = new Date(failedOnce.next_attempt_at).getTime()
    expect(due - clock.now().getTime()).toBeGreaterThan(DEFAULT_BACKOFF_MS[0]! - 5000)

    const smtp = await startSmtp({ port })
    cleanups.push(() => smtp.close())
    // back, but the back-off holds until its time comes
    expect(await outbox.runOnce()).toBe(0)
    expect(smtp.received).toHaveLength(0)
    clock.set(new Date(due))
    expect(await outbox.runOnce()).toBe(1)
    expect(smtp.received).toHaveLength(1)
    // an hour later nothing is sent again
    clock.advance(60 * 60_000)
    expect(await outbox.runOnce()).toBe(0)
    expect(smtp.received).toHaveLength(1)
    const row = await service.database.db.selectFrom('outbox').select(['status', 'attempts']).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'sent', attempts: 2 })
  })

  it('renders the confirmation from the session as it is when booked, not as this process last saw it', async () => {
    // book() renders the usual email before the write lock from the session as it last read it;
    // a change made meanwhile elsewhere (another instance, a script) must still reach the email.
    const service: TestService = await startTestService()
    cleanups.push(() => service.close())
    const activityId = await publishActivity(service, { title: 'Before the change' })
    const first = await confirmBooking(service.client(), activityId, [{ firstName: 'Ada', dob: dobForAge(8) }], {
      email: 'ada.parent@example.org',
    })
    expect(first.status).toBe(302)
    await service.database.db
      .updateTable('activity')
      .set({
        title: 'After the change',
        join_url: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_CHANGED%40thread.v2/0',
      })
      .where('id', '=', activityId)
      .execute()
    const second = await confirmBooking(service.client(), activityId, [{ firstName: 'Bo', dob: dobForAge(8) }], {
      email: 'bo.parent@example.org',
    })
    expect(second.status).toBe(302)
    const held = await service.database.db
      .selectFrom('outbox')
      .select(['subject'])
      .where('to_address', '=', 'bo.parent@example.org')
      .where('kind', '=', 'held')
      .executeTakeFirstOrThrow()
    expect(held.subject).toMatch(/^Confirm your booking: After the change – JN-[A-Z0-9]{5}$/)
    const email = await service.database.db
      .selectFrom('outbox')
      .select(['subject', 'text_body', 'ics'])
      .where('to_address', '=', 'bo.parent@example.org')
      .where('kind', '=', 'confirmation')
      .executeTakeFirstOrThrow()
    expect(email.subject).toMatch(/^Booking confirmed: After the change – JN-[A-Z0-9]{5}$/)
    expect(email.text_body).toContain('meeting_CHANGED')
    expect(email.text_body).not.toContain(SECRET)
    const event = firstEvent(readCalendar(email.ics ?? ''))
    expect(event.summary).toBe('After the change')
    expect(event.description).toContain('meeting_CHANGED')
  })
})
