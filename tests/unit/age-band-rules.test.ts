import { describe, expect, it } from 'vitest'
import { ageBandLabel, validateAgeBands } from '../../app/domain/age-band-rules'

const rows = (...pairs: Array<[string, string]>) => pairs.map(([minAge, maxAge]) => ({ minAge, maxAge }))

function errorsOf(result: ReturnType<typeof validateAgeBands>) {
  if (result.ok) throw new Error('expected errors')
  return result.errors
}

describe('age band rules', () => {
  it('accepts the default bands and labels them', () => {
    const result = validateAgeBands(rows(['0', '4'], ['5', '7'], ['8', '11'], ['12', '15'], ['16', '18'], ['19', '']))
    expect(result).toEqual({
      ok: true,
      bands: [
        { label: '0 to 4', min_age: 0, max_age: 4 },
        { label: '5 to 7', min_age: 5, max_age: 7 },
        { label: '8 to 11', min_age: 8, max_age: 11 },
        { label: '12 to 15', min_age: 12, max_age: 15 },
        { label: '16 to 18', min_age: 16, max_age: 18 },
        { label: '19 and over', min_age: 19, max_age: null },
      ],
    })
  })

  it('labels a one-year band with its age alone', () => {
    expect(ageBandLabel(8, 8)).toBe('8')
    const result = validateAgeBands(rows(['0', '7'], ['8', '8'], [' 9 ', '']))
    expect(result.ok && result.bands.map((b) => b.label)).toEqual(['0 to 7', '8', '9 and over'])
  })

  it('ignores rows left completely empty', () => {
    const result = validateAgeBands(rows(['0', '11'], ['', ''], ['12', ''], ['', '']))
    expect(result.ok && result.bands.map((b) => b.label)).toEqual(['0 to 11', '12 and over'])
  })

  it('needs at least two bands', () => {
    expect(errorsOf(validateAgeBands(rows(['0', ''])))).toEqual({ bands: 'Enter at least 2 age bands' })
    expect(errorsOf(validateAgeBands([]))).toEqual({ bands: 'Enter at least 2 age bands' })
  })

  it('refuses a gap between bands, naming where the band must start', () => {
    const errors = errorsOf(validateAgeBands(rows(['0', '4'], ['6', '11'], ['12', ''])))
    expect(errors).toEqual({ 'minAge-1': 'Band 2 must start at 5, the year after band 1 ends, so no age is left out' })
  })

  it('refuses overlapping bands', () => {
    const errors = errorsOf(validateAgeBands(rows(['0', '8'], ['5', '11'], ['12', ''])))
    expect(errors).toEqual({ 'minAge-1': 'Band 2 overlaps band 1: it must start at 9, the year after band 1 ends' })
  })

  it('refuses bands out of order', () => {
    const errors = errorsOf(validateAgeBands(rows(['0', '4'], ['12', '15'], ['5', '11'], ['16', ''])))
    expect(errors['minAge-2']).toBe('Put the bands in order, youngest first: band 3 starts before band 2')
  })

  it('refuses a first band that does not start at 0', () => {
    const errors = errorsOf(validateAgeBands(rows(['3', '7'], ['8', ''])))
    expect(errors).toEqual({ 'minAge-0': 'The first band must start at 0, so the youngest children are counted' })
  })

  it('lets only the last band be open-ended', () => {
    const errors = errorsOf(validateAgeBands(rows(['0', ''], ['5', '11'], ['12', ''])))
    expect(errors['maxAge-0']).toBe('Enter the oldest age in band 1: only the last band can be open-ended')
  })

  it('asks for the last band to be open-ended so every age is counted', () => {
    const errors = errorsOf(validateAgeBands(rows(['0', '11'], ['12', '18'])))
    expect(errors).toEqual({
      'maxAge-1': 'Leave the oldest age in the last band empty, so it counts everyone aged 12 and over',
    })
  })

  it('refuses ages that are not whole numbers from 0 to 25', () => {
    const errors = errorsOf(validateAgeBands(rows(['0', 'four'], ['5.5', '11'], ['-1', '30'], ['26', ''])))
    expect(errors['maxAge-0']).toBe('The oldest age in band 1 must be a whole number, like 8')
    expect(errors['minAge-1']).toBe('The youngest age in band 2 must be a whole number, like 8')
    expect(errors['minAge-2']).toBe('The youngest age in band 3 must be a whole number, like 8')
    expect(errors['maxAge-2']).toBe('The oldest age in band 3 must be between 0 and 25')
    expect(errors['minAge-3']).toBe('The youngest age in band 4 must be between 0 and 25')
  })

  it('refuses a band that ends before it starts, and a missing start', () => {
    const errors = errorsOf(validateAgeBands(rows(['0', '4'], ['5', '3'], ['', '11'], ['12', ''])))
    expect(errors['maxAge-1']).toBe('The oldest age in band 2 must be the same as or more than its youngest age')
    expect(errors['minAge-2']).toBe('Enter the youngest age in band 3')
  })
})
