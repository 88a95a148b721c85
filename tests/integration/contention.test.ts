// Capacity under contention beyond one process, and a cancellation racing bookings from other
// processes. Each real run has a control that must fail (pretix's pattern): the same processes on
// Kysely's stock SQLite dialect, whose deferred BEGIN lets a second process turn a booking into
// SQLITE_BUSY, so a pass proves the app's immediate driver is what holds capacity.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { book } from '../../app/domain/bookings.server'
import { confirmHeldBooking, dobForAge, placeCounts, publishActivity } from '../support/booking'
import type { ProcessJob, ProcessOutcome } from '../support/book-from-process'
import { startTestService, type TestService } from '../support/service'
import { onPostgres, sqliteOf } from '../support/database'

const root = path.resolve(import.meta.dirname, '../..')
const worker = path.resolve(import.meta.dirname, '../support/book-from-process.ts')

/**
 * Starts one process per job, waits until every one has opened the database and said "ready",
 * then tells them all "go" at once: the writes overlap instead of following process start-up.
 */
async function runProcesses(jobs: ProcessJob[]): Promise<ProcessOutcome[]> {
  const children = jobs.map((job) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, JSON.stringify(job)], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    let stdout = ''
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8')
        if (stdout.startsWith('ready\n')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`process ${job.worker} exited with ${code} before it was ready`)))
    })
    const done = new Promise<ProcessOutcome>((resolve, reject) => {
      child.once('exit', (code) => {
        if (code !== 0) return reject(new Error(`process ${job.worker} exited with ${code}`))
        resolve(JSON.parse(stdout.slice('ready\n'.length)) as ProcessOutcome)
      })
    })
    return { child, ready, done }
  })
  await Promise.all(children.map((c) => c.ready))
  for (const c of children) c.child.stdin.end('go\n')
  return Promise.all(children.map((c) => c.done))
}

const sum = (outcomes: ProcessOutcome[], status: string) =>
  outcomes.reduce((total, p) => total + (p.outcomes[status] ?? 0), 0)

// Both races are of processes sharing one SQLite file and its write lock; on PostgreSQL the same
// races, across two app instances with row locks, are contention-postgres.test.ts.
describe.skipIf(onPostgres)('capacity under contention from several processes on one SQLite file', () => {
  let service: TestService
  beforeAll(async () => {
    service = await startTestService()
  })
  afterAll(async () => {
    await service?.close()
  })

  const fourProcesses = (activityId: number, driver: ProcessJob['driver']): ProcessJob[] =>
    [1, 2, 3, 4].map((n) => ({
      file: sqliteOf(service.database).file,
      activityId,
      worker: `${driver}-${n}`,
      count: 50,
      dob: dobForAge(8),
      driver,
    }))

  it('gives exactly 20 places (held for new families) when 4 processes book 50 each on one file, with no SQLITE_BUSY', async () => {
    const activityId = await publishActivity(service, { capacity: '20', title: 'Four processes' })
    const outcomes = await runProcesses(fourProcesses(activityId, 'immediate'))
    expect(outcomes.flatMap((p) => p.errors)).toEqual([])
    expect(sum(outcomes, 'booked')).toBe(200)
    expect(await placeCounts(service, activityId)).toEqual({ confirmed: 0, held: 20, waitlisted: 180, cancelled: 0 })
  })

  it('fails in the control run on Kysely’s stock dialect (deferred BEGIN): SQLITE_BUSY or overbooking', async () => {
    const activityId = await publishActivity(service, { capacity: '20', title: 'Four processes, deferred' })
    const outcomes = await runProcesses(fourProcesses(activityId, 'deferred'))
    const errors = outcomes.flatMap((p) => p.errors)
    const counts = await placeCounts(service, activityId)
    // Either failure proves the harness can fail; on these machines it is SQLITE_BUSY every run.
    const busy = errors.filter((e) => /database is locked|SQLITE_BUSY/i.test(e))
    const taken = (counts.confirmed ?? 0) + (counts.held ?? 0)
    expect(busy.length > 0 || taken > 20, `${errors.length} errors, ${taken} held or confirmed`).toBe(true)
    // and nothing else went wrong: every attempt either booked or hit the lock
    expect(errors.length - busy.length).toBe(0)
    expect(sum(outcomes, 'booked') + errors.length).toBe(200)
  })
})

