// The report's participation figures at 1M places (attendance and no-shows where a register was
// taken, series retention, waiting lists that stayed, share of known children): how long their
// queries take beside the whole quarterly report, on SQLite or PostgreSQL (DATABASE_URL, as
// scripts/bench-reports.ts). The database is the reports bench's (seed/freshFile: three financial
// years, ~20 places a session, 85% confirmed with 70% marked attended and 15% not, 10%
// waitlisted), plus what that seed leaves out: sessions in weekly series of eight (two blocks of
// sessions in three), categories, and known adopted children for every authority with children.
//
//   npx tsx scripts/bench-attendance.ts                      (SQLite, 1,000,000 places)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx scripts/bench-attendance.ts
//   BENCH_ATTENDANCE_PLACES=100000 npx tsx scripts/bench-attendance.ts
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { sql } from 'kysely'
import {
  attendanceByAuthority,
  attendanceBySession,
  demandByCategory,
  participationFigures,
  seriesSessions,
} from '../app/domain/attendance-report.server'
import { ACTIVITY_CATEGORIES } from '../app/domain/categories'
import { quarterPeriod } from '../app/domain/quarters'
import { computeReport } from '../app/domain/reports.server'
import { openDatabase, type DB } from '../db/index'
import { BENCH_DATABASE, BENCH_ON_POSTGRES, dropAllBenchDatabases, dropBenchDatabase } from './bench-db'
import { freshFile, seed } from './bench-reports'

const PLACES = Number(process.env.BENCH_ATTENDANCE_PLACES ?? 1_000_000)
const RUNS = 9
const SERIES_LENGTH = 8
const TARGET_REPORT_MS = 100
const QUARTER = quarterPeriod('2025-26', 3)
/** after the quarter: every session in it has started, so every waiting list left has stayed */
const NOW = new Date('2026-01-15T12:00:00Z')

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** Weekly series of eight sessions (two blocks in three), categories, known children: the seed's extras. */
export async function addSeriesAndCategories(db: DB): Promise<{ series: number }> {
  const { n } = await db
    .selectFrom('activity')
    .select((eb) => eb.fn.max('id').as('n'))
    .executeTakeFirstOrThrow()
  const blocks = Math.ceil(Number(n) / SERIES_LENGTH)
  const ids = Array.from({ length: blocks }, (_, i) => i + 1).filter((b) => b % 3 !== 0)
  const stamp = new Date().toISOString()
  for (let i = 0; i < ids.length; i += 1000) {
    await db
      .insertInto('series')
      .values(
        ids.slice(i, i + 1000).map((id) => ({ id, frequency: 'weekly', sessions: SERIES_LENGTH, created_at: stamp })),
      )
      .execute()
  }
  // ids are in start order: block b is sessions (b - 1) * 8 + 1 to b * 8
  await sql`update activity set series_id = (id - 1) / ${sql.lit(SERIES_LENGTH)} + 1
    where ((id - 1) / ${sql.lit(SERIES_LENGTH)} + 1) % 3 <> 0`.execute(db)
  const categories = ACTIVITY_CATEGORIES.filter((c) => c !== 'Adoptables meeting')
  await sql`update activity set category = case
    when kind = 'adoptables' then 'Adoptables meeting'
    ${sql.join(
      categories.map(
        (c, i) =>
          sql`when ((id - 1) / ${sql.lit(SERIES_LENGTH)}) % ${sql.lit(categories.length)} = ${sql.lit(i)} then ${sql.lit(c)}`,
      ),
      sql` `,
    )}
    else 'Other' end`.execute(db)
  const authorities = await db.selectFrom('authority').select('code').execute()
  for (const year of ['2024-25', '2025-26']) {
    await db
      .insertInto('known_adopted_children')
      .values(
        authorities.map((a, i) => ({
          authority_code: a.code,
          financial_year: year,
          children: 200 + ((i * 37) % 900),
          updated_by: null,
          updated_at: stamp,
        })),
      )
      .execute()
  }
  // What autovacuum would have done by then: on PostgreSQL the updates above leave every session's
  // row version new, and an index-only scan reads the table until VACUUM marks the pages visible.
  if (BENCH_ON_POSTGRES) await sql`vacuum analyze activity`.execute(db)
  await sql`analyze`.execute(db)
  return { series: ids.length }
}

async function time(work: () => Promise<unknown>): Promise<number[]> {
  await work()
  const runs: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    await work()
    runs.push(performance.now() - t0)
  }
  return runs
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-bench-attendance-'))
  try {
    console.log(`Participation figures on ${BENCH_DATABASE}: seeding ${PLACES.toLocaleString('en-GB')} places…`)
    const t0 = performance.now()
    const url = await freshFile(dir, `attendance-${PLACES}`)
    await seed(url, PLACES)
    const database = openDatabase(url)
    try {
      const { series } = await addSeriesAndCategories(database.db)
      console.log(
        `  seeded in ${fmt((performance.now() - t0) / 1000)} s; ${series.toLocaleString('en-GB')} series of ${SERIES_LENGTH}`,
      )
      const db = database.db
      const report = await computeReport(db, QUARTER, { cut: 'age-band', now: NOW })
      const p = report.participation
      console.log(
        `  ${QUARTER.label}: ${p.attendance.sessionsWithRegister.toLocaleString('en-GB')} of ${p.attendance.sessionsHeld.toLocaleString('en-GB')} sessions with a register, ` +
          `${p.attendance.total.places.toLocaleString('en-GB')} places (${p.attendance.total.attended.toLocaleString('en-GB')} attended, ${p.attendance.total.noShows.toLocaleString('en-GB')} no-shows); ` +
          `${p.seriesRetention.length} series; ${p.demand.places.toLocaleString('en-GB')} places stayed waiting; ` +
          `known children for ${p.knownChildren.rows.length} authorities`,
      )
      const { firstIds } = await seriesSessions(db, QUARTER)
      const rows: Array<[string, number[]]> = [
        ['series sessions', await time(() => seriesSessions(db, QUARTER))],
        ['attendance by session (+ retention)', await time(() => attendanceBySession(db, QUARTER, firstIds))],
        ['attendance by authority', await time(() => attendanceByAuthority(db, QUARTER))],
        ['waiting lists that stayed', await time(() => demandByCategory(db, QUARTER, NOW))],
        [
          'participation figures, all',
          await time(async () =>
            (await participationFigures(db, QUARTER, NOW))({
              sessionsHeld: 0,
              childrenByAuthority: report.reach.byAuthority,
            }),
          ),
        ],
        [
          'whole quarterly report (with them)',
          await time(() => computeReport(db, QUARTER, { cut: 'age-band', now: NOW })),
        ],
      ]
      console.log(`\n  median of ${RUNS} after a warm-up (ms)`)
      for (const [label, runs] of rows) {
        console.log(
          `  ${label.padEnd(36)} ${fmt(median(runs)).padStart(8)}   (min ${fmt(Math.min(...runs))}, max ${fmt(Math.max(...runs))})`,
        )
      }
      const whole = median(rows[rows.length - 1]![1])
      console.log(
        `\n  target: whole report over ${PLACES.toLocaleString('en-GB')} places < ${TARGET_REPORT_MS} ms: ${whole < TARGET_REPORT_MS ? 'met' : 'MISSED'} (${fmt(whole)} ms)`,
      )
    } finally {
      await database.db.destroy()
      await dropBenchDatabase(url)
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
    if (BENCH_ON_POSTGRES) await dropAllBenchDatabases()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
