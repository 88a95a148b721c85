// A session moved to another day: each booked child's age on the day and school year are that
// day's (the report counts them by both), and a child the move takes outside the session's ages is
// shown to staff on the session's page. Over real HTTP against the production build. The dates are
// fixed within next year (a session on 28 August moved over a birthday and 1 September) and each
// date of birth is so many years before it, so the expected ages and school years are written
// out, not worked out by the code under test, and stay the same whenever the suite runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmBooking, publishActivity } from '../support/booking'
import { words } from '../support/page-words'
import { activityForm, startTestService, type HttpClient, type TestService } from '../support/service'

let service: TestService
let staff: HttpClient

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
  staff = await service.signedIn('staff')
})
afterAll(async () => {
  await service?.close()
})

// next year: always more than a month ahead and within the three years a session may be planned
const YEAR = new Date().getUTCFullYear() + 1
const on = (day: string, month: string) => ({ 'date-day': day, 'date-month': month, 'date-year': String(YEAR) })
/** A date of birth `years` before next year, on a month and day. */
const born = (years: number, monthDay: string) => `${YEAR - years}-${monthDay}`

async function statusesOf(activityId: number): Promise<Record<string, string>> {
  const rows = await service.database.db
    .selectFrom('place')
    .select(['first_name', 'status'])
    .where('activity_id', '=', activityId)
    .execute()
  return Object.fromEntries(rows.map((r) => [r.first_name ?? '', r.status]))
}

async function agesOf(activityId: number) {
  return service.database.db
    .selectFrom('place')
    .select(['first_name', 'age_on_day', 'school_year'])
    .where('activity_id', '=', activityId)
    .orderBy('id')
    .execute()
}

/** The page's words, as a person reads them. */
async function pageWords(path: string): Promise<string> {
  return words(await (await staff.get(path)).text())
}

describe('a session moved to another day', () => {
  it('restamps each child’s age and school year for the new day, and shows staff a child now outside its ages', async () => {
    const form = { title: 'Summer slime', minAge: '5', maxAge: '10' }
    const id = await publishActivity(service, { ...form, ...on('28', '8') })
    // Sam turns 11 on 30 August; Ava is 10 all summer. Both are in Year 6 until 1 September.
    const booked = await confirmBooking(
      service.client(),
      id,
      [
        { firstName: 'Sam', dob: born(11, '08-30') },
        { firstName: 'Ava', dob: born(10, '01-15') },
      ],
      { email: 'sam.parent@example.org' },
    )
    expect(booked.status).toBe(302)
    expect(await agesOf(id)).toEqual([
      { first_name: 'Sam', age_on_day: 10, school_year: 6 },
      { first_name: 'Ava', age_on_day: 10, school_year: 5 },
    ])
    expect(await pageWords(`/staff/activities/${id}`)).not.toContain('outside this session')

    // a later time on the same day changes nothing
    const later = await staff.post(
      `/staff/activities/${id}/edit`,
      activityForm({ ...form, ...on('28', '8'), startTime: '17:00', endTime: '18:00' }),
    )
    expect(later.status).toBe(302)
    expect((await agesOf(id)).map((p) => p.age_on_day)).toEqual([10, 10])

    // moved a week on, past Sam's birthday and into the new school year
    const moved = await staff.post(`/staff/activities/${id}/edit`, activityForm({ ...form, ...on('4', '9') }))
    expect(moved.status).toBe(302)
    expect(await agesOf(id)).toEqual([
      { first_name: 'Sam', age_on_day: 11, school_year: 7 },
      { first_name: 'Ava', age_on_day: 10, school_year: 6 },
    ])
    const page = await pageWords(`/staff/activities/${id}`)
    expect(page).toContain('Sam (11 on the day) is booked or waiting but outside this session’s ages 5 to 10')
    expect(page).toContain('Check with the family.')
    expect(page).not.toContain('Ava (10 on the day)')

    // moved back, Sam is 10 again and the warning goes
    const back = await staff.post(`/staff/activities/${id}/edit`, activityForm({ ...form, ...on('28', '8') }))
    expect(back.status).toBe(302)
    expect(await agesOf(id)).toEqual([
      { first_name: 'Sam', age_on_day: 10, school_year: 6 },
      { first_name: 'Ava', age_on_day: 10, school_year: 5 },
    ])
    expect(await pageWords(`/staff/activities/${id}`)).not.toContain('outside this session')
  })

  it('shows staff children outside new ages when the ages are narrowed, naming each family once', async () => {
    const form = { title: 'Narrowed ages', minAge: '5', maxAge: '11', ...on('10', '7') }
    const id = await publishActivity(service, form)
    // On 10 July Leo is 6 and Mia 9; Noor, of another family, is 6.
    expect(
      (
        await confirmBooking(
          service.client(),
          id,
          [
            { firstName: 'Leo', dob: born(6, '01-02') },
            { firstName: 'Mia', dob: born(9, '03-04') },
          ],
          { email: 'leo.parent@example.org' },
        )
      ).status,
    ).toBe(302)
    expect(
      (
        await confirmBooking(service.client(), id, [{ firstName: 'Noor', dob: born(6, '02-03') }], {
          email: 'noor.parent@example.org',
        })
      ).status,
    ).toBe(302)
    const narrowed = await staff.post(`/staff/activities/${id}/edit`, activityForm({ ...form, minAge: '8' }))
    expect(narrowed.status).toBe(302)
    const page = await pageWords(`/staff/activities/${id}`)
    expect(page).toContain(
      'Leo (6 on the day) and Noor (6 on the day) are booked or waiting but outside this session’s ages 8 to 11',
    )
    expect(page).toContain('Check with their families.')
    expect(page).not.toContain('Mia (9 on the day)')
  })

  it('passes over a waiting child outside the session’s new ages, for the next family that fits', async () => {
    const form = { title: 'Narrowed waiting list', capacity: '1', minAge: '5', maxAge: '11', ...on('12', '7') }
    const id = await publishActivity(service, form)
    // On 12 July: Ola (booked) is 10; Pia, 7, and then Rex, 10, wait.
    const booked = await confirmBooking(service.client(), id, [{ firstName: 'Ola', dob: born(10, '01-05') }], {
      email: 'ola.parent@example.org',
    })
    await confirmBooking(service.client(), id, [{ firstName: 'Pia', dob: born(7, '01-06') }], {
      email: 'pia.parent@example.org',
    })
    await confirmBooking(service.client(), id, [{ firstName: 'Rex', dob: born(10, '01-07') }], {
      email: 'rex.parent@example.org',
    })
    expect(await statusesOf(id)).toEqual({ Ola: 'confirmed', Pia: 'waitlisted', Rex: 'waitlisted' })
    expect((await staff.post(`/staff/activities/${id}/edit`, activityForm({ ...form, minAge: '8' }))).status).toBe(302)

    const manage = new URL(booked.headers.get('location')!, service.url)
    const reference = manage.pathname.split('/').at(-1)!
    const cancelled = await service
      .client()
      .post(`/bookings/${reference}`, { token: manage.searchParams.get('token')!, intent: 'confirm-cancel-all' })
    expect(cancelled.status).toBe(302)
    // Pia (7) is first in the queue but outside 8 to 11: Rex gets the space, Pia keeps waiting
    expect(await statusesOf(id)).toEqual({ Ola: 'cancelled', Pia: 'waitlisted', Rex: 'confirmed' })
    expect(await pageWords(`/staff/activities/${id}`)).toContain(
      'Pia (7 on the day) is booked or waiting but outside this session’s ages 8 to 11',
    )
  })
})
