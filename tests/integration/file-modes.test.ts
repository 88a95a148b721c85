// The database, its -wal and -shm, and every backup hold personal data: each is created readable
// by its owner only (0600) in a folder only its owner can open (0700), whatever the umask.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { startTestService, type TestService } from '../support/service'
import { onPostgres, sqliteOf } from '../support/database'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')

function mode(file: string): string {
  return (fs.statSync(file).mode & 0o777).toString(8).padStart(3, '0')
}

// The SQLite file, its -wal and -shm, and backups; a PostgreSQL server keeps its own files.
describe.skipIf(onPostgres)('file permissions (SQLite)', () => {
  let dir: string
  let service: TestService
  let previousUmask: number

  beforeAll(async () => {
    // the usual umask, which would leave new files world-readable (0644) and folders 0755
    previousUmask = process.umask(0o022)
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-modes-'))
    fs.chmodSync(dir, 0o755)
    service = await startTestService({
      DATABASE_URL: path.join(dir, 'data', 'live', 'join-in.sqlite'),
      BOOKING_RATE_LIMIT: '1000',
    })
    const activity = await publishActivity(service)
    const booked = await confirmBooking(service.client(), activity, [{ firstName: 'Ivy', dob: dobForAge(8) }], {
      email: 'modes@example.org',
    })
    expect(booked.status).toBe(302)
  })
  afterAll(async () => {
    await service?.close()
    if (previousUmask !== undefined) process.umask(previousUmask)
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('creates the database, its -wal and -shm 0600 in 0700 folders', () => {
    const file = path.join(dir, 'data', 'live', 'join-in.sqlite')
    expect(fs.existsSync(`${file}-wal`)).toBe(true)
    expect({
      database: mode(file),
      wal: mode(`${file}-wal`),
      shm: mode(`${file}-shm`),
      folder: mode(path.dirname(file)),
      parent: mode(path.join(dir, 'data')),
    }).toEqual({ database: '600', wal: '600', shm: '600', folder: '700', parent: '700' })
  })

  it('makes an existing world-readable database file 0600 when it opens it', async () => {
    const file = path.join(dir, 'old', 'join-in.sqlite')
    fs.mkdirSync(path.dirname(file), { mode: 0o755 })
    fs.writeFileSync(file, '', { mode: 0o644 })
    expect(mode(file)).toBe('644')
    const other = await startTestService({ DATABASE_URL: file })
    try {
      expect(mode(file)).toBe('600')
      expect(mode(`${file}-wal`)).toBe('600')
    } finally {
      await other.close()
    }
  })

  it('writes backups 0600 in a 0700 folder, with npm run backup under umask 022', async () => {
    const backups = path.join(dir, 'backups', 'nightly')
    const { stdout } = await run(
      '/bin/sh',
      ['-c', 'umask 022 && exec "$0" scripts/run.js backup --dir "$1"', process.execPath, backups],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: sqliteOf(service.database).file },
      },
    )
    expect(stdout).toContain('Backed up 1 bookings')
    const files = fs.readdirSync(backups)
    expect(files).toHaveLength(1)
    expect({
      backup: mode(path.join(backups, files[0]!)),
      folder: mode(backups),
      parent: mode(path.join(dir, 'backups')),
    }).toEqual({ backup: '600', folder: '700', parent: '700' })
  })
})
