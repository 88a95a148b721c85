// The safeguarding concern forms' rules, shared by the routes' actions and their pages: recording a
// concern (who, what was seen or said, when, who was present, what was done), a lead's follow-up
// note, and closing with an outcome. GOV.UK style messages; everything typed is kept.
import { z } from 'zod'
import { readDateInput } from './date-input'
import { londonToInstant, parseTypedTime } from '../time/london-time'
import { withoutControlCharacters } from '../text/control-characters'

/** Years a closed concern is kept after it is closed (concerns.server.ts, concernRetentionYears, says why). */
export const CONCERN_RETENTION_YEARS_MIN = 6
export const CONCERN_RETENTION_YEARS_MAX = 100
export const CONCERN_RETENTION_YEARS_DEFAULT = 25

export const CONCERN_TEXT_MAX = 10_000
export const CONCERN_NAME_MAX = 100
/** the radio for a child or young person not on the session's list */
export const SOMEONE_ELSE = 'someone-else'

export const CONCERN_FIELD_ORDER = [
  'child',
  'otherName',
  'seenOrSaid',
  'happened',
  'happenedTime',
  'present',
  'actionTaken',
] as const

export type ConcernField = (typeof CONCERN_FIELD_ORDER)[number]
export type ConcernErrors = Partial<Record<ConcernField, string>>

export interface ConcernValues {
  child: string
  otherName: string
  seenOrSaid: string
  happenedDay: string
  happenedMonth: string
  happenedYear: string
  happenedTime: string
  present: string
  actionTaken: string
}

export type ConcernChild = { kind: 'place'; placeId: number } | { kind: 'someone-else'; firstName: string }

export interface ConcernInput {
  child: ConcernChild
  seenOrSaid: string
  happenedAt: Date
  present: string
  actionTaken: string
}

const asText = (value: FormDataEntryValue | null | undefined): string =>
  typeof value === 'string' ? withoutControlCharacters(value) : ''

/** What was typed, kept as typed (within bounds) so a form with an error shows it again. */
export function concernValues(form: FormData): ConcernValues {
  const text = (name: string, max = CONCERN_TEXT_MAX + 100) => asText(form.get(name)).slice(0, max)
  return {
    child: text('child', 40),
    otherName: text('otherName', CONCERN_NAME_MAX + 20),
    seenOrSaid: text('seenOrSaid'),
    happenedDay: text('happened-day', 10),
    happenedMonth: text('happened-month', 10),
    happenedYear: text('happened-year', 10),
    happenedTime: text('happenedTime', 20),
    present: text('present'),
    actionTaken: text('actionTaken'),
  }
}

/** The place radio's value: "place-12". */
export const placeChoice = (placeId: number): string => `place-${placeId}`

const longText = (missing: string, name: string) =>
  z
    .string()
    .trim()
    .min(1, missing)
    .max(CONCERN_TEXT_MAX, `${name} must be ${CONCERN_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`)

const textsSchema = z.object({
  seenOrSaid: longText('Enter what was seen or said, in their own words', 'What was seen or said'),
  present: longText('Enter who was present', 'Who was present'),
  actionTaken: longText('Enter what was done', 'What was done'),
})

const otherNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter the first name of the child or young person')
  .max(CONCERN_NAME_MAX, `First name must be ${CONCERN_NAME_MAX} characters or fewer`)

export type ParsedConcern = { ok: true; value: ConcernInput } | { ok: false; errors: ConcernErrors }

/**
 * `placeIds` are the places a concern can name on this session; `now` bounds the time (a concern
 * is about something that has happened: a few minutes' slack for a clock a little ahead).
 */
export function parseConcern(values: ConcernValues, placeIds: readonly number[], now: Date): ParsedConcern {
  const errors: ConcernErrors = {}
  let child: ConcernChild | null = null
  const placeMatch = /^place-(\d{1,12})$/.exec(values.child)
  if (placeMatch && placeIds.includes(Number(placeMatch[1]))) {
    child = { kind: 'place', placeId: Number(placeMatch[1]) }
  } else if (values.child === SOMEONE_ELSE) {
    const name = otherNameSchema.safeParse(values.otherName)
    if (name.success) child = { kind: 'someone-else', firstName: name.data.replace(/\s+/g, ' ') }
    else errors.otherName = name.error.issues[0]!.message
  } else {
    errors.child = 'Select the child or young person the concern is about'
  }

  const texts = textsSchema.safeParse(values)
  if (!texts.success) {
    for (const issue of texts.error.issues) {
      const field = issue.path[0] as ConcernField
      errors[field] ??= issue.message
    }
  }

  const date = readDateInput(
    { day: values.happenedDay.trim(), month: values.happenedMonth.trim(), year: values.happenedYear.trim() },
    'the date it happened',
    true,
  )
  if (date.error) errors.happened = date.error
  const time = values.happenedTime.trim() ? parseTypedTime(values.happenedTime) : null
  if (!values.happenedTime.trim()) errors.happenedTime = 'Enter the time it happened'
  else if (!time) errors.happenedTime = 'Enter the time it happened like 14:30 or 2:30pm'
  let happenedAt: Date | null = null
  if (date.date && time) {
    happenedAt = londonToInstant(date.date, time)
    if (!happenedAt) errors.happenedTime = 'That time does not exist on this date because the clocks go forward'
    else if (happenedAt.getTime() > now.getTime() + 5 * 60_000)
      errors.happened = 'The date and time it happened must be in the past'
  }

  if (Object.keys(errors).length > 0 || !child || !texts.success || !happenedAt) {
    return { ok: false, errors }
  }
  return { ok: true, value: { child, happenedAt, ...texts.data } }
}

// ---- a lead's follow-up note and closing ----

export const NOTE_FIELD = 'note'
export const OUTCOME_FIELD = 'outcome'

const noteSchema = longText('Enter the note', 'The note')
const outcomeSchema = longText('Enter the outcome', 'The outcome')

export function parseNote(typed: string): { ok: true; value: string } | { ok: false; error: string } {
  const parsed = noteSchema.safeParse(typed)
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error.issues[0]!.message }
}

export function parseOutcome(typed: string): { ok: true; value: string } | { ok: false; error: string } {
  const parsed = outcomeSchema.safeParse(typed)
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error.issues[0]!.message }
}
