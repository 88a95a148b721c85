// Reminders: one email per booking with a confirmed place the day before the session, and a
// second on the day, `second_reminder_hours` before the start (0: no second one). Each carries
// "Can't come? Release your place" (place-release.server.ts). The dedupe keys send each once.
import type { DB } from '../../db/index'
import type { Activity } from '../../db/schema'
import { liveBookings, queueBookingEmail } from './booking-emails.server'
import type { Links } from './links'
import { newReleaseLink } from './place-release.server'
import { getNumberSetting } from './settings.server'

const HOUR = 60 * 60_000

async function sessionsStartingWithin(db: DB, now: Date, hours: number): Promise<Activity[]> {
  return db
    .selectFrom('activity')
    .selectAll()
    .where('status', '=', 'published')
    .where('starts_at', '>', now.toISOString())
    .where('starts_at', '<=', new Date(now.getTime() + hours * HOUR).toISOString())
    .execute()
}

/**
 * Reminders for sessions starting within the next 24 hours, and the second reminder for those
 * starting within `second_reminder_hours`. A booking already inside the second reminder's hours
 * when its first would go (booked late, or the service was down) gets only the second one.
 */
export async function enqueueDueReminders(db: DB, links: Links, now = new Date()): Promise<number> {
  const secondHours = await getNumberSetting(db, 'second_reminder_hours')
  const secondFrom = (activity: Activity) => new Date(activity.starts_at).getTime() - secondHours * HOUR
  let queued = 0
  for (const activity of await sessionsStartingWithin(db, now, 24)) {
    const onTheDay = secondHours > 0 && now.getTime() >= secondFrom(activity)
    queued += await remind(db, links, activity, onTheDay ? 'reminder-today' : 'reminder')
  }
  return queued
}

async function remind(db: DB, links: Links, activity: Activity, kind: 'reminder' | 'reminder-today'): Promise<number> {
  let queued = 0
  await db.transaction().execute(async (trx) => {
    for (const { booking, places } of await liveBookings(trx, activity.id)) {
      if (!places.some((p) => p.status === 'confirmed')) continue
      const release = newReleaseLink(links)
      const dedupeKey =
        kind === 'reminder'
          ? `reminder:booking:${booking.id}:starts:${activity.starts_at}`
          : `reminder-today:booking:${booking.id}:starts:${activity.starts_at}`
      // counted only when queued now: a reminder already queued (an earlier run, another instance) is not
      const added = await queueBookingEmail(trx, kind, {
        activity,
        booking,
        places,
        links,
        releaseUrl: release.url,
        dedupeKey,
      })
      if (added) {
        await release.keep(trx, booking.id)
        queued += 1
      }
    }
  })
  return queued
}
