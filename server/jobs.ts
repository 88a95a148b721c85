// Scheduled work inside the server process, every few minutes: each job finds what is due and
// does it once. Every job is idempotent (the outbox's dedupe key, or a state change it checks), so
// a restart, a late run or a second process is harmless. A failing job is logged and the others
// still run.
import { enqueueDueReminders, type Links } from '../app/domain/bookings.server'
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
    async run({ db, links }) {
      const queued = await enqueueDueReminders(db, links)
      return queued ? `Queued ${queued} reminder emails.` : null
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
}): Jobs {
  const jobs = options.jobs ?? JOBS
  let running: Promise<void> | null = null
  const runOnce = async () => {
    if (running) return running
    running = (async () => {
      try {
        for (const job of jobs) {
          try {
            const line = await job.run({ db: options.db, links: options.links, now: new Date() })
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
