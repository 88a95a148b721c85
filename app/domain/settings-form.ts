// The settings page's forms: the names each section posts, the intents of its buttons, and the
// wording form's schema. Not a .server module, so the page's markup, its action and the domain's
// save functions all take the names from here and cannot drift apart.
import { z } from 'zod'

/** The names the settings forms post (age bands post minAgeField(i), maxAgeField(i): age-band-rules.ts). */
export const SETTINGS_FIELDS = {
  intent: 'intent',
  bandCount: 'bandCount',
  partners: 'partners',
  quarterFirstMonth: 'quarterFirstMonth',
  retentionMonths: 'retentionMonths',
  concernRetentionYears: 'concernRetentionYears',
  eligibilityStatement: 'eligibilityStatement',
  bookingTerms: 'bookingTerms',
  maxChildrenPerBooking: 'maxChildrenPerBooking',
  organisationName: 'organisationName',
  contactEmail: 'contactEmail',
  contactPhone: 'contactPhone',
  controllerName: 'controllerName',
  dpoName: 'dpoName',
  dpoEmail: 'dpoEmail',
  approveNewFamilies: 'approveNewFamilies',
  familyHoldHours: 'familyHoldHours',
  secondReminderHours: 'secondReminderHours',
  offerWindowHours: 'offerWindowHours',
} as const

export const PARTNERS_FIELD = SETTINGS_FIELDS.partners
export const QUARTER_MONTH_FIELD = SETTINGS_FIELDS.quarterFirstMonth
export const RETENTION_FIELD = SETTINGS_FIELDS.retentionMonths
export const CONCERN_RETENTION_FIELD = SETTINGS_FIELDS.concernRetentionYears

/** The page's buttons: one per section, and Add and Remove for age band rows (plain submits, no JavaScript needed). */
export const settingsIntentSchema = z.union([
  z.enum([
    'add-band',
    'save-age-bands',
    'save-partners',
    'save-quarter',
    'save-retention',
    'save-concern-retention',
    'save-wording',
    'save-organisation',
    'save-families',
    'save-reminders',
  ]),
  z.string().regex(/^remove-band-\d{1,2}$/),
])

export const MAX_CHILDREN_LIMIT = 10
const WORDING_MAX = 2000

/** The wording and limits form: who can book, the booking terms and the most children per booking. */
export const wordingSchema = z.object({
  [SETTINGS_FIELDS.eligibilityStatement]: z
    .string()
    .trim()
    .min(1, 'Enter who can book')
    .max(WORDING_MAX, `Who can book must be ${WORDING_MAX} characters or fewer`),
  [SETTINGS_FIELDS.bookingTerms]: z
    .string()
    .trim()
    .min(1, 'Enter the booking terms')
    .max(WORDING_MAX, `The booking terms must be ${WORDING_MAX} characters or fewer`),
  [SETTINGS_FIELDS.maxChildrenPerBooking]: z
    .string()
    .trim()
    .min(1, 'Enter the most children one booking can include')
    .regex(/^\d+$/, 'The most children one booking can include must be a whole number, like 6')
    .transform(Number)
    .refine(
      (n) => n >= 1 && n <= MAX_CHILDREN_LIMIT,
      `The most children one booking can include must be between 1 and ${MAX_CHILDREN_LIMIT}`,
    ),
})

/** The wording form as typed, before it is checked. */
export type WordingInput = Record<keyof z.input<typeof wordingSchema>, string>
export type Wording = z.output<typeof wordingSchema>
export type WordingField = keyof WordingInput

/** Takes the wording form's fields from a post, as typed (bounded, so a huge post is not kept). */
export function typedWording(form: FormData): WordingInput {
  const typed = (name: WordingField) => {
    const value = form.get(name)
    return typeof value === 'string' ? value.slice(0, 5000) : ''
  }
  return {
    eligibilityStatement: typed('eligibilityStatement'),
    bookingTerms: typed('bookingTerms'),
    maxChildrenPerBooking: typed('maxChildrenPerBooking'),
  }
}

const NAME_MAX = 200

function requiredText(empty: string, tooLong: string) {
  return z.string().trim().min(1, empty).max(NAME_MAX, tooLong)
}

function emailAddress(empty: string, wrong: string) {
  return z.string().trim().toLowerCase().min(1, empty).pipe(z.string().max(254, wrong).email(wrong))
}

/**
 * Who runs the service and how to reach them: the footer of every page, the accessibility
 * statement and the privacy notice use these words as saved.
 */
export const organisationSchema = z.object({
  [SETTINGS_FIELDS.organisationName]: requiredText(
    'Enter the name of the team that runs the service',
    `The team’s name must be ${NAME_MAX} characters or fewer`,
  ),
  [SETTINGS_FIELDS.contactEmail]: emailAddress(
    'Enter the team’s email address',
    'Enter the team’s email address in the correct format, like participation@council.example.gov.uk',
  ),
  [SETTINGS_FIELDS.contactPhone]: z
    .string()
    .trim()
    .min(1, 'Enter the team’s phone number, like 03000 41 41 41')
    .regex(/^\+?[\d\s()-]{7,25}$/, 'Enter the team’s phone number, like 03000 41 41 41')
    .refine((p) => p.replace(/\D/g, '').length >= 7, 'Enter the team’s phone number, like 03000 41 41 41'),
  [SETTINGS_FIELDS.controllerName]: requiredText(
    'Enter the name of the data controller, like Kent County Council',
    `The data controller’s name must be ${NAME_MAX} characters or fewer`,
  ),
  [SETTINGS_FIELDS.dpoName]: requiredText(
    'Enter who the data protection officer is',
    `The data protection officer’s name must be ${NAME_MAX} characters or fewer`,
  ),
  [SETTINGS_FIELDS.dpoEmail]: emailAddress(
    'Enter the data protection officer’s email address',
    'Enter the data protection officer’s email address in the correct format, like dpo@council.example.gov.uk',
  ),
})

