// A fixed-window limit per key (usually a form and an IP address) for public forms, counted in the
// database so that several app instances behind a load balancer share one count (in memory, N
// instances allowed N times the limit). Each request is one upsert that increments and returns
// the count (no read-then-write), safe with any number of processes on either database; windows
// that have ended are swept now and then.
import { sql } from 'kysely'
import type { DB } from '../../db/index'

/** How often one process deletes ended windows: a sweep is one indexed delete. */
const SWEEP_EVERY_MS = 10 * 60_000
let lastSweep = 0

/** Counts this request against `key` and says whether it is within `limit` requests per `windowMs`. */
export async function allow(db: DB, key: string, limit: number, windowMs: number, now = new Date()): Promise<boolean> {
  const at = now.toISOString()
  const ends = new Date(now.getTime() + windowMs).toISOString()
  const ended = sql<boolean>`rate_limit.window_ends_at <= ${at}`
  const row = await db
    .insertInto('rate_limit')
    .values({ key, hits: 1, window_started_at: at, window_ends_at: ends })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when ${ended} then 1 else rate_limit.hits + 1 end`,
        window_started_at: sql<string>`case when ${ended} then ${at} else rate_limit.window_started_at end`,
        window_ends_at: sql<string>`case when ${ended} then ${ends} else rate_limit.window_ends_at end`,
      }),
    )
    .returning('hits')
    .executeTakeFirstOrThrow()
  if (now.getTime() - lastSweep > SWEEP_EVERY_MS) {
    lastSweep = now.getTime()
    await sweepRateLimits(db, now)
  }
  return Number(row.hits) <= limit
}

/** Deletes every window that has ended; returns how many. */
export async function sweepRateLimits(db: DB, now = new Date()): Promise<number> {
  const result = await db.deleteFrom('rate_limit').where('window_ends_at', '<=', now.toISOString()).executeTakeFirst()
  return Number(result.numDeletedRows)
}
