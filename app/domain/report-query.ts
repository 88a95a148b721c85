// Which report a staff URL asks for: the period (read by report-period.ts, the one period reader)
// and the age cut. The page, the CSV, the XLSX and the print view all read their query string
// here, so a download link always gives the figures on the page.
import { z } from 'zod'
import { parseQuarterLabel, quarterPeriod, reportPeriodOptions } from './quarters'
import {
  datePartsOf,
  PERIOD_ANCHORS,
  readPeriod,
  reportFirstMonth,
  type DateParts,
  type PeriodErrors,
  type PeriodForm,
} from './report-period'
import type { AgeCut, ReportPeriod } from './report-types'

export { reportFirstMonth, type DateParts }

/** What the form shows: what was asked for, as typed. */
export interface ReportForm extends PeriodForm {
  cut: AgeCut
}

export type ReportQueryErrors = PeriodErrors

export type ReportQuery =
  | { ok: true; period: ReportPeriod; cut: AgeCut; form: ReportForm; search: string }
  | { ok: false; errors: ReportQueryErrors; form: ReportForm }

/** Where each error's summary link goes (a date input's first box). */
export const REPORT_QUERY_ANCHORS = PERIOD_ANCHORS

const cutSchema = z.enum(['age-band', 'school-year']).default('age-band').catch('age-band')

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
      const parts = datePartsOf(date)
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
  options: { now?: Date; firstMonth?: number } = {},
): ReportQuery {
  const cut = cutSchema.parse(params.get('cut') ?? undefined)
  const read = readPeriod(params, options)
  const form: ReportForm = { ...read.form, cut }
  if (!read.ok) return { ok: false, errors: read.errors, form }
  return { ok: true, period: read.period, cut, form, search: reportSearch(read.period, cut) }
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
