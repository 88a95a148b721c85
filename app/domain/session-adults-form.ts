// The form naming a session's two adults (host and second adult): each a staff account, a named
// guest adult, or not named yet; the same person cannot be both. Shared by the route and its page.
import { z } from 'zod'
import { parseForm, type ParsedForm } from './form-fields'

export const ADULT_ROLES = ['host', 'second'] as const
export type AdultRole = (typeof ADULT_ROLES)[number]
export const ADULT_ROLE_NAMES: Record<AdultRole, string> = { host: 'Host', second: 'Second adult' }
export const GUEST_NAME_MAX = 100
export const GUEST_ORGANISATION_MAX = 100

/** One adult as chosen: null when not named yet. */
export type AdultChoice =
  { kind: 'staff'; staffUserId: number } | { kind: 'guest'; name: string; organisation: string | null } | null

export interface SessionAdultsInput {
  host: AdultChoice
  second: AdultChoice
  /** also name these adults on every later session of the series that is not cancelled */
  wholeSeries: boolean
}

const WHO = { host: 'the host', second: 'the second adult' } as const

function adultFields(role: AdultRole) {
  return {
    // checked with the rest below, so a missing answer is reported together with the others
    [`${role}Kind`]: z.string().default(''),
    [`${role}Staff`]: z.string().trim().default(''),
    [`${role}GuestName`]: z
      .string()
      .trim()
      .max(GUEST_NAME_MAX, `Name must be ${GUEST_NAME_MAX} characters or fewer`)
      .default(''),
    [`${role}GuestOrganisation`]: z
      .string()
      .trim()
      .max(GUEST_ORGANISATION_MAX, `Organisation or role must be ${GUEST_ORGANISATION_MAX} characters or fewer`)
      .default(''),
  }
}

type Raw = Record<string, string | undefined>

function choiceOf(raw: Raw, role: AdultRole): AdultChoice {
  const kind = raw[`${role}Kind`]
  if (kind === 'staff') return { kind: 'staff', staffUserId: Number(raw[`${role}Staff`]) }
  if (kind === 'guest') {
    return { kind: 'guest', name: raw[`${role}GuestName`]!, organisation: raw[`${role}GuestOrganisation`] || null }
  }
  return null
}

/** Same staff account, or the same guest name (ignoring case and spaces). */
export function sameAdult(a: AdultChoice, b: AdultChoice): boolean {
  if (!a || !b || a.kind !== b.kind) return false
  if (a.kind === 'staff' && b.kind === 'staff') return a.staffUserId === b.staffUserId
  const key = (name: string) => name.replace(/\s+/g, ' ').toLowerCase()
  return a.kind === 'guest' && b.kind === 'guest' && key(a.name) === key(b.name)
}

const sessionAdultsSchema = z
  .object({
    ...adultFields('host'),
    ...adultFields('second'),
    wholeSeries: z.literal('yes').optional(),
  })
  .superRefine((raw: Raw, ctx) => {
    for (const role of ADULT_ROLES) {
      const kind = raw[`${role}Kind`]
      if (kind !== 'staff' && kind !== 'guest' && kind !== 'none') {
        ctx.addIssue({ code: 'custom', path: [`${role}Kind`], message: `Choose who ${WHO[role]} is` })
      }
      if (kind === 'staff' && !/^\d{1,12}$/.test(raw[`${role}Staff`] ?? '')) {
        ctx.addIssue({
          code: 'custom',
          path: [`${role}Staff`],
          message: `Choose the member of staff who is ${WHO[role]}`,
        })
      }
      if (kind === 'guest' && !raw[`${role}GuestName`]) {
        ctx.addIssue({ code: 'custom', path: [`${role}GuestName`], message: `Enter the name of ${WHO[role]}` })
      }
    }
    const host = choiceOf(raw, 'host')
    const second = choiceOf(raw, 'second')
    if (sameAdult(host, second)) {
      ctx.addIssue({
        code: 'custom',
        path: [second!.kind === 'staff' ? 'secondStaff' : 'secondGuestName'],
        message: 'The second adult must be a different person from the host',
      })
    }
  })
  .transform((raw: Raw): SessionAdultsInput => ({
    host: choiceOf(raw, 'host'),
    second: choiceOf(raw, 'second'),
    wholeSeries: raw.wholeSeries === 'yes',
  }))

/** The fields in page order, so the error summary lists them as the page does. */
export const SESSION_ADULTS_FIELD_ORDER = ADULT_ROLES.flatMap((role) => [
  `${role}Kind`,
  `${role}Staff`,
  `${role}GuestName`,
  `${role}GuestOrganisation`,
])

export function parseSessionAdults(form: FormData): ParsedForm<SessionAdultsInput> {
  return parseForm(sessionAdultsSchema as unknown as z.ZodType<SessionAdultsInput, z.ZodTypeDef, unknown>, form)
}
