// Asking for feedback: the day after a session each booking with a confirmed place gets one link
// (no login), and the page behind it takes one response per place.
import type { DB } from '../../db/index'
import { hashToken, newSecretToken, tokenMatchesHash } from '../auth/tokens.server'
import { enqueueEmail } from '../email/outbox.server'
import { feedbackRequestEmail } from '../email/templates.server'
import type { Links } from './links'
import { recordFeedback } from './feedback.server'
import { addDays, formatLondonDate, londonDateOf, londonToInstant } from '../time/london-time'
import { emailOrganisation } from './settings.server'

const DAY_MS = 86_400_000
/** London wall-clock time the day after a session when its feedback emails go: not at midnight. */
export const FEEDBACK_SEND_TIME = '09:00'
/** A session whose send time passed longer ago than this (the server was down) is not asked any more. */
export const FEEDBACK_SEND_WINDOW_DAYS = 7
/** How long a feedback link works, from when it is sent. */
export const FEEDBACK_LINK_DAYS = 30

/** When a session's feedback emails are due: 09:00 London time on the day after it ends. */
export function feedbackDueAt(endsAt: string): Date {
  // 09:00 exists on every London day (the clocks change at 01:00 and 02:00).
  return londonToInstant(addDays(londonDateOf(endsAt), 1), FEEDBACK_SEND_TIME)!
}

export function feedbackUrl(links: Links, token: string): string {
  return `${links.baseUrl}/feedback/${token}`
}

/**
 * Queues the feedback email for every booking with a confirmed place on a published session
 * whose send time has come (and is less than a week past). Each booking is asked once: its
 * feedback_request row is written in the same transaction as its email, whose dedupe key
 * `feedback:booking:<id>` also stops a second one. Returns how many were queued.
 */
export async function enqueueDueFeedbackRequests(db: DB, links: Links, now = new Date()): Promise<number> {
  // Due at 09:00 the day after the end: that is 33 hours at most after ends_at, so a window of
  // the send window plus two days finds every session due, and the exact check is done below.
  const earliestEnd = new Date(now.getTime() - (FEEDBACK_SEND_WINDOW_DAYS + 2) * DAY_MS).toISOString()
  const sessions = await db
    .selectFrom('activity')
    .select(['id', 'title', 'starts_at', 'ends_at'])
    .where('status', '=', 'published')
    .where('ends_at', '<=', now.toISOString())
    .where('ends_at', '>=', earliestEnd)
    .execute()
  let queued = 0
  for (const session of sessions) {
    const due = feedbackDueAt(session.ends_at)
    if (now < due || now.getTime() - due.getTime() > FEEDBACK_SEND_WINDOW_DAYS * DAY_MS) continue
    queued += await db.transaction().execute(async (trx) => {
      const bookings = await trx
        .selectFrom('booking')
        .leftJoin('feedback_request', 'feedback_request.booking_id', 'booking.id')
        .select(['booking.id', 'booking.email', 'booking.contact_name', 'booking.member_id'])
        .where('booking.activity_id', '=', session.id)
        .where('booking.email', 'is not', null)
        .where('feedback_request.id', 'is', null)
        .orderBy('booking.id')
        .execute()
      if (bookings.length === 0) return 0
      const places = await trx
        .selectFrom('place')
        .select(['booking_id', 'first_name'])
        .where('activity_id', '=', session.id)
        .where('status', '=', 'confirmed')
        .orderBy('id')
        .execute()
      let count = 0
      for (const booking of bookings) {
        const names = places.filter((p) => p.booking_id === booking.id).map((p) => p.first_name ?? '')
        // Only families who had a place: a waiting list or a cancelled booking was not there.
        if (names.length === 0 || !booking.email) continue
        const token = newSecretToken()
        const expiresAt = new Date(now.getTime() + FEEDBACK_LINK_DAYS * DAY_MS)
        // Another instance asking at the same moment has this booking already (on PostgreSQL this
        // waits for its transaction, then does nothing): skip it rather than fail on the unique key.
        const asked = await trx
          .insertInto('feedback_request')
          .values({
            booking_id: booking.id,
            token_hash: hashToken(token),
            created_at: now.toISOString(),
            expires_at: expiresAt.toISOString(),
          })
          .onConflict((oc) => oc.column('booking_id').doNothing())
          .returning('id')
          .executeTakeFirst()
        if (!asked) continue
        const content = feedbackRequestEmail({
          contactName: booking.contact_name ?? '',
          activity: session,
          names,
          selfBooked: booking.member_id !== null,
          feedbackUrl: feedbackUrl(links, token),
          validUntil: formatLondonDate(expiresAt),
          organisation: await emailOrganisation(trx, links),
        })
        const added = await enqueueEmail(
          trx,
          {
            kind: 'feedback-request',
            to: booking.email,
            ...content,
            bookingId: booking.id,
            activityId: session.id,
            dedupeKey: `feedback:booking:${booking.id}`,
          },
          { domain: links.domain },
        )
        if (added) count += 1
      }
      return count
    })
  }
  return queued
}

