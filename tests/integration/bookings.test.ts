import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { book } from '../../app/domain/bookings.server'
import {
  bookingForm,
  confirmBooking,
  confirmLinkOf,
  dobForAge,
  placeCounts,
  postBooking,
  publishActivity,
} from '../support/booking'
import { firstEvent, instantOf, londonClock, readCalendar } from '../support/calendar'
import { words } from '../support/page-words'
import { startTestService, type TestService } from '../support/service'

const SECRET = 'SECRET-LINK-123'

describe('bookings over HTTP', () => {
  let service: TestService

  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '100000' })
  })
  afterAll(async () => {
    await service?.close()
  })

  it('gives exactly 20 of 200 concurrent bookings the last 20 spaces (held until confirmed), and waitlists the rest', async () => {
    const activityId = await publishActivity(service, { capacity: '40', title: 'Last twenty' })
    // 20 spaces go first, so the race is for the last 20
    for (let i = 0; i < 20; i++) {
      const r = await confirmBooking(service.client(), activityId, [{ firstName: `Early${i}`, dob: dobForAge(8) }])
      expect(r.status).toBe(302)
    }
    // New families, not signed in: each post holds its places until the address is confirmed, and
    // a held place takes a space as a confirmed one does.
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        postBooking(service.client(), activityId, [{ firstName: `Racer${i}`, dob: dobForAge(8) }], {
          email: `racer${i}@example.org`,
        }),
      ),
    )
    expect(responses.filter((r) => r.status >= 500)).toHaveLength(0)
    expect(responses.every((r) => r.status === 302)).toBe(true)
    const counts = await placeCounts(service, activityId)
    expect(counts).toEqual({ confirmed: 20, held: 20, waitlisted: 180, cancelled: 0 })
    const bookings = await service.database.db
      .selectFrom('booking')
      .select('id')
      .where('activity_id', '=', activityId)
      .execute()
    expect(bookings).toHaveLength(220)
  })

  it('overbooks in the control run where spaces are read before the transaction (the test can fail)', async () => {
    const activityId = await publishActivity(service, { capacity: '20', title: 'Control run' })
    const links = { baseUrl: service.url, domain: 'test.invalid' }
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        book(
          service.database.db,
          {
            activityId,
            contactName: 'Racer',
            email: `racer${i}@example.org`,
            phone: null,
            authorityCode: 'E10000016',
            children: [{ firstName: `Control${i}`, dateOfBirth: dobForAge(8), supportNeeds: null }],
            mailingListOptIn: false,
            idempotencyKey: `control-run-${i}-${activityId}`,
            acceptWaitlist: true,
          },
          links,
          { maxChildren: 6, unsafeCheckOutsideTransaction: true },
        ),
      ),
    )
    const counts = await placeCounts(service, activityId)
    // form posts hold their places: more than 20 held is the overbooking
    expect((counts.confirmed ?? 0) + (counts.held ?? 0)).toBeGreaterThan(20)
  })

  it('makes one booking of the same form posted 10 times at once', async () => {
    const activityId = await publishActivity(service, { title: 'Double click' })
    const form = bookingForm([{ firstName: 'Dot', dob: dobForAge(7) }], {
      intent: 'confirm',
      idempotencyKey: 'same-key-posted-ten-times',
      whenShort: 'waitlist',
    })
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => service.client().post(`/activities/${activityId}`, form)),
    )
    expect(responses.filter((r) => r.status >= 500)).toHaveLength(0)
    expect(responses.filter((r) => r.status === 302)).toHaveLength(1)
    const counts = await placeCounts(service, activityId)
    expect(counts).toEqual({ confirmed: 0, held: 1, waitlisted: 0, cancelled: 0 })
    const again = await responses.find((r) => r.status === 200)!.text()
    expect(again).toContain('You have already booked this')
  })

  it("never tells a stranger that a child is booked, and books one family's child only once", async () => {
    const activityId = await publishActivity(service, { title: 'No doubles' })
    const first = await confirmBooking(service.client(), activityId, [{ firstName: 'Ava', dob: '2017-05-01' }])
    expect(first.status).toBe(302)
    // Someone else types the same first name and date of birth (a birth relative may know both):
    // the answer is the one any new booking gets, and nothing says Ava is booked.
    const stranger = await postBooking(service.client(), activityId, [{ firstName: ' ava ', dob: '2017-05-01' }], {
      email: 'other@example.org',
      contactName: 'Someone Else',
    })
    expect(stranger.status).toBe(302)
    const strangerPage = await (await service.client().get(stranger.headers.get('location')!)).text()
    expect(strangerPage).toContain('Check your email to confirm your booking')
    expect(strangerPage).not.toContain('already')
    expect(strangerPage).not.toContain(SECRET)
    // The same family booking Ava again: caught within the family, once the address is proved.
    const again = await postBooking(service.client(), activityId, [{ firstName: 'AVA', dob: '2017-05-01' }])
    expect(again.status).toBe(302)
    const reference = /JN-[A-Z0-9]{5}/.exec(again.headers.get('location')!)![0]
    const device = service.client()
    const confirmed = await device.post((await confirmLinkOf(service.url, reference))!, {})
    expect(confirmed.status).toBe(302)
    const page = await (await device.get(confirmed.headers.get('location')!)).text()
    expect(page).toContain('AVA already had a place on this session, so we have not booked them twice.')
    expect(await placeCounts(service, activityId)).toEqual({ confirmed: 1, held: 1, waitlisted: 0, cancelled: 1 })
    const children = await service.database.db
      .selectFrom('child')
      .innerJoin('family', 'family.id', 'child.family_id')
      .select(['family.email', 'child.first_name'])
      .where('child.match_key', '=', 'ava|2017-05-01')
      .execute()
    // the stranger's "Ava" is not anyone's child until that address confirms
    expect(children).toEqual([{ email: 'pat@example.org', first_name: 'Ava' }])
  })

  it('does not let a post typed with another family’s address hold back that family’s children on the waiting list', async () => {
    const activityId = await publishActivity(service, { title: 'Borrowed address', capacity: '2' })
    const first = await confirmBooking(
      service.client(),
      activityId,
      [
        { firstName: 'Sam', dob: dobForAge(8) },
        { firstName: 'Ava', dob: dobForAge(9) },
      ],
      { email: 'first.family@example.org' },
    )
    await confirmBooking(
      service.client(),
      activityId,
      [
        { firstName: 'Nell', dob: dobForAge(8) },
        { firstName: 'Ned', dob: dobForAge(10) },
      ],
      { email: 'siblings.family@example.org' },
    )
    // someone else types the siblings' family's address; never confirmed, so it stays on hold
    const borrowed = await postBooking(service.client(), activityId, [{ firstName: 'Xan', dob: dobForAge(8) }], {
      email: 'siblings.family@example.org',
      contactName: 'Not Them',
    })
    expect(borrowed.status).toBe(302)
    const location = new URL(first.headers.get('location')!, service.url)
    const cancel = await service.client().post(location.pathname, {
      token: location.searchParams.get('token')!,
      intent: 'confirm-cancel-all',
    })
    expect(cancel.status).toBe(302)
    const places = await service.database.db
      .selectFrom('place')
      .select(['first_name', 'status'])
      .where('activity_id', '=', activityId)
      .orderBy('id')
      .execute()
    expect(places).toEqual([
      { first_name: 'Sam', status: 'cancelled' },
      { first_name: 'Ava', status: 'cancelled' },
      { first_name: 'Nell', status: 'confirmed' },
      { first_name: 'Ned', status: 'confirmed' },
      { first_name: 'Xan', status: 'waitlisted' },
    ])
  })

  it('refuses a child outside the age range with a message naming the range, keeping what was typed', async () => {
    const activityId = await publishActivity(service, { title: 'Ages five to eleven', minAge: '5', maxAge: '11' })
    const response = await service
      .client()
      .post(`/activities/${activityId}`, bookingForm([{ firstName: 'Tiny', dob: dobForAge(3) }], { intent: 'check' }))
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('This session is for ages 5 to 11. Tiny will be 3 on the day')
    expect(html).toContain('value="Tiny"')
    const older = await confirmBooking(service.client(), activityId, [{ firstName: 'Teen', dob: dobForAge(12) }])
    expect(older.status).toBe(400)
    expect((await placeCounts(service, activityId)).confirmed).toBe(0)
  })

  it('titles the check page by its step, as served without JavaScript, and says "Error:" when it asks again', async () => {
    const activityId = await publishActivity(service, { title: 'Titled steps', capacity: '1' })
    const titleOf = async (response: Response) => /<title>([^<]*)<\/title>/.exec(await response.text())?.[1]
    const check = await service
      .client()
      .post(`/activities/${activityId}`, bookingForm([{ firstName: 'Tia', dob: dobForAge(8) }], { intent: 'check' }))
    expect(check.status).toBe(200)
    expect(await titleOf(check)).toBe('Check your answers before booking – Titled steps – Join In')
    // two children for one space, and no answer to what to do: the check page again, with the error
    const short = await service.client().post(
      `/activities/${activityId}`,
      bookingForm(
        [
          { firstName: 'Tia', dob: dobForAge(8) },
          { firstName: 'Tom', dob: dobForAge(9) },
        ],
        { intent: 'confirm', idempotencyKey: crypto.randomUUID() },
      ),
    )
    expect(short.status).toBe(400)
    expect(await titleOf(short)).toBe('Error: Check your answers before booking – Titled steps – Join In')
    // the form itself keeps the session's title
    expect(await titleOf(await service.client().get(`/activities/${activityId}`))).toBe('Titled steps – Join In')
  })

  it('tells a new family joining a full session’s waiting list what confirming does, without promising the link', async () => {
    const activityId = await publishActivity(service, { title: 'Full for the waiting list', capacity: '1' })
    await confirmBooking(service.client(), activityId, [{ firstName: 'Uma', dob: dobForAge(8) }], {
      email: 'uma.parent@example.org',
    })
    const formPage = words(await (await service.client().get(`/activities/${activityId}`)).text())
    expect(formPage).toContain(
      'This session is full. You can join the waiting list: if a space comes up, we book it for you and email you the Teams joining link and a calendar invite.',
    )
    expect(formPage).not.toContain('When your booking is confirmed')
    const check = words(
      await (
        await service
          .client()
          .post(
            `/activities/${activityId}`,
            bookingForm([{ firstName: 'Vic', dob: dobForAge(8) }], { intent: 'check' }),
          )
      ).text(),
    )
    expect(check).toContain('The session is full. Your child joins the waiting list')
    const joined = await postBooking(service.client(), activityId, [{ firstName: 'Vic', dob: dobForAge(8) }], {
      email: 'vic.parent@example.org',
    })
    expect(joined.status).toBe(302)
    const page = words(await (await service.client().get(joined.headers.get('location')!)).text())
    expect(page).toContain(
      'Open it to confirm your email address and stay on the waiting list. If a space comes up, we book it for you and email you.',
    )
    expect(page).not.toContain('We send the Teams joining link once you have confirmed')
  })

  it('refuses bookings once the window has closed or before it opens', async () => {
    const now = new Date()
    const closed = await publishActivity(service, {
      title: 'Closed window',
      'closes-day': String(now.getUTCDate()),
      'closes-month': String(now.getUTCMonth() + 1),
      'closes-year': String(now.getUTCFullYear()),
      closesTime: '00:00',
    })
    const page = await (await service.client().get(`/activities/${closed}`)).text()
    expect(page).toContain('Booking for this session has closed')
    const response = await confirmBooking(service.client(), closed, [{ firstName: 'Late', dob: dobForAge(8) }])
    expect(response.status).toBe(409)
    // said on the page, not against a field
    const closedPage = await response.text()
    expect(closedPage).toContain('Booking for this session closed while you were booking')
    expect(closedPage).not.toContain('govuk-error-message')
    expect((await placeCounts(service, closed)).confirmed).toBe(0)
  })

  it('asks the parent what to do when only some children fit, and books nothing if they say so', async () => {
    const activityId = await publishActivity(service, { title: 'Two spaces', capacity: '2' })
    const children = [
      { firstName: 'One', dob: dobForAge(6) },
      { firstName: 'Two', dob: dobForAge(7) },
      { firstName: 'Three', dob: dobForAge(8) },
    ]
    const ask = await confirmBooking(service.client(), activityId, children, { whenShort: '' })
    expect(ask.status).toBe(400)
    expect(await ask.text()).toContain('Only 2 spaces are left for 3 children')
    const nothing = await confirmBooking(service.client(), activityId, children, { whenShort: 'nothing' })
    expect(nothing.status).toBe(302)
    expect(await placeCounts(service, activityId)).toEqual({ confirmed: 0, waitlisted: 0, cancelled: 0 })
    const fit = await confirmBooking(service.client(), activityId, children, { whenShort: 'waitlist' })
    expect(fit.status).toBe(302)
    const statuses = await service.database.db
      .selectFrom('place')
      .select(['first_name', 'status'])
      .where('activity_id', '=', activityId)
      .orderBy('id')
      .execute()
    expect(statuses).toEqual([
      { first_name: 'One', status: 'confirmed' },
      { first_name: 'Two', status: 'confirmed' },
      { first_name: 'Three', status: 'waitlisted' },
    ])
  })

  it('shows the reference, joining link and invite on confirmation, and offers a freed space to the first on the waiting list', async () => {
    const activityId = await publishActivity(service, { title: 'One space', capacity: '1' })
    const client = service.client()
    const first = await confirmBooking(client, activityId, [{ firstName: 'Holder', dob: dobForAge(9) }], {
      email: 'holder@example.org',
    })
    const manage = first.headers.get('location')!
    const page = await (await client.get(manage)).text()
    expect(page).toContain('Booking confirmed')
    expect(page).toMatch(/JN-[A-Z0-9]{5}/)
    expect(page).toContain(SECRET)
    expect(page).toContain('Add to calendar')

    const token = new URL(manage, service.url).searchParams.get('token')!
    const reference = /\/bookings\/(JN-[A-Z0-9]{5})/.exec(manage)![1]!
    const ics = await (await client.get(`/bookings/${reference}/invite.ics?token=${encodeURIComponent(token)}`)).text()
    const event = firstEvent(readCalendar(ics))
    expect(event.description).toContain(SECRET)
    expect(event.uid).toMatch(new RegExp(`^booking-${reference}@`))
    // the session's own instants, whatever zone the server runs in: 16:00 to 17:00 in London
    const stored = await service.database.db
      .selectFrom('activity')
      .select(['starts_at', 'ends_at'])
      .where('id', '=', activityId)
      .executeTakeFirstOrThrow()
    expect(instantOf(event, 'dtstart').toISOString()).toBe(stored.starts_at)
    expect(instantOf(event, 'dtend').toISOString()).toBe(stored.ends_at)
    expect([londonClock(instantOf(event, 'dtstart')), londonClock(instantOf(event, 'dtend'))]).toEqual([
      '16:00',
      '17:00',
    ])

    const waiting1 = await confirmBooking(service.client(), activityId, [{ firstName: 'Waiter', dob: dobForAge(9) }], {
      email: 'waiter@example.org',
    })
    const waiting2 = await confirmBooking(service.client(), activityId, [{ firstName: 'Second', dob: dobForAge(9) }], {
      email: 'second@example.org',
    })
    const waitingPage = await (await service.client().get(waiting1.headers.get('location')!)).text()
    expect(waitingPage).toContain('You are on the waiting list')
    expect(waitingPage).not.toContain(SECRET)
    expect(waiting2.status).toBe(302)

    const cancel = await client.post(`/bookings/${reference}`, { token, intent: 'confirm-cancel-all' })
    expect(cancel.status).toBe(302)
    const places = await service.database.db
      .selectFrom('place')
      .select(['first_name', 'status'])
      .where('activity_id', '=', activityId)
      .orderBy('id')
      .execute()
    expect(places).toEqual([
      { first_name: 'Holder', status: 'cancelled' },
      { first_name: 'Waiter', status: 'confirmed' },
      { first_name: 'Second', status: 'waitlisted' },
    ])
    const mail = await service.database.db
      .selectFrom('outbox')
      .select(['kind', 'to_address', 'ics_method', 'text_body'])
      .where('activity_id', '=', activityId)
      .orderBy('id')
      .execute()
    // each new family first gets the link to confirm its address, and only then the joining link;
    // a family only waiting is told so on confirming, with its booking's link (the form page's ends)
    expect(mail.map((m) => [m.kind, m.to_address])).toEqual([
      ['held', 'holder@example.org'],
      ['confirmation', 'holder@example.org'],
      ['held', 'waiter@example.org'],
      ['waitlisted', 'waiter@example.org'],
      ['held', 'second@example.org'],
      ['waitlisted', 'second@example.org'],
      ['cancellation', 'holder@example.org'],
      ['place-offered', 'waiter@example.org'],
    ])
    expect(mail[0]!.text_body).not.toContain(SECRET)
    expect(mail[2]!.text_body).not.toContain(SECRET)
    expect(mail[3]!.text_body).not.toContain(SECRET)
    expect(mail[3]!.text_body).toMatch(/\/bookings\/JN-[A-Z0-9]{5}\?token=/)
    expect(mail[6]!.ics_method).toBe('CANCEL')
    expect(mail[7]!.ics_method).toBe('REQUEST')
    expect(mail[7]!.text_body).toContain(SECRET)
    expect(mail[1]!.text_body).toContain(SECRET)
  })

  it('shows nothing personal for a manage link without its token or with a wrong one', async () => {
    const activityId = await publishActivity(service, { title: 'Private booking' })
    const response = await confirmBooking(
      service.client(),
      activityId,
      [{ firstName: 'Secretchild', dob: dobForAge(8) }],
      { contactName: 'Hidden Parent', email: 'hidden@example.org' },
    )
    const manage = response.headers.get('location')!
    const reference = /\/bookings\/(JN-[A-Z0-9]{5})/.exec(manage)![1]!
    for (const url of [
      `/bookings/${reference}`,
      `/bookings/${reference}?token=wrong`,
      `/bookings/${reference}?token=${'x'.repeat(43)}`,
      `/bookings/JN-AAAAA?token=whatever`,
    ]) {
      const r = await service.client().get(url)
      expect(r.status, url).toBe(404)
      const html = await r.text()
      for (const personal of ['Secretchild', 'Hidden Parent', 'hidden@example.org', SECRET])
        expect(html, url).not.toContain(personal)
    }
    const ics = await service.client().get(`/bookings/${reference}/invite.ics?token=wrong`)
    expect(ics.status).toBe(404)
    const cancel = await service
      .client()
      .post(`/bookings/${reference}`, { token: 'wrong', intent: 'confirm-cancel-all' })
    expect(cancel.status).toBe(404)
    expect((await placeCounts(service, activityId)).confirmed).toBe(1)
  })

  it('adds and removes children on the form without JavaScript, keeping what was typed', async () => {
    const activityId = await publishActivity(service, { title: 'Add a child' })
    const form = bookingForm([{ firstName: 'First', dob: '2017-02-03' }], { intent: 'add-child' })
    const added = await (await service.client().post(`/activities/${activityId}`, form)).text()
    expect(added).toContain('name="child-1-firstName"')
    expect(added).toContain('value="First"')
    expect(added).toContain('value="2017"')
    const removed = await (
      await service.client().post(
        `/activities/${activityId}`,
        bookingForm(
          [
            { firstName: 'First', dob: '2017-02-03' },
            { firstName: 'Second', dob: '2016-02-03' },
          ],
          { intent: 'remove-child-0' },
        ),
      )
    ).text()
    expect(removed).not.toContain('name="child-1-firstName"')
    expect(removed).toContain('value="Second"')
  })

  it('refuses a bot that fills the hidden field, and books nothing', async () => {
    const activityId = await publishActivity(service, { title: 'Honeypot' })
    const response = await confirmBooking(service.client(), activityId, [{ firstName: 'Bot', dob: dobForAge(8) }], {
      website: 'http://spam.example',
    })
    expect(response.status).toBe(400)
    expect((await placeCounts(service, activityId)).confirmed).toBe(0)
  })

  it('tells everyone booked when staff change the time, and promotes the waiting list when they add spaces', async () => {
    const activityId = await publishActivity(service, { title: 'Moving session', capacity: '1' })
    await confirmBooking(service.client(), activityId, [{ firstName: 'Mover', dob: dobForAge(8) }], {
      email: 'mover@example.org',
    })
    await confirmBooking(service.client(), activityId, [{ firstName: 'Hopeful', dob: dobForAge(8) }], {
      email: 'hopeful@example.org',
    })
    const staff = await service.signedIn('staff')
    const { activityForm } = await import('../support/service')
    const edit = await staff.post(
      `/staff/activities/${activityId}/edit`,
      activityForm({ title: 'Moving session', capacity: '2', startTime: '15:00', endTime: '16:00' }),
    )
    expect(edit.status).toBe(302)
    expect((await placeCounts(service, activityId)).confirmed).toBe(2)
    const mail = await service.database.db
      .selectFrom('outbox')
      .select(['kind', 'to_address'])
      .where('activity_id', '=', activityId)
      .orderBy('id')
      .execute()
    expect(
      mail
        .filter((m) => m.kind === 'activity-changed')
        .map((m) => m.to_address)
        .sort(),
    ).toEqual(['hopeful@example.org', 'mover@example.org'])
    expect(mail.filter((m) => m.kind === 'place-offered').map((m) => m.to_address)).toEqual(['hopeful@example.org'])

    const cancel = await staff.post(`/staff/activities/${activityId}`, {
      intent: 'confirm-cancel',
      reason: 'The presenter is unwell.',
    })
    expect(cancel.status).toBe(302)
    const cancelled = await service.database.db
      .selectFrom('outbox')
      .select(['to_address', 'ics_method', 'text_body'])
      .where('activity_id', '=', activityId)
      .where('kind', '=', 'activity-cancelled')
      .execute()
    expect(cancelled).toHaveLength(2)
    expect(cancelled.every((m) => m.ics_method === 'CANCEL' && m.text_body.includes('The presenter is unwell.'))).toBe(
      true,
    )
  })
})

