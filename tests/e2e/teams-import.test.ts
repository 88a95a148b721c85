// End to end in Chromium against the production server: staff upload the sample Teams attendance
// report on a session's register, check the suggested marks (choosing between two children named
// Leo), save, and the register shows the marks. With JavaScript and without it, at a phone's
// 375 pixels, with axe-core's WCAG 2.2 A and AA checks on every page of the way.
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import {
  accessibilityAudit,
  followErrorSummaryLink,
  launchBrowser,
  newContext,
  noScriptContext,
  signInAsStaff,
  waitForHydration,
} from '../support/browser'
import { confirmBooking, dobForAge, publishActivity, uniqueTitle } from '../support/booking'
import { testClock } from '../support/clock'
import { startTestService, type TestService } from '../support/service'

const REPORT = path.resolve(import.meta.dirname, '../fixtures/teams/teams-attendance-report.csv')
const STAFF = { email: 'teams.importer@example.org', password: 'a long password for the teams import' }

const clock = testClock()
let service: TestService
let browser: Browser

interface Session {
  id: number
  places: Record<'sam' | 'chloe' | 'tom' | 'zoe' | 'leoPatel' | 'leoBrown' | 'mia', number>
}

/** A session with the sample report's families booked (the Okafors' two children on one device). */
async function bookedSession(): Promise<Session> {
  const id = await publishActivity(service, { title: uniqueTitle('Slime science'), capacity: '10' })
  const families: Array<[string, string, Array<[string, number]>]> = [
    ['Jo Carter', 'jo.carter@example.org', [['Sam', 7]]],
    ['Hannah Webb', 'hannah.webb@example.org', [['Chloé', 8]]],
    [
      'Grace Okafor',
      'grace.okafor@example.org',
      [
        ['Tom', 10],
        ['Zoë', 8],
      ],
    ],
    ['Priya Patel', 'priya.patel@example.org', [['Leo', 6]]],
    ['Mark Brown', 'mark.brown@example.org', [['Leo', 9]]],
    ['Dan Jones', 'dan.jones@example.org', [['Mia', 7]]],
  ]
  for (const [contactName, email, children] of families) {
    const response = await confirmBooking(
      service.client(),
      id,
      children.map(([firstName, age]) => ({ firstName, dob: dobForAge(age) })),
      { contactName, email },
    )
    expect(response.status).toBe(302)
  }
  const rows = await service.database.db
    .selectFrom('place')
    .select('id')
    .where('activity_id', '=', id)
    .where('status', '=', 'confirmed')
    .orderBy('id')
    .execute()
  expect(rows.length).toBe(7)
  const [sam, chloe, tom, zoe, leoPatel, leoBrown, mia] = rows.map((r) => r.id) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  return { id, places: { sam, chloe, tom, zoe, leoPatel, leoBrown, mia } }
}

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '100000' }, { now: clock.now })
  await createStaffUser(service.database.db, { ...STAFF, name: 'Robin Register', role: 'staff' })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
})

/** The session has happened: the register is not early (sessions are a month ahead at 4pm). */
async function afterTheSession(session: Session): Promise<void> {
  const { starts_at } = await service.database.db
    .selectFrom('activity')
    .select('starts_at')
    .where('id', '=', session.id)
    .executeTakeFirstOrThrow()
  clock.set(new Date(new Date(starts_at).getTime() + 90 * 60_000))
}

async function marks(page: Page, session: Session): Promise<Record<string, 'yes' | 'no' | null>> {
  const out: Record<string, 'yes' | 'no' | null> = {}
  for (const [name, placeId] of Object.entries(session.places)) {
    const yes = await page.locator(`#attended-${placeId}-yes`).isChecked()
    const no = await page.locator(`#attended-${placeId}-no`).isChecked()
    out[name] = yes ? 'yes' : no ? 'no' : null
  }
  return out
}

