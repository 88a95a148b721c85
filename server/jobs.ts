// Scheduled work inside the server process, every few minutes: each job finds what is due and
// does it once. Every job is idempotent (the outbox's dedupe key, or a state change it checks), so
// a restart, a late run or a second process is harmless. A failing job is logged and the others
// still run.
import { enqueueDueReminders } from '../app/domain/reminders.server'
import type { Links } from '../app/domain/links'
import { enqueueDueFeedbackRequests } from '../app/domain/feedback-requests.server'
import { enqueueBookingOptIns } from '../app/domain/mailing-list.server'
import { forgetOldMailingListEntries } from '../app/domain/mailing-list-erasure.server'
import { runDailyRetention } from '../app/domain/retention.server'
import type { DB } from '../db/index'

export interface JobContext {
  db: DB
  links: Links
  now: Date
}

export interface Job {
  /** for the log: "reminders", "feedback requests", "retention" … */
  name: string
  /** does what is due; returns a line for the log when it did something, otherwise null */
  run(context: JobContext): Promise<string | null>
}

/** Every scheduled job, in the order they run. Add a job here. */
export const JOBS: readonly Job[] = [
  {
    name: 'reminders',
    async run({ db, links, now }) {
      const queued = await enqueueDueReminders(db, links, now)
      return queued ? `Queued ${queued} reminder emails.` : null
    },
  },
  {
    name: 'retention',
    async run({ db, now }) {
      const erased = await runDailyRetention(db, now)
      return erased && (erased.bookings || erased.members || erased.emails)
        ? `Retention: erased the details of ${erased.bookings} bookings (${erased.places} places) and ${erased.members} young people; deleted ${erased.emails} old emails.`
        : null
    },
  },
  {
    name: 'feedback requests',
    async run({ db, links, now }) {
      const queued = await enqueueDueFeedbackRequests(db, links, now)
      return queued ? `Queued ${queued} feedback request emails.` : null
    },
  },
  {
    name: 'mailing list',
    async run({ db, links, now }) {
      const sent = await enqueueBookingOptIns(db, links, now)
      const forgotten = await forgetOldMailingListEntries(db, now)
      const lines = [
        sent ? `Asked ${sent} people who ticked the booking form's box to confirm joining the mailing list.` : '',
        forgotten ? `Forgot ${forgotten} mailing-list addresses that never confirmed or left long ago.` : '',
      ].filter(Boolean)
      return lines.length ? lines.join(' ') : null
    },
  },
]

export interface Jobs {
  runOnce(): Promise<void>
  stop(): Promise<void>
}

export function startJobs(options: {
  db: DB
  links: Links
  everyMs: number
  log: (line: string) => void
  afterRun?: () => void
  jobs?: readonly Job[]
  /** the clock the jobs see; tests pass one they can move instead of waiting for days to pass */
  now?: () => Date
}): Jobs {
  const jobs = options.jobs ?? JOBS
  const now = options.now ?? (() => new Date())
  let running: Promise<void> | null = null
  const runOnce = async () => {
    if (running) return running
    running = (async () => {
      try {
        for (const job of jobs) {
          try {
            const line = await job.run({ db: options.db, links: options.links, now: now() })
            if (line) options.log(line)
          } catch (error) {
            options.log(`The ${job.name} job failed: ${error instanceof Error ? error.message : String(error)}`)
          }
        }
        options.afterRun?.()
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
