import { describe, expect, it } from 'vitest'
import { ageOnDay } from '../../app/domain/age'

describe('age on the day', () => {
  it('counts whole years, turning a year older on the birthday', () => {
    expect(ageOnDay('2014-06-15', '2026-06-14')).toBe(11)
    expect(ageOnDay('2014-06-15', '2026-06-15')).toBe(12)
    expect(ageOnDay('2014-06-15', '2026-12-31')).toBe(12)
  })

  it('gives someone born on 29 February their birthday on 1 March in other years', () => {
    expect(ageOnDay('2012-02-29', '2026-02-28')).toBe(13)
    expect(ageOnDay('2012-02-29', '2026-03-01')).toBe(14)
    expect(ageOnDay('2012-02-29', '2028-02-29')).toBe(16)
  })
})
