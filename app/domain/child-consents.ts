// A child's three consents as staff read them: photographs of sessions, first name visible to
// others on the call, camera on. Each is yes, no or not answered (1, 0 or null in the child's
// row), with the instant it was given or last changed.
import { formatCalendarDate, londonDateOf } from '../time/london-time'

export const CONSENT_KINDS = ['photos', 'nameVisible', 'camera'] as const
export type ConsentKind = (typeof CONSENT_KINDS)[number]

/** The question each consent answers, in full (the family page) and short (the register and its CSV). */
export const CONSENT_LABELS: Record<ConsentKind, { full: string; short: string }> = {
  photos: { full: 'Photographs of sessions', short: 'Photographs' },
  nameVisible: { full: 'First name visible to others on the call', short: 'First name visible' },
  camera: { full: 'Camera on', short: 'Camera on' },
}

export interface Consent {
  /** null: not answered */
  given: boolean | null
  /** when it was given or last changed */
  at: string | null
}

export type Consents = Record<ConsentKind, Consent>

/** The consent columns of a child's row; all null when the place has no child (an erased or older place). */
export interface ConsentColumns {
  consent_photos: number | null
  consent_photos_at: string | null
  consent_name_visible: number | null
  consent_name_visible_at: string | null
  consent_camera: number | null
  consent_camera_at: string | null
}

function consent(value: number | null, at: string | null): Consent {
  return { given: value === null ? null : value === 1, at: value === null ? null : at }
}

/** The child's consent columns, to select beside a place (left join child): what consentsOf reads. */
export const CHILD_CONSENT_COLUMNS = [
  'child.consent_photos',
  'child.consent_photos_at',
  'child.consent_name_visible',
  'child.consent_name_visible_at',
  'child.consent_camera',
  'child.consent_camera_at',
] as const

export function consentsOf(row: ConsentColumns): Consents {
  return {
    photos: consent(row.consent_photos, row.consent_photos_at),
    nameVisible: consent(row.consent_name_visible, row.consent_name_visible_at),
    camera: consent(row.consent_camera, row.consent_camera_at),
  }
}

/** "Yes", "No" or "Not answered". */
export function consentAnswer(c: Consent): 'Yes' | 'No' | 'Not answered' {
  return c.given === null ? 'Not answered' : c.given ? 'Yes' : 'No'
}

/** "Yes, given 5 March 2026" (the London day it was given), or "Not answered". */
export function consentWithDate(c: Consent): string {
  const answer = consentAnswer(c)
  if (c.given === null || !c.at) return answer
  return `${answer}, given ${formatCalendarDate(londonDateOf(c.at))}`
}

/** "Photographs: Yes · First name visible: No · Camera on: Not answered", as the register shows them. */
export function consentsLine(consents: Consents): string {
  return CONSENT_KINDS.map((kind) => `${CONSENT_LABELS[kind].short}: ${consentAnswer(consents[kind])}`).join(' · ')
}
