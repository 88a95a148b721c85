// In Chromium against the production server, on a phone (375 pixels), with JavaScript on and
// off: a member of staff sees a session flagged on the dashboard for having no adults, names the
// host (a member of staff) and a guest second adult, ticks the "before the call" checklist, sees
// the flag gone from the dashboard, and reads the children's consents and the emergency number on
// the register. Nothing scrolls sideways, and axe finds nothing on any page.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import {
  expectAccessible,
  launchBrowser,
  loadedContent,
  newContext,
  noScriptContext,
  signInAsStaff,
} from '../support/browser'
import { dobForAge, publishActivity } from '../support/booking'
import { createFamily } from '../support/family'
import { bookForFamily } from '../support/family-bookings'
import { startTestService, type TestService } from '../support/service'

const STAFF = { email: 'safety.staff@example.org', password: 'a long password for safe sessions' }
// A second member of staff for the test without JavaScript: a fresh account's first code needs no wait
// for the next 30-second window, as signing the first one in again would.
const STAFF_NO_JS = { email: 'safety.staff.nojs@example.org', password: 'another long password for safe sessions' }

let service: TestService
let browser: Browser
const sessions: Record<'scripts' | 'noScripts', { id: number; title: string }> = {
  scripts: { id: 0, title: 'Puppet theatre with two adults' },
  noScripts: { id: 0, title: 'Origami with two adults' },
}

beforeAll(async () => {
  service = await startTestService()
  const { db } = service.database
  await createStaffUser(db, { ...STAFF, name: 'Robin Safety', role: 'staff' })
  await createStaffUser(db, { ...STAFF_NO_JS, name: 'Sky Safety', role: 'staff' })
  await createStaffUser(db, {
    email: 'sam.host@example.org',
    name: 'Sam Host',
    password: 'a long password for sam host',
    role: 'staff',
  })
  for (const key of ['scripts', 'noScripts'] as const) {
    sessions[key].id = await publishActivity(service, { title: sessions[key].title, capacity: '6' })
    const family = await createFamily(db, {
      emergencyPhone: '07700 900555',
      children: [{ firstName: 'Maximiliana-Seraphina', dob: dobForAge(8) }],
    })
    await db
      .updateTable('child')
      .set({
        consent_photos: 0,
        consent_photos_at: '2026-03-05T12:00:00.000Z',
        consent_camera: 1,
        consent_camera_at: '2026-03-05T12:00:00.000Z',
      })
      .where('id', '=', family.childIds[0]!)
      .execute()
    await bookForFamily(
      db,
      family.familyId,
      sessions[key].id,
      [{ childId: family.childIds[0]!, firstName: 'Maximiliana-Seraphina', dob: dobForAge(8), age: 8 }],
      'confirmed',
    )
  }
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
  // a step that never comes fails with its own locator, well inside the test's time
  page.setDefaultTimeout(30_000)
  return { context, page }
}

async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width, `${where} scrolls sideways`).toBeLessThanOrEqual(375)
}

/**
 * axe needs the page's scripts to run: with them off, the same pages are checked in the run with
 * them on (whose pages are the same server-rendered markup, the conditional questions shown).
 */
async function accessible(page: Page, scripts: boolean, where: string): Promise<void> {
  if (scripts) await expectAccessible(page, where)
}

