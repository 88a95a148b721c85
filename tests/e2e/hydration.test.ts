// React Router really hydrates the server-rendered page: with the client bundle running, a form
// submits through the router (a data request, no new document), and the page keeps its state.
// The control blocks the bundle: the same click is then a full page load, so the test can fail.
import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { publishActivity, uniqueTitle } from '../support/booking'
import { launchBrowser, newContext, waitForHydration } from '../support/browser'
import { startTestService, type TestService } from '../support/service'

let service: TestService
let browser: Browser

beforeAll(async () => {
  service = await startTestService()
  browser = await launchBrowser()
  await publishActivity(service, { title: uniqueTitle('Hydration check'), minAge: '5', maxAge: '11' })
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
})

interface FilterOutcome {
  documentRequests: string[]
  dataRequests: string[]
  /** whether a value stored on `window` before the click was still there after it */
  pageKept: boolean
}

/** Filters the public list by age with the form's button and reports how the browser did it. */
async function filterByAge(page: Page): Promise<FilterOutcome> {
  const documentRequests: string[] = []
  const dataRequests: string[] = []
  const record = (request: Request) => {
    const url = new URL(request.url())
    if (request.resourceType() === 'document') documentRequests.push(url.pathname + url.search)
    else if (url.pathname.endsWith('.data')) dataRequests.push(url.pathname + url.search)
  }
  await page.evaluate(() => ((window as unknown as { keptAcrossClick?: string }).keptAcrossClick = 'yes'))
  page.on('request', record)
  await page.getByLabel("Child's age").fill('7')
  await page.getByRole('button', { name: 'Show activities' }).click()
  await page.waitForURL((url) => url.searchParams.get('age') === '7')
  await page.getByRole('link', { name: 'Clear filters' }).waitFor()
  page.off('request', record)
  const pageKept = await page.evaluate(
    () => (window as unknown as { keptAcrossClick?: string }).keptAcrossClick === 'yes',
  )
  return { documentRequests, dataRequests, pageKept }
}

describe('hydration', () => {
  it('submits a form through the router once the page has hydrated', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(error.message))
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text())
      })
      await page.goto(`${service.url}/`)
      await waitForHydration(page)
      const outcome = await filterByAge(page)
      expect(outcome.documentRequests).toEqual([])
      expect(outcome.dataRequests).toHaveLength(1)
      expect(outcome.dataRequests[0]).toMatch(/^\/_root\.data\?.*age=7/)
      expect(outcome.pageKept).toBe(true)
      // No hydration mismatch, CSP refusal or script error on the way.
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('control: with the client bundle blocked the same click is a full page load', async () => {
    const context = await newContext(browser)
    try {
      await context.route('**/assets/**/*.js', (route) => route.abort())
      const page = await context.newPage()
      await page.goto(`${service.url}/`)
      await page.getByRole('button', { name: 'Show activities' }).waitFor()
      expect(await page.locator('html[data-hydrated]').count()).toBe(0)
      const outcome = await filterByAge(page)
      expect(outcome.documentRequests).toEqual(['/?month=&age=7&category='])
      expect(outcome.dataRequests).toEqual([])
      expect(outcome.pageKept).toBe(false)
    } finally {
      await context.close()
    }
  })
})
