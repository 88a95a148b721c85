// Helpers to book through the real HTTP form, as a parent's browser would post it.
import crypto from 'node:crypto'
import { confirmFamilyBooking, type ConfirmedBooking } from '../../app/domain/family-confirmation.server'
import type { DB } from '../../db/index'
import { activityForm, databaseOfService, HttpClient, type TestService } from './service'

export interface ChildSpec {
  firstName: string
  dob: string // YYYY-MM-DD
  supportNeeds?: string
}

export function bookingForm(children: ChildSpec[], overrides: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = {
    contactName: 'Pat Parent',
    email: 'pat@example.org',
    phone: '',
    authority: 'E10000016',
    eligibility: 'yes',
    childCount: String(children.length),
  }
  children.forEach((child, i) => {
    const [year, month, day] = child.dob.split('-')
    form[`child-${i}-firstName`] = child.firstName
    form[`child-${i}-dob-day`] = String(Number(day))
    form[`child-${i}-dob-month`] = String(Number(month))
    form[`child-${i}-dob-year`] = year!
    form[`child-${i}-supportNeeds`] = child.supportNeeds ?? ''
  })
  return { ...form, ...overrides }
}

/**
 * Books through the public form and confirms the address as the parent would: posts the
 * confirmation step straight away (as a re-posted check page would), then opens the confirm link
 * from the booking's first email (read from the outbox, as from an inbox) on another device and
 * presses "Confirm booking". Returns the booking form's response. `postBooking` stops before
 * confirming, leaving the places held.
 */
export async function confirmBooking(
  client: HttpClient,
  activityId: number,
  children: ChildSpec[],
  overrides: Record<string, string> = {},
): Promise<Response> {
  const response = await postBooking(client, activityId, children, overrides)
  const link = await confirmAddress(client.baseUrl, response)
  if (!link) return response
  // Confirming ends the link the form's page gave (anyone can type an address): the family goes
  // on with the link in the email that confirmed its places, as the answer's `location` now says.
  const headers = new Headers(response.headers)
  headers.set('location', link)
  return new Response(null, { status: response.status, headers })
}

/** The confirm link in a held booking's first email, from the outbox; null when there is none. */
export async function confirmLinkOf(baseUrl: string, reference: string): Promise<string | null> {
  const email = await databaseOfService(baseUrl)
    .selectFrom('outbox')
    .innerJoin('booking', 'booking.id', 'outbox.booking_id')
    .select('outbox.text_body')
    .where('booking.reference', '=', reference)
    .where('outbox.kind', '=', 'held')
    .executeTakeFirst()
  const match = email ? /\/family\/confirm\/[\w-]+/.exec(email.text_body) : null
  return match ? match[0] : null
}

/**
 * After a booking post: confirms its address by its emailed link, if it was held for one, and
 * returns the booking's page link from the email sent on confirming (null when nothing was held,
 * or nothing was emailed: a family only on the waiting list hears when a space comes up).
 */
export async function confirmAddress(baseUrl: string, response: Response): Promise<string | null> {
  const location = response.headers.get('location') ?? ''
  const reference = /^\/bookings\/(JN-[A-Z0-9]{5})\?/.exec(location)?.[1]
  if (!reference) return null
  const link = await confirmLinkOf(baseUrl, reference)
  if (!link) return null
  const confirmed = await new HttpClient(baseUrl).post(link, {})
  if (confirmed.status !== 302) throw new Error(`confirming ${reference} failed: ${confirmed.status}`)
  const token = await pageTokenAfterConfirming(databaseOfService(baseUrl), reference)
  return token
    ? `/bookings/${reference}?token=${encodeURIComponent(token)}${location.includes('&new=1') ? '&new=1' : ''}`
    : null
}

/**
 * The booking page's token in the newest email about the booking since its address was confirmed
 * (confirming ends the one the form's page gave); null when none was sent: a family only on the
 * waiting list hears when a space comes up.
 */
export async function pageTokenAfterConfirming(db: DB, reference: string): Promise<string | null> {
  const emails = await db
    .selectFrom('outbox')
    .innerJoin('booking', 'booking.id', 'outbox.booking_id')
    .select('outbox.text_body')
    .where('booking.reference', '=', reference)
    .where('outbox.kind', '<>', 'held')
    .orderBy('outbox.id', 'desc')
    .execute()
  for (const { text_body } of emails) {
    const page = new RegExp(`/bookings/${reference}\\?token=([\\w-]+)`).exec(text_body)
    if (page) return page[1]!
  }
  return null
}

/** Posts the confirmation step straight away; a new family's places are then held. */
export async function postBooking(
  client: HttpClient,
  activityId: number,
  children: ChildSpec[],
  overrides: Record<string, string> = {},
): Promise<Response> {
  return client.post(
    `/activities/${activityId}`,
    bookingForm(children, {
      intent: 'confirm',
      idempotencyKey: crypto.randomUUID(),
      whenShort: 'waitlist',
      ...overrides,
    }),
  )
}

/** Creates and publishes an activity as staff; returns its id. */
export async function publishActivity(service: TestService, overrides: Record<string, string> = {}): Promise<number> {
  const staff = await service.signedIn('staff')
  const response = await staff.post('/staff/activities/new', activityForm(overrides))
  const match = /\/staff\/activities\/(\d+)/.exec(response.headers.get('location') ?? '')
  if (!match) throw new Error(`could not publish: ${response.status} ${await response.text()}`)
  return Number(match[1])
}

export async function placeCounts(service: TestService, activityId: number): Promise<Record<string, number>> {
  const rows = await service.database.db
    .selectFrom('place')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('activity_id', '=', activityId)
    .groupBy('status')
    .execute()
  const counts: Record<string, number> = { confirmed: 0, waitlisted: 0, cancelled: 0 }
  for (const row of rows) counts[row.status] = Number(row.n)
  return counts
}

/** A date of birth giving this age on the day of an activityForm() session (30 days ahead). */
export function dobForAge(age: number): string {
  const d = new Date(Date.now() + 30 * 86_400_000)
  d.setUTCFullYear(d.getUTCFullYear() - age)
  return new Date(d.getTime() - 60 * 86_400_000).toISOString().slice(0, 10)
}

/** A date of birth as the three strings a person types into Day, Month and Year. */
export function dobParts(age: number): { day: string; month: string; year: string } {
  const [year, month, day] = dobForAge(age).split('-')
  return { day: String(Number(day)), month: String(Number(month)), year: year! }
}

let titles = 0
/** A title no other test uses, so list and database checks cannot mix sessions up. */
export function uniqueTitle(base: string): string {
  titles += 1
  return `${base} ${titles}-${Date.now().toString(36)}`
}

/**
 * Confirms a held booking's address as the parent's click on the emailed link would, through the
 * domain (for tests that book through book() rather than over HTTP).
 */
export async function confirmHeldBooking(
  db: DB,
  reference: string,
  links: { baseUrl: string; domain: string },
  now = new Date(),
): Promise<ConfirmedBooking & { manageToken: string | null }> {
  const email = await db
    .selectFrom('outbox')
    .innerJoin('booking', 'booking.id', 'outbox.booking_id')
    .select('outbox.text_body')
    .where('booking.reference', '=', reference)
    .where('outbox.kind', '=', 'held')
    .executeTakeFirstOrThrow()
  const token = /\/family\/confirm\/([\w-]+)/.exec(email.text_body)![1]!
  const result = await confirmFamilyBooking(db, token, links, now)
  if (result.status === 'invalid') throw new Error(`could not confirm ${reference}`)
  return { ...result, manageToken: await pageTokenAfterConfirming(db, reference) }
}
