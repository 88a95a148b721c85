// `npm run demo`'s data, made into a temporary file or a new PostgreSQL database when the suite
// runs on PostgreSQL (DEMO_SEED_ONLY=1 stops before the server starts): past sessions with their registers taken, feedback given, and last quarter's report
// with figures in it, so a newcomer sees every page filled.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type OpenedDatabase } from '../../db/index'
import { dropDatabaseUrl, freshDatabaseUrl } from '../support/database'

const root = path.resolve(import.meta.dirname, '../..')
let dir: string
let url: string
let database: OpenedDatabase | undefined

async function one<T>(query: ReturnType<typeof sql<T>>): Promise<T> {
  return (await query.execute(database!.db)).rows[0]!
}

/** The London financial quarter before the one today is in (April first), as [from, to) UTC instants. */
function lastQuarter(): { from: string; to: string } {
  const [year, month] = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
  })
    .format(new Date())
    .split('-')
    .map(Number) as [number, number]
  // the quarters start in January, April, July and October: this one's first month, then the one before
  const thisStart = month - ((month - 1) % 3)
  const start = thisStart === 1 ? { year: year - 1, month: 10 } : { year, month: thisStart - 3 }
  const iso = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01`
  return { from: iso(start.year, start.month), to: iso(year, thisStart) }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-demo-'))
  url = await freshDatabaseUrl(dir, { name: 'demo.sqlite', empty: true })
  await promisify(execFile)('npx', ['tsx', 'scripts/demo.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, DEMO_SEED_ONLY: '1' },
    timeout: 240_000,
  })
  database = openDatabase(url)
}, 250_000)

afterAll(async () => {
  await database?.db.destroy()
  if (url) await dropDatabaseUrl(url)
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('the demo data', () => {
  it('has past sessions with their registers taken', async () => {
    const now = new Date().toISOString()
    const { sessions, marked, attended } = await one<{ sessions: number; marked: number; attended: number }>(
      sql`select count(distinct a.id) as sessions, count(p.id) as marked, sum(p.attended) as attended
           from activity a join place p on p.activity_id = a.id
          where a.starts_at < ${now} and a.status = 'published' and p.status = 'confirmed' and p.attended is not null`,
    )
    expect(sessions).toBeGreaterThanOrEqual(10)
    expect(attended).toBeGreaterThan(0)
    // some did not come: a register, not everyone ticked
    expect(marked).toBeGreaterThan(attended)
  })

  it('has feedback answers on past sessions, some with comments', async () => {
    const { answers, comments } = await one<{ answers: number; comments: number }>(
      sql`select count(*) as answers, count(f.comment) as comments
           from feedback f join activity a on a.id = f.activity_id where a.starts_at < ${new Date().toISOString()}`,
    )
    expect(answers).toBeGreaterThan(0)
    expect(comments).toBeGreaterThan(0)
  })

  it("gives last quarter's report non-zero figures: sessions, spaces booked and attended, young people, feedback", async () => {
    const { from, to } = lastQuarter()
    // London midnight of the first days, as the report's quarter does (an hour either way is no matter here)
    const within = async (kind: string, attendedOnly: boolean) =>
      (
        await one<{ n: number }>(
          sql`select count(*) as n from activity a join place p on p.activity_id = a.id
              where a.kind = ${kind} and a.status = 'published' and p.status = 'confirmed'
                and a.starts_at >= ${from} and a.starts_at < ${to} ${attendedOnly ? sql`and p.attended = 1` : sql``}`,
        )
      ).n
    expect(await within('activity', false), `spaces booked ${from} to ${to}`).toBeGreaterThan(0)
    expect(await within('activity', true), 'spaces attended').toBeGreaterThan(0)
    expect(await within('adoptables', true), 'young people at meetings').toBeGreaterThan(0)
    const feedback = await one<{ n: number }>(
      sql`select count(*) as n from feedback f join activity a on a.id = f.activity_id
          where a.starts_at >= ${from} and a.starts_at < ${to}`,
    )
    expect(feedback.n, 'feedback').toBeGreaterThan(0)
  })
})
