// The outbox: emails written as rows in the caller's own transaction, sent later by the worker
// (worker.server.ts), and readable by staff whether or not SMTP is configured.
import crypto from 'node:crypto'
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely'
import { preparedQuery } from '../../db/prepared'
import type { Database, IcsMethod, OutboxEmail, OutboxStatus, OutboxTable } from '../../db/schema'

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const satisfies readonly OutboxStatus[]

export interface NewEmail {
  /** what the email is for, e.g. 'booking-confirmation', 'reminder', 'cancellation' */
  kind: string
  to: string
  subject: string
  text: string
  html?: string
  ics?: { content: string; method: IcsMethod }
  bookingId?: number
  activityId?: number
  /**
   * Names the one email this is, e.g. `confirmation:booking:12` or `reminder:booking:12:activity:3`.
   * A second enqueue with the same key does nothing: that is how scheduled mail is never sent twice.
   */
  dedupeKey: string
}

/** Every email passes through here, often inside a booking's write lock: compiled once. */
const insertOutboxRow = preparedQuery((db, row: Insertable<OutboxTable>) =>
  db
    .insertInto('outbox')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').doNothing()),
)

/**
 * How many emails of some kinds one address may be sent (by public forms: app/domain/recipient-limits.ts).
 * Every window must have room; an email beyond is written but held (see enqueueEmail).
 */
export interface RecipientLimit {
  /** the kinds counted together */
  kinds: readonly string[]
  windows: ReadonlyArray<{ max: number; ms: number; label: string }>
}

/**
 * A held email is written as failed with no attempt, so staff see it, with the reason, and can
 * send it with the outbox's Retry; the worker never picks it up on its own. Held emails count
 * towards the limit too, so the check reads at most the newest few rows to an address (however
 * many a flood asked for) and a flood stays held until it has stopped for a whole window.
 */
async function limitReached(
  db: Kysely<Database> | Transaction<Database>,
  to: string,
  limit: RecipientLimit,
  now: Date,
): Promise<string | null> {
  if (limit.windows.length === 0) return null
  const longest = Math.max(...limit.windows.map((w) => w.ms))
  const newest = Math.max(...limit.windows.map((w) => w.max))
  // The newest `newest` rows decide every window: a window holds at least its max rows exactly
  // when at least max of these newest rows fall inside it.
  const recent = (
    await recentToAddress(
      db,
      {
        to: to.toLowerCase(),
        since: new Date(now.getTime() - longest).toISOString(),
        newest,
        ...Object.fromEntries(limit.kinds.map((kind, i) => [`kind${i}`, kind])),
      },
      limit.kinds.length,
    )
  ).rows
  for (const window of limit.windows) {
    const since = new Date(now.getTime() - window.ms).toISOString()
    if (recent.filter((r) => r.created_at >= since).length >= window.max)
      return `Not sent: ${window.max} emails like this were asked for this address in the last ${window.label}, the most public forms may send. Retry it if the person asks for it.`
  }
  return null
}

/** The newest emails of some kinds to an address since a time (`shape`: how many kinds). */
const recentToAddress = preparedQuery((db, a: Record<string, string | number>, kinds: number) =>
  db
    .selectFrom('outbox')
    .select('created_at')
    .where(sql`lower(to_address)`, '=', a.to as string)
    .where('created_at', '>=', a.since as string)
    .where(
      'kind',
      'in',
      Array.from({ length: kinds }, (_, i) => a[`kind${i}`] as string),
    )
    // newest first along the index on (lower(to_address), created_at): no sort, stops at the limit
    .orderBy('created_at', 'desc')
    .limit(a.newest as number),
)

/** A new Message-ID, "<uuid@domain>". */
export function newMessageId(domain: string): string {
  return `<${crypto.randomUUID()}@${domain}>`
}

/**
 * Queues an email. Call it inside the transaction that makes the change the email is about, so a
 * rolled-back booking leaves no email and a committed one always has its email. Returns false,
 * writing nothing, when an email with the same dedupe key already exists. With a `limit`, an
 * email beyond it is written held rather than queued (the caller's answer stays the same).
 */
export async function enqueueEmail(
  db: Kysely<Database> | Transaction<Database>,
  email: NewEmail,
  options: { domain: string; limit?: RecipientLimit },
): Promise<boolean> {
  const to = email.to.trim()
  if (!to || /[\r\n]/.test(to)) throw new Error('An email needs one recipient address')
  if (!email.dedupeKey.trim()) throw new Error('An email needs a dedupe key')
  const at = new Date()
  const now = at.toISOString()
  const held = options.limit ? await limitReached(db, to, options.limit, at) : null
  const result = await insertOutboxRow(db, {
    message_id: newMessageId(options.domain),
    dedupe_key: email.dedupeKey,
    kind: email.kind,
    to_address: to,
    subject: email.subject,
    text_body: email.text,
    html_body: email.html ?? null,
    ics: email.ics?.content ?? null,
    ics_method: email.ics?.method ?? null,
    booking_id: email.bookingId ?? null,
    activity_id: email.activityId ?? null,
    status: held ? 'failed' : 'queued',
    last_error: held,
    next_attempt_at: now,
    created_at: now,
  })
  return Number(result.numAffectedRows ?? 0n) > 0
}

export type OutboxListItem = Pick<
  OutboxEmail,
  | 'id'
  | 'kind'
  | 'to_address'
  | 'subject'
  | 'status'
  | 'attempts'
  | 'next_attempt_at'
  | 'last_error'
  | 'created_at'
  | 'sent_at'
  | 'booking_id'
  | 'activity_id'
>

/** The most recent emails, newest first, optionally of one status. Bodies are left out. */
export async function listOutbox(
  db: Kysely<Database>,
  options: { status?: OutboxStatus; limit: number },
): Promise<OutboxListItem[]> {
  let query = db
    .selectFrom('outbox')
    .select([
      'id',
      'kind',
      'to_address',
      'subject',
      'status',
      'attempts',
      'next_attempt_at',
      'last_error',
      'created_at',
      'sent_at',
      'booking_id',
      'activity_id',
    ])
    .orderBy('id', 'desc')
    .limit(Math.max(1, Math.min(options.limit, 1000)))
  if (options.status) query = query.where('status', '=', options.status)
  return query.execute()
}

/** One email with its bodies, for staff to read; null if there is none with that id. */
export async function getOutboxEmail(db: Kysely<Database>, id: number): Promise<OutboxEmail | null> {
  return (await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
}

/**
 * Puts a failed email back in the queue to be sent at once, with a fresh run of attempts. Returns
 * false if there is no failed email with that id (already retried, or never failed). The
 * Message-ID is kept, so a recipient whose server did store an earlier try sees the same message.
 */
export async function requeueFailed(db: Kysely<Database> | Transaction<Database>, id: number): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'queued', attempts: 0, next_attempt_at: new Date().toISOString(), claimed_at: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
