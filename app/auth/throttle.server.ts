// Slows down repeated sign-in failures, per account and per IP address, in the database so the
// limit holds across restarts and across processes on one file.
import type { DB } from '../../db/index'

const WINDOW_MS = 15 * 60_000
const LIMITS = { account: 5, ip: 20 }
const MAX_BLOCK_MS = 15 * 60_000

export type ThrottleKind = keyof typeof LIMITS

export function throttleKey(kind: ThrottleKind, value: string): string {
  return `${kind}:${value.toLowerCase()}`
}

/** The time until which sign-in is refused for any of these keys, or null. */
export async function blockedUntil(db: DB, keys: string[], now = new Date()): Promise<Date | null> {
  const rows = await db
    .selectFrom('sign_in_throttle')
    .select('blocked_until')
    .where('key', 'in', keys)
    .where('blocked_until', '>', now.toISOString())
    .execute()
  const times = rows.map((r) => new Date(r.blocked_until!).getTime())
  return times.length ? new Date(Math.max(...times)) : null
}

/** Counts a failure; past the limit each further failure doubles the wait, up to 15 minutes. */
export async function recordFailure(db: DB, kind: ThrottleKind, value: string, now = new Date()): Promise<void> {
  const key = throttleKey(kind, value)
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst()
    const windowExpired = !row || now.getTime() - new Date(row.window_started_at).getTime() > WINDOW_MS
    const failures = windowExpired ? 1 : row.failures + 1
    const over = failures - LIMITS[kind]
    const blocked =
      over >= 0 ? new Date(now.getTime() + Math.min(MAX_BLOCK_MS, 1000 * 2 ** Math.min(over + 2, 20))) : null
    await trx
      .insertInto('sign_in_throttle')
      .values({
        key,
        failures,
        window_started_at: windowExpired ? now.toISOString() : row.window_started_at,
        blocked_until: blocked?.toISOString() ?? null,
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures,
          window_started_at: windowExpired ? now.toISOString() : row!.window_started_at,
          blocked_until: blocked?.toISOString() ?? null,
        }),
      )
      .execute()
  })
}

export async function clearFailures(db: DB, kind: ThrottleKind, value: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', throttleKey(kind, value)).execute()
}
