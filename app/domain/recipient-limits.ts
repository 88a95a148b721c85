// How many emails public forms may send one address: a stranger can type anyone's address into a
// form, so each address gets a few emails an hour from them and no more. The mailing list has its
// own rule (one confirmation per address per 10 minutes, mailing-list.server.ts). Over a limit the
// form answers as usual and the booking or sign-up is made; the email is held in the outbox for
// staff to send if the person asks (email/outbox.server.ts).
import type { RecipientLimit } from '../email/outbox.server'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * Booking confirmations and waiting-list emails: a family booking a term's sessions in one sitting
 * still gets every one (10 an hour), while an address typed by someone else gets at most 20 a day.
 */
export const BOOKING_FORM_EMAILS: RecipientLimit = {
  kinds: ['confirmation', 'waitlisted', 'held'],
  windows: [
    { max: 10, ms: HOUR, label: 'hour' },
    { max: 20, ms: DAY, label: '24 hours' },
  ],
}

/**
 * Adoptables sign-up emails (a parent's consent request, the young person's own emails): one
 * sign-up sends each address one, so 3 an hour covers brothers and sisters joining together.
 */
export const ADOPTABLES_SIGN_UP_EMAILS: RecipientLimit = {
  kinds: ['consent-request', 'member-pending', 'member-welcome', 'member-link'],
  windows: [
    { max: 3, ms: HOUR, label: 'hour' },
    { max: 6, ms: DAY, label: '24 hours' },
  ],
}
