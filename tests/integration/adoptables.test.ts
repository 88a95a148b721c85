import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dobForAge, publishActivity } from '../support/booking'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const JOIN_URL_PART = 'SECRET-LINK-123'

function registration(overrides: Record<string, string> & { dob: string }): Record<string, string> {
  const { dob, ...rest } = overrides
  const [year, month, day] = dob.split('-')
  return {
    firstName: 'Alex',
    'dob-day': String(Number(day)),
    'dob-month': String(Number(month)),
    'dob-year': year!,
    email: 'alex@example.org',
    authority: 'E06000035',
    parentEmail: '',
    notes: '',
    ...rest,
  }
}

async function meeting(service: TestService, title: string): Promise<number> {
  return publishActivity(service, {
    kind: 'adoptables',
    category: 'Adoptables meeting',
    title,
    minAge: '12',
    maxAge: '18',
    capacity: '20',
  })
}

function linkIn(text: string, pattern: RegExp): string {
  const match = pattern.exec(text)
  if (!match) throw new Error(`no link matching ${pattern} in:\n${text}`)
  return match[0]
}

describe('Adoptables', () => {
  let service: TestService
  let client: HttpClient
  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
    client = service.client()
  })
  afterAll(async () => {
    await service?.close()
  })

  async function mailTo(address: string) {
    return service.database.db
      .selectFrom('outbox')
      .select(['kind', 'subject', 'text_body', 'ics'])
      .where('to_address', '=', address)
      .orderBy('id')
      .execute()
  }

  it('refuses a young person who will be 11 or 19 on the day, saying why', async () => {
    const id = await meeting(service, 'Age limits')
    const eleven = await client.post(
      `/adoptables/join?meeting=${id}`,
      registration({ dob: dobForAge(11), email: 'eleven@example.org', parentEmail: 'p@example.org' }),
    )
    expect(eleven.status).toBe(400)
    expect(await eleven.text()).toContain(
      'Adoptables is for young people aged 12 to 18. You will be 11 on the day of this meeting',
    )
    const nineteen = await client.post(
      `/adoptables/join?meeting=${id}`,
      registration({ dob: dobForAge(19), email: 'nineteen@example.org' }),
    )
    expect(nineteen.status).toBe(400)
    expect(await nineteen.text()).toContain('You will be 19 on the day of this meeting')
    expect(await service.database.db.selectFrom('member').selectAll().execute()).toHaveLength(0)
  })

  it('keeps a 12-year-old pending with no joining link until a parent consents, then confirms and emails the link', async () => {
    const id = await meeting(service, 'Consent first')
    const missingParent = await client.post(
      `/adoptables/join?meeting=${id}`,
      registration({ dob: dobForAge(12), email: 'twelve@example.org' }),
    )
    expect(missingParent.status).toBe(400)
    expect(await missingParent.text()).toContain('Enter your parent or carer’s email address, because you are under 13')

    const response = await client.post(
      `/adoptables/join?meeting=${id}`,
      registration({
        firstName: 'Robin',
        dob: dobForAge(12),
        email: 'twelve@example.org',
        parentEmail: 'parent.of.twelve@example.org',
      }),
    )
    expect(response.status).toBe(200)
    const page = await response.text()
    expect(page).toContain('We have asked your parent or carer')
    expect(page).toContain('We have sent an email to parent.of.twelve@example.org')
    // the page's title is its panel's, without JavaScript too
    expect(page).toContain('<title>We have asked your parent or carer – Join In</title>')

    const member = await service.database.db
      .selectFrom('member')
      .selectAll()
      .where('email', '=', 'twelve@example.org')
      .executeTakeFirstOrThrow()
    expect(member.status).toBe('pending')
    const youngPersonMail = await mailTo('twelve@example.org')
    expect(youngPersonMail.map((m) => m.kind)).toEqual(['member-pending'])
    for (const m of youngPersonMail) {
      expect(m.text_body).not.toContain(JOIN_URL_PART)
      expect(m.text_body).not.toContain('/adoptables/members/')
    }
    expect(
      await service.database.db.selectFrom('booking').selectAll().where('member_id', '=', member.id).execute(),
    ).toHaveLength(0)

    const [consentMail] = await mailTo('parent.of.twelve@example.org')
    const consentLink = linkIn(consentMail!.text_body, /\/adoptables\/consent\?token=[\w%-]+/)
    const token = decodeURIComponent(new URL(consentLink, service.url).searchParams.get('token')!)
    // opening the link changes nothing; only the button does
    await client.get(consentLink)
    expect(
      (
        await service.database.db
          .selectFrom('member')
          .select('status')
          .where('id', '=', member.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('pending')
    const wrong = await client.post('/adoptables/consent', { token: 'not-the-token' })
    expect(wrong.status).toBe(404)
    const agreed = await client.post('/adoptables/consent', { token, answer: 'yes' })
    const agreedText = await agreed.text()
    expect(agreedText).toContain('Robin can now join Adoptables')
    expect(agreedText).toContain('<title>Thank you – Join In</title>')

    expect(
      (
        await service.database.db
          .selectFrom('member')
          .select('status')
          .where('id', '=', member.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('active')
    const after = await mailTo('twelve@example.org')
    expect(after.map((m) => m.kind)).toEqual(['member-pending', 'member-welcome', 'confirmation'])
    expect(after[1]!.text_body).toContain(`/adoptables/members/${member.id}?token=`)
    expect(after[2]!.text_body).toContain(JOIN_URL_PART)
    expect(after[2]!.text_body).toContain('Hi Robin')
    // the invite, read by ical.js: the meeting with its joining link
    const invite = new ICAL.Component(ICAL.parse(after[2]!.ics!))
    expect(invite.getFirstPropertyValue('method')).toBe('REQUEST')
    expect(new ICAL.Event(invite.getFirstSubcomponent('vevent')!).description).toContain(JOIN_URL_PART)
  })

  it('tells a 12-year-old the consent email went to their parent or carer’s address, and what happens next', async () => {
    const id = await meeting(service, 'Who was emailed')
    const response = await client.post(
      `/adoptables/join?meeting=${id}`,
      registration({
        firstName: 'Sky',
        dob: dobForAge(12),
        email: 'sky.twelve@example.org',
        parentEmail: 'sky.parent@example.org',
      }),
    )
    expect(response.status).toBe(200)
    // What a reader sees: the page's words without its markup.
    const words = (await response.text())
      .replace(/<!-- -->/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
    expect(words).toContain('We have sent an email to sky.parent@example.org')
    expect(words).not.toContain('We have sent an email to sky.twelve@example.org')
    expect(words).toContain(
      'When they say yes, we will email you at sky.twelve@example.org with your link and book you on the meeting.',
    )
    expect((await mailTo('sky.parent@example.org')).map((m) => m.kind)).toEqual(['consent-request'])
    expect((await mailTo('sky.twelve@example.org')).map((m) => m.kind)).toEqual(['member-pending'])
  })

  it('treats the same email and date of birth as one member, emailing their link without showing anything', async () => {
    const id = await meeting(service, 'Register twice')
    const form = registration({ firstName: 'Sam', dob: dobForAge(15), email: 'Sam.Twice@example.org' })
    const first = await (await client.post(`/adoptables/join?meeting=${id}`, form)).text()
    const second = await (
      await client.post(`/adoptables/join?meeting=${id}`, {
        ...form,
        email: 'sam.twice@example.org',
        firstName: 'Samuel',
      })
    ).text()
    const members = await service.database.db
      .selectFrom('member')
      .selectAll()
      .where('email', '=', 'sam.twice@example.org')
      .execute()
    expect(members).toHaveLength(1)
    expect(members[0]!.first_name).toBe('Sam')
    // the screen is the same whether or not they were already a member
    const panel = (html: string) => /govuk-panel__title[^>]*>Check your email[\s\S]*?What happens next/.exec(html)?.[0]
    expect(panel(first)).toContain('We have sent an email to sam.twice@example.org')
    expect(first).toContain('<title>Check your email – Join In</title>')
    expect(panel(second)).toBe(panel(first))
    const mail = await mailTo('sam.twice@example.org')
    expect(mail.map((m) => m.kind)).toEqual(['member-welcome', 'confirmation', 'member-link'])
    // the old link stops working once a new one is sent
    const oldLink = linkIn(mail[0]!.text_body, /\/adoptables\/members\/\d+\?token=[\w%-]+/)
    const newLink = linkIn(mail[2]!.text_body, /\/adoptables\/members\/\d+\?token=[\w%-]+/)
    expect((await client.get(oldLink)).status).toBe(404)
    const memberPage = await client.get(newLink)
    expect(memberPage.status).toBe(200)
    const html = await memberPage.text()
    expect(html).toContain('Hi Sam')
    expect(html).toContain(JOIN_URL_PART)
  })

  it('lets a member book another meeting in one step from their link, with the same emails and invite as activities', async () => {
    const first = await meeting(service, 'First of two')
    const second = await meeting(service, 'Second of two')
    await client.post(
      `/adoptables/join?meeting=${first}`,
      registration({ firstName: 'Jo', dob: dobForAge(16), email: 'jo@example.org' }),
    )
    const [welcome] = await mailTo('jo@example.org')
    const link = linkIn(welcome!.text_body, /\/adoptables\/members\/\d+\?token=[\w%-]+/)
    const url = new URL(link, service.url)
    const token = decodeURIComponent(url.searchParams.get('token')!)
    const before = await (await client.get(link)).text()
    expect(before).toContain('Book this meeting')
    const booked = await client.post(url.pathname, { token, meetingId: String(second) })
    expect(booked.status).toBe(302)
    const again = await client.post(url.pathname, { token, meetingId: String(second) })
    expect(again.headers.get('location')).toContain('notice=already')

    // They cancel from the manage link in their confirmation, change their mind, and book again.
    const confirmations = (await mailTo('jo@example.org')).filter((m) => m.subject.includes('Second of two'))
    const manage = linkIn(
      confirmations[confirmations.length - 1]!.text_body,
      /\/bookings\/JN-[A-Z0-9]{5}\?token=[\w%-]+/,
    )
    const manageUrl = new URL(manage, service.url)
    const cancelled = await client.post(manageUrl.pathname, {
      token: manageUrl.searchParams.get('token')!,
      intent: 'confirm-cancel-all',
    })
    expect(cancelled.status).toBe(302)
    expect(await (await client.get(link)).text()).toContain('Book this meeting')
    const rebooked = await client.post(url.pathname, { token, meetingId: String(second) })
    expect(rebooked.status).toBe(302)
    expect(rebooked.headers.get('location')).not.toContain('notice=already')
    const secondPlaces = await service.database.db
      .selectFrom('place')
      .innerJoin('booking', 'booking.id', 'place.booking_id')
      .select('place.status')
      .where('booking.email', '=', 'jo@example.org')
      .where('place.activity_id', '=', second)
      .orderBy('place.id')
      .execute()
    expect(secondPlaces.map((p) => p.status)).toEqual(['cancelled', 'confirmed'])
    // Pressing again now finds the new booking, as before.
    const twice = await client.post(url.pathname, { token, meetingId: String(second) })
    expect(twice.headers.get('location')).toContain('notice=already')
    const places = await service.database.db
      .selectFrom('place')
      .innerJoin('booking', 'booking.id', 'place.booking_id')
      .select(['place.activity_id', 'place.status', 'place.age_on_day'])
      .where('booking.email', '=', 'jo@example.org')
      .orderBy('place.activity_id')
      .orderBy('place.id')
      .execute()
    expect(places).toEqual([
      { activity_id: first, status: 'confirmed', age_on_day: 16 },
      { activity_id: second, status: 'cancelled', age_on_day: 16 },
      { activity_id: second, status: 'confirmed', age_on_day: 16 },
    ])
    const stranger = await client.post(url.pathname, { token: 'wrong', meetingId: String(second) })
    expect(stranger.status).toBe(404)
  })

  it('counts distinct young people who attended, over six meetings with repeat attenders', async () => {
    const meetings: number[] = []
    for (let i = 1; i <= 6; i++) meetings.push(await meeting(service, `Count meeting ${i}`))
    const people = ['Ash', 'Bea', 'Cal', 'Dee', 'Eli']
    const memberIds: number[] = []
    for (const [i, name] of people.entries()) {
      await client.post(
        `/adoptables/join?meeting=${meetings[0]}`,
        registration({ firstName: name, dob: dobForAge(13 + i), email: `${name.toLowerCase()}@count.example.org` }),
      )
      const member = await service.database.db
        .selectFrom('member')
        .select('id')
        .where('email', '=', `${name.toLowerCase()}@count.example.org`)
        .executeTakeFirstOrThrow()
      memberIds.push(member.id)
    }
    const { bookMeeting } = await import('../../app/domain/members.server')
    const links = { baseUrl: service.url, domain: 'test.invalid' }
    // Ash comes to all six, Bea to three, Cal to one, Dee is booked but marked absent, Eli never books more
    const attendance: Array<[number, number[]]> = [
      [memberIds[0]!, [0, 1, 2, 3, 4, 5]],
      [memberIds[1]!, [0, 2, 4]],
      [memberIds[2]!, [3]],
    ]
    for (const [memberId, which] of attendance)
      for (const m of which) await bookMeeting(service.database.db, memberId, meetings[m]!, links)
    await bookMeeting(service.database.db, memberIds[3]!, meetings[1]!, links)

    const staff = await service.signedIn('staff')
    for (const [index, meetingId] of meetings.entries()) {
      const places = await service.database.db
        .selectFrom('place')
        .innerJoin('booking', 'booking.id', 'place.booking_id')
        .select(['place.id', 'booking.member_id'])
        .where('place.activity_id', '=', meetingId)
        .where('place.status', '=', 'confirmed')
        .execute()
      // the meetings are still to come: marking them now is confirmed, as the page asks
      const form: Record<string, string> = { confirmEarly: 'yes' }
      for (const p of places) {
        const came = attendance.some(([memberId, which]) => memberId === p.member_id && which.includes(index))
        form[`attended-${p.id}`] = came ? 'yes' : 'no'
      }
      const saved = await staff.post(`/staff/activities/${meetingId}/register`, form)
      expect(saved.status).toBe(302)
    }
    const { countDistinctAttendees } = await import('../../app/domain/members.server')
    const wide = [new Date(Date.now() - 86_400_000), new Date(Date.now() + 90 * 86_400_000)] as const
    expect(await countDistinctAttendees(service.database.db, ...wide)).toBe(3)
    // a cancelled meeting's attendance does not count: Cal came only to meeting 4
    await staff.post(`/staff/activities/${meetings[3]}`, { intent: 'confirm-cancel', reason: 'Room problem' })
    expect(await countDistinctAttendees(service.database.db, ...wide)).toBe(2)
    // the staff page shows the same figure for the chosen range
    const from = new Date(Date.now() - 86_400_000)
    const to = new Date(Date.now() + 90 * 86_400_000)
    const q = `from-day=${from.getUTCDate()}&from-month=${from.getUTCMonth() + 1}&from-year=${from.getUTCFullYear()}&to-day=${to.getUTCDate()}&to-month=${to.getUTCMonth() + 1}&to-year=${to.getUTCFullYear()}`
    const page = await (await staff.get(`/staff/members?${q}`)).text()
    expect(page).toMatch(/<strong>\d+<\/strong> different young people attended at least one meeting/)
    const viewer = await service.signedIn('viewer')
    expect((await viewer.get('/staff/members')).status).toBe(403)
    expect((await viewer.get(`/staff/activities/${meetings[0]}/register`)).status).toBe(403)
  })
})
