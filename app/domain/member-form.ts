// The Adoptables registration form: asks young people for little, in plain words.
import { z } from 'zod'
import { parseForm, type FieldErrors, type FormValues } from './form-fields'
import { readDateInput } from './date-input'
import { ADOPTABLES_MAX_AGE, ADOPTABLES_MIN_AGE, adoptablesAgeOnMeeting, needsConsent } from './adoptables-age'

export interface RegistrationFormValue {
  firstName: string
  dateOfBirth: string
  email: string
  authorityCode: string
  notes: string | null
  parentEmail: string | null
}

export type ParsedRegistration =
  | { ok: true; value: RegistrationFormValue; underConsentAge: boolean }
  | { ok: false; errors: FieldErrors; values: FormValues }

export const REGISTRATION_FIELD_ORDER = ['firstName', 'dob', 'email', 'authority', 'parentEmail', 'notes']

export interface RegistrationContext {
  meetingStartsAt: string
  authorityCodes: Set<string>
  now?: Date
}

const emailRule = z.string().max(254).email()

/** The registration form's one schema, in plain words for young people. */
export function registrationFormSchema(context: RegistrationContext) {
  return z
    .record(z.string(), z.string().catch(''))
    .transform((raw, ctx): RegistrationFormValue & { underConsentAge: boolean } => {
      const v = (name: string) => (raw[name] ?? '').trim()
      const errors = new Map<string, string>()
      const issue = (field: string, message: string) => {
        if (!errors.has(field)) errors.set(field, message)
      }

      const firstName = v('firstName')
      if (!firstName) issue('firstName', 'Enter your first name')
      else if (firstName.length > 50) issue('firstName', 'First name must be 50 characters or fewer')

      const dob = readDateInput(
        { day: v('dob-day'), month: v('dob-month'), year: v('dob-year') },
        'your date of birth',
        true,
      )
      let underConsentAge = false
      if (dob.error) issue('dob', dob.error)
      else {
        const age = adoptablesAgeOnMeeting(dob.date!, context.meetingStartsAt)
        if (!age.ok) {
          issue(
            'dob',
            age.age < ADOPTABLES_MIN_AGE
              ? `Adoptables is for young people aged ${ADOPTABLES_MIN_AGE} to ${ADOPTABLES_MAX_AGE}. You will be ${Math.max(age.age, 0)} on the day of this meeting, so you cannot join yet`
              : `Adoptables is for young people aged ${ADOPTABLES_MIN_AGE} to ${ADOPTABLES_MAX_AGE}. You will be ${age.age} on the day of this meeting`,
          )
        }
        underConsentAge = needsConsent(dob.date!, context.now)
      }

      const email = v('email').toLowerCase()
      if (!email) issue('email', 'Enter your email address')
      else if (!emailRule.safeParse(email).success) issue('email', 'Enter an email address like name@example.com')

      const authorityCode = v('authority')
      if (!authorityCode) issue('authority', 'Choose the council area where you live')
      else if (!context.authorityCodes.has(authorityCode)) issue('authority', 'Choose a council area from the list')

      const parentEmail = v('parentEmail').toLowerCase()
      if (underConsentAge && !errors.has('dob')) {
        if (!parentEmail) issue('parentEmail', 'Enter your parent or carer’s email address, because you are under 13')
        else if (!emailRule.safeParse(parentEmail).success)
          issue('parentEmail', 'Enter an email address like name@example.com')
        else if (parentEmail === email)
          issue('parentEmail', 'Enter your parent or carer’s own email address, not yours')
      }

      const notes = v('notes')
      if (notes.length > 1000) issue('notes', 'This must be 1,000 characters or fewer')

      for (const [field, message] of errors) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message })
      if (errors.size > 0) return z.NEVER
      return {
        firstName,
        dateOfBirth: dob.date!,
        email,
        authorityCode,
        notes: notes || null,
        parentEmail: underConsentAge ? parentEmail : null,
        underConsentAge,
      }
    })
}

export function parseRegistration(values: FormValues, context: RegistrationContext): ParsedRegistration {
  const parsed = parseForm(registrationFormSchema(context), values)
  if (!parsed.ok) return { ok: false, errors: parsed.errors, values }
  const { underConsentAge, ...value } = parsed.value
  return { ok: true, value, underConsentAge }
}

/** A parent or carer's answer on the consent page: the emailed token and yes or no. */
export const consentAnswerSchema = z.object({
  token: z.string().max(200).catch(''),
  answer: z.enum(['yes', 'no']).optional().catch(undefined),
})

export const CONSENT_ANSWER_ERROR = 'Select yes if they can join Adoptables'
