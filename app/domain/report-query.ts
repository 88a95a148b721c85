// Which report a staff URL asks for: a quarter ("?quarter=2025-26 Q3") or a date range typed in
// two GOV.UK date inputs, and the age cut. The page, the CSV, the XLSX and the print view all
// read their query string here, so a download link always gives the figures on the page.
import { z } from 'zod'
import { readDateInput } from './activity-form'
import { parseCalendarDate } from '../time/london-time'
import {
  currentQuarter,
  DEFAULT_FIRST_MONTH,
  parseQuarterLabel,
  quarterPeriod,
  rangePeriod,
  reportPeriodOptions,
} from './quarters'
import type { AgeCut, ReportPeriod } from './report-types'

export type DateParts = { day: string; month: string; year: string }

/** What the form shows: what was asked for, as typed. */
export interface ReportForm {
  period: 'quarter' | 'range'
  quarter: string
  from: DateParts
  to: DateParts
  cut: AgeCut
}

export type ReportQueryErrors = Partial<Record<'quarter' | 'from' | 'to', string>>

export type ReportQuery =
  | { ok: true; period: ReportPeriod; cut: AgeCut; form: ReportForm; search: string }
  | { ok: false; errors: ReportQueryErrors; form: ReportForm }

/** Where each error's summary link goes (a date input's first box). */
export const REPORT_QUERY_ANCHORS = { quarter: 'quarter', from: 'from-day', to: 'to-day' } as const

const part = z.string().trim().max(10).catch('').default('')

const querySchema = z.object({
  period: z.enum(['quarter', 'range']).optional().catch(undefined),
  quarter: z.string().trim().max(40).optional().catch(undefined),
  'from-day': part,
  'from-month': part,
  'from-year': part,
  'to-day': part,
  'to-month': part,
  'to-year': part,
  cut: z.enum(['age-band', 'school-year']).default('age-band').catch('age-band'),
})

/** The setting can hold anything an admin typed: a month outside 1–12 falls back to April. */
export function reportFirstMonth(setting: number): number {
  return Number.isInteger(setting) && setting >= 1 && setting <= 12 ? setting : DEFAULT_FIRST_MONTH
}

/** Reports before 2000 or after 2099 are a typing mistake, and Date.UTC would misread years below 100. */
function yearError(date: string, name: string): string | undefined {
  const year = parseCalendarDate(date)?.year ?? 0
  return year < 2000 || year > 2099 ? `${name} must be between 2000 and 2099` : undefined
}

function partsOf(date: string): DateParts {
  const d = parseCalendarDate(date)!
  return { day: String(d.day), month: String(d.month), year: String(d.year) }
}

/** The query string that asks for this report again: the links to the CSV, XLSX and print view. */
export function reportSearch(period: ReportPeriod, cut: AgeCut): string {
  const params = new URLSearchParams()
  if (period.quarter) {
    params.set('quarter', period.label)
  } else {
    params.set('period', 'range')
    for (const [prefix, date] of [
      ['from', period.fromDate],
      ['to', period.toDate],
    ] as const) {
      const parts = partsOf(date)
      params.set(`${prefix}-day`, parts.day)
      params.set(`${prefix}-month`, parts.month)
      params.set(`${prefix}-year`, parts.year)
    }
  }
  params.set('cut', cut)
  return `?${params.toString()}`
}

/**
 * Reads the report's query string. With nothing asked for it is the current quarter cut by age
 * band; a quarter or dates that cannot be read come back as errors to show beside the fields.
 */
export function readReportQuery(
  params: URLSearchParams,
  { now = new Date(), firstMonth = DEFAULT_FIRST_MONTH }: { now?: Date; firstMonth?: number } = {},
): ReportQuery {
  const month = reportFirstMonth(firstMonth)
  const raw = querySchema.parse(Object.fromEntries(params))
  const from = { day: raw['from-day'], month: raw['from-month'], year: raw['from-year'] }
  const to = { day: raw['to-day'], month: raw['to-month'], year: raw['to-year'] }
  const typedDates = [from, to].some((p) => p.day || p.month || p.year)
  const mode = raw.period ?? (typedDates && !raw.quarter ? 'range' : 'quarter')
  const form: ReportForm = {
    period: mode,
    quarter: raw.quarter ?? currentQuarter(now, month).label,
    from,
    to,
    cut: raw.cut,
  }
  const errors: ReportQueryErrors = {}

  let period: ReportPeriod | null = null
  if (mode === 'quarter') {
    const quarter = raw.quarter ? parseQuarterLabel(raw.quarter) : null
    if (raw.quarter && !quarter) errors.quarter = 'Choose a quarter from the list'
    period = quarter ? quarterPeriod(quarter.financialYear, quarter.number, month) : currentQuarter(now, month)
    form.quarter = period.label
  } else {
    const start = readDateInput(from, 'the start date', true)
    const end = readDateInput(to, 'the end date', true)
    if (start.error) errors.from = start.error
    else if (start.date) errors.from = yearError(start.date, 'The start date')
    if (end.error) errors.to = end.error
    else if (end.date) errors.to = yearError(end.date, 'The end date')
    if (!errors.from && !errors.to && start.date && end.date) {
      if (end.date < start.date) errors.to = 'The end date must be the same as or after the start date'
      else period = rangePeriod(start.date, end.date)
    }
  }
  for (const key of Object.keys(errors) as Array<keyof ReportQueryErrors>) if (!errors[key]) delete errors[key]
  if (Object.keys(errors).length > 0 || !period) return { ok: false, errors, form }
  return { ok: true, period, cut: raw.cut, form, search: reportSearch(period, raw.cut) }
}

/** The quarters to choose from, newest first, with the one asked for added when it is older. */
export function quarterChoices(now: Date, firstMonth: number, chosen: string): Array<{ value: string; text: string }> {
  const month = reportFirstMonth(firstMonth)
  const options = reportPeriodOptions(now, 8, month)
  if (options.some((o) => o.value === chosen)) return options
  const quarter = parseQuarterLabel(chosen)
  if (!quarter) return options
  const period = quarterPeriod(quarter.financialYear, quarter.number, month)
  const older = reportPeriodOptions(new Date(period.from), 1, month)
  return [...options, ...older]
}
