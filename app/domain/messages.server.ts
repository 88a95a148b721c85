// Messages staff email to a session's families (everyone with a place, or everyone on the waiting
// list), through the outbox, each recorded on the session.
import type { Transaction } from 'kysely'
import { againAfterUniqueRace, type DB } from '../../db/index'
import type { Database, MessageAudience } from '../../db/schema'
import { enqueueEmail } from '../email/outbox.server'
import { sessionMessageEmail } from '../email/templates.server'
import { recordAudit } from './audit.server'
import type { Links } from './links'
import { MESSAGE_AUDIENCES, type MessageInput } from './message-form'
import { emailOrganisation } from './settings.server'

type Tx = Transaction<Database>

/** A joining link pasted into a message: never sent to the waiting list. */
function mentionsJoinLink(input: MessageInput, joinUrl: string | null): boolean {
  const text = `${input.subject}\n${input.body}`.toLowerCase()
  if (joinUrl && text.includes(joinUrl.trim().toLowerCase())) return true
  return /teams\.microsoft\.com\/l\/meetup-join|teams\.live\.com\/meet/.test(text)
}

interface Recipient {
  bookingId: number
  reference: string
  email: string
  contactName: string | null
  selfBooked: boolean
  names: string[]
}

/** The families (bookings with an email) holding at least one place of this status on the session. */
async function recipients(db: DB | Tx, activityId: number, audience: MessageAudience): Promise<Recipient[]> {
  const rows = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .select([
      'booking.id as bookingId',
      'booking.reference',
      'booking.email',
      'booking.contact_name',
      'booking.member_id',
      'place.first_name',
    ])
    .where('place.activity_id', '=', activityId)
    .where('place.status', '=', audience)
    .where('booking.email', 'is not', null)
    .orderBy('booking.id')
    .orderBy('place.id')
    .execute()
  const byBooking = new Map<number, Recipient>()
  for (const row of rows) {
    if (!row.email) continue
    let recipient = byBooking.get(row.bookingId)
    if (!recipient) {
      recipient = {
        bookingId: row.bookingId,
        reference: row.reference,
        email: row.email,
        contactName: row.contact_name,
        selfBooked: row.member_id !== null,
        names: [],
      }
      byBooking.set(row.bookingId, recipient)
    }
    if (row.first_name) recipient.names.push(row.first_name)
  }
  return [...byBooking.values()]
}

/** How many families each audience would reach now: shown before anything is sent. */
export async function countMessageRecipients(db: DB, activityId: number): Promise<Record<MessageAudience, number>> {
  const rows = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .select(['place.status', (eb) => eb.fn.count<number>('booking.id').distinct().as('families')])
    .where('place.activity_id', '=', activityId)
    .where('place.status', 'in', [...MESSAGE_AUDIENCES])
    .where('booking.email', 'is not', null)
    .groupBy('place.status')
    .execute()
  const counts: Record<MessageAudience, number> = { confirmed: 0, waitlisted: 0 }
  for (const row of rows) counts[row.status as MessageAudience] = Number(row.families)
  return counts
}

export type CheckMessageResult =
  | { status: 'ok'; recipients: number }
  | { status: 'not-found' }
  | { status: 'nobody'; audience: MessageAudience }
  | { status: 'contains-join-link' }

async function checkWith(
  db: DB | Tx,
  activityId: number,
  input: MessageInput,
): Promise<CheckMessageResult & { list?: Recipient[] }> {
  const activity = await db
    .selectFrom('activity')
    .select(['id', 'join_url'])
    .where('id', '=', activityId)
    .executeTakeFirst()
  if (!activity) return { status: 'not-found' }
  if (input.audience === 'waitlisted' && mentionsJoinLink(input, activity.join_url))
    return { status: 'contains-join-link' }
  const list = await recipients(db, activityId, input.audience)
  if (list.length === 0) return { status: 'nobody', audience: input.audience }
  return { status: 'ok', recipients: list.length, list }
}

/** The "check your message" step: whether it can be sent, and to how many families. */
export async function checkMessage(db: DB, activityId: number, input: MessageInput): Promise<CheckMessageResult> {
  const result = await checkWith(db, activityId, input)
  return result.status === 'ok' ? { status: 'ok', recipients: result.recipients } : result
}

