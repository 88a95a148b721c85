// End to end in Chromium against the production server: staff take a session's register and the
// quarterly report's "Spaces attended" follows; the register prints as a table; the register
// and message pages pass axe-core's WCAG 2.2 A and AA checks.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import { londonDateOf, parseCalendarDate } from '../../app/time/london-time'
import { accessibilityAudit, launchBrowser, newContext, signInAsStaff, waitForHydration } from '../support/browser'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { startTestService, type TestService } from '../support/service'

const STAFF = { email: 'register.taker@example.org', password: 'a long password for the register' }

let service: TestService
let browser: Browser
let activityId: number
let reportUrl: string

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '100000' })
  activityId = await publishActivity(service, { title: 'Register in the browser', capacity: '3' })
  const booked = await confirmBooking(service.client(), activityId, [
    { firstName: 'Ava', dob: dobForAge(7), supportNeeds: 'Uses a screen reader' },
    { firstName: 'Leo', dob: dobForAge(9) },
  ])
  expect(booked.status).toBe(302)
  expect(
    (
      await confirmBooking(service.client(), activityId, [{ firstName: 'Mia', dob: dobForAge(8) }], {
        email: 'sam@example.org',
      })
    ).status,
  ).toBe(302)
  // A fourth child waits: the waiting list is not on the register.
  expect(
    (
      await confirmBooking(service.client(), activityId, [{ firstName: 'Noah', dob: dobForAge(8) }], {
        email: 'lee@example.org',
      })
    ).status,
  ).toBe(302)
  await createStaffUser(service.database.db, { ...STAFF, name: 'Robin Register', role: 'staff' })
  // The report for the session's day only: nothing else counts, so the figure is this register's.
  const activity = await service.database.db
    .selectFrom('activity')
    .select('starts_at')
    .where('id', '=', activityId)
    .executeTakeFirstOrThrow()
  const { year, month, day } = parseCalendarDate(londonDateOf(activity.starts_at))!
  const date = (prefix: string) => `${prefix}-day=${day}&${prefix}-month=${month}&${prefix}-year=${year}`
  reportUrl = `/staff/reports?period=range&${date('from')}&${date('to')}`
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
})

/** "Spaces attended" in the report's virtual activities table. */
async function spacesAttended(page: Page): Promise<string> {
  await page.goto(`${service.url}${reportUrl}`)
  const row = page
    .getByRole('table', { name: 'Virtual activities', exact: true })
    .getByRole('row', { name: /^Spaces attended/ })
  return ((await row.locator('td').last().textContent()) ?? '').trim()
}

async function waitForScripts(page: Page): Promise<void> {
  await waitForHydration(page)
}

