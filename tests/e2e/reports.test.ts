// End to end in Chromium against the production server: an administrator signs in, opens the
// quarterly report for a quarter booked like the seed documents, downloads the CSV, and the
// report page and its print view pass axe-core's WCAG checks and fit A4 portrait when printed.
import fs from 'node:fs'
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
import { type ExpectedFigures, SEED_AUTHORITIES, seedSeedQuarter } from '../support/seed-quarter'
import { ADMIN, startTestService, type TestService } from '../support/service'

let service: TestService
let browser: Browser
let expected: ExpectedFigures

beforeAll(async () => {
  service = await startTestService()
  expected = await seedSeedQuarter(service)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
})

/** Opens the report, is sent to sign-in, and comes back signed in as the first admin. */
async function signInToReports(page: Page): Promise<void> {
  await signInAsStaff(page, service.url, ADMIN, '/staff/reports')
  await page.getByRole('heading', { level: 1, name: 'Quarterly report' }).waitFor()
}

/** Rows of a table found by its caption, as cell texts. */
async function tableRows(page: Page, caption: string): Promise<string[][]> {
  const table = page.getByRole('table', { name: caption, exact: true })
  return table
    .locator('tr')
    .evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('th, td')).map((cell) => (cell.textContent ?? '').trim())),
    )
}

/**
 * Chooses 2025-26 Q3 in the form as a person would. The quarter list holds the last eight
 * quarters; once 2025-26 Q3 has dropped off it, the same dates are typed as a range instead.
 */
async function chooseSeedQuarter(page: Page): Promise<'quarter' | 'range'> {
  const quarter = page.getByLabel('Quarter', { exact: true })
  const offered = await quarter.locator('option[value="2025-26 Q3"]').count()
  if (offered) {
    await page.getByRole('radio', { name: 'A quarter', exact: true }).check()
    await quarter.selectOption('2025-26 Q3')
  } else {
    await page.getByRole('radio', { name: 'Dates you choose', exact: true }).check()
    for (const [legend, day, month, year] of [
      ['From', '1', '10', '2025'],
      ['To (included)', '31', '12', '2025'],
    ] as const) {
      const group = page.getByRole('group', { name: legend, exact: true })
      await group.getByLabel('Day', { exact: true }).fill(day)
      await group.getByLabel('Month', { exact: true }).fill(month)
      await group.getByLabel('Year', { exact: true }).fill(year)
    }
  }
  await page.getByRole('button', { name: 'Show report', exact: true }).click()
  await page.waitForURL(
    (url) =>
      url.searchParams.get('cut') === 'age-band' &&
      (url.searchParams.get('quarter') === '2025-26 Q3' || url.searchParams.get('period') === 'range'),
  )
  return offered ? 'quarter' : 'range'
}

