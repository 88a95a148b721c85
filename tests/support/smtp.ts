// A real SMTP server for tests (smtp-server on 127.0.0.1): it stores every message it accepts, and
// can refuse recipients or answer a message with an error, as a real mail server does. Also reads
// a received message's calendar invite with a parser other than the one that wrote it (calendar.ts).
import net from 'node:net'
import type ICAL from 'ical.js'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server'
import { firstEvent, readCalendar } from './calendar'

export interface Received {
  raw: string
  messageId: string | undefined
  /** the envelope's recipients */
  to: string[]
  /** whether the message came over TLS (after STARTTLS) */
  secure: boolean
}

/** What the server answers at the end of DATA for this message (the nth it was sent): null accepts it. */
export type DataHandler = (message: Received, attempt: number) => Error | null | Promise<Error | null>

export interface TestSmtp {
  port: number
  url: string
  received: Received[]
  close(): Promise<void>
}

/** An SMTP error reply, e.g. smtpError('Try again later', 451). */
export function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode })
}

export async function startSmtp(
  options: {
    port?: number
    handle?: DataHandler
    /** recipients refused for good at RCPT TO (550 5.1.1), as an unknown mailbox is */
    refuse?: (address: string) => boolean
    /** the address to listen on; 127.0.0.1 unless a test needs a host that is not loopback */
    host?: string
    /** offer STARTTLS (with smtp-server's own self-signed certificate); off by default */
    starttls?: boolean
  } = {},
): Promise<TestSmtp> {
  const received: Received[] = []
  let attempt = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    logger: false,
    closeTimeout: 200,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address.toLowerCase())) {
        return callback(smtpError('5.1.1 No such user here', 550))
      }
      callback()
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        attempt += 1
        const raw = Buffer.concat(chunks).toString('utf8')
        const message: Received = {
          raw,
          messageId: /^Message-ID:\s*(.+)$/im.exec(raw)?.[1]?.trim(),
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
        }
        const error = options.handle ? await options.handle(message, attempt) : null
        if (!error) received.push(message)
        callback(error)
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.server.address() as net.AddressInfo).port
  const host = options.host ?? '127.0.0.1'
  return {
    port,
    url: `smtp://${net.isIPv6(host) ? `[${host}]` : host}:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A port nothing listens on (for a moment): an SMTP server that is down. */
export async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()))
  const port = (probe.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

export interface Invite {
  /** the part's Content-Type parameters, e.g. { method: 'REQUEST', charset: 'utf-8' } */
  params: Record<string, string>
  calendar: ICAL.Component
  event: ICAL.Event
}

/**
 * The message's calendar invite, parsed by mailparser and ical.js: the text/calendar part must be
 * there, so a message without one fails the test rather than passing on text found elsewhere.
 */
export async function inviteOf(message: Received | ParsedMail): Promise<Invite> {
  const mail = 'raw' in message ? await simpleParser(message.raw) : message
  const part = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))
  if (!part) throw new Error(`no text/calendar part in "${mail.subject}"`)
  const calendar = readCalendar(part.content.toString('utf8'))
  const header = part.headers.get('content-type') as { params?: Record<string, string> } | undefined
  return { params: header?.params ?? {}, calendar, event: firstEvent(calendar) }
}
