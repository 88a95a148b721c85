// "Your bookings" for a signed-in family and its private calendar feed, over real HTTP: each
// child's places with their status in words, the joining link only where a confirmed family has a
// confirmed place on a published session, cancelling through check pages (the waiting list moves
// up), support needs changed for upcoming places, invites, and the secret, revocable feed (read
// with ical.js). Families and their bookings are written as the service writes them
// (tests/support/family.ts, tests/support/family-booking.ts).
import crypto from 'node:crypto'
import type ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmLinkOf, postBooking } from '../support/booking'
import { readCalendar } from '../support/calendar'
import { createFamily, signInFamilyDirectly } from '../support/family'
import { bookForFamily, type PlaceState } from '../support/family-booking'
import { activityForm, startTestService, type HttpClient, type TestService } from '../support/service'
import { words } from '../support/page-words'

let service: TestService
let staff: HttpClient

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
  staff = await service.signedIn('staff')
})

afterAll(async () => {
  await service?.close()
})

const DAY_MS = 86_400_000
// Aged about 8 on any session within a few months, whenever the suite runs.
const DOB = new Date(Date.now() - 8.5 * 365.25 * DAY_MS).toISOString().slice(0, 10)

/** "Tuesday 5 January 2027" for a calendar date, written out by Intl here, not by the app's formatter. */
function dayInWords(year: number, month: number, day: number): string {
  const at = new Date(Date.UTC(year, month - 1, day, 12))
  const part = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...options }).format(at)
  return `${part({ weekday: 'long' })} ${part({ day: 'numeric' })} ${part({ month: 'long' })} ${part({ year: 'numeric' })}`
}

let sessions = 0
interface Session {
  id: number
  title: string
  /** the date in words, as the page should say it */
  day: string
  joinUrl: string
}

/**
 * Publishes a session from 4pm to 5pm London time, `daysAhead` days from now (its London date
 * is the UTC date then), with a joining link of its own so a page can be searched for it.
 */
