// Scheduled work inside the server process, every few minutes: each job finds what is due and
// does it once. With several instances on one database each runs this loop, and each job runs
// under a lease (app/domain/job-leases.server.ts): one instance runs it at a time, the others skip
// it this round. Every job is idempotent too (the outbox's dedupe key, or a state change it
// checks), so a restart, a late run or a run just after another instance's is harmless. A failing
// job is logged and the others still run.
import { bookings, releaseExpiredHolds } from '../app/domain/holds.server'
import { enqueueDueReminders } from '../app/domain/reminders.server'
import type { Links } from '../app/domain/links'
import { enqueueDueFeedbackRequests } from '../app/domain/feedback-requests.server'
import { enqueueBookingOptIns } from '../app/domain/mailing-list.server'
import { forgetOldMailingListEntries } from '../app/domain/mailing-list-erasure.server'
import { runDailyRetention } from '../app/domain/retention.server'
import {
  claimJobLease,
  JOB_LEASE_MS,
  newLeaseHolder,
  releaseJobLease,
  renewJobLease,
} from '../app/domain/job-leases.server'
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
    // first, so a space it frees is offered before the reminders go out
    name: 'held places',
    async run({ db, links, now }) {
      const released = await releaseExpiredHolds(db, links, now)
      return released ? `Released the held places of ${bookings(released)} whose hold ran out.` : null
    },
  },
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
  /** the clock the jobs (and their leases) see; tests pass one they can move instead of waiting for days to pass */
  now?: () => Date
  /** false only in the tests' control, to show what the lease prevents: every instance runs every job */
  withLease?: boolean
}): Jobs {
  const jobs = options.jobs ?? JOBS
  const now = options.now ?? (() => new Date())
  const { db } = options
  const holder = newLeaseHolder()
  const withLease = options.withLease ?? true
  let running: Promise<void> | null = null
  const runJob = async (job: Job) => {
    const line = await job.run({ db, links: options.links, now: now() })
    if (line) options.log(line)
  }
  const runUnderLease = async (job: Job) => {
    if (!(await claimJobLease(db, job.name, holder, now()))) return
    // a long run keeps its lease
    const renewing = setInterval(
      () => void renewJobLease(db, job.name, holder, now()).catch(() => {}),
      JOB_LEASE_MS / 3,
    )
    renewing.unref()
    try {
      await runJob(job)
    } finally {
      clearInterval(renewing)
      await releaseJobLease(db, job.name, holder, now())
    }
  }
  const runOnce = async () => {
    if (running) return running
    running = (async () => {
      try {
        for (const job of jobs) {
          try {
            await (withLease ? runUnderLease(job) : runJob(job))
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
