// The one reader of a period from an address: a financial-year quarter ("?quarter=2025-26 Q3"),
// dates typed in two GOV.UK date inputs ("?from-day=1&from-month=10&from-year=2025&to-day=…"), or
// dates as a script writes them ("?from=2025-10-01&to=2025-12-31"). The report page and its
// downloads, the places CSV, the Power BI feed and the members and audit filters all read here, so
// the same address always means the same days, and dates that cannot be read are said to be wrong
// instead of being swapped for the current quarter.
import { z } from 'zod'
import { readDateInput, type DateParts } from './date-input'
import { parseCalendarDate, type CalendarDate } from '../time/london-time'
import { currentQuarter, DEFAULT_FIRST_MONTH, parseQuarterLabel, quarterPeriod, rangePeriod } from './quarters'
import type { ReportPeriod } from './report-types'

export type { DateParts }

export type PeriodField = 'quarter' | 'from' | 'to'
export type PeriodErrors = Partial<Record<PeriodField, string>>

/** What the period fields show: what was asked for, as typed. */
export interface PeriodForm {
  period: 'quarter' | 'range'
  quarter: string
  from: DateParts
  to: DateParts
}

export type PeriodRead =
  { ok: true; period: ReportPeriod; form: PeriodForm } | { ok: false; errors: PeriodErrors; form: PeriodForm }

/** Where each error's summary link goes (a date input's first box). */
export const PERIOD_ANCHORS = { quarter: 'quarter', from: 'from-day', to: 'to-day' } as const

/** The earliest and latest years a period may touch: anything else is a typing mistake. */
export const FIRST_YEAR = 2000
export const LAST_YEAR = 2099

/** Text cut to one character past its limit: bounded, yet a too-long value still fails its check. */
const bounded = (max: number) => z.string().transform((v) => v.trim().slice(0, max + 1))
const part = z.string().trim().max(10).catch('').default('')
const periodSchema = z.object({
  period: z.enum(['quarter', 'range']).optional().catch(undefined),
  quarter: bounded(40).optional(),
  from: bounded(20).optional(),
  to: bounded(20).optional(),
  'from-day': part,
  'from-month': part,
  'from-year': part,
  'to-day': part,
  'to-month': part,
  'to-year': part,
})
type PeriodParams = z.infer<typeof periodSchema>

/** The setting can hold anything an admin typed: a month outside 1–12 falls back to April. */
export function reportFirstMonth(setting: number): number {
  return Number.isInteger(setting) && setting >= 1 && setting <= 12 ? setting : DEFAULT_FIRST_MONTH
}

/** A calendar date as the three boxes of a date input show it: "1", "10", "2025". */
export function datePartsOf(date: CalendarDate): DateParts {
  const d = parseCalendarDate(date)
  if (!d) throw new RangeError(`Not a calendar date: ${date}`)
  return { day: String(d.day), month: String(d.month), year: String(d.year) }
}

const EMPTY: DateParts = { day: '', month: '', year: '' }
const typed = (parts: DateParts) => Boolean(parts.day || parts.month || parts.year)
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

function inYears(date: CalendarDate): boolean {
  const year = parseCalendarDate(date)?.year ?? 0
  return year >= FIRST_YEAR && year <= LAST_YEAR
}

/** What the two ends are called in messages, as the date inputs' legends say it. */
export interface RangeNames {
  from: string
  to: string
}

const REPORT_NAMES: RangeNames = { from: 'the start date', to: 'the end date' }

export interface DateRangeRead {
  from: CalendarDate | null
  to: CalendarDate | null
  /** what the boxes show: what was typed, or the dates given as from= and to= */
  form: { from: DateParts; to: DateParts }
  errors: Partial<Record<'from' | 'to', string>>
}

