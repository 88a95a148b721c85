// PostgreSQL only: the quarterly report reads a quarter's sessions and places through its indexes,
// never by reading the whole of a big table. SQLite's counterpart is its speed in `npm run bench`
// (its planner is not asked here: it has one plan per query and the bench shows it is fast).
//
// Honest plans: the planner is free to choose, with no enable_seqscan = off. The database holds
// three financial years (6,000 sessions, 120,000 places, a quarter being a twelfth of them), filled
// in a few INSERT … SELECT statements, then VACUUM ANALYZE: the statistics and visibility map
// autovacuum would have by then. At that size a plan that reads every place costs the planner far
// more than the index, as it does in life; on a near-empty table a Seq Scan would be right and
// prove nothing. The queries EXPLAINed are exactly the ones computeReport sends (caught by Kysely's
// log), with their parameters. The control drops the indexes the report relies on (inside a
// transaction that is rolled back) and the same check must then complain.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { quarterPeriod } from '../../app/domain/quarters'
import { computeReport } from '../../app/domain/reports.server'
import { openDatabase, type PostgresDatabase } from '../../db/index'
import { seedReferenceData } from '../../db/migrate'
import type { Database } from '../../db/schema'
import { dropDatabaseUrl, freshDatabaseUrl, onPostgres } from '../support/database'

const ACTIVITIES = 6000
const PLACES_PER_ACTIVITY = 20
const MEMBERS = 600
/**
 * The tables that grow with every booking: read only through an index. Not asserted: member (one
 * row per young person) and feedback (one per answer, ~14,000 rows here), which the planner may
 * rightly read whole into a hash when that is cheaper than one index probe per session; at a
 * million places `npm run bench` shows feedback read through feedback_activity.
 */
const BIG_TABLES = ['activity', 'place', 'booking']
/** place and activity: every column the report reads is in an index, so the heap is not visited. */
const INDEX_ONLY_TABLES = ['activity', 'place']

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  Plans?: PlanNode[]
}

interface Scan {
  node: string
  relation: string
  index: string | null
}

function scansOf(plan: PlanNode): Scan[] {
  const here: Scan[] = plan['Relation Name']
    ? [{ node: plan['Node Type'], relation: plan['Relation Name'], index: plan['Index Name'] ?? null }]
    : []
  return [...here, ...(plan.Plans ?? []).flatMap(scansOf)]
}

/** What is wrong with a query's plan, in words; empty when it reads big tables through indexes only. */
function problemsOf(sqlText: string, scans: Scan[]): string[] {
  const problems: string[] = []
  for (const scan of scans) {
    if (BIG_TABLES.includes(scan.relation) && scan.node === 'Seq Scan')
      problems.push(`Seq Scan on ${scan.relation} in: ${sqlText.slice(0, 120)}`)
    // The one exception: the returning-families check looks up the session of each of a family's
    // earlier places by primary key (one row each), which reads that row, not a range of the heap.
    const sessionById = scan.relation === 'activity' && scan.node === 'Index Scan' && scan.index === 'activity_pkey'
    if (INDEX_ONLY_TABLES.includes(scan.relation) && scan.node !== 'Index Only Scan' && !sessionById)
      problems.push(`${scan.node} on ${scan.relation} (not index-only) in: ${sqlText.slice(0, 120)}`)
  }
  return problems
}

