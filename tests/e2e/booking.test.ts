// End to end in a real browser (Chromium) against the real production server: parents book
// places on a published session through the public form, with JavaScript on and off, join the
// waiting list when a session is full, and the booking pages pass axe-core's WCAG checks.
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestService, type TestService } from '../support/service'
import {
  confirmBooking,
  confirmLinkOf,
  dobForAge,
  dobParts,
  placeCounts,
  publishActivity,
  uniqueTitle,
} from '../support/booking'
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

interface Child {
  firstName: string
  age: number
  supportNeeds?: string
}

async function fillContact(page: Page, contact: { name: string; email: string; phone?: string }): Promise<void> {
  await page.getByLabel('Your full name', { exact: true }).fill(contact.name)
  await page.getByLabel('Email address', { exact: true }).fill(contact.email)
  if (contact.phone) await page.getByLabel('Phone number (optional)', { exact: true }).fill(contact.phone)
  await chooseCouncil(page, 'Kent')
}

/** Fills one child's fieldset: `group` is the "Child" or "Child N" fieldset. */
async function fillChild(group: Locator, child: Child): Promise<void> {
  const dob = dobParts(child.age)
  await group.getByLabel('First name', { exact: true }).fill(child.firstName)
  const dobGroup = group.getByRole('group', { name: 'Date of birth', exact: true })
  await dobGroup.getByLabel('Day', { exact: true }).fill(dob.day)
  await dobGroup.getByLabel('Month', { exact: true }).fill(dob.month)
  await dobGroup.getByLabel('Year', { exact: true }).fill(dob.year)
  if (child.supportNeeds) {
    await group
      .getByLabel('Anything that would help them take part (optional)', { exact: true })
      .fill(child.supportNeeds)
  }
}

async function tickRequired(page: Page): Promise<void> {
  // The only box to tick: how details are used is stated with a link, never a condition of booking.
  await page.getByRole('checkbox', { name: 'The children I am booking for can take part', exact: true }).check()
}

const checkHeading = (page: Page) =>
  page.getByRole('heading', { level: 1, name: 'Check your answers before booking', exact: true })

/** Fills the form for one child and goes on to the check page. */
async function fillOneChildAndContinue(page: Page, child: Child): Promise<void> {
  await fillContact(page, { name: 'Pat Parent', email: 'pat@example.org' })
  await fillChild(page.getByRole('group', { name: 'Child', exact: true }), child)
  await tickRequired(page)
  await page.getByRole('button', { name: 'Continue', exact: true }).click()
  await checkHeading(page).waitFor()
}

/**
 * A new family's places are held after the form: the page asks to confirm the address and shows
 * no joining link. The parent opens the emailed link (read from the outbox, as from an inbox),
 * presses "Confirm booking", then goes back to the booking's page.
 */
async function confirmAddressFromEmail(page: Page, check?: (page: Page, name: string) => Promise<void>): Promise<void> {
  await page.waitForURL((url) => /^\/bookings\/JN-[A-Z0-9]{5}$/.test(url.pathname))
  const heldAt = page.url()
  await page.getByRole('heading', { level: 1, name: 'Check your email to confirm your booking', exact: true }).waitFor()
  expect(await page.getByRole('link', { name: 'Join on Microsoft Teams' }).count()).toBe(0)
  expect(await loadedContent(page)).not.toContain('SECRET-LINK-123')
  if (check) await check(page, 'check your email')
  const reference = new URL(heldAt).pathname.split('/').pop()!
  const link = await confirmLinkOf(service.url, reference)
  expect(link, `the confirm link for ${reference}`).toBeTruthy()
  await page.goto(`${service.url}${link}`)
  await page.getByRole('heading', { level: 1, name: 'Confirm your booking', exact: true }).waitFor()
  if (check) await check(page, 'confirm your booking')
  await page.getByRole('button', { name: 'Confirm booking', exact: true }).click()
  await page.waitForURL((url) => !url.pathname.startsWith('/family/confirm/'))
  await page.goto(heldAt)
}

