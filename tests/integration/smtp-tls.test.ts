// Mail to another machine goes encrypted or not at all: the service sends through a real SMTP
// server listening on this machine's own network address (not loopback), with and without
// STARTTLS on offer; mail to a loopback server may go in the clear.
import os from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestService, type TestService } from '../support/service'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { waitFor } from '../support/wait'

/** An IPv4 address of this machine that is not loopback, if it has one. */
const networkAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address

const running: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  while (running.length) await running.pop()!.close()
})

async function serviceSendingThrough(smtpUrl: string): Promise<TestService> {
  const service = await startTestService({ SMTP_URL: smtpUrl, OUTBOX_POLL_MS: '100' })
  running.push(service)
  return service
}

async function smtp(options: Parameters<typeof startSmtp>[0]): Promise<TestSmtp> {
  const server = await startSmtp(options)
  running.unshift(server)
  return server
}

/** Someone joins the mailing list: one email, the confirmation, goes into the outbox. */
async function joinMailingList(service: TestService, email: string): Promise<void> {
  const response = await service.client().post('/mailing-list', { email, firstName: 'Tess' })
  expect(response.status).toBe(200)
}

async function outboxRow(service: TestService, email: string) {
  return service.database.db
    .selectFrom('outbox')
    .select(['status', 'attempts', 'last_error'])
    .where('to_address', '=', email)
    .executeTakeFirstOrThrow()
}

describe.skipIf(!networkAddress)(`sending to ${networkAddress ?? 'a network address'}`, () => {
  it('does not send in the clear when the server offers no STARTTLS', async () => {
    const server = await smtp({ host: networkAddress })
    const service = await serviceSendingThrough(server.url)
    await joinMailingList(service, 'clear@example.org')
    const row = await waitFor(async () => {
      const r = await outboxRow(service, 'clear@example.org')
      return r.attempts > 0 && r.status !== 'sending' ? r : null
    })
    expect(row.status).toBe('queued')
    expect(row.last_error).toMatch(/^ETLS at STARTTLS/)
    expect(server.received).toHaveLength(0)
  })

  it('sends over TLS when the server offers STARTTLS', async () => {
    const server = await smtp({ host: networkAddress, starttls: true })
    // smtp-server's own certificate is self-signed: this test alone accepts it
    const service = await serviceSendingThrough(`${server.url}?tls.rejectUnauthorized=false`)
    await joinMailingList(service, 'tls@example.org')
    const message = await waitFor(() => server.received.find((m) => m.to.includes('tls@example.org')))
    expect(message.secure).toBe(true)
  })

  it('sends in the clear only when SMTP_URL says requireTLS=false', async () => {
    const server = await smtp({ host: networkAddress })
    const service = await serviceSendingThrough(`${server.url}?requireTLS=false`)
    await joinMailingList(service, 'optout@example.org')
    const message = await waitFor(() => server.received.find((m) => m.to.includes('optout@example.org')))
    expect(message.secure).toBe(false)
  })
})

describe('sending to a loopback address', () => {
  it('may send in the clear: the mail never leaves this machine', async () => {
    const server = await smtp({})
    expect(server.url).toMatch(/^smtp:\/\/127\.0\.0\.1:/)
    const service = await serviceSendingThrough(server.url)
    await joinMailingList(service, 'local@example.org')
    const message = await waitFor(() => server.received.find((m) => m.to.includes('local@example.org')))
    expect(message.secure).toBe(false)
  })
})
