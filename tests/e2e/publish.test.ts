// End to end in a real browser (Chromium, JavaScript on) against the real production server:
// staff sign in, publish a session through the form, and parents see it on the public list.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activityForm, ADMIN, startTestService, type TestService } from '../support/service'
import { accessibilityAudit, launchBrowser, newContext, signInAsStaff } from '../support/browser'

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

/** The calendar date in London `days` from now, as the strings a person types. */
function londonDateIn(days: number): { day: string; month: string; year: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
  }).formatToParts(new Date(Date.now() + days * 86_400_000))
  const part = (type: string) => parts.find((p) => p.type === type)!.value
  return { day: part('day'), month: part('month'), year: part('year') }
}

function path(page: Page): string {
  const url = new URL(page.url())
  return url.pathname + url.search
}

/** Goes to /staff, is sent to sign-in, and signs in as the first admin, as a person would. */
async function signIn(page: Page): Promise<void> {
  await signInAsStaff(page, service.url, ADMIN, '/staff')
  await page.getByRole('heading', { level: 1, name: 'Upcoming sessions' }).waitFor()
}

/** The text of the elements that describe a form control (its hint and error message). */
async function describedByText(page: Page, control: ReturnType<Page['getByLabel']>): Promise<string> {
  const ids = (await control.getAttribute('aria-describedby')) ?? ''
  const texts: string[] = []
  for (const id of ids.split(/\s+/).filter(Boolean)) {
    texts.push((await page.locator(`[id="${id}"]`).textContent()) ?? '')
  }
  return texts.join(' ')
}

