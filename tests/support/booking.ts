// Helpers to book through the real HTTP form, as a parent's browser would post it.
import crypto from 'node:crypto'
import { activityForm, type HttpClient, type TestService } from './service'

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

/** Posts the confirmation step straight away (as a re-posted check page would). */
export async function confirmBooking(
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
