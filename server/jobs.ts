// Scheduled work inside the server process: reminders 24 hours before each session.
// Each run is idempotent (the outbox's dedupe key), so a restart or a second process is harmless.
import { enqueueDueReminders, type Links } from '../app/domain/bookings.server'
import type { DB } from '../db/index'

export interface Jobs {
  runOnce(): Promise<void>
  stop(): Promise<void>
}

export function startJobs(options: { db: DB; links: Links; everyMs: number; log: (line: string) => void; afterRun?: () => void }): Jobs {
  let running: Promise<void> | null = null
  const runOnce = async () => {
    if (running) return running
    running = (async () => {
      try {
        const queued = await enqueueDueReminders(options.db, options.links)
        if (queued) options.log(`Queued ${queued} reminder emails.`)
        options.afterRun?.()
      } catch (error) {
        options.log(`Reminder job failed: ${error instanceof Error ? error.message : String(error)}`)
      } finally {
        running = null
      }
    })()
    return running
  }
  const timer = setInterval(() => void runOnce(), options.everyMs)
  timer.unref()
  void runOnce()
  return {
    runOnce,
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
