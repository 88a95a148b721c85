// npm run backup: a consistent copy taken while bookings arrive, that the service can be restored
// from, with old backups pruned. It copies a SQLite file, so those tests run on SQLite only (on
// PostgreSQL backups are pg_dump and point-in-time recovery, outside the app); with a postgres://
// DATABASE_URL it must say so, which is checked on both.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { startTestService, type TestService } from '../support/service'
import { onPostgres, sqliteOf } from '../support/database'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')

let service: TestService

/** What `npm run backup -- …` runs: the compiled backup (build/node/backup.js) through scripts/run.js. */
async function npmBackup(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ['scripts/run.js', 'backup', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: env.DATABASE_URL ?? sqliteOf(service.database).file, ...env },
  })
}

// SQLite only: it copies the service's SQLite file (on PostgreSQL the service has none to copy).
describe.skipIf(onPostgres)('npm run backup (SQLite only: it copies the SQLite file)', () => {
  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
  })
  afterAll(async () => {
    await service?.close()
  })

  it('copies the live database while bookings arrive, and the service starts from the copy', async () => {
    const activity = await publishActivity(service, { capacity: '200', title: 'Backup bingo' })
    const before = service.client()
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await confirmBooking(before, activity, [{ firstName: `Early${i}`, dob: dobForAge(8) }], {
            email: `early${i}@example.org`,
          })
        ).status,
      ).toBe(302)
    }
    const dir = path.join(service.dir, 'backups')

    // Bookings keep arriving during the copy.
    let during = 0
    let copying = true
    const traffic = (async () => {
      const client = service.client()
      while (copying) {
        const r = await confirmBooking(client, activity, [{ firstName: `During${during}`, dob: dobForAge(9) }], {
          email: `during${during}@example.org`,
        })
        if (r.status === 302) during++
      }
    })()
    const { stdout } = await npmBackup(['--dir', dir])
    copying = false
    await traffic

    const files = fs.readdirSync(dir)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^join-in-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.sqlite$/)
    const file = path.join(dir, files[0]!)
    expect(stdout).toContain(`to ${file}`)

    // One consistent moment: every booking in the copy has its place, no more, no fewer than 5 + some of those during.
    const copy = new BetterSqlite3(file, { readonly: true })
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete')
      const bookings = (
        copy.prepare('select count(*) as n from booking where activity_id = ?').get(activity) as { n: number }
      ).n
      const places = (
        copy.prepare('select count(*) as n from place where activity_id = ?').get(activity) as { n: number }
      ).n
      expect(bookings).toBe(places)
      expect(bookings).toBeGreaterThanOrEqual(5)
      expect(bookings).toBeLessThanOrEqual(5 + during)
    } finally {
      copy.close()
    }

    // Restore: a service started on the copy has the early bookings and takes new ones.
    const restoredFile = path.join(service.dir, 'restored.sqlite')
    fs.copyFileSync(file, restoredFile)
    const restored = await startTestService({ DATABASE_URL: restoredFile, BOOKING_RATE_LIMIT: '1000' })
    try {
      const rows = await restored.database.db
        .selectFrom('booking')
        .select('email')
        .where('activity_id', '=', activity)
        .execute()
      for (let i = 0; i < 5; i++) expect(rows.map((r) => r.email)).toContain(`early${i}@example.org`)
      const after = await confirmBooking(restored.client(), activity, [{ firstName: 'After', dob: dobForAge(7) }], {
        email: 'after@example.org',
      })
      expect(after.status).toBe(302)
    } finally {
      await restored.close()
    }
  })

  it('keeps only the newest backups and refuses a bad --keep', async () => {
    const dir = path.join(service.dir, 'pruned')
    fs.mkdirSync(dir, { recursive: true })
    for (const old of [
      'join-in-2026-01-01T00-00-00-000Z.sqlite',
      'join-in-2026-02-01T00-00-00-000Z.sqlite',
      'notes.txt',
    ]) {
      fs.writeFileSync(path.join(dir, old), 'old')
    }
    const { stdout } = await npmBackup(['--dir', dir, '--keep', '2'])
    expect(stdout).toContain('Deleted 1 older backups: join-in-2026-01-01T00-00-00-000Z.sqlite')
    const left = fs.readdirSync(dir).sort()
    expect(left).toHaveLength(3)
    expect(left).toContain('join-in-2026-02-01T00-00-00-000Z.sqlite')
    expect(left).toContain('notes.txt')

    const refused = await npmBackup(['--dir', dir, '--keep', 'none']).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    )
    expect(refused?.code).toBe(2)
    expect(refused?.stderr).toContain('--keep must be a whole number')
  })
})

describe('npm run backup with a PostgreSQL DATABASE_URL (both databases: it never connects)', () => {
  it('refuses, says to use pg_dump and point-in-time recovery, and prints no stack trace', async () => {
    for (const url of ['postgres://join-in@127.0.0.1:1/join_in', 'postgresql://join-in:secret@db.internal/join_in']) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-backup-'))
      try {
        const refused = await npmBackup(['--dir', path.join(dir, 'backups')], { DATABASE_URL: url }).then(
          () => null,
          (error: { code: number; stdout: string; stderr: string }) => error,
        )
        expect(refused?.code, url).toBe(2)
        expect(refused?.stderr, url).toContain('npm run backup copies a SQLite database')
        expect(refused?.stderr, url).toContain('pg_dump')
        expect(refused?.stderr, url).toContain('point-in-time recovery')
        expect(refused?.stderr, url).toContain('README')
        // where, without the password
        expect(refused?.stderr, url).toMatch(/PostgreSQL (127\.0\.0\.1:1|db\.internal:5432)\/join_in/)
        expect(refused?.stderr, url).not.toContain('secret')
        expect(refused?.stderr, url).not.toMatch(/^\s+at /m)
        // nothing was written: no folder of "backups" of a database it cannot copy
        expect(fs.existsSync(path.join(dir, 'backups')), url).toBe(false)
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }
  })
})
