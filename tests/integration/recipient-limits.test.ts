// Public forms cannot be used to flood someone's inbox: the emails they trigger are limited per
// recipient address. Over the limit the form answers exactly as usual and the booking or sign-up
// still happens, but the email is held in the outbox (shown to staff as not sent, with the reason)
// for staff to send if the family asks. A genuine booking's email is never held by someone
// else's traffic.
//
// Limits (app/domain/recipient-limits.ts): booking emails (asking to confirm the address — 'held' —,
// confirmations and waiting-list emails), 10 per address per hour and 20 per 24 hours; Adoptables sign-up emails (consent requests, the young
// person's own emails), 3 per address per hour and 6 per 24 hours.
import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmBooking, dobForAge, postBooking, publishActivity } from '../support/booking'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const HOUR = 3_600_000

describe('emails per recipient from public forms', () => {
  let service: TestService
  let activityId: number

  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
    activityId = await publishActivity(service, { capacity: '200' })
  })
  afterAll(async () => {
    await service?.close()
  })

  async function mailTo(address: string) {
    return service.database.db
      .selectFrom('outbox')
      .select(['id', 'kind', 'status', 'attempts', 'last_error', 'booking_id'])
      .where('to_address', '=', address)
      .orderBy('id')
      .execute()
  }

  const held = (rows: Awaited<ReturnType<typeof mailTo>>) => rows.filter((r) => r.status === 'failed')
  const queued = (rows: Awaited<ReturnType<typeof mailTo>>) => rows.filter((r) => r.status === 'queued')

  /**
   * Someone posts the booking form with an address that may not be theirs: the places are held
   * and the address is sent one email asking to confirm it ('held'). Whoever typed it cannot
   * confirm, so nothing more is sent.
   */
  async function book(client: HttpClient, email: string, firstName: string): Promise<Response> {
    const response = await postBooking(client, activityId, [{ firstName, dob: dobForAge(8) }], { email })
    expect(response.status).toBe(302)
    return response
  }

  it('queues at most 10 booking emails an hour to one address; the bookings beyond still happen', async () => {
    const client = service.client()
    const answers: string[] = []
    for (let i = 0; i < 12; i++) {
      // the same address written differently is the same recipient
      const email = i % 2 ? 'Flooded@Example.org' : 'flooded@example.org'
      answers.push(
        (await book(client, email, `Child${i}`)).headers
          .get('location')!
          .replace(/JN-[\w-]+/, 'JN-…')
          .replace(/token=[^&]+/, 'token=…'),
      )
    }
    // the answer says nothing about the limit: the same redirect, to the same kind of page
    expect(new Set(answers).size).toBe(1)
    const bookings = await service.database.db
      .selectFrom('booking')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', 'flooded@example.org'))
      .execute()
    expect(bookings).toHaveLength(12)
    const mail = [...(await mailTo('flooded@example.org')), ...(await mailTo('Flooded@Example.org'))]
    expect(mail).toHaveLength(12)
    expect(new Set(mail.map((m) => m.kind))).toEqual(new Set(['held']))
    expect(queued(mail)).toHaveLength(10)
    expect(held(mail)).toHaveLength(2)
    for (const row of held(mail)) {
      expect(row.attempts).toBe(0)
      expect(row.last_error).toMatch(/^Not sent: 10 emails like this were asked for this address in the last hour/)
    }
  })

  it("sends a genuine family's single booking email while another address is flooded", async () => {
    await book(service.client(), 'flooded@example.org', 'Extra')
    // the genuine family confirms its address from the email: both its emails are queued
    const genuine = await confirmBooking(service.client(), activityId, [{ firstName: 'Gen', dob: dobForAge(8) }], {
      email: 'genuine@example.org',
    })
    expect(genuine.status).toBe(302)
    const mail = await mailTo('genuine@example.org')
    expect(mail.map((m) => [m.kind, m.status])).toEqual([
      ['held', 'queued'],
      ['confirmation', 'queued'],
    ])
  })

  it('queues at most 20 booking emails a day to one address', async () => {
    // 15 confirmations went to this address 2 to 20 hours ago: outside the hour, inside the day
    const now = Date.now()
    for (let i = 0; i < 15; i++) {
      await service.database.db
        .insertInto('outbox')
        .values({
          message_id: `<earlier-${i}@join-in.test>`,
          dedupe_key: `earlier:${i}`,
          kind: 'confirmation',
          to_address: 'daily@example.org',
          subject: 'Earlier booking',
          text_body: 'Earlier',
          status: 'sent',
          attempts: 1,
          next_attempt_at: new Date(now - (2 + i) * HOUR).toISOString(),
          created_at: new Date(now - (2 + i) * HOUR).toISOString(),
          sent_at: new Date(now - (2 + i) * HOUR).toISOString(),
        })
        .execute()
    }
    for (let i = 0; i < 7; i++) await book(service.client(), 'daily@example.org', `Day${i}`)
    const today = (await mailTo('daily@example.org')).slice(15)
    expect(today.map((m) => m.kind)).toEqual(['held', 'held', 'held', 'held', 'held', 'held', 'held'])
    expect(queued(today)).toHaveLength(5)
    expect(held(today)).toHaveLength(2)
    expect(held(today)[0]!.last_error).toMatch(
      /^Not sent: 20 emails like this were asked for this address in the last 24 hours/,
    )
  })

  it('lets staff send a held email from the outbox', async () => {
    const [row] = held(await mailTo('flooded@example.org'))
    const staff = await service.signedIn('staff')
    const retried = await staff.post('/staff/outbox', { intent: 'retry', id: String(row!.id) })
    expect(retried.status).toBe(302)
    expect(retried.headers.get('location')).toContain('notice=retried')
    const after = (await mailTo('flooded@example.org')).find((r) => r.id === row!.id)
    expect(after!.status).toBe('queued')
  })

  it('sends at most 3 consent requests an hour to one parent, and the page answers the same', async () => {
    const meetingId = await publishActivity(service, {
      kind: 'adoptables',
      category: 'Adoptables meeting',
      title: 'Limit meeting',
      minAge: '12',
      maxAge: '18',
    })
    const pages: string[] = []
    for (let i = 0; i < 5; i++) {
      const [year, month, day] = dobForAge(12).split('-')
      const response = await service.client().post(`/adoptables/join?meeting=${meetingId}`, {
        firstName: `Kid${i}`,
        'dob-day': String(Number(day)),
        'dob-month': String(Number(month)),
        'dob-year': year!,
        email: `kid${i}.${crypto.randomUUID().slice(0, 8)}@example.org`,
        authority: 'E06000035',
        parentEmail: 'busy.parent@example.org',
        notes: '',
      })
      expect(response.status).toBe(200)
      pages.push(
        (await response.text())
          .replace(/Kid\d/g, 'Kid')
          .replace(/kid\d\.\w+@example\.org/g, 'kid@example.org')
          .replace(/nonce-[^'"]+|nonce="[^"]*"/g, 'nonce'),
      )
    }
    expect(new Set(pages).size).toBe(1)
    expect(
      await service.database.db
        .selectFrom('member')
        .select('id')
        .where('parent_email', '=', 'busy.parent@example.org')
        .execute(),
    ).toHaveLength(5)
    const mail = await mailTo('busy.parent@example.org')
    expect(mail.map((m) => m.kind)).toEqual(Array(5).fill('consent-request'))
    expect(queued(mail)).toHaveLength(3)
    expect(held(mail)).toHaveLength(2)
  })
})
