// The Adoptables registration form: asks young people for little, in plain words.
import { z } from 'zod'
import type { FieldErrors, FormValues } from './form-fields'
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

const email = z.string().email()

export const REGISTRATION_FIELD_ORDER = ['firstName', 'dob', 'email', 'authority', 'parentEmail', 'notes']

export function parseRegistration(
  values: FormValues,
  context: { meetingStartsAt: string; authorityCodes: Set<string>; now?: Date },
): ParsedRegistration {
  const errors: FieldErrors = {}
  const v = (name: string) => (values[name] ?? '').trim()

  const firstName = v('firstName')
  if (!firstName) errors.firstName = 'Enter your first name'
  else if (firstName.length > 50) errors.firstName = 'First name must be 50 characters or fewer'

  const dob = readDateInput(
    { day: v('dob-day'), month: v('dob-month'), year: v('dob-year') },
    'your date of birth',
    true,
  )
  let underConsentAge = false
  if (dob.error) errors.dob = dob.error
  else {
    const age = adoptablesAgeOnMeeting(dob.date!, context.meetingStartsAt)
    if (!age.ok) {
      errors.dob =
        age.age < ADOPTABLES_MIN_AGE
          ? `Adoptables is for young people aged ${ADOPTABLES_MIN_AGE} to ${ADOPTABLES_MAX_AGE}. You will be ${Math.max(age.age, 0)} on the day of this meeting, so you cannot join yet`
          : `Adoptables is for young people aged ${ADOPTABLES_MIN_AGE} to ${ADOPTABLES_MAX_AGE}. You will be ${age.age} on the day of this meeting`
    }
    underConsentAge = needsConsent(dob.date!, context.now)
  }

  const emailTyped = v('email').toLowerCase()
  if (!emailTyped) errors.email = 'Enter your email address'
  else if (emailTyped.length > 254 || !email.safeParse(emailTyped).success)
    errors.email = 'Enter an email address like name@example.com'

  const authorityCode = v('authority')
  if (!authorityCode) errors.authority = 'Choose the council area where you live'
  else if (!context.authorityCodes.has(authorityCode)) errors.authority = 'Choose a council area from the list'

  const parentEmail = v('parentEmail').toLowerCase()
  if (underConsentAge && !errors.dob) {
    if (!parentEmail) errors.parentEmail = 'Enter your parent or carer’s email address, because you are under 13'
    else if (!email.safeParse(parentEmail).success) errors.parentEmail = 'Enter an email address like name@example.com'
    else if (parentEmail === emailTyped)
      errors.parentEmail = 'Enter your parent or carer’s own email address, not yours'
  }

  const notes = v('notes')
  if (notes.length > 1000) errors.notes = 'This must be 1,000 characters or fewer'

  if (Object.keys(errors).length) return { ok: false, errors, values }
  return {
    ok: true,
    underConsentAge,
    value: {
      firstName,
      dateOfBirth: dob.date!,
      email: emailTyped,
      authorityCode,
      notes: notes || null,
      parentEmail: underConsentAge ? parentEmail : null,
    },
  }
}
