import { describe, expect, it } from 'vitest'
import {
  addMonths,
  formatLondonTime,
  londonDateOf,
  londonTimeOf,
  londonToInstant,
  parseTypedTime,
} from '../../app/time/london-time'

describe('London time', () => {
  it('stores 10:00 on the Sunday the clocks go forward as 09:00 UTC and shows it as 10:00', () => {
    // 29 March 2026: clocks go forward at 01:00 UTC
    const instant = londonToInstant('2026-03-29', '10:00')!
    expect(instant.toISOString()).toBe('2026-03-29T09:00:00.000Z')
    expect(londonTimeOf(instant)).toBe('10:00')
    expect(formatLondonTime(instant)).toBe('10am')
  })

  it('stores 10:00 on the Sunday the clocks go back as 10:00 UTC', () => {
    // 25 October 2026: clocks go back at 01:00 UTC
    const instant = londonToInstant('2026-10-25', '10:00')!
    expect(instant.toISOString()).toBe('2026-10-25T10:00:00.000Z')
    expect(londonTimeOf(instant)).toBe('10:00')
  })

  it('refuses a time in the hour skipped when the clocks go forward', () => {
    expect(londonToInstant('2026-03-29', '01:30')).toBeNull()
  })

  it('takes the first (BST) 01:30 in the hour repeated when the clocks go back', () => {
    expect(londonToInstant('2026-10-25', '01:30')!.toISOString()).toBe('2026-10-25T00:30:00.000Z')
  })

  it('puts 23:30 UTC on 31 March in BST on 1 April London time', () => {
    expect(londonDateOf('2026-03-31T23:30:00.000Z')).toBe('2026-04-01')
    expect(londonDateOf('2026-01-31T23:30:00.000Z')).toBe('2026-01-31')
  })

  it('refuses dates that do not exist', () => {
    expect(londonToInstant('2026-02-30', '10:00')).toBeNull()
    expect(londonToInstant('2026-13-01', '10:00')).toBeNull()
  })

  it('adds months keeping the day, or the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29')
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15')
  })

  it('reads times as people type them', () => {
    expect(parseTypedTime('10:00')).toBe('10:00')
    expect(parseTypedTime('9.30')).toBe('09:30')
    expect(parseTypedTime('4pm')).toBe('16:00')
    expect(parseTypedTime('4:30 PM')).toBe('16:30')
    expect(parseTypedTime('12am')).toBe('00:00')
    expect(parseTypedTime('12pm')).toBe('12:00')
    expect(parseTypedTime('midday')).toBe('12:00')
    expect(parseTypedTime('25:00')).toBeNull()
    expect(parseTypedTime('13pm')).toBeNull()
    expect(parseTypedTime('10')).toBeNull()
    expect(parseTypedTime('ten')).toBeNull()
  })

  it('formats times the GOV.UK way', () => {
    expect(formatLondonTime('2026-06-01T11:00:00.000Z')).toBe('midday')
    expect(formatLondonTime('2026-06-01T15:30:00.000Z')).toBe('4:30pm')
    expect(formatLondonTime('2026-12-01T09:05:00.000Z')).toBe('9:05am')
  })
})
