// The feedback page's face scale and its form rules, shared by the page and the staff view.
import { z } from 'zod'
import { parseForm, type FieldErrors, type FormValues } from './form-fields'

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

type Answer = { placeId: number; score: number; comment: string | null }

/**
 * The form's schema for the places still open: a face and a comment per place. Each place may be
 * answered or left for later, but at least one must be answered, and a comment needs a face to go
 * with it. `selfBooked` words the messages for a young person answering for themselves.
 */
export function feedbackFormSchema(places: OpenPlace[], selfBooked: boolean) {
  const who = (place: OpenPlace) => (selfBooked ? 'you' : place.firstName || 'your child')
  const shape: Record<string, z.ZodType<string, z.ZodTypeDef, unknown>> = {}
  for (const place of places) {
    shape[scoreField(place.id)] = z.string().trim().default('')
    shape[commentField(place.id)] = z
      .string()
      .trim()
      .max(
        FEEDBACK_COMMENT_MAX,
        `${selfBooked ? 'Your comment' : `The comment about ${who(place)}`} must be ${FEEDBACK_COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`,
      )
      .default('')
  }
  return z
    .object(shape)
    .superRefine((form, ctx) => {
      let answered = 0
      let wrong = places.some((place) => (form[commentField(place.id)] ?? '').length > FEEDBACK_COMMENT_MAX)
      for (const place of places) {
        const score = form[scoreField(place.id)] ?? ''
        const comment = form[commentField(place.id)] ?? ''
        if (!score) {
          if (comment) {
            ctx.addIssue({
              code: 'custom',
              path: [scoreField(place.id)],
              message: `Choose how much ${who(place)} enjoyed it, to go with the comment`,
            })
            wrong = true
          }
          continue
        }
        if (!scoreSchema.safeParse(score).success) {
          ctx.addIssue({
            code: 'custom',
            path: [scoreField(place.id)],
            message: `Choose how much ${who(place)} enjoyed it`,
          })
          continue
        }
        answered += 1
      }
      const first = places[0]
      if (answered === 0 && first && !wrong) {
        ctx.addIssue({
          code: 'custom',
          path: [scoreField(first.id)],
          message:
            places.length === 1 || selfBooked
              ? `Choose how much ${who(first)} enjoyed it`
              : 'Choose how much at least one child enjoyed it',
        })
      }
    })
    .transform((form): Answer[] =>
      places.flatMap((place) => {
        const score = form[scoreField(place.id)]
        if (!score) return []
        return [{ placeId: place.id, score: Number(score), comment: form[commentField(place.id)] || null }]
      }),
    )
}

/** Reads the form for the places still open (the schema above). */
export function parseFeedbackForm(values: FormValues, places: OpenPlace[], selfBooked: boolean): ParsedFeedback {
  const parsed = parseForm(feedbackFormSchema(places, selfBooked), values)
  return parsed.ok ? { ok: true, answers: parsed.value } : { ok: false, errors: parsed.errors }
}
