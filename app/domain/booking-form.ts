// The booking form's rules: one zod schema (bookingFormSchema) for contact, home council and each
// child, with GOV.UK style messages beside each field. The same parse runs for the form, the check
// page and the confirmation; the field names are exported here for the markup.
import { z } from 'zod'
import { ageOnDay, describeAgeRange } from './age'
import { readDateInput } from './date-input'
import { fieldErrors, type FieldErrors, type FormValues } from './form-fields'
import { londonDateOf } from '../time/london-time'

export interface ChildInput {
  firstName: string
  dateOfBirth: string
  supportNeeds: string | null
}

export interface BookingFormValue {
  contactName: string
  email: string
  phone: string | null
  authorityCode: string
  children: ChildInput[]
  mailingListOptIn: boolean
}

export type ParsedBookingForm =
  | { ok: true; value: BookingFormValue; values: FormValues; childCount: number }
  | { ok: false; errors: FieldErrors; values: FormValues; childCount: number }

/** The names the form posts, apart from each child's (childField). */
export const BOOKING_FIELDS = [
  'contactName',
  'email',
  'phone',
  'authority',
  'eligibility',
  'mailingList',
  'childCount',
] as const
export type BookingField = (typeof BOOKING_FIELDS)[number]
/** Each field's name, for the markup: `id={bookingField.email}` cannot drift from the schema. */
export const bookingField = Object.fromEntries(BOOKING_FIELDS.map((f) => [f, f])) as { [K in BookingField]: K }

export type ChildFieldName = 'firstName' | 'dob' | 'supportNeeds'
export const childField = (index: number, field: ChildFieldName) => `child-${index}-${field}`

/** How many child blocks the form shows: what was posted, within 1..max. */
export function childCountOf(values: FormValues, max: number): number {
  const n = Number(values.childCount)
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : 1
}

export interface BookingFormContext {
  activity: { starts_at: string; min_age: number; max_age: number }
  authorityCodes: Set<string>
  maxChildren: number
  /** the London date today, so "in the past" can be tested */
  today?: string
}

/** Each field's own rules, most basic first; the rules that need the session are in bookingFormSchema. */
const rules = {
  contactName: z.string().min(1, 'Enter your full name').max(100, 'Your name must be 100 characters or fewer'),
  email: z
    .string()
    .min(1, 'Enter your email address')
    .transform((e) => e.toLowerCase())
    .pipe(
      z
        .string()
        .max(254, 'Enter an email address in the correct format, like name@example.com')
        .email('Enter an email address in the correct format, like name@example.com'),
    ),
  phone: z
    .string()
    .regex(/^(|[+()\d\s-]{7,20})$/, 'Enter a telephone number, like 01632 960 001 or 07700 900 982')
    .transform((p) => p || null),
  firstName: z.string().max(50, 'First name must be 50 characters or fewer'),
  supportNeeds: z
    .string()
    .max(1000, 'Support needs must be 1,000 characters or fewer')
    .transform((s) => s || null),
  eligibility: z.literal('yes', { errorMap: () => ({ message: 'Confirm the children can take part' }) }),
}

/**
 * The booking form's one schema: contact, home council and each child (as many as childCount
 * says, up to the most one booking may hold), checked against the session's ages.
 */
