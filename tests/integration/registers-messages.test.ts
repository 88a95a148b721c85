// Registers and messages over real HTTP against the production build: the register's CSV, who
// may see and change what, and messages reaching exactly the families they are meant for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { londonDateOf } from '../../app/time/london-time'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const MEDWAY = 'E06000035'
const JOIN_LINK_MARK = 'SECRET-LINK-123'

/** The body as bytes and as text with its BOM kept (Response.text() would drop it). */
async function download(response: Response): Promise<{ bytes: Uint8Array; text: string }> {
  const bytes = new Uint8Array(await response.arrayBuffer())
  return { bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) }
}

let service: TestService
let staff: HttpClient
let viewer: HttpClient
let activityId: number
let emptyActivityId: number
const placeIds: Record<string, number> = {}
const bookingIds: Record<string, number> = {}

async function book(
  firstNames: string[],
  email: string,
  overrides: Record<string, string> = {},
  supportNeeds = '',
): Promise<void> {
  const response = await confirmBooking(
    service.client(),
    activityId,
    firstNames.map((firstName, i) => ({ firstName, dob: dobForAge(6 + i), supportNeeds: i === 0 ? supportNeeds : '' })),
    { email, contactName: `Carer of ${firstNames[0]}`, ...overrides },
  )
  expect(response.status).toBe(302)
}

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '100000' })
  activityId = await publishActivity(service, { capacity: '3', title: 'Register check' })
  emptyActivityId = await publishActivity(service, { title: 'Nobody booked' })
  // Three spaces: Ava and Leo (one family) and Mia (Medway) have places; Noah and Zara wait.
  await book(['Ava', 'Leo'], 'pat@example.org', {}, '=HYPERLINK("x"), needs "quiet" breaks')
  await book(['Mia'], 'sam@example.org', { authority: MEDWAY })
  await book(['Noah'], 'lee@example.org')
  await book(['Zara'], 'kim@example.org')
  const places = await service.database.db
    .selectFrom('place')
    .select(['id', 'first_name', 'booking_id', 'status'])
    .where('activity_id', '=', activityId)
    .execute()
  for (const p of places) {
    placeIds[p.first_name!] = p.id
    bookingIds[p.first_name!] = p.booking_id
  }
  expect(
    places
      .filter((p) => p.status === 'confirmed')
      .map((p) => p.first_name)
      .sort(),
  ).toEqual(['Ava', 'Leo', 'Mia'])
  expect(
    places
      .filter((p) => p.status === 'waitlisted')
      .map((p) => p.first_name)
      .sort(),
  ).toEqual(['Noah', 'Zara'])
  staff = await service.signedIn('staff')
  viewer = await service.signedIn('viewer')
})

afterAll(async () => {
  await service?.close()
})

async function attendance(): Promise<Record<string, number | null>> {
  const rows = await service.database.db
    .selectFrom('place')
    .select(['first_name', 'attended'])
    .where('activity_id', '=', activityId)
    .execute()
  return Object.fromEntries(rows.map((r) => [r.first_name!, r.attended]))
}

async function registerCsvLines(): Promise<string[]> {
  const response = await staff.get(`/staff/activities/${activityId}/register.csv`)
  expect(response.status).toBe(200)
  const { text } = await download(response)
  return text.slice(1).split('\r\n').slice(0, -1)
}