describe('publishing a session in the browser', () => {
  it('staff sign in, publish an activity and see it on the public list', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await signIn(page)

      await page.getByRole('button', { name: 'Create a session' }).click()
      await page.waitForURL((url) => url.pathname === '/staff/activities/new')
      await page.getByRole('heading', { level: 1, name: 'New session' }).waitFor()

      const title = 'Volcano experiments E2E'
      const date = londonDateIn(21)
      await page.getByRole('radio', { name: 'Virtual activity for children' }).check()
      await page.getByLabel('Title', { exact: true }).fill(title)
      await page.getByLabel('Category', { exact: true }).selectOption({ label: 'Science experiments' })
      await page
        .getByLabel('Description', { exact: true })
        .fill('Make a fizzing volcano with bicarbonate of soda and vinegar.')
      const dateGroup = page.getByRole('group', { name: 'Date', exact: true })
      await dateGroup.getByLabel('Day', { exact: true }).fill(date.day)
      await dateGroup.getByLabel('Month', { exact: true }).fill(date.month)
      await dateGroup.getByLabel('Year', { exact: true }).fill(date.year)
      await page.getByLabel('Start time', { exact: true }).fill('16:00')
      await page.getByLabel('End time', { exact: true }).fill('17:00')
      await page.getByLabel('Number of spaces', { exact: true }).fill('12')
      await page.getByLabel('Youngest age', { exact: true }).fill('5')
      await page.getByLabel('Oldest age', { exact: true }).fill('11')
      await page.getByRole('radio', { name: 'Online, on Microsoft Teams' }).check()
      await page
        .getByLabel('Teams joining link', { exact: true })
        .fill('https://teams.microsoft.com/l/meetup-join/SECRET-E2E-LINK')
      await page.getByRole('button', { name: 'Save and publish' }).click()

      await page.waitForURL((url) => /^\/staff\/activities\/\d+$/.test(url.pathname))
      expect(path(page)).toMatch(/\?notice=published$/)
      const banner = page.locator('.govuk-notification-banner--success')
      await banner.waitFor()
      expect(await banner.getAttribute('role')).toBe('alert')
      expect(await banner.textContent()).toContain('Session published')
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(title)

      const publicPage = await context.newPage()
      const response = await publicPage.goto(`${service.url}/`)
      expect(response?.status()).toBe(200)
      const item = publicPage.locator('.app-activity-list__item').filter({ hasText: title })
      await item.getByRole('link', { name: title }).waitFor()
      expect(await item.textContent()).toContain('12 spaces left')
      expect(await publicPage.content()).not.toContain('SECRET-E2E-LINK')
      // The HTML as sent, including the data React Router embeds for hydration.
      expect(await response!.text()).not.toContain('SECRET-E2E-LINK')
    } finally {
      await context.close()
    }
  })

  it('the activity form shows errors next to fields and keeps what was typed', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await signIn(page)
      await page.goto(`${service.url}/staff/activities/new`)
      await page.getByRole('heading', { level: 1, name: 'New session' }).waitFor()

      const title = 'Clock mix-up club'
      const date = londonDateIn(21)
      await page.getByLabel('Title', { exact: true }).fill(title)
      const dateGroup = page.getByRole('group', { name: 'Date', exact: true })
      await dateGroup.getByLabel('Day', { exact: true }).fill(date.day)
      await dateGroup.getByLabel('Month', { exact: true }).fill(date.month)
      await dateGroup.getByLabel('Year', { exact: true }).fill(date.year)
      await page.getByLabel('Start time', { exact: true }).fill('17:00')
      await page.getByLabel('End time', { exact: true }).fill('16:00')
      await page.getByLabel('Number of spaces', { exact: true }).fill('0')
      await page.getByRole('button', { name: 'Save and publish' }).click()

      const summary = page.locator('.govuk-error-summary')
      await summary.waitFor()
      expect(path(page)).toBe('/staff/activities/new')
      expect(await summary.getByRole('heading', { level: 2 }).textContent()).toBe('There is a problem')
      expect(await summary.getByRole('alert').count()).toBe(1)

      // Each summary entry is a link to a control that exists on the page.
      const links = summary.getByRole('link')
      const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))
      expect(hrefs).toContain('#capacity')
      expect(hrefs).toContain('#endTime')
      for (const href of hrefs) {
        expect(href).toMatch(/^#[\w-]+$/)
        expect(await page.locator(href).count(), `summary link ${href} has a target`).toBe(1)
      }
      expect(await summary.getByRole('link', { name: 'Spaces must be 1 or more' }).getAttribute('href')).toBe(
        '#capacity',
      )
      expect(
        await summary.getByRole('link', { name: 'End time must be after the start time' }).getAttribute('href'),
      ).toBe('#endTime')

      // Messages beside their fields, and tied to them for screen readers.
      const capacity = page.getByLabel('Number of spaces', { exact: true })
      const endTime = page.getByLabel('End time', { exact: true })
      expect(await page.locator('#capacity-error').textContent()).toContain('Spaces must be 1 or more')
      expect(await page.locator('#endTime-error').textContent()).toContain('End time must be after the start time')
      expect(await describedByText(page, capacity)).toContain('Spaces must be 1 or more')
      expect(await describedByText(page, endTime)).toContain('End time must be after the start time')
      expect(await capacity.getAttribute('class')).toContain('govuk-input--error')

      // What was typed is still there.
      expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(title)
      expect(await capacity.inputValue()).toBe('0')
      expect(await page.getByLabel('Start time', { exact: true }).inputValue()).toBe('17:00')
      expect(await endTime.inputValue()).toBe('16:00')
      expect(await dateGroup.getByLabel('Day', { exact: true }).inputValue()).toBe(date.day)

      // Nothing was saved.
      const saved = await service.database.db.selectFrom('activity').select('id').where('title', '=', title).execute()
      expect(saved).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('axe-core finds no WCAG 2.2 A or AA problems on the main pages', async () => {
    // Something on each public list, so the list markup is checked too.
    const staff = await service.signedIn('staff')
    for (const form of [
      activityForm({ title: 'Axe check activity' }),
      activityForm({
        kind: 'adoptables',
        title: 'Axe check meeting',
        category: 'Adoptables meeting',
        minAge: '12',
        maxAge: '18',
      }),
    ]) {
      const created = await staff.post('/staff/activities/new', form)
      expect(created.status, await created.clone().text()).toBe(302)
    }

    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      const axe = accessibilityAudit()
      for (const pathname of ['/', '/adoptables', '/staff/sign-in']) {
        const response = await page.goto(`${service.url}${pathname}`)
        expect(response?.status(), pathname).toBe(200)
        await axe.check(page, pathname)
      }

      await signIn(page)
      await page.goto(`${service.url}/staff/activities/new`)
      await page.getByLabel('Title', { exact: true }).fill('Axe check with errors')
      await page.getByLabel('Number of spaces', { exact: true }).fill('0')
      await page.getByRole('button', { name: 'Save and publish' }).click()
      await page.locator('.govuk-error-summary').waitFor()
      await axe.check(page, '/staff/activities/new (with errors)')
      axe.expectNone()
    } finally {
      await context.close()
    }
  })
})
