// In Chromium against the production server: an administrator invites someone, who creates a
// password from the emailed link and signs in; axe-core checks the staff account pages and the
// audit log, with and without errors.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import { ADMIN, startTestService, type TestService } from '../support/service'
import { accessibilityAudit, launchBrowser, newContext, signInAsStaff, waitForHydration } from '../support/browser'
import { nextCode, secretFromPage } from '../support/two-factor'

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

describe('staff accounts in the browser', () => {
  it('an administrator invites someone, who sets a password from the link and signs in', async () => {
    const axe = accessibilityAudit()
    const adminContext = await newContext(browser)
    const personContext = await newContext(browser)
    try {
      const page = await adminContext.newPage()
      await signInAsStaff(page, service.url, { email: ADMIN.email, password: ADMIN.password }, '/staff/sign-in')
      await page.goto(`${service.url}/staff/users`)
      await page.getByRole('heading', { level: 1, name: 'Staff' }).waitFor()
      await axe.check(page, '/staff/users')

      await page.getByRole('button', { name: 'Invite a member of staff' }).click()
      await page.getByRole('heading', { level: 1, name: 'Invite a member of staff' }).waitFor()
      // Sent empty first: the error summary and the field errors must be accessible too.
      await page.getByRole('button', { name: 'Send invitation' }).click()
      await page.getByRole('alert').getByText('Enter their name').waitFor()
      await axe.check(page, '/staff/users/invite (with errors)')

      await page.getByLabel('Name', { exact: true }).fill('Sam Okafor')
      await page.getByLabel('Email address', { exact: true }).fill('sam.okafor@example.org')
      await page.getByRole('radio', { name: 'Participation staff' }).check()
      await page.getByRole('button', { name: 'Send invitation' }).click()
      await page.waitForURL((url) => url.pathname === '/staff/users')
      await page.getByText('Invitation sent').waitFor()
      const row = page.getByRole('row', { name: /Sam Okafor/ })
      await expect(row.textContent()).resolves.toContain('Invited')

      await row.getByRole('link', { name: 'Sam Okafor' }).click()
      await page.getByRole('heading', { level: 1, name: 'Sam Okafor' }).waitFor()
      await axe.check(page, '/staff/users/:id')

      const email = await service.database.db
        .selectFrom('outbox')
        .select('text_body')
        .where('to_address', '=', 'sam.okafor@example.org')
        .where('kind', '=', 'staff-invite')
        .executeTakeFirstOrThrow()
      const link = /https?:\/\/\S+\/staff\/set-password\?token=[\w-]+/.exec(email.text_body)![0]

      const person = await personContext.newPage()
      await person.goto(link)
      await person.getByRole('heading', { level: 1, name: 'Create your password' }).waitFor()
      await axe.check(person, '/staff/set-password')
      await person.getByLabel('Password', { exact: true }).fill('too short')
      await person.getByRole('button', { name: 'Create password' }).click()
      await person.getByRole('alert').getByText('Password must be 12 characters or more').waitFor()
      await axe.check(person, '/staff/set-password (with errors)')
      await person.getByLabel('Password', { exact: true }).fill('sam picks a long password')
      await person.getByRole('button', { name: 'Create password' }).click()
      await person.waitForURL((url) => url.pathname === '/staff/sign-in')
      await person.getByText('Your password has been set').waitFor()

      await signInAsStaff(
        person,
        service.url,
        { email: 'sam.okafor@example.org', password: 'sam picks a long password' },
        '/staff/sign-in',
      )
      await person.getByRole('heading', { level: 1, name: 'Upcoming sessions' }).waitFor()

      await page.goto(`${service.url}/staff/users`)
      await expect(page.getByRole('row', { name: /Sam Okafor/ }).textContent()).resolves.toContain('Active')
    } finally {
      await adminContext.close()
      await personContext.close()
    }
    axe.expectNone()
  })

  it('removing an age band with JavaScript on moves the later bands up with their own ages', async () => {
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await signInAsStaff(page, service.url, { email: ADMIN.email, password: ADMIN.password }, '/staff/settings')
      // the settings page itself, not the sign-in page still on screen as the address changes
      await page.getByRole('button', { name: 'Remove band 1', exact: true }).waitFor()
      await waitForHydration(page)
      const age = (band: number, end: 'youngest' | 'oldest') =>
        page.getByLabel(`Band ${band} ${end} age`, { exact: true })
      const bands = await page.getByRole('button', { name: /^Remove band \d+$/ }).count()
      expect(bands).toBeGreaterThanOrEqual(2)
      // Typed, not saved: band 1 gets ages no other band has, so where they end up shows.
      await age(1, 'youngest').fill('1')
      await age(1, 'oldest').fill('2')
      const second = [await age(2, 'youngest').inputValue(), await age(2, 'oldest').inputValue()]
      const last = [await age(bands, 'youngest').inputValue(), await age(bands, 'oldest').inputValue()]
      await page.getByRole('button', { name: 'Remove band 1', exact: true }).click()
      await age(bands, 'youngest').waitFor({ state: 'detached' })
      expect([await age(1, 'youngest').inputValue(), await age(1, 'oldest').inputValue()]).toEqual(second)
      expect([await age(bands - 1, 'youngest').inputValue(), await age(bands - 1, 'oldest').inputValue()]).toEqual(last)
    } finally {
      await context.close()
    }
  })

  it('the audit log and the account page have no accessibility violations, with and without errors', async () => {
    const axe = accessibilityAudit()
    const context = await newContext(browser)
    try {
      const page = await context.newPage()
      await signInAsStaff(page, service.url, { email: ADMIN.email, password: ADMIN.password }, '/staff/sign-in')

      await page.goto(`${service.url}/staff/audit`)
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor()
      await axe.check(page, '/staff/audit')
      await page.getByRole('group', { name: 'Date from' }).getByLabel('Day').fill('31')
      await page.getByRole('group', { name: 'Date from' }).getByLabel('Month').fill('2')
      await page.getByRole('group', { name: 'Date from' }).getByLabel('Year').fill('2026')
      await page.getByRole('button', { name: 'Apply filters' }).click()
      await page.getByRole('alert').getByText('Date from must be a real date').waitFor()
      await axe.check(page, '/staff/audit (with errors)')

      await page.goto(`${service.url}/staff/account`)
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor()
      await axe.check(page, '/staff/account')
      await page.getByRole('button', { name: 'Change password' }).click()
      await page.getByRole('alert').getByText('Enter your current password').waitFor()
      await axe.check(page, '/staff/account (with errors)')
      await page.getByLabel('Code from your app').fill(await nextCode(service.url, ADMIN.email, ADMIN.totpSecret))
      await page.getByRole('button', { name: 'Make new recovery codes' }).click()
      await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor()
      await axe.check(page, '/staff/account (new recovery codes)')

      // Someone who must have two-factor and has not set it up is sent to set it up at sign-in.
      await createStaffUser(service.database.db, {
        email: 'new.starter@example.org',
        name: 'New Starter',
        password: 'a long password for the new starter',
        role: 'staff',
      })
      const starter = await context.newPage()
      await starter.context().clearCookies()
      await starter.goto(`${service.url}/staff/sign-in`)
      await starter.getByLabel('Email address', { exact: true }).fill('new.starter@example.org')
      await starter.getByLabel('Password', { exact: true }).fill('a long password for the new starter')
      await starter.getByRole('button', { name: 'Sign in' }).click()
      await starter.getByRole('heading', { level: 1, name: 'Set up two-factor authentication' }).waitFor()
      await starter.getByText('Your setup key:').waitFor()
      await axe.check(starter, '/staff/two-factor')
      await starter.getByLabel('Code from your app').fill('12345')
      await starter.getByRole('button', { name: 'Turn on two-factor authentication' }).click()
      await starter.getByRole('alert').getByText('The code is not correct').waitFor()
      await axe.check(starter, '/staff/two-factor (with errors)')
      const secret = secretFromPage(await starter.content())
      await starter
        .getByLabel('Code from your app')
        .fill(await nextCode(service.url, 'new.starter@example.org', secret))
      await starter.getByRole('button', { name: 'Turn on two-factor authentication' }).click()
      await starter.getByRole('heading', { name: 'Your recovery codes' }).waitFor()
      await axe.check(starter, '/staff/two-factor (recovery codes)')
      await starter.getByRole('button', { name: 'Continue' }).click()
      await starter.getByRole('heading', { level: 1, name: 'Upcoming sessions' }).waitFor()
    } finally {
      await context.close()
    }
    axe.expectNone()
  })
})
