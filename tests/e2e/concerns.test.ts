// End to end in Chromium at a phone's 375 pixels: a member of staff records a safeguarding concern
// from a session's register (with JavaScript, and again without it), the lead gets an email through
// a real SMTP server that says only that a concern was recorded, signs in from its link, reads the
// concern, adds a note and closes it. axe-core checks each page on the way.
import { simpleParser } from 'mailparser'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import { confirmBooking, dobForAge, publishActivity, uniqueTitle } from '../support/booking'
import {
  expectAccessible,
  launchBrowser,
  loadedContent,
  newContext,
  noScriptContext,
  signInAsStaff,
  waitForHydration,
} from '../support/browser'
import { startTestService, type TestService } from '../support/service'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { waitFor } from '../support/wait'

const WORDS = 'He said a man in the game chat asked which school he goes to'
const LEAD = { email: 'dsl.lead@example.org', password: 'a long password for the designated lead' }
const STAFF = { email: 'host.staff@example.org', password: 'a long password for the session host' }

let smtp: TestSmtp
let service: TestService
let browser: Browser
let title: string
let activityId: number

beforeAll(async () => {
  smtp = await startSmtp()
  service = await startTestService({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100', BOOKING_RATE_LIMIT: '1000' })
  browser = await launchBrowser()
  title = uniqueTitle('Lego club online')
  activityId = await publishActivity(service, { title })
  expect(
    (
      await confirmBooking(service.client(), activityId, [
        { firstName: 'Oscar', dob: dobForAge(9) },
        { firstName: 'Maya', dob: dobForAge(10) },
      ])
    ).status,
  ).toBe(302)
  const db = service.database.db
  const lead = await createStaffUser(db, { ...LEAD, name: 'Dana Lead', role: 'staff' })
  await db.updateTable('staff_user').set({ safeguarding_lead: 1 }).where('id', '=', lead).execute()
  await service.enrolTwoFactor(lead, LEAD.email)
  const host = await createStaffUser(db, { ...STAFF, name: 'Hana Host', role: 'staff' })
  await service.enrolTwoFactor(host, STAFF.email)
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
  await smtp?.close()
})

async function phone(context: BrowserContext): Promise<Page> {
  const page = await context.newPage()
  await page.setViewportSize({ width: 375, height: 800 })
  page.setDefaultTimeout(15_000)
  return page
}

async function fillConcern(page: Page, who: 'Oscar' | 'Someone not listed', words: string): Promise<void> {
  await page.getByLabel(who, { exact: true }).check()
  if (who === 'Someone not listed') await page.getByLabel('Their first name', { exact: true }).fill('Jay')
  await page.getByLabel('What was seen or said', { exact: true }).fill(words)
  await page.getByLabel('Who was present', { exact: true }).fill('Hana Host and a second adult')
  await page.getByLabel('What was done', { exact: true }).fill('Removed the chat and phoned the lead')
}

describe('the safeguarding concern log in the browser', () => {
  it('records a concern from the register on a phone, with JavaScript on and off', async () => {
    const context = await newContext(browser)
    try {
      const page = await phone(context)
      await signInAsStaff(page, service.url, STAFF, `/staff/activities/${activityId}/register`)
      await waitForHydration(page)
      await page.getByRole('link', { name: 'Record a safeguarding concern' }).click()
      await page.getByRole('heading', { level: 1, name: 'Record a safeguarding concern' }).waitFor()
      await expectAccessible(page, 'record a concern, empty')

      // A first try with nothing said keeps what was typed and names what is missing.
      await page.getByLabel('Oscar', { exact: true }).check()
      await page.getByLabel('What was done', { exact: true }).fill('Removed the chat and phoned the lead')
      await page.getByRole('button', { name: 'Record the concern' }).click()
      await page.getByRole('link', { name: 'Enter what was seen or said, in their own words' }).waitFor()
      expect(await page.getByLabel('What was done', { exact: true }).inputValue()).toBe(
        'Removed the chat and phoned the lead',
      )
      expect(await page.getByLabel('Oscar', { exact: true }).isChecked()).toBe(true)
      await expectAccessible(page, 'record a concern, errors')

      await fillConcern(page, 'Oscar', WORDS)
      await page.getByRole('button', { name: 'Record the concern' }).click()
      await page.getByRole('heading', { level: 1, name: 'Concern recorded' }).waitFor()
      await page.waitForLoadState('load') // all of the page, not the part streamed in so far
      expect(await page.getByText('The safeguarding leads have been told.').count()).toBe(1)
      await expectAccessible(page, 'concern recorded')
      // Back on the form the recorder sees only that they recorded one.
      await page.goto(`${service.url}/staff/activities/${activityId}/concerns/new`)
      await page.getByText(/^You recorded a concern on this session at /).waitFor()
      expect(await loadedContent(page)).not.toContain('game chat')
      expect((await page.goto(`${service.url}/staff/concerns`))!.status()).toBe(403)
    } finally {
      await context.close()
    }

    const scriptless = await noScriptContext(browser)
    try {
      const page = await phone(scriptless)
      await signInAsStaff(page, service.url, STAFF, `/staff/activities/${activityId}/concerns/new`)
      await page.getByRole('heading', { level: 1, name: 'Record a safeguarding concern' }).waitFor()
      await fillConcern(page, 'Someone not listed', 'Jay said nobody at home knows he is here')
      await page.getByLabel('Time', { exact: true }).fill('')
      await page.getByRole('button', { name: 'Record the concern' }).click()
      await page.getByRole('link', { name: 'Enter the time it happened' }).waitFor()
      expect(await page.getByLabel('Their first name', { exact: true }).inputValue()).toBe('Jay')
      // (axe needs scripts in the page; it checked the same form with its errors above)
      // Midnight today (London) is in the past whenever the test runs.
      await page.getByLabel('Time', { exact: true }).fill('00:00')
      await page.getByRole('button', { name: 'Record the concern' }).click()
      await page.getByRole('heading', { level: 1, name: 'Concern recorded' }).waitFor()
    } finally {
      await scriptless.close()
    }
    const concerns = await service.database.db
      .selectFrom('concern')
      .select(['child_first_name', 'seen_or_said'])
      .orderBy('id')
      .execute()
    expect(concerns).toEqual([
      { child_first_name: 'Oscar', seen_or_said: WORDS },
      { child_first_name: 'Jay', seen_or_said: 'Jay said nobody at home knows he is here' },
    ])
  })

  it('emails the lead no detail; the lead signs in from the link, reads the concern, adds a note and closes it', async () => {
    const mails = await waitFor(async () => {
      const to = smtp.received.filter((m) => m.to.includes(LEAD.email))
      return to.length >= 2 ? Promise.all(to.map((m) => simpleParser(m.raw))) : undefined
    }, 20_000)
    for (const mail of mails) {
      expect(mail.subject).toBe('A safeguarding concern has been recorded')
      for (const part of [mail.subject ?? '', mail.text ?? '', typeof mail.html === 'string' ? mail.html : '']) {
        for (const secret of ['Oscar', 'Maya', 'Jay', title, 'game chat', 'nobody at home', 'Hana Host']) {
          expect(part, `the lead's email shows "${secret}"`).not.toContain(secret)
        }
      }
    }
    const link = /https?:\/\/\S+\/staff\/sign-in\?redirectTo=\S+/.exec(mails[0]!.text ?? '')![0]
    const concernPath = decodeURIComponent(new URL(link).searchParams.get('redirectTo')!)
    expect(concernPath).toMatch(/^\/staff\/concerns\/\d+$/)

    const context = await newContext(browser)
    try {
      const page = await phone(context)
      await signInAsStaff(page, service.url, LEAD, concernPath)
      await page.getByRole('heading', { level: 1, name: 'Concern about Oscar' }).waitFor()
      expect(await page.getByText(WORDS).count()).toBe(1)
      await expectAccessible(page, 'a concern, open')

      await waitForHydration(page)
      await page
        .getByLabel('Add a follow-up note', { exact: true })
        .fill('Referred to the local authority designated officer')
      await page.getByRole('button', { name: 'Add note' }).click()
      await page.getByText('Note added.').waitFor()
      await page.getByRole('button', { name: 'Close the concern' }).click()
      await page.getByRole('link', { name: 'Enter the outcome' }).waitFor()
      await expectAccessible(page, 'a concern, closing without an outcome')
      await page.getByLabel('Outcome', { exact: true }).fill('The family and the school were told; no further action')
      await page.getByRole('button', { name: 'Close the concern' }).click()
      await page.getByText('Concern closed.').waitFor()
      await page.waitForLoadState('load') // all of the page, not the part streamed in so far
      expect(await page.getByText('Referred to the local authority designated officer').count()).toBe(1)
      await expectAccessible(page, 'a concern, closed')

      // The navigation has the link (behind the Menu button on a phone).
      expect(await page.locator('#navigation a[href="/staff/concerns"]').textContent()).toBe('Safeguarding concerns')
      await page.goto(`${service.url}/staff/concerns`)
      await page.getByRole('heading', { level: 1, name: 'Safeguarding concerns' }).waitFor()
      const open = page.getByRole('table', { name: 'Open concerns' })
      expect(await open.getByRole('link').allTextContents()).toEqual(['Jay, concern 2'])
      await expectAccessible(page, 'the concern log')
    } finally {
      await context.close()
    }
    const closed = await service.database.db
      .selectFrom('concern')
      .select(['status', 'outcome', 'closed_by_name'])
      .where('child_first_name', '=', 'Oscar')
      .executeTakeFirstOrThrow()
    expect(closed).toEqual({
      status: 'closed',
      outcome: 'The family and the school were told; no further action',
      closed_by_name: 'Dana Lead',
    })
  })
})
