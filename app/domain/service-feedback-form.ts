// The feedback page the beta banner links to: what someone thinks of the service and, only if
// they want a reply, an email address. One zod schema for the route and the domain.
import { z } from 'zod'

export const SERVICE_FEEDBACK_MAX = 1200

export const SERVICE_FEEDBACK_FIELDS = ['feedback', 'email'] as const
export type ServiceFeedbackField = (typeof SERVICE_FEEDBACK_FIELDS)[number]

export const serviceFeedbackSchema = z.object({
  feedback: z
    .string()
    .trim()
    .min(1, 'Enter your feedback')
    .max(SERVICE_FEEDBACK_MAX, 'Your feedback must be 1,200 characters or fewer'),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .refine(
      (e) => e === '' || (e.length <= 254 && z.string().email().safeParse(e).success),
      'Enter an email address in the correct format, like name@example.com',
    )
    .transform((e) => e || null),
})

export type ServiceFeedback = z.output<typeof serviceFeedbackSchema>
