// What every form schema shares: the posted strings, kept to show again, and the GOV.UK field
// errors a zod schema's issues become (the first message for each field, in the order it checks).
import type { z } from 'zod'
import { withoutControlCharacters } from '../text/control-characters'

/** What was posted, as typed: shown again beside the errors. */
export type FormValues = Record<string, string>
/** One message per field, keyed by the field's name. */
export type FieldErrors = Record<string, string>

export type ParsedForm<T> =
  { ok: true; value: T; values: FormValues } | { ok: false; errors: FieldErrors; values: FormValues }

/**
 * The text fields of a posted form (a name posted twice keeps its last value, as Object.fromEntries),
 * without invisible control characters: nothing a person typed and could see is lost.
 */
export function formValues(form: FormData | Record<string, unknown>): FormValues {
  const values: FormValues = {}
  const entries = form instanceof FormData ? [...form] : Object.entries(form)
  for (const [key, value] of entries) if (typeof value === 'string') values[key] = withoutControlCharacters(value)
  return values
}

/** The first message for each field: a field's checks run most basic first, so that one is the one to fix. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    if (!(field in errors)) errors[field] = issue.message
  }
  return errors
}

/** Parses the posted values with a form's schema, keeping everything typed for when it fails. */
export function parseForm<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, form: FormData | FormValues): ParsedForm<T> {
  const values = formValues(form)
  const result = schema.safeParse(values)
  return result.success
    ? { ok: true, value: result.data, values }
    : { ok: false, errors: fieldErrors(result.error), values }
}
