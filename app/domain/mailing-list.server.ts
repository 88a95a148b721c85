// The mailing list: double opt-in (from the sign-up page or the booking form's tick box), one-click
// unsubscribe from every email, and bounces. The staff's export and monthly audit are in
// mailing-list-audit.server.ts; erasing and forgetting addresses in mailing-list-erasure.server.ts.
//
// A person is a current subscriber only while their row's status is 'subscribed'. Joins, leaves
// and bounces are also written as events without the address, so a month's counts stay the
// same after someone is erased.
import { sql, type Transaction } from 'kysely'
import { isUniqueViolation, transaction, type DB } from '../../db/index'
import type { Database, MailingListEventKind, MailingListSource } from '../../db/schema'
import { hashToken, newSecretToken } from '../auth/tokens.server'
import { enqueueEmail } from '../email/outbox.server'
import { mailingListConfirmEmail, mailingListFooter } from '../email/templates.server'
import type { Links } from './links'
import { emailOrganisation } from './settings.server'

type Tx = Transaction<Database>

const DAY_MS = 86_400_000
export const CONFIRM_LINK_DAYS = 7
/** A second request for the same address within this time sends nothing: the form cannot be used to flood someone. */
export const RESEND_AFTER_MS = 10 * 60_000
/** Bookings older than this are not looked at for the opt-in tick (the job runs every few minutes). */
export const OPT_IN_LOOKBACK_DAYS = 14
export const CONFIRM_EMAIL_KIND = 'mailing-list-confirm'

/** Addresses are compared and stored lower-case and trimmed: one person, one row. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

function plausibleToken(token: string): boolean {
  return token.length > 0 && token.length <= 100
}

async function recordEvent(trx: Tx, kind: MailingListEventKind, subscriberId: number, at: string): Promise<void> {
  await trx.insertInto('mailing_list_event').values({ kind, at, subscriber_id: subscriberId }).execute()
}

export type SubscriptionRequestResult = 'sent' | 'already-subscribed' | 'recently-sent'

/**
 * Starts (or restarts) the double opt-in for an address: a pending row and an email with a
 * confirmation link. Nothing is sent to an address already subscribed, nor twice within a few
 * minutes. The caller shows the same answer whatever the result, so the form never tells
 * anyone whether an address is on the list.
 */
export async function requestSubscription(
  db: DB,
  request: { email: string; firstName: string | null; source: MailingListSource },
  links: Links,
  now = new Date(),
): Promise<SubscriptionRequestResult> {
  const email = normaliseEmail(request.email)
  const stamp = now.toISOString()
  // The form posted twice at once on PostgreSQL (each statement sees what committed before it):
  // the unique address decides, and the other post is answered as a repeat would be.
  return requestSubscriptionOnce(db, request, email, stamp, links, now).catch((error: unknown) => {
    if (!isUniqueViolation(error, { table: 'mailing_list_subscriber', column: 'email' })) throw error
    return requestSubscriptionOnce(db, request, email, stamp, links, now)
  })
}

function requestSubscriptionOnce(
  db: DB,
  request: { firstName: string | null; source: MailingListSource },
  email: string,
  stamp: string,
  links: Links,
  now: Date,
): Promise<SubscriptionRequestResult> {
  return transaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('mailing_list_subscriber')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst()
    if (existing?.status === 'subscribed') return 'already-subscribed'
    if (existing?.status === 'pending' && now.getTime() - new Date(existing.requested_at).getTime() < RESEND_AFTER_MS) {
      return 'recently-sent'
    }
    const token = newSecretToken()
    const pending = {
      status: 'pending' as const,
      source: request.source,
      confirm_token_hash: hashToken(token),
      confirm_expires_at: new Date(now.getTime() + CONFIRM_LINK_DAYS * DAY_MS).toISOString(),
      requested_at: stamp,
      updated_at: stamp,
    }
    let id: number
    let firstName = request.firstName
    if (existing) {
      // A first name typed now replaces the old one; a booking's tick box gives none and keeps it.
      firstName = request.firstName ?? existing.first_name
      await trx
        .updateTable('mailing_list_subscriber')
        .set({ ...pending, first_name: firstName })
        .where('id', '=', existing.id)
        .execute()
      id = existing.id
    } else {
      const row = await trx
        .insertInto('mailing_list_subscriber')
        .values({
          ...pending,
          email,
          first_name: request.firstName,
          confirmed_at: null,
          left_at: null,
          created_at: stamp,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      id = row.id
    }
    const content = mailingListConfirmEmail({
      firstName,
      confirmUrl: `${links.baseUrl}/mailing-list/confirm?token=${encodeURIComponent(token)}`,
      validFor: `${CONFIRM_LINK_DAYS} days`,
      organisation: await emailOrganisation(trx, links),
    })
    await enqueueEmail(
      trx,
      { kind: CONFIRM_EMAIL_KIND, to: email, ...content, dedupeKey: `mailing-list:confirm:${id}:${stamp}` },
      { domain: links.domain },
    )
    return 'sent'
  })
}

