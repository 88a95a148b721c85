// In Chromium against the production server: every kind of staff page, filled with data (long
// names and email addresses included), fits a phone's 375-pixel screen without scrolling
// sideways (WCAG 2.2 1.4.10 Reflow); the navigation is GOV.UK's service navigation, a Menu button
// on a phone once scripts run, so the register's heading is near the top during a call; at 1280
// pixels the navigation is a row of links and the tables are tables; axe finds nothing at either.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordFeedback } from '../../app/domain/feedback.server'
import {
  accessibilityAudit,
  expectAccessible,
  launchBrowser,
  newContext,
  noScriptContext,
  signInAsStaff,
  waitForHydration,
} from '../support/browser'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { createFamily } from '../support/family'
import { bookForFamily } from '../support/family-bookings'
import { ADMIN, startTestService, type TestService } from '../support/service'

const LONG_TITLE = 'Extraordinarily long-named afternoon of watercolour landscapes and portraiture'
const LONG_EMAIL = 'bartholomew.featherstonehaugh-montgomery@kent-medway-bexley-adoption.example.org'
const LONG_NAME = 'Bartholomew Featherstonehaugh-Montgomery-Wolstenholme'

let service: TestService
let browser: Browser
let activityId: number
let meetingId: number
let outboxId: number
let userId: number
let familyId: number
let seriesId: number

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '100000' })
  const { db } = service.database
  activityId = await publishActivity(service, { title: LONG_TITLE, capacity: '3' })
  expect(
    (
      await confirmBooking(
        service.client(),
        activityId,
        [
          {
            firstName: 'Maximiliana-Seraphina',
            dob: dobForAge(7),
            supportNeeds: 'Uses a screen reader and a hearing loop',
          },
          { firstName: 'Leo', dob: dobForAge(9) },
        ],
        { contactName: LONG_NAME, email: LONG_EMAIL, phone: '07700 900123' },
      )
    ).status,
  ).toBe(302)
  expect(
    (
      await confirmBooking(service.client(), activityId, [{ firstName: 'Mia', dob: dobForAge(8) }], {
        email: 'sam@example.org',
      })
    ).status,
  ).toBe(302)
  // A fourth child waits, so the waiting list has a row too.
  expect(
    (
      await confirmBooking(service.client(), activityId, [{ firstName: 'Noah', dob: dobForAge(8) }], {
        email: 'lee@example.org',
      })
    ).status,
  ).toBe(302)
  const places = await db
    .selectFrom('place')
    .select(['id', 'first_name'])
    .where('activity_id', '=', activityId)
    .execute()
  const placeId = (name: string) => places.find((p) => p.first_name === name)!.id

  const staff = await service.signedIn('staff')
  const saved = await staff.post(`/staff/activities/${activityId}/register`, {
    intent: 'save',
    // the session is a month ahead: marking it now needs the explicit confirmation
    confirmEarly: 'yes',
    [`attended-${placeId('Maximiliana-Seraphina')}`]: 'yes',
    [`attended-${placeId('Leo')}`]: 'no',
  })
  expect(saved.status).toBe(302)
  const check = await staff.post(`/staff/activities/${activityId}/messages`, {
    intent: 'check',
    audience: 'confirmed',
    subject: 'Please bring watercolour paints, brushes and thick paper',
    body: 'Hello,\nPlease have paints ready.',
  })
  const sendKey = /name="sendKey" value="([0-9a-f-]{36})"/.exec(await check.text())![1]!
  const sent = await staff.post(`/staff/activities/${activityId}/messages`, {
    intent: 'send',
    sendKey,
    audience: 'confirmed',
    subject: 'Please bring watercolour paints, brushes and thick paper',
    body: 'Hello,\nPlease have paints ready.',
  })
  expect(sent.status).toBe(302)
  expect(
    await recordFeedback(
      db,
      placeId('Maximiliana-Seraphina'),
      5,
      'Wonderful-session-we-would-love-another-one-next-term-please-with-the-same-artist',
    ),
  ).toBe('recorded')

  // A series, its first date booked by the family with the long name.
  const seriesFirst = await publishActivity(service, { title: LONG_TITLE, repeat: 'weekly', sessions: '3' })
  seriesId = (
    await db.selectFrom('activity').select('series_id').where('id', '=', seriesFirst).executeTakeFirstOrThrow()
  ).series_id!
  expect(
    (
      await confirmBooking(service.client(), seriesFirst, [{ firstName: 'Maximiliana-Seraphina', dob: dobForAge(7) }], {
        contactName: LONG_NAME,
        email: LONG_EMAIL,
      })
    ).status,
  ).toBe(302)
  meetingId = await publishActivity(service, {
    kind: 'adoptables',
    category: 'Adoptables meeting',
    title: 'Adoptables planning meeting for the summer',
    minAge: '12',
    maxAge: '18',
    capacity: '20',
  })
  const [year, month, day] = dobForAge(15).split('-')
  const joined = await service.client().post(`/adoptables/join?meeting=${meetingId}`, {
    firstName: 'Anastasia-Genevieve',
    'dob-day': String(Number(day)),
    'dob-month': String(Number(month)),
    'dob-year': year!,
    email: 'anastasia.genevieve.young-person@kent-medway-bexley-adoption.example.org',
    authority: 'E06000035',
    parentEmail: '',
    notes: 'Prefers to keep the camera off',
  })
  expect(joined.status).toBe(200)
  expect((await service.client().post('/mailing-list', { email: LONG_EMAIL, firstName: 'Bartholomew' })).status).toBe(
    200,
  )

  const admin = await service.signIn(ADMIN)
  expect(
    (await admin.post('/staff/api-tokens', { intent: 'create', name: 'Power BI quarterly report feed for the team' }))
      .status,
  ).toBe(200)
  expect(
    (
      await admin.post('/staff/users/invite', {
        name: LONG_NAME,
        email: 'bartholomew.featherstonehaugh@kent-medway-bexley-adoption.example.org',
        role: 'staff',
      })
    ).status,
  ).toBe(302)
  // A new family with long names, its first booking waiting for approval: the family page and the queue.
  const familySession = await publishActivity(service, { title: LONG_TITLE, capacity: '5' })
  const family = await createFamily(db, {
    email: 'seraphina.featherstonehaugh-montgomery@kent-medway-bexley-adoption.example.org',
    contactName: LONG_NAME,
    phone: '07700 900123',
    emergencyPhone: '+44 (0)7700 900456',
    approvedAt: null,
    children: [{ firstName: 'Maximiliana-Seraphina', dob: dobForAge(7), supportNeeds: 'Uses a screen reader' }],
  })
  familyId = family.familyId
  await bookForFamily(
    db,
    family.familyId,
    familySession,
    [{ childId: family.childIds[0]!, firstName: 'Maximiliana-Seraphina', dob: dobForAge(7), age: 7 }],
    'held',
    { holdReason: 'approval' },
  )
  userId = (await db.selectFrom('staff_user').select('id').where('name', '=', LONG_NAME).executeTakeFirstOrThrow()).id
  outboxId = (
    await db
      .selectFrom('outbox')
      .select('id')
      .where('to_address', '=', LONG_EMAIL)
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
})