describe('reminders', () => {
  let service: TestService
  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
  })
  afterAll(async () => {
    await service?.close()
  })

  it('emails a reminder once, 24 hours before, to families with a confirmed place only', async () => {
    const soon = new Date(Date.now() + 20 * 3_600_000)
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      day: 'numeric',
      month: 'numeric',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(soon)
    const part = (type: string) => parts.find((p) => p.type === type)!.value
    const start = `${part('hour')}:00`
    const end = `${part('hour')}:59`
    const activityId = await publishActivity(service, {
      title: 'Tomorrow soon',
      capacity: '1',
      'date-day': part('day'),
      'date-month': part('month'),
      'date-year': part('year'),
      startTime: start,
      endTime: end,
    })
    const { dobForAge: age } = await import('../support/booking')
    await confirmBooking(service.client(), activityId, [{ firstName: 'Coming', dob: age(8) }], {
      email: 'coming@example.org',
    })
    await confirmBooking(service.client(), activityId, [{ firstName: 'Waiting', dob: age(8) }], {
      email: 'waiting@example.org',
    })
    await service.jobs.runOnce()
    await service.jobs.runOnce()
    const reminders = await service.database.db
      .selectFrom('outbox')
      .select(['to_address', 'text_body'])
      .where('kind', '=', 'reminder')
      .where('activity_id', '=', activityId)
      .execute()
    expect(reminders.map((r) => r.to_address)).toEqual(['coming@example.org'])
    expect(reminders[0]!.text_body).toContain(SECRET)
  })
})

