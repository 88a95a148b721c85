// On a phone (375 px), with JavaScript on and off: a signed-in family books three children on a
// five-date series in one step, one child too young for the first date; the check page shows what
// happens on each date; one email arrives through a real SMTP server with one invite of five
// events (read with ical.js); cancelling one date leaves the others. Pages fit and pass axe.
import crypto from 'node:crypto'
import { simpleParser } from 'mailparser'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCalendar } from '../support/calendar'
import { expectAccessible, launchBrowser, newContext, noScriptContext, waitForHydration } from '../support/browser'
import { createFamily, signInFamilyDirectly } from '../support/family'
import { activityForm, startTestService, type HttpClient, type TestService } from '../support/service'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { waitFor } from '../support/wait'

let service: TestService
let smtp: TestSmtp
let browser: Browser
let staff: HttpClient

beforeAll(async () => {
  smtp = await startSmtp()
  service = await startTestService({ BOOKING_RATE_LIMIT: '1000', SMTP_URL: smtp.url, OUTBOX_POLL_MS: '50' })
  staff = await service.signedIn('staff')
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
  await smtp?.close()
})

const DAY_MS = 86_400_000

/** A calendar date `days` after the UTC date `daysAhead` days from now, less `years`, as YYYY-MM-DD. */
function dateFrom(daysAhead: number, days: number, years = 0): string {
  const at = new Date(Date.now() + daysAhead * DAY_MS)
  return new Date(Date.UTC(at.getUTCFullYear() - years, at.getUTCMonth(), at.getUTCDate()) + days * DAY_MS)
    .toISOString()
    .slice(0, 10)
}

async function onPhone(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  await page.setViewportSize({ width: 375, height: 800 })
  return page
}

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
}

