// GOV.UK Frontend's own JavaScript runs on every page, as the Design System expects: the body is
// marked govuk-frontend-supported before paint (an inline script carrying the CSP nonce), and the
// components are started once React has hydrated and again after each client-side navigation. So
// on a phone the error summary takes focus after a failed submit and conditional reveals hide
// what does not apply. With JavaScript off nothing of this runs and the forms still work.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  accessibilityAudit,
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
  service = await startTestService()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
})

const PHONE = { width: 375, height: 667 }

/** The class list of whatever has focus now. */
async function focusedClasses(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.className ?? '')
}

/** Collects script errors and anything GOV.UK Frontend logs (it logs init problems to the console). */
function watchConsole(page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    const text = message.text()
    // A failed submit is answered 400, which Chromium reports as a failed resource: expected here.
    if (text.startsWith('Failed to load resource: the server responded with a status of 400')) return
    if (message.type() === 'error' || /GOV\.UK Frontend|govuk-/i.test(text)) problems.push(text)
  })
  return problems
}

/** The pathnames of the documents the browser loads from now on (not data requests). */
function watchDocuments(page: Page): string[] {
  const documents: string[] = []
  page.on('request', (request) => {
    if (request.resourceType() === 'document') documents.push(new URL(request.url()).pathname)
  })
  return documents
}

describe('GOV.UK Frontend JavaScript at 375 px', () => {
  it('marks the body as supported and moves focus to the error summary after each failed submit', async () => {
    const context = await newContext(browser)
    const axe = accessibilityAudit()
    try {
      const page = await context.newPage()
      await page.setViewportSize(PHONE)
      const problems = watchConsole(page)
      await page.goto(`${service.url}/mailing-list`)
      await waitForHydration(page)
      expect(await page.locator('body').getAttribute('class')).toBe('govuk-template__body govuk-frontend-supported')
      expect(await page.title()).toBe('Join our mailing list – Join In')

      await page.getByRole('button', { name: 'Join the mailing list' }).click()
      const summary = page.locator('.govuk-error-summary')
      await summary.getByRole('link', { name: 'Enter your email address' }).waitFor()
      await expect.poll(() => focusedClasses(page)).toContain('govuk-error-summary')
      await expect.poll(() => page.title()).toBe('Error: Join our mailing list – Join In')
      await axe.check(page, 'mailing list with errors')

      // A second failed submit is a new page as far as the person is concerned: focus goes back up.
      await page.getByLabel('Email address', { exact: true }).fill('not an address')
      await page.getByRole('button', { name: 'Join the mailing list' }).click()
      await summary.getByRole('link', { name: 'Enter an email address like name@example.com' }).waitFor()
      await expect.poll(() => focusedClasses(page)).toContain('govuk-error-summary')
      expect(await page.title()).toBe('Error: Join our mailing list – Join In')

      // Fixing it takes the "Error: " away again.
      await page.getByLabel('Email address', { exact: true }).fill('govuk-js@example.org')
      await page.getByRole('button', { name: 'Join the mailing list' }).click()
      // At once: the button React kept is not taken for a double click of the last submit.
      await page.getByRole('heading', { name: 'Check your email' }).waitFor()
      // and the title is the heading the page now shows
      await expect.poll(() => page.title()).toBe('Check your email – Join In')
      expect(problems).toEqual([])
      axe.expectNone()
    } finally {
      await context.close()
    }
  })

  it('staff new session form: reveals follow the choice after a client-side navigation, errors take focus', async () => {
    const context = await newContext(browser)
    const axe = accessibilityAudit()
    try {
      const page = await context.newPage()
      await page.setViewportSize(PHONE)
      const problems = watchConsole(page)
      const documents = watchDocuments(page)
      // Sign-in ends with the router redirecting: the form arrives without a document load.
      await signInAsStaff(page, service.url, ADMIN, '/staff/activities/new')
      await page.getByRole('heading', { level: 1, name: 'New session' }).waitFor()
      // The only documents: the address typed (sent on to sign in) and the sign-in page.
      expect(documents).toEqual(['/staff/activities/new', '/staff/sign-in'])
      expect(await page.locator('body').getAttribute('class')).toContain('govuk-frontend-supported')

      const venue = page.getByLabel('Venue', { exact: true })
      const teamsLink = page.getByLabel('Teams joining link', { exact: true })
      // Nothing chosen yet: neither follow-up question shows.
      expect(await venue.isVisible()).toBe(false)
      expect(await teamsLink.isVisible()).toBe(false)
      await page.getByRole('radio', { name: 'Online, on Microsoft Teams' }).check()
      await expect.poll(() => venue.isVisible()).toBe(false)
      expect(await teamsLink.isVisible()).toBe(true)
      expect(await page.getByRole('radio', { name: 'Online, on Microsoft Teams' }).getAttribute('aria-expanded')).toBe(
        'true',
      )
      await page.getByRole('radio', { name: 'In person' }).check()
      await expect.poll(() => venue.isVisible()).toBe(true)
      expect(await teamsLink.isVisible()).toBe(false)
      await axe.check(page, 'new session form')

      await page.getByRole('radio', { name: 'Online, on Microsoft Teams' }).check()
      await page.getByRole('button', { name: 'Save and publish' }).click()
      const summary = page.locator('.govuk-error-summary')
      await summary.waitFor()
      await expect.poll(() => focusedClasses(page)).toContain('govuk-error-summary')
      await expect.poll(() => page.title()).toBe('Error: New session – Join In staff')
      // The page came back with "Online" kept: the venue stays hidden, and the reveal still works.
      expect(await page.getByRole('radio', { name: 'Online, on Microsoft Teams' }).isChecked()).toBe(true)
      expect(await venue.isVisible()).toBe(false)
      await page.getByRole('radio', { name: 'In person' }).check()
      await expect.poll(() => venue.isVisible()).toBe(true)
      await axe.check(page, 'new session form with errors')
      expect(problems).toEqual([])
      axe.expectNone()
    } finally {
      await context.close()
    }
  })

  it('reports: a form the router renders afresh is started too, and the title says Error', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await page.setViewportSize(PHONE)
      const problems = watchConsole(page)
      await signInAsStaff(page, service.url, ADMIN, '/staff/reports')
      await page.goto(`${service.url}/staff/reports`)
      await waitForHydration(page)
      const documents = watchDocuments(page)
      const fromGroup = page.getByRole('group', { name: 'From', exact: true })
      expect(await fromGroup.isVisible()).toBe(false)
      await page.getByRole('radio', { name: 'Dates you choose', exact: true }).check()
      await expect.poll(() => fromGroup.isVisible()).toBe(true)
      await fromGroup.getByLabel('Day', { exact: true }).fill('1')
      await fromGroup.getByLabel('Month', { exact: true }).fill('10')
      await fromGroup.getByLabel('Year', { exact: true }).fill('2025')
      await page.getByRole('button', { name: 'Show report', exact: true }).click()
      await page.locator('.govuk-error-summary').waitFor()
      expect(documents).toEqual([])
      await expect.poll(() => focusedClasses(page)).toContain('govuk-error-summary')
      await expect.poll(() => page.title()).toBe('Error: Quarterly report – Join In staff')
      // The form was rendered afresh (its key changed): its new radios work.
      expect(await fromGroup.isVisible()).toBe(true)
      await page.getByRole('radio', { name: 'A quarter', exact: true }).check()
      await expect.poll(() => fromGroup.isVisible()).toBe(false)
      await expect.poll(() => page.getByLabel('Quarter', { exact: true }).isVisible()).toBe(true)
      expect(problems).toEqual([])
    } finally {
      await context.close()
    }
  })
})

