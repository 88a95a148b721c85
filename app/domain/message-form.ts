// The message form's rules, shared by the route's action and its page: who a message can go
// to, the limits on subject and message, and GOV.UK style errors with everything typed kept.
import { z } from 'zod'
import type { MessageAudience } from '../../db/schema'
import { withoutControlCharacters } from '../text/control-characters'

export const MESSAGE_AUDIENCES = ['confirmed', 'waitlisted'] as const satisfies readonly MessageAudience[]
export const MESSAGE_SUBJECT_MAX = 150
export const MESSAGE_BODY_MAX = 5000
export const MESSAGE_FIELD_ORDER = ['audience', 'subject', 'body'] as const

export type MessageField = (typeof MESSAGE_FIELD_ORDER)[number]
export type MessageErrors = Partial<Record<MessageField, string>>
export interface MessageValues {
  audience: string
  subject: string
  body: string
}

export interface MessageInput {
  audience: MessageAudience
  subject: string
  body: string
}

const messageSchema = z.object({
  audience: z.enum(MESSAGE_AUDIENCES, { errorMap: () => ({ message: 'Choose who to send the message to' }) }),
  subject: z
    .string()
    .trim()
    .min(1, 'Enter a subject')
    .max(MESSAGE_SUBJECT_MAX, `Subject must be ${MESSAGE_SUBJECT_MAX} characters or fewer`)
    // One line: a line break posted by hand must not reach an email header.
    .transform((subject) => subject.replace(/\s+/g, ' ')),
  body: z
    .string()
    .trim()
    .min(1, 'Enter a message')
    .max(MESSAGE_BODY_MAX, `Message must be ${MESSAGE_BODY_MAX.toLocaleString('en-GB')} characters or fewer`),
})

const asText = (value: FormDataEntryValue | null | undefined): string =>
  typeof value === 'string' ? withoutControlCharacters(value) : ''

/** What was typed, kept as typed so a form with an error shows it again. */
export function messageValues(form: FormData): MessageValues {
  return {
    audience: asText(form.get('audience')),
    subject: asText(form.get('subject')),
    body: asText(form.get('body')),
  }
}

export type ParsedMessage = { ok: true; value: MessageInput } | { ok: false; errors: MessageErrors }

export function parseMessage(values: MessageValues): ParsedMessage {
  const parsed = messageSchema.safeParse(values)
  if (parsed.success) return { ok: true, value: parsed.data }
  const errors: MessageErrors = {}
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as MessageField
    errors[field] ??= issue.message
  }
  return { ok: false, errors }
}
