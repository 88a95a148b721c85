// End to end in Chromium against the production server: a parent gives feedback on a session
// from the emailed link, someone joins and leaves the mailing list, and the feedback page, the
// mailing-list pages and the staff mailing-list and feedback pages pass axe-core's WCAG checks.
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { book } from '../../app/domain/bookings.server'
import { addDays, londonDateOf } from '../../app/time/london-time'
import { unsubscribeExtrasFor } from '../../app/domain/mailing-list.server'
import { expectAccessible, launchBrowser, newContext } from '../support/browser'
import { confirmHeldBooking } from '../support/booking'
import { KENT, publishSessions } from '../support/seed-quarter'
import { startTestService, type TestService } from '../support/service'

const DAY = 86_400_000

let service: TestService
let browser: Browser
let sessionId: number
let feedbackPath: string

beforeAll(async () => {
  service = await startTestService()
  browser = await launchBrowser()
  const db = service.database.db
  // A session three days ago with one family of two, booked then as a parent would have.
  const [session] = await publishSessions(db, {
    kind: 'activity',
    title: 'Animal encounters: owls',
    category: 'Animal encounters',
    date: londonDateOf(new Date(Date.now() - 3 * DAY)),
    start: '16:00',
    end: '17:00',
    capacity: 10,
    minAge: 3,
    maxAge: 17,
  })
  sessionId = session!.id
  const day = londonDateOf(session!.startsAt)
  const booked = await book(
    db,
    {
      activityId: sessionId,
      contactName: 'Pat Parent',
      email: 'pat.owls@example.org',
      phone: null,
      authorityCode: KENT,
      children: [
        { firstName: 'Ava', dateOfBirth: addDays(day, -8 * 366), supportNeeds: null },
        { firstName: 'Ben', dateOfBirth: addDays(day, -6 * 366), supportNeeds: null },
      ],
      mailingListOptIn: false,
      idempotencyKey: 'e2e-feedback-owls',
      acceptWaitlist: true,
    },
    { baseUrl: service.url, domain: 'join-in.test' },
    { maxChildren: 10, now: new Date(session!.startsAt.getTime() - 3 * DAY) },
  )
  if (booked.status !== 'booked') throw new Error(`booking refused: ${JSON.stringify(booked)}`)
  // a new family's places are held until the parent opens the emailed link, a minute later
  await confirmHeldBooking(
    db,
    booked.reference,
    { baseUrl: service.url, domain: 'join-in.test' },
    new Date(session!.startsAt.getTime() - 3 * DAY + 60_000),
  )
  await service.jobs.runOnce()
  const email = await db
    .selectFrom('outbox')
    .select('text_body')
    .where('kind', '=', 'feedback-request')
    .executeTakeFirstOrThrow()
  feedbackPath = new URL(/(http\S+\/feedback\/\S+)/.exec(email.text_body)![1]!).pathname
})

afterAll(async () => {
  await browser?.close()
  await service?.close()
})

