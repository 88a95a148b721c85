// Feedback after a session: one 1–5 score and an optional comment per place, read by the report.
import type { DB } from '../../db/index'
import { recordAudit, type StaffActor } from './audit.server'

export type RecordFeedbackResult = 'recorded' | 'already-given' | 'not-found'

export const FEEDBACK_MIN_SCORE = 1
export const FEEDBACK_MAX_SCORE = 5

/**
 * Records the response for one place. Only a confirmed place on a session that was not cancelled
 * can give feedback (a child on the waiting list or cancelled was not there). A second response
 * for the same place changes nothing, decided by the unique index so two racing submissions
 * cannot both count.
 */
export async function recordFeedback(
  db: DB,
  placeId: number,
  score: number,
  comment: string | null,
  now = new Date(),
): Promise<RecordFeedbackResult> {
  // The form's schema keeps people's answers in range; anything else here is a bug.
  if (!Number.isInteger(score) || score < FEEDBACK_MIN_SCORE || score > FEEDBACK_MAX_SCORE) {
    throw new RangeError(`A feedback score is ${FEEDBACK_MIN_SCORE} to ${FEEDBACK_MAX_SCORE}, not ${score}`)
  }
  const place = await db
    .selectFrom('place')
    .innerJoin('activity', 'activity.id', 'place.activity_id')
    .select(['place.id', 'place.activity_id'])
    .where('place.id', '=', placeId)
    .where('place.status', '=', 'confirmed')
    .where('activity.status', '<>', 'cancelled')
    .executeTakeFirst()
  if (!place) return 'not-found'
  const inserted = await db
    .insertInto('feedback')
    .values({
      place_id: place.id,
      activity_id: place.activity_id,
      score,
      comment: comment?.trim() || null,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('place_id').doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted ? 'recorded' : 'already-given'
}

export interface SessionFeedback {
  responses: number
  /** to one decimal place; null with no responses */
  average: number | null
  /** how many gave each score, 1 to 5 */
  byScore: Array<{ score: number; count: number }>
  /** every response, newest first; no names: staff read what was said, not who said it */
  items: Array<{ score: number; comment: string | null; createdAt: string }>
}

/**
 * The responses for one session, for a staff member. Comments are free text from families and can
 * say anything about a child, so a view with any comment is audited.
 */
export async function viewSessionFeedback(db: DB, activityId: number, actor: StaffActor): Promise<SessionFeedback> {
  const feedback = await getSessionFeedback(db, activityId)
  if (feedback.items.some((item) => item.comment)) {
    await recordAudit(db, {
      actorUserId: actor.id,
      action: 'feedback.viewed',
      subjectType: 'activity',
      subjectId: activityId,
      ip: actor.ip,
    })
  }
  return feedback
}

async function getSessionFeedback(db: DB, activityId: number): Promise<SessionFeedback> {
  const items = await db
    .selectFrom('feedback')
    .select(['score', 'comment', 'created_at as createdAt'])
    .where('activity_id', '=', activityId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  const total = items.reduce((sum, item) => sum + item.score, 0)
  const byScore = []
  for (let score = FEEDBACK_MIN_SCORE; score <= FEEDBACK_MAX_SCORE; score++) {
    byScore.push({ score, count: items.filter((item) => item.score === score).length })
  }
  return {
    responses: items.length,
    average: items.length ? Math.round((total / items.length) * 10) / 10 : null,
    byScore,
    items,
  }
}