/**
 * The booking form's "email me about new activities" tick starts the same double opt-in. An
 * address already subscribed, or holding a confirmation link that still works, gets nothing; one
 * that left (or bounced) is asked again only by a tick made after it left, so an old booking never
 * signs anyone up again.
 */
export async function enqueueBookingOptIns(db: DB, links: Links, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - OPT_IN_LOOKBACK_DAYS * DAY_MS).toISOString()
  const bookings = await db
    .selectFrom('booking')
    .select(['email', 'created_at'])
    // A literal 1, not a parameter, so SQLite can use the partial index on ticked bookings.
    .where('mailing_list_opt_in', '=', sql.lit(1))
    .where('created_at', '>=', since)
    .where('email', 'is not', null)
    .orderBy('created_at', 'desc')
    .execute()
  // The latest tick per address is the one that counts.
  const latest = new Map<string, string>()
  for (const booking of bookings) {
    const email = normaliseEmail(booking.email ?? '')
    if (email && !latest.has(email)) latest.set(email, booking.created_at)
  }
  let sent = 0
  for (const [email, tickedAt] of latest) {
    const existing = await db
      .selectFrom('mailing_list_subscriber')
      .select(['status', 'requested_at', 'confirm_expires_at', 'left_at'])
      .where('email', '=', email)
      .executeTakeFirst()
    if (existing) {
      if (existing.status === 'subscribed') continue
      // Already asked, and the link still works: one confirmation email is enough.
      if (
        existing.status === 'pending' &&
        (tickedAt <= existing.requested_at || (existing.confirm_expires_at ?? '') > now.toISOString())
      )
        continue
      // Left or bounced: only a tick made after that asks again.
      if (existing.status !== 'pending' && tickedAt <= (existing.left_at ?? existing.requested_at)) continue
    }
    const result = await requestSubscription(db, { email, firstName: null, source: 'booking' }, links, now)
    if (result === 'sent') sent += 1
  }
  return sent
}

export type ConfirmationState = 'valid' | 'already-subscribed' | 'expired' | 'invalid'

async function findByConfirmToken(db: DB, token: string) {
  if (!plausibleToken(token)) return undefined
  return db
    .selectFrom('mailing_list_subscriber')
    .selectAll()
    .where('confirm_token_hash', '=', hashToken(token))
    .executeTakeFirst()
}

/** What the confirmation link would do, without doing it (a GET, or a mail scanner, changes nothing). */
export async function checkConfirmation(db: DB, token: string, now = new Date()): Promise<ConfirmationState> {
  const subscriber = await findByConfirmToken(db, token)
  if (!subscriber) return 'invalid'
  if (subscriber.status === 'subscribed') return 'already-subscribed'
  if (subscriber.status !== 'pending') return 'invalid'
  if (!subscriber.confirm_expires_at || new Date(subscriber.confirm_expires_at) <= now) return 'expired'
  return 'valid'
}

export type ConfirmResult = 'confirmed' | 'already-subscribed' | 'expired' | 'invalid'

/**
 * The second step of the double opt-in: from now on the address is a current subscriber. The
 * token is kept until it expires, so pressing the button twice says "already on the list".
 */
export async function confirmSubscription(db: DB, token: string, now = new Date()): Promise<ConfirmResult> {
  if (!plausibleToken(token)) return 'invalid'
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const subscriber = await trx
      .selectFrom('mailing_list_subscriber')
      .selectAll()
      .where('confirm_token_hash', '=', hashToken(token))
      .executeTakeFirst()
    if (!subscriber) return 'invalid'
    if (subscriber.status === 'subscribed') return 'already-subscribed'
    if (subscriber.status !== 'pending') return 'invalid'
    if (!subscriber.confirm_expires_at || new Date(subscriber.confirm_expires_at) <= now) return 'expired'
    await trx
      .updateTable('mailing_list_subscriber')
      .set({ status: 'subscribed', confirmed_at: stamp, left_at: null, updated_at: stamp })
      .where('id', '=', subscriber.id)
      .execute()
    await recordEvent(trx, 'join', subscriber.id, stamp)
    return 'confirmed'
  })
}

export type UnsubscribeState = 'valid' | 'already-left' | 'invalid'