describe('the quarterly report in the browser', () => {
  it('an administrator chooses the quarter and downloads the CSV with the seed figures', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await signInToReports(page)
      await waitForHydration(page)
      const chosen = await chooseSeedQuarter(page)
      await page.getByRole('table', { name: 'Spaces booked by home authority', exact: true }).waitFor()
      expect(await tableRows(page, 'Virtual activities')).toEqual([
        ['Measure', 'Number'],
        ['Activities held', '49'],
        ['Spaces booked', '522'],
        ['Spaces attended', String(expected.activities.spacesAttended)],
      ])
      expect(await tableRows(page, 'Spaces booked by home authority')).toEqual([
        ['Home authority', 'Spaces booked'],
        ...SEED_AUTHORITIES,
        ['Total', '522'],
      ])
      expect((await tableRows(page, 'Adoptables meetings')).slice(1, 3)).toEqual([
        ['Meetings held', '6'],
        ['Young people who attended at least one', '16'],
      ])
      // The chart beside the table is one image with the figures as its text alternative.
      const chart = page.getByRole('img', { name: /^Bar chart, spaces booked by home authority:/ })
      expect(await chart.getAttribute('aria-label')).toBe(
        'Bar chart, spaces booked by home authority: Kent 458, Medway 41, Bexley 18, Greenwich 4 and Bromley 1.',
      )

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download CSV', exact: true }).click(),
      ])
      expect(download.suggestedFilename()).toBe(
        chosen === 'quarter' ? 'join-in-report-2025-26-Q3.csv' : 'join-in-report-2025-10-01-to-2025-12-31.csv',
      )
      const bytes = fs.readFileSync((await download.path())!)
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const lines = bytes.toString('utf8').slice(1).split('\r\n')
      expect(lines[0]).toBe('period,measure,dimension,value')
      const label = chosen === 'quarter' ? '2025-26 Q3' : '1 October 2025 to 31 December 2025'
      for (const line of [
        'activities_held,,49',
        'spaces_booked,,522',
        'spaces_by_authority,Kent,458',
        'spaces_by_authority,Medway,41',
        'spaces_by_authority,Bexley,18',
        'spaces_by_authority,Greenwich,4',
        'spaces_by_authority,Bromley,1',
        'adoptables_meetings_held,,6',
        'adoptables_young_people,,16',
      ]) {
        expect(lines).toContain(`${label},${line}`)
      }
    } finally {
      await context.close()
    }
  })

  it('works without JavaScript: dates typed into the form give the same figures', async () => {
    const context = await noScriptContext(browser)
    try {
      const page = await context.newPage()
      await signInToReports(page)
      await page.getByRole('radio', { name: 'Dates you choose', exact: true }).check()
      const from = page.getByRole('group', { name: 'From', exact: true })
      await from.getByLabel('Day', { exact: true }).fill('1')
      await from.getByLabel('Month', { exact: true }).fill('10')
      await from.getByLabel('Year', { exact: true }).fill('2025')
      await page.getByRole('button', { name: 'Show report', exact: true }).click()
      // The end date was left out: the error is beside the field and in the summary, what was typed is kept.
      const summary = page.locator('.govuk-error-summary')
      await summary.waitFor()
      expect(await summary.getByRole('link', { name: 'Enter the end date', exact: true }).getAttribute('href')).toBe(
        '#to-day',
      )
      const to = page.getByRole('group', { name: 'To (included)', exact: true })
      expect(await to.locator('.govuk-error-message').textContent()).toContain('Enter the end date')
      expect(await from.getByLabel('Month', { exact: true }).inputValue()).toBe('10')

      await to.getByLabel('Day', { exact: true }).fill('31')
      await to.getByLabel('Month', { exact: true }).fill('12')
      await to.getByLabel('Year', { exact: true }).fill('2025')
      await page.getByRole('button', { name: 'Show report', exact: true }).click()
      await page.getByRole('table', { name: 'Spaces booked by home authority', exact: true }).waitFor()
      expect(await tableRows(page, 'Spaces booked by home authority')).toEqual([
        ['Home authority', 'Spaces booked'],
        ...SEED_AUTHORITIES,
        ['Total', '522'],
      ])
    } finally {
      await context.close()
    }
  })

  it('the report page and the print view have no accessibility violations, and the print view fits A4', async () => {
    const context = await newContext(browser)
    const axe = accessibilityAudit()
    try {
      const page = await context.newPage()
      await signInToReports(page)
      await page.goto(`${service.url}/staff/reports?quarter=2025-26+Q3`)
      await page.getByRole('table', { name: 'Spaces booked by home authority', exact: true }).waitFor()
      await axe.check(page, 'report page')

      await page.goto(`${service.url}/staff/reports?quarter=2025-26+Q3&cut=school-year`)
      await page.getByRole('table', { name: 'Spaces booked by home authority and school year', exact: true }).waitFor()
      await axe.check(page, 'report page cut by school year')

      await page.goto(
        `${service.url}/staff/reports?period=range&from-day=31&from-month=12&from-year=2025&to-day=1&to-month=10&to-year=2025`,
      )
      await page.locator('.govuk-error-summary').waitFor()
      await axe.check(page, 'report page with an error')

      await page.goto(`${service.url}/staff/reports?quarter=2025-26+Q3`)
      await page.getByRole('link', { name: 'Print view', exact: true }).click()
      await page.getByRole('heading', { level: 1, name: 'Join In report: 2025-26 Q3' }).waitFor()
      await page.waitForLoadState('load')
      expect(await page.locator('form[method="get"]').count()).toBe(0)
      await axe.check(page, 'print view')

      // Printed on A4 portrait with 15 mm margins the page is 180 mm (680 CSS px) wide: nothing
      // sticks out, and the site's header, navigation and sign-out button are not printed.
      await page.setViewportSize({ width: 680, height: 1000 })
      await page.emulateMedia({ media: 'print' })
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(680)
      expect(await page.locator('.govuk-header').isVisible()).toBe(false)
      expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false)
      expect(await page.getByRole('link', { name: 'Back to the report' }).isVisible()).toBe(false)
      // Cut by school year the authority table has 19 columns: it still fits.
      await page.goto(`${service.url}/staff/reports/print?quarter=2025-26+Q3&cut=school-year`)
      await page.getByRole('table', { name: 'Spaces booked by home authority and school year', exact: true }).waitFor()
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(680)
      const pdf = await page.pdf({ preferCSSPageSize: true })
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF')
      // A4 portrait is 595 × 842 points.
      expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]/)

      axe.expectNone()
    } finally {
      await context.close()
    }
  })
})
