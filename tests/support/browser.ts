// A real browser for end-to-end tests: Debian's Chromium driven by playwright-core, plus axe-core.
import axe from 'axe-core'
import type { AxeResults, Result } from 'axe-core'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { knownSecret, nextCode, rememberSecret, secretFromPage } from './two-factor'

/**
 * Starts headless Chromium. The flags matter here: no network (so nothing phoning home, no QUIC),
 * running as root (so no sandbox), and a small /dev/shm in containers.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
}

/**
 * A fresh context (own cookies) for one test. The app's Content-Security-Policy stays enforced,
 * so a test fails if the app's own scripts lose their nonce; axe is evaluated through the
 * DevTools protocol, which CSP does not govern.
 */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London' })
}

const scriptless = new WeakSet<BrowserContext>()

/** A context with JavaScript off: every button is a plain form POST and a full page load. */
export async function noScriptContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB', timezoneId: 'Europe/London' })
  scriptless.add(context)
  return context
}

/**
 * The page's HTML once it has all arrived. Pages stream in: read too early, the top of a page is
 * there without the rest, so a check that something is absent would pass on half a page.
 */
export async function loadedContent(page: Page): Promise<string> {
  await page.waitForLoadState('load')
  return page.content()
}

/**
 * Waits until React has hydrated the page (root.tsx marks <html data-hydrated> in an effect), so
 * a click goes through the router rather than a full page load.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' })
}

/**
 * Follows a link in the error summary, as a person does once the page has settled. With
 * JavaScript, GOV.UK Frontend first moves focus to the summary, which scrolls the page to it: the
 * link is clicked after that, not while the page still moves (a click then can wait in vain for
 * the link to be stable). Without JavaScript the summary is there when the page has loaded.
 */
export async function followErrorSummaryLink(page: Page, name: string): Promise<void> {
  const summary = page.locator('.govuk-error-summary')
  await summary.waitFor()
  // the page's first inline script marks the body when scripts run
  const scripts = await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported'))
  if (scripts) {
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary') ?? false))
      .toBe(true)
  } else {
    await page.waitForLoadState('load')
  }
  const link = summary.getByRole('link', { name, exact: true })
  await link.scrollIntoViewIfNeeded()
  await link.click()
}

/**
 * Signs a member of staff in as a person does: opens `to`, is sent to the sign-in page (which
 * remembers where they were going), fills it in, enters a code from their authenticator app
 * (computed from `totpSecret`, or the secret remembered for them) or, if they must set up
 * two-factor and have not, sets it up from the page, and lands back on `to`. With `to` the
 * sign-in page itself, signs in from there and waits to be anywhere else.
 */
