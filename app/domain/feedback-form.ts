// The feedback page's face scale and its form rules, shared by the page and the staff view.
import { z } from 'zod'
import type { FieldErrors, FormValues } from './form-fields'

/** The words are the answer; the face only decorates it. */
export const FEEDBACK_SCALE = [
  { score: 1, words: 'Did not enjoy it', face: '😞' },
  { score: 2, words: 'Did not enjoy it much', face: '🙁' },
  { score: 3, words: 'It was OK', face: '😐' },
  { score: 4, words: 'Enjoyed it', face: '🙂' },
  { score: 5, words: 'Loved it', face: '😄' },
] as const

export const FEEDBACK_COMMENT_MAX = 1000

export function scoreWords(score: number): string {
  return FEEDBACK_SCALE.find((s) => s.score === score)?.words ?? String(score)
}

export const scoreField = (placeId: number) => `score-${placeId}`
export const commentField = (placeId: number) => `comment-${placeId}`

export interface OpenPlace {
  id: number
  /** null once erased */
  firstName: string | null
}

export type ParsedFeedback =
  | { ok: true; answers: Array<{ placeId: number; score: number; comment: string | null }> }
  | { ok: false; errors: FieldErrors }

const scoreSchema = z.coerce.number().int().min(1).max(5)

/**
 * Reads the form for the places still open. Each place may be answered or left for later, but
 * at least one must be answered, and a comment needs a face to go with it. `selfBooked` words the
 * messages for a young person answering for themselves.
 */
export function parseFeedbackForm(values: FormValues, places: OpenPlace[], selfBooked: boolean): ParsedFeedback {
  const errors: FieldErrors = {}
  const answers: Array<{ placeId: number; score: number; comment: string | null }> = []
  for (const place of places) {
    const who = selfBooked ? 'you' : place.firstName || 'your child'
    const rawScore = (values[scoreField(place.id)] ?? '').trim()
    const comment = (values[commentField(place.id)] ?? '').trim()
    if (comment.length > FEEDBACK_COMMENT_MAX) {
      errors[commentField(place.id)] =
        `${selfBooked ? 'Your comment' : `The comment about ${who}`} must be ${FEEDBACK_COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`
    }
    if (!rawScore) {
      if (comment) errors[scoreField(place.id)] = `Choose how much ${who} enjoyed it, to go with the comment`
      continue
    }
    const score = scoreSchema.safeParse(rawScore)
    if (!score.success) {
      errors[scoreField(place.id)] = `Choose how much ${who} enjoyed it`
      continue
    }
    answers.push({ placeId: place.id, score: score.data, comment: comment || null })
  }
  if (Object.keys(errors).length) return { ok: false, errors }
  if (answers.length === 0 && places.length > 0) {
    const first = places[0]!
    errors[scoreField(first.id)] =
      places.length === 1 || selfBooked
        ? `Choose how much ${selfBooked ? 'you' : first.firstName || 'your child'} enjoyed it`
        : 'Choose how much at least one child enjoyed it'
    return { ok: false, errors }
  }
  return { ok: true, answers }
}
