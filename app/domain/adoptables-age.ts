// Who can be an Adoptables member: 12 to 18 on the day of the meeting; under 13 needs consent.
import { ageOnDay } from './age'
import { londonDateOf } from '../time/london-time'

export const ADOPTABLES_MIN_AGE = 12
export const ADOPTABLES_MAX_AGE = 18
/** Under this age on the day they register, a parent or carer must agree first. */
export const CONSENT_AGE = 13

export function adoptablesAgeOnMeeting(dateOfBirth: string, meetingStartsAt: string): { age: number; ok: boolean } {
  const age = ageOnDay(dateOfBirth, londonDateOf(meetingStartsAt))
  return { age, ok: age >= ADOPTABLES_MIN_AGE && age <= ADOPTABLES_MAX_AGE }
}

export function needsConsent(dateOfBirth: string, now = new Date()): boolean {
  return ageOnDay(dateOfBirth, londonDateOf(now)) < CONSENT_AGE
}
