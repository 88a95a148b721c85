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
  eligibilityStatement: 'eligibilityStatement',
  bookingTerms: 'bookingTerms',
  maxChildrenPerBooking: 'maxChildrenPerBooking',
  organisationName: 'organisationName',
  contactEmail: 'contactEmail',
  contactPhone: 'contactPhone',
  controllerName: 'controllerName',
  dpoName: 'dpoName',
  dpoEmail: 'dpoEmail',
} as const

export const PARTNERS_FIELD = SETTINGS_FIELDS.partners
export const QUARTER_MONTH_FIELD = SETTINGS_FIELDS.quarterFirstMonth
export const RETENTION_FIELD = SETTINGS_FIELDS.retentionMonths

/** The page's buttons: one per section, and Add and Remove for age band rows (plain submits, no JavaScript needed). */
export const settingsIntentSchema = z.union([
  z.enum([
    'add-band',
    'save-age-bands',
    'save-partners',
    'save-quarter',
    'save-retention',
    'save-wording',
    'save-organisation',
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
