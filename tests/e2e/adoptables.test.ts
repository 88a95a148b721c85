// End to end in a real browser (Chromium) against the real production server: young people aged
// 12 to 18 sign themselves up to Adoptables, open their member page from the welcome email and
// book another meeting; under 13 they must give a parent's email and get no joining link until
// the parent says yes; and the Adoptables pages (public and staff) pass axe-core's WCAG checks.
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, startTestService, type TestService } from '../support/service'
import { nextCode } from '../support/two-factor'
import { dobParts, publishActivity, uniqueTitle } from '../support/booking'
import {
  accessibilityAudit,
  chooseCouncil,
  councilSearch,
  launchBrowser,
  newContext,
  noScriptContext,
  waitForHydration,
  loadedContent,
} from '../support/browser'

const JOIN_URL_PART = 'SECRET-LINK-123'

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

/** Publishes an Adoptables meeting (12 to 18, online, the default Teams link); returns its id. */
async function publishMeeting(title: string): Promise<number> {
  return publishActivity(service, {
    kind: 'adoptables',
    category: 'Adoptables meeting',
    minAge: '12',
    maxAge: '18',
    capacity: '20',
    title,
  })
}

interface YoungPerson {
  firstName: string
  age: number
  email: string
  council: string
  parentEmail?: string
  notes?: string
}

async function fillRegistration(page: Page, person: YoungPerson): Promise<void> {
  const dob = dobParts(person.age)
  await page.getByLabel('Your first name', { exact: true }).fill(person.firstName)
  const dobGroup = page.getByRole('group', { name: 'Your date of birth', exact: true })
  await dobGroup.getByLabel('Day', { exact: true }).fill(dob.day)
  await dobGroup.getByLabel('Month', { exact: true }).fill(dob.month)
  await dobGroup.getByLabel('Year', { exact: true }).fill(dob.year)
  await page.getByLabel('Your email address', { exact: true }).fill(person.email)
  await chooseCouncil(page, person.council)
  if (person.parentEmail !== undefined) await parentEmailField(page).fill(person.parentEmail)
  if (person.notes !== undefined) {
    await page.getByLabel('Anything you would like us to know (optional)', { exact: true }).fill(person.notes)
  }
}

const parentEmailField = (page: Page) =>
  page.getByLabel('Your parent or carer’s email address (only if you are under 13)', { exact: true })

/** One meeting's entry in a list of meetings (the public list or a member's page), by title. */
function meetingItem(page: Page, title: string): Locator {
  return page
    .locator('li.app-activity-list__item')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) })
}

/**
 * The joining link's accessible name: "Join on Microsoft Teams" and, visually hidden, the meeting's
 * title. Chromium puts a space before the hidden part (it is absolutely positioned), so allow one.
 */
