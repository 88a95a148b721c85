// The activity form's rules: one zod schema (activityFormSchema) turns what staff typed into a valid
// activity (or a series of them), with GOV.UK style messages next to each field and everything
// typed kept. The field names are exported here, so the form's markup and the action share them.
import { z } from 'zod'
import { ADOPTABLES_MAX_AGE, ADOPTABLES_MIN_AGE } from './adoptables-age'
import { ACTIVITY_CATEGORIES } from './categories'
import { readDateInput, type DateParts } from './date-input'
import { parseForm, type FieldErrors, type FormValues } from './form-fields'
import { londonParts, londonTimeOf, londonToInstant, parseCalendarDate, parseTypedTime } from '../time/london-time'

export const MAX_CAPACITY = 500
export const MAX_AGE = 25
export const MAX_SERIES_SESSIONS = 52

export type { FieldErrors, FormValues }

export interface ActivityInput {
  kind: 'activity' | 'adoptables'
  title: string
  category: string
  description: string
  /** what a child needs at home for it, e.g. "PVA glue and a bowl"; null when nothing */
  whatToBring: string | null
  date: string
  startTime: string
  endTime: string
  capacity: number
  minAge: number
  maxAge: number
  locationType: 'online' | 'in_person'
  joinUrl: string | null
  venue: string | null
  /** booking opens at this instant; null means straight away */
  bookingOpensAt: Date | null
  /** explicit close; null means the default, 1 hour before the start */
  bookingClosesAt: Date | null
  repeat: 'none' | 'weekly' | 'fortnightly' | 'monthly'
  sessions: number
  startsAt: Date
  endsAt: Date
}

export type ParsedActivityForm =
  { ok: true; value: ActivityInput; warnings: string[] } | { ok: false; errors: FieldErrors; values: FormValues }

/** The names the form posts; a date input posts `${name}-day`, `-month` and `-year`. */
export const ACTIVITY_FIELDS = [
  'kind',
  'title',
  'category',
  'description',
  'whatToBring',
  'date',
  'startTime',
  'endTime',
  'capacity',
  'minAge',
  'maxAge',
  'locationType',
  'joinUrl',
  'venue',
  'opens',
  'opensTime',
  'closes',
  'closesTime',
  'repeat',
  'sessions',
] as const
export type ActivityField = (typeof ACTIVITY_FIELDS)[number]
/** Each field's name, for the markup: `id={activityField.title}` cannot drift from the schema. */
export const activityField = Object.fromEntries(ACTIVITY_FIELDS.map((f) => [f, f])) as { [K in ActivityField]: K }
/** The fields that are date inputs. */
export type ActivityDateField = 'date' | 'opens' | 'closes'

/** The first field of each error, in page order, so the error summary links go to the right box. */
export const ACTIVITY_FIELD_ORDER: readonly ActivityField[] = ACTIVITY_FIELDS.filter(
  (f) => f !== 'opensTime' && f !== 'closesTime',
)

/** Fields whose control id differs from their name (date inputs link to the day box). */
export const ACTIVITY_FIELD_ANCHORS: Partial<Record<ActivityField, string>> = {
  date: 'date-day',
  opens: 'opens-day',
  closes: 'closes-day',
  kind: 'kind',
  locationType: 'locationType',
  repeat: 'repeat',
}

/** The posted name of a date input's box: "date-day". */
export const dateBox = (field: ActivityDateField, part: 'day' | 'month' | 'year') => `${field}-${part}` as const

const posted = z
  .string()
  .catch('')
  .transform((v) => v.trim())
const dateBoxes = (field: ActivityDateField) => ({
  [dateBox(field, 'day')]: posted,
  [dateBox(field, 'month')]: posted,
  [dateBox(field, 'year')]: posted,
})

/** What the form posts, every field a trimmed string ('' when missing). */
const chosen = z.string().catch('')
const postedSchema = z.object({
  ...Object.fromEntries(ACTIVITY_FIELDS.map((f) => [f, posted])),
  // chosen from a list, so taken as sent
  kind: chosen,
  category: chosen,
  locationType: chosen,
  repeat: chosen,
  ...dateBoxes('date'),
  ...dateBoxes('opens'),
  ...dateBoxes('closes'),
}) as unknown as z.ZodType<Record<string, string>, z.ZodTypeDef, unknown>