async function publishSession(
  title: string,
  daysAhead: number,
  overrides: Record<string, string> = {},
): Promise<Session> {
  sessions += 1
  const at = new Date(Date.now() + daysAhead * DAY_MS)
  const [y, m, d] = [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()]
  const secret = `FAMILY-${sessions}-${crypto.randomUUID().slice(0, 8)}`
  const joinUrl = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${secret}%40thread.v2/0`
  const response = await staff.post(
    '/staff/activities/new',
    activityForm({
      title: `${title} ${sessions}`,
      'date-day': String(d),
      'date-month': String(m),
      'date-year': String(y),
      startTime: '16:00',
      endTime: '17:00',
      joinUrl,
      ...overrides,
    }),
  )
  const match = /\/staff\/activities\/(\d+)/.exec(response.headers.get('location') ?? '')
  if (!match) throw new Error(`could not publish: ${response.status} ${await response.text()}`)
  return { id: Number(match[1]), title: `${title} ${sessions}`, day: dayInWords(y, m, d), joinUrl }
}

/** Moves a published session into the past: it started `daysAgo` days ago, at this hour UTC. */
async function moveIntoPast(session: Session, daysAgo: number): Promise<Session> {
  const at = new Date(Date.now() - daysAgo * DAY_MS)
  const starts = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), 12))
  await service.database.db
    .updateTable('activity')
    .set({
      starts_at: starts.toISOString(),
      ends_at: new Date(starts.getTime() + 3_600_000).toISOString(),
      booking_closes_at: new Date(starts.getTime() - 3_600_000).toISOString(),
    })
    .where('id', '=', session.id)
    .execute()
  return { ...session, day: dayInWords(starts.getUTCFullYear(), starts.getUTCMonth() + 1, starts.getUTCDate()) }
}

interface Family {
  familyId: number
  email: string
  childIds: number[]
}

async function family(names: string[], spec: { confirmedAt?: string | null } = {}): Promise<Family> {
  return createFamily(service.database.db, {
    ...spec,
    children: names.map((firstName) => ({ firstName, dob: DOB })),
  })
}

async function signedIn(f: Family): Promise<HttpClient> {
  const client = service.client()
  await signInFamilyDirectly(service.database.db, client, f.familyId)
  return client
}

/** A booking for some of a family's children on a session, in the states given. */
async function bookFor(
  f: Family,
  session: Session,
  places: Array<{ child: number; status: PlaceState }>,
  options: { holdReason?: 'address' | 'approval' } = {},
) {
  return bookForFamily(service.database.db, f, session.id, places, options)
}

async function statuses(activityId: number): Promise<string[]> {
  const rows = await service.database.db
    .selectFrom('place')
    .select(['first_name', 'status'])
    .where('activity_id', '=', activityId)
    .orderBy('id')
    .execute()
  return rows.map((r) => `${r.first_name}: ${r.status}`)
}

async function outboxOf(activityId: number): Promise<string[]> {
  const rows = await service.database.db
    .selectFrom('outbox')
    .select(['kind', 'to_address'])
    .where('activity_id', '=', activityId)
    .orderBy('id')
    .execute()
  return rows.map((r) => `${r.kind} to ${r.to_address}`)
}

describe('your bookings', () => {
  it('sends someone not signed in to sign in, and back here afterwards', async () => {
    const response = await service.client().get('/family/bookings')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/family/sign-in?redirectTo=%2Ffamily%2Fbookings')
  })

  it('shows a booking made through the booking form: held until the address is confirmed, then confirmed with the link', async () => {
    const session = await publishSession('Pottery', 20)
    const email = `form-${crypto.randomUUID().slice(0, 8)}@example.org`
    const parent = service.client()
    const posted = await postBooking(
      parent,
      session.id,
      [
        { firstName: 'Sam', dob: DOB },
        { firstName: 'Ava', dob: DOB },
      ],
      { email },
    )
    expect(posted.status).toBe(302)
    const reference = /JN-[A-Z0-9]{5}/.exec(posted.headers.get('location') ?? '')![0]
    const link = await confirmLinkOf(service.url, reference)
    expect(link).toMatch(/^\/family\/confirm\//)
    // the confirm link signs this device in
    expect((await parent.post(link!, {})).status).toBeLessThan(500)
    expect(parent.cookies.has('join-in-family')).toBe(true)
    const page = await (await parent.get('/family/bookings')).text()
    const upcoming = words(page)
    expect(upcoming).toContain(`${session.title} ${session.day}, 4pm to 5pm (UK time)`)
    expect(upcoming).toContain('Sam Confirmed')
    expect(upcoming).toContain('Ava Confirmed')
    expect(page).toContain(session.joinUrl)
    expect(page).toContain(`/family/bookings/${reference}/invite.ics`)
  })

  it("stops the link the form's page gave once the address's owner confirms: someone who typed another's address never sees the joining link", async () => {
    const session = await publishSession('Weaving', 20)
    const email = `owner-${crypto.randomUUID().slice(0, 8)}@example.org`
    const stranger = service.client()
    const posted = await postBooking(stranger, session.id, [{ firstName: 'Xan', dob: DOB }], { email })
    expect(posted.status).toBe(302)
    const pageLink = posted.headers.get('location')!
    const reference = /JN-[A-Z0-9]{5}/.exec(pageLink)![0]
    const token = new URL(pageLink, service.url).searchParams.get('token')!
    const before = await stranger.get(pageLink)
    expect(before.status).toBe(200)
    expect(await before.text()).not.toContain(session.joinUrl)

    // The address's owner opens the link in the email and confirms.
    const owner = service.client()
    expect((await owner.post((await confirmLinkOf(service.url, reference))!, {})).status).toBe(302)
    expect(words(await (await owner.get('/family/bookings')).text())).toContain('Xan Confirmed')

    const after = await stranger.get(pageLink)
    expect(after.status).toBe(404)
    expect(await after.text()).not.toContain(session.joinUrl)
    const invite = await stranger.get(`/bookings/${reference}/invite.ics?token=${encodeURIComponent(token)}`)
    expect(invite.status).toBe(404)
    const cancel = await stranger.post(`/bookings/${reference}`, { token, intent: 'confirm-cancel-all' })
    expect(cancel.status).toBe(404)
    const places = await service.database.db
      .selectFrom('place')
      .innerJoin('booking', 'booking.id', 'place.booking_id')
      .select('place.status')
      .where('booking.reference', '=', reference)
      .execute()
    expect(places).toEqual([{ status: 'confirmed' }])
  })

  it('gives a removed child its places back when added again, so it is never offered the same session twice', async () => {
    const session = await publishSession('Drumming', 20)
    const later = await publishSession('Drawing', 21)
    const f = await family(['Ava', 'Ben'])
    const { placeIds } = await bookFor(f, session, [{ child: 0, status: 'confirmed' }])
    const client = await signedIn(f)
    expect((await client.post(`/family/children/${f.childIds[0]}/remove`, {})).status).toBe(302)
    const [year, month, day] = DOB.split('-')
    const added = await client.post('/family/children/new', {
      firstName: ' ava ',
      'dob-day': String(Number(day)),
      'dob-month': String(Number(month)),
      'dob-year': year!,
      supportNeeds: '',
      consentPhotos: 'no',
      consentNameVisible: 'no',
      consentCamera: 'yes',
    })
    expect(added.status).toBe(302)
    const ava = await service.database.db
      .selectFrom('child')
      .select('id')
      .where('family_id', '=', f.familyId)
      .where('first_name', '=', 'ava')
      .executeTakeFirstOrThrow()
    expect(ava.id).not.toBe(f.childIds[0])

    expect(words(await (await client.get(`/activities/${session.id}`)).text())).toContain(
      'ava already has a place on this session',
    )
    // Only that session: she can still be booked on another, and Ben on this one.
    const laterPage = words(await (await client.get(`/activities/${later.id}`)).text())
    expect(laterPage).not.toContain('already has a place')
    const place = await service.database.db
      .selectFrom('place')
      .select(['child_id', 'child_key', 'status'])
      .where('id', '=', placeIds[0]!)
      .executeTakeFirstOrThrow()
    expect(place).toEqual({ child_id: ava.id, child_key: `child:${ava.id}`, status: 'confirmed' })
  })

  it("says on the booking's page what its places wait for: staff approval, or the address to stay on the waiting list; a cancelled booking is not news", async () => {
    const session = await publishSession('Clay', 20)
    const ama = await family(['Ama'])
    const { reference } = await bookFor(ama, session, [{ child: 0, status: 'held' }], { holdReason: 'approval' })
    // its own booking opens for the family signed in on this device
    const approval = words(await (await (await signedIn(ama)).get(`/bookings/${reference}?token=x&new=1`)).text())
    expect(approval).toContain('Booking received: awaiting approval')
    expect(approval).toContain('Ama Held: awaiting approval')
    expect(approval).not.toContain('confirm your email address')

    const full = await publishSession('Full clay', 20, { capacity: '1' })
    await bookFor(ama, full, [{ child: 0, status: 'confirmed' }])
    const email = `waiting-${crypto.randomUUID().slice(0, 8)}@example.org`
    const client = service.client()
    const posted = await postBooking(client, full.id, [{ firstName: 'Wes', dob: DOB }], { email })
    const pageLink = posted.headers.get('location')!
    const waiting = words(await (await client.get(pageLink)).text())
    expect(waiting).toContain('Check your email to confirm your booking')
    expect(waiting).toContain('to stay on the waiting list')
    expect(waiting).not.toContain('We are holding the places')
    const held = await service.database.db
      .selectFrom('outbox')
      .select('text_body')
      .where('to_address', '=', email)
      .where('kind', '=', 'held')
      .executeTakeFirstOrThrow()
    expect(held.text_body).toContain('To stay on the waiting list, confirm your email address by')
    expect(held.text_body).not.toContain('To keep this place')
    // nothing is held for Wes: if the booking was not theirs, Wes leaves the waiting list
    expect(held.text_body).toContain('you do not need to do anything: Wes will be taken off the waiting list')
    expect(held.text_body).not.toContain('released')

    const token = new URL(pageLink, service.url).searchParams.get('token')!
    const ref = /JN-[A-Z0-9]{5}/.exec(pageLink)![0]
    expect((await client.post(`/bookings/${ref}`, { token, intent: 'confirm-cancel-all' })).status).toBe(302)
    const after = words(await (await client.get(pageLink)).text())
    expect(after).toContain(`Your booking ${ref}`)
    expect(after).toContain('Wes Cancelled')
    expect(after).not.toContain('Check your email to confirm your booking')
    expect(after).not.toContain('You are on the waiting list')
    // and the emailed link to confirm says there is nothing left to confirm
    const confirmPage = await service.client().get((await confirmLinkOf(service.url, ref))!)
    const confirmWords = words(await confirmPage.text())
    expect(confirmWords).toContain('This booking has been cancelled')
    expect(confirmWords).not.toContain('Confirm booking')
  })

  it("lists each child's upcoming and past sessions with the date in words, UK time and status", async () => {
    const f = await family(['Sam', 'Ava'])
    const other = await family(['Zed'])
    const painting = await publishSession('Painting', 20)
    const drumming = await publishSession('Drumming', 27)
    const cooking = await publishSession('Cooking', 34)
    const lego = await moveIntoPast(await publishSession('Lego', 41), 12)
    await bookFor(f, painting, [
      { child: 0, status: 'confirmed' },
      { child: 1, status: 'waitlisted' },
    ])
    await bookFor(f, drumming, [{ child: 0, status: 'held' }], { holdReason: 'address' })
    await bookFor(f, cooking, [{ child: 1, status: 'held' }], { holdReason: 'approval' })
    await bookFor(f, lego, [{ child: 1, status: 'confirmed' }])
    await bookFor(f, await publishSession('Dance', 48), [{ child: 0, status: 'cancelled' }])
    await bookFor(other, painting, [{ child: 0, status: 'confirmed' }])

    const response = await (await signedIn(f)).get('/family/bookings')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toContain('no-store')
    const page = words(await response.text())
    expect(page).toContain('Your bookings')
    const upcoming = page.slice(page.indexOf('Upcoming sessions'), page.indexOf('Past sessions'))
    const past = page.slice(page.indexOf('Past sessions'))
    expect(upcoming).toContain(`${painting.title} ${painting.day}, 4pm to 5pm (UK time)`)
    expect(upcoming).toContain('Sam Confirmed')
    expect(upcoming).toContain('Ava Waiting list')
    expect(upcoming).toContain(`${drumming.title} ${drumming.day}, 4pm to 5pm (UK time)`)
    expect(upcoming).toContain('Sam Held: confirm your email address')
    expect(upcoming).toContain(`${cooking.title} ${cooking.day}, 4pm to 5pm (UK time)`)
    expect(upcoming).toContain('Ava Awaiting approval')
    expect(upcoming).toContain('Sam Cancelled')
    // soonest first
    expect(upcoming.indexOf(painting.title)).toBeLessThan(upcoming.indexOf(drumming.title))
    expect(upcoming.indexOf(drumming.title)).toBeLessThan(upcoming.indexOf(cooking.title))
    expect(upcoming).not.toContain(lego.title)
    expect(past).toContain(`${lego.title} ${lego.day}`)
    expect(past).toContain('Ava Confirmed')
    // another family's child on the same session is not theirs to see
    expect(page).not.toContain('Zed')
  })

  it('shows the joining link only for a confirmed place of a confirmed family on a published session', async () => {
    const f = await family(['Sam', 'Ava'])
    const confirmed = await publishSession('Puppets', 20)
    const waitlisted = await publishSession('Poetry', 21)
    const held = await publishSession('Pottery', 22)
    const cancelledPlace = await publishSession('Piano', 23)
    const cancelledSession = await publishSession('Pilates', 24)
    await bookFor(f, confirmed, [
      { child: 0, status: 'confirmed' },
      { child: 1, status: 'waitlisted' },
    ])
    await bookFor(f, waitlisted, [{ child: 0, status: 'waitlisted' }])
    await bookFor(f, held, [{ child: 0, status: 'held' }], { holdReason: 'address' })
    await bookFor(f, cancelledPlace, [{ child: 0, status: 'cancelled' }])
    await bookFor(f, cancelledSession, [{ child: 0, status: 'confirmed' }])
    await service.database.db
      .updateTable('activity')
      .set({ status: 'cancelled' })
      .where('id', '=', cancelledSession.id)
      .execute()

    const page = await (await (await signedIn(f)).get('/family/bookings')).text()
    expect(page).toContain(confirmed.joinUrl)
    for (const s of [waitlisted, held, cancelledPlace, cancelledSession]) expect(page).not.toContain(s.joinUrl)
    expect(words(page)).toContain(`${cancelledSession.title} has been cancelled by the team`)

    // A family whose address is not confirmed never sees it, even for a confirmed place.
    const unconfirmed = await family(['Kit'], { confirmedAt: null })
    const unconfirmedSession = await publishSession('Pirates', 25)
    await bookFor(unconfirmed, unconfirmedSession, [{ child: 0, status: 'confirmed' }])
    const theirs = await (await (await signedIn(unconfirmed)).get('/family/bookings')).text()
    expect(words(theirs)).toContain(unconfirmedSession.title)
    expect(theirs).not.toContain(unconfirmedSession.joinUrl)
    expect(words(theirs)).toContain('Confirm your email address')
  })
})

describe('cancelling from your bookings', () => {
  it("cancels one child's place and then the whole booking through check pages, and the waiting list moves up", async () => {
    const f = await family(['Sam', 'Ava'])
    const cara = await family(['Cara'])
    const dan = await family(['Dan'])
    const session = await publishSession('Juggling', 20, { capacity: '2' })
    const { reference, placeIds } = await bookFor(f, session, [
      { child: 0, status: 'confirmed' },
      { child: 1, status: 'confirmed' },
    ])
    await bookFor(cara, session, [{ child: 0, status: 'waitlisted' }])
    await bookFor(dan, session, [{ child: 0, status: 'waitlisted' }])
    const parent = await signedIn(f)

    const list = words(await (await parent.get('/family/bookings')).text())
    expect(list).toContain("Cancel Sam's place")
    expect(list).toContain('Cancel the whole booking')

    const checkPath = `/family/bookings/${reference}/cancel?place=${placeIds[0]}`
    const check = await parent.get(checkPath)
    expect(check.status).toBe(200)
    expect(check.headers.get('cache-control')).toContain('no-store')
    const checkPage = words(await check.text())
    expect(checkPage).toContain(`Are you sure you want to cancel Sam's place on ${session.title}?`)
    expect(checkPage).toContain(`Sam's place on ${session.title}, ${session.day}, will be cancelled.`)
    expect(checkPage).toContain("Yes, cancel Sam's place")
    expect(checkPage).toContain("No, keep Sam's place")
    // looking changes nothing
    expect(await statuses(session.id)).toEqual([
      'Sam: confirmed',
      'Ava: confirmed',
      'Cara: waitlisted',
      'Dan: waitlisted',
    ])

    const done = await parent.post(checkPath, { intent: 'confirm', place: String(placeIds[0]) })
    expect(done.status).toBe(302)
    expect(await statuses(session.id)).toEqual([
      'Sam: cancelled',
      'Ava: confirmed',
      'Cara: confirmed',
      'Dan: waitlisted',
    ])
    expect(await outboxOf(session.id)).toEqual([`cancellation to ${f.email}`, `place-offered to ${cara.email}`])
    const after = words(await (await parent.get(done.headers.get('location')!)).text())
    expect(after).toContain(
      `Sam's place on ${session.title}, ${session.day}, is cancelled. We have emailed you to confirm.`,
    )

    // the same confirm posted again (a double click, a back button) does nothing more
    const again = await parent.post(checkPath, { intent: 'confirm', place: String(placeIds[0]) })
    expect(again.status).toBe(200)
    expect(words(await again.text())).toContain(
      `Sam's place on ${session.title}, ${session.day}, was already cancelled`,
    )
    expect(await outboxOf(session.id)).toHaveLength(2)

    const wholePath = `/family/bookings/${reference}/cancel`
    const whole = words(await (await parent.get(wholePath)).text())
    expect(whole).toContain(`Are you sure you want to cancel the whole booking for ${session.title}?`)
    // only what is still live is named
    expect(whole).toContain(`Ava's place on ${session.title}, ${session.day}, will be cancelled.`)
    const wholeDone = await parent.post(wholePath, { intent: 'confirm' })
    expect(wholeDone.status).toBe(302)
    expect(await statuses(session.id)).toEqual([
      'Sam: cancelled',
      'Ava: cancelled',
      'Cara: confirmed',
      'Dan: confirmed',
    ])
    expect(await outboxOf(session.id)).toEqual([
      `cancellation to ${f.email}`,
      `place-offered to ${cara.email}`,
      `cancellation to ${f.email}`,
      `place-offered to ${dan.email}`,
    ])
    const wholeAgain = await parent.post(wholePath, { intent: 'confirm' })
    expect(wholeAgain.status).toBe(200)
    expect(words(await wholeAgain.text())).toContain('This booking was already cancelled')
    expect(await outboxOf(session.id)).toHaveLength(4)
  })

  it('gives the space of a held place cancelled to the waiting list, since a held place counts against capacity', async () => {
    const f = await family(['Sam', 'Ava'])
    const cara = await family(['Cara'])
    const session = await publishSession('Clay', 20, { capacity: '2' })
    const { reference, placeIds } = await bookFor(
      f,
      session,
      [
        { child: 0, status: 'held' },
        { child: 1, status: 'held' },
      ],
      { holdReason: 'address' },
    )
    await bookFor(cara, session, [{ child: 0, status: 'waitlisted' }])
    const parent = await signedIn(f)
    const path = `/family/bookings/${reference}/cancel?place=${placeIds[0]}`
    const check = words(await (await parent.get(path)).text())
    expect(check).toContain('The space goes to the next child on the waiting list')
    expect((await parent.post(path, { intent: 'confirm', place: String(placeIds[0]) })).status).toBe(302)
    expect(await statuses(session.id)).toEqual(['Sam: cancelled', 'Ava: held', 'Cara: confirmed'])
  })

  it('says a session that has started can no longer be cancelled here, and changes nothing', async () => {
    const f = await family(['Sam'])
    // started an hour ago, ends in two: upcoming, but no longer cancellable
    const session = await publishSession('Karate', 20)
    await service.database.db
      .updateTable('activity')
      .set({
        starts_at: new Date(Date.now() - 3_600_000).toISOString(),
        ends_at: new Date(Date.now() + 2 * 3_600_000).toISOString(),
        booking_closes_at: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      })
      .where('id', '=', session.id)
      .execute()
    const { reference, placeIds } = await bookFor(f, session, [{ child: 0, status: 'confirmed' }])
    const parent = await signedIn(f)
    const list = words(await (await parent.get('/family/bookings')).text())
    expect(list).toContain(session.title)
    expect(list).not.toContain("Cancel Sam's place")
    const path = `/family/bookings/${reference}/cancel?place=${placeIds[0]}`
    for (const response of [await parent.get(path), await parent.post(path, { intent: 'confirm' })]) {
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/family/bookings?notice=too-late')
    }
    expect(words(await (await parent.get('/family/bookings?notice=too-late')).text())).toContain(
      'The session has started, so places can no longer be cancelled here.',
    )
    expect(await statuses(session.id)).toEqual(['Sam: confirmed'])
  })

  it('offers nothing to cancel on a session the team cancelled, and sends no email for it', async () => {
    const f = await family(['Sam'])
    const session = await publishSession('Fencing', 20)
    const { reference, placeIds } = await bookFor(f, session, [{ child: 0, status: 'confirmed' }])
    await service.database.db
      .updateTable('activity')
      .set({ status: 'cancelled' })
      .where('id', '=', session.id)
      .execute()
    const parent = await signedIn(f)
    expect(words(await (await parent.get('/family/bookings')).text())).not.toContain("Cancel Sam's place")
    const path = `/family/bookings/${reference}/cancel?place=${placeIds[0]}`
    const check = await parent.get(path)
    expect(check.status).toBe(200)
    expect(words(await check.text())).toContain(
      `Sam's place on ${session.title}, ${session.day}, was already cancelled`,
    )
    const posted = await parent.post(path, { intent: 'confirm', place: String(placeIds[0]) })
    expect(posted.status).toBe(200)
    expect(await outboxOf(session.id)).toEqual([])
  })

  it("answers 404 for another family's booking or place, and changes nothing", async () => {
    const f = await family(['Sam'])
    const other = await family(['Zed', 'Yas'])
    const session = await publishSession('Origami', 20)
    const mine = await bookFor(f, session, [{ child: 0, status: 'confirmed' }])
    const theirs = await bookFor(other, session, [
      { child: 0, status: 'confirmed' },
      { child: 1, status: 'confirmed' },
    ])
    const parent = await signedIn(f)
    const attempts: Array<[string, string, Record<string, string>?]> = [
      ['GET', `/family/bookings/${theirs.reference}/cancel`],
      ['GET', `/family/bookings/${theirs.reference}/cancel?place=${theirs.placeIds[0]}`],
      ['POST', `/family/bookings/${theirs.reference}/cancel`, { intent: 'confirm' }],
      ['POST', `/family/bookings/${theirs.reference}/cancel`, { intent: 'confirm', place: String(theirs.placeIds[0]) }],
      // their place under my booking's reference
      ['GET', `/family/bookings/${mine.reference}/cancel?place=${theirs.placeIds[0]}`],
      ['POST', `/family/bookings/${mine.reference}/cancel`, { intent: 'confirm', place: String(theirs.placeIds[0]) }],
      ['GET', `/family/bookings/${theirs.reference}/invite.ics`],
      // bad input is a 404 too, never a 500
      ['GET', '/family/bookings/JN-00000/cancel'],
      ['GET', '/family/bookings/not-a-reference/cancel'],
      ['GET', `/family/bookings/${mine.reference}/cancel?place=abc`],
      ['GET', `/family/bookings/${mine.reference}/cancel?place=99999999999999999999999`],
      ['GET', `/family/bookings/${'J'.repeat(5000)}/invite.ics`],
    ]
    for (const [method, path, form] of attempts) {
      const response = method === 'GET' ? await parent.get(path) : await parent.post(path, form ?? {})
      expect(`${method} ${path} → ${response.status}`).toBe(`${method} ${path} → 404`)
      expect(words(await response.text())).not.toContain('Zed')
    }
    // a family's own child id posted for someone else's child
    const needs = await parent.post('/family/bookings', {
      intent: 'support-needs',
      childId: String(other.childIds[0]),
      supportNeeds: 'Changed by a stranger',
    })
    expect(needs.status).toBe(404)
    expect(await statuses(session.id)).toEqual(['Sam: confirmed', 'Zed: confirmed', 'Yas: confirmed'])
    const zed = await service.database.db
      .selectFrom('child')
      .select('support_needs')
      .where('id', '=', other.childIds[0]!)
      .executeTakeFirstOrThrow()
    expect(zed.support_needs).toBeNull()
    expect(await outboxOf(session.id)).toEqual([])
  })

  it('answers a cancel posted without being signed in by sending them to sign in, and changes nothing', async () => {
    const f = await family(['Sam'])
    const session = await publishSession('Knitting', 20)
    const { reference } = await bookFor(f, session, [{ child: 0, status: 'confirmed' }])
    const response = await service.client().post(`/family/bookings/${reference}/cancel`, { intent: 'confirm' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toMatch(/^\/family\/sign-in\?redirectTo=/)
    expect(await statuses(session.id)).toEqual(['Sam: confirmed'])
  })
})

