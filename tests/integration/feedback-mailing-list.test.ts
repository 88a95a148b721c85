// Feedback after a session and the mailing list, against the real server, a real SQLite file and a
// real SMTP server: the feedback job asks each booking once, feedback is once per place, the
// double opt-in, unsubscribing from the link in an email (and by a mail client's one-click POST),
// List-Unsubscribe headers, bounces, the export and the monthly audit, erasure, and roles.
import { simpleParser, type ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { book } from '../../app/domain/bookings.server'
import { cancelPlaces } from '../../app/domain/cancellations.server'
import type { Links } from '../../app/domain/links'
import { changeActivityStatus } from '../../app/domain/activities.server'
import { enqueueDueFeedbackRequests, feedbackDueAt } from '../../app/domain/feedback-requests.server'
import { addDays, londonDateOf } from '../../app/time/london-time'
import { monthlyAudit } from '../../app/domain/mailing-list-audit.server'
import { eraseMailingListEmail } from '../../app/domain/mailing-list-erasure.server'
import { isRecipientRefusal } from '../../app/email/worker.server'
import { confirmBooking, confirmHeldBooking, dobForAge } from '../support/booking'
import { KENT, publishSessions } from '../support/seed-quarter'
import { startTestService, type HttpClient, type TestService } from '../support/service'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { waitFor } from '../support/wait'

const DAY = 86_400_000
/** The test SMTP server refuses these recipients at RCPT TO, as a real one refuses an unknown mailbox. */
const REFUSED = 'bouncy@example.org'

/** A header as sent, unfolded, or undefined. */
function header(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line
  return line?.replace(/\r?\n(?=[ \t])/g, '').replace(/^[^:]+:\s*/, '')
}

let service: TestService
let smtp: TestSmtp
let staff: HttpClient
let links: Links

beforeAll(async () => {
  smtp = await startSmtp({ refuse: (address) => address === REFUSED })
  service = await startTestService({
    SMTP_URL: smtp.url,
    OUTBOX_POLL_MS: '100',
    BOOKING_RATE_LIMIT: '1000',
  })
  staff = await service.signedIn('staff')
  links = { baseUrl: service.url, domain: 'join-in.test' }
})

afterAll(async () => {
  await service?.close()
  await smtp?.close()
})

const db = () => service.database.db

let titles = 0
/** Publishes one session on the London day `daysFromNow` away (negative: in the past), 16:00 to 17:00. */
async function session(daysFromNow: number, overrides: { kind?: 'activity' | 'adoptables'; capacity?: number } = {}) {
  titles += 1
  const adoptables = overrides.kind === 'adoptables'
  const [row] = await publishSessions(db(), {
    kind: overrides.kind ?? 'activity',
    title: `${adoptables ? 'Adoptables meeting' : 'Slime science'} ${titles}`,
    category: adoptables ? 'Adoptables meeting' : 'Science experiments',
    date: londonDateOf(new Date(Date.now() + daysFromNow * DAY)),
    start: '16:00',
    end: '17:00',
    capacity: overrides.capacity ?? 10,
    minAge: adoptables ? 12 : 3,
    maxAge: adoptables ? 18 : 17,
  })
  return row!
}

let bookings = 0
/** Books through book(), three days before the session (so past sessions can be booked). */
async function bookPlaces(
  s: { id: number; startsAt: Date },
  email: string,
  children: Array<{ name: string; age: number }>,
  memberId?: number,
) {
  bookings += 1
  const day = londonDateOf(s.startsAt)
  const bookedAt = new Date(s.startsAt.getTime() - 3 * DAY)
  const result = await book(
    db(),
    {
      activityId: s.id,
      contactName: 'Pat Parent',
      email,
      phone: null,
      authorityCode: KENT,
      children: children.map((c) => ({
        firstName: c.name,
        dateOfBirth: addDays(day, -Math.round(c.age * 365.25) - 40),
        supportNeeds: null,
      })),
      mailingListOptIn: false,
      idempotencyKey: `feedback-test-${bookings}`,
      acceptWaitlist: true,
      memberId,
    },
    links,
    { maxChildren: 10, now: bookedAt },
  )
  if (result.status !== 'booked') throw new Error(`booking refused: ${JSON.stringify(result)}`)
  if (result.hold !== 'address') return result
  // A new family's places are held until the parent opens the emailed link, a minute later.
  const proved = await confirmHeldBooking(db(), result.reference, links, new Date(bookedAt.getTime() + 60_000))
  // Confirming ends the token the form's page gave: the family goes on with its email's link.
  return {
    ...result,
    manageToken: proved.manageToken ?? result.manageToken,
    confirmed: proved.confirmed,
    waitlisted: proved.waitlisted,
    held: proved.held,
  }
}

async function feedbackEmails() {
  return db()
    .selectFrom('outbox')
    .select(['to_address', 'text_body', 'booking_id', 'dedupe_key', 'subject'])
    .where('kind', '=', 'feedback-request')
    .orderBy('id')
    .execute()
}

function feedbackToken(text: string): string {
  const match = /\/feedback\/([A-Za-z0-9_-]{20,})/.exec(text)
  if (!match) throw new Error(`no feedback link in: ${text}`)
  return match[1]!
}

describe('feedback requests', () => {
  it('asks each booking with a confirmed place once, the day after a published session, and nobody else', async () => {
    // A session three days ago: a family of two, a booking only on the waiting list, a cancelled one.
    const past = await session(-3, { capacity: 3 })
    expect(
      (
        await bookPlaces(past, 'ava.parent@example.org', [
          { name: 'Ava', age: 8 },
          { name: 'Ben', age: 6 },
        ])
      ).confirmed,
    ).toEqual(['Ava', 'Ben'])
    const cancelled = await bookPlaces(past, 'gone@example.org', [{ name: 'Cal', age: 7 }])
    expect(
      (
        await cancelPlaces(
          db(),
          { reference: cancelled.reference, token: cancelled.manageToken },
          'all',
          links,
          new Date(past.startsAt.getTime() - 3 * DAY),
        )
      ).status,
    ).toBe('cancelled')
    await bookPlaces(past, 'dee.parent@example.org', [{ name: 'Dee', age: 9 }])
    const waiting = await bookPlaces(past, 'waiting@example.org', [{ name: 'Eve', age: 9 }])
    expect(waiting.waitlisted).toEqual(['Eve'])
    // An Adoptables member who booked a meeting for themselves is asked as "you".
    const meeting = await session(-3, { kind: 'adoptables' })
    const stamp = new Date().toISOString()
    const member = await db()
      .insertInto('member')
      .values({
        first_name: 'Jo',
        date_of_birth: '2011-01-01',
        email: 'jo@example.org',
        member_key: 'jo-test',
        authority_code: KENT,
        notes: null,
        status: 'active',
        parent_email: null,
        consent_token_hash: null,
        consented_at: null,
        access_token_hash: 'x',
        pending_activity_id: null,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await bookPlaces(meeting, 'jo@example.org', [{ name: 'Jo', age: 14 }], member.id)
    // A cancelled session, one ten days ago (past the week's window) and one still to come.
    const cancelledSession = await session(-3)
    await bookPlaces(cancelledSession, 'cancelled.session@example.org', [{ name: 'Fin', age: 8 }])
    expect((await changeActivityStatus(db(), cancelledSession.id, 'cancel', 1, links, 'Presenter unwell')).status).toBe(
      'changed',
    )
    const longAgo = await session(-10)
    await bookPlaces(longAgo, 'long.ago@example.org', [{ name: 'Gus', age: 8 }])
    const future = await session(2)
    await bookPlaces(future, 'future@example.org', [{ name: 'Hal', age: 8 }])

    await service.jobs.runOnce()
    await service.jobs.runOnce()

    const emails = await feedbackEmails()
    expect(emails.map((e) => e.to_address).sort()).toEqual([
      'ava.parent@example.org',
      'dee.parent@example.org',
      'jo@example.org',
    ])
    const ava = emails.find((e) => e.to_address === 'ava.parent@example.org')!
    expect(ava.dedupe_key).toBe(`feedback:booking:${ava.booking_id}`)
    expect(ava.text_body).toContain('Ava and Ben')
    expect(ava.text_body).toContain(`${service.url}/feedback/`)
    expect(emails.find((e) => e.to_address === 'jo@example.org')!.text_body).toContain('what you thought')
    // Only the hash of each link's token is stored.
    const requests = await db()
      .selectFrom('feedback_request')
      .select(['booking_id', 'token_hash', 'expires_at'])
      .execute()
    expect(requests).toHaveLength(3)
    const token = feedbackToken(ava.text_body)
    expect(requests.some((r) => r.token_hash === token)).toBe(false)
    const expiresIn = new Date(requests[0]!.expires_at).getTime() - Date.now()
    expect(expiresIn).toBeGreaterThan(29 * DAY)
    expect(expiresIn).toBeLessThanOrEqual(30 * DAY)
  })

  it('waits until 09:00 London time on the day after the session', async () => {
    const soon = await session(1)
    await bookPlaces(soon, 'tomorrow@example.org', [{ name: 'Ivy', age: 8 }])
    const row = await db().selectFrom('activity').select('ends_at').where('id', '=', soon.id).executeTakeFirstOrThrow()
    const dueAt = feedbackDueAt(row.ends_at)
    expect(londonDateOf(dueAt)).toBe(addDays(londonDateOf(row.ends_at), 1))
    expect(dueAt.toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' })).toBe(
      '09:00',
    )

    expect(await enqueueDueFeedbackRequests(db(), links, new Date(row.ends_at))).toBe(0)
    expect(await enqueueDueFeedbackRequests(db(), links, new Date(dueAt.getTime() - 60_000))).toBe(0)
    expect(await enqueueDueFeedbackRequests(db(), links, dueAt)).toBe(1)
    expect(await enqueueDueFeedbackRequests(db(), links, new Date(dueAt.getTime() + 60_000))).toBe(0)
    // More than a week late (the server was down): not asked any more.
    const late = await session(1)
    const lateBooking = await bookPlaces(late, 'late@example.org', [{ name: 'Jay', age: 8 }])
    const lateRow = await db()
      .selectFrom('activity')
      .select('ends_at')
      .where('id', '=', late.id)
      .executeTakeFirstOrThrow()
    await enqueueDueFeedbackRequests(db(), links, new Date(feedbackDueAt(lateRow.ends_at).getTime() + 8 * DAY))
    const asked = await db()
      .selectFrom('feedback_request')
      .innerJoin('booking', 'booking.id', 'feedback_request.booking_id')
      .select('booking.id')
      .where('booking.reference', '=', lateBooking.reference)
      .execute()
    expect(asked).toEqual([])
  })
})

describe('the feedback page', () => {
  let token: string
  let placeIds: { ava: number; ben: number }

  beforeAll(async () => {
    const ava = (await feedbackEmails()).find((e) => e.to_address === 'ava.parent@example.org')!
    token = feedbackToken(ava.text_body)
    const places = await db()
      .selectFrom('place')
      .select(['id', 'first_name'])
      .where('booking_id', '=', ava.booking_id!)
      .execute()
    placeIds = {
      ava: places.find((p) => p.first_name === 'Ava')!.id,
      ben: places.find((p) => p.first_name === 'Ben')!.id,
    }
  })

  async function feedbackRows() {
    return db()
      .selectFrom('feedback')
      .select(['place_id', 'score', 'comment'])
      .where('place_id', 'in', [placeIds.ava, placeIds.ben])
      .orderBy('place_id')
      .execute()
  }

  it('shows a face scale with words for each confirmed place, without a login', async () => {
    const response = await service.client().get(`/feedback/${token}`)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('How much did Ava enjoy it?')
    expect(html).toContain('How much did Ben enjoy it?')
    expect(html).not.toContain('How much did Cal')
    for (const words of ['Did not enjoy it', 'It was OK', 'Loved it']) expect(html).toContain(words)
    // The face is decoration, hidden from screen readers; the words are the label.
    expect(html).toMatch(
      /<label class="govuk-label govuk-radios__label" for="score-\d+"><span class="govuk-!-margin-right-2" aria-hidden="true">😄<\/span>Loved it<\/label>/,
    )
  })

  it('puts each error by its field, keeps what was typed and records nothing', async () => {
    const client = service.client()
    const long = 'x'.repeat(1001)
    const response = await client.post(`/feedback/${token}`, {
      [`score-${placeIds.ava}`]: '9',
      [`score-${placeIds.ben}`]: '4',
      [`comment-${placeIds.ben}`]: long,
    })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('There is a problem')
    expect(html).toMatch(new RegExp(`id="score-${placeIds.ava}-error"[^>]*>.*Choose how much Ava enjoyed it`, 's'))
    expect(html).toMatch(
      new RegExp(
        `id="comment-${placeIds.ben}-error"[^>]*>.*The comment about Ben must be 1,000 characters or fewer`,
        's',
      ),
    )
    expect(html).toContain(`href="#score-${placeIds.ava}"`)
    expect(html).toContain(long)
    const empty = await client.post(`/feedback/${token}`, {})
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Choose how much at least one child enjoyed it')
    const commentOnly = await client.post(`/feedback/${token}`, { [`comment-${placeIds.ava}`]: 'Great' })
    expect(commentOnly.status).toBe(400)
    expect(await commentOnly.text()).toContain('Choose how much Ava enjoyed it, to go with the comment')
    expect(await feedbackRows()).toEqual([])
  })

  it('takes one response per place: a second submission changes nothing', async () => {
    const client = service.client()
    const first = await client.post(`/feedback/${token}`, {
      [`score-${placeIds.ava}`]: '5',
      [`comment-${placeIds.ava}`]: '  Loved the slime  ',
    })
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe(`/feedback/${token}?sent=1`)
    // The same form again (a double click), and a different answer for the same place.
    const again = await client.post(`/feedback/${token}`, {
      [`score-${placeIds.ava}`]: '5',
      [`comment-${placeIds.ava}`]: 'Loved the slime',
    })
    expect(again.status).toBe(302)
    const changed = await client.post(`/feedback/${token}`, {
      [`score-${placeIds.ava}`]: '1',
      [`score-${placeIds.ben}`]: '',
    })
    expect(changed.status).toBe(302)
    expect(await feedbackRows()).toEqual([{ place_id: placeIds.ava, score: 5, comment: 'Loved the slime' }])

    const page = await (await client.get(`/feedback/${token}?sent=1`)).text()
    expect(page).toContain('Thank you: your answers are saved')
    expect(page).not.toContain('How much did Ava enjoy it?')
    expect(page).toContain('How much did Ben enjoy it?')
  })

  it('ignores a place that is not on the link’s booking', async () => {
    const other = await db()
      .selectFrom('place')
      .innerJoin('booking', 'booking.id', 'place.booking_id')
      .select('place.id')
      .where('booking.email', '=', 'dee.parent@example.org')
      .executeTakeFirstOrThrow()
    const response = await service
      .client()
      .post(`/feedback/${token}`, { [`score-${placeIds.ben}`]: '4', [`score-${other.id}`]: '1' })
    expect(response.status).toBe(302)
    expect(await db().selectFrom('feedback').select('id').where('place_id', '=', other.id).execute()).toEqual([])
    const rows = await feedbackRows()
    expect(rows).toHaveLength(2)
    expect(rows[1]).toEqual({ place_id: placeIds.ben, score: 4, comment: null })
    const done = await (await service.client().get(`/feedback/${token}`)).text()
    expect(done).toContain('Thank you for your feedback')
    expect(done).toContain('<title>Thank you for your feedback – Join In</title>')
  })

  it('answers a wrong link with 404', async () => {
    expect((await service.client().get('/feedback/not-a-real-token-at-all-1234567890')).status).toBe(404)
    expect(
      (await service.client().post('/feedback/not-a-real-token-at-all-1234567890', { 'score-1': '5' })).status,
    ).toBe(404)
  })

  it('shows staff the responses for the session, and refuses a viewer', async () => {
    const activityId = (
      await db().selectFrom('place').select('activity_id').where('id', '=', placeIds.ava).executeTakeFirstOrThrow()
    ).activity_id
    const response = await staff.get(`/staff/activities/${activityId}/feedback`)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toMatch(/Responses<\/dt>\s*<dd class="govuk-summary-list__value">2<\/dd>/)
    expect(html).toContain('4.5 out of 5')
    expect(html).toContain('Loved the slime')
    expect(html).toContain('5: Loved it')
    expect(html).not.toContain('Ava')
    const sessionPage = await (await staff.get(`/staff/activities/${activityId}`)).text()
    expect(sessionPage).toContain(`href="/staff/activities/${activityId}/feedback"`)
    const viewer = await service.signedIn('viewer')
    expect((await viewer.get(`/staff/activities/${activityId}/feedback`)).status).toBe(403)
    expect((await service.client().get(`/staff/activities/${activityId}/feedback`)).status).toBe(302)
  })
})

// ---- the mailing list ---------------------------------------------------------------------

async function subscriber(email: string) {
  return db().selectFrom('mailing_list_subscriber').selectAll().where('email', '=', email).executeTakeFirst()
}

async function confirmEmails(email: string) {
  return db()
    .selectFrom('outbox')
    .select(['text_body', 'status'])
    .where('kind', '=', 'mailing-list-confirm')
    .where('to_address', '=', email)
    .orderBy('id')
    .execute()
}

function confirmPath(text: string): string {
  const match = /\/mailing-list\/confirm\?token=([A-Za-z0-9_%-]+)/.exec(text)
  if (!match) throw new Error(`no confirmation link in: ${text}`)
  return match[0]
}

/** Signs an address up on the page and confirms it with the emailed link, as a person would. */
async function join(email: string, firstName = ''): Promise<void> {
  const client = service.client()
  expect((await client.post('/mailing-list', { email, firstName })).status).toBe(200)
  // A person confirms after the email has reached them.
  await waitFor(async () =>
    (await confirmEmails(email.toLowerCase())).every((e) => e.status === 'sent' || e.status === 'failed'),
  )
  const [latest] = (await confirmEmails(email.toLowerCase())).slice(-1)
  const path = confirmPath(latest!.text_body)
  const token = decodeURIComponent(new URL(path, service.url).searchParams.get('token')!)
  const confirmed = await client.post(path, { token })
  expect(confirmed.status).toBe(200)
  expect(await confirmed.text()).toContain('You have joined our mailing list')
}

/** Makes the service send this address an email (a booking confirmation) and returns it as received. */
async function emailTo(email: string): Promise<ParsedMail> {
  const s = await session(30)
  const { title } = await db().selectFrom('activity').select('title').where('id', '=', s.id).executeTakeFirstOrThrow()
  const response = await confirmBooking(service.client(), s.id, [{ firstName: 'Mo', dob: dobForAge(8) }], { email })
  expect(response.status).toBe(302)
  return waitFor(async () => {
    for (const message of smtp.received.filter((m) => m.to.includes(email))) {
      const mail = await simpleParser(message.raw)
      if (mail.subject?.startsWith(`Booking confirmed: ${title} –`)) return mail
    }
    return undefined
  })
}

describe('the mailing list', () => {
  it('checks the sign-up form field by field and keeps what was typed', async () => {
    const client = service.client()
    const empty = await client.post('/mailing-list', { email: '', firstName: '' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toMatch(/id="email-error"[^>]*>.*Enter your email address/s)
    const bad = await client.post('/mailing-list', { email: 'not an email', firstName: 'N'.repeat(51) })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toMatch(/id="email-error"[^>]*>.*Enter an email address like name@example.com/s)
    expect(html).toMatch(/id="firstName-error"[^>]*>.*First name must be 50 characters or fewer/s)
    expect(html).toContain('value="not an email"')
    expect(html).toContain('href="#email"')
    expect(await db().selectFrom('mailing_list_subscriber').select('id').execute()).toEqual([])
  })

  it('adds someone only once they confirm with the emailed link (double opt-in)', async () => {
    const client = service.client()
    const response = await client.post('/mailing-list', { email: '  Sam@Example.org ', firstName: 'Sam' })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Check your email')
    expect((await subscriber('sam@example.org'))?.status).toBe('pending')
    const [email] = await confirmEmails('sam@example.org')
    expect(email!.text_body).toContain('Hello Sam,')
    const path = confirmPath(email!.text_body)

    // Not current yet: not counted, not exported.
    expect(await (await staff.get('/staff/mailing-list')).text()).toMatch(
      /Current subscribers<\/dt>\s*<dd class="govuk-summary-list__value">0</,
    )
    expect(await (await staff.get('/staff/mailing-list.csv')).text()).not.toContain('sam@example.org')

    // Opening the link (as a mail scanner would) changes nothing; the button does.
    const shown = await client.get(path)
    expect(shown.status).toBe(200)
    expect(await shown.text()).toContain('Yes, add me to the mailing list')
    expect((await subscriber('sam@example.org'))?.status).toBe('pending')
    const token = new URL(path, service.url).searchParams.get('token')!
    const confirmed = await client.post(path, { token })
    expect(await confirmed.text()).toContain('You have joined our mailing list')
    expect((await subscriber('sam@example.org'))?.status).toBe('subscribed')
    const again = await client.post(path, { token })
    expect(await again.text()).toContain('You are already on our mailing list')

    // Asking again once subscribed sends nothing, and the page says the same as before.
    const repeat = await client.post('/mailing-list', { email: 'sam@example.org', firstName: '' })
    expect(await repeat.text()).toContain('Check your email')
    expect(await confirmEmails('sam@example.org')).toHaveLength(1)
    expect(await (await staff.get('/staff/mailing-list')).text()).toMatch(
      /Current subscribers<\/dt>\s*<dd class="govuk-summary-list__value">1</,
    )
  })

  it('refuses a wrong or missing confirmation token', async () => {
    expect((await service.client().get('/mailing-list/confirm?token=nonsense')).status).toBe(404)
    expect((await service.client().get('/mailing-list/confirm')).status).toBe(404)
    expect((await service.client().post('/mailing-list/confirm', { token: 'nonsense' })).status).toBe(404)
  })

  it('starts the same double opt-in from the booking form’s tick box, once', async () => {
    const s = await session(30)
    const ticked = await confirmBooking(service.client(), s.id, [{ firstName: 'Ola', dob: dobForAge(8) }], {
      email: 'ticked@example.org',
      mailingList: 'yes',
    })
    expect(ticked.status).toBe(302)
    // Sam is subscribed already: ticking again sends nothing.
    await confirmBooking(service.client(), s.id, [{ firstName: 'Sid', dob: dobForAge(8) }], {
      email: 'sam@example.org',
      mailingList: 'yes',
    })
    await service.jobs.runOnce()
    await service.jobs.runOnce()
    expect(await confirmEmails('ticked@example.org')).toHaveLength(1)
    expect(await confirmEmails('sam@example.org')).toHaveLength(1)
    const row = await subscriber('ticked@example.org')
    expect(row?.status).toBe('pending')
    expect(row?.source).toBe('booking')
  })

  it('puts an unsubscribe link and RFC 8058 headers on every email to a subscriber, and on no one else’s', async () => {
    const mail = await emailTo('sam@example.org')
    const listUnsubscribe = header(mail, 'List-Unsubscribe')
    expect(listUnsubscribe).toMatch(
      new RegExp(`^<${service.url.replace(/[.:/]/g, '\\$&')}/mailing-list/unsubscribe\\?token=[A-Za-z0-9_-]{43}>$`),
    )
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    const url = listUnsubscribe!.slice(1, -1)
    expect(mail.text).toContain(`Leave the mailing list:\n${url}`)
    expect(mail.html).toContain('Leave the mailing list</a>')
    // The booking email itself is still all there.
    expect(mail.subject).toMatch(/^Booking confirmed/)
    const notSubscribed = await emailTo('not.subscribed@example.org')
    expect(header(notSubscribed, 'List-Unsubscribe')).toBeUndefined()
    expect(notSubscribed.text).not.toContain('/mailing-list/unsubscribe')
  })

  it('unsubscribes in one click from the link in the email, with no login', async () => {
    const mail = await emailTo('sam@example.org')
    const link = /(http\S+\/mailing-list\/unsubscribe\?token=\S+)/.exec(mail.text ?? '')![1]!
    const client = service.client()
    const page = await client.get(new URL(link).pathname + new URL(link).search)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Leave the mailing list</button>')
    expect((await subscriber('sam@example.org'))?.status).toBe('subscribed')
    const token = new URL(link).searchParams.get('token')!
    const left = await client.post(new URL(link).pathname + new URL(link).search, { token })
    expect(left.status).toBe(200)
    const leftText = await left.text()
    expect(leftText).toContain('You have left our mailing list')
    expect(leftText).toContain('<title>You have left our mailing list – Join In</title>')
    expect((await subscriber('sam@example.org'))?.status).toBe('unsubscribed')
    expect(await (await staff.get('/staff/mailing-list.csv')).text()).not.toContain('sam@example.org')
    // Pressing it again is harmless.
    expect(await (await client.post(new URL(link).pathname + new URL(link).search, { token })).text()).toContain(
      'You have left our mailing list',
    )
    // No longer a subscriber: the next email has no footer.
    const after = await emailTo('sam@example.org')
    expect(header(after, 'List-Unsubscribe')).toBeUndefined()
  })

  it('unsubscribes by a mail client’s one-click POST to the List-Unsubscribe address', async () => {
    await join('kit@example.org', 'Kit')
    const mail = await emailTo('kit@example.org')
    const url = header(mail, 'List-Unsubscribe')!.slice(1, -1)
    // As Gmail's servers send it: no cookie, no Origin, only the one-click body.
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    })
    expect(response.status).toBe(200)
    expect((await subscriber('kit@example.org'))?.status).toBe('unsubscribed')
  })

  it('records a bounce when the mail server refuses a subscriber’s address for good', async () => {
    // The confirmation email itself is refused: a pending address is no subscriber, so no bounce.
    await join(REFUSED)
    await waitFor(async () => (await confirmEmails(REFUSED))[0]?.status === 'failed')
    expect(await db().selectFrom('mailing_list_event').select('id').where('kind', '=', 'bounce').execute()).toEqual([])
    expect((await subscriber(REFUSED))?.status).toBe('subscribed')

    const s = await session(30)
    expect(
      (await confirmBooking(service.client(), s.id, [{ firstName: 'Bo', dob: dobForAge(8) }], { email: REFUSED }))
        .status,
    ).toBe(302)
    await waitFor(async () => (await subscriber(REFUSED))?.status === 'bounced')
    // The booking's two emails (asking to confirm the address, then the confirmation) are both
    // refused; the address bounced once.
    const bookingEmails = () =>
      db()
        .selectFrom('outbox')
        .select(['kind', 'status'])
        .where('to_address', '=', REFUSED)
        .where('kind', 'in', ['held', 'confirmation'])
        .orderBy('id')
        .execute()
    await waitFor(async () => (await bookingEmails()).every((e) => e.status === 'failed'))
    expect(await bookingEmails()).toEqual([
      { kind: 'held', status: 'failed' },
      { kind: 'confirmation', status: 'failed' },
    ])
    const failed = await db()
      .selectFrom('outbox')
      .select(['status', 'last_error'])
      .where('to_address', '=', REFUSED)
      .where('kind', '=', 'confirmation')
      .executeTakeFirstOrThrow()
    expect(failed.status).toBe('failed')
    expect(failed.last_error).toContain('550')
    expect(
      await db().selectFrom('mailing_list_event').select('kind').where('kind', '=', 'bounce').execute(),
    ).toHaveLength(1)
  })

  it('tells a refused recipient from other permanent failures', () => {
    expect(isRecipientRefusal({ responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 No such user' })).toBe(true)
    expect(
      isRecipientRefusal({
        responseCode: 550,
        command: 'DATA',
        response: '550 5.1.1 <x@example.org>: Recipient address rejected',
      }),
    ).toBe(true)
    expect(
      isRecipientRefusal({ responseCode: 554, command: 'DATA', response: '554 5.7.1 Message rejected as spam' }),
    ).toBe(false)
    expect(
      isRecipientRefusal({ responseCode: 535, command: 'AUTH PLAIN', response: '535 5.7.8 Authentication failed' }),
    ).toBe(false)
    expect(isRecipientRefusal({ responseCode: 450, command: 'RCPT TO', response: '450 4.2.1 Try later' })).toBe(false)
    expect(isRecipientRefusal({ code: 'ECONNREFUSED' })).toBe(false)
  })

  it('exports current subscribers as CSV for staff, audited and not cached', async () => {
    await join('-cmd@example.org', 'Zed, "Z"')
    const response = await staff.get('/staff/mailing-list.csv')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('cache-control')).toContain('no-store')
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="mailing-list-\d{4}-\d{2}-\d{2}\.csv"$/,
    )
    const body = Buffer.from(await response.arrayBuffer())
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = body.subarray(3).toString('utf8')
    expect(text.endsWith('\r\n')).toBe(true)
    const lines = text.trimEnd().split('\r\n')
    expect(lines[0]).toBe('Email address,First name,Joined (UK time),Joined from')
    // Current only: Sam and Kit left, the refused address bounced, "ticked" never confirmed.
    expect(lines.slice(1)).toHaveLength(1)
    expect(lines[1]).toMatch(/^'-cmd@example\.org,"Zed, ""Z""",\d{4}-\d{2}-\d{2} \d{2}:\d{2},Sign-up page$/)
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'mailing-list.exported')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(audit.detail!)).toEqual({ format: 'csv', subscribers: 1 })
  })

  it('shows the month’s joins, leaves and bounces, counted and listed', async () => {
    const response = await staff.get('/staff/mailing-list')
    expect(response.status).toBe(200)
    const html = await response.text()
    // Joined: Sam, Kit, the refused address, -cmd. Left: Sam, Kit. Bounced: the refused address.
    expect(html).toMatch(
      /Joined \(confirmed by email\)<\/th><td[^>]*>(?:<span class="app-table__label"[^>]*>[^<]*<\/span>)?4</,
    )
    expect(html).toMatch(
      /Left \(used the unsubscribe link\)<\/th><td[^>]*>(?:<span class="app-table__label"[^>]*>[^<]*<\/span>)?2</,
    )
    expect(html).toMatch(/Bounced[^<]*<\/th><td[^>]*>(?:<span class="app-table__label"[^>]*>[^<]*<\/span>)?1</)
    for (const address of ['sam@example.org', 'kit@example.org', REFUSED]) expect(html).toContain(address)
    expect(html).not.toContain('ticked@example.org')
    expect((await staff.get('/staff/mailing-list?month=2026-13')).status).toBe(400)
  })

  it('erases every trace of an address but keeps the month’s counts', async () => {
    const month = londonDateOf(new Date()).slice(0, 7)
    const before = await monthlyAudit(db(), month)
    expect(await eraseMailingListEmail(db(), ' SAM@example.org')).toBe(true)
    expect(await subscriber('sam@example.org')).toBeUndefined()
    expect(await confirmEmails('sam@example.org')).toEqual([])
    const after = await monthlyAudit(db(), month)
    expect({ joins: after.joins, leaves: after.leaves, bounces: after.bounces }).toEqual({
      joins: before.joins,
      leaves: before.leaves,
      bounces: before.bounces,
    })
    expect(after.events.filter((e) => e.email === null)).toHaveLength(2)
    const tokens = await db().selectFrom('mailing_list_unsubscribe_token').select('subscriber_id').execute()
    const ids = new Set((await db().selectFrom('mailing_list_subscriber').select('id').execute()).map((r) => r.id))
    expect(tokens.every((t) => ids.has(t.subscriber_id))).toBe(true)
    const html = await (await staff.get('/staff/mailing-list')).text()
    expect(html).not.toContain('sam@example.org')
    expect(html).toContain('Erased on request')
    expect(await eraseMailingListEmail(db(), 'sam@example.org')).toBe(false)
  })

  it('forgets addresses that never confirmed, and people who left two years ago', async () => {
    const start = Date.now()
    const ago = (days: number) => new Date(start - days * DAY).toISOString()
    const row = (email: string, status: 'pending' | 'unsubscribed' | 'subscribed', days: number) => ({
      email,
      first_name: null,
      status,
      source: 'sign-up' as const,
      confirm_token_hash: null,
      confirm_expires_at: status === 'pending' ? ago(days) : null,
      requested_at: ago(days + 7),
      confirmed_at: status === 'pending' ? null : ago(days + 30),
      left_at: status === 'unsubscribed' ? ago(days) : null,
      created_at: ago(days + 7),
      updated_at: ago(days),
    })
    const inserted = await db()
      .insertInto('mailing_list_subscriber')
      .values([
        row('never.confirmed@example.org', 'pending', 31),
        row('recently.asked@example.org', 'pending', 2),
        row('left.long.ago@example.org', 'unsubscribed', 800),
        row('left.lately@example.org', 'unsubscribed', 300),
      ])
      .returning(['id', 'email'])
      .execute()
    const leftLongAgo = inserted.find((r) => r.email === 'left.long.ago@example.org')!.id
    await db()
      .insertInto('mailing_list_event')
      .values({ kind: 'leave', at: ago(800), subscriber_id: leftLongAgo })
      .execute()
    await service.jobs.runOnce()
    const left = (
      await db()
        .selectFrom('mailing_list_subscriber')
        .select('email')
        .where(
          'email',
          'in',
          inserted.map((r) => r.email),
        )
        .execute()
    ).map((r) => r.email)
    expect(left.sort()).toEqual(['left.lately@example.org', 'recently.asked@example.org'])
    expect(
      await db().selectFrom('mailing_list_event').select('subscriber_id').where('at', '=', ago(800)).execute(),
    ).toEqual([{ subscriber_id: null }])
  })

  it('keeps the staff mailing-list pages from viewers and signed-out people', async () => {
    const viewer = await service.signedIn('viewer')
    expect((await viewer.get('/staff/mailing-list')).status).toBe(403)
    expect((await viewer.get('/staff/mailing-list.csv')).status).toBe(403)
    expect((await service.client().get('/staff/mailing-list')).status).toBe(302)
    expect((await service.client().get('/staff/mailing-list.csv')).status).toBe(302)
  })
})
