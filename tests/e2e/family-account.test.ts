// End to end in Chromium on a phone (375 px), with JavaScript and without: a parent signs in by
// the link emailed to them (read from the real SMTP server), adds a child, changes a consent and
// signs out; axe-core checks each page on the way, and no page is wider than the phone.
import { simpleParser } from 'mailparser'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  expectAccessible,
  launchBrowser,
  loadedContent,
  newContext,
  noScriptContext,
  waitForHydration,
} from '../support/browser'
import { createFamily } from '../support/family'
import { startTestService, type TestService } from '../support/service'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { waitFor } from '../support/wait'

let service: TestService
let smtp: TestSmtp
let browser: Browser

beforeAll(async () => {
  smtp = await startSmtp()
  service = await startTestService({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100' })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
  await smtp?.close()
})

async function fitsThePhone(page: Page, where: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width, `${where} is wider than the phone`).toBeLessThanOrEqual(375)
}

/**
 * axe needs scripts to run, so a page seen with JavaScript off is checked as it was served: its
 * HTML, without its scripts, loaded at the same address (so the same styles) in a context with
 * JavaScript on.
 */
async function expectAccessibleAsServed(page: Page, where: string): Promise<void> {
  if (page.context() !== scriptlessContext) return expectAccessible(page, where)
  const html = (await loadedContent(page)).replace(/<script\b[\s\S]*?<\/script>/g, '')
  const context = await newContext(browser)
  try {
    const copy = await context.newPage()
    await copy.setViewportSize({ width: 375, height: 800 })
    await copy.route(page.url(), (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }))
    await copy.goto(page.url())
    await expectAccessible(copy, `${where} (JavaScript off)`)
  } finally {
    await context.close()
  }
}

let scriptlessContext: BrowserContext | null = null

async function signInLinkFor(address: string): Promise<string> {
  const message = await waitFor(() => smtp.received.find((m) => m.to.includes(address)))
  const text = (await simpleParser(message.raw)).text ?? ''
  const match = /http:\/\/127\.0\.0\.1:\d+\/family\/sign-in\/[A-Za-z0-9_-]+/.exec(text)
  if (!match) throw new Error(`no sign-in link in: ${text}`)
  return match[0]
}

