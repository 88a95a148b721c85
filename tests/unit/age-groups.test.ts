import { describe, expect, it } from 'vitest'
import { ageBandOf, SCHOOL_YEAR_GROUPS, schoolYearLabel, schoolYearOf } from '../../app/domain/age-groups'
import { DEFAULT_AGE_BANDS } from '../../db/reference/age-bands'

describe('age bands', () => {
  it('puts an age in the configured band that covers it, with an open-ended top band', () => {
    expect(ageBandOf(0, DEFAULT_AGE_BANDS)?.label).toBe('0 to 4')
    expect(ageBandOf(4, DEFAULT_AGE_BANDS)?.label).toBe('0 to 4')
    expect(ageBandOf(5, DEFAULT_AGE_BANDS)?.label).toBe('5 to 7')
    expect(ageBandOf(11, DEFAULT_AGE_BANDS)?.label).toBe('8 to 11')
    expect(ageBandOf(12, DEFAULT_AGE_BANDS)?.label).toBe('12 to 15')
    expect(ageBandOf(18, DEFAULT_AGE_BANDS)?.label).toBe('16 to 18')
    expect(ageBandOf(19, DEFAULT_AGE_BANDS)?.label).toBe('19 and over')
    expect(ageBandOf(40, DEFAULT_AGE_BANDS)?.label).toBe('19 and over')
  })

  it('gives no band where the configured bands leave a gap', () => {
    const bands = [
      { label: '5 to 11', min_age: 5, max_age: 11 },
      { label: '14 to 18', min_age: 14, max_age: 18 },
    ]
    expect(ageBandOf(4, bands)).toBeNull()
    expect(ageBandOf(12, bands)).toBeNull()
    expect(ageBandOf(19, bands)).toBeNull()
  })
})

describe('school year groups in England', () => {
  it('starts the school year on 1 September: a child born 1 September is the oldest in the year, 31 August the youngest', () => {
    // both start Reception in September 2025
    expect(schoolYearOf('2020-09-01', '2025-09-01')).toBe(0)
    expect(schoolYearOf('2021-08-31', '2025-09-01')).toBe(0)
    expect(schoolYearOf('2021-09-01', '2025-09-01')).toBe(-1)
    expect(schoolYearOf('2020-08-31', '2025-09-01')).toBe(1)
  })

  it('moves everyone up a year on 1 September, not on their birthday', () => {
    expect(schoolYearOf('2014-06-15', '2026-06-14')).toBe(7)
    expect(schoolYearOf('2014-06-15', '2026-06-16')).toBe(7)
    expect(schoolYearOf('2014-06-15', '2026-08-31')).toBe(7)
    expect(schoolYearOf('2014-06-15', '2026-09-01')).toBe(8)
  })

  it('covers Year 13 and beyond, and children not yet at school', () => {
    expect(schoolYearOf('2007-10-01', '2025-11-01')).toBe(13)
    expect(schoolYearOf('2006-10-01', '2025-11-01')).toBe(14)
    // starts Reception in September 2027
    expect(schoolYearOf('2023-01-01', '2025-11-01')).toBe(-2)
  })

  it('labels each group', () => {
    expect(schoolYearLabel(-3)).toBe('Pre-school')
    expect(schoolYearLabel(-1)).toBe('Pre-school')
    expect(schoolYearLabel(0)).toBe('Reception')
    expect(schoolYearLabel(1)).toBe('Year 1')
    expect(schoolYearLabel(7)).toBe('Year 7')
    expect(schoolYearLabel(13)).toBe('Year 13')
    expect(schoolYearLabel(14)).toBe('Left school')
    expect(SCHOOL_YEAR_GROUPS.map((g) => g.label)).toEqual([
      'Pre-school',
      'Reception',
      ...Array.from({ length: 13 }, (_, i) => `Year ${i + 1}`),
      'Left school',
    ])
  })
})
