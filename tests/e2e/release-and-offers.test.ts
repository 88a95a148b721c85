// On a phone (375 px), with JavaScript on and off: a parent opens "Release your place" from the
// reminder, unticks the child who can still come and releases the other's place; near the start
// the space is offered to the waiting list, one family claims it from the emailed link and the
// other is told it has been taken. Every page fits the screen and passes axe; a release with no
// one ticked shows the GOV.UK error summary.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { publishActivity, uniqueTitle } from '../support/booking'
import { expectAccessible, launchBrowser, newContext, noScriptContext, waitForHydration } from '../support/browser'
import { testClock } from '../support/clock'
import { createFamily } from '../support/family'
import { seedBooking, statusesByName } from '../support/seed-booking'
import { startTestService, type TestService } from '../support/service'

const HOUR = 3_600_000
const clock = testClock()
let service: TestService
let browser: Browser

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '1000' }, { now: clock.now })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
})

const db = () => service.database.db

async function family(activityId: number, names: string[], status: 'confirmed' | 'waitlisted') {
  const made = await createFamily(db(), { children: names.map((firstName) => ({ firstName, dob: '2018-04-03' })) })
  const booking = await seedBooking(db(), {
    activityId,
    familyId: made.familyId,
    email: made.email,
    places: names.map((name, i) => ({ name, status, childId: made.childIds[i] })),
  })
  return { ...booking, email: made.email }
}

/** The newest link of this shape in an email of this kind to the address, read from the outbox as from an inbox. */
async function linkTo(activityId: number, to: string, kind: string, path: RegExp): Promise<string> {
  const row = await db()
    .selectFrom('outbox')
    .select('text_body')
    .where('activity_id', '=', activityId)
    .where('to_address', '=', to)
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  return `${service.url}${path.exec(row.text_body)![0]}`
}

async function onPhone(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  await page.setViewportSize({ width: 375, height: 800 })
  return page
}

/** The page fits 375 px and passes axe (both need scripts in the page: checked in the JavaScript-on run). */
async function fitsAndPasses(page: Page, where: string): Promise<void> {
  if (!(await scriptsOn(page))) return
  expect(await page.evaluate(() => document.documentElement.scrollWidth), where).toBeLessThanOrEqual(375)
  await expectAccessible(page, where)
}

const scripted = new WeakSet<BrowserContext>()
async function scriptsOn(page: Page): Promise<boolean> {
  return scripted.has(page.context())
}

async function open(page: Page, url: string, scripts: 'on' | 'off'): Promise<void> {
  await page.goto(url, { waitUntil: 'load' })
  if (scripts === 'on') await waitForHydration(page)
}

describe('release your place and claim an offer on a phone', () => {
  for (const scripts of ['on', 'off'] as const) {
    it(`a parent releases one child's place from the reminder, and the first waiting family to claim gets it (JavaScript ${scripts})`, async () => {
      const context = scripts === 'on' ? await newContext(browser) : await noScriptContext(browser)
      if (scripts === 'on') scripted.add(context)
      try {
        clock.set(new Date())
        const title = uniqueTitle('Clay animals')
        const activityId = await publishActivity(service, { title, capacity: '2' })
        const starts = await db()
          .selectFrom('activity')
          .select('starts_at')
          .where('id', '=', activityId)
          .executeTakeFirstOrThrow()
        const ava = await family(activityId, ['Ava', 'Ben'], 'confirmed')
        const pia = await family(activityId, ['Pia'], 'waitlisted')
        const wes = await family(activityId, ['Wes'], 'waitlisted')
        clock.set(new Date(new Date(starts.starts_at).getTime() - 10 * HOUR))
        await service.jobs.runOnce()

        const page = await onPhone(context)
        await open(page, await linkTo(activityId, ava.email, 'reminder', /\/release\/[\w-]{43}/), scripts)
        await page.getByRole('heading', { level: 1, name: 'Can’t come? Release your places' }).waitFor()
        await fitsAndPasses(page, 'release page')

        // No one ticked: the error summary and the message by the checkboxes.
        await page.getByLabel('Ava', { exact: true }).uncheck()
        await page.getByLabel('Ben', { exact: true }).uncheck()
        await page.getByRole('button', { name: 'Release places' }).click()
        await page.locator('.govuk-error-summary').waitFor()
        await page.waitForLoadState('load')
        expect(await page.locator('.govuk-error-summary').textContent()).toContain('Select whose place to release')
        expect(await page.locator('.govuk-error-message').textContent()).toContain('Select whose place to release')
        expect(await page.title()).toBe('Error: Can’t come? Release your places – Join In')
        expect(await page.getByLabel('Ava', { exact: true }).isChecked()).toBe(false)
        await fitsAndPasses(page, 'release page with an error')

        // Ava can still come: only Ben's place.
        await page.getByLabel('Ben', { exact: true }).check()
        await page.getByRole('button', { name: 'Release places' }).click()
        await page.locator('.govuk-panel__title', { hasText: 'Place released' }).waitFor()
        await page.waitForLoadState('load')
        expect(await page.locator('.govuk-panel').textContent()).toContain(`Ben’s place on ${title} has been released`)
        expect(await page.title()).toBe('Place released – Join In')
        await fitsAndPasses(page, 'place released')
        expect(await statusesByName(db(), activityId)).toEqual({
          Ava: 'confirmed',
          Ben: 'cancelled',
          Pia: 'waitlisted',
          Wes: 'waitlisted',
        })

        // Ten hours before the start the space is offered to both waiting families; Wes's claims first.
        await open(page, await linkTo(activityId, wes.email, 'place-offer', /\/offers\/[\w-]{43}/), scripts)
        await page.getByRole('heading', { level: 1, name: 'A place has come up' }).waitFor()
        await page.waitForLoadState('load') // all of the page, not the part streamed in so far
        expect(await page.locator('main').textContent()).not.toContain('teams.microsoft.com')
        await fitsAndPasses(page, 'claim page')
        await page.getByRole('button', { name: 'Claim the place' }).click()
        await page.locator('.govuk-panel__title', { hasText: 'Place booked' }).waitFor()
        await page.waitForLoadState('load')
        expect(await page.locator('main').textContent()).toContain('We have emailed you the joining link')
        await fitsAndPasses(page, 'place claimed')

        await open(page, await linkTo(activityId, pia.email, 'place-offer', /\/offers\/[\w-]{43}/), scripts)
        await page.getByRole('button', { name: 'Claim the place' }).click()
        await page.getByRole('heading', { level: 1, name: 'Sorry, this place has been taken' }).waitFor()
        await page.waitForLoadState('load')
        await fitsAndPasses(page, 'place taken')
        expect(await statusesByName(db(), activityId)).toEqual({
          Ava: 'confirmed',
          Ben: 'cancelled',
          Pia: 'waitlisted',
          Wes: 'confirmed',
        })
      } finally {
        await context.close()
      }
    })
  }
})
