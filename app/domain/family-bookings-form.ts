// The forms of "Your bookings" and the family calendar page: one zod schema each, shared by the
// routes; support needs follow the booking form's own rule, so the limit cannot drift.
import { z } from 'zod'
import { supportNeedsRule } from './booking-form'

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)

/** The id of a textarea for one child's support needs (and the error summary's link to it). */
export const supportNeedsField = (childId: number) => `supportNeeds-${childId}`

/** "Change a child's support needs": which child (one of the family's), and the text. */
export const supportNeedsFormSchema = z.object({
  intent: z.literal('support-needs'),
  childId: id,
  supportNeeds: z.string().trim().pipe(supportNeedsRule),
})

/** A booking's reference and, to cancel one child's place rather than the whole booking, the place. */
export const cancelTargetSchema = z.object({
  reference: z.string().regex(/^JN-[A-Z0-9]{5}$/),
  place: id.optional(),
})

/** The confirm button of a cancel check page. */
export const cancelConfirmSchema = z.object({
  intent: z.literal('confirm'),
  place: id.optional(),
})

/** The calendar page's two buttons. */
export const feedFormSchema = z.object({ intent: z.enum(['create', 'stop']) })

/**
 * A calendar link's last segment: the token, with or without ".ics" (some calendar apps want a
 * path ending .ics; a route parameter cannot carry the suffix, so it is taken off here).
 */
export const feedTokenSchema = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9_-]{43}(\.ics)?$/)
  .transform((segment) => segment.replace(/\.ics$/, ''))
