// End to end in Chromium: a member of staff erases a family's details on request — finds them by
// email, is stopped until they confirm, sees the result — and an admin changes the retention
// period; axe-core checks each page on the way.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { expectAccessible, launchBrowser, newContext, signInAsStaff } from '../support/browser'
import { ADMIN, startTestService, type TestService } from '../support/service'

const EMAIL = 'robin.family@example.org'

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

describe('erasing personal data in the browser', () => {
  it('finds a family by email, needs a confirmation, then erases them', async () => {
    const activity = await publishActivity(service, { title: 'Forest school online' })
    expect(
      (await confirmBooking(service.client(), activity, [{ firstName: 'Robin', dob: dobForAge(8) }], { email: EMAIL }))
        .status,
    ).toBe(302)

    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await signInAsStaff(page, service.url, ADMIN, '/staff/erasure')
      await page.getByRole('heading', { level: 1, name: "Erase a family's details" }).waitFor()
      await expectAccessible(page, 'erasure, empty')

      await page.getByLabel('Email address', { exact: true }).fill('robin.family@')
      await page.getByRole('button', { name: 'Find their details' }).click()
      await page
        .getByRole('link', { name: 'Enter an email address in the correct format, like name@example.com' })
        .waitFor()
      expect(await page.getByLabel('Email address', { exact: true }).inputValue()).toBe('robin.family@')
      await expectAccessible(page, 'erasure, bad email')

      await page.getByLabel('Email address', { exact: true }).fill(EMAIL)
      await page.getByRole('button', { name: 'Find their details' }).click()
      await page.getByRole('heading', { level: 2, name: `What we hold for ${EMAIL}` }).waitFor()
      expect(await page.getByRole('table').textContent()).toContain('Robin')
      await expectAccessible(page, 'erasure, check')

      await page.getByRole('button', { name: 'Erase these details' }).click()
      await page
        .getByRole('link', { name: 'Confirm you have checked these are the details of the person who asked' })
        .waitFor()
      await expectAccessible(page, 'erasure, not confirmed')
      expect(
        await service.database.db.selectFrom('booking').select('id').where('email', '=', EMAIL).execute(),
      ).toHaveLength(1)

      await page.getByLabel('I have checked these are the details of the person who asked').check()
      await page.getByRole('button', { name: 'Erase these details' }).click()
      await page.getByRole('heading', { level: 1, name: 'Details erased' }).waitFor()
      await expectAccessible(page, 'erasure, done')
      expect(
        await service.database.db.selectFrom('booking').select('id').where('email', '=', EMAIL).execute(),
      ).toHaveLength(0)
      const place = await service.database.db
        .selectFrom('place')
        .select(['first_name', 'status'])
        .where('activity_id', '=', activity)
        .executeTakeFirstOrThrow()
      expect(place).toEqual({ first_name: null, status: 'cancelled' })
    } finally {
      await context.close()
    }
  })

  it('lets an admin change how long personal details are kept, with the error by the field', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await signInAsStaff(page, service.url, ADMIN, '/staff/settings')
      const months = page.getByLabel('Months to keep personal details after a session', { exact: true })
      expect(await months.inputValue()).toBe('24')
      await months.fill('1000')
      await page.getByRole('button', { name: 'Save retention period' }).click()
      await page.getByRole('link', { name: 'Enter a whole number of months from 3 to 120, like 24' }).waitFor()
      expect(
        await page.getByLabel('Months to keep personal details after a session', { exact: true }).inputValue(),
      ).toBe('1000')
      await expectAccessible(page, 'settings, retention error')
      await page.getByLabel('Months to keep personal details after a session', { exact: true }).fill('36')
      await page.getByRole('button', { name: 'Save retention period' }).click()
      await page.getByText('Retention period saved.').waitFor()
      expect(
        await page.getByLabel('Months to keep personal details after a session', { exact: true }).inputValue(),
      ).toBe('36')
    } finally {
      await context.close()
    }
  })

  it('lets an admin change the team’s contact details, with errors by the field, and every page shows them', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await signInAsStaff(page, service.url, ADMIN, '/staff/settings')
      const email = page.getByLabel('Team’s email address', { exact: true })
      await email.fill('not-an-address')
      await page.getByRole('button', { name: 'Save organisation and contact details' }).click()
      await page
        .getByRole('link', {
          name: 'Enter the team’s email address in the correct format, like participation@council.example.gov.uk',
        })
        .waitFor()
      expect(await page.getByLabel('Team’s email address', { exact: true }).inputValue()).toBe('not-an-address')
      await expectAccessible(page, 'settings, organisation error')
      await page.getByLabel('Team’s email address', { exact: true }).fill('bexley-team@example.org')
      await page.getByLabel('Team’s phone number', { exact: true }).fill('020 8303 7777')
      await page.getByRole('button', { name: 'Save organisation and contact details' }).click()
      await page.getByText('Organisation and contact details saved.').waitFor()
      await expectAccessible(page, 'settings, organisation saved')

      await page.goto(`${service.url}/`)
      const footer = page.locator('footer')
      expect(await footer.getByRole('link', { name: 'bexley-team@example.org' }).getAttribute('href')).toBe(
        'mailto:bexley-team@example.org',
      )
      expect(await footer.getByRole('link', { name: '020 8303 7777' }).getAttribute('href')).toBe('tel:02083037777')
    } finally {
      await context.close()
    }
  })
})
