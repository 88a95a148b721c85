// Capacity under contention beyond one process, and a cancellation racing a booking.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { book } from '../../app/domain/bookings.server'
import { cancelPlaces } from '../../app/domain/cancellations.server'
import { dobForAge, placeCounts, publishActivity } from '../support/booking'
import { startTestService, type TestService } from '../support/service'

const run = promisify(execFile)
const worker = path.resolve(import.meta.dirname, '../support/book-from-process.ts')

describe('capacity under contention', () => {
  let service: TestService
  beforeAll(async () => {
    service = await startTestService()
  })
  afterAll(async () => {
    await service?.close()
  })

  it('confirms exactly 20 when 4 processes book 50 each on one file, with no SQLITE_BUSY', async () => {
    const activityId = await publishActivity(service, { capacity: '20', title: 'Four processes' })
    const file = path.join(service.dir, 'join-in.sqlite')
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        run(process.execPath, ['--import', 'tsx', worker, file, String(activityId), String(n), '50', dobForAge(8)], {
          cwd: path.resolve(import.meta.dirname, '../..'),
          timeout: 120_000,
        }),
      ),
    )
    const parsed = results.map((r) => JSON.parse(r.stdout) as { outcomes: Record<string, number>; errors: string[] })
    expect(parsed.flatMap((p) => p.errors)).toEqual([])
    expect(parsed.reduce((sum, p) => sum + (p.outcomes.booked ?? 0), 0)).toBe(200)
    const counts = await placeCounts(service, activityId)
    expect(counts.confirmed).toBe(20)
    expect(counts.waitlisted).toBe(180)
  })

  it('never goes above capacity when a cancellation and new bookings race for the freed space', async () => {
    const activityId = await publishActivity(service, { capacity: '1', title: 'Race for one' })
    const links = { baseUrl: service.url, domain: 'test.invalid' }
    const request = (i: number) => ({
      activityId,
      contactName: 'Racer',
      email: `race${i}@example.org`,
      phone: null,
      authorityCode: 'E10000016',
      children: [{ firstName: `Race${i}`, dateOfBirth: dobForAge(8), supportNeeds: null }],
      mailingListOptIn: false,
      idempotencyKey: `race-${activityId}-${i}`,
      acceptWaitlist: true,
    })
    const holder = await book(service.database.db, request(0), links, { maxChildren: 6 })
    if (holder.status !== 'booked') throw new Error(holder.status)
    const waiting = await book(service.database.db, request(1), links, { maxChildren: 6 })
    expect(waiting.status).toBe('booked')
    await Promise.all([
      cancelPlaces(service.database.db, holder.reference, holder.manageToken, 'all', links),
      ...Array.from({ length: 10 }, (_, i) => book(service.database.db, request(i + 2), links, { maxChildren: 6 })),
    ])
    const counts = await placeCounts(service, activityId)
    expect(counts.confirmed).toBe(1)
    expect(counts.cancelled).toBe(1)
    // the freed space went to the first on the waiting list, once
    const confirmed = await service.database.db
      .selectFrom('place')
      .select('first_name')
      .where('activity_id', '=', activityId)
      .where('status', '=', 'confirmed')
      .execute()
    expect(confirmed).toEqual([{ first_name: 'Race1' }])
  })
})
