// The admin's form for an authority's known adopted children in a financial year (the report's
// share reached): one schema, GOV.UK messages, what was typed kept when it fails.
import { z } from 'zod'
import { parseForm, type FormValues, type ParsedForm } from './form-fields'

export const KNOWN_CHILDREN_MAX = 100_000
const YEAR = /^(\d{4})-(\d{2})$|^(\d{4})$/

export const knownChildrenSchema = z.object({
  intent: z.enum(['save', 'remove']).catch('save'),
  financialYear: z
    .string({ required_error: 'Select the financial year' })
    .trim()
    .min(1, 'Select the financial year')
    .regex(YEAR, 'Select the financial year'),
  authority: z
    .string({ required_error: 'Select the home authority' })
    .trim()
    .min(1, 'Select the home authority')
    .regex(/^[A-Z]\d{8}$/, 'Select the home authority'),
  children: z.string().trim().optional(),
})

export interface KnownChildrenInput {
  intent: 'save' | 'remove'
  financialYear: string
  authority: string
  /** set when saving */
  children: number | null
}

/** Parses the form: a whole number from 1 to 100,000 when saving (a number of children, not a share). */
export function parseKnownChildrenForm(form: FormData | FormValues): ParsedForm<KnownChildrenInput> {
  const parsed = parseForm(
    knownChildrenSchema.superRefine((value, ctx) => {
      if (value.intent !== 'save') return
      const text = (value.children ?? '').replace(/,/g, '')
      if (text === '') {
        ctx.addIssue({ code: 'custom', path: ['children'], message: 'Enter the number of known adopted children' })
      } else if (!/^\d+$/.test(text)) {
        ctx.addIssue({
          code: 'custom',
          path: ['children'],
          message: 'Enter the number of known adopted children as a whole number, like 350',
        })
      } else if (Number(text) < 1 || Number(text) > KNOWN_CHILDREN_MAX) {
        ctx.addIssue({
          code: 'custom',
          path: ['children'],
          message: `The number of known adopted children must be between 1 and ${KNOWN_CHILDREN_MAX.toLocaleString('en-GB')}`,
        })
      }
    }),
    form,
  )
  if (!parsed.ok) return parsed
  const { intent, financialYear, authority, children } = parsed.value
  return {
    ok: true,
    values: parsed.values,
    value: {
      intent,
      financialYear,
      authority,
      children: intent === 'save' ? Number((children ?? '').replace(/,/g, '')) : null,
    },
  }
}

export const KNOWN_CHILDREN_FIELDS = ['financialYear', 'authority', 'children'] as const
