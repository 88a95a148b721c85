import { describe, it, expect } from 'vitest'
import { AUTHORITIES, DEFAULT_PARTNER_CODES } from '../../db/reference/authorities'

const english = AUTHORITIES.filter((a) => a.nation === 'england')
const byCode = new Map(AUTHORITIES.map((a) => [a.code, a]))

describe('reference authorities', () => {
  it('has unique codes', () => {
    expect(new Set(AUTHORITIES.map((a) => a.code)).size).toBe(AUTHORITIES.length)
  })

  it('has unique names', () => {
    expect(new Set(AUTHORITIES.map((a) => a.name)).size).toBe(AUTHORITIES.length)
  })

  it('uses upper-tier GSS codes for every English authority', () => {
    for (const authority of english) {
      expect(authority.code, authority.name).toMatch(/^E(06|08|09|10)\d{6}$/)
    }
  })

  it('lists between 150 and 156 English authorities', () => {
    expect(english.length).toBeGreaterThanOrEqual(150)
    expect(english.length).toBeLessThanOrEqual(156)
  })

  it.each([
    ['Kent', 'E10000016'],
    ['Medway', 'E06000035'],
    ['Bexley', 'E09000004'],
    ['Greenwich', 'E09000011'],
    ['Bromley', 'E09000006'],
  ])('has %s as %s', (name, code) => {
    expect(byCode.get(code)).toEqual({ code, name, nation: 'england' })
  })

  it('includes every default partner code', () => {
    expect(DEFAULT_PARTNER_CODES).toEqual(['E10000016', 'E06000035', 'E09000004'])
    for (const code of DEFAULT_PARTNER_CODES) {
      expect(byCode.has(code), code).toBe(true)
    }
  })

  it('ends with the four non-English entries', () => {
    expect(AUTHORITIES.slice(-4)).toEqual([
      { code: 'W92000004', name: 'Wales', nation: 'wales' },
      { code: 'S92000003', name: 'Scotland', nation: 'scotland' },
      { code: 'N92000002', name: 'Northern Ireland', nation: 'northern-ireland' },
      { code: 'X99999999', name: 'Outside the UK', nation: 'outside-uk' },
    ])
  })
})