/** Every kind of staff page an administrator can open, each with content. */
function staffPages(): Array<[string, string]> {
  return [
    ['sessions (the dashboard)', '/staff'],
    ['a new session', '/staff/activities/new'],
    ['a session', `/staff/activities/${activityId}`],
    ['an Adoptables meeting', `/staff/activities/${meetingId}`],
    ['editing a session', `/staff/activities/${activityId}/edit`],
    ['naming the adults on a session', `/staff/activities/${activityId}/adults`],
    ['the checklist before the call', `/staff/activities/${activityId}/checklist`],
    ['the register', `/staff/activities/${activityId}/register`],
    ['messages', `/staff/activities/${activityId}/messages`],
    ['feedback', `/staff/activities/${activityId}/feedback`],
    ['a series', `/staff/series/${seriesId}`],
    ['Adoptables members', '/staff/members'],
    ['the mailing list', '/staff/mailing-list'],
    ['emails sent', '/staff/outbox'],
    ['one email', `/staff/outbox/${outboxId}`],
    ['reports', '/staff/reports'],
    ['the printable report', '/staff/reports/print'],
    ['known adopted children', '/staff/reports/known-children'],
    ['the audit log', '/staff/audit'],
    ['staff', '/staff/users'],
    ['one member of staff', `/staff/users/${userId}`],
    ['inviting staff', '/staff/users/invite'],
    ['settings', '/staff/settings'],
    ['API tokens', '/staff/api-tokens'],
    ['your account', '/staff/account'],
    ['two-factor authentication', '/staff/two-factor'],
    ['erasing details', '/staff/erasure'],
    ['a family', `/staff/families/${familyId}`],
    ['new families waiting for approval', '/staff/families/approvals'],
  ]
}

async function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth)
}