const wholeNumber = (empty: string, notNumber: string) =>
  z
    .string()
    .min(1, empty)
    .regex(/^\d{1,6}$/, notNumber)
    .transform(Number)

/** Each field's own rules, most basic first; the rules between fields are in activityFormSchema. */
const rules = {
  kind: z.enum(['activity', 'adoptables'], { errorMap: () => ({ message: 'Select what kind of session this is' }) }),
  title: z.string().min(1, 'Enter a title').max(120, 'Title must be 120 characters or fewer'),
  category: z
    .string()
    .min(1, 'Select a category')
    .refine((c) => !c || (ACTIVITY_CATEGORIES as readonly string[]).includes(c), 'Select a category from the list'),
  description: z.string().min(1, 'Enter a description').max(5000, 'Description must be 5,000 characters or fewer'),
  whatToBring: z.string().max(500, 'What to bring must be 500 characters or fewer'),
  startTime: z
    .string()
    .min(1, 'Enter a start time')
    .transform((t, ctx) => parseTypedTime(t) ?? fail(ctx, 'Enter a start time like 10:00 or 4:30pm')),
  endTime: z
    .string()
    .min(1, 'Enter an end time')
    .transform((t, ctx) => parseTypedTime(t) ?? fail(ctx, 'Enter an end time like 11:00 or 5:30pm')),
  capacity: wholeNumber('Enter how many spaces there are', 'Spaces must be a whole number, like 20').pipe(
    z.number().min(1, 'Spaces must be 1 or more').max(MAX_CAPACITY, `Spaces must be ${MAX_CAPACITY} or fewer`),
  ),
  minAge: wholeNumber('Enter the youngest age', 'Youngest age must be a whole number, like 5').pipe(
    z.number().max(MAX_AGE, `Youngest age must be ${MAX_AGE} or under`),
  ),
  maxAge: wholeNumber('Enter the oldest age', 'Oldest age must be a whole number, like 11').pipe(
    z.number().max(MAX_AGE, `Oldest age must be ${MAX_AGE} or under`),
  ),
  locationType: z.enum(['online', 'in_person'], {
    errorMap: () => ({ message: 'Select whether the session is online or in person' }),
  }),
  joinUrl: z
    .string()
    .min(1, 'Enter the Teams joining link')
    .transform((typed, ctx) => {
      let url: URL | null = null
      try {
        url = new URL(typed)
      } catch {
        url = null
      }
      if (url && url.protocol !== 'https:') return fail(ctx, 'The joining link must start with https://')
      if (!url || !url.hostname.includes('.'))
        return fail(ctx, 'Enter the joining link in full, starting with https://')
      if (typed.length > 2000) return fail(ctx, 'The joining link must be 2,000 characters or fewer')
      return url.toString()
    }),
  venue: z.string().min(1, 'Enter where the session takes place').max(300, 'Venue must be 300 characters or fewer'),
  repeat: z.enum(['none', 'weekly', 'fortnightly', 'monthly'], {
    errorMap: () => ({ message: 'Select how often the session repeats' }),
  }),
  sessions: wholeNumber(
    'Enter how many sessions there are in the series',
    'Number of sessions must be a whole number, like 6',
  ).pipe(
    z
      .number()
      .min(2, 'A series must have 2 sessions or more')
      .max(MAX_SERIES_SESSIONS, `A series can have up to ${MAX_SERIES_SESSIONS} sessions`),
  ),
} satisfies Partial<Record<ActivityField, z.ZodTypeAny>>

function fail(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: z.ZodIssueCode.custom, message })
  return z.NEVER
}

/**
 * The activity form's one schema: what staff typed becomes a valid activity (or the first of a
 * series) and any warnings, or an issue per field with the message to show beside it.
 * `allowRepeat` is false when changing one session of a series; `now` is when "in the future" starts.
 */