describe('a booking whose reference is already taken', () => {
  let service: TestService
  beforeAll(async () => {
    service = await startTestService()
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    await service?.close()
  })

  it('takes another reference in the same transaction (on PostgreSQL too, where a failed insert would abort it)', async () => {
    const activityId = await publishActivity(service, { title: 'Reference taken' })
    const links = { baseUrl: service.url, domain: 'test.invalid' }
    const request = (name: string) => ({
      activityId,
      contactName: 'Pat',
      email: `${name.toLowerCase()}@example.org`,
      phone: null,
      authorityCode: 'E10000016',
      children: [{ firstName: name, dateOfBirth: dobForAge(8), supportNeeds: null }],
      mailingListOptIn: false,
      idempotencyKey: `reference-taken-${name}-${activityId}`,
      acceptWaitlist: true,
    })
    // The first reference each booking draws is JN-22222 (five zero bytes); later draws are random.
    const randomBytes = crypto.randomBytes.bind(crypto)
    const drawZerosOnce = () => {
      let drawn = false
      vi.spyOn(crypto, 'randomBytes').mockImplementation(((size: number) => {
        if (size === 5 && !drawn) {
          drawn = true
          return Buffer.alloc(5)
        }
        return randomBytes(size)
      }) as typeof crypto.randomBytes)
    }
    drawZerosOnce()
    const first = await book(service.database.db, request('First'), links, { maxChildren: 6 })
    drawZerosOnce()
    const second = await book(service.database.db, request('Second'), links, { maxChildren: 6 })
    vi.restoreAllMocks()
    expect(first).toMatchObject({ status: 'booked', reference: 'JN-22222', held: ['First'], hold: 'address' })
    expect(second).toMatchObject({ status: 'booked', held: ['Second'], hold: 'address' })
    expect(second.status === 'booked' && second.reference).toMatch(/^JN-[2-9A-HJKMNP-Z]{5}$/)
    expect(second.status === 'booked' && second.reference).not.toBe('JN-22222')
    expect(await placeCounts(service, activityId)).toEqual({ confirmed: 0, held: 2, waitlisted: 0, cancelled: 0 })
  })
})
