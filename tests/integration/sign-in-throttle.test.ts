// Sign-in limits over real HTTP (OWASP ASVS 5.0 V6.3.1): guessing at one account
// is held to a few attempts an hour however fast the guesser posts, and a stranger's guessing never
// keeps the real person out: from an address with no recent failures their password (and code)
// still works, and an administrator can lift the limit. The service's clock is moved, never slept.
// Client addresses are set with X-Forwarded-For, which the service believes because TRUST_PROXY=1.
import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countFailedGuess, signInRefusedUntil } from '../../app/auth/throttle.server'
import { createStaffUser } from '../../app/domain/staff.server'
import { testClock } from '../support/clock'
import { secretFromPage } from '../support/two-factor'
import { startTestService, type TestService } from '../support/service'

const clock = testClock()
let service: TestService

beforeAll(async () => {
  service = await startTestService({ TRUST_PROXY: '1' }, { now: clock.now })
})
afterAll(async () => {
  await service?.close()
})

let made = 0
async function newViewer(): Promise<{ id: number; email: string; password: string }> {
  made += 1
  const email = `throttled${made}@example.org`
  const password = `a long enough password ${made}`
  const id = await createStaffUser(service.database.db, { email, name: `Throttled ${made}`, password, role: 'viewer' })
  return { id, email, password }
}

function from(ip: string, client = service.client()) {
  return {
    client,
    signIn: (email: string, password: string) =>
      client.post('/staff/sign-in', { email, password }, { 'X-Forwarded-For': ip }),
    code: (code: string) =>
      client.post('/staff/sign-in?step=code', { intent: 'code', code }, { 'X-Forwarded-For': ip }),
  }
}

