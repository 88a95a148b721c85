// In Chromium against the production server, on a phone (375 pixels): a member of staff opens a
// session's register, follows a child's link to the family's page (consents, emergency number),
// then, with approval of new families on, approves one new family's booking and declines another
// with a reason (first forgetting the reason: the error is beside the box), with JavaScript on
// and off. Nothing scrolls sideways, and axe (which needs scripts) finds nothing on any page.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import {
  expectAccessible,
  followErrorSummaryLink,
  launchBrowser,
  newContext,
  noScriptContext,
  signInAsStaff,
} from '../support/browser'
import { publishActivity } from '../support/booking'
import { createFamily } from '../support/family'
import { bookForFamily } from '../support/family-bookings'
import { startTestService, type TestService } from '../support/service'

const STAFF = { email: 'families.staff@example.org', password: 'a long password for the families page' }
// A second member of staff for the test without JavaScript: a fresh account's first code needs no wait
// for the next 30-second window, as signing the first one in again would.
const STAFF_NO_JS = { email: 'families.staff.nojs@example.org', password: 'another long password for the page' }
const LONG_NAME = 'Bartholomew Featherstonehaugh-Montgomery-Wolstenholme'

let service: TestService
let browser: Browser
let sessionId: number
let approvalSessionId: number
let familyId: number
const held: Record<string, { bookingId: number; reference: string }> = {}

beforeAll(async () => {
  service = await startTestService()
  const { db } = service.database
  sessionId = await publishActivity(service, { title: 'Comic drawing on a phone', capacity: '10' })
  approvalSessionId = await publishActivity(service, { title: 'Puppet making for new families', capacity: '4' })
  const kim = await createFamily(db, {
    email: 'kim.carer@example.org',
    contactName: LONG_NAME,
    phone: '07700 900111',
    emergencyPhone: '07700 900999',
    authorityCode: 'E06000035',
    children: [{ firstName: 'Maximiliana-Seraphina', dob: '2018-04-03' }],
  })
  familyId = kim.familyId
  await db
    .updateTable('child')
    .set({ consent_photos: 0, consent_photos_at: '2026-03-05T12:00:00.000Z' })
    .where('id', '=', kim.childIds[0]!)
    .execute()
  await bookForFamily(
    db,
    kim.familyId,
    sessionId,
    [{ childId: kim.childIds[0]!, firstName: 'Maximiliana-Seraphina', dob: '2018-04-03', age: 8 }],
    'confirmed',
  )
  for (const [name, child] of [
    ['Sam Approveme', 'Mia'],
    ['Lee Declineme', 'Rosa'],
    ['Jo Declinemetoo', 'Ivy'],
  ] as const) {
    const family = await createFamily(db, {
      contactName: name,
      approvedAt: null,
      children: [{ firstName: child, dob: '2017-06-01' }],
    })
    held[name] = await bookForFamily(
      db,
      family.familyId,
      approvalSessionId,
      [{ childId: family.childIds[0]!, firstName: child, dob: '2017-06-01', age: 9 }],
      'held',
      { holdReason: 'approval' },
    )
  }
  // Approval of new families is on, as an administrator sets it.
  const admin = await service.signedIn('admin')
  const saved = await admin.post('/staff/settings', {
    intent: 'save-families',
    approveNewFamilies: 'on',
    familyHoldHours: '24',
  })
  expect(saved.status).toBe(302)
  await createStaffUser(db, { ...STAFF, name: 'Robin Families', role: 'staff' })
  await createStaffUser(db, { ...STAFF_NO_JS, name: 'Sky Families', role: 'staff' })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
})

async function phone(scripts: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = scripts ? await newContext(browser) : await noScriptContext(browser)
  const page = await context.newPage()
  await page.setViewportSize({ width: 375, height: 800 })
  return { context, page }
}

async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width, `${where} scrolls sideways`).toBeLessThanOrEqual(375)
}

async function placeStatuses(bookingId: number): Promise<string[]> {
  const rows = await service.database.db
    .selectFrom('place')
    .select('status')
    .where('booking_id', '=', bookingId)
    .execute()
  return rows.map((r) => r.status)
}

