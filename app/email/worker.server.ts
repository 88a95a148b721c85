// The outbox worker: claims queued emails one at a time, sends each over SMTP outside any
// transaction, and records the outcome. Retries by class of failure, as pretix does.
import nodemailer from 'nodemailer'
import type { Kysely } from 'kysely'
import { claimable } from '../../db/index'
import type { Database, OutboxEmail } from '../../db/schema'

/** 10 s, 30 s, 1 min, 5 min, then every 15 min: attempt n waits the nth delay (the last repeats). */
export const DEFAULT_BACKOFF_MS: readonly number[] = [10_000, 30_000, 60_000, 5 * 60_000, 15 * 60_000]
export const DEFAULT_MAX_ATTEMPTS = 10
/** A row still 'sending' after this long belongs to a worker that died mid-send. */
export const DEFAULT_STALE_AFTER_MS = 2 * 60_000

/**
 * nodemailer waits 120 s to connect and 600 s of silence by default: a server that never greets
 * would hold the worker for ten minutes. These are seconds instead.
 */
export const DEFAULT_SMTP_TIMEOUTS = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 20_000 }

export interface OutboxWorkerOptions {
  db: Kysely<Database>
  /** smtp://user:pass@host:587 (STARTTLS required unless loopback or ?requireTLS=false) or smtps://…:465 */
  smtpUrl: string
  /** the From header, e.g. 'Join In <join-in@example.org>' */
  from: string
  pollMs: number
  log?: (line: string) => void
  backoffMs?: readonly number[]
  maxAttempts?: number
  staleAfterMs?: number
  timeouts?: Partial<typeof DEFAULT_SMTP_TIMEOUTS>
  /** What the worker asks of the rest of the service as it sends (the mailing list's, wired by server/boot.ts). */
  hooks?: OutboxWorkerHooks
  /** the clock for claiming, back-off and staleness; tests move their own instead of sleeping */
  now?: () => Date
}

/** A footer added to an email as it goes, with the headers that belong with it. */
export interface EmailFooter {
  text: string
  html: string
  headers: Record<string, string>
}

export interface OutboxWorkerHooks {
  /**
   * Asked just before each send: a footer for this recipient (a mailing-list subscriber's fresh
   * unsubscribe link and List-Unsubscribe headers), or null for none.
   */
  footerFor?(address: string): Promise<EmailFooter | null>
  /**
   * The recipient's server refused the address for good (a bounce). Resolves to true when that
   * changed something worth logging (a subscriber left the mailing list).
   */
  onRecipientRefused?(address: string): Promise<boolean>
}

/** Adds a footer to an email's bodies: in HTML before </body> when there is one. */
export function withFooter(
  body: { text: string; html: string | null },
  footer: Pick<EmailFooter, 'text' | 'html'>,
): { text: string; html: string | null } {
  const html =
    body.html === null
      ? null
      : body.html.includes('</body>')
        ? body.html.replace('</body>', () => `${footer.html}</body>`)
        : body.html + footer.html
  return { text: body.text.replace(/\s*$/, '') + footer.text, html }
}

export interface OutboxWorker {
  /** polls at once, then every pollMs */
  start(): void
  /** stops polling and waits for a send in flight to finish */
  stop(): Promise<void>
  /** one poll: requeues stale rows, then sends every due email once; resolves to how many were sent */
  runOnce(): Promise<number>
  /** polls now rather than at the next tick: call it after committing a change that queued mail */
  nudge(): void
}

interface SmtpError {
  message?: string
  code?: string
  responseCode?: number
  response?: string
  command?: string
}

export type SendOutcome =
  | { status: 'sent' }
  | { status: 'retry'; error: string }
  | { status: 'failed'; error: string; recipientRefused?: boolean }

/**
 * Permanent or temporary. A 5xx reply is the server saying no for good (unknown mailbox,
 * rejected content): fail at once so staff see it. 4xx replies (421, 450, 451, 452), refused
 * connections, timeouts and a connection that could not be secured with TLS are temporary: try
 * again later.
 */
export function classifySmtpError(err: unknown): 'permanent' | 'temporary' {
  const e = (err ?? {}) as SmtpError
  // The connection could not be made secure (no STARTTLS, or a bad handshake): like a refused
  // connection it says nothing about the message, and a downgrade on the path may pass.
  if (e.code === 'ETLS') return 'temporary'
  if (typeof e.responseCode === 'number') return e.responseCode >= 500 ? 'permanent' : 'temporary'
  // nodemailer refuses an envelope it cannot build (no or malformed recipient) before connecting.
  if (e.code === 'EENVELOPE') return 'permanent'
  return 'temporary'
}

/**
 * The server refused the recipient itself for good (a bounce), rather than the message or our
 * connection: a 5xx answer to RCPT TO, or a 5.1.x / 5.2.1 status (no such mailbox, bad domain,
 * mailbox disabled) given at the end of DATA by servers that check recipients late.
 */
