// The rules an admin's age bands must follow before the report can use them: every age from 0
// up counted exactly once, so the age-band breakdown always adds up to the spaces booked.

export const MIN_BAND_AGE = 0
export const MAX_BAND_AGE = 25
export const MIN_BANDS = 2
/** one band per year from 0 to 25 is the most that can make sense */
export const MAX_BANDS = MAX_BAND_AGE - MIN_BAND_AGE + 1

export interface AgeBandRow {
  minAge: string
  maxAge: string
}

export interface ValidAgeBand {
  label: string
  min_age: number
  /** null: open-ended, "19 and over" */
  max_age: number | null
}

export type AgeBandErrors = Record<string, string>

export type AgeBandValidation = { ok: true; bands: ValidAgeBand[] } | { ok: false; errors: AgeBandErrors }

/** Error keys: `minAge-${i}` / `maxAge-${i}` for row i (as given, from 0) and `bands` for the set. */
export const minAgeField = (row: number) => `minAge-${row}`
export const maxAgeField = (row: number) => `maxAge-${row}`
export const BANDS_FIELD = 'bands'

export function ageBandLabel(minAge: number, maxAge: number | null): string {
  if (maxAge === null) return `${minAge} and over`
  if (maxAge === minAge) return String(minAge)
  return `${minAge} to ${maxAge}`
}

type ParsedAge = { ok: true; value: number | null } | { ok: false; error: string }

function parseAge(typed: string, what: string): ParsedAge {
  const text = typed.trim()
  if (text === '') return { ok: true, value: null }
  if (!/^\d+$/.test(text)) return { ok: false, error: `${what} must be a whole number, like 8` }
  const value = Number(text)
  if (value < MIN_BAND_AGE || value > MAX_BAND_AGE) {
    return { ok: false, error: `${what} must be between ${MIN_BAND_AGE} and ${MAX_BAND_AGE}` }
  }
  return { ok: true, value }
}

/**
 * Checks the bands typed into the settings form. Rows left completely empty are ignored (the
 * form offers a spare row); the others must be whole numbers from 0 to 25, start at 0, follow
 * on from each other without gap or overlap, youngest first, and only the last band may (and
 * must) be open-ended, so no child falls outside every band.
 */
export function validateAgeBands(rows: AgeBandRow[]): AgeBandValidation {
  const errors: AgeBandErrors = {}
  const filled = rows
    .map((row, index) => ({ index, minAge: row.minAge ?? '', maxAge: row.maxAge ?? '' }))
    .filter((row) => row.minAge.trim() !== '' || row.maxAge.trim() !== '')

  if (filled.length < MIN_BANDS) {
    errors[BANDS_FIELD] = `Enter at least ${MIN_BANDS} age bands`
    return { ok: false, errors }
  }
  if (filled.length > MAX_BANDS) {
    errors[BANDS_FIELD] = `Enter no more than ${MAX_BANDS} age bands`
    return { ok: false, errors }
  }

  const bands: Array<{ index: number; min: number | null; max: number | null; maxValid: boolean }> = []
  filled.forEach((row, position) => {
    const n = position + 1
    const isLast = position === filled.length - 1
    const minField = minAgeField(row.index)
    const maxField = maxAgeField(row.index)
    const min = parseAge(row.minAge, `The youngest age in band ${n}`)
    const max = parseAge(row.maxAge, `The oldest age in band ${n}`)
    let minValue: number | null = null
    let maxValue: number | null = null
    let maxValid = true
    if (!min.ok) errors[minField] = min.error
    else if (min.value === null) errors[minField] = `Enter the youngest age in band ${n}`
    else minValue = min.value
    if (!max.ok) {
      errors[maxField] = max.error
      maxValid = false
    } else if (max.value === null && !isLast) {
      errors[maxField] = `Enter the oldest age in band ${n}: only the last band can be open-ended`
      maxValid = false
    } else if (max.value !== null && isLast) {
      // A closed top band would leave older children out of every band and the figures would not add up.
      errors[maxField] =
        `Leave the oldest age in the last band empty, so it counts everyone aged ${minValue ?? 'its youngest age'} and over`
      maxValid = false
    } else {
      maxValue = max.value
      if (minValue !== null && maxValue !== null && maxValue < minValue) {
        errors[maxField] = `The oldest age in band ${n} must be the same as or more than its youngest age`
        maxValid = false
      }
    }
    bands.push({ index: row.index, min: minValue, max: maxValue, maxValid })
  })

  bands.forEach((band, position) => {
    const field = minAgeField(band.index)
    if (errors[field] || band.min === null) return
    const n = position + 1
    if (position === 0) {
      if (band.min !== MIN_BAND_AGE)
        errors[field] = `The first band must start at ${MIN_BAND_AGE}, so the youngest children are counted`
      return
    }
    const previous = bands[position - 1]!
    if (previous.min !== null && band.min < previous.min) {
      errors[field] = `Put the bands in order, youngest first: band ${n} starts before band ${n - 1}`
      return
    }
    if (previous.max === null || !previous.maxValid) return
    const expected = previous.max + 1
    if (band.min < expected) {
      errors[field] =
        `Band ${n} overlaps band ${n - 1}: it must start at ${expected}, the year after band ${n - 1} ends`
    } else if (band.min > expected) {
      errors[field] = `Band ${n} must start at ${expected}, the year after band ${n - 1} ends, so no age is left out`
    }
  })

  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return {
    ok: true,
    bands: bands.map((band) => ({ label: ageBandLabel(band.min!, band.max), min_age: band.min!, max_age: band.max })),
  }
}
