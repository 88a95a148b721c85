// Forgetting mailing-list addresses: on request (with a subject erasure) and, by the scheduled
// job, addresses we no longer have a reason to keep. The anonymous join, leave and bounce events
// stay, so past months' audit counts do not change.
import type { Transaction } from 'kysely'
import type { DB } from '../../db/index'
import type { Database } from '../../db/schema'
import { addMonths, londonDateOf, startOfLondonDay } from '../time/london-time'
import { CONFIRM_EMAIL_KIND, normaliseEmail } from './mailing-list.server'

const DAY_MS = 86_400_000
/** An address that never confirmed is forgotten this long after its link expired: we have no consent to keep it. */
export const FORGET_UNCONFIRMED_AFTER_DAYS = 30
/** Someone who left (or bounced) is listed in the monthly audit for this long, then forgotten. */
export const FORGET_LEFT_AFTER_MONTHS = 24

/**
 * Removes every trace of an address from the mailing list: its row, its unsubscribe tokens and
 * its confirmation emails in the outbox. The join, leave and bounce events stay, with no one
 * attached, so past months' counts do not change. Returns whether the address was on the list.
 */
export async function eraseMailingListEmail(db: DB, email: string): Promise<boolean> {
  return db.transaction().execute((trx) => eraseMailingListEmailIn(trx, email))
}

/** The same, inside the caller's transaction (the subject erasure erases everything in one). */
export async function eraseMailingListEmailIn(trx: Transaction<Database>, email: string): Promise<boolean> {
  const address = normaliseEmail(email)
  if (!address) return false
  const subscriber = await trx
    .selectFrom('mailing_list_subscriber')
    .select('id')
    .where('email', '=', address)
    .executeTakeFirst()
  await trx
    .deleteFrom('outbox')
    .where('kind', '=', CONFIRM_EMAIL_KIND)
    .where((eb) => eb(eb.fn('lower', [eb.fn('trim', ['to_address'])]), '=', address))
    .where('status', '<>', 'sending')
    .execute()
  if (!subscriber) return false
  await trx
    .updateTable('mailing_list_event')
    .set({ subscriber_id: null })
    .where('subscriber_id', '=', subscriber.id)
    .execute()
  await trx.deleteFrom('mailing_list_unsubscribe_token').where('subscriber_id', '=', subscriber.id).execute()
  await trx.deleteFrom('mailing_list_subscriber').where('id', '=', subscriber.id).execute()
  return true
}

/**
 * Data minimisation, run by the scheduled job: addresses that never confirmed (a month after their
 * link expired) and people who left or bounced (after two years of monthly audits) are erased as
 * eraseMailingListEmail does, keeping the anonymous events. Returns how many were forgotten.
 */
export async function forgetOldMailingListEntries(db: DB, now = new Date()): Promise<number> {
  const unconfirmedBefore = new Date(now.getTime() - FORGET_UNCONFIRMED_AFTER_DAYS * DAY_MS).toISOString()
  const leftBefore = startOfLondonDay(addMonths(londonDateOf(now), -FORGET_LEFT_AFTER_MONTHS)).toISOString()
  const rows = await db
    .selectFrom('mailing_list_subscriber')
    .select('email')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('confirm_expires_at', '<', unconfirmedBefore)]),
        eb.and([eb('status', 'in', ['unsubscribed', 'bounced']), eb('left_at', '<', leftBefore)]),
      ]),
    )
    .limit(500)
    .execute()
  let forgotten = 0
  for (const row of rows) if (await eraseMailingListEmail(db, row.email)) forgotten += 1
  return forgotten
}
