// The parent or carer's consent page in Chromium, as they open it from the email on a phone or a
// computer: it fits the screen, axe finds nothing, and the answer works with JavaScript on and off.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dobForAge, publishActivity } from '../support/booking'
import { expectAccessible, launchBrowser, newContext, noScriptContext, waitForHydration } from '../support/browser'
import { startTestService, type TestService } from '../support/service'

describe('the consent page', () => {
  let service: TestService
  let browser: Browser
  let meetingId: number

  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
    browser = await launchBrowser()
    meetingId = await publishActivity(service, {
      kind: 'adoptables',
      category: 'Adoptables meeting',
      title: 'Adoptables consent page meeting',
      minAge: '12',
      maxAge: '18',
      capacity: '20',
    })
  })
  afterAll(async () => {
    await browser?.close()
    await service?.close()
  })

  /** Signs a 12-year-old up over HTTP and returns the link their parent or carer was emailed. */
  async function consentLink(firstName: string): Promise<string> {
    const [year, month, day] = dobForAge(12).split('-')
    const email = `${firstName.toLowerCase()}@example.org`
    const parentEmail = `${firstName.toLowerCase()}.parent@example.org`
    const response = await service.client().post(`/adoptables/join?meeting=${meetingId}`, {
      firstName,
      'dob-day': String(Number(day)),
      'dob-month': String(Number(month)),
      'dob-year': year!,
      email,
      authority: 'E06000035',
      parentEmail,
      notes: '',
    })
    expect(response.status).toBe(200)
    const mail = await service.database.db
      .selectFrom('outbox')
      .select('text_body')
      .where('to_address', '=', parentEmail)
      .where('kind', '=', 'consent-request')
      .executeTakeFirstOrThrow()
    return /\/adoptables\/consent\?token=[\w%-]+/.exec(mail.text_body)![0]
  }

  for (const width of [375, 1280]) {
    it(`fits ${width} pixels and answers no with JavaScript on, and yes with it off`, async () => {
      const context = await newContext(browser)
      const page = await context.newPage()
      await page.setViewportSize({ width, height: 900 })
      await page.goto(service.url + (await consentLink(`Ria${width}`)))
      await waitForHydration(page)
      await expect.poll(() => page.locator('h1').textContent()).toBe(`Can Ria${width} join Adoptables?`)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      await expectAccessible(page, `consent page at ${width}`)
      // no answer: the error summary, and nothing changes
      await page.getByRole('button', { name: 'Send answer' }).click()
      await page.getByText('There is a problem').waitFor()
      await expectAccessible(page, `consent page with an error at ${width}`)
      await page.getByLabel('No', { exact: true }).check()
      await page.getByRole('button', { name: 'Send answer' }).click()
      await page.getByRole('heading', { name: `Ria${width} will not join Adoptables` }).waitFor()
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      await expectAccessible(page, `consent refused at ${width}`)
      await context.close()

      const scriptless = await noScriptContext(browser)
      const plain = await scriptless.newPage()
      await plain.setViewportSize({ width, height: 900 })
      await plain.goto(service.url + (await consentLink(`Noa${width}`)))
      // (axe needs JavaScript in the page, so it checked these pages above)
      await plain.getByLabel('Yes, they can join').check()
      await plain.getByRole('button', { name: 'Send answer' }).click()
      await plain.getByText(`Noa${width} can now join Adoptables`).waitFor()
      await scriptless.close()
    })
  }
})