function readRange(raw: PeriodParams, names: RangeNames, required: boolean): DateRangeRead {
  const boxes = {
    from: { day: raw['from-day'], month: raw['from-month'], year: raw['from-year'] },
    to: { day: raw['to-day'], month: raw['to-month'], year: raw['to-year'] },
  }
  const errors: DateRangeRead['errors'] = {}
  if (raw.from !== undefined || raw.to !== undefined) {
    // Written by hand or by a script: the messages say how to write the address.
    const form = { from: EMPTY, to: EMPTY }
    if (typed(boxes.from) || typed(boxes.to)) {
      errors.from = 'Give the dates either as from and to, or in the date boxes, not both'
      return { from: null, to: null, form: boxes, errors }
    }
    const from = raw.from ? parseCalendarDate(raw.from) : null
    const to = raw.to ? parseCalendarDate(raw.to) : null
    if ((required && (!from || !to)) || (raw.from && !from) || (raw.to && !to)) {
      errors.from = `Give ${required ? 'both from and to' : 'from and to'} as real dates like 2025-10-01`
      return { from: null, to: null, form, errors }
    }
    const fromDate = from ? raw.from! : null
    const toDate = to ? raw.to! : null
    if (fromDate) form.from = datePartsOf(fromDate)
    if (toDate) form.to = datePartsOf(toDate)
    if ((fromDate && !inYears(fromDate)) || (toDate && !inYears(toDate))) {
      errors.from = `Give dates between ${FIRST_YEAR} and ${LAST_YEAR}`
    } else if (fromDate && toDate && toDate < fromDate) {
      errors.to = 'The to date must be the same as or after the from date'
    }
    return { from: fromDate, to: toDate, form, errors }
  }

  const from = readDateInput(boxes.from, names.from, required)
  const to = readDateInput(boxes.to, names.to, required)
  if (from.error) errors.from = from.error
  else if (from.date && !inYears(from.date))
    errors.from = `${capitalise(names.from)} must be between ${FIRST_YEAR} and ${LAST_YEAR}`
  if (to.error) errors.to = to.error
  else if (to.date && !inYears(to.date))
    errors.to = `${capitalise(names.to)} must be between ${FIRST_YEAR} and ${LAST_YEAR}`
  if (!errors.from && !errors.to && from.date && to.date && to.date < from.date) {
    errors.to = `${capitalise(names.to)} must be the same as or after ${names.from}`
  }
  return { from: from.date, to: to.date, form: boxes, errors }
}

/**
 * A run of days with either end left open, for the filters (members, audit log): dates in the
 * two date inputs or as from= and to=. An end not given is null; the caller decides what it means.
 */
export function readDateRange(params: URLSearchParams, names: RangeNames = REPORT_NAMES): DateRangeRead {
  return readRange(periodSchema.parse(Object.fromEntries(params)), names, false)
}

/**
 * The period a report address asks for. With nothing asked for it is the current quarter; a
 * quarter or dates that cannot be read come back as errors to show beside the fields.
 * `wording: 'address'` words a bad quarter for someone writing the address (the Power BI feed);
 * dates given as from= and to= are always worded that way, because there are no boxes to point at.
 */
export function readPeriod(
  params: URLSearchParams,
  {
    now = new Date(),
    firstMonth = DEFAULT_FIRST_MONTH,
    wording = 'form',
  }: { now?: Date; firstMonth?: number; wording?: 'form' | 'address' } = {},
): PeriodRead {
  const month = reportFirstMonth(firstMonth)
  const raw = periodSchema.parse(Object.fromEntries(params))
  const iso = raw.from !== undefined || raw.to !== undefined
  const boxes =
    typed({ day: raw['from-day'], month: raw['from-month'], year: raw['from-year'] }) ||
    typed({ day: raw['to-day'], month: raw['to-month'], year: raw['to-year'] })
  const mode = iso ? 'range' : (raw.period ?? (boxes && !raw.quarter ? 'range' : 'quarter'))
  const form: PeriodForm = {
    period: mode,
    quarter: raw.quarter ?? currentQuarter(now, month).label,
    from: { day: raw['from-day'], month: raw['from-month'], year: raw['from-year'] },
    to: { day: raw['to-day'], month: raw['to-month'], year: raw['to-year'] },
  }

  if (iso && raw.quarter) {
    return { ok: false, errors: { quarter: 'Give either quarter, or from and to, not both' }, form }
  }
  if (mode === 'quarter') {
    const quarter = raw.quarter ? parseQuarterLabel(raw.quarter) : null
    if (raw.quarter && !quarter) {
      const message = wording === 'address' ? 'Give the quarter like 2025-26 Q3' : 'Choose a quarter from the list'
      return { ok: false, errors: { quarter: message }, form }
    }
    const period = quarter ? quarterPeriod(quarter.financialYear, quarter.number, month) : currentQuarter(now, month)
    form.quarter = period.label
    return { ok: true, period, form }
  }

  const range = readRange(raw, REPORT_NAMES, true)
  form.from = range.form.from
  form.to = range.form.to
  if (Object.keys(range.errors).length > 0 || !range.from || !range.to) {
    return { ok: false, errors: range.errors, form }
  }
  return { ok: true, period: rangePeriod(range.from, range.to), form }
}

/** The errors as lines of plain text, for a download that cannot show a form. */
export function periodErrorText(errors: PeriodErrors): string {
  return `${Object.values(errors).join('\n')}\n`
}
