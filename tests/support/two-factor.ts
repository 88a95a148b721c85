// Two-factor sign-in for tests, as a phone would do it: codes computed here with otpauth from the
// account's secret. A code works once (the server remembers the last 30-second step used), so
// the codes given out are tracked per database and account, and a fourth sign-in within about 30
// seconds waits for the next step rather than being refused. Steps are tracked by the database the
// service at an address uses (registerDatabase), so a restarted service or a second instance on
// the same database (a new address) is never offered a step already used, while services on
// databases of their own (each with its own staff1@example.org) never wait for one another. Secrets
// are kept the same way: a restarted service on the same database knows its accounts' secrets.
import { Secret, TOTP } from 'otpauth'

const STEP_MS = 30_000
type Clock = () => Date
/** the real clock: pass this (not another `() => new Date()`) so steps are tracked together */
export const realClock: Clock = () => new Date()
/** per clock (the real one, or a test's injected one), the last step given out per database and email */
const lastSteps = new WeakMap<Clock, Map<string, number>>()
const secrets = new Map<string, string>()
/** the database (its URL) of each test service, by the service's address */
const databases = new Map<string, string>()

/** Says which database the service at `baseUrl` uses: accounts are that database's. */
export function registerDatabase(baseUrl: string, databaseUrl: string): void {
  databases.set(baseUrl, databaseUrl)
}

/** An account: its database (or, for an address no service registered, the address) and email. */
function key(baseUrl: string, email: string): string {
  return `${databases.get(baseUrl) ?? baseUrl}|${email.toLowerCase()}`
}

export function codeFor(secret: string, step: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: step * STEP_MS })
}

/** Remembers an account's secret (learnt from the set-up page), for its later sign-ins. */
export function rememberSecret(baseUrl: string, email: string, secret: string): void {
  secrets.set(key(baseUrl, email), secret)
}

export function knownSecret(baseUrl: string, email: string): string | undefined {
  return secrets.get(key(baseUrl, email))
}

/** The secret in a set-up page's otpauth:// link. */
export function secretFromPage(html: string): string {
  const secret = /otpauth:\/\/totp\/[^<"]*?secret=([A-Z2-7]+)/.exec(html)?.[1]
  if (!secret) throw new Error('no otpauth:// link with a secret in the page')
  return secret
}

/**
 * A code the server will accept once: a step after the last one given out, within its window, at
 * the time of the clock the service checks codes against (`now`, the service's injected clock, or
 * the real one). A frozen test clock has no later step to wait for: asking again too often throws.
 */
export async function nextCode(
  baseUrl: string,
  email: string,
  secret: string,
  now: Clock = realClock,
): Promise<string> {
  // An address no service registered shares its steps with every other such address.
  const k = `${databases.get(baseUrl) ?? ''}|${email.toLowerCase()}`
  let lastStep = lastSteps.get(now)
  if (!lastStep) lastSteps.set(now, (lastStep = new Map()))
  for (;;) {
    const at = now().getTime()
    const current = Math.floor(at / STEP_MS)
    // The step before is still accepted for a while; not near its end, in case the request is slow.
    const earliest = at % STEP_MS < 20_000 ? current - 1 : current
    const step = Math.max((lastStep.get(k) ?? -Infinity) + 1, earliest)
    if (step <= current + 1) {
      lastStep.set(k, step)
      return codeFor(secret, step)
    }
    if (now !== realClock)
      throw new Error(`no unused two-factor code for ${email} at the test clock's time: move the clock on`)
    await new Promise((resolve) => setTimeout(resolve, (step - 1) * STEP_MS + 100 - at))
  }
}