describe('with JavaScript off at 375 px', () => {
  it('the forms still submit and show their errors, under an "Error: " title', async () => {
    // (axe itself needs JavaScript in the page, so the pages are audited in the tests above.)
    const context = await noScriptContext(browser)
    try {
      const page = await context.newPage()
      await page.setViewportSize(PHONE)
      await page.goto(`${service.url}/mailing-list`)
      expect(await page.locator('body').getAttribute('class')).toBe('govuk-template__body')
      await page.getByRole('button', { name: 'Join the mailing list' }).click()
      await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter your email address' }).waitFor()
      expect(await page.title()).toBe('Error: Join our mailing list – Join In')
      await page.getByLabel('Email address', { exact: true }).fill('govuk-nojs@example.org')
      await page.getByRole('button', { name: 'Join the mailing list' }).click()
      await page.getByRole('heading', { name: 'Check your email' }).waitFor()
      expect(await page.title()).toBe('Check your email – Join In')

      await signInAsStaff(page, service.url, ADMIN, '/staff/activities/new')
      await page.getByRole('heading', { level: 1, name: 'New session' }).waitFor()
      expect(await page.title()).toBe('New session – Join In staff')
      // Without the script every follow-up question shows, so each can still be answered.
      expect(await page.getByLabel('Venue', { exact: true }).isVisible()).toBe(true)
      await page.getByRole('radio', { name: 'Online, on Microsoft Teams' }).check()
      await page.getByRole('button', { name: 'Save and publish' }).click()
      await page.locator('.govuk-error-summary').waitFor()
      expect(await page.title()).toBe('Error: New session – Join In staff')
      expect(await page.getByRole('radio', { name: 'Online, on Microsoft Teams' }).isChecked()).toBe(true)
    } finally {
      await context.close()
    }
  })
})