describe('the register', () => {
  it('downloads as a CSV with a BOM, CRLF line ends, no caching, formula-safe fields, and is audited', async () => {
    const response = await staff.get(`/staff/activities/${activityId}/register.csv`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-store')
    const activity = await service.database.db
      .selectFrom('activity')
      .select('starts_at')
      .where('id', '=', activityId)
      .executeTakeFirstOrThrow()
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="join-in-register-${londonDateOf(activity.starts_at)}-session-${activityId}.csv"`,
    )
    const { bytes, text } = await download(response)
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.slice(1).split('\r\n')).toEqual([
      'First name,Age on the day,Home authority,Support needs,Attended',
      // A support need starting with "=" gets an apostrophe; quotes doubled, comma quoted.
      `Ava,6,Kent,"'=HYPERLINK(""x""), needs ""quiet"" breaks",`,
      'Leo,7,Kent,,',
      'Mia,6,Medway,,',
      '',
    ])
    const audit = await service.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'register.exported')
      .where('subject_id', '=', String(activityId))
      .execute()
    expect(audit.length).toBeGreaterThanOrEqual(1)
  })

  it('saves the marks posted and leaves the others alone; the CSV shows them', async () => {
    // the session is a month away: marking it now is confirmed, as the page asks
    const response = await staff.post(`/staff/activities/${activityId}/register`, {
      intent: 'save',
      confirmEarly: 'yes',
      [`attended-${placeIds.Ava}`]: 'yes',
      [`attended-${placeIds.Leo}`]: 'no',
      // A waitlisted place has no place on the register: its mark changes nothing.
      [`attended-${placeIds.Noah}`]: 'yes',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/staff/activities/${activityId}/register?saved=1`)
    expect(await attendance()).toEqual({ Ava: 1, Leo: 0, Mia: null, Noah: null, Zara: null })
    expect((await registerCsvLines()).slice(1)).toEqual([
      `Ava,6,Kent,"'=HYPERLINK(""x""), needs ""quiet"" breaks",Yes`,
      'Leo,7,Kent,,No',
      'Mia,6,Medway,,',
    ])
  })

  it('refuses a garbled mark whole, changing nothing', async () => {
    const response = await staff.post(`/staff/activities/${activityId}/register`, {
      [`attended-${placeIds.Ava}`]: 'no',
      [`attended-${placeIds.Leo}`]: 'maybe',
    })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('The register could not be saved')
    expect(await attendance()).toEqual({ Ava: 1, Leo: 0, Mia: null, Noah: null, Zara: null })
  })

  it('marks everyone not yet marked as attended, after the marks posted with it', async () => {
    const response = await staff.post(`/staff/activities/${activityId}/register`, {
      intent: 'mark-rest-attended',
      confirmEarly: 'yes',
      [`attended-${placeIds.Leo}`]: 'no',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/staff/activities/${activityId}/register?saved=rest`)
    expect(await attendance()).toEqual({ Ava: 1, Leo: 0, Mia: 1, Noah: null, Zara: null })
    const page = await staff.get(`/staff/activities/${activityId}/register?saved=rest`)
    const html = await page.text()
    expect(html).toContain('3 children: 2 attended, 1 did not attend, 0 not marked yet.')
    expect(html).toContain('Everyone not marked was marked as attended')
  })
})

describe('who may see registers and send messages', () => {
  it('refuses a viewer the register, its CSV and messages, on GET and POST, changing nothing', async () => {
    const before = await attendance()
    const outboxBefore = await service.database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    for (const path of [
      `/staff/activities/${activityId}/register`,
      `/staff/activities/${activityId}/register.csv`,
      `/staff/activities/${activityId}/messages`,
    ]) {
      const response = await viewer.get(path)
      expect(response.status, path).toBe(403)
      expect(await response.text()).not.toContain('Ava')
    }
    const save = await viewer.post(`/staff/activities/${activityId}/register`, { [`attended-${placeIds.Mia}`]: 'no' })
    expect(save.status).toBe(403)
    for (const intent of ['check', 'send']) {
      const response = await viewer.post(`/staff/activities/${activityId}/messages`, {
        intent,
        audience: 'confirmed',
        subject: 'Hello',
        body: 'From a viewer',
        sendKey: crypto.randomUUID(),
      })
      expect(response.status, intent).toBe(403)
    }
    expect(await attendance()).toEqual(before)
    const outboxAfter = await service.database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(outboxAfter.n)).toBe(Number(outboxBefore.n))
    expect(await service.database.db.selectFrom('session_message').selectAll().execute()).toEqual([])
  })

  it('sends someone signed out to sign in', async () => {
    const response = await service.client().get(`/staff/activities/${activityId}/register.csv`)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toMatch(/^\/staff\/sign-in\?redirectTo=/)
  })
})

/** Posts the write step, then the check step's Send with the key it gave. */
async function sendMessage(form: {
  audience: string
  subject: string
  body: string
}): Promise<{ sendKey: string; response: Response }> {
  const check = await staff.post(`/staff/activities/${activityId}/messages`, { intent: 'check', ...form })
  expect(check.status).toBe(200)
  const html = await check.text()
  expect(html).toContain('Check your message')
  const sendKey = /name="sendKey" value="([0-9a-f-]{36})"/.exec(html)?.[1]
  expect(sendKey).toBeTruthy()
  const response = await staff.post(`/staff/activities/${activityId}/messages`, {
    intent: 'send',
    sendKey: sendKey!,
    ...form,
  })
  return { sendKey: sendKey!, response }
}

async function messageEmails(messageId: number) {
  return service.database.db
    .selectFrom('outbox')
    .selectAll()
    .where('dedupe_key', 'like', `message:${messageId}:booking:%`)
    .orderBy('booking_id')
    .execute()
}

describe('messages to a session’s families', () => {
  it('shows how many families each choice reaches, then checks the message before sending', async () => {
    const page = await staff.get(`/staff/activities/${activityId}/messages`)
    expect(page.status).toBe(200)
    const html = await page.text()
    // Ava and Leo are one family: two families have places, two are waiting.
    expect(html).toContain('2 families')
    expect(html).toContain('2 families. They do not get the Teams joining link')
    const check = await staff.post(`/staff/activities/${activityId}/messages`, {
      intent: 'check',
      audience: 'confirmed',
      subject: 'Bring glue',
      body: 'Hello',
    })
    expect(await check.text()).toContain('Send to 2 families')
    // Checking sends nothing.
    expect(
      await service.database.db.selectFrom('outbox').selectAll().where('kind', '=', 'session-message').execute(),
    ).toEqual([])
  })

  it('emails exactly the families with a place, once each, with the joining link, and records the message', async () => {
    const { sendKey, response } = await sendMessage({
      audience: 'confirmed',
      subject: 'Bring glue and scissors',
      body: 'Hello,\nPlease have glue and child-safe scissors ready.',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/staff/activities/${activityId}?notice=message-sent-2`)

    const messages = await service.database.db
      .selectFrom('session_message')
      .selectAll()
      .where('activity_id', '=', activityId)
      .execute()
    expect(messages).toHaveLength(1)
    const message = messages[0]!
    expect(message).toMatchObject({ audience: 'confirmed', subject: 'Bring glue and scissors', recipients: 2 })
    expect(message.body).toBe('Hello,\nPlease have glue and child-safe scissors ready.')

    const emails = await messageEmails(message.id)
    expect(emails.map((e) => [e.to_address, e.booking_id, e.dedupe_key])).toEqual([
      ['pat@example.org', bookingIds.Ava, `message:${message.id}:booking:${bookingIds.Ava}`],
      ['sam@example.org', bookingIds.Mia, `message:${message.id}:booking:${bookingIds.Mia}`],
    ])
    for (const email of emails) {
      expect(email.kind).toBe('session-message')
      expect(email.activity_id).toBe(activityId)
      expect(email.subject).toBe('Bring glue and scissors')
      expect(email.text_body).toContain('Please have glue and child-safe scissors ready.')
      expect(email.text_body).toContain(JOIN_LINK_MARK)
    }
    expect(emails[0]!.text_body).toContain('Ava and Leo have places')

    // The same Send posted again (a double click without JavaScript) is the same message.
    const again = await staff.post(`/staff/activities/${activityId}/messages`, {
      intent: 'send',
      sendKey,
      audience: 'confirmed',
      subject: 'Bring glue and scissors',
      body: 'Hello,\nPlease have glue and child-safe scissors ready.',
    })
    expect(again.status).toBe(302)
    expect(await service.database.db.selectFrom('session_message').selectAll().execute()).toHaveLength(1)
    expect(await messageEmails(message.id)).toHaveLength(2)

    const audit = await service.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'session.message-sent')
      .execute()
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ messageId: message.id, audience: 'confirmed', recipients: 2 })

    const sessionPage = await (await staff.get(`/staff/activities/${activityId}?notice=message-sent-2`)).text()
    expect(sessionPage).toContain('Message sent to 2 families')
    expect(sessionPage).toContain('Messages sent (1)')
    expect(sessionPage).toContain('Bring glue and scissors')
    expect(sessionPage).toContain('Families with a place: 2 families')
  })

  it('emails exactly the waiting list, never with the joining link', async () => {
    const { response } = await sendMessage({
      audience: 'waitlisted',
      subject: 'Still waiting',
      body: 'We are looking for a bigger room.',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/staff/activities/${activityId}?notice=message-sent-2`)
    const message = await service.database.db
      .selectFrom('session_message')
      .selectAll()
      .where('subject', '=', 'Still waiting')
      .executeTakeFirstOrThrow()
    expect(message).toMatchObject({ activity_id: activityId, audience: 'waitlisted', recipients: 2 })
    const emails = await messageEmails(message.id)
    expect(emails.map((e) => [e.to_address, e.booking_id])).toEqual([
      ['lee@example.org', bookingIds.Noah],
      ['kim@example.org', bookingIds.Zara],
    ])
    for (const email of emails) {
      expect(email.text_body).toContain('We are looking for a bigger room.')
      expect(email.text_body).toContain('on the waiting list')
      expect(`${email.text_body}${email.html_body}`).not.toContain(JOIN_LINK_MARK)
      expect(`${email.text_body}${email.html_body}`).not.toContain('teams.microsoft.com')
    }
  })

  it('refuses a waiting-list message with the joining link pasted in, by the message field', async () => {
    const before = await service.database.db.selectFrom('outbox').selectAll().execute()
    const response = await staff.post(`/staff/activities/${activityId}/messages`, {
      intent: 'check',
      audience: 'waitlisted',
      subject: 'Join us',
      body: 'Try this: https://teams.microsoft.com/l/meetup-join/19%3ameeting_SECRET-LINK-123%40thread.v2/0',
    })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('href="#body"')
    expect(html).toMatch(/id="body-error"[^>]*>.*Remove the Teams joining link/s)
    expect(await service.database.db.selectFrom('outbox').selectAll().execute()).toHaveLength(before.length)
  })

  it('shows each error by its field and keeps what was typed', async () => {
    const longSubject = 'S'.repeat(151)
    const response = await staff.post(`/staff/activities/${activityId}/messages`, {
      intent: 'check',
      subject: longSubject,
      body: 'Please bring <scissors> & glue',
    })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('There is a problem')
    expect(html).toContain('<a href="#audience">Choose who to send the message to</a>')
    expect(html).toContain('<a href="#subject">Subject must be 150 characters or fewer</a>')
    expect(html).toMatch(/id="audience-error"[^>]*>.*Choose who to send the message to/s)
    expect(html).toMatch(/id="subject-error"[^>]*>.*Subject must be 150 characters or fewer/s)
    expect(html).toContain(`value="${longSubject}"`)
    expect(html).toContain('Please bring &lt;scissors&gt; &amp; glue</textarea>')

    const empty = await staff.post(`/staff/activities/${activityId}/messages`, {
      intent: 'check',
      audience: 'confirmed',
      subject: '  ',
      body: '',
    })
    expect(empty.status).toBe(400)
    const emptyHtml = await empty.text()
    expect(emptyHtml).toContain('<a href="#subject">Enter a subject</a>')
    expect(emptyHtml).toContain('<a href="#body">Enter a message</a>')
    // The audience chosen stays chosen.
    const firstRadio = /<input[^>]*id="audience"[^>]*>/.exec(emptyHtml)?.[0] ?? ''
    expect(firstRadio).toContain('value="confirmed"')
    expect(firstRadio).toContain('checked=""')

    // Sending straight away without the check step's key sends nothing.
    const unchecked = await staff.post(`/staff/activities/${activityId}/messages`, {
      intent: 'send',
      audience: 'confirmed',
      subject: 'Sneaky',
      body: 'Skipped the check',
    })
    expect(unchecked.status).toBe(400)
    expect(
      await service.database.db.selectFrom('session_message').selectAll().where('subject', '=', 'Sneaky').execute(),
    ).toEqual([])
  })

  it('says when nobody would get the message, and sends nothing', async () => {
    const response = await staff.post(`/staff/activities/${emptyActivityId}/messages`, {
      intent: 'check',
      audience: 'confirmed',
      subject: 'Anyone there?',
      body: 'Hello',
    })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('Nobody has a place on this session')
    expect(
      await service.database.db
        .selectFrom('session_message')
        .selectAll()
        .where('activity_id', '=', emptyActivityId)
        .execute(),
    ).toEqual([])
  })
})
