// Report periods: financial-year quarters (first month configurable, April by default) and date
// ranges, as London days and the UTC instants that bound them.
import type { ReportPeriod } from './report-types'
import {
  addDays,
  addMonths,
  calendarDate,
  londonParts,
  parseCalendarDate,
  startOfLondonDay,
  type CalendarDate,
} from '../time/london-time'

export type Quarter = NonNullable<ReportPeriod['quarter']>
export type QuarterNumber = Quarter['number']

/** The UK financial year starts in April; another organisation may count its year differently. */
export const DEFAULT_FIRST_MONTH = 4

function checkFirstMonth(firstMonth: number): void {
  if (!Number.isInteger(firstMonth) || firstMonth < 1 || firstMonth > 12) {
    throw new RangeError(`The first month of the year must be 1 to 12, not ${firstMonth}`)
  }
}

/**
 * "2025-26" for a year starting in 2025: the two calendar years its twelve months touch.
 * A year starting in January touches one calendar year, so it is just "2025".
 */
export function financialYearLabel(startYear: number, firstMonth = DEFAULT_FIRST_MONTH): string {
  checkFirstMonth(firstMonth)
  if (firstMonth === 1) return String(startYear)
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`
}

/** The calendar year a financial year label starts in: "2025-26" → 2025, "2025" → 2025. */
export function financialYearStart(financialYear: string): number {
  const match = /^(\d{4})(?:-(\d{2}))?$/.exec(financialYear.trim())
  if (!match) throw new RangeError(`Not a financial year: ${financialYear}`)
  const start = Number(match[1])
  if (match[2] !== undefined && Number(match[2]) !== (start + 1) % 100)
    throw new RangeError(`Not a financial year: ${financialYear}`)
  return start
}

/** The quarter an instant falls in, by its London date: the one rule for "which quarter". */
export function quarterOf(instant: Date | string, firstMonth = DEFAULT_FIRST_MONTH): Quarter {
  checkFirstMonth(firstMonth)
  const { year, month } = londonParts(instant)
  const monthsIn = (month - firstMonth + 12) % 12
  const startYear = month >= firstMonth ? year : year - 1
  return {
    financialYear: financialYearLabel(startYear, firstMonth),
    number: (Math.floor(monthsIn / 3) + 1) as QuarterNumber,
  }
}

/** A quarter as a report period: "2025-26 Q3", 1 October to 31 December 2025. */
export function quarterPeriod(financialYear: string, number: number, firstMonth = DEFAULT_FIRST_MONTH): ReportPeriod {
  checkFirstMonth(firstMonth)
  if (number !== 1 && number !== 2 && number !== 3 && number !== 4)
    throw new RangeError(`A quarter is 1 to 4, not ${number}`)
  const startYear = financialYearStart(financialYear)
  const yearLabel = financialYearLabel(startYear, firstMonth)
  const fromDate = addMonths(calendarDate(startYear, firstMonth, 1), 3 * (number - 1))
  const next = addMonths(fromDate, 3)
  return {
    label: `${yearLabel} Q${number}`,
    fromDate,
    toDate: addDays(next, -1),
    from: startOfLondonDay(fromDate).toISOString(),
    to: startOfLondonDay(next).toISOString(),
    quarter: { financialYear: yearLabel, number },
  }
}

const dayMonthYear = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})

/** "1 October 2025": names a calendar date (no instant, so no time zone is involved). */
function formatCalendarDate(date: CalendarDate): string {
  const d = parseCalendarDate(date)
  if (!d) throw new RangeError(`Not a calendar date: ${date}`)
  return dayMonthYear.format(new Date(Date.UTC(d.year, d.month - 1, d.day)))
}

/** Any run of London days, both ends included: "1 October 2025 to 31 December 2025". */
export function rangePeriod(fromDate: CalendarDate, toDate: CalendarDate): ReportPeriod {
  if (!parseCalendarDate(fromDate) || !parseCalendarDate(toDate))
    throw new RangeError(`Not calendar dates: ${fromDate}, ${toDate}`)
  if (toDate < fromDate) throw new RangeError(`The period ends (${toDate}) before it starts (${fromDate})`)
  return {
    label: `${formatCalendarDate(fromDate)} to ${formatCalendarDate(toDate)}`,
    fromDate,
    toDate,
    from: startOfLondonDay(fromDate).toISOString(),
    to: startOfLondonDay(addDays(toDate, 1)).toISOString(),
    quarter: null,
  }
}

/** Reads "2025-26 Q3" (or "2025 Q1" for a year starting in January); null when it is not one. */
export function parseQuarterLabel(label: string): Quarter | null {
  const match = /^\s*(\d{4}(?:-\d{2})?)\s+Q([1-4])\s*$/i.exec(label)
  if (!match) return null
  try {
    financialYearStart(match[1]!)
  } catch {
    return null
  }
  return { financialYear: match[1]!, number: Number(match[2]) as QuarterNumber }
}

/** The quarter today is in, as a report period. */
export function currentQuarter(now = new Date(), firstMonth = DEFAULT_FIRST_MONTH): ReportPeriod {
  const q = quarterOf(now, firstMonth)
  return quarterPeriod(q.financialYear, q.number, firstMonth)
}

/** The current quarter and the ones before it, newest first. */
export function recentQuarters(now = new Date(), count = 8, firstMonth = DEFAULT_FIRST_MONTH): ReportPeriod[] {
  const current = currentQuarter(now, firstMonth)
  const periods: ReportPeriod[] = []
  for (let i = 0; i < count; i++) {
    const q = quarterOf(startOfLondonDay(addMonths(current.fromDate, -3 * i)), firstMonth)
    periods.push(quarterPeriod(q.financialYear, q.number, firstMonth))
  }
  return periods
}

/** Items for the period select: value "2025-26 Q3", text "2025-26 Q3 (1 October 2025 to 31 December 2025)". */
export function reportPeriodOptions(
  now = new Date(),
  count = 8,
  firstMonth = DEFAULT_FIRST_MONTH,
): Array<{ value: string; text: string }> {
  return recentQuarters(now, count, firstMonth).map((p) => ({
    value: p.label,
    text: `${p.label} (${formatCalendarDate(p.fromDate)} to ${formatCalendarDate(p.toDate)})`,
  }))
}