function errorText(html: string): string {
  const message = /<p[^>]*class="govuk-error-message"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? ''
  return message
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

describe('guessing at one account', () => {
  it('allows 5 wrong passwords, then waits that double with every attempt, refused ones too', async () => {
    const person = await newViewer()
    const guesser = from('203.0.113.7')
    for (let i = 1; i <= 5; i++) expect((await guesser.signIn(person.email, `guess number ${i}`)).status).toBe(401)

    const first = await guesser.signIn(person.email, 'guess number 6')
    expect(first.status).toBe(429)
    // This refused attempt counted: the wait is 2 minutes, not the 1 minute the fifth failure set.
    expect(first.headers.get('retry-after')).toBe('120')
    expect(errorText(await first.text())).toBe(
      'Error: Too many attempts to sign in. Wait 2 minutes, then try again. Each try before then makes the wait longer.',
    )
    const second = await guesser.signIn(person.email, 'guess number 7')
    expect(second.headers.get('retry-after')).toBe('240')
    expect(errorText(await second.text())).toContain('Wait 4 minutes, then try again.')

    // The wait is real (not 3 or 4 seconds): a minute later it is still refused, even with the right password.
    clock.advance(60_000)
    const early = await guesser.signIn(person.email, person.password)
    expect(early.status).toBe(429)
    expect(early.headers.get('retry-after')).toBe('480')
    expect(errorText(await early.text())).toContain('Wait 8 minutes, then try again.')
  })

  it('lets a guesser who waits as told make 10 guesses in an hour, far under 100', async () => {
    const person = await newViewer()
    const guesser = from('203.0.113.8')
    const start = clock.now().getTime()
    const waits: number[] = []
    let guesses = 0
    for (let attempt = 0; clock.now().getTime() - start < 3_600_000; attempt++) {
      expect(attempt, 'the guesser is held up').toBeLessThan(100)
      const response = await guesser.signIn(person.email, `hourly guess ${attempt}`)
      if (response.status === 401) {
        guesses += 1
      } else {
        expect(response.status).toBe(429)
        const wait = Number(response.headers.get('retry-after'))
        waits.push(wait)
        clock.advance(wait * 1000)
      }
    }
    // 5 free guesses, then a refusal (the fifth failure's 1 minute doubles to 2); after each wait
    // one guess and one refusal, the wait doubling per attempt up to 15 minutes: guesses at
    // minute 0 (5), 2, 10, 25, 40 and 55; the next would be at 70.
    expect(guesses).toBe(10)
    expect(waits).toEqual([120, 480, 900, 900, 900, 900])
  })
})

describe('a stranger guessing at someone else’s account', () => {
  it('does not stop the right password from an address with no recent failures', async () => {
    const person = await newViewer()
    const stranger = from('203.0.113.66')
    for (let i = 0; i < 30; i++) await stranger.signIn(person.email, `not it ${i}`)
    const refused = await stranger.signIn(person.email, person.password)
    expect(refused.status).toBe(429)

    const owner = from('198.51.100.20')
    const signedIn = await owner.signIn(person.email, person.password)
    expect(signedIn.status).toBe(302)
    expect(signedIn.headers.get('location')).toBe('/staff')
    expect((await owner.client.get('/staff/reports')).status).toBe(200)
    // and the stranger is still refused afterwards
    expect((await stranger.signIn(person.email, 'still guessing')).status).toBe(429)
  })

  it('does not stop the right password and code of an account with two-factor', async () => {
    const person = await newViewer()
    const setup = from('198.51.100.30')
    expect((await setup.signIn(person.email, person.password)).status).toBe(302)
    const started = await setup.client.post('/staff/account', { intent: 'start-setup' })
    expect(started.headers.get('location')).toBe('/staff/two-factor')
    const secret = secretFromPage(await (await setup.client.get('/staff/two-factor')).text())
    const codeAt = (ms: number) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: ms })
    // Both are checked at the service's clock; signing in uses the next step, as a code works once.
    const on = await setup.client.post('/staff/two-factor', { intent: 'confirm', code: codeAt(clock.now().getTime()) })
    expect(on.status).toBe(200)
    expect(await on.text()).toContain('Two-factor authentication is on')

    const stranger = from('203.0.113.67')
    for (let i = 0; i < 30; i++) await stranger.signIn(person.email, `not it ${i}`)
    expect((await stranger.signIn(person.email, person.password)).status).toBe(429)

    const owner = from('198.51.100.31')
    const password = await owner.signIn(person.email, person.password)
    expect(password.status).toBe(302)
    expect(password.headers.get('location')).toBe('/staff/sign-in?step=code')
    const code = await owner.code(codeAt(clock.now().getTime() + 30_000))
    expect(code.status).toBe(302)
    expect(code.headers.get('location')).toBe('/staff')
    expect((await owner.client.get('/staff/reports')).status).toBe(200)
  })

  it('can be undone by an administrator from the account’s page, which is audited', async () => {
    const person = await newViewer()
    const stranger = from('203.0.113.68')
    for (let i = 0; i < 30; i++) await stranger.signIn(person.email, `not it ${i}`)
    // The owner shares an office address that has failed recently (their own typing mistake):
    const office = from('198.51.100.77')
    expect((await office.signIn(person.email, 'a typing mistake')).status).toBe(401)
    const refused = await office.signIn(person.email, person.password)
    expect(refused.status).toBe(429)
    expect(errorText(await refused.text())).toContain('Wait 15 minutes, then try again.')

    const admin = await service.signedIn('admin')
    const page = await (await admin.get(`/staff/users/${person.id}`)).text()
    expect(page).toContain('Sign-in is paused')
    const unlocked = await admin.post(`/staff/users/${person.id}`, { intent: 'unlock-sign-in' })
    expect(unlocked.status).toBe(302)
    expect(unlocked.headers.get('location')).toBe(`/staff/users/${person.id}?notice=sign-in-unlocked`)
    expect(await (await admin.get(unlocked.headers.get('location')!)).text()).toContain(
      'Sign-in unlocked. They can sign in with their password now.',
    )
    const audit = await service.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id'])
      .where('subject_type', '=', 'staff_user')
      .where('subject_id', '=', String(person.id))
      .where('action', '=', 'staff.sign-in-unlocked')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.actor_user_id).not.toBeNull()

    const signedIn = await office.signIn(person.email, person.password)
    expect(signedIn.status).toBe(302)
    expect(signedIn.headers.get('location')).toBe('/staff')
  })
})

describe('guessing at one account from many addresses', () => {
  it('stops at 100 wrong guesses in the hour, wherever the next comes from, until an administrator unlocks', async () => {
    const person = await newViewer()
    const db = service.database.db
    // 100 addresses that have never failed, each guessing once. Counted straight into the limits
    // (each checked password would take a second of scrypt here); each is let through first.
    for (let i = 0; i < 100; i++) {
      const ip = `192.0.2.${i + 1}`
      expect(await signInRefusedUntil(db, person.email, ip, clock.now()), `guess ${i + 1}`).toBeNull()
      await countFailedGuess(db, person.email, ip, clock.now())
    }
    clock.advance(10 * 60_000)
    const fresh = from('198.51.100.200')
    const refused = await fresh.signIn(person.email, person.password)
    expect(refused.status).toBe(429)
    // the hour from the first guess, less the 10 minutes and the seconds the 100 guesses took
    const wait = Number(refused.headers.get('retry-after'))
    expect(wait).toBeGreaterThan(2940)
    expect(wait).toBeLessThanOrEqual(3000)
    expect(errorText(await refused.text())).toContain('Wait 50 minutes, then try again.')

    const admin = await service.signedIn('admin')
    const page = await (await admin.get(`/staff/users/${person.id}`)).text()
    expect(page).toContain('so it waits wherever they sign in from')
    await admin.post(`/staff/users/${person.id}`, { intent: 'unlock-sign-in' })
    const signedIn = await from('198.51.100.201').signIn(person.email, person.password)
    expect(signedIn.status).toBe(302)
  })
})