export function isRecipientRefusal(err: unknown): boolean {
  const e = (err ?? {}) as SmtpError
  if (typeof e.responseCode !== 'number' || e.responseCode < 500 || e.responseCode > 599) return false
  if (e.command === 'RCPT TO') return true
  return /^5\d\d[ -]5\.(1\.\d{1,3}|2\.1)\b/.test(e.response?.trim() ?? '')
}

export function describeSmtpError(err: unknown): string {
  const e = (err ?? {}) as SmtpError
  const detail = e.response?.trim() || e.message || String(err)
  const label = [e.code, e.command ? `at ${e.command}` : ''].filter(Boolean).join(' ')
  return (label ? `${label}: ${detail}` : detail).slice(0, 1000)
}

/** The delay before the next attempt, after `attempts` attempts so far (1 after the first). */
export function backoffDelay(attempts: number, backoffMs: readonly number[] = DEFAULT_BACKOFF_MS): number {
  if (backoffMs.length === 0) return 0
  return backoffMs[Math.min(Math.max(attempts, 1), backoffMs.length) - 1]!
}

/**
 * The timeouts go in the URL's query: nodemailer builds its connection options from the URL alone,
 * and silently ignores createTransport's second argument for them (checked with nodemailer 7.0.13).
 * Values already in SMTP_URL win.
 */
export function smtpUrlWithTimeouts(smtpUrl: string, timeouts: typeof DEFAULT_SMTP_TIMEOUTS): string {
  const url = new URL(smtpUrl)
  const params: Record<string, number> = {
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
  }
  for (const [key, value] of Object.entries(params)) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, String(value))
  }
  return url.toString()
}

/** 127.0.0.0/8, ::1 and localhost: a server on this machine, where mail never crosses a network. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

/**
 * smtp:// upgrades with STARTTLS only if the server offers it, so anyone on the path could strip
 * the offer and read every email. Here TLS is required (nodemailer's requireTLS: no STARTTLS, no
 * send) unless the host is loopback, or SMTP_URL says `requireTLS=false` (or true) itself.
 * smtps:// is TLS from the first byte and is left alone.
 */
export function smtpUrlRequiringTls(smtpUrl: string): string {
  const url = new URL(smtpUrl)
  if (url.protocol !== 'smtp:' || url.searchParams.has('requireTLS') || isLoopbackHost(url.hostname)) return smtpUrl
  url.searchParams.set('requireTLS', 'true')
  return url.toString()
}