describe("changing a child's support needs", () => {
  it("changes them on the child and on the child's upcoming places, not past or other children's", async () => {
    const f = await family(['Sam', 'Ava'])
    const upcoming = await publishSession('Baking', 20)
    const later = await publishSession('Yoga', 30)
    const past = await moveIntoPast(await publishSession('Chess', 40), 5)
    await bookFor(f, upcoming, [
      { child: 0, status: 'confirmed' },
      { child: 1, status: 'confirmed' },
    ])
    await bookFor(f, later, [{ child: 0, status: 'waitlisted' }])
    await bookFor(f, past, [{ child: 0, status: 'confirmed' }])
    const parent = await signedIn(f)

    const response = await parent.post('/family/bookings', {
      intent: 'support-needs',
      childId: String(f.childIds[0]),
      supportNeeds: 'Needs captions on the call',
    })
    expect(response.status).toBe(302)
    const page = words(await (await parent.get(response.headers.get('location')!)).text())
    expect(page).toContain("Sam's support needs are saved")
    const db = service.database.db
    const children = await db
      .selectFrom('child')
      .select(['first_name', 'support_needs'])
      .where('family_id', '=', f.familyId)
      .orderBy('id')
      .execute()
    expect(children).toEqual([
      { first_name: 'Sam', support_needs: 'Needs captions on the call' },
      { first_name: 'Ava', support_needs: null },
    ])
    const places = await db
      .selectFrom('place')
      .innerJoin('activity', 'activity.id', 'place.activity_id')
      .select(['activity.title', 'place.first_name', 'place.support_needs'])
      .where('place.family_id', '=', f.familyId)
      .orderBy('place.id')
      .execute()
    expect(places).toEqual([
      { title: upcoming.title, first_name: 'Sam', support_needs: 'Needs captions on the call' },
      { title: upcoming.title, first_name: 'Ava', support_needs: null },
      { title: later.title, first_name: 'Sam', support_needs: 'Needs captions on the call' },
      { title: past.title, first_name: 'Sam', support_needs: null },
    ])

    // emptied: none
    const cleared = await parent.post('/family/bookings', {
      intent: 'support-needs',
      childId: String(f.childIds[0]),
      supportNeeds: '   ',
    })
    expect(cleared.status).toBe(302)
    const sam = await db
      .selectFrom('child')
      .select('support_needs')
      .where('id', '=', f.childIds[0]!)
      .executeTakeFirstOrThrow()
    expect(sam.support_needs).toBeNull()
  })

  it('refuses support needs over 1,000 characters with a GOV.UK error, keeping what was typed', async () => {
    const f = await family(['Sam'])
    const parent = await signedIn(f)
    const long = 'a'.repeat(1001)
    const response = await parent.post('/family/bookings', {
      intent: 'support-needs',
      childId: String(f.childIds[0]),
      supportNeeds: long,
    })
    expect(response.status).toBe(400)
    const html = await response.text()
    const field = `supportNeeds-${f.childIds[0]}`
    expect(html).toContain('There is a problem')
    expect(html).toContain(`href="#${field}"`)
    expect(words(html)).toContain('Support needs must be 1,000 characters or fewer')
    expect(html).toContain(`id="${field}-error"`)
    expect(html).toMatch(new RegExp(`<textarea[^>]*id="${field}"[^>]*>${long}</textarea>`))
    const sam = await service.database.db
      .selectFrom('child')
      .select('support_needs')
      .where('id', '=', f.childIds[0]!)
      .executeTakeFirstOrThrow()
    expect(sam.support_needs).toBeNull()
    // nonsense is a 400 page, never a 500
    const nonsense: Array<Record<string, string>> = [
      { intent: 'support-needs', childId: 'x' },
      { intent: 'nonsense' },
      {},
    ]
    for (const form of nonsense) {
      expect((await parent.post('/family/bookings', form)).status).toBe(400)
    }
  })
})

