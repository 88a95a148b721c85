// The forms of the "Release your place" page and the claim page: one zod schema each, shared by
// the routes. Not a .server module.
import { z } from 'zod'

/** A release or claim link's last segment: the 256-bit token, base64url. */
export const linkTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/)

export const RELEASE_PLACES_FIELD = 'places'
const SELECT = 'Select whose place to release'
const placeId = z.coerce
  .number({ invalid_type_error: SELECT })
  .int(SELECT)
  .positive(SELECT)
  .max(Number.MAX_SAFE_INTEGER, SELECT)

/** The release page's one button, with the places ticked (all of them by default). */
export const releaseFormSchema = z.object({
  intent: z.literal('release'),
  [RELEASE_PLACES_FIELD]: z.array(placeId).min(1, SELECT).max(20, SELECT),
})

/** The release page's post: every ticked place (a checkbox name posted once per tick). */
export function releaseFormValues(form: FormData): { intent: unknown; places: string[] } {
  return {
    intent: form.get('intent'),
    places: form.getAll(RELEASE_PLACES_FIELD).filter((v): v is string => typeof v === 'string'),
  }
}

/** The claim page's one button. */
export const claimFormSchema = z.object({ intent: z.literal('claim') })