async function findByUnsubscribeToken(db: DB, token: string) {
  if (!plausibleToken(token)) return undefined
  return db
    .selectFrom('mailing_list_unsubscribe_token')
    .innerJoin('mailing_list_subscriber', 'mailing_list_subscriber.id', 'mailing_list_unsubscribe_token.subscriber_id')
    .select(['mailing_list_subscriber.id', 'mailing_list_subscriber.status'])
    .where('mailing_list_unsubscribe_token.token_hash', '=', hashToken(token))
    .executeTakeFirst()
}

/** What the unsubscribe link would do, without doing it. */
export async function checkUnsubscribe(db: DB, token: string): Promise<UnsubscribeState> {
  const subscriber = await findByUnsubscribeToken(db, token)
  if (!subscriber) return 'invalid'
  return subscriber.status === 'subscribed' || subscriber.status === 'pending' ? 'valid' : 'already-left'
}

export type UnsubscribeResult = 'left' | 'already-left' | 'invalid'

/**
 * One click, no login: the address stops being a current subscriber at once. A pending request
 * to join again is cancelled too. Repeating it (a mail client's one-click POST and then the page's
 * button) changes nothing more.
 */
export async function unsubscribe(db: DB, token: string, now = new Date()): Promise<UnsubscribeResult> {
  if (!plausibleToken(token)) return 'invalid'
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const subscriber = await trx
      .selectFrom('mailing_list_unsubscribe_token')
      .innerJoin(
        'mailing_list_subscriber',
        'mailing_list_subscriber.id',
        'mailing_list_unsubscribe_token.subscriber_id',
      )
      .select(['mailing_list_subscriber.id', 'mailing_list_subscriber.status'])
      .where('mailing_list_unsubscribe_token.token_hash', '=', hashToken(token))
      .executeTakeFirst()
    if (!subscriber) return 'invalid'
    if (subscriber.status !== 'subscribed' && subscriber.status !== 'pending') return 'already-left'
    await trx
      .updateTable('mailing_list_subscriber')
      .set({
        status: 'unsubscribed',
        left_at: stamp,
        confirm_token_hash: null,
        confirm_expires_at: null,
        updated_at: stamp,
      })
      .where('id', '=', subscriber.id)
      .execute()
    // A pending request was never a join, so cancelling it is no leave either.
    if (subscriber.status === 'subscribed') await recordEvent(trx, 'leave', subscriber.id, stamp)
    return 'left'
  })
}

/**
 * The mail server refused this address for good: a current subscriber stops being one, and the
 * bounce is recorded for the monthly audit. Returns whether a subscriber was affected.
 */
export async function recordBounce(db: DB, address: string, now = new Date()): Promise<boolean> {
  const stamp = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const subscriber = await trx
      .selectFrom('mailing_list_subscriber')
      .select('id')
      .where('email', '=', normaliseEmail(address))
      .where('status', '=', 'subscribed')
      .executeTakeFirst()
    if (!subscriber) return false
    await trx
      .updateTable('mailing_list_subscriber')
      .set({ status: 'bounced', left_at: stamp, confirm_token_hash: null, confirm_expires_at: null, updated_at: stamp })
      .where('id', '=', subscriber.id)
      .execute()
    await recordEvent(trx, 'bounce', subscriber.id, stamp)
    return true
  })
}

export interface UnsubscribeExtras {
  url: string
  text: string
  html: string
  /** RFC 2369 and RFC 8058: mail clients show their own one-click "Unsubscribe" */
  headers: Record<string, string>
}

/**
 * For the outbox worker, as it sends: when the recipient is a current subscriber, a fresh
 * unsubscribe link (only its hash kept) with the footer and headers that carry it; otherwise null.
 */
export async function unsubscribeExtrasFor(
  db: DB,
  address: string,
  baseUrl: string,
  now = new Date(),
): Promise<UnsubscribeExtras | null> {
  const subscriber = await db
    .selectFrom('mailing_list_subscriber')
    .select('id')
    .where('email', '=', normaliseEmail(address))
    .where('status', '=', 'subscribed')
    .executeTakeFirst()
  if (!subscriber) return null
  const token = newSecretToken()
  await db
    .insertInto('mailing_list_unsubscribe_token')
    .values({ token_hash: hashToken(token), subscriber_id: subscriber.id, created_at: now.toISOString() })
    .execute()
  const url = `${baseUrl.replace(/\/$/, '')}/mailing-list/unsubscribe?token=${encodeURIComponent(token)}`
  const footer = mailingListFooter(url)
  return {
    url,
    ...footer,
    headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  }
}