export function activityFormSchema({ allowRepeat, now = new Date() }: { allowRepeat: boolean; now?: Date }) {
  return postedSchema.transform((raw, ctx): { value: ActivityInput; warnings: string[] } => {
    const failed = new Set<ActivityField>()
    const issue = (field: ActivityField, message: string) => {
      if (failed.has(field)) return
      failed.add(field)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message })
    }
    function check<S extends z.ZodTypeAny>(field: ActivityField, schema: S, value = raw[field]): z.output<S> | null {
      const result = schema.safeParse(value)
      if (result.success) return result.data as z.output<S>
      issue(field, result.error.issues[0]!.message)
      return null
    }
    const warnings: string[] = []

    const kind = check('kind', rules.kind)
    const title = check('title', rules.title)
    const category = check('category', rules.category)
    const description = check('description', rules.description)
    const whatToBring = check('whatToBring', rules.whatToBring, raw.whatToBring ?? '')

    const date = readDateInput(datePartsOf(raw, 'date'), 'the date', true)
    if (date.error) issue('date', date.error)
    const startTime = check('startTime', rules.startTime)
    const endTime = check('endTime', rules.endTime)

    let startsAt: Date | null = null
    let endsAt: Date | null = null
    if (date.date && startTime && endTime) {
      startsAt = londonToInstant(date.date, startTime)
      endsAt = londonToInstant(date.date, endTime)
      if (!startsAt) issue('startTime', 'That time does not exist on this date because the clocks go forward')
      if (!endsAt) issue('endTime', 'That time does not exist on this date because the clocks go forward')
      if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime())
        issue('endTime', 'End time must be after the start time')
      if (startsAt && startsAt.getTime() < now.getTime() - 60_000) issue('date', 'The date must be in the future')
      if (startsAt && (parseCalendarDate(date.date)?.year ?? 0) > now.getUTCFullYear() + 3)
        issue('date', 'The date must be within the next 3 years')
    }

    const capacity = check('capacity', rules.capacity)
    const minAge = check('minAge', rules.minAge)
    const maxAge = check('maxAge', rules.maxAge)
    if (minAge !== null && maxAge !== null && minAge > maxAge)
      issue('maxAge', 'Oldest age must be the same as or more than the youngest age')
    if (kind === 'adoptables') {
      // who can be a member: 12 to 18 on the day of the meeting (adoptables-age.ts)
      const range = `Adoptables meetings are for young people aged ${ADOPTABLES_MIN_AGE} to ${ADOPTABLES_MAX_AGE}`
      if (minAge !== null && minAge < ADOPTABLES_MIN_AGE)
        issue('minAge', `${range}: the youngest age must be ${ADOPTABLES_MIN_AGE} or more`)
      if (maxAge !== null && maxAge > ADOPTABLES_MAX_AGE)
        issue('maxAge', `${range}: the oldest age must be ${ADOPTABLES_MAX_AGE} or under`)
    }

    const locationType = check('locationType', rules.locationType)
    let joinUrl: string | null = null
    let venue: string | null = null
    if (locationType === 'online') {
      joinUrl = check('joinUrl', rules.joinUrl)
      if (joinUrl && !isTeamsUrl(joinUrl))
        warnings.push('The joining link is not a Microsoft Teams link. Check it is the right one.')
    } else if (locationType === 'in_person') {
      venue = check('venue', rules.venue)
    }

    const opens = readDateAndTime(raw, 'opens', 'when bookings open', '00:00')
    if (opens.error) issue('opens', opens.error)
    const closes = readDateAndTime(raw, 'closes', 'when bookings close', '23:59')
    if (closes.error) issue('closes', closes.error)
    if (startsAt && closes.instant && closes.instant.getTime() > startsAt.getTime())
      issue('closes', 'Bookings must close before the session starts')
    if (opens.instant && startsAt && opens.instant.getTime() >= (closes.instant ?? defaultClose(startsAt)).getTime())
      issue('opens', 'Bookings must open before they close')

    const repeat = allowRepeat ? check('repeat', rules.repeat, raw.repeat || 'none') : 'none'
    const sessions = repeat && repeat !== 'none' ? check('sessions', rules.sessions) : 1

    if (
      failed.size > 0 ||
      !kind ||
      !title ||
      !category ||
      !description ||
      !date.date ||
      !startTime ||
      !endTime ||
      !startsAt ||
      !endsAt ||
      capacity === null ||
      minAge === null ||
      maxAge === null ||
      !locationType ||
      !repeat ||
      sessions === null
    ) {
      return z.NEVER
    }
    return {
      warnings,
      value: {
        kind,
        title,
        category,
        description,
        whatToBring: whatToBring || null,
        date: date.date,
        startTime,
        endTime,
        capacity,
        minAge,
        maxAge,
        locationType,
        joinUrl,
        venue,
        bookingOpensAt: opens.instant,
        bookingClosesAt: closes.instant,
        repeat,
        sessions,
        startsAt,
        endsAt,
      },
    }
  })
}