for (const scripts of [true, false]) {
  describe(`a family's account on a phone, JavaScript ${scripts ? 'on' : 'off'}`, () => {
    let context: BrowserContext
    beforeAll(async () => {
      context = scripts ? await newContext(browser) : await noScriptContext(browser)
      if (!scripts) scriptlessContext = context
    })
    afterAll(async () => {
      await context?.close()
    })

    it('signs in by the emailed link, adds a child, changes a consent and signs out', async () => {
      const email = `phone-${scripts ? 'js' : 'nojs'}@example.org`
      const { familyId } = await createFamily(service.database.db, { email, contactName: 'Robin Parent' })
      const page = await context.newPage()
      await page.setViewportSize({ width: 375, height: 800 })
      await page.goto(`${service.url}/`)
      if (scripts) {
        // On a phone GOV.UK Frontend folds the header's links behind its Menu button.
        await waitForHydration(page)
        await page.getByRole('button', { name: 'Menu' }).click()
      }
      await page.getByRole('link', { name: 'Sign in to see your bookings' }).click()
      await page.getByRole('heading', { level: 1, name: 'Sign in to see your bookings' }).waitFor()
      await expectAccessibleAsServed(page, 'sign in')
      await fitsThePhone(page, 'sign in')

      // A mistake first: the error summary links to the field, and what was typed stays.
      await page.getByLabel('Email address').fill('robin@')
      await page.getByRole('button', { name: 'Send me a link' }).click()
      await page
        .getByRole('link', { name: 'Enter an email address in the correct format, like name@example.com' })
        .waitFor()
      expect(await page.getByLabel('Email address').inputValue()).toBe('robin@')
      expect(await page.title()).toMatch(/^Error: /)
      await expectAccessibleAsServed(page, 'sign in, bad address')

      await page.getByLabel('Email address').fill(email)
      await page.getByRole('button', { name: 'Send me a link' }).click()
      await page.getByRole('heading', { name: 'Check your email' }).waitFor()
      await expectAccessibleAsServed(page, 'check your email')
      await fitsThePhone(page, 'check your email')

      await page.goto(await signInLinkFor(email))
      await page.getByRole('heading', { level: 1, name: 'Sign in to see your bookings' }).waitFor()
      await expectAccessibleAsServed(page, 'sign-in link')
      if (scripts) await waitForHydration(page)
      await page.getByRole('button', { name: 'Sign in', exact: true }).click()
      await page.getByRole('heading', { level: 1, name: 'Your family' }).waitFor()
      // the page streams in without JavaScript: read it once it has all arrived
      await page.waitForLoadState('load')
      expect(await page.getByText(email).count()).toBeGreaterThan(0)
      await expectAccessibleAsServed(page, 'your family, no children')
      await fitsThePhone(page, 'your family')

      await page.getByRole('button', { name: 'Add a child' }).click()
      await page.getByRole('heading', { level: 1, name: 'Add a child' }).waitFor()
      await expectAccessibleAsServed(page, 'add a child')
      await fitsThePhone(page, 'add a child')
      // Without a name first: the message is beside the field, and the date typed stays.
      await page.getByLabel('Day').fill('3')
      await page.getByLabel('Month').fill('4')
      await page.getByLabel('Year').fill('2018')
      await page.getByRole('button', { name: 'Add this child' }).click()
      await page.getByRole('link', { name: 'Enter their first name' }).waitFor()
      expect(await page.getByLabel('Year').inputValue()).toBe('2018')
      await expectAccessibleAsServed(page, 'add a child, no name')
      await page.getByLabel('First name').fill('Ava')
      await page
        .getByRole('group', { name: 'Can we take photographs of sessions with them in?' })
        .getByLabel('Yes')
        .check()
      await page.getByRole('button', { name: 'Add this child' }).click()
      await page.getByText('The child has been added').waitFor()
      await page.getByRole('heading', { level: 3, name: 'Ava' }).waitFor()
      await page.waitForLoadState('load')
      expect(await page.getByText('3 April 2018').count()).toBe(1)
      await expectAccessibleAsServed(page, 'your family, one child')
      await fitsThePhone(page, 'your family, one child')

      // Change the camera consent from the family page's Change link.
      await page.getByRole('link', { name: 'Change Ava’s answer to Can they have their camera on?' }).click()
      await page.getByRole('heading', { level: 1, name: 'Change Ava’s details' }).waitFor()
      await expectAccessibleAsServed(page, 'change a child')
      await fitsThePhone(page, 'change a child')
      await page.getByRole('group', { name: 'Can they have their camera on?' }).getByLabel('No').check()
      await page.getByRole('button', { name: 'Save changes' }).click()
      await page.getByText('The child’s details have been saved').waitFor()
      // the banner is at the top of a page that streams in: wait for the consents below it
      await page.waitForLoadState('load')
      const child = await service.database.db
        .selectFrom('child')
        .select(['first_name', 'date_of_birth', 'consent_photos', 'consent_camera', 'consent_camera_at'])
        .where('family_id', '=', familyId)
        .executeTakeFirstOrThrow()
      expect(child).toMatchObject({
        first_name: 'Ava',
        date_of_birth: '2018-04-03',
        consent_photos: 1,
        consent_camera: 0,
      })
      expect(child.consent_camera_at).not.toBeNull()
      expect(await page.getByText(/^No, given on \d{1,2} [A-Z][a-z]+ \d{4}$/).count()).toBe(1)

      // Sign out from the header.
      await page.getByRole('button', { name: 'Sign out' }).first().click()
      await page.getByRole('heading', { level: 1, name: 'Activities for adopted children' }).waitFor()
      if (scripts) {
        await waitForHydration(page)
        await page.getByRole('button', { name: 'Menu' }).click()
      }
      await page.getByRole('link', { name: 'Sign in to see your bookings' }).waitFor()
      await expectAccessibleAsServed(page, 'signed out')
      const sessions = await service.database.db
        .selectFrom('family_session')
        .select('id')
        .where('family_id', '=', familyId)
        .execute()
      expect(sessions).toHaveLength(0)
      await page.goto(`${service.url}/family`)
      await page.getByRole('heading', { level: 1, name: 'Sign in to see your bookings' }).waitFor()
    }, 180_000) // without JavaScript each page is also checked as served, in a fresh context: about a minute under load
  })
}
