// The groups the report cuts ages into: configurable age bands, or England's school year groups.
import type { AgeGroup } from './report-types'
import { parseCalendarDate, type CalendarDate } from '../time/london-time'

export interface AgeBandRange {
  label: string
  min_age: number
  /** null for an open-ended top band such as 19 and over */
  max_age: number | null
}

/** The band an age falls in, or null when the configured bands leave a gap there. */
export function ageBandOf<B extends AgeBandRange>(age: number, bands: readonly B[]): B | null {
  return bands.find((b) => age >= b.min_age && (b.max_age === null || age <= b.max_age)) ?? null
}

export function ageBandKey(band: AgeBandRange): string {
  return band.max_age === null ? `age-${band.min_age}-plus` : `age-${band.min_age}-${band.max_age}`
}

/** Anyone younger than Reception. */
export const PRE_SCHOOL = -1
/** Anyone older than Year 13. */
export const LEFT_SCHOOL = 14

/**
 * England's school year group on a day: Reception = 0, Year 1 = 1 … Year 13 = 13. The school
 * year starts on 1 September and a child starts Reception in the school year they turn 5, so
 * children born 1 September to 31 August share a year group. Below Reception gives -1 or less
 * ("Pre-school"), beyond Year 13 gives 14 or more ("Left school").
 */
export function schoolYearOf(dateOfBirth: CalendarDate, onDate: CalendarDate): number {
  const birth = parseCalendarDate(dateOfBirth)
  const on = parseCalendarDate(onDate)
  if (!birth || !on) throw new Error('schoolYearOf needs two calendar dates')
  const schoolYearStarting = on.month >= 9 ? on.year : on.year - 1
  const cohortStarting = birth.month >= 9 ? birth.year : birth.year - 1
  return schoolYearStarting - cohortStarting - 5
}

/** "Pre-school", "Reception", "Year 7", "Left school". */
export function schoolYearLabel(schoolYear: number): string {
  if (schoolYear <= PRE_SCHOOL) return 'Pre-school'
  if (schoolYear === 0) return 'Reception'
  if (schoolYear >= LEFT_SCHOOL) return 'Left school'
  return `Year ${schoolYear}`
}

/** The report's group for a school year (every pre-school year is one group, as is every year after 13). */
export function schoolYearGroup(schoolYear: number): AgeGroup {
  if (schoolYear <= PRE_SCHOOL) return { key: 'pre-school', label: schoolYearLabel(schoolYear) }
  if (schoolYear === 0) return { key: 'reception', label: schoolYearLabel(schoolYear) }
  if (schoolYear >= LEFT_SCHOOL) return { key: 'left-school', label: schoolYearLabel(schoolYear) }
  return { key: `year-${schoolYear}`, label: schoolYearLabel(schoolYear) }
}

/** Every school year group in order, Pre-school to Left school. */
export const SCHOOL_YEAR_GROUPS: readonly AgeGroup[] = Array.from({ length: LEFT_SCHOOL - PRE_SCHOOL + 1 }, (_, i) =>
  schoolYearGroup(PRE_SCHOOL + i),
)

/** Places whose school year was never stored (booked before it was, with the date of birth since erased). */
export const SCHOOL_YEAR_NOT_KNOWN: AgeGroup = { key: 'not-known', label: 'Not known' }

/** Ages no configured band covers, so the table still adds up to the headline. */
export const OTHER_AGES: AgeGroup = { key: 'other-ages', label: 'Other ages' }
