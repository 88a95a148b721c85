import { it } from 'vitest'
import { startTestService } from '/work/main/tests/support/service'
import { publishActivity } from '/work/main/tests/support/booking'
import { launchBrowser } from '/work/main/tests/support/browser'
it('dbg', async () => {
  const service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
  const browser = await launchBrowser()
  const id = await publishActivity(service, { title: 'x' })
  const ctx = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB', timezoneId: 'Europe/London' })
  const page = await ctx.newPage()
  page.on('response', (r) => console.log('RESP', r.request().method(), r.url(), r.status()))
  page.on('console', (m) => console.log('CONSOLE', m.text()))
  await page.goto(`${service.url}/activities/${id}`)
  console.log(await page.locator('form[method=post]').evaluateAll((fs) => fs.map((f) => f.outerHTML.slice(0, 300))))
  await page.getByLabel('Your full name').fill('Sam')
  await page.getByRole('button', { name: 'Add another child' }).click()
  await page.waitForTimeout(3000)
  console.log(page.url())
  console.log((await page.locator('main').innerText()).slice(0, 1500))
  await browser.close(); await service.close()
}, 60000)
