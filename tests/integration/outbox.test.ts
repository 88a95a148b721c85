// The outbox against a real SMTP server (smtp-server on 127.0.0.1) and a real SQLite file.
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import ICAL from 'ical.js'
import { simpleParser } from 'mailparser'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { enqueueEmail, type NewEmail } from '../../app/email/outbox.server'
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from '../../app/email/worker.server'
import { openDatabase, type OpenedDatabase } from '../../db/index'
import { migrateToLatest } from '../../db/migrate'
import { accessibilityAudit, launchBrowser, newContext, noScriptContext, signInAsStaff } from '../support/browser'
import { testClock, type TestClock } from '../support/clock'
import { dropDatabaseUrl, freshDatabaseUrl } from '../support/database'
import { ADMIN, startTestService, type TestService } from '../support/service'
import { freePort, inviteOf, smtpError, startSmtp, type TestSmtp } from '../support/smtp'
import { waitFor } from '../support/wait'

const DOMAIN = 'join-in.test'

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Join In//Test//EN',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:activity-3@join-in.test',
  'DTSTAMP:20261123T120000Z',
  'DTSTART:20261201T160000Z',
  'DTEND:20261201T170000Z',
  'SUMMARY:Slime science',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n')

function email(overrides: Partial<NewEmail> = {}): NewEmail {
  return {
    kind: 'booking-confirmation',
    to: 'parent@example.org',
    subject: 'Your place at Slime science is booked',
    text: 'Hello,\n\nYour place is booked.\nManage your booking: https://join-in.test/bookings/manage/abc123\n',
    dedupeKey: `confirmation:booking:${Math.floor(Math.random() * 1e9)}`,
    bookingId: 12,
    activityId: 3,
    ...overrides,
  }
}

/**
 * A TCP proxy to an SMTP server that, the first `drops` times, cuts both connections just after
 * the message has been sent and stored (the end of DATA) and before the client hears "250".
 */
async function startDroppingProxy(targetPort: number, drops: number): Promise<{ url: string; close(): Promise<void> }> {
  let dropped = 0
  const sockets = new Set<net.Socket>()
  const proxy = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    sockets.add(client).add(upstream)
    let tail = ''
    let dataEnded = false
    client.on('data', (chunk) => {
      tail = (tail + chunk.toString('latin1')).slice(-5)
      if (tail.endsWith('\r\n.\r\n')) dataEnded = true
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (dataEnded && dropped < drops) {
        dropped += 1
        client.destroy()
        upstream.destroy()
        return
      }
      client.write(chunk)
    })
    for (const socket of [client, upstream]) {
      socket.on('error', () => {})
      socket.on('close', () => {
        sockets.delete(socket)
        client.destroy()
        upstream.destroy()
      })
    }
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()))
  const port = (proxy.address() as net.AddressInfo).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        proxy.close(() => resolve())
      }),
  }
}

// ---- the database, fresh for this file ----------------------------------------------------

let dir: string
let database: OpenedDatabase
let databaseUrl: string
const cleanups: (() => Promise<void>)[] = []

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-outbox-'))
  databaseUrl = await freshDatabaseUrl(dir, { name: 'outbox.sqlite' })
  database = openDatabase(databaseUrl)
  await migrateToLatest(database.db)
})

afterAll(async () => {
  await database?.db.destroy()
  await dropDatabaseUrl(databaseUrl)
  fs.rmSync(dir, { recursive: true, force: true })
})

beforeEach(async () => {
  await database.db.deleteFrom('outbox').execute()
})

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

// Each test moves this clock past a back-off instead of sleeping through it.
let clock: TestClock
beforeEach(() => {
  clock = testClock()
})

function worker(smtpUrl: string, options: Partial<OutboxWorkerOptions> = {}): OutboxWorker {
  const w = createOutboxWorker({
    db: database.db,
    smtpUrl,
    from: 'Join In <join-in@join-in.test>',
    pollMs: 50,
    log: () => {},
    backoffMs: [100],
    now: clock.now,
    ...options,
  })
  cleanups.push(() => w.stop())
  return w
}