/** Waits for the new booking's page and returns its reference. */
async function confirmationReference(page: Page, panelTitle: string): Promise<string> {
  await page.waitForURL((url) => /^\/bookings\/JN-[A-Z0-9]{5}$/.test(url.pathname))
  const url = new URL(page.url())
  expect(url.searchParams.get('new')).toBe('1')
  expect(url.searchParams.get('token')).toBeTruthy()
  const panel = page.locator('.govuk-panel--confirmation')
  await panel.waitFor()
  expect(await panel.getByRole('heading', { level: 1 }).textContent()).toBe(panelTitle)
  const reference = url.pathname.split('/').pop()!
  expect(await panel.textContent()).toContain(reference)
  expect(await panel.locator('strong').textContent()).toMatch(/^JN-[A-Z0-9]{5}$/)
  return reference
}

async function expectJoiningLinks(page: Page, reference: string): Promise<void> {
  const teams = page.getByRole('link', { name: 'Join on Microsoft Teams', exact: true })
  expect(await teams.getAttribute('href')).toContain('SECRET-LINK-123')
  const calendar = page.getByRole('link', { name: 'Add to calendar', exact: true })
  expect(await calendar.getAttribute('href')).toMatch(new RegExp(`^/bookings/${reference}/invite\\.ics\\?token=.+`))
}

