// The activity form's rules: one zod schema turns what staff typed into a valid activity (or a
// series of them), with GOV.UK style messages next to each field and everything typed kept.
import { z } from 'zod'
import { ACTIVITY_CATEGORIES } from './categories'
import { readDateInput } from './date-input'
import { londonParts, londonTimeOf, londonToInstant, parseTypedTime } from './london-time'

export const MAX_CAPACITY = 500
export const MAX_AGE = 25
export const MAX_SERIES_SESSIONS = 52

export type FormValues = Record<string, string>
export type FieldErrors = Record<string, string>

export interface ActivityInput {
  kind: 'activity' | 'adoptables'
  title: string
  category: string
  description: string
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

/** The first field of each error, in page order, so the error summary links go to the right box. */
export const ACTIVITY_FIELD_ORDER = [
  'kind',
  'title',
  'category',
  'description',
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
  'closes',
  'repeat',
  'sessions',
] as const

/** Fields whose control id differs from their name (date inputs link to the day box). */
export const ACTIVITY_FIELD_ANCHORS: Record<string, string> = {
  date: 'date-day',
  opens: 'opens-day',
  closes: 'closes-day',
  kind: 'kind',
  locationType: 'locationType',
  repeat: 'repeat',
}

const text = (max: number) => z.string().trim().max(max)

const rawSchema = z.object({
  kind: z.string().default(''),
  title: text(10_000).default(''),
  category: z.string().default(''),
  description: text(100_000).default(''),
  'date-day': text(10).default(''),
  'date-month': text(10).default(''),
  'date-year': text(10).default(''),
  startTime: text(20).default(''),
  endTime: text(20).default(''),
  capacity: text(20).default(''),
  minAge: text(20).default(''),
  maxAge: text(20).default(''),
  locationType: z.string().default(''),
  joinUrl: text(10_000).default(''),
  venue: text(10_000).default(''),
  'opens-day': text(10).default(''),
  'opens-month': text(10).default(''),
  'opens-year': text(10).default(''),
  opensTime: text(20).default(''),
  'closes-day': text(10).default(''),
  'closes-month': text(10).default(''),
  'closes-year': text(10).default(''),
  closesTime: text(20).default(''),
  repeat: z.string().default('none'),
  sessions: text(20).default(''),
})

type Raw = z.infer<typeof rawSchema>

function wholeNumber(value: string): number | null {
  return /^\d{1,6}$/.test(value) ? Number(value) : null
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

export function parseActivityForm(
  form: FormData | Record<string, string>,
  options: { allowRepeat: boolean; now?: Date } = { allowRepeat: true },
): ParsedActivityForm {
  const entries: Record<string, string> = {}
  const source = form instanceof FormData ? Object.fromEntries(form) : form
  for (const [key, value] of Object.entries(source)) if (typeof value === 'string') entries[key] = value
  const raw: Raw = rawSchema.parse(entries)
  const errors: FieldErrors = {}
  const warnings: string[] = []
  const now = options.now ?? new Date()

  const kind = raw.kind === 'activity' || raw.kind === 'adoptables' ? raw.kind : null
  if (!kind) errors.kind = 'Select what kind of session this is'

  if (!raw.title) errors.title = 'Enter a title'
  else if (raw.title.length > 120) errors.title = 'Title must be 120 characters or fewer'

  if (!raw.category) errors.category = 'Select a category'
  else if (!(ACTIVITY_CATEGORIES as readonly string[]).includes(raw.category))
    errors.category = 'Select a category from the list'

  if (!raw.description) errors.description = 'Enter a description'
  else if (raw.description.length > 5000) errors.description = 'Description must be 5,000 characters or fewer'

  const date = readDateInput(
    { day: raw['date-day'], month: raw['date-month'], year: raw['date-year'] },
    'the date',
    true,
  )
  if (date.error) errors.date = date.error

  const startTime = raw.startTime ? parseTypedTime(raw.startTime) : null
  if (!raw.startTime) errors.startTime = 'Enter a start time'
  else if (!startTime) errors.startTime = 'Enter a start time like 10:00 or 4:30pm'
  const endTime = raw.endTime ? parseTypedTime(raw.endTime) : null
  if (!raw.endTime) errors.endTime = 'Enter an end time'
  else if (!endTime) errors.endTime = 'Enter an end time like 11:00 or 5:30pm'

  let startsAt: Date | null = null
  let endsAt: Date | null = null
  if (date.date && startTime && endTime) {
    startsAt = londonToInstant(date.date, startTime)
    endsAt = londonToInstant(date.date, endTime)
    if (!startsAt) errors.startTime = 'That time does not exist on this date because the clocks go forward'
    if (!endsAt) errors.endTime = 'That time does not exist on this date because the clocks go forward'
    if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime())
      errors.endTime = 'End time must be after the start time'
    if (startsAt && !errors.date && startsAt.getTime() < now.getTime() - 60_000)
      errors.date = 'The date must be in the future'
    if (startsAt && date.date && Number(date.date.slice(0, 4)) > now.getUTCFullYear() + 3) {
      errors.date = 'The date must be within the next 3 years'
    }
  }

  const capacity = wholeNumber(raw.capacity)
  if (!raw.capacity) errors.capacity = 'Enter how many spaces there are'
  else if (capacity === null) errors.capacity = 'Spaces must be a whole number, like 20'
  else if (capacity < 1) errors.capacity = 'Spaces must be 1 or more'
  else if (capacity > MAX_CAPACITY) errors.capacity = `Spaces must be ${MAX_CAPACITY} or fewer`

  const minAge = wholeNumber(raw.minAge)
  const maxAge = wholeNumber(raw.maxAge)
  if (!raw.minAge) errors.minAge = 'Enter the youngest age'
  else if (minAge === null) errors.minAge = 'Youngest age must be a whole number, like 5'
  else if (minAge > MAX_AGE) errors.minAge = `Youngest age must be ${MAX_AGE} or under`
  if (!raw.maxAge) errors.maxAge = 'Enter the oldest age'
  else if (maxAge === null) errors.maxAge = 'Oldest age must be a whole number, like 11'
  else if (maxAge > MAX_AGE) errors.maxAge = `Oldest age must be ${MAX_AGE} or under`
  if (minAge !== null && maxAge !== null && !errors.minAge && !errors.maxAge && minAge > maxAge) {
    errors.maxAge = 'Oldest age must be the same as or more than the youngest age'
  }

  const locationType = raw.locationType === 'online' || raw.locationType === 'in_person' ? raw.locationType : null
  if (!locationType) errors.locationType = 'Select whether the session is online or in person'
  let joinUrl: string | null = null
  let venue: string | null = null
  if (locationType === 'online') {
    if (!raw.joinUrl) errors.joinUrl = 'Enter the Teams joining link'
    else {
      let url: URL | null = null
      try {
        url = new URL(raw.joinUrl)
      } catch {
        url = null
      }
      if (url && url.protocol !== 'https:') errors.joinUrl = 'The joining link must start with https://'
      else if (!url || !url.hostname.includes('.'))
        errors.joinUrl = 'Enter the joining link in full, starting with https://'
      else if (raw.joinUrl.length > 2000) errors.joinUrl = 'The joining link must be 2,000 characters or fewer'
      else {
        joinUrl = url.toString()
        if (!isTeamsUrl(joinUrl))
          warnings.push('The joining link is not a Microsoft Teams link. Check it is the right one.')
      }
    }
  } else if (locationType === 'in_person') {
    if (!raw.venue) errors.venue = 'Enter where the session takes place'
    else if (raw.venue.length > 300) errors.venue = 'Venue must be 300 characters or fewer'
    else venue = raw.venue
  }

  const opens = readDateAndTime(raw, 'opens', 'when bookings open', '00:00')
  if (opens.error) errors.opens = opens.error
  const closes = readDateAndTime(raw, 'closes', 'when bookings close', '23:59')
  if (closes.error) errors.closes = closes.error
  if (startsAt && closes.instant && closes.instant.getTime() > startsAt.getTime()) {
    errors.closes = 'Bookings must close before the session starts'
  }
  if (opens.instant && startsAt && opens.instant.getTime() >= (closes.instant ?? defaultClose(startsAt)).getTime()) {
    errors.opens = 'Bookings must open before they close'
  }

  const repeat = options.allowRepeat ? raw.repeat || 'none' : 'none'
  let sessions = 1
  if (repeat !== 'none' && repeat !== 'weekly' && repeat !== 'fortnightly' && repeat !== 'monthly') {
    errors.repeat = 'Select how often the session repeats'
  } else if (repeat !== 'none') {
    const n = wholeNumber(raw.sessions)
    if (!raw.sessions) errors.sessions = 'Enter how many sessions there are in the series'
    else if (n === null) errors.sessions = 'Number of sessions must be a whole number, like 6'
    else if (n < 2) errors.sessions = 'A series must have 2 sessions or more'
    else if (n > MAX_SERIES_SESSIONS) errors.sessions = `A series can have up to ${MAX_SERIES_SESSIONS} sessions`
    else sessions = n
  }

  if (Object.keys(errors).length > 0 || !kind || !startsAt || !endsAt || !locationType) {
    return { ok: false, errors, values: entries }
  }
  return {
    ok: true,
    warnings,
    value: {
      kind,
      title: raw.title,
      category: raw.category,
      description: raw.description,
      date: date.date!,
      startTime: startTime!,
      endTime: endTime!,
      capacity: capacity!,
      minAge: minAge!,
      maxAge: maxAge!,
      locationType,
      joinUrl,
      venue,
      bookingOpensAt: opens.instant,
      bookingClosesAt: closes.instant,
      repeat: repeat as ActivityInput['repeat'],
      sessions,
      startsAt,
      endsAt,
    },
  }
}

export function defaultClose(startsAt: Date): Date {
  return new Date(startsAt.getTime() - 60 * 60_000)
}

function readDateAndTime(
  raw: Raw,
  prefix: 'opens' | 'closes',
  name: string,
  defaultTime: string,
): { instant: Date | null; error?: string } {
  const parts = { day: raw[`${prefix}-day`], month: raw[`${prefix}-month`], year: raw[`${prefix}-year`] }
  const typedTime = raw[`${prefix}Time`]
  const date = readDateInput(parts, name, false)
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
