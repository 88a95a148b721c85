// A series booked in one step against the same places booked one at a time: 10 dates × 3
// children through bookSeries() (one transaction, one email) against 30 single book() calls (one
// child on one date each, each its own transaction and email), for known families on a fresh
// database (SQLite file or PostgreSQL database, as DATABASE_URL says: scripts/bench-db.ts).
// Target: the series at least 0.5× the speed (places per second) of the singles. Median of rounds
// that alternate the two, each round with a new family so no child is booked twice.
//
//   npx tsx scripts/bench-series.ts            (BENCH_SERIES_ROUNDS=15 by default)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createActivities } from '../app/domain/activities.server'
import { parseActivityForm } from '../app/domain/activity-form'
import { childKey } from '../app/domain/booking-form'
import { book } from '../app/domain/bookings.server'
import type { Links } from '../app/domain/links'
import { bookSeries } from '../app/domain/series-bookings.server'
import { openDatabase, type DB } from '../db/index'
import { migrateToLatest, seedReferenceData } from '../db/migrate'
import { BENCH_DATABASE, benchDatabaseUrl, dropBenchDatabase } from './bench-db'

const ROUNDS = Number(process.env.BENCH_SERIES_ROUNDS ?? 15)
const DATES = 10
const CHILDREN = 3
export const SERIES_TARGET = 0.5
const LINKS: Links = { baseUrl: 'http://localhost:3000', domain: 'localhost' }

export interface SeriesBenchResult {
  database: string
  seriesMs: number
  singlesMs: number
  /** singles' time ÷ the series' time: the series' speed as a multiple of the singles' */
  ratio: number
  pass: boolean
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

let families = 0
async function newFamily(db: DB): Promise<{ familyId: number; childIds: number[] }> {
  families += 1
  const stamp = new Date().toISOString()
  const family = await db
    .insertInto('family')
    .values({
      email: `bench-series-${families}@example.org`,
      contact_name: 'Bench Parent',
      phone: null,
      emergency_phone: null,
      authority_code: 'E10000016',
      confirmed_at: stamp,
      approved_at: stamp,
      feed_token_hash: null,
      created_at: stamp,
      updated_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const childIds: number[] = []
  for (let i = 0; i < CHILDREN; i++) {
    const firstName = `Child${i}`
    const dob = new Date(Date.now() - (7 + i) * 365.25 * 86_400_000).toISOString().slice(0, 10)
    const child = await db
      .insertInto('child')
      .values({
        family_id: family.id,
        first_name: firstName,
        date_of_birth: dob,
        match_key: childKey(firstName, dob),
        support_needs: null,
        consent_photos: null,
        consent_photos_at: null,
        consent_name_visible: null,
        consent_name_visible_at: null,
        consent_camera: null,
        consent_camera_at: null,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    childIds.push(child.id)
  }
  return { familyId: family.id, childIds }
}

export async function runSeriesBench(): Promise<SeriesBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-bench-series-'))
  const url = await benchDatabaseUrl(dir, 'series')
  const opened = openDatabase(url)
  const { db } = opened
  try {
    await migrateToLatest(db)
    await seedReferenceData(db)
    const start = new Date(Date.now() + 30 * 86_400_000)
    const parsed = parseActivityForm({
      kind: 'activity',
      title: 'Benchmark series',
      category: 'Science experiments',
      description: 'Benchmark series.',
      'date-day': String(start.getUTCDate()),
      'date-month': String(start.getUTCMonth() + 1),
      'date-year': String(start.getUTCFullYear()),
      startTime: '16:00',
      endTime: '17:00',
      capacity: '20',
      minAge: '5',
      maxAge: '11',
      locationType: 'online',
      joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_BENCH%40thread.v2/0',
      venue: '',
      repeat: 'weekly',
      sessions: String(DATES),
    })
    if (!parsed.ok) throw new Error(`series form did not parse: ${JSON.stringify(parsed.errors)}`)
    // capacity beyond the form's limit, so every round's places are confirmed
    const created = await createActivities(
      db,
      { ...parsed.value, capacity: 100_000 },
      { publish: true, createdBy: null },
    )
    if (created.status !== 'created' || created.seriesId === null) throw new Error('series not created')
    const { ids, seriesId } = created

    const seriesTimes: number[] = []
    const singleTimes: number[] = []
    for (let round = 0; round < ROUNDS + 1; round++) {
      const [a, b] = [await newFamily(db), await newFamily(db)]
      let began = performance.now()
      const result = await bookSeries(
        db,
        {
          seriesId,
          activityIds: ids,
          party: { kind: 'family', familyId: a.familyId, childIds: a.childIds },
          idempotencyKey: `bench-series-${round}-${a.familyId}`,
        },
        LINKS,
        { maxChildren: 6 },
      )
      const seriesMs = performance.now() - began
      if (result.status !== 'booked' || result.bookings.length !== DATES) throw new Error(`series: ${result.status}`)
      began = performance.now()
      for (const activityId of ids) {
        for (const childId of b.childIds) {
          const single = await book(
            db,
            {
              activityId,
              familyId: b.familyId,
              childIds: [childId],
              idempotencyKey: `bench-single-${round}-${activityId}-${childId}`,
              acceptWaitlist: true,
            },
            LINKS,
            { maxChildren: 6 },
          )
          if (single.status !== 'booked') throw new Error(`single: ${single.status}`)
        }
      }
      const singlesMs = performance.now() - began
      // the first round warms the statement caches of both paths
      if (round > 0) {
        seriesTimes.push(seriesMs)
        singleTimes.push(singlesMs)
      }
    }
    const seriesMs = median(seriesTimes)
    const singlesMs = median(singleTimes)
    const ratio = singlesMs / seriesMs
    return { database: BENCH_DATABASE, seriesMs, singlesMs, ratio, pass: ratio >= SERIES_TARGET }
  } finally {
    await db.destroy()
    await dropBenchDatabase(url)
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export function printSeriesBench(result: SeriesBenchResult): void {
  console.log(
    `\nSeries booked in one step (${DATES} dates × ${CHILDREN} children), ${result.database}, median of ${ROUNDS}:`,
  )
  console.log(
    `  series (one transaction, one email):   ${result.seriesMs.toFixed(1)} ms for ${DATES * CHILDREN} places`,
  )
  console.log(
    `  30 single bookings (one child each):   ${result.singlesMs.toFixed(1)} ms for ${DATES * CHILDREN} places`,
  )
  console.log(
    `  series speed ÷ singles' speed: ${result.ratio.toFixed(2)}× (target ≥ ${SERIES_TARGET}×) ${result.pass ? 'met' : 'MISSED'}`,
  )
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  runSeriesBench()
    .then(printSeriesBench)
    .catch((error: unknown) => {
      console.error(error)
      process.exitCode = 1
    })
}