describe.skipIf(onPostgres)('a cancellation racing bookings from other processes on one SQLite file', () => {
  let service: TestService
  beforeAll(async () => {
    service = await startTestService()
  })
  afterAll(async () => {
    await service?.close()
  })

  /** One space, held; one family waiting for it. */
  async function heldWithOneWaiting(title: string) {
    const activityId = await publishActivity(service, { capacity: '1', title })
    const links = { baseUrl: service.url, domain: 'test.invalid' }
    const request = (name: string) => ({
      activityId,
      contactName: 'Racer',
      email: `${name.toLowerCase()}@example.org`,
      phone: null,
      authorityCode: 'E10000016',
      children: [{ firstName: name, dateOfBirth: dobForAge(8), supportNeeds: null }],
      mailingListOptIn: false,
      idempotencyKey: `race-${activityId}-${name}`,
      acceptWaitlist: true,
    })
    const holder = await book(service.database.db, request('Holder'), links, { maxChildren: 6 })
    if (holder.status !== 'booked' || holder.held.length !== 1) throw new Error(JSON.stringify(holder))
    const waiting = await book(service.database.db, request('Waiting'), links, { maxChildren: 6 })
    if (waiting.status !== 'booked' || waiting.waitlisted.length !== 1) throw new Error(JSON.stringify(waiting))
    // both families confirm their addresses; the racers' bookings stay held, so their waiting
    // places are passed over and the freed space can only go to Waiting
    const proved = await confirmHeldBooking(service.database.db, holder.reference, links)
    await confirmHeldBooking(service.database.db, waiting.reference, links)
    // confirming ended the form page's token: the holder cancels with its email's link
    return { activityId, cancel: { reference: holder.reference, token: proved.manageToken! } }
  }

  const raceJobs = (
    activityId: number,
    cancel: { reference: string; token: string },
    driver: ProcessJob['driver'],
  ): ProcessJob[] =>
    [1, 2, 3, 4].map((n) => ({
      file: sqliteOf(service.database).file,
      activityId,
      worker: `race-${driver}-${n}`,
      count: 15,
      dob: dobForAge(8),
      driver,
      // the second process cancels the holder's place while all four book
      ...(n === 2 ? { cancel } : {}),
    }))

  it('never goes above capacity, and the freed space goes once, to the first on the waiting list', async () => {
    const { activityId, cancel } = await heldWithOneWaiting('Race for one')
    const outcomes = await runProcesses(raceJobs(activityId, cancel, 'immediate'))
    expect(outcomes.flatMap((p) => p.errors)).toEqual([])
    expect(outcomes.map((p) => p.cancelled).filter(Boolean)).toEqual(['cancelled'])
    expect(sum(outcomes, 'booked')).toBe(60)
    expect(await placeCounts(service, activityId)).toEqual({ confirmed: 1, waitlisted: 60, cancelled: 1 })
    const confirmed = await service.database.db
      .selectFrom('place')
      .select('first_name')
      .where('activity_id', '=', activityId)
      .where('status', '=', 'confirmed')
      .execute()
    expect(confirmed).toEqual([{ first_name: 'Waiting' }])
  })

  it('fails in the control run on Kysely’s stock dialect: the same race gives SQLITE_BUSY', async () => {
    const { activityId, cancel } = await heldWithOneWaiting('Race for one, deferred')
    const outcomes = await runProcesses(raceJobs(activityId, cancel, 'deferred'))
    const errors = outcomes.flatMap((p) => p.errors)
    const counts = await placeCounts(service, activityId)
    expect(
      errors.some((e) => /database is locked|SQLITE_BUSY/i.test(e)) || (counts.confirmed ?? 0) + (counts.held ?? 0) > 1,
      `${errors.length} errors, ${counts.confirmed} confirmed, ${counts.held} held`,
    ).toBe(true)
  })
})