/** The elements that stick out past the right edge, for a readable failure. */
async function overflowing(page: Page, width: number): Promise<string[]> {
  return page.evaluate((limit) => {
    const out: string[] = []
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const box = el.getBoundingClientRect()
      if (box.right > limit + 0.5 && box.width > 0) {
        out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(box.right)}`)
      }
    }
    return out.slice(0, 5)
  }, width)
}

/** The app starts GOV.UK Frontend itself once the page hydrates: the navigation must be started by it. */
async function startServiceNavigation(page: Page): Promise<void> {
  await waitForHydration(page)
  await page.locator('[data-govuk-service-navigation-init]').waitFor({ state: 'attached', timeout: 10_000 })
}

async function signedInContext(width: number, scripts = true): Promise<{ context: BrowserContext; page: Page }> {
  const context = scripts ? await newContext(browser) : await noScriptContext(browser)
  const page = await context.newPage()
  await page.setViewportSize({ width, height: 800 })
  await signInAsStaff(page, service.url, ADMIN, '/staff/sign-in')
  return { context, page }
}

async function visitEveryPage(page: Page, width: number, checkAxe: ReturnType<typeof accessibilityAudit>) {
  const tooWide: string[] = []
  for (const [name, path] of staffPages()) {
    const response = await page.goto(`${service.url}${path}`)
    expect(response?.status(), `${name} (${path})`).toBe(200)
    await page.locator('h1').first().waitFor()
    const scrolled = await scrollWidth(page)
    if (scrolled > width)
      tooWide.push(`${name} (${path}): ${scrolled}px\n    ${(await overflowing(page, width)).join('\n    ')}`)
    await checkAxe.check(page, `${path} at ${width}px`)
  }
  // The erasure check lists what would go, in a table of its own.
  await page.goto(`${service.url}/staff/erasure`)
  await page.getByLabel('Email address', { exact: true }).fill(LONG_EMAIL)
  await page.getByRole('button', { name: 'Find their details' }).click()
  await page.getByRole('button', { name: 'Erase these details' }).waitFor()
  const erasure = await scrollWidth(page)
  if (erasure > width)
    tooWide.push(`erasure check: ${erasure}px\n    ${(await overflowing(page, width)).join('\n    ')}`)
  await checkAxe.check(page, `/staff/erasure (the check) at ${width}px`)
  return tooWide
}

describe('staff pages on a phone', () => {
  it('no staff page scrolls sideways at 375 pixels, and axe finds nothing', async () => {
    const axe = accessibilityAudit()
    const { context, page } = await signedInContext(375)
    try {
      expect(await visitEveryPage(page, 375, axe)).toEqual([])
    } finally {
      await context.close()
    }
    axe.expectNone()
  }, 180_000) // it opens every staff page with axe: a minute was not enough on a loaded machine

  it('on a phone the navigation is a Menu button, so the register’s heading is near the top', async () => {
    const { context, page } = await signedInContext(375)
    try {
      await page.goto(`${service.url}/staff/activities/${activityId}/register`)
      await startServiceNavigation(page)
      const menu = page.getByRole('button', { name: 'Menu' })
      await menu.waitFor()
      const nav = page.getByRole('navigation', { name: 'Menu' })
      expect(await nav.getByRole('link', { name: 'Settings' }).isVisible()).toBe(false)
      await expectAccessible(page, 'the register with the menu closed at 375px')
      const top = await page.locator('h1').evaluate((h1) => h1.getBoundingClientRect().top)
      expect(top).toBeLessThanOrEqual(250)
      await menu.click()
      expect(await menu.getAttribute('aria-expanded')).toBe('true')
      await expectAccessible(page, 'the register with the menu open at 375px')
      await nav.getByRole('link', { name: 'Settings' }).click()
      await page.waitForURL((url) => url.pathname === '/staff/settings')
    } finally {
      await context.close()
    }
  })

  it('without JavaScript the navigation list is shown, and still nothing scrolls sideways', async () => {
    const { context, page } = await signedInContext(375, false)
    try {
      await page.goto(`${service.url}/staff/activities/${activityId}`)
      const nav = page.getByRole('navigation', { name: 'Menu' })
      expect(await nav.getByRole('link', { name: 'Audit log' }).isVisible()).toBe(true)
      expect(await page.getByRole('button', { name: 'Menu' }).count()).toBe(0)
      expect(await scrollWidth(page)).toBeLessThanOrEqual(375)
      // The bookings table reads as a table: its caption, column headers and cells.
      const table = page.getByRole('table', { name: /^Booked/ })
      expect(await table.getByRole('columnheader', { name: 'Parent or carer' }).count()).toBe(1)
      // The long-named family booked two children: a row each.
      expect(await table.getByRole('cell', { name: new RegExp(LONG_EMAIL) }).count()).toBe(2)
    } finally {
      await context.close()
    }
  })
})

describe('staff pages on a desktop', () => {
  it('at 1280 pixels the navigation is a row of links, the tables have their headers in a row, and axe finds nothing', async () => {
    const axe = accessibilityAudit()
    const { context, page } = await signedInContext(1280)
    try {
      expect(await visitEveryPage(page, 1280, axe)).toEqual([])
      await page.goto(`${service.url}/staff/activities/${activityId}`)
      expect(await page.getByRole('button', { name: 'Menu' }).isVisible()).toBe(false)
      const nav = page.getByRole('navigation', { name: 'Menu' })
      const links = nav.getByRole('link')
      const tops = await links.evaluateAll((all) => all.map((a) => Math.round(a.getBoundingClientRect().top)))
      expect(tops.length).toBe(10)
      // One row, or two at most for ten links: never a column of ten.
      expect(new Set(tops).size).toBeLessThanOrEqual(2)
      const headers = page.getByRole('table', { name: /^Booked/ }).getByRole('columnheader')
      const headerTops = await headers.evaluateAll((all) => all.map((th) => Math.round(th.getBoundingClientRect().top)))
      expect(new Set(headerTops).size).toBe(1)
      expect(await headers.first().isVisible()).toBe(true)
    } finally {
      await context.close()
    }
    axe.expectNone()
  }, 180_000)
})