export async function signInAsStaff(
  page: Page,
  baseUrl: string,
  staff: { email: string; password: string; totpSecret?: string },
  to = '/staff',
): Promise<void> {
  const target = new URL(to, baseUrl)
  const direct = target.pathname === '/staff/sign-in'
  await page.goto(target.href)
  await page.waitForURL((url) => url.pathname === '/staff/sign-in')
  if (!direct) expect(new URL(page.url()).searchParams.get('redirectTo')).toBe(target.pathname + target.search)
  await page.getByLabel('Email address', { exact: true }).fill(staff.email)
  await page.getByLabel('Password', { exact: true }).fill(staff.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  const arrived = (url: URL) => (direct ? url.pathname !== '/staff/sign-in' : url.pathname === target.pathname)
  await page.waitForURL(
    (url) => url.searchParams.get('step') === 'code' || url.pathname === '/staff/two-factor' || arrived(url),
  )
  const now = new URL(page.url())
  if (now.searchParams.get('step') === 'code') {
    const secret = staff.totpSecret ?? knownSecret(baseUrl, staff.email)
    if (!secret) throw new Error(`no TOTP secret known for ${staff.email}`)
    await page.getByLabel('Security code', { exact: true }).fill(await nextCode(baseUrl, staff.email, secret))
    await page.getByRole('button', { name: 'Continue' }).click()
  } else if (now.pathname === '/staff/two-factor') {
    // The address changes before the page does when scripts run: wait for the key itself.
    await page.getByText('Your setup key:').waitFor()
    const secret = secretFromPage(await page.content())
    await page.getByLabel('Code from your app', { exact: true }).fill(await nextCode(baseUrl, staff.email, secret))
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click()
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor()
    rememberSecret(baseUrl, staff.email, secret)
    await page.getByRole('button', { name: 'Continue' }).click()
  }
  await page.waitForURL(arrived)
}

const COUNCIL_LABEL = 'Which council area do you live in?'

/**
 * The searchable council field that replaces the native select once JavaScript has loaded
 * accessible-autocomplete. Both are comboboxes with the same name, so this waits for the text
 * input itself: typing into the select while it is being swapped out would race.
 */
export async function councilSearch(page: Page): Promise<Locator> {
  const input = page.locator('input[role="combobox"]').and(page.getByLabel(COUNCIL_LABEL, { exact: true }))
  await input.waitFor()
  return input
}

/** Chooses a council: from the native select without JavaScript, by typing and picking with it. */
export async function chooseCouncil(page: Page, name: string): Promise<void> {
  if (scriptless.has(page.context())) {
    await page.getByLabel(COUNCIL_LABEL, { exact: true }).selectOption({ label: name })
    return
  }
  const input = await councilSearch(page)
  await input.fill(name.slice(0, 4))
  await page.getByRole('option', { name, exact: true }).click()
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
/**
 * Best-practice rules checked as well: every piece of content in a landmark (axe's `region`), so
 * a screen reader's landmark list reaches all of it (the phase banner sat outside every one).
 */
const BEST_PRACTICE_RULES = ['region']

/**
 * GOV.UK Frontend's one known axe finding, kept on purpose: its script puts aria-expanded on a
 * radio that reveals a question, which ARIA 1.2 does not list for radios but screen readers
 * announce, and GDS's research with users keeps it (alphagov/govuk-frontend#979). Only that
 * attribute, on such a radio, is let through; anything else on the element still fails.
 */
function isGovukConditionalRadioExpanded(node: Result['nodes'][number]): boolean {
  const messages = [...node.any, ...node.all, ...node.none].map((check) => check.message)
  return (
    /^<input class="govuk-radios__input"[^>]* type="radio"[^>]* aria-controls="conditional-/.test(node.html) &&
    messages.length > 0 &&
    messages.every((message) => /^ARIA attribute is not allowed: aria-expanded="(true|false)"$/.test(message))
  )
}

function withoutKnownGovukFindings(violations: Result[]): Result[] {
  return violations
    .map((v) =>
      v.id === 'aria-allowed-attr' ? { ...v, nodes: v.nodes.filter((n) => !isGovukConditionalRadioExpanded(n)) } : v,
    )
    .filter((v) => v.nodes.length > 0)
}

/** Runs axe-core on the page as it is now and returns what it found against WCAG 2.2 A and AA, and the best-practice rules above. */
export async function checkAccessibility(
  page: Page,
  {
    landmarks = true,
  }: { /** false for an email's HTML, which has no page landmarks to be in */ landmarks?: boolean } = {},
): Promise<Result[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined')
  if (!loaded) await page.evaluate(axe.source)
  // one run at a time: axe refuses a second while one is going
  const [wcag, bestPractice] = await page.evaluate(
    async ([tags, rules]) => {
      const { axe: running } = window as unknown as { axe: typeof axe }
      const byTag = await running.run(document, { runOnly: { type: 'tag', values: tags } })
      const byRule = rules.length ? await running.run(document, { runOnly: { type: 'rule', values: rules } }) : null
      return [byTag, byRule] as [AxeResults, AxeResults | null]
    },
    [WCAG_TAGS, landmarks ? BEST_PRACTICE_RULES : []] as const,
  )
  return withoutKnownGovukFindings([...wcag.violations, ...(bestPractice?.violations ?? [])])
}

/** Violations as readable text for an assertion message: rule, impact, help link and each element. */
export function formatViolations(violations: Result[]): string {
  if (violations.length === 0) return 'no accessibility violations'
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map(
          (n) =>
            `    - ${n.target.join(' ')}\n      ${n.html}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`,
        )
        .join('\n')
      return `[${v.impact ?? 'unknown'}] ${v.id}: ${v.help}\n  ${v.helpUrl}\n${nodes}`
    })
    .join('\n\n')
}

/** Fails the test at once if axe finds anything on the page as it is now. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await checkAccessibility(page)
  expect(violations, `${where}: ${formatViolations(violations)}`).toEqual([])
}

export interface AccessibilityAudit {
  /** runs axe on the page as it is now and keeps what it finds under this name */
  check(page: Page, name: string): Promise<void>
  /** fails the test with every page's findings together, if there were any */
  expectNone(): void
}

/** Checks page after page and reports them all at the end, so one run shows every problem. */
export function accessibilityAudit(): AccessibilityAudit {
  const problems: string[] = []
  return {
    async check(page, name) {
      const violations = await checkAccessibility(page)
      if (violations.length) problems.push(`${name}\n${formatViolations(violations)}`)
    },
    expectNone() {
      expect(problems, problems.join('\n\n')).toEqual([])
    },
  }
}