describe('taking a register in the browser', () => {
  it('staff mark attendance, save, and the report’s spaces attended changes', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await signInAsStaff(page, service.url, STAFF, `/staff/activities/${activityId}`)
      // no register taken yet: the report says so rather than 0
      expect(await spacesAttended(page)).toBe('No register taken')

      await page.goto(`${service.url}/staff/activities/${activityId}`)
      await page.getByRole('link', { name: 'Take the register', exact: true }).click()
      await page.getByRole('heading', { level: 1, name: 'Register: Register in the browser' }).waitFor()
      await waitForScripts(page)
      expect(await page.getByText('3 children: 0 attended, 0 did not attend, 3 not marked yet.').isVisible()).toBe(true)
      // Each child is a group named by the question, so the radios read as "Did Ava attend? Attended".
      await page
        .getByRole('group', { name: 'Did Ava attend?' })
        .getByRole('radio', { name: 'Attended', exact: true })
        .check()
      await page
        .getByRole('group', { name: 'Did Leo attend?' })
        .getByRole('radio', { name: 'Did not attend', exact: true })
        .check()
      expect(await page.getByRole('group', { name: 'Did Noah attend?' }).count()).toBe(0)
      // the session is a month away, so the page asks first
      await page.getByRole('checkbox', { name: 'I want to mark this register before the session' }).check()
      await page.getByRole('button', { name: 'Save register', exact: true }).click()
      await page.getByText('Register saved', { exact: true }).waitFor()
      await page.getByText('3 children: 1 attended, 1 did not attend, 1 not marked yet.').waitFor()
      // The marks saved are the ones shown.
      expect(
        await page
          .getByRole('group', { name: 'Did Ava attend?' })
          .getByRole('radio', { name: 'Attended', exact: true })
          .isChecked(),
      ).toBe(true)
      expect(
        await page
          .getByRole('group', { name: 'Did Mia attend?' })
          .getByRole('radio', { name: 'Attended', exact: true })
          .isChecked(),
      ).toBe(false)

      expect(await spacesAttended(page)).toBe('1')

      // Mia came too: one button marks everyone not yet marked.
      await page.goto(`${service.url}/staff/activities/${activityId}/register`)
      await waitForScripts(page)
      await page.getByRole('checkbox', { name: 'I want to mark this register before the session' }).check()
      await page.getByRole('button', { name: 'Save, and mark everyone not marked as attended', exact: true }).click()
      await page.getByText('3 children: 2 attended, 1 did not attend, 0 not marked yet.').waitFor()
      expect(
        await page
          .getByRole('group', { name: 'Did Mia attend?' })
          .getByRole('radio', { name: 'Attended', exact: true })
          .isChecked(),
      ).toBe(true)

      expect(await spacesAttended(page)).toBe('2')
    } finally {
      await context.close()
    }
  })

  it('prints as a table of name, age, authority, support needs and attendance, without the form', async () => {
    // the families booked by the form and never answered the consent questions
    const NOT_ANSWERED = 'Photographs: Not answered · First name visible: Not answered · Camera on: Not answered'
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await signInAsStaff(page, service.url, STAFF, `/staff/activities/${activityId}/register`)
      await page.emulateMedia({ media: 'print' })
      expect(await page.locator('form#register').isVisible()).toBe(false)
      expect(await page.locator('.govuk-header').isVisible()).toBe(false)
      const table = page.getByRole('table', { name: '3 with a confirmed place' })
      expect(await table.isVisible()).toBe(true)
      const rows = await table
        .locator('tr')
        .evaluateAll((trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').trim())),
        )
      expect(rows).toEqual([
        ['First name', 'Age', 'Home authority', 'Support needs', 'Consents and emergency number', 'Attended'],
        ['Ava', '7', 'Kent', 'Uses a screen reader', NOT_ANSWERED, 'Yes'],
        ['Leo', '9', 'Kent', '', NOT_ANSWERED, 'No'],
        ['Mia', '8', 'Kent', '', NOT_ANSWERED, 'Yes'],
      ])
      // Printed on A4 portrait with 15 mm margins the page is 180 mm (680 CSS px) wide.
      await page.setViewportSize({ width: 680, height: 1000 })
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(680)
      await page.emulateMedia({ media: 'screen' })
      expect(await table.isVisible()).toBe(false)
    } finally {
      await context.close()
    }
  })

  it('the register, message and session pages have no accessibility violations', async () => {
    const context = await newContext(browser)
    const axe = accessibilityAudit()
    try {
      const page = await context.newPage()
      await signInAsStaff(page, service.url, STAFF, `/staff/activities/${activityId}/register`)
      await axe.check(page, 'register')
      // A phone's width: still no violations (nothing hidden off screen, targets kept).
      await page.setViewportSize({ width: 375, height: 800 })
      await axe.check(page, 'register on a phone')
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
      await page.setViewportSize({ width: 1280, height: 900 })

      await page.goto(`${service.url}/staff/activities/${activityId}/messages`)
      await page.getByRole('heading', { level: 1, name: 'Message families' }).waitFor()
      await waitForScripts(page)
      await axe.check(page, 'message form')

      // Continue with nothing filled in: errors by each field.
      await page.getByRole('button', { name: 'Continue', exact: true }).click()
      await page.locator('.govuk-error-summary').waitFor()
      await axe.check(page, 'message form with errors')

      await page.getByRole('radio', { name: 'Families with a place', exact: true }).check()
      await page.getByLabel('Subject', { exact: true }).fill('Starting 5 minutes late')
      await page.getByLabel('Message', { exact: true }).fill('Sorry, we are starting at 4:05pm today.')
      await page.getByRole('button', { name: 'Continue', exact: true }).click()
      await page.getByRole('heading', { level: 1, name: 'Check your message' }).waitFor()
      await axe.check(page, 'check your message')

      await page.getByRole('button', { name: 'Send to 2 families', exact: true }).click()
      await page.getByText('Message sent to 2 families. The emails are in the outbox.').waitFor()
      await page.getByRole('heading', { level: 3, name: 'Starting 5 minutes late' }).waitFor()
      await axe.check(page, 'session page with a message')

      axe.expectNone()
    } finally {
      await context.close()
    }
  })
})
