import { describe, expect, it } from 'vitest'
import { readDateRange, readPeriod } from '../../app/domain/report-period'

// 10 February 2026, midday in London: 2025-26 Q4 with the UK financial year.
const now = new Date('2026-02-10T12:00:00Z')
const read = (query: string, options: { firstMonth?: number; wording?: 'form' | 'address' } = {}) =>
  readPeriod(new URLSearchParams(query), { now, ...options })
const days = (query: string, firstMonth?: number) => {
  const result = read(query, { firstMonth })
  return result.ok ? [result.period.label, result.period.fromDate, result.period.toDate] : result.errors
}

describe('the period a report address asks for', () => {
  it('counts quarters from April, so Q4 is January to March of the second year', () => {
    expect(days('quarter=2025-26+Q1')).toEqual(['2025-26 Q1', '2025-04-01', '2025-06-30'])
    expect(days('quarter=2025-26+Q3')).toEqual(['2025-26 Q3', '2025-10-01', '2025-12-31'])
    expect(days('quarter=2025-26+Q4')).toEqual(['2025-26 Q4', '2026-01-01', '2026-03-31'])
  })

  it('is the quarter today is in when nothing is asked for, across the turn of the calendar year', () => {
    expect(days('')).toEqual(['2025-26 Q4', '2026-01-01', '2026-03-31'])
  })

  it('starts the quarters in the month the settings say', () => {
    // A year starting in September: Q2 runs over New Year.
    expect(days('quarter=2025-26+Q2', 9)).toEqual(['2025-26 Q2', '2025-12-01', '2026-02-28'])
    expect(days('', 9)).toEqual(['2025-26 Q2', '2025-12-01', '2026-02-28'])
    // A year starting in January is named by its one calendar year.
    expect(days('quarter=2026+Q1', 1)).toEqual(['2026 Q1', '2026-01-01', '2026-03-31'])
    // A month outside 1 to 12 in the settings falls back to April.
    expect(days('quarter=2025-26+Q4', 13)).toEqual(['2025-26 Q4', '2026-01-01', '2026-03-31'])
  })

  it('says a quarter it cannot read is wrong, in words for the form or for an address', () => {
    expect(days('quarter=2025-26+Q5')).toEqual({ quarter: 'Choose a quarter from the list' })
    expect(days('quarter=2025-27+Q1')).toEqual({ quarter: 'Choose a quarter from the list' })
    expect(days(`quarter=${'2025-26 Q1'.repeat(10)}`)).toEqual({ quarter: 'Choose a quarter from the list' })
    const address = read('quarter=Q3+2025', { wording: 'address' })
    expect(!address.ok && address.errors).toEqual({ quarter: 'Give the quarter like 2025-26 Q3' })
  })

  it('reads dates typed in the date inputs, both days included', () => {
    expect(days('period=range&from-day=1&from-month=10&from-year=2025&to-day=15&to-month=11&to-year=2025')).toEqual([
      '1 October 2025 to 15 November 2025',
      '2025-10-01',
      '2025-11-15',
    ])
  })

  it('reads dates written as from= and to=, and shows them in the date inputs', () => {
    const result = read('from=2025-10-01&to=2025-11-15')
    expect(result.ok && [result.period.label, result.period.from, result.period.to]).toEqual([
      '1 October 2025 to 15 November 2025',
      '2025-09-30T23:00:00.000Z',
      '2025-11-16T00:00:00.000Z',
    ])
    expect(result.form).toMatchObject({
      period: 'range',
      from: { day: '1', month: '10', year: '2025' },
      to: { day: '15', month: '11', year: '2025' },
    })
  })

  it('says dates that run backwards are wrong, whichever way they were given', () => {
    expect(days('period=range&from-day=15&from-month=11&from-year=2025&to-day=1&to-month=10&to-year=2025')).toEqual({
      to: 'The end date must be the same as or after the start date',
    })
    expect(days('from=2025-11-15&to=2025-10-01')).toEqual({
      to: 'The to date must be the same as or after the from date',
    })
  })

  it('never swaps dates it cannot read for the current quarter', () => {
    expect(days('from=2025-10-01&to=next-tuesday')).toEqual({
      from: 'Give both from and to as real dates like 2025-10-01',
    })
    expect(days('from=2025-10-01')).toEqual({ from: 'Give both from and to as real dates like 2025-10-01' })
    expect(days('from=2025-02-30&to=2025-03-01')).toEqual({
      from: 'Give both from and to as real dates like 2025-10-01',
    })
    expect(days('from=1999-12-31&to=2025-03-01')).toEqual({ from: 'Give dates between 2000 and 2099' })
    expect(days('quarter=2025-26+Q3&from=2025-10-01&to=2025-11-15')).toEqual({
      quarter: 'Give either quarter, or from and to, not both',
    })
    expect(days('from=2025-10-01&to=2025-11-15&to-day=1')).toEqual({
      from: 'Give the dates either as from and to, or in the date boxes, not both',
    })
    expect(days('period=range&from-day=1&from-year=2025')).toEqual({
      from: 'The start date must include a month',
      to: 'Enter the end date',
    })
  })
})

describe('a date range filter', () => {
  const range = (query: string) => readDateRange(new URLSearchParams(query), { from: 'date from', to: 'date to' })

  it('leaves an end that is not given open', () => {
    expect(range('')).toEqual({
      from: null,
      to: null,
      errors: {},
      form: { from: { day: '', month: '', year: '' }, to: { day: '', month: '', year: '' } },
    })
    expect(range('from-day=1&from-month=10&from-year=2025')).toMatchObject({ from: '2025-10-01', to: null, errors: {} })
    expect(range('to=2025-10-31')).toMatchObject({ from: null, to: '2025-10-31', errors: {} })
  })

  it('names the boxes as their legends do', () => {
    expect(range('from-day=31&from-month=2&from-year=2026').errors).toEqual({ from: 'Date from must be a real date' })
    expect(range('from-day=2&from-month=2&from-year=2026&to-day=1&to-month=2&to-year=2026').errors).toEqual({
      to: 'Date to must be the same as or after date from',
    })
    expect(range('from-day=1&from-month=1&from-year=2100').errors).toEqual({
      from: 'Date from must be between 2000 and 2099',
    })
  })
})