describe('booking a session in the browser', () => {
  it('a parent books two children with JavaScript on', async () => {
    const title = uniqueTitle('Rocket building')
    const activityId = await publishActivity(service, { title, capacity: '10', minAge: '5', maxAge: '11' })
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      const response = await page.goto(`${service.url}/activities/${activityId}`)
      expect(response?.status()).toBe(200)
      await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor()
      // Wait for hydration so the buttons below go through the router, not a full page POST.
      await waitForHydration(page)

      // With JavaScript the council list becomes searchable: typing filters the councils.
      const council = await councilSearch(page)
      await council.fill('Medw')
      expect(await page.getByRole('option').allTextContents()).toEqual(['Medway'])
      await fillContact(page, { name: 'Pat Parent', email: 'pat@example.org', phone: '07700 900982' })
      await fillChild(page.getByRole('group', { name: 'Child', exact: true }), {
        firstName: 'Ava',
        age: 7,
        supportNeeds: 'Likes to have the camera off at first',
      })
      await page.getByRole('button', { name: 'Add another child', exact: true }).click()
      const child2 = page.getByRole('group', { name: 'Child 2', exact: true })
      await child2.waitFor()
      // Child 1 keeps what was typed.
      const child1 = page.getByRole('group', { name: 'Child 1', exact: true })
      expect(await child1.getByLabel('First name', { exact: true }).inputValue()).toBe('Ava')
      // A child added by mistake between two others, then removed: the child after it moves up with
      // what was typed for it (new inputs, not the removed child's, which kept their own values).
      await fillChild(child2, { firstName: 'Zed', age: 6, supportNeeds: 'Only for Zed' })
      await page.getByRole('button', { name: 'Add another child', exact: true }).click()
      const child3 = page.getByRole('group', { name: 'Child 3', exact: true })
      await child3.waitFor()
      await fillChild(child3, { firstName: 'Ben', age: 9 })
      await page.getByRole('button', { name: 'Remove child 2', exact: true }).click()
      await child3.waitFor({ state: 'detached' })
      const ben = dobParts(9)
      const moved = child2.getByRole('group', { name: 'Date of birth', exact: true })
      expect(await child2.getByLabel('First name', { exact: true }).inputValue()).toBe('Ben')
      expect(await moved.getByLabel('Day', { exact: true }).inputValue()).toBe(ben.day)
      expect(await moved.getByLabel('Year', { exact: true }).inputValue()).toBe(ben.year)
      expect(
        await child2.getByLabel('Anything that would help them take part (optional)', { exact: true }).inputValue(),
      ).toBe('')
      expect(await child1.getByLabel('First name', { exact: true }).inputValue()).toBe('Ava')
      await tickRequired(page)
      await page.getByRole('button', { name: 'Continue', exact: true }).click()

      await checkHeading(page).waitFor()
      await page.waitForLoadState('load') // all of the page, not the part streamed in so far
      // No page load with JavaScript: it opens at the top as one would, its heading focused, its title its own.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent))
        .toBe('Check your answers before booking')
      expect(await page.evaluate(() => window.scrollY)).toBe(0)
      expect(await page.title()).toBe(`Check your answers before booking – ${title} – Join In`)
      const main = page.locator('main')
      const checkText = (await main.textContent()) ?? ''
      expect(checkText).toContain('Ava')
      expect(checkText).toContain('Ben')
      expect(checkText).not.toContain('Zed')
      expect(checkText).toContain('Kent')
      expect(checkText).toContain('Likes to have the camera off at first')
      expect(await placeCounts(service, activityId)).toMatchObject({ confirmed: 0, waitlisted: 0 })

      await page.getByRole('button', { name: 'Confirm booking', exact: true }).click()
      await confirmAddressFromEmail(page)
      const reference = await confirmationReference(page, 'Booking confirmed')
      await expectJoiningLinks(page, reference)
      const childrenText = (await main.textContent()) ?? ''
      expect(childrenText).toContain('Ava')
      expect(childrenText).toContain('Ben')

      expect(await placeCounts(service, activityId)).toMatchObject({ confirmed: 2, waitlisted: 0, cancelled: 0 })
      const booking = await service.database.db
        .selectFrom('booking')
        .select(['reference', 'contact_name', 'email'])
        .where('reference', '=', reference)
        .executeTakeFirst()
      expect(booking).toMatchObject({ reference, contact_name: 'Pat Parent', email: 'pat@example.org' })
    } finally {
      await context.close()
    }
  })

  it('a parent books one child with JavaScript off', async () => {
    const title = uniqueTitle('Paper planes')
    const activityId = await publishActivity(service, { title, capacity: '10', minAge: '5', maxAge: '11' })
    const context = await noScriptContext(browser)
    try {
      const page = await context.newPage()
      const response = await page.goto(`${service.url}/activities/${activityId}`)
      expect(response?.status()).toBe(200)
      await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor()

      // First try: the month of the date of birth left empty.
      await fillContact(page, { name: 'Sam Parent', email: 'sam@example.org' })
      const childGroup = page.getByRole('group', { name: 'Child', exact: true })
      await fillChild(childGroup, { firstName: 'Cara', age: 6 })
      const dobGroup = childGroup.getByRole('group', { name: 'Date of birth', exact: true })
      await dobGroup.getByLabel('Month', { exact: true }).fill('')
      await tickRequired(page)
      await page.getByRole('button', { name: 'Continue', exact: true }).click()

      const summary = page.locator('.govuk-error-summary')
      await summary.waitFor()
      // without JavaScript the page streams in: the summary at its top can be there before the fields
      await page.waitForLoadState('load')
      expect(await summary.getByRole('heading', { level: 2 }).textContent()).toBe('There is a problem')
      const message = "The child's date of birth must include a month"
      const link = summary.getByRole('link', { name: message, exact: true })
      expect(await link.getAttribute('href')).toBe('#child-0-dob-day')
      expect(await page.locator('#child-0-dob-day').count()).toBe(1)
      // The message beside the field, inside the date's group and read out with it.
      const fixedDob = page
        .getByRole('group', { name: 'Child', exact: true })
        .getByRole('group', { name: 'Date of birth' })
      expect(await fixedDob.locator('.govuk-error-message').textContent()).toContain(message)
      expect(await fixedDob.getAttribute('aria-describedby')).toContain('child-0-dob-error')
      // What was typed is kept.
      expect(await page.getByLabel('Your full name', { exact: true }).inputValue()).toBe('Sam Parent')
      expect(await page.getByLabel('Email address', { exact: true }).inputValue()).toBe('sam@example.org')
      expect(await page.getByLabel('Which council area do you live in?', { exact: true }).inputValue()).toBe(
        'E10000016',
      )
      const retryGroup = page.getByRole('group', { name: 'Child', exact: true })
      expect(await retryGroup.getByLabel('First name', { exact: true }).inputValue()).toBe('Cara')
      expect(await fixedDob.getByLabel('Day', { exact: true }).inputValue()).toBe(dobParts(6).day)
      expect(await fixedDob.getByLabel('Year', { exact: true }).inputValue()).toBe(dobParts(6).year)
      expect(
        await page.getByRole('checkbox', { name: 'The children I am booking for can take part' }).isChecked(),
      ).toBe(true)
      expect(await placeCounts(service, activityId)).toMatchObject({ confirmed: 0 })

      // Fix it and book.
      await fixedDob.getByLabel('Month', { exact: true }).fill(dobParts(6).month)
      await page.getByRole('button', { name: 'Continue', exact: true }).click()
      await checkHeading(page).waitFor()
      // the page streams in: its last button is there once the whole check list is
      await page.getByRole('button', { name: 'Confirm booking', exact: true }).waitFor()
      expect(await page.locator('main').textContent()).toContain('Cara')
      await page.getByRole('button', { name: 'Confirm booking', exact: true }).click()

      await confirmAddressFromEmail(page)
      const reference = await confirmationReference(page, 'Booking confirmed')
      await expectJoiningLinks(page, reference)
      expect(await placeCounts(service, activityId)).toMatchObject({ confirmed: 1, waitlisted: 0, cancelled: 0 })
    } finally {
      await context.close()
    }
  })

  it('Add another child works without JavaScript', async () => {
    const title = uniqueTitle('Den building')
    const activityId = await publishActivity(service, { title, capacity: '10', minAge: '5', maxAge: '11' })
    const context = await noScriptContext(browser)
    try {
      const page = await context.newPage()
      await page.goto(`${service.url}/activities/${activityId}`)
      await fillContact(page, { name: 'Alex Parent', email: 'alex@example.org' })
      await fillChild(page.getByRole('group', { name: 'Child', exact: true }), {
        firstName: 'Dev',
        age: 8,
        supportNeeds: 'Uses a screen reader',
      })
      await page.getByRole('button', { name: 'Add another child', exact: true }).click()

      const child2 = page.getByRole('group', { name: 'Child 2', exact: true })
      await child2.waitFor()
      expect(new URL(page.url()).pathname).toBe(`/activities/${activityId}`)
      // No errors for the fields not filled in yet.
      expect(await page.locator('.govuk-error-summary').count()).toBe(0)
      expect(await child2.getByLabel('First name', { exact: true }).inputValue()).toBe('')

      const child1 = page.getByRole('group', { name: 'Child 1', exact: true })
      const dob = dobParts(8)
      expect(await child1.getByLabel('First name', { exact: true }).inputValue()).toBe('Dev')
      const dob1 = child1.getByRole('group', { name: 'Date of birth', exact: true })
      expect(await dob1.getByLabel('Day', { exact: true }).inputValue()).toBe(dob.day)
      expect(await dob1.getByLabel('Month', { exact: true }).inputValue()).toBe(dob.month)
      expect(await dob1.getByLabel('Year', { exact: true }).inputValue()).toBe(dob.year)
      expect(
        await child1.getByLabel('Anything that would help them take part (optional)', { exact: true }).inputValue(),
      ).toBe('Uses a screen reader')
      expect(await page.getByLabel('Your full name', { exact: true }).inputValue()).toBe('Alex Parent')
      expect(await page.getByLabel('Email address', { exact: true }).inputValue()).toBe('alex@example.org')
      expect(await page.getByLabel('Which council area do you live in?', { exact: true }).inputValue()).toBe(
        'E10000016',
      )
      await page.getByRole('button', { name: 'Remove child 2', exact: true }).waitFor()
      await page.getByRole('button', { name: 'Remove child 1', exact: true }).waitFor()
    } finally {
      await context.close()
    }
  })

  it('a full session offers the waiting list', async () => {
    const title = uniqueTitle('Kite making')
    const activityId = await publishActivity(service, { title, capacity: '1', minAge: '5', maxAge: '11' })
    const first = await confirmBooking(service.client(), activityId, [{ firstName: 'Eli', dob: dobForAge(7) }], {
      email: 'first@example.org',
    })
    expect(first.status, await first.clone().text()).toBe(302)
    expect(await placeCounts(service, activityId)).toMatchObject({ confirmed: 1 })

    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await page.goto(`${service.url}/activities/${activityId}`)
      await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor()
      await waitForHydration(page)
      await page.getByRole('heading', { level: 2, name: 'Book a place on the waiting list', exact: true }).waitFor()
      expect(await page.locator('.govuk-warning-text').textContent()).toContain('This session is full')

      await fillOneChildAndContinue(page, { firstName: 'Fay', age: 10 })
      // Full, the form said so (its heading): the check page asks nothing more, its button joins the list.
      const join = page.getByRole('button', { name: 'Join the waiting list', exact: true })
      await join.waitFor()
      expect(await page.getByRole('radio').count()).toBe(0)
      await join.click()

      await confirmAddressFromEmail(page)
      await confirmationReference(page, 'You are on the waiting list')
      expect(await page.getByRole('link', { name: 'Join on Microsoft Teams' }).count()).toBe(0)
      expect(await loadedContent(page)).not.toContain('SECRET-LINK-123')
      expect(await page.locator('main').textContent()).toContain('Waiting list')
      expect(await placeCounts(service, activityId)).toMatchObject({ confirmed: 1, waitlisted: 1 })
    } finally {
      await context.close()
    }
  })

  it('booking pages have no accessibility violations', async () => {
    const title = uniqueTitle('Axe check booking')
    const activityId = await publishActivity(service, { title, capacity: '10', minAge: '5', maxAge: '11' })
    const context = await newContext(browser)
    const axe = accessibilityAudit()
    try {
      const page = await context.newPage()
      const response = await page.goto(`${service.url}/activities/${activityId}`)
      expect(response?.status()).toBe(200)
      await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor()
      await waitForHydration(page)
      await axe.check(page, 'activity page')

      // Nothing filled in: every required field in error.
      await page.getByRole('button', { name: 'Continue', exact: true }).click()
      await page.locator('.govuk-error-summary').waitFor()
      await axe.check(page, 'booking form with errors')

      // Two children with errors, so the numbered fieldsets and remove buttons are checked too.
      await page.getByRole('button', { name: 'Add another child', exact: true }).click()
      await page.getByRole('group', { name: 'Child 2', exact: true }).waitFor()
      await page.getByRole('button', { name: 'Continue', exact: true }).click()
      await page.locator('#child-1-firstName-error').waitFor()
      await axe.check(page, 'booking form with two children and errors')
      await page.getByRole('button', { name: 'Remove child 2', exact: true }).click()
      await page.getByRole('group', { name: 'Child', exact: true }).waitFor()

      await fillOneChildAndContinue(page, { firstName: 'Gus', age: 5 })
      await axe.check(page, 'check your answers')

      await page.getByRole('button', { name: 'Confirm booking', exact: true }).click()
      await confirmAddressFromEmail(page, (p, name) => axe.check(p, name))
      const reference = await confirmationReference(page, 'Booking confirmed')
      await axe.check(page, 'booking confirmed')

      // The manage page as reached later from the email link.
      const token = new URL(page.url()).searchParams.get('token')!
      await page.goto(`${service.url}/bookings/${reference}?token=${encodeURIComponent(token)}`)
      await page.getByRole('heading', { level: 1, name: `Your booking ${reference}`, exact: true }).waitFor()
      await axe.check(page, 'manage booking')

      axe.expectNone()
    } finally {
      await context.close()
    }
  })

  it('the accessibility statement, privacy notices and feedback page pass axe at desktop and phone widths, and work by keyboard', async () => {
    const context = await newContext(browser)
    const axe = accessibilityAudit()
    try {
      const page = await context.newPage()
      const pages = [
        ['/accessibility', 'Accessibility statement for Join In'],
        ['/privacy', 'Privacy notice'],
        ['/adoptables/privacy', 'What we do with your details'],
        ['/service-feedback', 'Give feedback on Join In'],
      ] as const
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 })
        for (const [path, heading] of pages) {
          expect((await page.goto(`${service.url}${path}`))?.status()).toBe(200)
          await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor()
          await axe.check(page, `${path} at ${width}px`)
          // Nothing scrolls sideways on a phone (WCAG 1.4.10 Reflow).
          expect(
            await page.evaluate(() => document.documentElement.scrollWidth),
            `${path} at ${width}px`,
          ).toBeLessThanOrEqual(width)
        }
        await page.getByRole('button', { name: 'Send feedback', exact: true }).click()
        await page.locator('#feedback-error').waitFor()
        await axe.check(page, `feedback page with an error at ${width}px`)
      }

      // By keyboard alone: the first Tab reaches the skip link, which leads straight to the form.
      await page.setViewportSize({ width: 1280, height: 900 })
      await page.goto(`${service.url}/service-feedback`)
      await waitForHydration(page)
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content')
      await page.keyboard.press('Enter')
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('feedback')
      await page.keyboard.type('The calendar invite worked well.')
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('email')
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('How we use your information')
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Send feedback')
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { level: 1, name: 'Thank you for your feedback' }).waitFor()
      await axe.check(page, 'feedback sent')
      const sent = await service.database.db
        .selectFrom('outbox')
        .select('text_body')
        .where('kind', '=', 'service-feedback')
        .execute()
      expect(sent.map((e) => e.text_body).join('\n')).toContain('The calendar invite worked well.')

      axe.expectNone()
    } finally {
      await context.close()
    }
  })
})
