// The booking form's rules: contact, home council and each child, with GOV.UK style messages
// beside each field. The same parse runs for the form, the check page and the confirmation.
import { z } from 'zod'
import { ageOnDay, describeAgeRange } from './age'
import type { FieldErrors, FormValues } from './form-fields'
import { readDateInput } from './date-input'
import { londonDateOf } from './london-time'

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

export const childField = (index: number, field: 'firstName' | 'dob' | 'supportNeeds') => `child-${index}-${field}`

const emailSchema = z.string().email()

/** How many child blocks the form shows: what was posted, within 1..max. */
export function childCountOf(values: FormValues, max: number): number {
  const n = Number(values.childCount)
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : 1
}

export function parseBookingForm(
  values: FormValues,
  context: {
    activity: { starts_at: string; min_age: number; max_age: number }
    authorityCodes: Set<string>
    maxChildren: number
    today?: string
  },
): ParsedBookingForm {
  const errors: FieldErrors = {}
  const v = (name: string) => (values[name] ?? '').trim()
  const childCount = childCountOf(values, context.maxChildren)

  const contactName = v('contactName')
  if (!contactName) errors.contactName = 'Enter your full name'
  else if (contactName.length > 100) errors.contactName = 'Your name must be 100 characters or fewer'

  const email = v('email').toLowerCase()
  if (!email) errors.email = 'Enter your email address'
  else if (email.length > 254 || !emailSchema.safeParse(email).success) {
    errors.email = 'Enter an email address in the correct format, like name@example.com'
  }

  const phone = v('phone')
  if (phone && !/^[+()\d\s-]{7,20}$/.test(phone))
    errors.phone = 'Enter a telephone number, like 01632 960 001 or 07700 900 982'

  const authorityCode = v('authority')
  if (!authorityCode) errors.authority = 'Select the council area where you live'
  else if (!context.authorityCodes.has(authorityCode)) errors.authority = 'Select a council area from the list'

  const sessionDay = londonDateOf(context.activity.starts_at)
  const today = context.today ?? londonDateOf(new Date())
  const children: ChildInput[] = []
  const seen = new Map<string, number>()
  for (let i = 0; i < childCount; i++) {
    const nameField = childField(i, 'firstName')
    const dobField = childField(i, 'dob')
    const who = childCount > 1 ? `child ${i + 1}'s` : "the child's"
    const firstName = v(nameField)
    if (!firstName) errors[nameField] = `Enter ${who} first name`
    else if (firstName.length > 50) errors[nameField] = 'First name must be 50 characters or fewer'
    const dob = readDateInput(
      { day: v(`${dobField}-day`), month: v(`${dobField}-month`), year: v(`${dobField}-year`) },
      `${who} date of birth`,
      true,
    )
    if (dob.error) errors[dobField] = dob.error
    else if (dob.date! > today) errors[dobField] = 'Date of birth must be in the past'
    else if (dob.date! < '1990-01-01') errors[dobField] = 'Date of birth must be a real date'
    else {
      const age = ageOnDay(dob.date!, sessionDay)
      if (age < context.activity.min_age || age > context.activity.max_age) {
        errors[dobField] =
          `This session is for ${describeAgeRange(context.activity.min_age, context.activity.max_age).toLowerCase()}. ` +
          `${firstName || 'This child'} will be ${age} on the day`
      }
    }
    const supportNeeds = v(childField(i, 'supportNeeds'))
    if (supportNeeds.length > 1000)
      errors[childField(i, 'supportNeeds')] = 'Support needs must be 1,000 characters or fewer'
    if (firstName && dob.date) {
      const key = childKey(firstName, dob.date)
      if (seen.has(key)) errors[nameField] = `${firstName} is already in this booking`
      seen.set(key, i)
    }
    children.push({ firstName, dateOfBirth: dob.date ?? '', supportNeeds: supportNeeds || null })
  }

  if (values.eligibility !== 'yes') errors.eligibility = 'Confirm the children can take part'
  if (values.terms !== 'yes') errors.terms = 'Agree to how we use your details to book'

  if (Object.keys(errors).length) return { ok: false, errors, values, childCount }
  return {
    ok: true,
    values,
    childCount,
    value: {
      contactName,
      email,
      phone: phone || null,
      authorityCode,
      children,
      mailingListOptIn: values.mailingList === 'yes',
    },
  }
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
  order.push('eligibility', 'terms')
  return order
}

export function bookingFieldAnchors(childCount: number): Record<string, string> {
  const anchors: Record<string, string> = {}
  for (let i = 0; i < childCount; i++) anchors[childField(i, 'dob')] = `${childField(i, 'dob')}-day`
  return anchors
}
