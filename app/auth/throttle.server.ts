// Sign-in limits (OWASP ASVS 5.0 V6.3.1), in the database so they hold across restarts and across
// processes on one file. Three counts, each for an hour from its first attempt:
//
// - the account: every wrong password or code, and every refused attempt, from anywhere. After 5
//   the next attempt waits 1 minute, and each further attempt doubles the wait, up to 15 minutes
//   after the last one, so someone who waits as told gets about 10 guesses an hour and someone who
//   keeps posting gets fewer.
// - the address: the same from one IP address at any account, allowing 20 (an office shares one).
// - the account's guesses: wrong passwords and codes actually checked. At 100 the account waits for
//   the hour to end whatever the address: the ceiling for guessing from many addresses.
//
// A stranger's attempts must not keep the real person out (ASVS: no lock-out as denial of
// service), so the account's wait applies only to addresses that have failed or been refused in
// the last hour: from anywhere else the right password still works. An administrator can lift an
// account's limits (unlockAccount).
//
// Each attempt is counted by one upsert that increments (no read-then-write), and each wait is
// worked out here from the count and the last attempt, so the SQL is the same on PostgreSQL.
import { sql } from 'kysely'
import type { DB } from '../../db/index'

const WINDOW_MS = 60 * 60_000

interface Rule {
  /** attempts in the window before any wait */
  free: number
  /** the wait after the attempt that uses up the free ones; it doubles with each one after */
  firstWaitMs: number
  maxWaitMs: number
}

const RULES = {
  account: { free: 5, firstWaitMs: 60_000, maxWaitMs: 15 * 60_000 },
  ip: { free: 20, firstWaitMs: 60_000, maxWaitMs: 15 * 60_000 },
} satisfies Record<string, Rule>

/** Wrong passwords and codes one account can be sent in an hour, from all addresses together. */
export const MAX_GUESSES_PER_HOUR = 100

export type ThrottleKind = keyof typeof RULES | 'guesses'

export function throttleKey(kind: ThrottleKind, value: string): string {
  return `${kind}:${value.toLowerCase()}`
}

interface Count {
  key: string
  attempts: number
  window_started_at: string
  last_attempt_at: string
}

function current(count: Count | undefined, now: Date): Count | undefined {
  if (!count) return undefined
  return now.getTime() - new Date(count.window_started_at).getTime() >= WINDOW_MS ? undefined : count
}

/** When the wait set by this count ends, or null when there is none now. */
function waitEnds(count: Count | undefined, rule: Rule, now: Date): Date | null {
  const live = current(count, now)
  if (!live || live.attempts < rule.free) return null
  const wait = Math.min(rule.maxWaitMs, rule.firstWaitMs * 2 ** Math.min(live.attempts - rule.free, 30))
  const ends = new Date(new Date(live.last_attempt_at).getTime() + wait)
  return ends > now ? ends : null
}

function ceilingEnds(count: Count | undefined, now: Date): Date | null {
  const live = current(count, now)
  if (!live || live.attempts < MAX_GUESSES_PER_HOUR) return null
  return new Date(new Date(live.window_started_at).getTime() + WINDOW_MS)
}

function latest(...times: (Date | null)[]): Date | null {
  const set = times.filter((t): t is Date => t !== null)
  return set.length ? new Date(Math.max(...set.map((t) => t.getTime()))) : null
}

/** Counts one attempt at this key: a single statement, safe with any number of processes. */
async function count(db: DB, key: string, now: Date): Promise<Count> {
  const at = now.toISOString()
  const windowOpenedAfter = new Date(now.getTime() - WINDOW_MS).toISOString()
  const expired = sql<boolean>`sign_in_throttle.window_started_at <= ${windowOpenedAfter}`
  return db
    .insertInto('sign_in_throttle')
    .values({ key, attempts: 1, window_started_at: at, last_attempt_at: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        attempts: sql<number>`case when ${expired} then 1 else sign_in_throttle.attempts + 1 end`,
        window_started_at: sql<string>`case when ${expired} then ${at} else sign_in_throttle.window_started_at end`,
        last_attempt_at: at,
      }),
    )
    .returning(['key', 'attempts', 'window_started_at', 'last_attempt_at'])
    .executeTakeFirstOrThrow()
}

