// When a new family's hold runs out: the hold's hours after booking, never after booking closes.
// Hours are elapsed hours, so across the night the clocks change the wall-clock time moves by one.
import { describe, expect, it } from 'vitest'
import { holdExpiry } from '../../app/domain/holds.server'

/** "HH:MM" in London, read with Intl (not the code under test). */
function londonClock(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso))
}

describe('holdExpiry', () => {
  it('is the hold hours after now when booking closes later', () => {
    expect(holdExpiry(new Date('2026-06-10T09:00:00.000Z'), '2026-06-20T17:00:00.000Z', 24)).toBe(
      '2026-06-11T09:00:00.000Z',
    )
    expect(holdExpiry(new Date('2026-06-10T09:00:00.000Z'), '2026-06-20T17:00:00.000Z', 1)).toBe(
      '2026-06-10T10:00:00.000Z',
    )
    expect(holdExpiry(new Date('2026-06-10T09:00:00.000Z'), '2026-06-20T17:00:00.000Z', 168)).toBe(
      '2026-06-17T09:00:00.000Z',
    )
  })

  it('is the booking close when that comes first, or at the same moment', () => {
    expect(holdExpiry(new Date('2026-06-10T09:00:00.000Z'), '2026-06-10T17:00:00.000Z', 24)).toBe(
      '2026-06-10T17:00:00.000Z',
    )
    expect(holdExpiry(new Date('2026-06-10T09:00:00.000Z'), '2026-06-11T09:00:00.000Z', 24)).toBe(
      '2026-06-11T09:00:00.000Z',
    )
    // booking closing at midnight London time in summer (23:00 UTC)
    expect(holdExpiry(new Date('2026-06-10T10:00:00.000Z'), new Date('2026-06-10T23:00:00.000Z'), 24)).toBe(
      '2026-06-10T23:00:00.000Z',
    )
  })

  it('counts elapsed hours across the night the clocks go forward: noon GMT plus 24 hours is 1pm BST', () => {
    // Saturday 27 March 2027, 12:00 GMT; the clocks go forward at 01:00 GMT on Sunday 28 March.
    const expiry = holdExpiry(new Date('2027-03-27T12:00:00.000Z'), '2027-04-10T17:00:00.000Z', 24)
    expect(expiry).toBe('2027-03-28T12:00:00.000Z')
    expect(londonClock(expiry)).toBe('13:00')
  })

  it('counts elapsed hours across the night the clocks go back: noon BST plus 24 hours is 11am GMT', () => {
    // Saturday 24 October 2026, 12:00 BST (11:00 UTC); the clocks go back at 01:00 UTC on Sunday 25 October.
    const expiry = holdExpiry(new Date('2026-10-24T11:00:00.000Z'), '2026-11-10T17:00:00.000Z', 24)
    expect(expiry).toBe('2026-10-25T11:00:00.000Z')
    expect(londonClock(expiry)).toBe('11:00')
  })

  it('stops at a booking close in the hour the clocks skip or repeat', () => {
    // 01:30 BST on 25 October 2026 happens twice; the first is 00:30 UTC
    expect(holdExpiry(new Date('2026-10-24T11:00:00.000Z'), '2026-10-25T00:30:00.000Z', 24)).toBe(
      '2026-10-25T00:30:00.000Z',
    )
    // booking closes at 02:00 BST on 28 March 2027 (01:00 UTC), the moment the clocks go forward
    expect(holdExpiry(new Date('2027-03-27T12:00:00.000Z'), '2027-03-28T01:00:00.000Z', 24)).toBe(
      '2027-03-28T01:00:00.000Z',
    )
  })

  it('refuses hours that are not a positive number, and a close that is not an instant', () => {
    const now = new Date('2026-06-10T09:00:00.000Z')
    expect(() => holdExpiry(now, '2026-06-20T17:00:00.000Z', 0)).toThrow(RangeError)
    expect(() => holdExpiry(now, '2026-06-20T17:00:00.000Z', -1)).toThrow(RangeError)
    expect(() => holdExpiry(now, '2026-06-20T17:00:00.000Z', Number.NaN)).toThrow(RangeError)
    expect(() => holdExpiry(now, 'next Tuesday', 24)).toThrow(RangeError)
  })
})