describe('feedback in a browser', () => {
  it('a parent gives feedback for each child from the emailed link', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${service.url}${feedbackPath}`)
    await page.getByRole('heading', { level: 1, name: 'How was Animal encounters: owls?' }).waitFor()
    await expectAccessible(page, 'the feedback page')

    await page.getByRole('button', { name: 'Send feedback' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    await expectAccessible(page, 'the feedback page with an error')

    const ava = page.getByRole('group', { name: 'How much did Ava enjoy it?' })
    await ava.getByRole('radio', { name: 'Loved it', exact: true }).check()
    await page
      .getByLabel('Anything else you want to tell us about Ava’s time? (optional)')
      .fill('She talked about the owls all evening')
    await page
      .getByRole('group', { name: 'How much did Ben enjoy it?' })
      .getByRole('radio', { name: 'It was OK', exact: true })
      .check()
    await page.getByRole('button', { name: 'Send feedback' }).click()
    await page.getByRole('heading', { level: 1, name: 'Thank you for your feedback' }).waitFor()
    await expectAccessible(page, 'the feedback thank-you page')

    const rows = await service.database.db
      .selectFrom('feedback')
      .select(['score', 'comment'])
      .where('activity_id', '=', sessionId)
      .orderBy('place_id')
      .execute()
    expect(rows).toEqual([
      { score: 5, comment: 'She talked about the owls all evening' },
      { score: 3, comment: null },
    ])
    await context.close()
  })
})

describe('the mailing list in a browser', () => {
  it('joins with the emailed link and leaves in one click, every page accessible', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${service.url}/mailing-list`)
    await page.getByRole('heading', { level: 1, name: 'Join our mailing list' }).waitFor()
    await expectAccessible(page, 'the sign-up page')
    await page.getByRole('button', { name: 'Join the mailing list' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    await expectAccessible(page, 'the sign-up page with an error')

    await page.getByLabel('Email address', { exact: true }).fill('robin@example.org')
    await page.getByLabel('First name (optional)', { exact: true }).fill('Robin')
    await page.getByRole('button', { name: 'Join the mailing list' }).click()
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor()
    await expectAccessible(page, 'the check-your-email page')

    const db = service.database.db
    const email = await db
      .selectFrom('outbox')
      .select('text_body')
      .where('kind', '=', 'mailing-list-confirm')
      .where('to_address', '=', 'robin@example.org')
      .executeTakeFirstOrThrow()
    const confirmUrl = /(http\S+\/mailing-list\/confirm\?token=\S+)/.exec(email.text_body)![1]!
    await page.goto(confirmUrl)
    await page.getByRole('heading', { level: 1, name: 'Confirm you want to join our mailing list' }).waitFor()
    await expectAccessible(page, 'the confirm page')
    await page.getByRole('button', { name: 'Yes, add me to the mailing list' }).click()
    await page.getByRole('heading', { level: 1, name: 'You have joined our mailing list' }).waitFor()
    await expectAccessible(page, 'the joined page')

    // The link an email to Robin would carry (the worker makes one as it sends).
    const extras = await unsubscribeExtrasFor(db, 'robin@example.org', service.url)
    await page.goto(extras!.url)
    await page.getByRole('heading', { level: 1, name: 'Leave our mailing list' }).waitFor()
    await expectAccessible(page, 'the unsubscribe page')
    await page.getByRole('button', { name: 'Leave the mailing list' }).click()
    await page.getByRole('heading', { level: 1, name: 'You have left our mailing list' }).waitFor()
    await expectAccessible(page, 'the left page')
    const row = await db
      .selectFrom('mailing_list_subscriber')
      .select('status')
      .where('email', '=', 'robin@example.org')
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('unsubscribed')

    await page.goto(`${service.url}/mailing-list/unsubscribe?token=wrong`)
    await page.getByRole('heading', { level: 1, name: 'This link does not work' }).waitFor()
    await expectAccessible(page, 'a wrong unsubscribe link')
    await context.close()
  })
})

describe('staff pages', () => {
  let context: BrowserContext

  beforeAll(async () => {
    // Signed in through the real sign-in form by the test client; the browser takes its cookie.
    const staff = await service.signedIn('staff')
    context = await newContext(browser)
    await context.addCookies([...staff.cookies].map(([name, value]) => ({ name, value, url: service.url })))
  })

  afterAll(async () => {
    await context?.close()
  })

  it('the mailing-list page passes axe and shows the month', async () => {
    const page = await context.newPage()
    await page.goto(`${service.url}/staff/mailing-list`)
    await page.getByRole('heading', { level: 1, name: 'Mailing list' }).waitFor()
    // Robin joined and left this month.
    expect(await page.getByRole('cell', { name: 'robin@example.org', exact: true }).count()).toBe(2)
    await expectAccessible(page, 'the staff mailing-list page')
    await page.goto(`${service.url}/staff/mailing-list?month=nonsense`)
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    await expectAccessible(page, 'the staff mailing-list page with an error')
  })

  it('the session feedback page passes axe and shows the responses', async () => {
    const page = await context.newPage()
    await page.goto(`${service.url}/staff/activities/${sessionId}`)
    await page.getByRole('link', { name: 'Read feedback' }).click()
    await page.getByRole('heading', { level: 1, name: 'Feedback' }).waitFor()
    await page.waitForLoadState('load')
    expect(await page.getByText('She talked about the owls all evening').count()).toBe(1)
    await expectAccessible(page, 'the staff feedback page')
  })
})