describe('staff and families on a phone', () => {
  it('from the register to a family’s page, then approving one new family and declining another', async () => {
    const { context, page } = await phone(true)
    try {
      await signInAsStaff(page, service.url, STAFF, `/staff/activities/${sessionId}/register`)
      await page.getByRole('heading', { name: /^Register:/ }).waitFor()
      const details = page.locator('.app-register__details')
      expect(await details.getByText('No, given 5 March 2026').isVisible()).toBe(true)
      expect(await details.getByRole('link', { name: '07700 900999' }).getAttribute('href')).toBe('tel:07700900999')
      await expectNoSidewaysScroll(page, 'the register')
      await expectAccessible(page, 'the register with consents at 375px')

      await page.getByRole('link', { name: 'Family details for Maximiliana-Seraphina' }).click()
      await page.waitForURL((url) => url.pathname === `/staff/families/${familyId}`)
      await page.getByRole('heading', { level: 1, name: LONG_NAME }).waitFor()
      expect(await page.getByText('No, given 5 March 2026').isVisible()).toBe(true)
      expect(await page.getByText('07700 900999').isVisible()).toBe(true)
      await expectNoSidewaysScroll(page, 'the family page')
      await expectAccessible(page, 'the family page at 375px')

      await page.goto(`${service.url}/staff`)
      await page.getByRole('link', { name: '3 bookings from new families waiting for approval' }).click()
      await page.waitForURL((url) => url.pathname === '/staff/families/approvals')
      await page.getByRole('heading', { level: 1, name: 'New families waiting for approval' }).waitFor()
      await expectNoSidewaysScroll(page, 'the approvals queue')
      await expectAccessible(page, 'the approvals queue at 375px')

      await page.getByRole('button', { name: `Approve Sam Approveme ${held['Sam Approveme']!.reference}` }).click()
      await page.getByText(`Approved: ${held['Sam Approveme']!.reference}.`).waitFor()
      expect(await placeStatuses(held['Sam Approveme']!.bookingId)).toEqual(['confirmed'])

      // Decline without a reason: the error summary links to the box, which says what to do.
      const lee = held['Lee Declineme']!
      await page.getByRole('button', { name: `Decline Lee Declineme ${lee.reference}` }).click()
      await followErrorSummaryLink(page, 'Enter why you are declining this booking. The family will be told')
      const box = page.getByLabel(`Why are you declining this booking (${lee.reference})?`)
      expect(await box.evaluate((el) => el === document.activeElement)).toBe(true)
      await expectAccessible(page, 'the approvals queue with an error at 375px')
      await box.fill('Not in Kent, Medway or Bexley.')
      await page.getByRole('button', { name: `Decline Lee Declineme ${lee.reference}` }).click()
      await page.getByText(`Declined: ${lee.reference}.`).waitFor()
      expect(await placeStatuses(lee.bookingId)).toEqual(['cancelled'])
      await expectAccessible(page, 'the approvals queue after a decision at 375px')
    } finally {
      await context.close()
    }
  })

  it('declines with a reason without JavaScript, the reason kept when it was too long', async () => {
    const { context, page } = await phone(false)
    try {
      await signInAsStaff(page, service.url, STAFF_NO_JS, '/staff/families/approvals')
      const jo = held['Jo Declinemetoo']!
      const box = page.getByLabel(`Why are you declining this booking (${jo.reference})?`)
      await box.fill('x'.repeat(2001))
      await page.getByRole('button', { name: `Decline Jo Declinemetoo ${jo.reference}` }).click()
      await page.getByText('Error: The reason must be 2000 characters or fewer').waitFor()
      // the page streams in: the message can be there before the box below it
      await page.waitForLoadState('load')
      expect((await box.inputValue()).length).toBe(2001)
      await expectNoSidewaysScroll(page, 'the approvals queue with an error, without JavaScript')
      // (axe needs the page's scripts to run, so the page with an error is checked with JavaScript on, above)
      await box.fill('We could not confirm your family’s details.')
      await page.getByRole('button', { name: `Decline Jo Declinemetoo ${jo.reference}` }).click()
      await page.getByText(`Declined: ${jo.reference}.`).waitFor()
      expect(await placeStatuses(jo.bookingId)).toEqual(['cancelled'])
      expect(await page.getByText('There are no bookings waiting for approval.').isVisible()).toBe(true)
    } finally {
      await context.close()
    }
  })
})