/** Reads a posted activity form: the activity and its warnings, or the errors with everything typed. */
export function parseActivityForm(
  form: FormData | FormValues,
  options: { allowRepeat: boolean; now?: Date } = { allowRepeat: true },
): ParsedActivityForm {
  const parsed = parseForm(activityFormSchema(options), form)
  if (!parsed.ok) return { ok: false, errors: parsed.errors, values: parsed.values }
  return { ok: true, warnings: parsed.value.warnings, value: parsed.value.value }
}

function datePartsOf(raw: Record<string, string>, field: ActivityDateField): DateParts {
  return {
    day: raw[dateBox(field, 'day')] ?? '',
    month: raw[dateBox(field, 'month')] ?? '',
    year: raw[dateBox(field, 'year')] ?? '',
  }
}

const TEAMS_HOSTS = ['teams.microsoft.com', 'teams.live.com', 'teams.microsoft.us', 'gov.teams.microsoft.us']

export function isTeamsUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase()
    return TEAMS_HOSTS.some((h) => host === h || host.endsWith(`.${h}`))
  } catch {
    return false
  }
}

export function defaultClose(startsAt: Date): Date {
  return new Date(startsAt.getTime() - 60 * 60_000)
}

function readDateAndTime(
  raw: Record<string, string>,
  prefix: 'opens' | 'closes',
  name: string,
  defaultTime: string,
): { instant: Date | null; error?: string } {
  const typedTime = raw[`${prefix}Time`] ?? ''
  const date = readDateInput(datePartsOf(raw, prefix), name, false)
  if (date.error) return { instant: null, error: date.error }
  if (!date.date) return typedTime ? { instant: null, error: `Enter the date for ${name}` } : { instant: null }
  const time = typedTime ? parseTypedTime(typedTime) : defaultTime
  if (!time) return { instant: null, error: `Enter a time for ${name} like 09:00` }
  const instant = londonToInstant(date.date, time)
  if (!instant) return { instant: null, error: `That time does not exist on that date because the clocks go forward` }
  return { instant }
}

/** The form's values for an existing session, so "edit" starts from what is stored. */
export function activityToFormValues(activity: {
  kind: string
  title: string
  category: string
  description: string
  what_to_bring?: string | null
  starts_at: string
  ends_at: string
  capacity: number
  min_age: number
  max_age: number
  location_type: string
  join_url: string | null
  venue: string | null
  booking_opens_at: string | null
  booking_closes_at: string
}): FormValues {
  const start = londonParts(activity.starts_at)
  const values: FormValues = {
    kind: activity.kind,
    title: activity.title,
    category: activity.category,
    description: activity.description,
    whatToBring: activity.what_to_bring ?? '',
    'date-day': String(start.day),
    'date-month': String(start.month),
    'date-year': String(start.year),
    startTime: londonTimeOf(activity.starts_at),
    endTime: londonTimeOf(activity.ends_at),
    capacity: String(activity.capacity),
    minAge: String(activity.min_age),
    maxAge: String(activity.max_age),
    locationType: activity.location_type,
    joinUrl: activity.join_url ?? '',
    venue: activity.venue ?? '',
  }
  if (activity.booking_opens_at) {
    const opens = londonParts(activity.booking_opens_at)
    Object.assign(values, {
      'opens-day': String(opens.day),
      'opens-month': String(opens.month),
      'opens-year': String(opens.year),
      opensTime: londonTimeOf(activity.booking_opens_at),
    })
  }
  const startsAt = new Date(activity.starts_at)
  if (activity.booking_closes_at !== defaultClose(startsAt).toISOString()) {
    const closes = londonParts(activity.booking_closes_at)
    Object.assign(values, {
      'closes-day': String(closes.day),
      'closes-month': String(closes.month),
      'closes-year': String(closes.year),
      closesTime: londonTimeOf(activity.booking_closes_at),
    })
  }
  return values
}
