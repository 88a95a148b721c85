// The series page's own fields (which dates, which of a signed-in family's children, the step),
// beside the booking form's details (booking-form.ts) that a family not signed in types. One
// schema; messages in GOV.UK style next to the fields they are about.
import { z } from 'zod'
import { parseTypedTime } from '../time/london-time'

const ID = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)

export const seriesPostSchema = z.object({
  intent: z.string().max(60).catch('check'),
  mode: z.enum(['family', 'form']).catch('form'),
  /** "all": every date still open; "some": the ticked ones */
  dates: z.enum(['all', 'some']).optional().catch(undefined),
  activityId: z.array(ID).max(200).catch([]),
  childId: z.array(ID).max(50).catch([]),
  idempotencyKey: z
    .string()
    .regex(/^[A-Za-z0-9-]{16,64}$/)
    .optional()
    .catch(undefined),
})

export type SeriesPost = z.infer<typeof seriesPostSchema>

/** Every value of each posted field (activityId and childId repeat), bounded. */
export function seriesPostValues(form: Iterable<[string, FormDataEntryValue]>): Record<string, string[]> {
  const values: Record<string, string[]> = {}
  for (const [key, value] of form) {
    if (typeof value === 'string' && key.length < 60 && (values[key]?.length ?? 0) < 200) {
      ;(values[key] ??= []).push(value.slice(0, 5000))
    }
  }
  return values
}

export function parseSeriesPost(values: Record<string, string[]>): SeriesPost {
  const one = (name: string) => values[name]?.[0]
  return seriesPostSchema.parse({
    intent: one('intent'),
    mode: one('mode'),
    dates: one('dates'),
    activityId: values.activityId ?? [],
    childId: values.childId ?? [],
    idempotencyKey: one('idempotencyKey'),
  })
}

/**
 * The dates chosen: for "all", every date still to come (those not open are shown as closed on
 * the check page, and not booked); else the ticked ones that are open. An error when none is open.
 */
export function chosenDates(
  post: Pick<SeriesPost, 'dates' | 'activityId'>,
  openIds: number[],
  allIds: number[],
): { ids: number[]; error?: undefined } | { ids: number[]; error: string } {
  if (!post.dates) return { ids: [], error: 'Select which dates you want to book' }
  if (post.dates === 'all') {
    return openIds.length ? { ids: allIds } : { ids: [], error: 'No dates are open for booking' }
  }
  const ids = [...new Set(post.activityId)].filter((id) => openIds.includes(id))
  return ids.length ? { ids } : { ids: [], error: 'Select at least one date' }
}

// ---- staff: cancel or move the remaining sessions of a series ----

/** "cancel"/"move" show the check page and change nothing; "confirm-…" acts. */
export const seriesChangeSchema = z
  .object({
    intent: z.enum(['cancel', 'confirm-cancel', 'move', 'confirm-move'], {
      errorMap: () => ({ message: 'Choose what to do with the remaining sessions' }),
    }),
    reason: z.string().trim().max(2000, 'The reason must be 2,000 characters or fewer').default(''),
    startTime: z.string().trim().max(20).default(''),
    endTime: z.string().trim().max(20).default(''),
  })
  .transform((value, ctx) => {
    const cancelling = value.intent === 'cancel' || value.intent === 'confirm-cancel'
    if (cancelling) {
      if (!value.reason) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['reason'],
          message: 'Enter why the sessions are cancelled. Everyone booked will be told',
        })
      }
      return { ...value, startTime: '', endTime: '' }
    }
    const startTime = parseTypedTime(value.startTime)
    const endTime = parseTypedTime(value.endTime)
    if (!startTime) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['startTime'],
        message: 'Enter a start time like 10:00 or 4:30pm',
      })
    }
    if (!endTime) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['endTime'],
        message: 'Enter an end time like 11:00 or 5:30pm',
      })
    } else if (startTime && endTime <= startTime) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['endTime'],
        message: 'The end time must be after the start time',
      })
    }
    return { ...value, startTime: startTime ?? '', endTime: endTime ?? '' }
  })

export type SeriesChange = z.infer<typeof seriesChangeSchema>