export type OrganisationInput = Record<keyof z.input<typeof organisationSchema>, string>
export type OrganisationField = keyof OrganisationInput
export const ORGANISATION_FIELD_ORDER: OrganisationField[] = [
  'organisationName',
  'contactEmail',
  'contactPhone',
  'controllerName',
  'dpoName',
  'dpoEmail',
]

/** The organisation form's fields from a post, as typed (bounded). */
export function typedOrganisation(form: FormData): OrganisationInput {
  const typed = (name: OrganisationField) => {
    const value = form.get(name)
    return typeof value === 'string' ? value.slice(0, 500) : ''
  }
  return Object.fromEntries(ORGANISATION_FIELD_ORDER.map((name) => [name, typed(name)])) as OrganisationInput
}

// ---- new families: approval and how long their places are held ----

export const FAMILY_HOLD_HOURS_MIN = 1
/** a week: a hold longer than that keeps a space from the waiting list for too long */
export const FAMILY_HOLD_HOURS_MAX = 168

const holdHoursMessage = `Hours a new family’s places are held must be a whole number from ${FAMILY_HOLD_HOURS_MIN} to ${FAMILY_HOLD_HOURS_MAX}, like 24`

/**
 * Whether a new family's first booking waits for staff to approve it, and how long a new family's
 * places are held for it to confirm its email address (never past the booking close).
 */
export const familiesSchema = z.object({
  [SETTINGS_FIELDS.approveNewFamilies]: z.enum(['on', 'off'], {
    message: 'Select whether new families’ first bookings need approval',
  }),
  [SETTINGS_FIELDS.familyHoldHours]: z
    .string()
    .trim()
    .min(
      1,
      `Enter how many hours a new family’s places are held, from ${FAMILY_HOLD_HOURS_MIN} to ${FAMILY_HOLD_HOURS_MAX}`,
    )
    .regex(/^\d{1,3}$/, holdHoursMessage)
    .transform(Number)
    .refine((n) => n >= FAMILY_HOLD_HOURS_MIN && n <= FAMILY_HOLD_HOURS_MAX, holdHoursMessage),
})

export type FamiliesInput = { approveNewFamilies: string; familyHoldHours: string }
export type FamiliesSettings = z.output<typeof familiesSchema>
export const FAMILIES_FIELD_ORDER = [SETTINGS_FIELDS.approveNewFamilies, SETTINGS_FIELDS.familyHoldHours] as const

/** The families form's fields from a post, as typed (bounded). */
export function typedFamilies(form: FormData): FamiliesInput {
  const typed = (name: string) => {
    const value = form.get(name)
    return typeof value === 'string' ? value.slice(0, 50) : ''
  }
  return {
    approveNewFamilies: typed(SETTINGS_FIELDS.approveNewFamilies),
    familyHoldHours: typed(SETTINGS_FIELDS.familyHoldHours),
  }
}

// ---- reminders and offers near the start ----

/** below 24: the first reminder goes 24 hours before */
export const SECOND_REMINDER_HOURS_MAX = 23
export const OFFER_WINDOW_HOURS_MAX = 72

function hoursField(empty: string, wrong: string, max: number) {
  return z
    .string()
    .trim()
    .min(1, empty)
    .regex(/^\d{1,3}$/, wrong)
    .transform(Number)
    .refine((n) => n >= 0 && n <= max, wrong)
}

/** The second reminder's hours before the start (0: none), and the hours before the start within which a freed space is offered (0: never). */
export const remindersSchema = z.object({
  [SETTINGS_FIELDS.secondReminderHours]: hoursField(
    `Enter how many hours before the start the second reminder goes, from 0 to ${SECOND_REMINDER_HOURS_MAX}`,
    `Hours before the start for the second reminder must be a whole number from 0 to ${SECOND_REMINDER_HOURS_MAX}, like 3`,
    SECOND_REMINDER_HOURS_MAX,
  ),
  [SETTINGS_FIELDS.offerWindowHours]: hoursField(
    `Enter within how many hours of the start a freed space is offered, from 0 to ${OFFER_WINDOW_HOURS_MAX}`,
    `Hours before the start for offering a freed space must be a whole number from 0 to ${OFFER_WINDOW_HOURS_MAX}, like 24`,
    OFFER_WINDOW_HOURS_MAX,
  ),
})

export type RemindersInput = { secondReminderHours: string; offerWindowHours: string }
export type RemindersSettings = z.output<typeof remindersSchema>
export const REMINDERS_FIELD_ORDER = [SETTINGS_FIELDS.secondReminderHours, SETTINGS_FIELDS.offerWindowHours] as const

/** The reminders form's fields from a post, as typed (bounded). */
export function typedReminders(form: FormData): RemindersInput {
  const typed = (name: string) => {
    const value = form.get(name)
    return typeof value === 'string' ? value.slice(0, 50) : ''
  }
  return {
    secondReminderHours: typed(SETTINGS_FIELDS.secondReminderHours),
    offerWindowHours: typed(SETTINGS_FIELDS.offerWindowHours),
  }
}
