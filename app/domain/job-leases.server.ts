// Which app instance runs a scheduled job now. Several instances share one database and each runs
// the job loop (server/jobs.ts); before a job, an instance claims its lease with one statement (an
// upsert that takes the row only when it is free or its lease has expired, returning it), holds it
// while the job runs (renewing it, so a long run keeps it), and releases it after. An instance
// that dies mid-run leaves a lease that expires on its own.
import crypto from 'node:crypto'
import os from 'node:os'
import { sql } from 'kysely'
import type { DB } from '../../db/index'

/** How long a claim lasts unless renewed: far longer than any job's run between renewals. */
export const JOB_LEASE_MS = 10 * 60_000

/** A name for this process's claims: host, process id and a random part (two loops in one process differ). */
export function newLeaseHolder(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`
}

/** Claims the job's lease for `holder` until now + JOB_LEASE_MS; false when another holder has it. */
export async function claimJobLease(db: DB, job: string, holder: string, now: Date): Promise<boolean> {
  const at = now.toISOString()
  const expiresAt = new Date(now.getTime() + JOB_LEASE_MS).toISOString()
  const claimed = await db
    .insertInto('job_lease')
    .values({ job, holder, claimed_at: at, expires_at: expiresAt, released_at: null })
    .onConflict((oc) =>
      oc
        .column('job')
        .doUpdateSet({ holder, claimed_at: at, expires_at: expiresAt, released_at: null })
        .where((eb) => eb.or([eb('job_lease.holder', 'is', null), eb('job_lease.expires_at', '<=', at)])),
    )
    .returning('job')
    .executeTakeFirst()
  return claimed !== undefined
}

/** Extends a lease this holder still has; false when it has lost it (expired and claimed by another). */
export async function renewJobLease(db: DB, job: string, holder: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('job_lease')
    .set({ expires_at: new Date(now.getTime() + JOB_LEASE_MS).toISOString() })
    .where('job', '=', job)
    .where('holder', '=', holder)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function releaseJobLease(db: DB, job: string, holder: string, now: Date): Promise<void> {
  await db
    .updateTable('job_lease')
    .set({ holder: null, released_at: now.toISOString(), expires_at: sql<string>`claimed_at` })
    .where('job', '=', job)
    .where('holder', '=', holder)
    .execute()
}
