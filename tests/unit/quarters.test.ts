import { describe, expect, it } from 'vitest'
import { londonToInstant } from '../../app/time/london-time'
import {
  currentQuarter,
  financialYearLabel,
  parseQuarterLabel,
  quarterOf,
  quarterPeriod,
  rangePeriod,
  recentQuarters,
  reportPeriodOptions,
} from '../../app/domain/quarters'

const london = (date: string, time: string) => londonToInstant(date, time)!

describe('the quarter of an instant', () => {
  it('names UK financial-year quarters: Q1 April to June … Q4 January to March', () => {
    expect(quarterOf(london('2025-04-01', '09:00'))).toEqual({ financialYear: '2025-26', number: 1 })
    expect(quarterOf(london('2025-09-30', '12:00'))).toEqual({ financialYear: '2025-26', number: 2 })
    expect(quarterOf(london('2025-10-01', '12:00'))).toEqual({ financialYear: '2025-26', number: 3 })
    expect(quarterOf(london('2025-12-31', '12:00'))).toEqual({ financialYear: '2025-26', number: 3 })
    expect(quarterOf(london('2026-01-01', '12:00'))).toEqual({ financialYear: '2025-26', number: 4 })
    expect(quarterOf(london('2099-12-01', '12:00'))).toEqual({ financialYear: '2099-00', number: 3 })
  })

  it('puts 31 March 23:30 London in Q4 and 1 April 00:30 BST in Q1 of the next year, by the London date', () => {
    const lastMinutes = london('2026-03-31', '23:30')
    const firstMinutes = london('2026-04-01', '00:30')
    expect(lastMinutes.toISOString()).toBe('2026-03-31T22:30:00.000Z')
    expect(firstMinutes.toISOString()).toBe('2026-03-31T23:30:00.000Z') // still 31 March in UTC
    expect(quarterOf(lastMinutes)).toEqual({ financialYear: '2025-26', number: 4 })
    expect(quarterOf(firstMinutes)).toEqual({ financialYear: '2026-27', number: 1 })
    expect(quarterOf(firstMinutes.toISOString())).toEqual({ financialYear: '2026-27', number: 1 })
  })

  it('follows a configured first month: September starts "2025-26" on 1 September 2025', () => {
    expect(quarterOf(london('2025-09-01', '00:00'), 9)).toEqual({ financialYear: '2025-26', number: 1 })
    expect(quarterOf(london('2025-08-31', '23:59'), 9)).toEqual({ financialYear: '2024-25', number: 4 })
    expect(quarterOf(london('2025-12-15', '12:00'), 9)).toEqual({ financialYear: '2025-26', number: 2 })
    expect(quarterOf(london('2026-08-31', '12:00'), 9)).toEqual({ financialYear: '2025-26', number: 4 })
  })

  it('labels a January year with its one calendar year', () => {
    expect(quarterOf(london('2026-01-01', '00:00'), 1)).toEqual({ financialYear: '2026', number: 1 })
    expect(quarterOf(london('2026-12-31', '23:59'), 1)).toEqual({ financialYear: '2026', number: 4 })
    expect(financialYearLabel(2026, 12)).toBe('2026-27')
    expect(() => quarterOf(new Date(), 13)).toThrow()
    expect(() => quarterOf(new Date(), 0)).toThrow()
  })
})

describe('report periods', () => {
  it('makes 2025-26 Q3 the London days 1 October to 31 December 2025, from midnight BST to midnight GMT', () => {
    expect(quarterPeriod('2025-26', 3)).toEqual({
      label: '2025-26 Q3',
      fromDate: '2025-10-01',
      toDate: '2025-12-31',
      from: '2025-09-30T23:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
      quarter: { financialYear: '2025-26', number: 3 },
    })
  })

  it('ends Q4 at midnight BST on 1 April', () => {
    const q4 = quarterPeriod('2025-26', 4)
    expect([q4.fromDate, q4.toDate, q4.from, q4.to]).toEqual([
      '2026-01-01',
      '2026-03-31',
      '2026-01-01T00:00:00.000Z',
      '2026-03-31T23:00:00.000Z',
    ])
    const leap = quarterPeriod('2027-28', 4)
    expect(leap.toDate).toBe('2028-03-31')
    expect(quarterPeriod('2027-28', 3, 9).fromDate).toBe('2028-03-01')
    expect(quarterPeriod('2027-28', 3, 9).toDate).toBe('2028-05-31')
  })

  it('builds quarters for a September year', () => {
    const q1 = quarterPeriod('2025-26', 1, 9)
    expect([q1.label, q1.fromDate, q1.toDate, q1.from]).toEqual([
      '2025-26 Q1',
      '2025-09-01',
      '2025-11-30',
      '2025-08-31T23:00:00.000Z',
    ])
    const q4 = quarterPeriod('2025-26', 4, 9)
    expect([q4.fromDate, q4.toDate]).toEqual(['2026-06-01', '2026-08-31'])
  })

  it('refuses quarters that do not exist', () => {
    expect(() => quarterPeriod('2025-27', 1)).toThrow()
    expect(() => quarterPeriod('2025-26', 5)).toThrow()
  })

  it('makes any date range a period, labelled in words', () => {
    expect(rangePeriod('2025-10-01', '2025-12-31')).toEqual({
      label: '1 October 2025 to 31 December 2025',
      fromDate: '2025-10-01',
      toDate: '2025-12-31',
      from: '2025-09-30T23:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
      quarter: null,
    })
    expect(rangePeriod('2026-03-29', '2026-03-29').to).toBe('2026-03-29T23:00:00.000Z')
    expect(() => rangePeriod('2025-12-31', '2025-10-01')).toThrow()
    expect(() => rangePeriod('2025-02-30', '2025-10-01')).toThrow()
  })

  it('reads quarter labels back', () => {
    expect(parseQuarterLabel('2025-26 Q3')).toEqual({ financialYear: '2025-26', number: 3 })
    expect(parseQuarterLabel(' 2025-26 q1 ')).toEqual({ financialYear: '2025-26', number: 1 })
    expect(parseQuarterLabel('2026 Q2')).toEqual({ financialYear: '2026', number: 2 })
    expect(parseQuarterLabel('2025-27 Q3')).toBeNull()
    expect(parseQuarterLabel('2025-26 Q5')).toBeNull()
    expect(parseQuarterLabel('Q3')).toBeNull()
  })

  it('lists the current quarter and the ones before it for the select, newest first', () => {
    const now = london('2026-01-15', '12:00')
    expect(currentQuarter(now).label).toBe('2025-26 Q4')
    expect(recentQuarters(now, 5).map((p) => p.label)).toEqual([
      '2025-26 Q4',
      '2025-26 Q3',
      '2025-26 Q2',
      '2025-26 Q1',
      '2024-25 Q4',
    ])
    expect(recentQuarters(now, 3, 9).map((p) => p.label)).toEqual(['2025-26 Q2', '2025-26 Q1', '2024-25 Q4'])
    expect(reportPeriodOptions(now, 2)).toEqual([
      { value: '2025-26 Q4', text: '2025-26 Q4 (1 January 2026 to 31 March 2026)' },
      { value: '2025-26 Q3', text: '2025-26 Q3 (1 October 2025 to 31 December 2025)' },
    ])
  })
})