/** How SMTP_URL's mail travels, for the start-up log. */
export function smtpSecurity(
  smtpUrl: string,
): 'TLS' | 'STARTTLS required' | 'unencrypted allowed (loopback)' | 'unencrypted allowed (requireTLS=false)' {
  const url = new URL(smtpUrlRequiringTls(smtpUrl))
  if (url.protocol === 'smtps:') return 'TLS'
  if (url.searchParams.get('requireTLS') === 'false') return 'unencrypted allowed (requireTLS=false)'
  return url.searchParams.get('requireTLS') === 'true' ? 'STARTTLS required' : 'unencrypted allowed (loopback)'
}

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, from, pollMs } = options
  const log = options.log ?? ((line: string) => console.log(line))
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS
  const timeouts = { ...DEFAULT_SMTP_TIMEOUTS, ...options.timeouts }
  const hooks = options.hooks ?? {}
  const clock = options.now ?? (() => new Date())
  // Not pooled: every message opens its own connection, so a broken one never outlives its send.
  const transport = nodemailer.createTransport(smtpUrlWithTimeouts(smtpUrlRequiringTls(options.smtpUrl), timeouts))

  let started = false
  let stopping = false
  let timer: NodeJS.Timeout | null = null
  let loopPoll: Promise<unknown> | null = null
  let nudged = false
  // Every poll runs after the one before it: never two at once, whoever asked.
  let chain: Promise<unknown> = Promise.resolve()

  async function requeueStale(now: Date): Promise<void> {
    const staleBefore = new Date(now.getTime() - staleAfterMs).toISOString()
    // A row that has taken the process down maxAttempts times is not tried again.
    await db
      .updateTable('outbox')
      .set({ status: 'failed', claimed_at: null, last_error: `Sending was interrupted ${maxAttempts} times` })
      .where('status', '=', 'sending')
      .where('claimed_at', '<', staleBefore)
      .where('attempts', '>=', maxAttempts)
      .execute()
    const requeued = await db
      .updateTable('outbox')
      .set({
        status: 'queued',
        claimed_at: null,
        next_attempt_at: now.toISOString(),
        last_error: 'Sending was interrupted',
      })
      .where('status', '=', 'sending')
      .where('claimed_at', '<', staleBefore)
      .executeTakeFirst()
    const count = Number(requeued.numUpdatedRows)
    if (count > 0) log(`outbox: ${count} email(s) left mid-send were queued again`)
  }

  /** QUEUED → SENDING in one statement, so two workers never take the same row. */
  async function claimNext(afterId: number): Promise<OutboxEmail | undefined> {
    const now = clock().toISOString()
    return db
      .updateTable('outbox')
      .set((eb) => ({ status: 'sending', claimed_at: now, attempts: eb('attempts', '+', 1) }))
      .where((eb) =>
        eb(
          'id',
          '=',
          // another instance's worker skips a row this one is claiming (SKIP LOCKED on PostgreSQL)
          claimable(
            db,
            eb
              .selectFrom('outbox as due')
              .select('due.id')
              .where('due.status', '=', 'queued')
              .where('due.next_attempt_at', '<=', now)
              // each poll walks forward once, so a quickly retried row cannot spin inside one poll
              .where('due.id', '>', afterId)
              .orderBy('due.id')
              .limit(1),
          ),
        ),
      )
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst()
  }

  async function send(row: OutboxEmail): Promise<SendOutcome> {
    try {
      const footer = (await hooks.footerFor?.(row.to_address)) ?? null
      const body = footer
        ? withFooter({ text: row.text_body, html: row.html_body }, footer)
        : { text: row.text_body, html: row.html_body }
      await transport.sendMail({
        messageId: row.message_id,
        from,
        to: row.to_address,
        subject: row.subject,
        text: body.text,
        ...(body.html ? { html: body.html } : {}),
        ...(footer ? { headers: footer.headers } : {}),
        ...(row.ics
          ? { icalEvent: { method: row.ics_method ?? 'PUBLISH', content: row.ics, filename: 'invite.ics' } }
          : {}),
      })
      return { status: 'sent' }
    } catch (err) {
      const error = describeSmtpError(err)
      return classifySmtpError(err) === 'permanent'
        ? { status: 'failed', error, recipientRefused: isRecipientRefusal(err) }
        : { status: 'retry', error }
    }
  }

  async function record(row: OutboxEmail, outcome: SendOutcome): Promise<void> {
    const now = clock()
    if (outcome.status === 'sent') {
      await db
        .updateTable('outbox')
        .set({ status: 'sent', sent_at: now.toISOString(), claimed_at: null, last_error: null })
        .where('id', '=', row.id)
        .execute()
      return
    }
    if (outcome.status === 'failed' || row.attempts >= maxAttempts) {
      const error =
        outcome.status === 'failed' ? outcome.error : `Gave up after ${row.attempts} attempts: ${outcome.error}`
      await db
        .updateTable('outbox')
        .set({ status: 'failed', claimed_at: null, last_error: error })
        .where('id', '=', row.id)
        .execute()
      log(`outbox: email ${row.id} failed: ${error}`)
      if (
        outcome.status === 'failed' &&
        outcome.recipientRefused &&
        (await hooks.onRecipientRefused?.(row.to_address))
      ) {
        log(`outbox: email ${row.id}'s recipient was refused for good and recorded as a bounce`)
      }
      return
    }
    const next = new Date(now.getTime() + backoffDelay(row.attempts, backoffMs))
    await db
      .updateTable('outbox')
      .set({ status: 'queued', claimed_at: null, next_attempt_at: next.toISOString(), last_error: outcome.error })
      .where('id', '=', row.id)
      .execute()
    log(`outbox: email ${row.id} will be tried again at ${next.toISOString()}: ${outcome.error}`)
  }

  async function poll(): Promise<number> {
    await requeueStale(clock())
    let sent = 0
    let lastId = 0
    while (!stopping) {
      const row = await claimNext(lastId)
      if (!row) break
      lastId = row.id
      const outcome = await send(row)
      await record(row, outcome)
      if (outcome.status === 'sent') sent += 1
    }
    return sent
  }

  function runOnce(): Promise<number> {
    const run = chain.then(poll)
    chain = run.catch(() => undefined)
    return run
  }

  function schedule(delayMs: number): void {
    if (stopping) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(tick, delayMs)
    timer.unref()
  }

  function tick(): void {
    timer = null
    nudged = false
    loopPoll = runOnce()
      .catch((err: unknown) => log(`outbox: poll failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        loopPoll = null
        schedule(nudged ? 0 : pollMs)
      })
  }

  return {
    start() {
      if (started) return
      started = true
      // The first poll is queued now, so mail left from before a restart goes at once, and a
      // runOnce() called after start() runs after it.
      tick()
    },
    async stop() {
      stopping = true
      if (timer) clearTimeout(timer)
      timer = null
      await loopPoll
      await chain
      transport.close()
    },
    runOnce,
    nudge() {
      if (!started || stopping) return
      if (loopPoll) nudged = true
      else schedule(0)
    },
  }
}