export function bookingFormSchema(context: BookingFormContext) {
  return z.record(z.string(), z.string().catch('')).transform((raw, ctx): BookingFormValue => {
    const v = (name: string) => (raw[name] ?? '').trim()
    // One message per field, in the order the form shows them; a later rule may replace one.
    const errors = new Map<string, string>()
    const issue = (field: string, message: string) => {
      if (!errors.has(field)) errors.set(field, message)
    }
    function check<S extends z.ZodTypeAny>(field: string, schema: S, value = v(field)): z.output<S> | null {
      const result = schema.safeParse(value)
      if (result.success) return result.data as z.output<S>
      issue(field, result.error.issues[0]!.message)
      return null
    }
    const childCount = childCountOf(raw, context.maxChildren)

    const contactName = check('contactName', rules.contactName)
    const email = check('email', rules.email)
    const phone = check('phone', rules.phone)

    const authorityCode = v('authority')
    if (!authorityCode) issue('authority', 'Select the council area where you live')
    else if (!context.authorityCodes.has(authorityCode)) issue('authority', 'Select a council area from the list')

    const sessionDay = londonDateOf(context.activity.starts_at)
    const today = context.today ?? londonDateOf(new Date())
    const { min_age: minAge, max_age: maxAge } = context.activity
    const children: ChildInput[] = []
    const seen = new Set<string>()
    for (let i = 0; i < childCount; i++) {
      const nameField = childField(i, 'firstName')
      const dobField = childField(i, 'dob')
      const who = childCount > 1 ? `child ${i + 1}'s` : "the child's"
      const firstName = v(nameField)
      if (!firstName) issue(nameField, `Enter ${who} first name`)
      else check(nameField, rules.firstName, firstName)
      const box = (part: string) => v(`${dobField}-${part}`)
      const dob = readDateInput(
        { day: box('day'), month: box('month'), year: box('year') },
        `${who} date of birth`,
        true,
      )
      if (dob.error) issue(dobField, dob.error)
      else if (dob.date! > today) issue(dobField, 'Date of birth must be in the past')
      else if (dob.date! < '1990-01-01') issue(dobField, 'Date of birth must be a real date')
      else {
        const age = ageOnDay(dob.date!, sessionDay)
        if (age < minAge || age > maxAge) {
          issue(
            dobField,
            `This session is for ${describeAgeRange(minAge, maxAge).toLowerCase()}. ` +
              `${firstName || 'This child'} will be ${age} on the day`,
          )
        }
      }
      const supportNeeds = check(childField(i, 'supportNeeds'), rules.supportNeeds) ?? null
      if (firstName && dob.date) {
        const key = childKey(firstName, dob.date)
        // The later copy is the one to change: it replaces any other message on that name.
        if (seen.has(key)) errors.set(nameField, `${firstName} is already in this booking`)
        seen.add(key)
      }
      children.push({ firstName, dateOfBirth: dob.date ?? '', supportNeeds })
    }

    // The ticked box, taken as sent. There is no "I agree to how my details are used" box: the
    // details are used under the council's public task, not consent, so agreeing cannot be a
    // condition of booking; the form states the basis and links the privacy notice.
    check('eligibility', rules.eligibility, raw.eligibility)

    for (const [field, message] of errors) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message })
    if (errors.size > 0 || contactName === null || email === null) return z.NEVER
    return {
      contactName,
      email,
      phone,
      authorityCode,
      children,
      mailingListOptIn: raw.mailingList === 'yes',
    }
  })
}

export function parseBookingForm(values: FormValues, context: BookingFormContext): ParsedBookingForm {
  const childCount = childCountOf(values, context.maxChildren)
  const result = bookingFormSchema(context).safeParse(values)
  if (!result.success) return { ok: false, errors: fieldErrors(result.error), values, childCount }
  return { ok: true, values, childCount, value: result.data }
}

/** The same child, whatever the capitals or spaces typed: first name and date of birth. */
export function childKey(firstName: string, dateOfBirth: string): string {
  return `${firstName.trim().toLocaleLowerCase('en-GB').replace(/\s+/g, ' ')}|${dateOfBirth}`
}

/** Field order for the error summary, so its links follow the page. */
export function bookingFieldOrder(childCount: number): string[] {
  const order = ['contactName', 'email', 'phone', 'authority']
  for (let i = 0; i < childCount; i++)
    order.push(childField(i, 'firstName'), childField(i, 'dob'), childField(i, 'supportNeeds'))
  order.push('eligibility')
  return order
}

export function bookingFieldAnchors(childCount: number): Record<string, string> {
  const anchors: Record<string, string> = {}
  for (let i = 0; i < childCount; i++) anchors[childField(i, 'dob')] = `${childField(i, 'dob')}-day`
  return anchors
}

/** The booking form's support-needs rule (trimmed first): every form that changes a child's support needs uses it. */
export const supportNeedsRule = rules.supportNeeds
