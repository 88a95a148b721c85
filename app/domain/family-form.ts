// The family pages' forms: asking for a sign-in link, the family's own details, and a child kept
// once (name, date of birth, support needs and the three consents). One schema per form, GOV.UK
// style messages beside each field; what was typed is kept by parseForm when a check fails.
import { z } from 'zod'
import { readDateInput } from './date-input'
import { parseForm, type ParsedForm } from './form-fields'

export const emailRule = z
  .string()
  .trim()
  .min(1, 'Enter your email address')
  .transform((e) => e.toLowerCase())
  .pipe(
    z
      .string()
      .max(254, 'Enter an email address in the correct format, like name@example.com')
      .email('Enter an email address in the correct format, like name@example.com'),
  )

/** A phone number, optional; `what` names it in the message, as both phone fields can be wrong at once. */
const phoneRule = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^(|[+()\d\s-]{7,20})$/, `Enter ${what}, like 01632 960 001 or 07700 900 982`)
    .transform((p) => p || null)

/** "Sign in to see your bookings": the address to send the link to, and where to go afterwards. */
export const signInRequestSchema = z.object({
  email: emailRule,
  redirectTo: z.string().max(500).catch('').default(''),
})
export const SIGN_IN_FIELD_ORDER = ['email']

export interface FamilyDetailsValue {
  contactName: string
  phone: string | null
  emergencyPhone: string | null
  authorityCode: string
  placesSeparately: boolean
}

export const DETAILS_FIELD_ORDER = ['contactName', 'phone', 'authority', 'emergencyPhone', 'placesSeparately']

/** The family's own details (the email address is not changed here: it is how they sign in). */
export function familyDetailsSchema(authorityCodes: Set<string>) {
  return z
    .object({
      contactName: z
        .string()
        .trim()
        .min(1, 'Enter your full name')
        .max(100, 'Your name must be 100 characters or fewer'),
      phone: phoneRule('a telephone number'),
      emergencyPhone: phoneRule('the emergency phone number as a telephone number'),
      authority: z
        .string()
        .trim()
        .min(1, 'Select the council area where you live')
        .refine((code) => authorityCodes.has(code), 'Select a council area from the list'),
      placesSeparately: z.enum(['yes', 'no'], {
        errorMap: () => ({ message: 'Select yes if your children can take places separately' }),
      }),
    })
    .transform((v): FamilyDetailsValue => ({
      contactName: v.contactName,
      phone: v.phone,
      emergencyPhone: v.emergencyPhone,
      authorityCode: v.authority,
      placesSeparately: v.placesSeparately === 'yes',
    }))
}

export const CONSENTS = [
  { field: 'consentPhotos', column: 'consent_photos', question: 'Can we take photographs of sessions with them in?' },
  {
    field: 'consentNameVisible',
    column: 'consent_name_visible',
    question: 'Can their first name be shown to others on the call?',
  },
  { field: 'consentCamera', column: 'consent_camera', question: 'Can they have their camera on?' },
] as const
export type ConsentField = (typeof CONSENTS)[number]['field']

export interface ChildValue {
  firstName: string
  dateOfBirth: string
  supportNeeds: string | null
  /** true yes, false no, null not answered */
  consents: Record<ConsentField, boolean | null>
}

export const CHILD_FIELD_ORDER = ['firstName', 'dob', 'supportNeeds', ...CONSENTS.map((c) => c.field)]
export const CHILD_FIELD_TARGETS = { dob: 'dob-day' }

const consentAnswer = z
  .enum(['yes', 'no', ''], { errorMap: () => ({ message: 'Select yes or no' }) })
  .transform((a) => (a === '' ? null : a === 'yes'))

/** A child of the family: first name, date of birth (a GOV.UK date input), support needs, consents. */
export function childSchema(today: string) {
  return z.record(z.string(), z.string().catch('')).transform((raw, ctx): ChildValue => {
    const v = (name: string) => (raw[name] ?? '').trim()
    const errors = new Map<string, string>()
    const issue = (field: string, message: string) => {
      if (!errors.has(field)) errors.set(field, message)
    }
    const firstName = v('firstName')
    if (!firstName) issue('firstName', 'Enter their first name')
    else if (firstName.length > 50) issue('firstName', 'First name must be 50 characters or fewer')
    const dob = readDateInput(
      { day: v('dob-day'), month: v('dob-month'), year: v('dob-year') },
      'their date of birth',
      true,
    )
    if (dob.error) issue('dob', dob.error)
    else if (dob.date! > today) issue('dob', 'Date of birth must be in the past')
    else if (dob.date! < '1990-01-01') issue('dob', 'Date of birth must be a real date')
    const supportNeeds = v('supportNeeds')
    if (supportNeeds.length > 1000) issue('supportNeeds', 'Support needs must be 1,000 characters or fewer')
    const consents = {} as Record<ConsentField, boolean | null>
    for (const { field } of CONSENTS) {
      const answer = consentAnswer.safeParse(v(field))
      if (answer.success) consents[field] = answer.data
      else issue(field, 'Select yes or no')
    }
    for (const [field, message] of errors) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message })
    if (errors.size > 0) return z.NEVER
    return { firstName, dateOfBirth: dob.date!, supportNeeds: supportNeeds || null, consents }
  })
}

export function parseChildForm(form: FormData, today: string): ParsedForm<ChildValue> {
  return parseForm(childSchema(today), form)
}

/** "Yes, I have checked" on the page that deletes the account. */
export const deleteAccountSchema = z.object({
  confirm: z.literal('yes', {
    errorMap: () => ({ message: 'Select that you understand your account will be deleted' }),
  }),
})