/** The page's content width from the browser's layout (DevTools protocol: works without JavaScript too). */
async function noSidewaysScroll(page: Page, where: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  try {
    const metrics = await cdp.send('Page.getLayoutMetrics')
    expect(metrics.cssContentSize.width, where).toBeLessThanOrEqual(375)
  } finally {
    await cdp.detach()
  }
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('importing a register from Teams %s, on a phone', (_label, js) => {
  it('uploads the report, shows each child’s suggested mark, saves what staff confirm, and the register shows it', async () => {
    // Booking and signing in (its two-factor code) happen at the real time; then the session is over.
    clock.set(new Date())
    const session = await bookedSession()
    const context: BrowserContext = js ? await newContext(browser) : await noScriptContext(browser)
    // axe and the width check run in the page's JavaScript, so they check the pages with it on
    // (the pages are the same server-rendered markup without it)
    const audit = accessibilityAudit()
    const axe = {
      check: (page: Page, name: string) => (js ? audit.check(page, name) : Promise.resolve()),
      expectNone: () => audit.expectNone(),
    }
    try {
      const page = await context.newPage()
      await page.setViewportSize({ width: 375, height: 800 })
      const settled = async () => {
        if (js) await waitForHydration(page)
        else await page.waitForLoadState('load')
      }
      await signInAsStaff(page, service.url, STAFF, `/staff/activities/${session.id}/register`)
      await afterTheSession(session)
      await page.reload()
      await settled()
      await page.getByRole('link', { name: 'Import attendance from a Teams report', exact: true }).click()
      await page.getByRole('heading', { level: 1, name: /^Import attendance from Teams: / }).waitFor()
      await settled()
      await axe.check(page, 'upload page')
      await noSidewaysScroll(page, 'upload page')

      // No file chosen: the error by the field, and in the summary
      await page.getByRole('button', { name: 'Upload and check', exact: true }).click()
      await page.locator('.govuk-error-summary').waitFor()
      await settled()
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Select the attendance report from Teams',
      )
      expect(await page.locator('#report-error').textContent()).toContain('Select the attendance report from Teams')
      await axe.check(page, 'upload page with an error')

      await page.getByLabel('Upload the attendance report', { exact: true }).setInputFiles(REPORT)
      await page.getByRole('button', { name: 'Upload and check', exact: true }).click()
      await page.getByRole('heading', { level: 1, name: 'Check the attendance from Teams' }).waitFor()
      await settled()
      // nothing saved yet
      const saved = await service.database.db
        .selectFrom('place')
        .select('attended')
        .where('activity_id', '=', session.id)
        .execute()
      expect(saved.map((p) => p.attended)).toEqual([null, null, null, null, null, null, null])
      expect(await marks(page, session)).toEqual({
        sam: 'yes',
        chloe: 'yes',
        tom: 'yes',
        zoe: 'yes',
        leoPatel: null,
        leoBrown: null,
        mia: 'no',
      })
      const unmatched = page.getByRole('table', { name: '3 names not matched' })
      expect(await unmatched.getByRole('rowheader').allTextContents()).toEqual([
        'Robin Register',
        'Alex Morgan (External)',
        'Kim Lee',
      ])
      await axe.check(page, 'check page')
      await noSidewaysScroll(page, 'check page')

      // Saving without choosing for the two Leos: asked to choose, and the other answers kept
      await page.locator(`#attended-${session.places.zoe}-no`).check()
      await page.getByRole('button', { name: 'Save the register', exact: true }).click()
      await page.locator('.govuk-error-summary').waitFor()
      await settled()
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('Choose whether Leo (age 6) attended')
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('Choose whether Leo (age 9) attended')
      expect((await marks(page, session)).zoe).toBe('no')
      await axe.check(page, 'check page with errors')
      await noSidewaysScroll(page, 'check page with errors')
      // the summary's link goes to the first Leo's answer
      await followErrorSummaryLink(page, 'Choose whether Leo (age 6) attended')
      if (js) {
        await expect
          .poll(() => page.evaluate(() => document.activeElement?.id))
          .toBe(`attended-${session.places.leoPatel}-yes`)
      } else {
        expect(new URL(page.url()).hash).toBe(`#attended-${session.places.leoPatel}-yes`)
      }

      // Staff know it was the older Leo, and Zoë did come after all
      await page.locator(`#attended-${session.places.leoPatel}-no`).check()
      await page.locator(`#attended-${session.places.leoBrown}-yes`).check()
      await page.locator(`#attended-${session.places.zoe}-yes`).check()
      await page.getByRole('button', { name: 'Save the register', exact: true }).click()
      await page.getByText('Register saved from the Teams attendance report', { exact: true }).waitFor()
      await settled()
      expect(new URL(page.url()).pathname).toBe(`/staff/activities/${session.id}/register`)
      await page.getByText('7 children: 5 attended, 2 did not attend, 0 not marked yet.').waitFor()
      expect(await marks(page, session)).toEqual({
        sam: 'yes',
        chloe: 'yes',
        tom: 'yes',
        zoe: 'yes',
        leoPatel: 'no',
        leoBrown: 'yes',
        mia: 'no',
      })
      await axe.check(page, 'register after the import')
      axe.expectNone()
    } finally {
      await context.close()
    }
  })
})
