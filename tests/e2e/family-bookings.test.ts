// On a phone (375 px), with JavaScript on and off: a signed-in family opens Your bookings, cancels
// one child's place through the check page (the sibling keeps theirs), and the pages fit the screen
// and pass axe; a support-needs error is shown GOV.UK style; the calendar page makes a link.
import crypto from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { placeCounts, publishActivity, uniqueTitle } from '../support/booking'
import { expectAccessible, launchBrowser, newContext, noScriptContext, waitForHydration } from '../support/browser'
import { createFamily, signInFamilyDirectly } from '../support/family'
import { bookForFamily } from '../support/family-booking'
import { startTestService, type TestService } from '../support/service'

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

// Aged about 8 on a session 30 days ahead.
const DOB = new Date(Date.now() - 8.5 * 365.25 * 86_400_000).toISOString().slice(0, 10)

/** A family with Ava and Ben, both booked on a new session, signed in on this browser context. */
async function familyBooked(context: BrowserContext, title: string) {
  const db = service.database.db
  const family = await createFamily(db, {
    children: [
      { firstName: 'Ava', dob: DOB },
      { firstName: 'Ben', dob: DOB },
    ],
  })
  const activityId = await publishActivity(service, { title })
  await bookForFamily(db, family, activityId, [
    { child: 0, status: 'confirmed' },
    { child: 1, status: 'confirmed' },
  ])
  // the family's cookie, as the service sets it after a sign-in link (SECURE_COOKIES=false here)
  const client = service.client()
  await signInFamilyDirectly(db, client, family.familyId)
  await context.addCookies([{ name: 'join-in-family', value: client.cookies.get('join-in-family')!, url: service.url }])
  return { family, activityId }
}

async function onPhone(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  await page.setViewportSize({ width: 375, height: 800 })
  return page
}

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
}

describe('your bookings on a phone', () => {
  for (const scripts of ['on', 'off'] as const) {
    it(`a family cancels one child's place through the check page (JavaScript ${scripts})`, async () => {
      const context = scripts === 'on' ? await newContext(browser) : await noScriptContext(browser)
      try {
        const title = uniqueTitle('Slime science')
        const { activityId } = await familyBooked(context, title)
        const page = await onPhone(context)
        await page.goto(`${service.url}/family/bookings`)
        if (scripts === 'on') await waitForHydration(page)
        await page.getByRole('heading', { level: 1, name: 'Your bookings' }).waitFor()
        const card = page.locator('.govuk-summary-card', { hasText: title })
        await page.waitForLoadState('load') // all of the page, not the part streamed in so far
        expect(await card.textContent()).toContain('Join on Microsoft Teams')
        if (scripts === 'on') {
          await noSidewaysScroll(page)
          await expectAccessible(page, 'your bookings')
        }

        await card.getByRole('link', { name: "Cancel Ava's place", exact: true }).click()
        await page
          .getByRole('heading', { level: 1, name: `Are you sure you want to cancel Ava's place on ${title}?` })
          .waitFor()
        expect(await placeCounts(service, activityId)).toMatchObject({ confirmed: 2, cancelled: 0 })
        const confirm = page.getByRole('button', { name: "Yes, cancel Ava's place", exact: true })
        expect(await confirm.getAttribute('class')).toContain('govuk-button--warning')
        expect(await page.getByRole('link', { name: "No, keep Ava's place", exact: true }).getAttribute('href')).toBe(
          '/family/bookings',
        )
        if (scripts === 'on') {
          await noSidewaysScroll(page)
          await expectAccessible(page, 'family bookings cancel check')
        }

        await confirm.click()
        const banner = page.locator('.govuk-notification-banner--success')
        await banner.waitFor()
        expect(await banner.textContent()).toContain(`Ava's place on ${title}`)
        expect(await banner.textContent()).toContain('is cancelled.')
        expect(new URL(page.url()).pathname).toBe('/family/bookings')
        expect(await placeCounts(service, activityId)).toMatchObject({ confirmed: 1, cancelled: 1 })
        // Ben keeps his place and the joining link
        const after = (await page.locator('.govuk-summary-card', { hasText: title }).textContent()) ?? ''
        expect(after).toMatch(/Ava\s*Cancelled/)
        expect(after).toMatch(/Ben\s*Confirmed/)
        expect(after).toContain('Join on Microsoft Teams')
        if (scripts === 'on') {
          await noSidewaysScroll(page)
          await expectAccessible(page, 'your bookings after cancelling')
        }
      } finally {
        await context.close()
      }
    })

    it(`shows a support-needs error next to the child's box and in the summary (JavaScript ${scripts})`, async () => {
      const context = scripts === 'on' ? await newContext(browser) : await noScriptContext(browser)
      try {
        await familyBooked(context, uniqueTitle('Puppet theatre'))
        const page = await onPhone(context)
        await page.goto(`${service.url}/family/bookings`)
        if (scripts === 'on') await waitForHydration(page)
        const box = page.getByLabel("Ben's support needs (optional)")
        const long = `Needs captions ${crypto.randomUUID()} `.repeat(30)
        await box.fill(long)
        await page.getByRole('button', { name: "Save Ben's support needs" }).click()
        const summary = page.locator('.govuk-error-summary')
        await summary.waitFor()
        expect(await summary.textContent()).toContain('Support needs must be 1,000 characters or fewer')
        expect(await page.locator('.govuk-error-message').textContent()).toContain(
          'Support needs must be 1,000 characters or fewer',
        )
        expect(await page.getByLabel("Ben's support needs (optional)").inputValue()).toBe(long)
        if (scripts === 'on') {
          await noSidewaysScroll(page)
          await expectAccessible(page, 'support needs error')
        }
        await page.getByLabel("Ben's support needs (optional)").fill('Needs captions on the call')
        await page.getByRole('button', { name: "Save Ben's support needs" }).click()
        await page
          .locator('.govuk-notification-banner--success', { hasText: "Ben's support needs are saved" })
          .waitFor()
      } finally {
        await context.close()
      }
    })
  }

  it('makes a calendar link, shown once with how to subscribe, on a phone', async () => {
    const context = await newContext(browser)
    try {
      await familyBooked(context, uniqueTitle('Music makers'))
      const page = await onPhone(context)
      await page.goto(`${service.url}/family/bookings`)
      await waitForHydration(page)
      await page.getByRole('link', { name: 'Add all your sessions to your calendar app' }).click()
      await page.getByRole('heading', { level: 1, name: 'Your calendar link' }).waitFor()
      await expectAccessible(page, 'calendar link, none yet')
      await page.getByRole('button', { name: 'Create a calendar link' }).click()
      const link = page.getByLabel('Your calendar link', { exact: true })
      await link.waitFor()
      expect(await link.inputValue()).toMatch(new RegExp(`^${service.url}/family/calendar/[A-Za-z0-9_-]{43}\\.ics$`))
      await noSidewaysScroll(page)
      await expectAccessible(page, 'calendar link made')
      const feed = await service.client().get(new URL(await link.inputValue()).pathname)
      expect(feed.status).toBe(200)
    } finally {
      await context.close()
    }
  })
})