export type SendMessageResult =
  | { status: 'sent'; messageId: number; recipients: number }
  | { status: 'already-sent'; messageId: number; recipients: number }
  | Exclude<CheckMessageResult, { status: 'ok' }>

/**
 * Records the message and writes one email per family to the outbox, in one transaction: either
 * the message is on the session and every email is queued, or neither. The send key makes a
 * re-posted "Send" the same message. Cancelled sessions can still be messaged (to apologise or
 * offer another date); the joining link then goes to nobody.
 */
export async function sendSessionMessage(
  db: DB,
  activityId: number,
  input: MessageInput,
  options: { sendKey: string; sentBy: number; links: Links; ip?: string },
): Promise<SendMessageResult> {
  // "Send" posted twice at once: the unique send key decides, and the second is answered as sent.
  return againAfterUniqueRace(() => sendOnce(db, activityId, input, options), {
    table: 'session_message',
    column: 'send_key',
  })
}

async function sendOnce(
  db: DB,
  activityId: number,
  input: MessageInput,
  options: { sendKey: string; sentBy: number; links: Links; ip?: string },
): Promise<SendMessageResult> {
  return db.transaction().execute(async (trx): Promise<SendMessageResult> => {
    const earlier = await trx
      .selectFrom('session_message')
      .select(['id', 'recipients', 'activity_id'])
      .where('send_key', '=', options.sendKey)
      .executeTakeFirst()
    if (earlier) {
      // A key from another session's form is not this message: refuse rather than pretend.
      if (earlier.activity_id !== activityId) return { status: 'not-found' }
      return { status: 'already-sent', messageId: earlier.id, recipients: earlier.recipients }
    }
    const checked = await checkWith(trx, activityId, input)
    if (checked.status !== 'ok') return checked
    const list = checked.list ?? []
    const activity = await trx.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirstOrThrow()
    const now = new Date().toISOString()
    const message = await trx
      .insertInto('session_message')
      .values({
        activity_id: activityId,
        audience: input.audience,
        subject: input.subject,
        body: input.body,
        recipients: list.length,
        sent_by: options.sentBy,
        send_key: options.sendKey,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // The joining link only for families with a place on a session still going ahead; the
    // waiting list never gets it, whatever the session.
    const joinUrl =
      input.audience === 'confirmed' && activity.status !== 'cancelled' && activity.location_type === 'online'
        ? activity.join_url
        : null
    const organisation = await emailOrganisation(trx, options.links)
    for (const recipient of list) {
      const content = sessionMessageEmail({
        audience: input.audience,
        subject: input.subject,
        body: input.body,
        contactName: recipient.contactName ?? '',
        selfBooked: recipient.selfBooked,
        names: recipient.names,
        reference: recipient.reference,
        activity,
        joinUrl,
        organisation,
      })
      await enqueueEmail(
        trx,
        {
          kind: 'session-message',
          to: recipient.email,
          subject: content.subject,
          text: content.text,
          html: content.html,
          bookingId: recipient.bookingId,
          activityId,
          dedupeKey: `message:${message.id}:booking:${recipient.bookingId}`,
        },
        { domain: options.links.domain },
      )
    }
    await recordAudit(trx, {
      actorUserId: options.sentBy,
      action: 'session.message-sent',
      subjectType: 'activity',
      subjectId: activityId,
      detail: { messageId: message.id, audience: input.audience, recipients: list.length },
      ip: options.ip,
    })
    return { status: 'sent', messageId: message.id, recipients: list.length }
  })
}

export interface SessionMessageRow {
  id: number
  audience: MessageAudience
  subject: string
  body: string
  recipients: number
  sentByName: string | null
  createdAt: string
}

/** Messages sent about a session, newest first, for its staff page. */
export async function listSessionMessages(db: DB, activityId: number): Promise<SessionMessageRow[]> {
  const rows = await db
    .selectFrom('session_message')
    .leftJoin('staff_user', 'staff_user.id', 'session_message.sent_by')
    .select([
      'session_message.id',
      'session_message.audience',
      'session_message.subject',
      'session_message.body',
      'session_message.recipients',
      'session_message.created_at',
      'staff_user.name as sentByName',
    ])
    .where('session_message.activity_id', '=', activityId)
    .orderBy('session_message.id', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    audience: r.audience,
    subject: r.subject,
    body: r.body,
    recipients: r.recipients,
    sentByName: r.sentByName,
    createdAt: r.created_at,
  }))
}