function teamsLinkName(title: string): RegExp {
  return new RegExp(`^Join on Microsoft Teams\\s*: ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
}

/** Waits for the "Check your email" panel and returns it. */
async function checkYourEmail(page: Page, email: string): Promise<Locator> {
  const panel = page.locator('.govuk-panel--confirmation')
  await panel.waitFor()
  expect(await panel.getByRole('heading', { level: 1 }).textContent()).toBe('Check your email')
  expect(await panel.textContent()).toContain(`We have sent an email to ${email}`)
  return panel
}

async function mailTo(address: string) {
  return service.database.db
    .selectFrom('outbox')
    .select(['kind', 'subject', 'text_body'])
    .where('to_address', '=', address)
    .orderBy('id')
    .execute()
}

/** The member link in the young person's welcome email, as a URL on the test server. */
async function memberLinkFromWelcome(email: string): Promise<string> {
  const welcome = (await mailTo(email)).find((m) => m.kind === 'member-welcome')
  if (!welcome) throw new Error(`no welcome email to ${email}: ${JSON.stringify(await mailTo(email))}`)
  const match = /\/adoptables\/members\/\d+\?token=[\w%.~-]+/.exec(welcome.text_body)
  if (!match) throw new Error(`no member link in the welcome email:\n${welcome.text_body}`)
  return new URL(match[0], service.url).href
}

async function memberByEmail(email: string) {
  return service.database.db.selectFrom('member').selectAll().where('email', '=', email).executeTakeFirstOrThrow()
}

async function confirmedPlacesOf(memberId: number) {
  return service.database.db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .select(['place.activity_id', 'place.status', 'place.age_on_day'])
    .where('booking.member_id', '=', memberId)
    .where('place.status', '=', 'confirmed')
    .orderBy('place.activity_id')
    .execute()
}

/** Opens /adoptables and follows "Join this meeting" for the meeting with this title. */
async function openJoinForm(page: Page, title: string, meetingId: number): Promise<void> {
  const response = await page.goto(`${service.url}/adoptables`)
  expect(response?.status()).toBe(200)
  await page.getByRole('heading', { level: 1, name: 'Adoptables', exact: true }).waitFor()
  const item = meetingItem(page, title)
  expect(await item.count()).toBe(1)
  await item.getByRole('button', { name: /^Join this meeting/ }).click()
  await page.waitForURL(
    (url) => url.pathname === '/adoptables/join' && url.searchParams.get('meeting') === String(meetingId),
  )
  await page.getByRole('heading', { level: 1, name: 'Join Adoptables', exact: true }).waitFor()
  expect(await page.locator('.govuk-caption-l').textContent()).toBe(title)
}

/** Signs in as the first admin through the sign-in page, as a person would. */
async function staffSignIn(page: Page, then: string): Promise<void> {
  await page.goto(`${service.url}/staff/sign-in?redirectTo=${encodeURIComponent(then)}`)
  await page.getByLabel('Email address', { exact: true }).fill(ADMIN.email)
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  // Admins have two-factor: then a code from the app.
  await page.waitForURL((url) => url.searchParams.get('step') === 'code')
  await page
    .getByLabel('Security code', { exact: true })
    .fill(await nextCode(service.url, ADMIN.email, ADMIN.totpSecret))
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.waitForURL((url) => url.pathname + url.search === then)
}

describe('Adoptables in the browser', () => {
  it('a 14-year-old registers and books a meeting', async () => {
    const firstTitle = uniqueTitle('Adoptables chat')
    const secondTitle = uniqueTitle('Adoptables follow-up')
    const first = await publishMeeting(firstTitle)
    const second = await publishMeeting(secondTitle)
    const email = 'kai.fourteen@example.org'
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await openJoinForm(page, firstTitle, first)
      await waitForHydration(page)
      // With JavaScript the council list is a searchable combobox.
      await councilSearch(page)

      await fillRegistration(page, {
        firstName: 'Kai',
        age: 14,
        email,
        council: 'Kent',
        notes: 'I like to listen first',
      })
      await page.getByRole('button', { name: 'Sign up', exact: true }).click()
      await checkYourEmail(page, email)
      const main = (await page.locator('main').textContent()) ?? ''
      expect(main).toContain('Open the email and use the link in it')
      expect(main).not.toContain('parent or carer')
      // Nothing about the meeting link is shown to whoever typed the form.
      expect(await loadedContent(page)).not.toContain(JOIN_URL_PART)

      const member = await memberByEmail(email)
      expect(member).toMatchObject({ first_name: 'Kai', status: 'active', authority_code: 'E10000016' })

      // The link in the welcome email opens the member's page.
      const link = await memberLinkFromWelcome(email)
      expect(new URL(link).pathname).toBe(`/adoptables/members/${member.id}`)
      const response = await page.goto(link)
      expect(response?.status()).toBe(200)
      await page.getByRole('heading', { level: 1, name: 'Hi Kai', exact: true }).waitFor()
      await waitForHydration(page)

      const firstItem = meetingItem(page, firstTitle)
      expect(await firstItem.locator('.govuk-tag').textContent()).toBe('Booked')
      const teams = firstItem.getByRole('link', { name: teamsLinkName(firstTitle) })
      expect(await teams.getAttribute('href')).toContain(JOIN_URL_PART)
      expect(await firstItem.getByRole('button', { name: /^Book this meeting/ }).count()).toBe(0)

      const secondItem = meetingItem(page, secondTitle)
      expect(await secondItem.locator('.govuk-tag').count()).toBe(0)
      // Not booked yet, so no joining link for the second meeting.
      expect(await secondItem.getByRole('link', { name: /Join on Microsoft Teams/ }).count()).toBe(0)
      await secondItem.getByRole('button', { name: /^Book this meeting/ }).click()

      await page.waitForURL((url) => url.searchParams.get('notice') === 'booked')
      const banner = page.locator('.govuk-notification-banner--success')
      await banner.waitFor()
      expect(await banner.getAttribute('role')).toBe('alert')
      expect(await banner.textContent()).toContain(
        'You are booked on. We have emailed you the details and a calendar invite.',
      )
      await page.getByRole('heading', { level: 1, name: 'Hi Kai', exact: true }).waitFor()
      for (const title of [firstTitle, secondTitle]) {
        const item = meetingItem(page, title)
        expect(await item.locator('.govuk-tag').textContent(), title).toBe('Booked')
        const join = item.getByRole('link', { name: teamsLinkName(title) })
        expect(await join.getAttribute('href'), title).toContain(JOIN_URL_PART)
        expect(await item.getByRole('button', { name: /^Book this meeting/ }).count(), title).toBe(0)
      }

      expect(await confirmedPlacesOf(member.id)).toEqual([
        { activity_id: first, status: 'confirmed', age_on_day: 14 },
        { activity_id: second, status: 'confirmed', age_on_day: 14 },
      ])
    } finally {
      await context.close()
    }
  })

  it("a 12-year-old must give a parent's email and gets no joining link", async () => {
    const title = uniqueTitle('Adoptables welcome')
    const meetingId = await publishMeeting(title)
    const email = 'robin.twelve@example.org'
    const context = await noScriptContext(browser)
    try {
      const page = await context.newPage()
      await openJoinForm(page, title, meetingId)
      // Without JavaScript the council control stays a native select.
      expect(
        await page.getByRole('combobox', { name: 'Which council area do you live in?' }).evaluate((el) => el.tagName),
      ).toBe('SELECT')

      // First try: no parent or carer's email.
      await fillRegistration(page, {
        firstName: 'Robin',
        age: 12,
        email,
        council: 'Medway',
        notes: 'Camera off please',
      })
      await page.getByRole('button', { name: 'Sign up', exact: true }).click()

      const summary = page.locator('.govuk-error-summary')
      await summary.waitFor()
      expect(await summary.getByRole('heading', { level: 2 }).textContent()).toBe('There is a problem')
      const message = 'Enter your parent or carer’s email address, because you are under 13'
      const link = summary.getByRole('link', { name: message, exact: true })
      expect(await link.getAttribute('href')).toBe('#parentEmail')
      expect(await summary.getByRole('link').count()).toBe(1)
      // The message beside the field, read out with it.
      const field = parentEmailField(page)
      expect(await field.getAttribute('id')).toBe('parentEmail')
      expect(await page.locator('#parentEmail-error').textContent()).toContain(message)
      expect(await field.getAttribute('aria-describedby')).toContain('parentEmail-error')
      expect(await field.getAttribute('class')).toContain('govuk-input--error')
      // What was typed is kept.
      const dob = dobParts(12)
      const dobGroup = page.getByRole('group', { name: 'Your date of birth', exact: true })
      expect(await page.getByLabel('Your first name', { exact: true }).inputValue()).toBe('Robin')
      expect(await dobGroup.getByLabel('Day', { exact: true }).inputValue()).toBe(dob.day)
      expect(await dobGroup.getByLabel('Month', { exact: true }).inputValue()).toBe(dob.month)
      expect(await dobGroup.getByLabel('Year', { exact: true }).inputValue()).toBe(dob.year)
      expect(await page.getByLabel('Your email address', { exact: true }).inputValue()).toBe(email)
      expect(await page.getByLabel('Which council area do you live in?', { exact: true }).inputValue()).toBe(
        'E06000035',
      )
      expect(await page.getByLabel('Anything you would like us to know (optional)', { exact: true }).inputValue()).toBe(
        'Camera off please',
      )
      expect(await field.inputValue()).toBe('')
      expect(
        await service.database.db.selectFrom('member').selectAll().where('email', '=', email).execute(),
      ).toHaveLength(0)

      // Add the parent's email and sign up.
      await field.fill('parent.of.robin@example.org')
      await page.getByRole('button', { name: 'Sign up', exact: true }).click()
      // The email that matters went to the parent or carer, and the page names their address.
      const panel = page.locator('.govuk-panel--confirmation')
      await panel.waitFor()
      expect(await panel.getByRole('heading', { level: 1 }).textContent()).toBe('We have asked your parent or carer')
      expect(await panel.textContent()).toContain('We have sent an email to parent.of.robin@example.org')
      expect(await page.title()).toBe('We have asked your parent or carer – Join In')
      await page.waitForLoadState('load') // all of the page, not the part streamed in so far
      const main = (await page.locator('main').textContent()) ?? ''
      expect(main).toContain('Because you are under 13, the email asks your parent or carer')
      expect(main).toContain('Until then you cannot join meetings')
      expect(await loadedContent(page)).not.toContain(JOIN_URL_PART)

      const member = await memberByEmail(email)
      expect(member.status).toBe('pending')
      expect(await confirmedPlacesOf(member.id)).toEqual([])
      const mail = await mailTo(email)
      expect(mail.map((m) => m.kind)).toEqual(['member-pending'])
      for (const m of mail) {
        expect(m.text_body).not.toContain(JOIN_URL_PART)
        expect(m.text_body).not.toContain('/adoptables/members/')
      }
      const parentMail = await mailTo('parent.of.robin@example.org')
      expect(parentMail).toHaveLength(1)
      expect(parentMail[0]!.text_body).toContain('/adoptables/consent?token=')
      expect(parentMail[0]!.text_body).not.toContain(JOIN_URL_PART)
    } finally {
      await context.close()
    }
  })

  it('axe finds no violations on the Adoptables pages', async () => {
    const firstTitle = uniqueTitle('Axe check meeting')
    const secondTitle = uniqueTitle('Axe check second meeting')
    const first = await publishMeeting(firstTitle)
    await publishMeeting(secondTitle)
    const email = 'axe.fifteen@example.org'
    const context = await newContext(browser)
    const axe = accessibilityAudit()
    try {
      const page = await context.newPage()
      const list = await page.goto(`${service.url}/adoptables`)
      expect(list?.status()).toBe(200)
      await page.getByRole('heading', { level: 1, name: 'Adoptables', exact: true }).waitFor()
      await waitForHydration(page)
      await axe.check(page, '/adoptables')

      await page.goto(`${service.url}/adoptables/privacy`)
      await page.getByRole('heading', { level: 1, name: 'What we do with your details', exact: true }).waitFor()
      await axe.check(page, '/adoptables/privacy')

      await page.goto(`${service.url}/adoptables/join?meeting=${first}`)
      await page.getByRole('heading', { level: 1, name: 'Join Adoptables', exact: true }).waitFor()
      await waitForHydration(page)
      await councilSearch(page)
      await axe.check(page, 'join form, empty')

      // Nothing filled in: every required field in error.
      await page.getByRole('button', { name: 'Sign up', exact: true }).click()
      await page.locator('.govuk-error-summary').waitFor()
      await page.locator('#firstName-error').waitFor()
      await axe.check(page, 'join form with errors')

      await fillRegistration(page, { firstName: 'Ari', age: 15, email, council: 'Kent' })
      await page.getByRole('button', { name: 'Sign up', exact: true }).click()
      await checkYourEmail(page, email)
      await axe.check(page, 'check your email')

      const member = await memberByEmail(email)
      await page.goto(await memberLinkFromWelcome(email))
      await page.getByRole('heading', { level: 1, name: 'Hi Ari', exact: true }).waitFor()
      await waitForHydration(page)
      expect(
        await meetingItem(page, secondTitle)
          .getByRole('button', { name: /^Book this meeting/ })
          .count(),
      ).toBe(1)
      await axe.check(page, 'member page')

      await meetingItem(page, secondTitle)
        .getByRole('button', { name: /^Book this meeting/ })
        .click()
      await page.locator('.govuk-notification-banner--success').waitFor()
      await axe.check(page, 'member page after booking')

      // Staff pages, signed in as staff in this browser.
      await staffSignIn(page, '/staff/members')
      await page.getByRole('heading', { level: 1, name: 'Adoptables members', exact: true }).waitFor()
      await page.waitForLoadState('load') // all of the page, not the part streamed in so far
      expect(await page.locator('main').textContent()).toContain('Ari')
      await axe.check(page, '/staff/members')

      const registerPath = `/staff/activities/${first}/register`
      await page.goto(`${service.url}${registerPath}`)
      await page.getByRole('heading', { level: 1, name: `Register: ${firstTitle}`, exact: true }).waitFor()
      const attended = page.getByRole('group', { name: 'Did Ari attend?', exact: true })
      await attended.waitFor()
      await axe.check(page, 'register')

      await attended.getByRole('radio', { name: 'Attended', exact: true }).check()
      // the meeting is still to come, so the page asks first
      await page.getByRole('checkbox', { name: 'I want to mark this register before the session' }).check()
      await page.getByRole('button', { name: 'Save register', exact: true }).click()
      await page.waitForURL((url) => url.pathname === registerPath && url.searchParams.get('saved') === '1')
      await page.locator('.govuk-notification-banner--success').waitFor()
      expect(
        await page
          .getByRole('group', { name: 'Did Ari attend?', exact: true })
          .getByRole('radio', { name: 'Attended', exact: true })
          .isChecked(),
      ).toBe(true)
      await axe.check(page, 'register saved')
      const places = await service.database.db
        .selectFrom('place')
        .innerJoin('booking', 'booking.id', 'place.booking_id')
        .select(['place.activity_id', 'place.attended'])
        .where('booking.member_id', '=', member.id)
        .where('place.activity_id', '=', first)
        .execute()
      expect(places).toHaveLength(1)
      expect(Boolean(places[0]!.attended)).toBe(true)

      axe.expectNone()
    } finally {
      await context.close()
    }
  })
})