describe('booking a series in one step', () => {
  for (const [n, scripts] of (['on', 'off'] as const).entries()) {
    it(`three children on five dates, one too young for the first (JavaScript ${scripts})`, async () => {
      const daysAhead = 30 + n * 50
      const at = new Date(Date.now() + daysAhead * DAY_MS)
      const title = `Drama club ${crypto.randomUUID().slice(0, 6)}`
      const created = await staff.post(
        '/staff/activities/new',
        activityForm({
          title,
          'date-day': String(at.getUTCDate()),
          'date-month': String(at.getUTCMonth() + 1),
          'date-year': String(at.getUTCFullYear()),
          repeat: 'weekly',
          sessions: '5',
        }),
      )
      expect(created.status).toBe(302)
      const sessions = await service.database.db
        .selectFrom('activity')
        .select(['id', 'series_id'])
        .where('title', '=', title)
        .orderBy('starts_at')
        .execute()
      expect(new Set(sessions.map((s) => s.series_id)).size).toBe(1)
      const db = service.database.db
      const family = await createFamily(db, {
        email: `drama-${crypto.randomUUID().slice(0, 6)}@example.org`,
        children: [
          { firstName: 'Ava', dob: dateFrom(daysAhead, -100, 8) },
          { firstName: 'Leo', dob: dateFrom(daysAhead, -100, 6) },
          // five three days after the first date
          { firstName: 'Sam', dob: dateFrom(daysAhead, 3, 5) },
        ],
      })
      const context = scripts === 'on' ? await newContext(browser) : await noScriptContext(browser)
      try {
        const client = service.client()
        await signInFamilyDirectly(db, client, family.familyId)
        await context.addCookies([
          { name: 'join-in-family', value: client.cookies.get('join-in-family')!, url: service.url },
        ])
        const page = await onPhone(context)
        // from a session's page to the series
        await page.goto(`${service.url}/activities/${sessions[2]!.id}`)
        await page.getByRole('link', { name: 'Book several dates of the series in one step' }).click()
        await page.getByRole('heading', { level: 1, name: title }).waitFor()
        if (scripts === 'on') {
          await waitForHydration(page)
          await noSidewaysScroll(page)
          await expectAccessible(page, 'series page')
        }

        // Continue with nothing chosen: the errors, GOV.UK style
        await page.getByRole('button', { name: 'Continue' }).click()
        const summary = page.locator('.govuk-error-summary')
        await summary.waitFor()
        expect(await summary.textContent()).toContain('Select which dates you want to book')
        expect(await summary.textContent()).toContain('Select who is coming')
        if (scripts === 'on') await expectAccessible(page, 'series page with errors')

        await page.getByLabel('All remaining sessions (5)').check()
        for (const name of ['Ava', 'Leo', 'Sam']) await page.getByLabel(name, { exact: true }).check()
        await page.getByRole('button', { name: 'Continue' }).click()
        await page.getByRole('heading', { level: 1, name: 'Check your booking, date by date' }).waitFor()
        // Without JavaScript the page streams in: count its tables once all of it has arrived.
        await page.waitForLoadState('load')
        const tables = page.locator('table')
        expect(await tables.count()).toBe(5)
        const firstDate = (await tables.nth(0).textContent()) ?? ''
        expect(firstDate).toContain('Not eligible that day: Sam will be 4 on the day; this session is for 5 to 11')
        expect(firstDate).toMatch(/Ava\s*What happens\s*Place confirmed/)
        const secondDate = (await tables.nth(1).textContent()) ?? ''
        expect(secondDate).toMatch(/Sam\s*What happens\s*Place confirmed/)
        if (scripts === 'on') {
          await noSidewaysScroll(page)
          await expectAccessible(page, 'series check page')
        }
        expect(await db.selectFrom('booking').select('id').where('family_id', '=', family.familyId).execute()).toEqual(
          [],
        )

        await page.getByRole('button', { name: 'Confirm booking (5 dates)' }).click()
        const banner = page.locator('.govuk-notification-banner--success')
        await banner.waitFor()
        await page.waitForLoadState('load')
        expect(await banner.textContent()).toContain('Booking made: we have emailed you every date')
        if (scripts === 'on') {
          await noSidewaysScroll(page)
          await expectAccessible(page, 'series page after booking')
        }

        const message = await waitFor(() => smtp.received.find((m) => m.to.includes(family.email)))
        const mail = await simpleParser(message.raw)
        const invites = mail.attachments.filter((a) => a.contentType.startsWith('text/calendar'))
        expect(invites).toHaveLength(1)
        const calendar = readCalendar(invites[0]!.content.toString('utf8'))
        const events = calendar.getAllSubcomponents('vevent')
        expect(events).toHaveLength(5)
        const bookings = await db
          .selectFrom('booking')
          .select(['reference', 'activity_id'])
          .where('family_id', '=', family.familyId)
          .orderBy('activity_id')
          .execute()
        expect(bookings.map((b) => b.activity_id)).toEqual(sessions.map((s) => s.id))
        const host = new URL(service.url).hostname
        expect(events.map((e) => e.getFirstPropertyValue('uid'))).toEqual(
          bookings.map((b) => `booking-${b.reference}@${host}`),
        )
        expect(mail.text).toContain('Sam will be 4 on the day; this session is for 5 to 11.')

        // Cancel the second date only, from Your bookings' check page.
        await page.goto(`${service.url}/family/bookings/${bookings[1]!.reference}/cancel`)
        await page.getByRole('button', { name: /^Yes, cancel/ }).click()
        await page.locator('.govuk-notification-banner--success').waitFor()
        const live = await db
          .selectFrom('place')
          .select(['activity_id', 'status'])
          .where('family_id', '=', family.familyId)
          .orderBy('activity_id')
          .orderBy('id')
          .execute()
        const byDate = sessions.map((s) => live.filter((p) => p.activity_id === s.id).map((p) => p.status))
        expect(byDate).toEqual([
          ['confirmed', 'confirmed'],
          ['cancelled', 'cancelled', 'cancelled'],
          ['confirmed', 'confirmed', 'confirmed'],
          ['confirmed', 'confirmed', 'confirmed'],
          ['confirmed', 'confirmed', 'confirmed'],
        ])
      } finally {
        await context.close()
      }
    })
  }
})
