// Booking emails through a real SMTP server started in the test.
import net from 'node:net'
import ICAL from 'ical.js'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { startTestService, type TestService } from '../support/service'

const SECRET = 'SECRET-LINK-123'

interface Received {
  raw: string
  to: string[]
}

async function startSmtp(port = 0): Promise<{ server: SMTPServer; port: number; received: Received[] }> {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({
          raw: Buffer.concat(chunks).toString('utf8'),
          to: session.envelope.rcptTo.map((r) => r.address),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()))
  return { server, port: (server.server.address() as net.AddressInfo).port, received }
}

async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()))
  const port = (probe.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('booking emails over SMTP', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!()
  })
  afterAll(async () => {
    while (cleanups.length) await cleanups.pop()!()
  })

  it('delivers the confirmation with the joining link and an invite another parser reads', async () => {
    const smtp = await startSmtp()
    cleanups.push(() => new Promise((r) => smtp.server.close(() => r())))
    const service: TestService = await startTestService({
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      OUTBOX_POLL_MS: '100',
    })
    cleanups.push(() => service.close())

    const activityId = await publishActivity(service, { title: 'Email me the link' })
    const response = await confirmBooking(service.client(), activityId, [{ firstName: 'Mia', dob: dobForAge(8) }], {
      email: 'mia.parent@example.org',
    })
    expect(response.status).toBe(302)

    const message = await waitFor(() => smtp.received.find((m) => m.to.includes('mia.parent@example.org')), 20_000)
    const mail = await simpleParser(message.raw)
    expect(mail.subject).toMatch(/^Booking confirmed: Email me the link – JN-[A-Z0-9]{5}$/)
    expect(mail.text).toContain(SECRET)
    expect(mail.text).toContain('/bookings/JN-')
    const calendarPart = mail.attachments.find((a) => a.contentType.startsWith('text/calendar')) ?? null
    const icsText = calendarPart
      ? calendarPart.content.toString('utf8')
      : /BEGIN:VCALENDAR[\s\S]*END:VCALENDAR/.exec(message.raw)?.[0]
    expect(icsText).toBeDefined()
    const calendar = new ICAL.Component(ICAL.parse(icsText!))
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST')
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!)
    expect(event.summary).toBe('Email me the link')
    expect(event.description).toContain(SECRET)
    const row = await service.database.db
      .selectFrom('outbox')
      .select(['status', 'message_id'])
      .where('kind', '=', 'confirmation')
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('sent')
    expect(mail.messageId).toBe(row.message_id)
  })

  it('keeps mail queued while the SMTP server is down and delivers it once when it is back', async () => {
    const port = await freePort()
    const service: TestService = await startTestService({ SMTP_URL: `smtp://127.0.0.1:${port}`, OUTBOX_POLL_MS: '100' })
    cleanups.push(() => service.close())
    const activityId = await publishActivity(service, { title: 'Mail server down' })
    const response = await confirmBooking(service.client(), activityId, [{ firstName: 'Noah', dob: dobForAge(9) }], {
      email: 'noah.parent@example.org',
    })
    expect(response.status).toBe(302)

    const failedOnce = await waitFor(async () => {
      const row = await service.database.db
        .selectFrom('outbox')
        .select(['status', 'attempts', 'last_error', 'next_attempt_at'])
        .executeTakeFirst()
      return row && row.attempts >= 1 && row.status === 'queued' ? row : undefined
    }, 15_000)
    expect(failedOnce.last_error).toBeTruthy()
    expect(new Date(failedOnce.next_attempt_at).getTime()).toBeGreaterThan(Date.now())

    const smtp = await startSmtp(port)
    cleanups.push(() => new Promise((r) => smtp.server.close(() => r())))
    await waitFor(() => (smtp.received.length > 0 ? true : undefined), 45_000)
    // give a duplicate time to show up if the worker were to send twice
    await new Promise((r) => setTimeout(r, 1500))
    expect(smtp.received).toHaveLength(1)
    const row = await service.database.db.selectFrom('outbox').select('status').executeTakeFirstOrThrow()
    expect(row.status).toBe('sent')
  })
})