/** The dashboard's row for a session, as the text a person reads. */
async function dashboardRow(page: Page, title: string): Promise<string> {
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: title }) })
  return ((await row.textContent()) ?? '').replace(/\s+/g, ' ')
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
] as const)('safe sessions on a phone %s', (_, scripts) => {
  it('names the two adults, ticks the checklist, clears the flag and reads consents on the register', async () => {
    const { context, page } = await phone(scripts)
    const session = scripts ? sessions.scripts : sessions.noScripts
    const staffName = scripts ? 'Robin Safety' : 'Sky Safety'
    try {
      await signInAsStaff(page, service.url, scripts ? STAFF : STAFF_NO_JS, '/staff')
      await page.getByRole('heading', { name: 'Upcoming sessions' }).waitFor()
      expect(await dashboardRow(page, session.title)).toContain('No adults named')
      await loadedContent(page)
      await expectNoSidewaysScroll(page, 'the dashboard')
      await accessible(page, scripts, 'the dashboard with a flagged session at 375px')

      await page.getByRole('link', { name: session.title }).click()
      await page.getByRole('heading', { name: session.title, level: 1 }).waitFor()
      expect(await page.getByText('No adults named: every session needs a host and a second adult').isVisible()).toBe(
        true,
      )
      await page.getByRole('link', { name: 'Name the adults' }).click()
      await page.getByRole('heading', { name: 'Adults on the call' }).waitFor()

      // First forgetting the guest's name: the error is beside the box, and what was chosen stays.
      const host = page.getByRole('group', { name: 'Who is the host?' })
      await host.getByLabel('A member of staff').check()
      await page.locator('#hostStaff').selectOption({ label: 'Sam Host (sam.host@example.org)' })
      const second = page.getByRole('group', { name: 'Who is the second adult?' })
      await second.getByLabel('A guest adult').check()
      await page.locator('#secondGuestOrganisation').fill('Kent Library Service')
      await page.getByRole('button', { name: 'Save adults' }).click()
      await page.getByText('There is a problem').waitFor()
      expect(await page.locator('#secondGuestName-error').textContent()).toContain('Enter the name of the second adult')
      expect(await page.locator('#secondGuestOrganisation').inputValue()).toBe('Kent Library Service')
      expect(await page.locator('#hostStaff').inputValue()).not.toBe('')
      await loadedContent(page)
      await expectNoSidewaysScroll(page, 'the adults form with an error')
      await accessible(page, scripts, 'the adults form with an error at 375px')

      await page.locator('#secondGuestName').fill('Jo Bloggs')
      await page.getByRole('button', { name: 'Save adults' }).click()
      await page.getByText('Adults saved').waitFor()
      expect(await page.getByText('Jo Bloggs (guest, Kent Library Service)').isVisible()).toBe(true)
      expect(await page.getByText('No adults named').count()).toBe(0)
      expect(await page.getByText('Needs a second adult').count()).toBe(0)

      // The checklist: recording is not allowed (no consent to photographs), the camera may be on.
      expect(
        await page
          .getByText(
            'Recording is off. Recording is not allowed: 1 child has not consented to photographs of sessions (Maximiliana-Seraphina).',
          )
          .isVisible(),
      ).toBe(true)
      await page.getByRole('button', { name: 'Tick as done (Lobby on)' }).click()
      await page.getByText('Check ticked').waitFor()
      const lobby = page.locator('#check-lobby')
      expect(await lobby.getByText(`Ticked by ${staffName} at`).isVisible()).toBe(true)
      await page.getByRole('button', { name: 'Tick as done (Attendees cannot present)' }).click()
      await page.getByText('2 of 4 checks done.').waitFor()
      await page.getByRole('button', { name: 'Untick (Lobby on)' }).click()
      await page.getByText('Check unticked').waitFor()
      expect(await lobby.getByText(`Unticked by ${staffName} at`).isVisible()).toBe(true)
      await loadedContent(page)
      await expectNoSidewaysScroll(page, 'the session page')
      await accessible(page, scripts, 'the session page with adults and the checklist at 375px')

      await page.goto(`${service.url}/staff`)
      await page.getByRole('heading', { name: 'Upcoming sessions' }).waitFor()
      const row = await dashboardRow(page, session.title)
      expect(row).toContain('Host and second adult')
      expect(row).not.toMatch(/No adults named|Needs a second adult/)

      await page.goto(`${service.url}/staff/activities/${session.id}/register`)
      await page.getByRole('heading', { name: /^Register:/ }).waitFor()
      expect(await page.getByText('Jo Bloggs (guest, Kent Library Service)').isVisible()).toBe(true)
      const details = page.locator('.app-register__details')
      expect(await details.getByText('No, given 5 March 2026').isVisible()).toBe(true)
      expect(await details.getByText('Yes, given 5 March 2026').isVisible()).toBe(true)
      expect(await details.getByRole('link', { name: '07700 900555' }).getAttribute('href')).toBe('tel:07700900555')
      await loadedContent(page)
      await expectNoSidewaysScroll(page, 'the register')
      await accessible(page, scripts, 'the register with adults and consents at 375px')
    } finally {
      await context.close()
    }
  }, 180_000)
})
