// Reminders: one email per booking with a confirmed place, the day before the session.
import type { DB } from '../../db/index'
import { liveBookings, queueBookingEmail } from './booking-emails.server'
import type { Links } from './links'

/** Reminders for sessions starting within the next 24 hours; the dedupe key sends each once. */
export async function enqueueDueReminders(db: DB, links: Links, now = new Date()): Promise<number> {
  const soon = new Date(now.getTime() + 24 * 60 * 60_000).toISOString()
  const activities = await db
    .selectFrom('activity')
    .selectAll()
    .where('status', '=', 'published')
    .where('starts_at', '>', now.toISOString())
    .where('starts_at', '<=', soon)
    .execute()
  let queued = 0
  for (const activity of activities) {
    await db.transaction().execute(async (trx) => {
      for (const { booking, places } of await liveBookings(trx, activity.id)) {
        if (!places.some((p) => p.status === 'confirmed')) continue
        // counted only when queued now: a reminder already queued (an earlier run, another instance) is not
        const added = await queueBookingEmail(trx, 'reminder', {
          activity,
          booking,
          places,
          links,
          dedupeKey: `reminder:booking:${booking.id}:starts:${activity.starts_at}`,
        })
        if (added) queued += 1
      }
    })
  }
  return queued
}