/** Three financial years, 2023-04-01 to 2026-03-31, spread evenly over the sessions in id order. */
async function fill(client: pg.PoolClient): Promise<void> {
  const now = new Date().toISOString()
  const places = ACTIVITIES * PLACES_PER_ACTIVITY
  await client.query(
    `insert into activity (id, kind, title, category, description, starts_at, ends_at, capacity, min_age, max_age,
       location_type, join_url, booking_closes_at, status, sequence, created_at, updated_at)
     select g, case when g % 7 = 0 then 'adoptables' else 'activity' end, 'Plan session ' || g, 'Science experiments',
       'Plan test session.', s, e, 30, 0, 19, 'online', 'https://teams.microsoft.com/l/meetup-join/plan', s,
       case when g % 25 = 0 then 'cancelled' else 'published' end, 0, $2, $2
     from generate_series(1, $1::int) g,
       lateral (select timestamp '2023-04-01 10:00' + (g - 1) * (interval '1095 days' / $1::int) as at) t,
       lateral (select to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"') as s,
                       to_char(at + interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"') as e) u`,
    [ACTIVITIES, now],
  )
  await client.query(
    `insert into member (id, first_name, date_of_birth, email, member_key, authority_code, status, access_token_hash,
       created_at, updated_at)
     select g, 'Young', '2010-06-15', 'm' || g || '@example.org', 'm' || g || '|2010-06-15',
       (select code from authority order by code offset (g % 20) limit 1), 'active', 'hash-' || g, $2, $2
     from generate_series(1, $1::int) g`,
    [MEMBERS, now],
  )
  // One child per booking; a session's places near each other in the table (booked around the
  // same time), as they arrive in life; adoptables bookings are a member's.
  await client.query(
    `insert into booking (id, reference, activity_id, contact_name, email, authority_code, manage_token_hash,
       idempotency_key, mailing_list_opt_in, invite_sequence, member_id, created_at, updated_at)
     select g, 'P' || g, a, 'Plan Parent', 'p' || g || '@example.org',
       (select code from authority order by code offset (g % 30) limit 1), 'plan-hash', 'plan-' || g, 0, 0,
       case when a % 7 = 0 then 1 + g % $3::int end, $2, $2
     from generate_series(1, $1::int) g, lateral (select 1 + (g - 1) / ${PLACES_PER_ACTIVITY} as a) t`,
    [places, now, MEMBERS],
  )
  await client.query(
    `insert into place (id, booking_id, activity_id, first_name, date_of_birth, child_key, age_on_day, status,
       attended, created_at, updated_at, school_year, authority_code, child_id, family_id)
     select b.id, b.id, b.activity_id, 'Child', '2015-06-15', 'c' || b.id, 5 + b.id % 14,
       case when b.id % 20 < 17 then 'confirmed' when b.id % 20 < 19 then 'waitlisted' else 'cancelled' end,
       case when b.id % 20 < 17 and b.id % 3 > 0 then (b.id % 5 > 0)::int end, $1, $1, b.id % 14, b.authority_code,
       -- children on virtual activities (~4 places each, spread over the three years), two to a family
       case when b.activity_id % 7 > 0 then c.child end, case when b.activity_id % 7 > 0 then 1 + c.child / 2 end
     from booking b, lateral (select 1 + (b.id * 7919) % 30000 as child) c`,
    [now],
  )
  await client.query(
    `insert into feedback (place_id, activity_id, score, created_at)
     select id, activity_id, 1 + id % 5, $1 from place where attended = 1 and id % 4 = 0`,
    [now],
  )
  for (const table of ['activity', 'member', 'booking', 'place'])
    await client.query(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`)
  await client.query('vacuum analyze')
}

describe.runIf(onPostgres)('the quarterly report on PostgreSQL (EXPLAIN over three years of places)', () => {
  let dir: string
  let url: string
  let database: PostgresDatabase
  /** every query computeReport sent, for both age cuts */
  const queries: CompiledQuery[] = []

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-report-plan-'))
    url = await freshDatabaseUrl(dir)
    const opened = openDatabase(url)
    if (opened.kind !== 'postgres') throw new Error('this test runs on PostgreSQL only')
    database = opened
    await seedReferenceData(database.db)
    const client = await database.pool.connect()
    try {
      await fill(client)
    } finally {
      client.release()
    }
    const logging = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: database.pool }),
      log: (event) => {
        if (event.level === 'query') queries.push(event.query)
      },
    })
    const period = quarterPeriod('2025-26', 3)
    const report = await computeReport(logging, period, { cut: 'age-band' })
    await computeReport(logging, period, { cut: 'school-year' })
    // The data are there: a quarter is about a twelfth of 6,000 sessions.
    expect(report.activities.held + report.adoptables.meetingsHeld).toBeGreaterThan(400)
    expect(report.activities.spacesBooked).toBeGreaterThan(7000)
    expect(report.feedback.reduce((n, f) => n + f.responses, 0)).toBeGreaterThan(1000)
    expect(report.adoptables.distinctYoungPeople).toBeGreaterThan(100)
    expect(report.reach.children).toBeGreaterThan(3000)
    expect(report.reach.returningFamilies).toBeGreaterThan(1000)
    expect(report.registers.activities + report.waitingList[0]!.places).toBeGreaterThan(400)
  }, 120_000)

  afterAll(async () => {
    await database?.db.destroy()
    if (url) await dropDatabaseUrl(url)
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  async function plans(client: pg.PoolClient): Promise<Array<{ sql: string; scans: Scan[] }>> {
    const out: Array<{ sql: string; scans: Scan[] }> = []
    for (const query of queries) {
      const result = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        `explain (format json) ${query.sql}`,
        query.parameters as unknown[],
      )
      out.push({ sql: query.sql, scans: scansOf(result.rows[0]!['QUERY PLAN'][0]!.Plan) })
    }
    return out
  }

  it('reads sessions and places through covering indexes, with no Seq Scan on a big table', async () => {
    const client = await database.pool.connect()
    try {
      const explained = await plans(client)
      // Every query that reads places is there (spaces, registers, waiting list, adoptables).
      expect(explained.filter((q) => q.scans.some((s) => s.relation === 'place')).length).toBeGreaterThanOrEqual(4)
      expect(explained.flatMap((q) => problemsOf(q.sql, q.scans))).toEqual([])
      const indexes = new Set(explained.flatMap((q) => q.scans.map((s) => `${s.relation}.${s.index}`)))
      expect(indexes).toContain('activity.activity_report')
      expect(indexes).toContain('place.place_report')
    } finally {
      client.release()
    }
  })

  it('control: without its indexes the same check finds the report reading whole tables or the heap', async () => {
    const client = await database.pool.connect()
    try {
      await client.query('begin')
      await client.query('drop index activity_report')
      await client.query('drop index place_report')
      // holds activity_report's columns too (and the category, series and title): the participation figures
      await client.query('drop index activity_participation')
      const explained = await plans(client)
      const problems = explained.flatMap((q) => problemsOf(q.sql, q.scans))
      expect(problems.some((p) => / on place /.test(p))).toBe(true)
      expect(problems.some((p) => / on activity /.test(p))).toBe(true)
    } finally {
      await client.query('rollback')
      client.release()
    }
  })
})