describe('calendar invites from your bookings', () => {
  it('downloads an invite for a confirmed booking with the same UID as the emailed one, and none otherwise', async () => {
    const f = await family(['Sam', 'Ava'])
    const session = await publishSession('Magic', 20)
    const waiting = await publishSession('Mosaics', 21)
    const held = await publishSession('Masks', 22)
    const booked = await bookFor(f, session, [
      { child: 0, status: 'confirmed' },
      { child: 1, status: 'waitlisted' },
    ])
    const waitlisted = await bookFor(f, waiting, [{ child: 0, status: 'waitlisted' }])
    const heldBooking = await bookFor(f, held, [{ child: 0, status: 'held' }], { holdReason: 'address' })
    await service.database.db
      .updateTable('booking')
      .set({ invite_sequence: 3 })
      .where('id', '=', booked.bookingId)
      .execute()
    const parent = await signedIn(f)

    const page = await (await parent.get('/family/bookings')).text()
    expect(page).toContain(`href="/family/bookings/${booked.reference}/invite.ics"`)
    expect(page).not.toContain(`/family/bookings/${waitlisted.reference}/invite.ics`)
    expect(page).not.toContain(`/family/bookings/${heldBooking.reference}/invite.ics`)

    const response = await parent.get(`/family/bookings/${booked.reference}/invite.ics`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/calendar')
    expect(response.headers.get('cache-control')).toContain('no-store')
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${booked.reference}.ics"`)
    const calendar = readCalendar(await response.text())
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST')
    const event = calendar.getFirstSubcomponent('vevent')!
    expect(event.getFirstPropertyValue('uid')).toBe(`booking-${booked.reference}@127.0.0.1`)
    expect(event.getFirstPropertyValue('sequence')).toBe(3)
    expect(event.getFirstPropertyValue('summary')).toBe(session.title)
    expect(String(event.getFirstPropertyValue('description'))).toContain(session.joinUrl)

    for (const ref of [waitlisted.reference, heldBooking.reference]) {
      expect((await parent.get(`/family/bookings/${ref}/invite.ics`)).status).toBe(404)
    }
    // a family whose address is not confirmed gets no invite, even for a confirmed place
    const unconfirmed = await family(['Kit'], { confirmedAt: null })
    const theirs = await bookFor(unconfirmed, session, [{ child: 0, status: 'confirmed' }])
    expect((await (await signedIn(unconfirmed)).get(`/family/bookings/${theirs.reference}/invite.ics`)).status).toBe(
      404,
    )
    // signed out: no invite
    expect((await service.client().get(`/family/bookings/${booked.reference}/invite.ics`)).status).toBe(302)
  })
})

describe('the private calendar feed', () => {
  function feedPath(html: string): string {
    const match = /\/family\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(html)
    if (!match) throw new Error('no calendar link on the page')
    return match[0]
  }

  function uids(calendar: ICAL.Component): string[] {
    return calendar
      .getAllSubcomponents('vevent')
      .map((e) => String(e.getFirstPropertyValue('uid')))
      .sort()
  }

  it("holds only the family's confirmed places on published, upcoming and recent sessions, with their joining links", async () => {
    const f = await family(['Sam', 'Ava'])
    const other = await family(['Zed'])
    const soon = await publishSession('Robots', 20)
    const later = await publishSession('Rockets', 40)
    const recent = await moveIntoPast(await publishSession('Rafts', 50), 3)
    const longAgo = await moveIntoPast(await publishSession('Rhymes', 50), 120)
    const waiting = await publishSession('Riddles', 21)
    const held = await publishSession('Rugby', 22)
    const cancelledPlace = await publishSession('Rowing', 23)
    const cancelledSession = await publishSession('Running', 24)
    const theirs = await publishSession('Reading', 25)
    const expected = [
      await bookFor(f, soon, [
        { child: 0, status: 'confirmed' },
        { child: 1, status: 'waitlisted' },
      ]),
      await bookFor(f, later, [{ child: 1, status: 'confirmed' }]),
      await bookFor(f, recent, [{ child: 0, status: 'confirmed' }]),
    ]
    await bookFor(f, longAgo, [{ child: 0, status: 'confirmed' }])
    await bookFor(f, waiting, [{ child: 0, status: 'waitlisted' }])
    await bookFor(f, held, [{ child: 0, status: 'held' }], { holdReason: 'address' })
    await bookFor(f, cancelledPlace, [{ child: 0, status: 'cancelled' }])
    await bookFor(f, cancelledSession, [{ child: 0, status: 'confirmed' }])
    await service.database.db
      .updateTable('activity')
      .set({ status: 'cancelled' })
      .where('id', '=', cancelledSession.id)
      .execute()
    await bookFor(other, theirs, [{ child: 0, status: 'confirmed' }])
    const parent = await signedIn(f)

    const before = words(await (await parent.get('/family/calendar')).text())
    expect(before).toContain('Create a calendar link')
    const created = await parent.post('/family/calendar', { intent: 'create' })
    expect(created.status).toBe(200)
    expect(created.headers.get('cache-control')).toContain('no-store')
    const createdPage = await created.text()
    const path = feedPath(createdPage)
    expect(createdPage).toContain(`${service.url}${path}`)
    expect(words(createdPage)).toContain('Google Calendar')
    expect(words(createdPage)).toContain('Outlook')
    expect(words(createdPage)).toContain('Apple')
    // only the hash is kept
    const token = /([A-Za-z0-9_-]{43})\.ics$/.exec(path)![1]!
    const stored = await service.database.db
      .selectFrom('family')
      .select('feed_token_hash')
      .where('id', '=', f.familyId)
      .executeTakeFirstOrThrow()
    expect(stored.feed_token_hash).toBe(crypto.createHash('sha256').update(token).digest('hex'))
    // shown once: the page afterwards says a link exists, not what it is
    const shownAgain = await (await parent.get('/family/calendar')).text()
    expect(shownAgain).not.toContain(token)
    expect(words(shownAgain)).toContain('Stop this link')

    // a calendar app fetches it with no cookie
    const feed = await service.client().get(path)
    expect(feed.status).toBe(200)
    expect(feed.headers.get('content-type')).toContain('text/calendar')
    expect(feed.headers.get('cache-control')).toContain('no-store')
    const text = await feed.text()
    const calendar = readCalendar(text)
    expect(uids(calendar)).toEqual(expected.map((b) => `booking-${b.reference}@127.0.0.1`).sort())
    for (const event of calendar.getAllSubcomponents('vevent')) {
      const summary = String(event.getFirstPropertyValue('summary'))
      const session = [soon, later, recent].find((s) => s.title === summary)!
      expect(session, summary).toBeDefined()
      expect(String(event.getFirstPropertyValue('description'))).toContain(session.joinUrl)
      expect(event.getFirstPropertyValue('location')).toBe(session.joinUrl)
    }
    for (const s of [longAgo, waiting, held, cancelledPlace, cancelledSession, theirs]) {
      expect(text).not.toContain(s.title)
      expect(text).not.toContain(s.joinUrl)
    }
    // the same feed without the .ics ending, for apps that drop it
    expect((await service.client().get(path.replace(/\.ics$/, ''))).status).toBe(200)
  })

  it('holds no events while the family has not confirmed its address', async () => {
    const f = await family(['Kit'], { confirmedAt: null })
    const session = await publishSession('Raffia', 20)
    await bookFor(f, session, [{ child: 0, status: 'confirmed' }])
    const parent = await signedIn(f)
    const path = feedPath(await (await parent.post('/family/calendar', { intent: 'create' })).text())
    const feed = await service.client().get(path)
    expect(feed.status).toBe(200)
    const text = await feed.text()
    expect(readCalendar(text).getAllSubcomponents('vevent')).toHaveLength(0)
    expect(text).not.toContain(session.joinUrl)
  })

  it('stops working when stopped, and a new link replaces the old one', async () => {
    const f = await family(['Sam'])
    await bookFor(f, await publishSession('Sailing', 20), [{ child: 0, status: 'confirmed' }])
    const parent = await signedIn(f)
    const first = feedPath(await (await parent.post('/family/calendar', { intent: 'create' })).text())
    expect((await service.client().get(first)).status).toBe(200)

    const second = feedPath(await (await parent.post('/family/calendar', { intent: 'create' })).text())
    expect(second).not.toBe(first)
    expect((await service.client().get(first)).status).toBe(404)
    expect((await service.client().get(second)).status).toBe(200)

    const stopped = await parent.post('/family/calendar', { intent: 'stop' })
    expect(stopped.status).toBe(302)
    expect(words(await (await parent.get(stopped.headers.get('location')!)).text())).toContain(
      'Your calendar link has stopped working',
    )
    expect((await service.client().get(second)).status).toBe(404)
    const row = await service.database.db
      .selectFrom('family')
      .select('feed_token_hash')
      .where('id', '=', f.familyId)
      .executeTakeFirstOrThrow()
    expect(row.feed_token_hash).toBeNull()
    // stopping twice is harmless
    expect((await parent.post('/family/calendar', { intent: 'stop' })).status).toBe(302)
  })

  it('answers 404, never 500, for unknown, malformed or huge tokens, and needs a family to make one', async () => {
    const client = service.client()
    for (const path of [
      `/family/calendar/${'A'.repeat(43)}.ics`,
      `/family/calendar/${'A'.repeat(43)}`,
      '/family/calendar/short.ics',
      '/family/calendar/.ics',
      `/family/calendar/${'A'.repeat(5000)}.ics`,
      '/family/calendar/%E0%A4%A.ics',
      '/family/calendar/a%00b.ics',
      `/family/calendar/${'A'.repeat(43)}.ics.ics`,
    ]) {
      const response = await client.get(path)
      // %-escapes that do not decode make the address itself invalid: 400
      const expected = path.includes('%E0%A4%A') ? 400 : 404
      expect(`${path.slice(0, 60)} → ${response.status}`).toBe(`${path.slice(0, 60)} → ${expected}`)
    }
    const signedOut = await client.post('/family/calendar', { intent: 'create' })
    expect(signedOut.status).toBe(302)
    expect(signedOut.headers.get('location')).toMatch(/^\/family\/sign-in\?redirectTo=/)
    const f = await family(['Sam'])
    expect((await (await signedIn(f)).post('/family/calendar', { intent: 'nonsense' })).status).toBe(400)
  })
})
