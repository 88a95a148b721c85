// The one place that converts between stored UTC instants and Europe/London wall-clock time.
// Everything else asks this module; no other code slices date strings or adds offsets.

export const SERVICE_TIME_ZONE = 'Europe/London'

/** A calendar date with no time zone, e.g. "2026-03-29". */
export type CalendarDate = string

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: SERVICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

export interface LondonParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/** formatToParts is slow and the same few session times are asked for again and again. */
const partsCache = new Map<number, Readonly<LondonParts>>()
const PARTS_CACHE_LIMIT = 2000

export function londonParts(instant: Date | string): LondonParts {
  const date = typeof instant === 'string' ? new Date(instant) : instant
  const time = date.getTime()
  const known = partsCache.get(time)
  if (known) return { ...known }
  const found = computeLondonParts(date)
  if (!Number.isNaN(time)) {
    if (partsCache.size >= PARTS_CACHE_LIMIT) partsCache.delete(partsCache.keys().next().value!)
    partsCache.set(time, { ...found })
  }
  return found
}

function computeLondonParts(date: Date): LondonParts {
  const parts: Record<string, number> = {}
  for (const part of partsFormatter.formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

export function calendarDate(year: number, month: number, day: number): CalendarDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/** Splits "2026-03-29" into numbers, or null when it is not a real calendar date. */
export function parseCalendarDate(value: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return null
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  if (!isRealDate(year, month, day)) return null
  return { year, month, day }
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false
  if (month < 1 || month > 12 || day < 1) return false
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** The London calendar date an instant falls on. */
export function londonDateOf(instant: Date | string): CalendarDate {
  const p = londonParts(instant)
  return calendarDate(p.year, p.month, p.day)
}

/** "HH:MM" in London for an instant. */
export function londonTimeOf(instant: Date | string): string {
  const p = londonParts(instant)
  return `${pad(p.hour)}:${pad(p.minute)}`
}

/**
 * The UTC instant of a London wall-clock time, or null when that time does not exist
 * (the hour skipped when the clocks go forward). In the repeated hour when the clocks go back
 * the earlier instant (BST) is chosen, as people mean the first 01:30.
 */
export function londonToInstant(date: CalendarDate, time: string): Date | null {
  const d = parseCalendarDate(date)
  const t = /^(\d{2}):(\d{2})$/.exec(time)
  if (!d || !t) return null
  const hour = Number(t[1])
  const minute = Number(t[2])
  if (hour > 23 || minute > 59) return null
  const asIfUtc = Date.UTC(d.year, d.month - 1, d.day, hour, minute)
  // London is UTC+0 or UTC+1: try the larger offset first so the repeated hour resolves to BST.
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(asIfUtc - offsetHours * 3_600_000)
    const p = londonParts(candidate)
    if (p.year === d.year && p.month === d.month && p.day === d.day && p.hour === hour && p.minute === minute) {
      return candidate
    }
  }
  return null
}

/** The instant London's day starts (00:00 local). */
export function startOfLondonDay(date: CalendarDate): Date {
  const instant = londonToInstant(date, '00:00')
  if (!instant) throw new Error(`Not a calendar date: ${date}`)
  return instant
}

/** Adds whole days to a calendar date (no time zone involved). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = parseCalendarDate(date)
  if (!d) throw new Error(`Not a calendar date: ${date}`)
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day + days))
  return calendarDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate())
}

/**
 * Adds calendar months, keeping the day of the month; when the month is shorter the last day
 * is used (31 January + 1 month = 28 or 29 February).
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const d = parseCalendarDate(date)
  if (!d) throw new Error(`Not a calendar date: ${date}`)
  const monthIndex = d.month - 1 + months
  const year = d.year + Math.floor(monthIndex / 12)
  const month = (((monthIndex % 12) + 12) % 12) + 1
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return calendarDate(year, month, Math.min(d.day, lastDay))
}

const longDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: SERVICE_TIME_ZONE,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
})

const shortDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: SERVICE_TIME_ZONE,
  weekday: 'short',
  day: 'numeric',
  month: 'short',
})

/** "Sunday 29 March 2026" */
export function formatLondonDate(instant: Date | string): string {
  return longDate.format(typeof instant === 'string' ? new Date(instant) : instant).replace(',', '')
}

/** "Sun 29 Mar" */
export function formatLondonShortDate(instant: Date | string): string {
  return shortDate.format(typeof instant === 'string' ? new Date(instant) : instant).replace(',', '')
}

/** GOV.UK style times: "10am", "4:30pm", "midday", "midnight". */
export function formatLondonTime(instant: Date | string): string {
  const { hour, minute } = londonParts(instant)
  if (minute === 0 && hour === 12) return 'midday'
  if (minute === 0 && hour === 0) return 'midnight'
  const suffix = hour < 12 ? 'am' : 'pm'
  const h = hour % 12 === 0 ? 12 : hour % 12
  return minute === 0 ? `${h}${suffix}` : `${h}:${pad(minute)}${suffix}`
}

/** "10am to 11:30am" */
export function formatLondonTimeRange(start: Date | string, end: Date | string): string {
  return `${formatLondonTime(start)} to ${formatLondonTime(end)}`
}

/** "March 2026" for a "2026-03" month key. */
export function formatMonthKey(monthKey: string): string {
  const [year, month] = monthKey.split('-').map(Number)
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year!, month! - 1, 1)),
  )
}

/** "2026-03": the London month an instant falls in. */
export function londonMonthKey(instant: Date | string): string {
  const p = londonParts(instant)
  return `${pad(p.year, 4)}-${pad(p.month)}`
}

/**
 * Reads what people type as a time: "10:00", "9.30", "4pm", "4:30pm", "16:30".
 * Returns "HH:MM" (24-hour) or null.
 */
export function parseTypedTime(value: string): string | null {
  const text = value.trim().toLowerCase().replace(/\s+/g, '')
  if (text === 'midday' || text === 'noon') return '12:00'
  if (text === 'midnight') return '00:00'
  const match = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(text)
  if (!match) return null
  let hour = Number(match[1])
  const minute = match[2] ? Number(match[2]) : 0
  const meridiem = match[3]
  if (!match[2] && !meridiem) return null
  if (minute > 59) return null
  if (meridiem) {
    if (hour < 1 || hour > 12) return null
    if (meridiem === 'am' && hour === 12) hour = 0
    if (meridiem === 'pm' && hour !== 12) hour += 12
  } else if (hour > 23) {
    return null
  }
  return `${pad(hour)}:${pad(minute)}`
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** A calendar date (a date of birth, say) in words: "3 April 2018". No time zone is involved. */
export function formatCalendarDate(date: CalendarDate): string {
  const parts = parseCalendarDate(date)
  return parts ? `${parts.day} ${MONTH_NAMES[parts.month - 1]} ${parts.year}` : date
}