async function smtp(options: Parameters<typeof startSmtp>[0] = {}): Promise<TestSmtp> {
  const server = await startSmtp(options)
  cleanups.push(() => server.close())
  return server
}

async function enqueue(overrides: Partial<NewEmail> = {}) {
  const e = email(overrides)
  await enqueueEmail(database.db, e, { domain: DOMAIN })
  return database.db.selectFrom('outbox').selectAll().where('dedupe_key', '=', e.dedupeKey).executeTakeFirstOrThrow()
}

async function row(id: number) {
  return database.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

// ---- the tests ----------------------------------------------------------------------------

describe('the outbox worker', () => {
  it('delivers a queued email once, with its text, a calendar invite and the Message-ID written with the row', async () => {
    const server = await smtp()
    const queued = await enqueue({ html: '<p>Your place is booked.</p>', ics: { content: ICS, method: 'REQUEST' } })
    expect(queued.message_id).toMatch(new RegExp(`^<[0-9a-f-]{36}@${DOMAIN.replace('.', '\\.')}>$`))
    expect(queued.status).toBe('queued')

    expect(await worker(server.url).runOnce()).toBe(1)

    expect(server.received).toHaveLength(1)
    const message = server.received[0]!
    expect(message.messageId).toBe(queued.message_id)
    expect(message.to).toEqual(['parent@example.org'])
    const mail = await simpleParser(message.raw)
    expect(mail.subject).toBe('Your place at Slime science is booked')
    expect(mail.from?.value).toEqual([{ name: 'Join In', address: 'join-in@join-in.test' }])
    expect(mail.text).toContain('Manage your booking: https://join-in.test/bookings/manage/abc123')
    expect(mail.html).toContain('<p>Your place is booked.</p>')
    const invite = await inviteOf(mail)
    expect(invite.params.method).toBe('REQUEST')
    expect(invite.event.uid).toBe('activity-3@join-in.test')
    expect(invite.event.summary).toBe('Slime science')
    // and the same invite as a file for mail clients that do not read the alternative part
    const file = mail.attachments.find((a) => a.filename === 'invite.ics')
    expect(file?.contentType).toBe('application/ics')
    expect(ICAL.parse(file!.content.toString('utf8'))).toEqual(invite.calendar.toJSON())

    const sent = await row(queued.id)
    expect(sent.status).toBe('sent')
    expect(sent.attempts).toBe(1)
    expect(sent.sent_at).not.toBeNull()
    expect(sent.last_error).toBeNull()
    // nothing left to send
    expect(await worker(server.url).runOnce()).toBe(0)
    expect(server.received).toHaveLength(1)
  })

  it('keeps one row and sends one email when the same dedupe key is queued twice', async () => {
    const server = await smtp()
    const first = email({ dedupeKey: 'reminder:booking:12:activity:3' })
    expect(await enqueueEmail(database.db, first, { domain: DOMAIN })).toBe(true)
    expect(await enqueueEmail(database.db, { ...first, subject: 'A second try' }, { domain: DOMAIN })).toBe(false)
    const rows = await database.db.selectFrom('outbox').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.subject).toBe(first.subject)

    const w = worker(server.url)
    await w.runOnce()
    await w.runOnce()
    expect(server.received).toHaveLength(1)
    // and once sent, queuing it again still does nothing
    expect(await enqueueEmail(database.db, first, { domain: DOMAIN })).toBe(false)
    expect(await w.runOnce()).toBe(0)
    expect(server.received).toHaveLength(1)
  })

  it('keeps an email queued while the SMTP server is down and delivers it once after the back-off when it is up', async () => {
    const port = await freePort()
    const w = worker(`smtp://127.0.0.1:${port}`, { backoffMs: [10 * 60_000] })
    const queued = await enqueue()

    const before = clock.now().getTime()
    expect(await w.runOnce()).toBe(0)
    const waiting = await row(queued.id)
    expect(waiting.status).toBe('queued')
    expect(waiting.attempts).toBe(1)
    const due = new Date(waiting.next_attempt_at).getTime()
    expect(due).toBeGreaterThanOrEqual(before + 10 * 60_000)
    expect(waiting.last_error).toMatch(/ECONNREFUSED|ECONNECTION/)

    const server = await smtp({ port })
    // not due yet: the back-off holds, nine minutes on
    clock.advance(9 * 60_000)
    expect(await w.runOnce()).toBe(0)
    expect(server.received).toHaveLength(0)

    clock.set(new Date(due))
    expect(await w.runOnce()).toBe(1)
    const sent = await row(queued.id)
    expect(sent.attempts).toBe(2)
    expect(new Date(sent.sent_at!).getTime()).toBeGreaterThanOrEqual(new Date(waiting.next_attempt_at).getTime())
    await w.runOnce()
    expect(server.received).toHaveLength(1)
    expect(server.received[0]!.messageId).toBe(queued.message_id)
  })

  it('fails an email at once, with the reason, when the server answers 550', async () => {
    const server = await smtp({ handle: () => smtpError('Mailbox unavailable', 550) })
    const queued = await enqueue()
    expect(await worker(server.url).runOnce()).toBe(0)
    const failed = await row(queued.id)
    expect(failed.status).toBe('failed')
    expect(failed.attempts).toBe(1)
    expect(failed.last_error).toContain('550')
    expect(failed.last_error).toContain('Mailbox unavailable')
    expect(server.received).toHaveLength(0)
    // a failed email is not tried again by itself, even a day later
    clock.advance(24 * 60 * 60_000)
    expect(await worker(server.url).runOnce()).toBe(0)
    expect((await row(queued.id)).attempts).toBe(1)
  })

  it('puts an email back in the queue when the server answers 451, and delivers it when the server accepts', async () => {
    const server = await smtp({
      handle: (_message, attempt) => (attempt === 1 ? smtpError('Try again later', 451) : null),
    })
    const queued = await enqueue()
    const w = worker(server.url, { backoffMs: [30_000] })
    expect(await w.runOnce()).toBe(0)
    const waiting = await row(queued.id)
    expect(waiting.status).toBe('queued')
    expect(waiting.last_error).toContain('451')
    // not before the back-off
    expect(await w.runOnce()).toBe(0)

    clock.advance(30_000)
    expect(await w.runOnce()).toBe(1)
    const sent = await row(queued.id)
    expect(sent.status).toBe('sent')
    expect(sent.attempts).toBe(2)
    expect(server.received).toHaveLength(1)
    expect(server.received[0]!.messageId).toBe(queued.message_id)
  })

  it('gives up after the last attempt and shows the email as failed', async () => {
    const server = await smtp({ handle: () => smtpError('Too busy', 421) })
    const queued = await enqueue()
    const w = worker(server.url, { backoffMs: [0], maxAttempts: 3 })
    for (let i = 0; i < 3; i += 1) await w.runOnce()
    const failed = await row(queued.id)
    expect(failed.status).toBe('failed')
    expect(failed.attempts).toBe(3)
    expect(failed.last_error).toMatch(/Gave up after 3 attempts.*421/)
  })

  it('sends the same Message-ID again when the connection dropped after DATA', async () => {
    const server = await smtp()
    const proxy = await startDroppingProxy(server.port, 1)
    cleanups.push(() => proxy.close())
    const queued = await enqueue()
    const w = worker(proxy.url, { backoffMs: [10_000] })

    expect(await w.runOnce()).toBe(0)
    // the server stored it, but the worker never heard so
    expect(server.received).toHaveLength(1)
    const waiting = await row(queued.id)
    expect(waiting.status).toBe('queued')
    expect(waiting.attempts).toBe(1)

    clock.advance(10_000)
    expect(await w.runOnce()).toBe(1)
    expect(server.received).toHaveLength(2)
    expect(server.received[0]!.messageId).toBe(queued.message_id)
    expect(server.received[1]!.messageId).toBe(queued.message_id)
    expect((await row(queued.id)).status).toBe('sent')
  })

  it('gives up on a server that never greets within 30 seconds, with the production timeouts, and is free again', async () => {
    const silent = net.createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()))
    const sockets = new Set<net.Socket>()
    silent.on('connection', (socket) => sockets.add(socket))
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy()
          silent.close(() => resolve())
        }),
    )
    const port = (silent.address() as net.AddressInfo).port
    const queued = await enqueue()
    // no timeouts option: the same ones production uses
    const w = worker(`smtp://127.0.0.1:${port}`)

    const started = Date.now()
    expect(await w.runOnce()).toBe(0)
    const elapsed = Date.now() - started
    expect(elapsed).toBeLessThan(30_000)
    const waiting = await row(queued.id)
    expect(waiting.status).toBe('queued')
    expect(waiting.last_error).toMatch(/Greeting never received|ETIMEDOUT/)

    // free again: the next poll runs at once
    const quick = Date.now()
    expect(await w.runOnce()).toBe(0)
    expect(Date.now() - quick).toBeLessThan(1000)
  }, 45_000)

  it('puts an email left "sending" by a crashed worker back in the queue and sends it, but not one still in hand', async () => {
    const server = await smtp()
    const stale = await enqueue({ subject: 'Stale' })
    const fresh = await enqueue({ subject: 'Fresh' })
    await database.db
      .updateTable('outbox')
      .set({ status: 'sending', attempts: 1, claimed_at: new Date(clock.now().getTime() - 5 * 60_000).toISOString() })
      .where('id', '=', stale.id)
      .execute()
    await database.db
      .updateTable('outbox')
      .set({ status: 'sending', attempts: 1, claimed_at: new Date(clock.now().getTime() - 10_000).toISOString() })
      .where('id', '=', fresh.id)
      .execute()

    expect(await worker(server.url).runOnce()).toBe(1)
    expect(server.received.map((m) => m.messageId)).toEqual([stale.message_id])
    expect((await row(stale.id)).status).toBe('sent')
    expect((await row(stale.id)).attempts).toBe(2)
    expect((await row(fresh.id)).status).toBe('sending')
  })

  it('leaves no email when the transaction that queued it rolls back, and one when it commits', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await enqueueEmail(trx, email({ dedupeKey: 'confirmation:booking:99' }), { domain: DOMAIN })
        throw new Error('the booking failed')
      }),
    ).rejects.toThrow('the booking failed')
    expect(await database.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0)

    await database.db.transaction().execute(async (trx) => {
      await enqueueEmail(trx, email({ dedupeKey: 'confirmation:booking:99' }), { domain: DOMAIN })
    })
    expect(await database.db.selectFrom('outbox').selectAll().execute()).toHaveLength(1)
  })

  it('sends at once when nudged, and never sends one email twice when polls overlap', async () => {
    const server = await smtp()
    const w = worker(server.url, { pollMs: 60_000 })
    w.start()
    // runs after the first poll, so the email below is sent by the nudge, not by start()
    await w.runOnce()
    const queued = await enqueue()
    w.nudge()
    await waitFor(async () => (await row(queued.id)).status === 'sent', 5000)

    for (let i = 0; i < 5; i += 1) await enqueue()
    const other = worker(server.url)
    const results = await Promise.all([w.runOnce(), w.runOnce(), other.runOnce(), other.runOnce()])
    expect(results.reduce((a, b) => a + b, 0)).toBe(5)
    expect(server.received).toHaveLength(6)
    expect(new Set(server.received.map((m) => m.messageId)).size).toBe(6)
  })

  it('waits for a send in flight when stopped', async () => {
    const server = await smtp({ handle: () => new Promise((resolve) => setTimeout(() => resolve(null), 400)) })
    const queued = await enqueue()
    const w = worker(server.url)
    w.start()
    await waitFor(async () => (await row(queued.id)).status === 'sending', 5000)
    await w.stop()
    expect((await row(queued.id)).status).toBe('sent')
    expect(server.received).toHaveLength(1)
  })
})