async function counts(db: DB, email: string, ip: string): Promise<Record<ThrottleKind, Count | undefined>> {
  const keys = {
    account: throttleKey('account', email),
    ip: throttleKey('ip', ip),
    guesses: throttleKey('guesses', email),
  }
  const rows = await db.selectFrom('sign_in_throttle').selectAll().where('key', 'in', Object.values(keys)).execute()
  const byKey = new Map(rows.map((r) => [r.key, r]))
  return { account: byKey.get(keys.account), ip: byKey.get(keys.ip), guesses: byKey.get(keys.guesses) }
}

/**
 * Whether this address may try a password (or code) for this account now. When it may not, the
 * refusal is counted (so hammering lengthens the wait) and the time the wait now ends is returned.
 */
export async function signInRefusedUntil(db: DB, email: string, ip: string, now: Date): Promise<Date | null> {
  const before = await counts(db, email, ip)
  // "No recent failures": nothing failed or refused from this address in the last hour.
  const addressClean = !current(before.ip, now)
  const refused = latest(
    waitEnds(before.ip, RULES.ip, now),
    ceilingEnds(before.guesses, now),
    addressClean ? null : waitEnds(before.account, RULES.account, now),
  )
  if (!refused) return null
  const account = await count(db, throttleKey('account', email), now)
  const address = await count(db, throttleKey('ip', ip), now)
  // This address has now been refused, so the account's wait applies to it too.
  return latest(
    refused,
    waitEnds(address, RULES.ip, now),
    waitEnds(account, RULES.account, now),
    ceilingEnds(before.guesses, now),
  )
}

/** Counts a wrong password or code for this account from this address. */
export async function countFailedGuess(db: DB, email: string, ip: string, now: Date): Promise<void> {
  await count(db, throttleKey('account', email), now)
  await count(db, throttleKey('ip', ip), now)
  await count(db, throttleKey('guesses', email), now)
}

/**
 * After a successful sign-in the account's waits start again (its guesses this hour still count
 * towards the ceiling, and the address keeps its own count, or signing in to one's own account
 * would reset the count between guesses at someone else's).
 */
export async function clearAccountWaits(db: DB, email: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', throttleKey('account', email)).execute()
}

export interface AccountLock {
  /** when the account's wait ends for addresses that have failed recently */
  until: Date
  /** attempts at the account counted this hour, refused ones included */
  attempts: number
  /** the hour's ceiling of guesses is reached: every address waits */
  everywhere: boolean
}

/** Whether this account's sign-in is paused, for its administrator's page. */
export async function accountLock(db: DB, email: string, now: Date): Promise<AccountLock | null> {
  const rows = await db
    .selectFrom('sign_in_throttle')
    .selectAll()
    .where('key', 'in', [throttleKey('account', email), throttleKey('guesses', email)])
    .execute()
  const account = rows.find((r) => r.key === throttleKey('account', email))
  const guesses = rows.find((r) => r.key === throttleKey('guesses', email))
  const ceiling = ceilingEnds(guesses, now)
  const until = latest(waitEnds(account, RULES.account, now), ceiling)
  if (!until) return null
  return { until, attempts: current(account, now)?.attempts ?? 0, everywhere: ceiling !== null }
}

/** An administrator's unlock: the account's waits and its hour of guesses are forgotten. */
export async function unlockAccount(db: DB, email: string): Promise<void> {
  await db
    .deleteFrom('sign_in_throttle')
    .where('key', 'in', [throttleKey('account', email), throttleKey('guesses', email)])
    .execute()
}

// ---- the earlier interface, kept for callers that count one key at a time ----

/** The time until which any of these keys is waiting, or null. */
export async function blockedUntil(db: DB, keys: string[], now = new Date()): Promise<Date | null> {
  const rows = await db.selectFrom('sign_in_throttle').selectAll().where('key', 'in', keys).execute()
  return latest(
    ...rows.map((row) =>
      row.key.startsWith('guesses:')
        ? ceilingEnds(row, now)
        : waitEnds(row, row.key.startsWith('ip:') ? RULES.ip : RULES.account, now),
    ),
  )
}

/** Counts a failure against one key. */
export async function recordFailure(db: DB, kind: ThrottleKind, value: string, now = new Date()): Promise<void> {
  await count(db, throttleKey(kind, value), now)
}

export async function clearFailures(db: DB, kind: ThrottleKind, value: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', throttleKey(kind, value)).execute()
}
