// Age on the day: the one rule for a child's or young person's age, used by bookings and reports.
import { parseCalendarDate, type CalendarDate } from '../time/london-time'

/**
 * Whole years between a date of birth and a day. Someone born on 29 February has their
 * birthday on 1 March in non-leap years, as in UK law.
 */
export function ageOnDay(dateOfBirth: CalendarDate, day: CalendarDate): number {
  const birth = parseCalendarDate(dateOfBirth)
  const on = parseCalendarDate(day)
  if (!birth || !on) throw new Error('ageOnDay needs two calendar dates')
  let age = on.year - birth.year
  const hadBirthday = on.month > birth.month || (on.month === birth.month && on.day >= birth.day)
  if (!hadBirthday) age -= 1
  return age
}

/** "Ages 5 to 11", "Ages 12 and over" — the words the public pages use for an age range. */
export function describeAgeRange(minAge: number, maxAge: number): string {
  if (minAge === maxAge) return `Age ${minAge}`
  return `Ages ${minAge} to ${maxAge}`
}
