// Family sign-in without a password, against the real server and a real SMTP server: a one-time
// link emailed to the address, the same answer whether or not the address is known, throttles per
// address and per IP that answer the same and send nothing more, the family cookie, and sign-out
// that ends the session on the server.
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testClock } from '../support/clock'
import { createFamily } from '../support/family'
import { startTestService, type HttpClient, type TestService } from '../support/service'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { waitFor } from '../support/wait'

const HOUR = 3_600_000
const clock = testClock()
let service: TestService
let smtp: TestSmtp

beforeAll(async () => {
  smtp = await startSmtp()
  service = await startTestService({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100' }, { now: clock.now })
})

afterAll(async () => {
  await service?.close()
  await smtp?.close()
})

const db = () => service.database.db

/** Emails the outbox has queued or sent to this address. */
async function emailsTo(address: string): Promise<number> {
  const row = await db()
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('to_address', '=', address)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The sign-in link in the latest email the SMTP server received for this address. */
async function signInLinkFor(address: string, after = 0): Promise<string> {
  const message = await waitFor(() => smtp.received.filter((m) => m.to.includes(address))[after])
  const mail = await simpleParser(message.raw)
  const match = /http:\/\/127\.0\.0\.1:\d+(\/family\/sign-in\/[A-Za-z0-9_-]+(?:\?redirectTo=[^\s]+)?)/.exec(
    mail.text ?? '',
  )
  if (!match) throw new Error(`no sign-in link in: ${mail.text}`)
  return match[1]!
}

async function askForLink(client: HttpClient, email: string, redirectTo?: string): Promise<string> {
  const response = await client.post('/family/sign-in', { email, ...(redirectTo ? { redirectTo } : {}) })
  expect(response.status).toBe(200)
  return response.text()
}

/** The part of the answer page that could differ: the main content, without the form's token. */
function answerOf(html: string): string {
  return /<main[\s\S]*<\/main>/.exec(html)![0]
}

describe('signing in by an emailed link', () => {
  it('asks for an address, with GOV.UK errors for an empty or invalid one that keep what was typed', async () => {
    const client = service.client()
    const page = await client.get('/family/sign-in')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Sign in to see your bookings')
    expect(html).toContain('name="email"')

    const empty = await client.post('/family/sign-in', { email: '' })
    expect(empty.status).toBe(400)
    const emptyHtml = await empty.text()
    expect(emptyHtml).toContain('There is a problem')
    expect(emptyHtml).toContain('href="#email">Enter your email address')

    const invalid = await client.post('/family/sign-in', { email: 'pat at example' })
    expect(invalid.status).toBe(400)
    const invalidHtml = await invalid.text()
    expect(invalidHtml).toContain('Enter an email address in the correct format, like name@example.com')
    expect(invalidHtml).toContain('value="pat at example"')
  })

  it('sends a link that works once, signs in, confirms the address and goes where the family was going', async () => {
    const { email, familyId } = await createFamily(db(), { email: 'once@example.org', confirmedAt: null })
    const client = service.client()
    const answer = await askForLink(client, 'Once@Example.org', '/family/details')
    expect(answer).toContain('Check your email')
    const link = await signInLinkFor(email)
    expect(link).toContain('redirectTo=%2Ffamily%2Fdetails')
    // Only the hash is stored.
    const token = /\/family\/sign-in\/([^?]+)/.exec(link)![1]!
    const stored = await db()
      .selectFrom('family_token')
      .select('token_hash')
      .where('family_id', '=', familyId)
      .execute()
    expect(stored).toHaveLength(1)
    expect(stored[0]!.token_hash).not.toBe(token)

    // Opening the link (as a mail scanner does) changes nothing: it shows a button.
    const opened = await client.get(link)
    expect(opened.status).toBe(200)
    const openedHtml = await opened.text()
    expect(openedHtml).toContain('Sign in</button>')
    expect(client.cookies.has('join-in-family')).toBe(false)
    const reopened = await client.get(link)
    expect(reopened.status).toBe(200)

    // Pages with the link's secret in their address, and the family's own pages, are never stored.
    expect(opened.headers.get('cache-control')).toBe('no-store')
    const signedIn = await client.post(link, { redirectTo: '/family/details' })
    expect(signedIn.status).toBe(302)
    expect(signedIn.headers.get('location')).toBe('/family/details')
    expect(client.cookies.has('join-in-family')).toBe(true)
    const family = await db().selectFrom('family').select('confirmed_at').where('id', '=', familyId).executeTakeFirst()
    expect(family!.confirmed_at).not.toBeNull()
    const home = await client.get('/family')
    expect(home.status).toBe(200)
    expect(home.headers.get('cache-control')).toBe('no-store')
    expect(await home.text()).toContain('once@example.org')

    // The second use is refused with a way to ask again, and signs nobody in.
    const other = service.client()
    const again = await other.post(link, {})
    expect(again.status).toBe(410)
    const againHtml = await again.text()
    expect(againHtml).toContain('This link has expired or has already been used')
    expect(againHtml).toContain('href="/family/sign-in"')
    expect(other.cookies.has('join-in-family')).toBe(false)
    expect((await other.get(link)).status).toBe(410)
  })

  it('goes only to a page on this site after signing in', async () => {
    const { email } = await createFamily(db(), { email: 'redirect@example.org' })
    const client = service.client()
    await askForLink(client, email)
    const link = await signInLinkFor(email)
    const signedIn = await client.post(link, { redirectTo: 'https://evil.example/phish' })
    expect(signedIn.status).toBe(302)
    expect(signedIn.headers.get('location')).toBe('/family')
  })

  it('refuses an expired link and an unknown one with a page, never a 500', async () => {
    const { email } = await createFamily(db(), { email: 'expired@example.org' })
    const client = service.client()
    await askForLink(client, email)
    const link = await signInLinkFor(email)
    clock.advance(31 * 60_000)
    const expired = await client.post(link, {})
    expect(expired.status).toBe(410)
    expect(await expired.text()).toContain('Ask for a new link')
    expect(client.cookies.has('join-in-family')).toBe(false)

    const unknown = await client.get('/family/sign-in/not-a-real-token')
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('href="/family/sign-in"')
    expect((await client.post('/family/sign-in/not-a-real-token', {})).status).toBe(400)
    expect((await client.post(`/family/sign-in/${'x'.repeat(300)}`, {})).status).toBe(400)
  })

  it('gives the same answer for an unknown address, sends it nothing and creates no family', async () => {
    const { email } = await createFamily(db(), { email: 'known@example.org' })
    const client = service.client()
    const known = await askForLink(client, email)
    const unknown = await askForLink(client, 'nobody-here@example.org')
    expect(answerOf(unknown).replaceAll('nobody-here@example.org', 'ADDRESS')).toBe(
      answerOf(known).replaceAll('known@example.org', 'ADDRESS'),
    )
    expect(unknown).toContain('if we have your address')
    await signInLinkFor(email)
    expect(await emailsTo('nobody-here@example.org')).toBe(0)
    const created = await db()
      .selectFrom('family')
      .select('id')
      .where('email', '=', 'nobody-here@example.org')
      .execute()
    expect(created).toHaveLength(0)
  })

  it('throttles per address: the same page, and no more than 5 emails an hour', async () => {
    clock.advance(2 * HOUR)
    const { email } = await createFamily(db(), { email: 'throttled@example.org' })
    const client = service.client()
    const first = await askForLink(client, email)
    for (let i = 0; i < 6; i++) expect(answerOf(await askForLink(client, email))).toBe(answerOf(first))
    await waitFor(() => smtp.received.filter((m) => m.to.includes(email)).length >= 5)
    expect(await emailsTo(email)).toBe(5)
    // The throttle counts the address by its hash: the address is not written into the count.
    const keys = await db().selectFrom('rate_limit').select('key').execute()
    expect(keys.filter((k) => k.key.startsWith('family-sign-in:email:'))).not.toHaveLength(0)
    expect(keys.some((k) => k.key.includes('throttled@example.org'))).toBe(false)
    // An hour later the address may ask again.
    clock.advance(HOUR + 60_000)
    await askForLink(client, email)
    expect(await emailsTo(email)).toBe(6)
  })

  it('throttles per IP: after 20 asks in 10 minutes the same page, and nothing sent', async () => {
    clock.advance(2 * HOUR)
    const { email } = await createFamily(db(), { email: 'per-ip@example.org' })
    const client = service.client()
    for (let i = 0; i < 20; i++) await askForLink(client, `stranger${i}@example.org`)
    const answer = await askForLink(client, email)
    expect(answer).toContain('Check your email')
    expect(await emailsTo(email)).toBe(0)
    clock.advance(11 * 60_000)
    await askForLink(client, email)
    expect(await emailsTo(email)).toBe(1)
  })

  it('sets its own cookie: join-in-family, HttpOnly, SameSite=Lax, 30 days', async () => {
    clock.advance(2 * HOUR)
    const { email } = await createFamily(db(), { email: 'cookie@example.org' })
    const client = service.client()
    await askForLink(client, email)
    const signedIn = await client.post(await signInLinkFor(email), {})
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('join-in-family='))
    expect(cookie).toBeDefined()
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; SameSite=Lax/)
    expect(cookie).toMatch(/; Path=\//)
    expect(cookie).toMatch(/; Max-Age=2592000/)
    expect(cookie).not.toMatch(/Secure/)
  })

  it('ends the session on the server when the family signs out: the old cookie no longer works', async () => {
    clock.advance(2 * HOUR)
    const { email, familyId } = await createFamily(db(), { email: 'sign-out@example.org' })
    const client = service.client()
    await askForLink(client, email)
    await client.post(await signInLinkFor(email), {})
    const token = client.cookies.get('join-in-family')!
    expect((await client.get('/family')).status).toBe(200)
    const out = await client.post('/family/sign-out', {})
    expect(out.status).toBe(302)
    expect(out.headers.get('location')).toBe('/')
    expect(client.cookies.has('join-in-family')).toBe(false)
    const sessions = await db().selectFrom('family_session').select('id').where('family_id', '=', familyId).execute()
    expect(sessions).toHaveLength(0)
    // The copied cookie is refused too: family pages send it to sign in.
    const copy = service.client()
    copy.cookies.set('join-in-family', token)
    const refused = await copy.get('/family')
    expect(refused.status).toBe(302)
    expect(refused.headers.get('location')).toBe('/family/sign-in?redirectTo=%2Ffamily')
  })

  it('sends signed-out people from every family page to sign in', async () => {
    const client = service.client()
    for (const path of ['/family', '/family/details', '/family/children/new', '/family/data', '/family/delete']) {
      const response = await client.get(path)
      expect(response.status, path).toBe(302)
      expect(response.headers.get('location'), path).toBe(`/family/sign-in?redirectTo=${encodeURIComponent(path)}`)
    }
  })

  it('shows "Sign in to see your bookings" in the header, and "Your family" and "Sign out" once signed in', async () => {
    const client = service.client()
    const signedOut = await (await client.get('/')).text()
    expect(signedOut).toContain('href="/family/sign-in"')
    expect(signedOut).toContain('Sign in to see your bookings')
    const { familyId } = await createFamily(db(), { email: 'header@example.org' })
    const { signInFamilyDirectly } = await import('../support/family')
    await signInFamilyDirectly(db(), client, familyId)
    const signedIn = await (await client.get('/')).text()
    expect(signedIn).toContain('href="/family"')
    expect(signedIn).toContain('action="/family/sign-out"')
    expect(signedIn).not.toContain('Sign in to see your bookings')
    // Not on staff pages.
    const staffPage = await (await service.client().get('/staff/sign-in')).text()
    expect(staffPage).not.toContain('Sign in to see your bookings')
  })
})

describe('with SECURE_COOKIES=true', () => {
  let secure: TestService
  let secureSmtp: TestSmtp
  beforeAll(async () => {
    secureSmtp = await startSmtp()
    secure = await startTestService({ SMTP_URL: secureSmtp.url, OUTBOX_POLL_MS: '100', SECURE_COOKIES: 'true' })
  })
  afterAll(async () => {
    await secure?.close()
    await secureSmtp?.close()
  })

  it('names the cookie __Host-join-in-family, with Secure and Path=/', async () => {
    const { email } = await createFamily(secure.database.db, { email: 'secure@example.org' })
    const client = secure.client()
    expect((await client.post('/family/sign-in', { email })).status).toBe(200)
    const message = await waitFor(() => secureSmtp.received.find((m) => m.to.includes(email)))
    const text = (await simpleParser(message.raw)).text ?? ''
    const link = /\/family\/sign-in\/[A-Za-z0-9_-]+/.exec(text)![0]
    const signedIn = await client.post(link, {})
    expect(signedIn.status).toBe(302)
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('__Host-join-in-family='))
    expect(cookie).toBeDefined()
    expect(cookie).toMatch(/; Secure/)
    expect(cookie).toMatch(/; Path=\/(;|$)/)
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).not.toMatch(/Domain=/)
  })
})