export interface FeedbackPlace {
  id: number
  /** null once erased */
  firstName: string | null
  /** the score already given for this place, if any */
  answeredScore: number | null
}

export type FeedbackPage =
  | { status: 'not-found' }
  | { status: 'expired' }
  | {
      status: 'open'
      activity: { title: string; startsAt: string; endsAt: string }
      /** an Adoptables member booked for themselves: the page speaks to them as "you" */
      selfBooked: boolean
      places: FeedbackPlace[]
    }

/** Tokens are 43 URL-safe characters; anything much longer is not worth hashing. */
function plausibleToken(token: string): boolean {
  return token.length > 0 && token.length <= 100
}

async function findRequest(db: DB, token: string, now: Date) {
  if (!plausibleToken(token)) return { status: 'not-found' as const }
  const request = await db
    .selectFrom('feedback_request')
    .innerJoin('booking', 'booking.id', 'feedback_request.booking_id')
    .innerJoin('activity', 'activity.id', 'booking.activity_id')
    .select([
      'feedback_request.token_hash',
      'feedback_request.expires_at',
      'booking.id as bookingId',
      'booking.member_id',
      'activity.title',
      'activity.starts_at',
      'activity.ends_at',
      'activity.status as activityStatus',
    ])
    .where('feedback_request.token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!request || !tokenMatchesHash(token, request.token_hash) || request.activityStatus === 'cancelled')
    return { status: 'not-found' as const }
  if (new Date(request.expires_at) <= now) return { status: 'expired' as const }
  return { status: 'open' as const, request }
}

/** What the feedback page shows: the session and each confirmed place, with any answer already given. */
export async function getFeedbackPage(db: DB, token: string, now = new Date()): Promise<FeedbackPage> {
  const found = await findRequest(db, token, now)
  if (found.status !== 'open') return found
  const { request } = found
  const places = await db
    .selectFrom('place')
    .leftJoin('feedback', 'feedback.place_id', 'place.id')
    .select(['place.id', 'place.first_name', 'feedback.score'])
    .where('place.booking_id', '=', request.bookingId)
    .where('place.status', '=', 'confirmed')
    .orderBy('place.id')
    .execute()
  return {
    status: 'open',
    activity: { title: request.title, startsAt: request.starts_at, endsAt: request.ends_at },
    selfBooked: request.member_id !== null,
    places: places.map((p) => ({ id: p.id, firstName: p.first_name, answeredScore: p.score ?? null })),
  }
}

export interface FeedbackAnswer {
  placeId: number
  score: number
  comment: string | null
}

export type SubmitFeedbackResult =
  { status: 'not-found' } | { status: 'expired' } | { status: 'done'; recorded: number; alreadyGiven: number }

/**
 * Records the answers given through one feedback link. A place that is not a confirmed place of
 * this link's booking is ignored (a forged form cannot answer for someone else); a place already
 * answered keeps its first answer, so a double submit changes nothing.
 */
export async function submitFeedback(
  db: DB,
  token: string,
  answers: FeedbackAnswer[],
  now = new Date(),
): Promise<SubmitFeedbackResult> {
  const found = await findRequest(db, token, now)
  if (found.status !== 'open') return found
  const ownPlaces = new Set(
    (
      await db
        .selectFrom('place')
        .select('id')
        .where('booking_id', '=', found.request.bookingId)
        .where('status', '=', 'confirmed')
        .execute()
    ).map((p) => p.id),
  )
  return db.transaction().execute(async (trx) => {
    let recorded = 0
    let alreadyGiven = 0
    for (const answer of answers) {
      if (!ownPlaces.has(answer.placeId)) continue
      const result = await recordFeedback(trx, answer.placeId, answer.score, answer.comment, now)
      if (result === 'recorded') recorded += 1
      else if (result === 'already-given') alreadyGiven += 1
    }
    return { status: 'done' as const, recorded, alreadyGiven }
  })
}