describe('the staff outbox page', () => {
  // No SMTP_URL: no worker runs, mail stays where the test puts it, and staff read it here.
  let service: TestService

  beforeAll(async () => {
    service = await startTestService()
  })
  afterAll(async () => {
    await service?.close()
  })

  async function queue(overrides: Partial<NewEmail> = {}) {
    const e = email(overrides)
    await enqueueEmail(service.database.db, e, { domain: DOMAIN })
    return service.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', '=', e.dedupeKey)
      .executeTakeFirstOrThrow()
  }

  it('shows staff the queued emails, and lets them read one in full with its links', async () => {
    const queued = await queue({
      subject: 'Your place at Lego club is booked',
      ics: { content: ICS, method: 'REQUEST' },
    })
    const staff = await service.signedIn('staff')
    const page = await staff.get('/staff/outbox')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(service.outbox).toBeUndefined()
    expect(html).toContain('no email server is set up')
    expect(html).toContain('Your place at Lego club is booked')
    expect(html).toContain('<caption')
    expect(html).toContain('govuk-tag--grey')
    expect(html).toContain(`href="/staff/outbox/${queued.id}"`)

    const details = await staff.get(`/staff/outbox/${queued.id}`)
    expect(details.status).toBe(200)
    const detailsHtml = await details.text()
    expect(detailsHtml).toContain('https://join-in.test/bookings/manage/abc123')
    expect(detailsHtml).toMatch(/Calendar invite[\s\S]*Yes: an invitation/)
    expect((await staff.get('/staff/outbox/999999')).status).toBe(404)
  })

  it('filters by status, and refuses a status that does not exist', async () => {
    await queue({ subject: 'Still waiting' })
    const failed = await queue({ subject: 'Bounced back' })
    await service.database.db
      .updateTable('outbox')
      .set({ status: 'failed', last_error: '550 No such user' })
      .where('id', '=', failed.id)
      .execute()
    const staff = await service.signedIn('staff')
    const html = await (await staff.get('/staff/outbox?status=failed')).text()
    expect(html).toContain('Bounced back')
    expect(html).toContain('550 No such user')
    expect(html).not.toContain('Still waiting')
    expect((await staff.get('/staff/outbox?status=lost')).status).toBe(400)
  })

  it('lets staff, but not viewers, put a failed email back in the queue', async () => {
    const failed = await queue({ subject: 'Retry me' })
    await service.database.db
      .updateTable('outbox')
      .set({ status: 'failed', attempts: 1, last_error: '550 Nope' })
      .where('id', '=', failed.id)
      .execute()
    const status = async () =>
      await service.database.db
        .selectFrom('outbox')
        .select(['status', 'attempts'])
        .where('id', '=', failed.id)
        .executeTakeFirstOrThrow()

    const viewer = await service.signedIn('viewer')
    expect((await viewer.post('/staff/outbox', { intent: 'retry', id: String(failed.id) })).status).toBe(403)
    expect((await status()).status).toBe('failed')

    const staff = await service.signedIn('staff')
    expect((await staff.post('/staff/outbox', { intent: 'retry', id: 'not-a-number' })).status).toBe(400)
    const response = await staff.post('/staff/outbox', { intent: 'retry', id: String(failed.id), status: 'failed' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/staff/outbox?status=failed&notice=retried')
    expect(await status()).toEqual({ status: 'queued', attempts: 0 })
    // a second press finds nothing to retry
    const again = await staff.post('/staff/outbox', { intent: 'retry', id: String(failed.id) })
    expect(again.headers.get('location')).toBe('/staff/outbox?notice=not-failed')
    const audit = await service.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'outbox.retry')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.subject_id).toBe(String(failed.id))
  })

  it('works without JavaScript, and axe-core finds no WCAG 2.2 A or AA problems on the outbox pages', async () => {
    const failed = await queue({ subject: 'Browser check: bounced', ics: { content: ICS, method: 'CANCEL' } })
    await service.database.db
      .updateTable('outbox')
      .set({ status: 'failed', attempts: 1, last_error: '550 No such user' })
      .where('id', '=', failed.id)
      .execute()
    await queue({ subject: 'Browser check: waiting' })
    const browser = await launchBrowser()
    try {
      const signIn = async (javaScriptEnabled: boolean) => {
        const context = javaScriptEnabled ? await newContext(browser) : await noScriptContext(browser)
        const page = await context.newPage()
        page.setDefaultTimeout(10_000)
        await signInAsStaff(page, service.url, ADMIN, '/staff/outbox')
        await page.getByRole('table', { name: /Emails, newest first/ }).waitFor()
        return page
      }

      // Without JavaScript: filter, read, retry.
      const page = await signIn(false)
      await page.getByLabel('Status', { exact: true }).selectOption('failed')
      await page.getByRole('button', { name: 'Show emails' }).click()
      await page.waitForURL((url) => url.searchParams.get('status') === 'failed')
      const table = page.getByRole('table', { name: /Failed emails/ })
      expect(await table.textContent()).toContain('Browser check: bounced')
      expect(await table.textContent()).not.toContain('Browser check: waiting')

      await page.getByRole('link', { name: 'Browser check: bounced' }).click()
      await page.waitForURL((url) => url.pathname === `/staff/outbox/${failed.id}`)
      expect(await page.locator('#email-text').textContent()).toContain('https://join-in.test/bookings/manage/abc123')
      await page.getByRole('link', { name: 'Outbox' }).first().click()
      await page.waitForURL((url) => url.pathname === '/staff/outbox')

      await page.getByRole('button', { name: /Retry email “Browser check: bounced”/ }).click()
      await page.waitForURL((url) => url.searchParams.get('notice') === 'retried')
      await page.getByText('The email is queued to be sent again').waitFor()
      expect(
        (
          await service.database.db
            .selectFrom('outbox')
            .select('status')
            .where('id', '=', failed.id)
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('queued')

      // With JavaScript (axe runs in the page): the list, a filtered list with an error, and an email.
      await service.database.db.updateTable('outbox').set({ status: 'failed' }).where('id', '=', failed.id).execute()
      const checked = await signIn(true)
      const axe = accessibilityAudit()
      for (const pathname of [
        '/staff/outbox',
        '/staff/outbox?status=failed',
        '/staff/outbox?status=lost',
        `/staff/outbox/${failed.id}`,
      ]) {
        await checked.goto(`${service.url}${pathname}`)
        await axe.check(checked, pathname)
      }
      axe.expectNone()
    } finally {
      await browser.close()
    }
  })

  it('refuses viewers and sends signed-out visitors to sign in', async () => {
    const viewer = await service.signedIn('viewer')
    expect((await viewer.get('/staff/outbox')).status).toBe(403)
    expect((await viewer.get('/staff/outbox/1')).status).toBe(403)
    const signedOut = await service.client().get('/staff/outbox')
    expect(signedOut.status).toBe(302)
    expect(signedOut.headers.get('location')).toBe(`/staff/sign-in?redirectTo=${encodeURIComponent('/staff/outbox')}`)
  })
})

describe('the outbox worker in the running service', () => {
  let service: TestService
  let server: TestSmtp

  beforeAll(async () => {
    server = await startSmtp()
    // a poll every ten minutes, so mail that goes out at once was sent because something nudged
    service = await startTestService({ SMTP_URL: server.url, OUTBOX_POLL_MS: '600000' })
  })
  afterAll(async () => {
    await service?.close()
    await server?.close()
  })

  it('runs only when SMTP_URL is set', () => {
    expect(service.outbox).toBeDefined()
  })

  it('sends a failed email as soon as staff retry it', async () => {
    const e = email({ subject: 'Retry me now' })
    // queued and failed in one transaction, so no poll can send it before the retry
    await service.database.db.transaction().execute(async (trx) => {
      await enqueueEmail(trx, e, { domain: DOMAIN })
      await trx
        .updateTable('outbox')
        .set({ status: 'failed', attempts: 1, last_error: '550 Nope' })
        .where('dedupe_key', '=', e.dedupeKey)
        .execute()
    })
    const failed = await service.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('dedupe_key', '=', e.dedupeKey)
      .executeTakeFirstOrThrow()

    const staff = await service.signedIn('staff')
    const response = await staff.post('/staff/outbox', { intent: 'retry', id: String(failed.id) })
    expect(response.status).toBe(302)
    await waitFor(async () => {
      const r = await service.database.db
        .selectFrom('outbox')
        .select('status')
        .where('id', '=', failed.id)
        .executeTakeFirstOrThrow()
      return r.status === 'sent'
    }, 10_000)
    expect(server.received.filter((m) => m.messageId === failed.message_id)).toHaveLength(1)
  })
})
