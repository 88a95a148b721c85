// The approvals queue's form: Approve, or Decline with a reason, for one booking. Each booking on
// the page has its own reason box, named reasonField(bookingId), so an error sits beside the right one.
import { z } from 'zod'

export const DECLINE_REASON_MAX = 2000

export function reasonField(bookingId: number | string): string {
  return `reason-${bookingId}`
}

const bookingId = z
  .string({ message: 'Choose a booking to approve or decline' })
  .regex(/^\d{1,12}$/, 'Choose a booking to approve or decline')
  .transform(Number)
  .refine((n) => n > 0, 'Choose a booking to approve or decline')

export const approvalDecisionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('approve'), booking: bookingId }),
    z.object({
      intent: z.literal('decline'),
      booking: bookingId,
      reason: z
        .string({ message: 'Enter why you are declining this booking. The family will be told' })
        .trim()
        .min(1, 'Enter why you are declining this booking. The family will be told')
        .max(DECLINE_REASON_MAX, `The reason must be ${DECLINE_REASON_MAX} characters or fewer`),
    }),
  ],
  { errorMap: () => ({ message: 'Choose Approve or Decline for a booking' }) },
)

export type ApprovalDecision = z.output<typeof approvalDecisionSchema>

/** The fields of a post to the queue, the reason taken from the box of the booking it names. */
export function typedDecision(form: FormData): { intent: unknown; booking: unknown; reason: unknown } {
  const booking = form.get('booking')
  const reason = typeof booking === 'string' && /^\d{1,12}$/.test(booking) ? form.get(reasonField(booking)) : null
  return {
    intent: form.get('intent') ?? undefined,
    booking: booking ?? undefined,
    reason: typeof reason === 'string' ? reason.slice(0, DECLINE_REASON_MAX + 100) : (reason ?? undefined),
  }
}
