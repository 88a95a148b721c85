// Families end to end in Chromium against the real server, real SMTP and a database: a parent books
// two children as a new family (places held, no joining link), confirms the address from the email,
// then books another session signed in by ticking both children, typing nothing again; a stranger
// who types a booked child's first name and date of birth learns nothing; an unconfirmed family
// never sees or is emailed the link and its hold is released when it runs out; brothers and sisters
// on a waiting list are given places together. With JavaScript on and off, at phone width.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmBooking, dobParts, placeCounts, publishActivity, uniqueTitle } from '../support/booking'
import {
  chooseCouncil,
  expectAccessible,
  launchBrowser,
  newContext,
  noScriptContext,
  waitForHydration,
  loadedContent,
} from '../support/browser'
import { testClock, type TestClock } from '../support/clock'
import { startTestService, type TestService } from '../support/service'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { waitFor } from '../support/wait'

const TEAMS = 'meeting_FAMILYSECRET'
const TEAMS_URL = `https://teams.microsoft.com/l/meetup-join/19%3a${TEAMS}%40thread.v2/0`

let service: TestService
let smtp: TestSmtp
let browser: Browser
let clock: TestClock

beforeAll(async () => {
  smtp = await startSmtp()
  clock = testClock()
  service = await startTestService(
    { SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100', BOOKING_RATE_LIMIT: '1000' },
    { now: clock.now },
  )
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
  await smtp?.close()
})

async function phone(js: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = js ? await newContext(browser) : await noScriptContext(browser)
  const page = await context.newPage()
  await page.setViewportSize({ width: 375, height: 800 })
  return { context, page }
}

async function open(page: Page, path: string, js: boolean): Promise<void> {
  await page.goto(new URL(path, service.url).href)
  if (js) await waitForHydration(page)
}

/** The messages to one address, parsed, once there are at least `count`. */
async function mailTo(address: string, count: number) {
  const raw = await waitFor(() => {
    const to = smtp.received.filter((m) => m.to.includes(address))
    return to.length >= count ? to : undefined
  }, 20_000)
  return Promise.all(raw.map((m) => simpleParser(m.raw)))
}

async function session(title: string, overrides: Record<string, string> = {}): Promise<number> {
  return publishActivity(service, {
    title: uniqueTitle(title),
    joinUrl: TEAMS_URL,
    minAge: '5',
    maxAge: '11',
    ...overrides,
  })
}

async function fillChild(page: Page, legend: string, firstName: string, age: number): Promise<void> {
  const group = page.getByRole('group', { name: legend, exact: true })
  const dob = dobParts(age)
  await group.getByLabel('First name', { exact: true }).fill(firstName)
  const dobGroup = group.getByRole('group', { name: 'Date of birth', exact: true })
  await dobGroup.getByLabel('Day', { exact: true }).fill(dob.day)
  await dobGroup.getByLabel('Month', { exact: true }).fill(dob.month)
  await dobGroup.getByLabel('Year', { exact: true }).fill(dob.year)
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('a new family %s', (_label, js) => {
  it('books two children, confirms the address from the email, then books again by ticking them', async () => {
    const email = `new-family-${js ? 'js' : 'nojs'}@example.org`
    const first = await session('Family first session')
    const second = await session('Family second session')
    const { context, page } = await phone(js)

    await open(page, `/activities/${first}`, js)
    await page.getByLabel('Your full name', { exact: true }).fill('Robin Parent')
    await page.getByLabel('Email address', { exact: true }).fill(email)
    await chooseCouncil(page, 'Kent')
    await fillChild(page, 'Child', 'Sam', 7)
    await page.getByRole('button', { name: 'Add another child', exact: true }).click()
    // focus moves to the new child's first field (by script), or the page lands on it (by fragment)
    const newField = page.locator('#child-1-firstName')
    await newField.waitFor()
    if (js) await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('child-1-firstName')
    else expect(new URL(page.url()).hash).toBe('#child-1-firstName')
    await fillChild(page, 'Child 2', 'Ava', 9)
    await page.getByRole('checkbox', { name: 'The children I am booking for can take part', exact: true }).check()
    await page.getByRole('button', { name: 'Continue', exact: true }).click()

    await page.getByRole('heading', { level: 1, name: 'Check your answers before booking' }).waitFor()
    // dates in words, and a Change link on each row
    const samBorn = dobParts(7)
    const months = [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ]
    await expect
      .poll(() => page.locator('main').innerText())
      .toContain(`${samBorn.day} ${months[Number(samBorn.month) - 1]} ${samBorn.year}`)
    await page.waitForLoadState('load')
    expect(await page.getByRole('button', { name: /^Change/ }).count()).toBe(11)
    // axe needs script in the page: checked in the JavaScript run
    if (js) await expectAccessible(page, 'check your answers')
    await page.getByRole('button', { name: "Change child 2's first name" }).click()
    await page.locator('#child-1-firstName').waitFor()
    if (js) await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('child-1-firstName')
    else expect(new URL(page.url()).hash).toBe('#child-1-firstName')
    expect(await page.locator('#child-1-firstName').inputValue()).toBe('Ava')
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.getByRole('button', { name: 'Confirm booking', exact: true }).click()

    await page.getByRole('heading', { level: 1, name: 'Check your email to confirm your booking' }).waitFor()
    expect(await loadedContent(page)).not.toContain(TEAMS)
    // axe needs script in the page: checked in the JavaScript run
    if (js) await expectAccessible(page, 'check your email')
    expect(await placeCounts(service, first)).toEqual({ confirmed: 0, held: 2, waitlisted: 0, cancelled: 0 })

    // the first email: a link to confirm, no joining link, no invite
    const [held] = await mailTo(email, 1)
    expect(held!.subject).toMatch(/^Confirm your booking: /)
    expect(held!.text).not.toContain(TEAMS)
    expect(held!.attachments).toHaveLength(0)
    const link = /http:\/\/127\.0\.0\.1:\d+\/family\/confirm\/[\w-]+/.exec(held!.text ?? '')![0]

    await page.goto(link)
    if (js) await waitForHydration(page)
    await page.getByRole('heading', { level: 1, name: 'Confirm your booking' }).waitFor()
    await page.getByRole('button', { name: 'Confirm booking', exact: true }).click()
    await page.getByRole('heading', { name: 'Booking confirmed' }).waitFor()
    expect(await placeCounts(service, first)).toEqual({ confirmed: 2, waitlisted: 0, cancelled: 0 })
    const [, confirmation] = await mailTo(email, 2)
    expect(confirmation!.subject).toMatch(/^Booking confirmed: /)
    expect(confirmation!.text).toContain(TEAMS)

    // The session they now have places on: each child is shown with why it cannot be ticked,
    // and that reason stays readable (axe checks its contrast).
    await open(page, `/activities/${first}`, js)
    await page.getByText('Sam already has a place on this session', { exact: true }).waitFor()
    if (js) await expectAccessible(page, 'children who cannot be ticked')

    // signed in now: the next session asks only who is coming
    await open(page, `/activities/${second}`, js)
    expect(await page.getByLabel('Your full name', { exact: true }).count()).toBe(0)
    expect(await page.getByLabel('Email address', { exact: true }).count()).toBe(0)
    const who = page.getByRole('group', { name: 'Who is coming?' })
    await who.getByRole('checkbox', { name: 'Sam', exact: true }).check()
    await who.getByRole('checkbox', { name: 'Ava', exact: true }).check()
    // axe needs script in the page: checked in the JavaScript run
    if (js) await expectAccessible(page, 'tick your children')
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your booking' }).waitFor()
    await page.getByRole('button', { name: 'Confirm booking', exact: true }).click()
    await page.getByText('Booking confirmed').first().waitFor()
    expect(await loadedContent(page)).toContain(TEAMS)
    expect(await placeCounts(service, second)).toEqual({ confirmed: 2, waitlisted: 0, cancelled: 0 })
    await context.close()
  })
})

describe('privacy and holds', () => {
  it('tells a stranger nothing about a child booked by another family', async () => {
    const activityId = await session('Known child')
    await confirmBooking(service.client(), activityId, [{ firstName: 'Jess', dob: '2018-04-03' }], {
      email: 'jess.family@example.org',
    })
    const { context, page } = await phone(false)
    await open(page, `/activities/${activityId}`, false)
    await page.getByLabel('Your full name', { exact: true }).fill('A Stranger')
    await page.getByLabel('Email address', { exact: true }).fill('stranger@example.org')
    await chooseCouncil(page, 'Medway')
    const group = page.getByRole('group', { name: 'Child', exact: true })
    await group.getByLabel('First name', { exact: true }).fill('Jess')
    const dobGroup = group.getByRole('group', { name: 'Date of birth', exact: true })
    await dobGroup.getByLabel('Day', { exact: true }).fill('3')
    await dobGroup.getByLabel('Month', { exact: true }).fill('4')
    await dobGroup.getByLabel('Year', { exact: true }).fill('2018')
    await page.getByRole('checkbox', { name: 'The children I am booking for can take part', exact: true }).check()
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.getByRole('button', { name: 'Confirm booking', exact: true }).click()
    // the answer any new booking gets
    await page.getByRole('heading', { level: 1, name: 'Check your email to confirm your booking' }).waitFor()
    await page.waitForLoadState('load') // all of the page, not the part streamed in so far
    const text = await page.locator('main').innerText()
    expect(text).not.toMatch(/already/i)
    expect(text).not.toContain(TEAMS)
    const [mail] = await mailTo('stranger@example.org', 1)
    expect(mail!.text).not.toMatch(/already/i)
    expect(mail!.text).not.toContain(TEAMS)
    await context.close()
  })

  it('never shows or emails an unconfirmed family the link, and releases its hold when it runs out', async () => {
    const activityId = await session('One space left', { capacity: '1' })
    const { context, page } = await phone(true)
    await open(page, `/activities/${activityId}`, true)
    await page.getByLabel('Your full name', { exact: true }).fill('Never Confirms')
    await page.getByLabel('Email address', { exact: true }).fill('unconfirmed@example.org')
    await chooseCouncil(page, 'Kent')
    await fillChild(page, 'Child', 'Leo', 8)
    await page.getByRole('checkbox', { name: 'The children I am booking for can take part', exact: true }).check()
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await page.getByRole('button', { name: 'Confirm booking', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your email to confirm your booking' }).waitFor()
    const manage = page.url()
    expect(await loadedContent(page)).not.toContain(TEAMS)
    // the held place takes the one space: the next family waits
    await confirmBooking(service.client(), activityId, [{ firstName: 'Mo', dob: '2017-02-02' }], {
      email: 'waiting.family@example.org',
    })
    expect(await placeCounts(service, activityId)).toEqual({ confirmed: 0, held: 1, waitlisted: 1, cancelled: 0 })

    clock.advance(25 * 60 * 60_000)
    await service.jobs.runOnce()
    expect(await placeCounts(service, activityId)).toEqual({ confirmed: 1, waitlisted: 0, cancelled: 1 })
    await page.goto(manage)
    expect(await loadedContent(page)).not.toContain(TEAMS)
    const mails = await mailTo('unconfirmed@example.org', 2)
    expect(mails.map((m) => m.subject?.split(':')[0])).toEqual([
      'Confirm your booking',
      mails[1]!.subject?.split(':')[0],
    ])
    for (const mail of mails) expect(mail.text).not.toContain(TEAMS)
    const offered = await mailTo('waiting.family@example.org', 2)
    expect(offered.at(-1)!.text).toContain(TEAMS)
    clock.set(new Date())
    await context.close()
  })

  it('gives brothers and sisters on the waiting list places together', async () => {
    const activityId = await session('Siblings together', { capacity: '3' })
    const book = (email: string, children: Array<{ firstName: string; dob: string }>) =>
      confirmBooking(service.client(), activityId, children, { email })
    const two = await book('two.first@example.org', [
      { firstName: 'Ida', dob: '2016-01-01' },
      { firstName: 'Jon', dob: '2017-01-01' },
    ])
    const one = await book('one.first@example.org', [{ firstName: 'Kai', dob: '2016-06-06' }])
    await book('siblings@example.org', [
      { firstName: 'Nell', dob: '2016-03-03' },
      { firstName: 'Ned', dob: '2018-03-03' },
    ])
    await book('single@example.org', [{ firstName: 'Zak', dob: '2017-09-09' }])
    const status = async () =>
      Object.fromEntries(
        (
          await service.database.db
            .selectFrom('place')
            .select(['first_name', 'status'])
            .where('activity_id', '=', activityId)
            .execute()
        ).map((p) => [p.first_name, p.status]),
      )
    expect(await status()).toEqual({
      Ida: 'confirmed',
      Jon: 'confirmed',
      Kai: 'confirmed',
      Nell: 'waitlisted',
      Ned: 'waitlisted',
      Zak: 'waitlisted',
    })
    // Kai's family cancels in the browser: one space, too few for Nell and Ned, so Zak has it
    const { context, page } = await phone(false)
    await open(page, one.headers.get('location')!, false)
    await page.getByRole('button', { name: 'Cancel the whole booking' }).click()
    await page.getByRole('button', { name: /^Yes, cancel/ }).click()
    await page.getByText('cancelled').first().waitFor()
    expect(await status()).toMatchObject({ Kai: 'cancelled', Nell: 'waitlisted', Ned: 'waitlisted', Zak: 'confirmed' })
    // the family of two cancels: two spaces, and Nell and Ned are given them together
    await open(page, two.headers.get('location')!, false)
    await page.getByRole('button', { name: 'Cancel the whole booking' }).click()
    await page.getByRole('button', { name: /^Yes, cancel/ }).click()
    await page.getByText('cancelled').first().waitFor()
    expect(await status()).toMatchObject({ Ida: 'cancelled', Jon: 'cancelled', Nell: 'confirmed', Ned: 'confirmed' })
    // the link to confirm the address, that they are waiting, then one email for both children
    const offered = await mailTo('siblings@example.org', 3)
    expect(offered.map((m) => m.subject?.split(':')[0])).toEqual([
      'Confirm your booking',
      'On the waiting list',
      'A space came up',
    ])
    expect(offered.at(-1)!.subject).toMatch(/^A space came up/)
    expect(offered.at(-1)!.text).toContain('Nell and Ned')
    await context.close()
  })
})
