// On a phone (375 px), a family cancelling a place and staff cancelling a session each see a
// check page first, nothing changes until they confirm, and axe finds nothing on either page.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmBooking, placeCounts, publishActivity, uniqueTitle } from '../support/booking'
import {
  expectAccessible,
  launchBrowser,
  newContext,
  noScriptContext,
  signInAsStaff,
  waitForHydration,
} from '../support/browser'
import { ADMIN, startTestService, type TestService } from '../support/service'

let service: TestService
let browser: Browser

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
})

const start = new Date(Date.now() + 30 * 86_400_000)
// Aged 8 or so on the day.
const DOB = new Date(start.getTime() - 8.5 * 365.25 * 86_400_000).toISOString().slice(0, 10)

async function bookAvaAndBen(title: string) {
  const activityId = await publishActivity(service, { title })
  const booked = await confirmBooking(service.client(), activityId, [
    { firstName: 'Ava', dob: DOB },
    { firstName: 'Ben', dob: DOB },
  ])
  const manage = new URL(booked.headers.get('location')!, service.url)
  manage.searchParams.delete('new')
  return { activityId, manage: manage.href }
}

async function onPhone(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  await page.setViewportSize({ width: 375, height: 800 })
  return page
}

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
}

describe('checking before a destructive action, at 375 px', () => {
  for (const scripts of ['on', 'off'] as const) {
    it(`a family cancels one child's place from a check page (JavaScript ${scripts})`, async () => {
      const title = uniqueTitle('Slime science')
      const { activityId, manage } = await bookAvaAndBen(title)
      const context = scripts === 'on' ? await newContext(browser) : await noScriptContext(browser)
      try {
        const page = await onPhone(context)
        await page.goto(manage)
        if (scripts === 'on') await waitForHydration(page)
        await page.getByRole('button', { name: "Cancel Ava's place", exact: true }).click()

        await page.getByRole('heading', { level: 1, name: "Are you sure you want to cancel Ava's place?" }).waitFor()
        await page.waitForLoadState('load') // all of the page, not the part streamed in so far
        expect(await page.locator('main').textContent()).toContain(`Ava's place on ${title}`)
        expect(await placeCounts(service, activityId)).toMatchObject({ confirmed: 2, cancelled: 0 })
        const confirm = page.getByRole('button', { name: "Yes, cancel Ava's place", exact: true })
        expect(await confirm.getAttribute('class')).toContain('govuk-button--warning')
        expect(await page.getByRole('link', { name: "No, keep Ava's place", exact: true }).getAttribute('href')).toBe(
          new URL(manage).pathname + new URL(manage).search,
        )
        // Page scripts (axe, scrollWidth) cannot run with JavaScript off: measured with it on.
        if (scripts === 'on') {
          await noSidewaysScroll(page)
          await expectAccessible(page, 'family cancel check')
        }

        await confirm.click()
        const banner = page.locator('.govuk-notification-banner--success')
        await banner.waitFor()
        expect(await banner.textContent()).toContain(`Ava's place on ${title}`)
        expect(await banner.textContent()).toContain('is cancelled.')
        expect(await placeCounts(service, activityId)).toMatchObject({ confirmed: 1, cancelled: 1 })
        if (scripts === 'on') {
          await noSidewaysScroll(page)
          await expectAccessible(page, 'family cancel done')
        }
      } finally {
        await context.close()
      }
    })
  }

  it('staff cancel a session from a check page that says how many families are emailed', async () => {
    const title = uniqueTitle('Music makers')
    const { activityId } = await bookAvaAndBen(title)
    await confirmBooking(service.client(), activityId, [{ firstName: 'Cara', dob: DOB }], {
      email: 'cara@example.org',
    })
    const context = await newContext(browser)
    try {
      const page = await onPhone(context)
      await signInAsStaff(page, service.url, ADMIN, `/staff/activities/${activityId}`)
      await waitForHydration(page)
      await page.getByLabel('Why is it cancelled?').fill('The host is ill.')
      await page.getByRole('button', { name: 'Cancel session', exact: true }).click()

      await page.getByRole('heading', { level: 1, name: 'Are you sure you want to cancel this session?' }).waitFor()
      await page.waitForLoadState('load') // all of the page, not the part streamed in so far
      const main = (await page.locator('main').textContent()) ?? ''
      expect(main).toContain('We will email 2 families')
      expect(main).toContain('The host is ill.')
      const status = async () =>
        (
          await service.database.db
            .selectFrom('activity')
            .select('status')
            .where('id', '=', activityId)
            .executeTakeFirstOrThrow()
        ).status
      expect(await status()).toBe('published')
      const confirm = page.getByRole('button', { name: 'Yes, cancel the session and email 2 families', exact: true })
      expect(await confirm.getAttribute('class')).toContain('govuk-button--warning')
      expect(await page.getByRole('link', { name: 'No, keep the session', exact: true }).getAttribute('href')).toBe(
        `/staff/activities/${activityId}`,
      )
      await expectAccessible(page, 'staff cancel-session check')
      await noSidewaysScroll(page)

      await confirm.click()
      const banner = page.locator('.govuk-notification-banner--success')
      await banner.waitFor()
      expect(await banner.textContent()).toContain(`${title},`)
      expect(await banner.textContent()).toContain('is cancelled. We are emailing 2 families.')
      expect(await status()).toBe('cancelled')
      await expectAccessible(page, 'staff cancel-session done')
      await noSidewaysScroll(page)
    } finally {
      await context.close()
    }
  })
})
