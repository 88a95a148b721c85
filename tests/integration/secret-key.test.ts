// TOTP secrets are sealed at rest with a key from SECRET_KEY,
// required in production, with rotation through SECRET_KEY_PREVIOUS and plain secrets from
// before sealed at start-up.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSecretBox, DEVELOPMENT_SECRET_KEY } from '../../app/auth/secret-box.server'
import { readConfig } from '../../app/config.server'
import { createStaffUser } from '../../app/domain/staff.server'
import { prepareDatabase } from '../../server/boot'
import { openDatabase } from '../../db/index'
import { dropDatabaseUrl, freshDatabaseUrl, onPostgres, tracesInDatabase } from '../support/database'
import { startTestService } from '../support/service'

const root = path.resolve(import.meta.dirname, '../..')
const KEY_1 = 'the first secret key, quite long enough 1'
const KEY_2 = 'the second secret key, quite long enough 2'
const KEY_3 = 'an unrelated secret key, quite long enough 3'
// A base32 secret as a database from before sealing would hold it.
const PLAIN_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

const urls: string[] = []
afterAll(async () => {
  for (const url of urls) await dropDatabaseUrl(url)
})

describe('the secret box', () => {
  it('opens with the key that sealed it (or as the previous key), and not with another', () => {
    const sealed = createSecretBox(KEY_1).seal(PLAIN_SECRET, 'staff_user.totp 1')
    expect(sealed).not.toContain(PLAIN_SECRET)
    expect(sealed.startsWith('v1.')).toBe(true)
    expect(createSecretBox(KEY_1).open(sealed, 'staff_user.totp 1')).toBe(PLAIN_SECRET)
    expect(createSecretBox(KEY_2).open(sealed, 'staff_user.totp 1')).toBeNull()
    expect(createSecretBox(KEY_2, KEY_1).open(sealed, 'staff_user.totp 1')).toBe(PLAIN_SECRET)
    expect(createSecretBox(KEY_2, KEY_1).isCurrent(sealed)).toBe(false)
    // Bound to its account: moved to another row, it does not open.
    expect(createSecretBox(KEY_1).open(sealed, 'staff_user.totp 2')).toBeNull()
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA')
    expect(createSecretBox(KEY_1).open(tampered, 'staff_user.totp 1')).toBeNull()
    // Each sealing is different (a fresh nonce), so equal secrets do not look equal.
    expect(createSecretBox(KEY_1).seal(PLAIN_SECRET, 'x')).not.toBe(createSecretBox(KEY_1).seal(PLAIN_SECRET, 'x'))
  })
})

describe('SECRET_KEY in the configuration', () => {
  it('is required in production, naming the variable', () => {
    expect(() => readConfig({ NODE_ENV: 'production' })).toThrow(/SECRET_KEY/)
    expect(() => readConfig({ NODE_ENV: 'production', SECRET_KEY: 'too short' })).toThrow(/SECRET_KEY/)
    expect(
      readConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://joinin.example.org', SECRET_KEY: KEY_1 }).secretKey,
    ).toBe(KEY_1)
  })

  it('refuses a production start without it, naming SECRET_KEY', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-secret-'))
    dirs.push(dir)
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      DATABASE_URL: path.join(dir, 'db.sqlite'),
      PORT: '0',
      HOST: '127.0.0.1',
    }
    const run = spawnSync(process.execPath, [path.join(root, 'scripts/run.js')], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(run.status).not.toBe(0)
    expect(run.stderr).toContain('SECRET_KEY')
    expect(fs.existsSync(path.join(dir, 'db.sqlite'))).toBe(false)
  })

  it('uses a labelled development key with a warning outside production', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-secret-'))
    dirs.push(dir)
    const config = readConfig({ NODE_ENV: 'development', DATABASE_URL: path.join(dir, 'db.sqlite') })
    expect(config.secretKey).toBe(DEVELOPMENT_SECRET_KEY)
    expect(DEVELOPMENT_SECRET_KEY).toContain('DEVELOPMENT')
    const lines: string[] = []
    const database = await prepareDatabase(config, (line) => lines.push(line))
    await database.db.destroy()
    expect(lines.join('\n')).toMatch(/SECRET_KEY is not set.*DEVELOPMENT/)
  })
})

describe('TOTP secrets at rest', () => {
  it(`keeps the secret out of ${onPostgres ? 'every text column' : 'the database file'}, and seals plain ones and rotates keys at start-up`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-secret-'))
    dirs.push(dir)
    const file = await freshDatabaseUrl(dir)
    urls.push(file)

    // First start with KEY_1: a staff member sets two-factor up.
    let service = await startTestService({ DATABASE_URL: file, SECRET_KEY: KEY_1 })
    const person = { email: 'sealed@example.org', password: 'a long password for sealing' }
    const personId = await createStaffUser(service.database.db, { ...person, name: 'Sealed', role: 'staff' })
    const secret = await service.enrolTwoFactor(personId, person.email)
    // An older account whose secret was stored before sealing.
    const old = { email: 'plain@example.org', password: 'a long password for plain' }
    const oldId = await createStaffUser(service.database.db, { ...old, name: 'Plain', role: 'staff' })
    expect(await tracesInDatabase(service.database, [secret])).toEqual([])
    const sealed = await service.database.db
      .selectFrom('staff_user')
      .select('totp_secret')
      .where('id', '=', personId)
      .executeTakeFirstOrThrow()
    expect(sealed.totp_secret).not.toContain(secret)
    await service.close()

    const raw = openDatabase(file)
    await raw.db
      .updateTable('staff_user')
      .set({ totp_secret: PLAIN_SECRET, totp_enabled_at: new Date().toISOString() })
      .where('id', '=', oldId)
      .execute()
    await raw.db.destroy()

    // Rotated: KEY_2 is the key now and KEY_1 the previous one. Both people still sign in with codes.
    service = await startTestService({ DATABASE_URL: file, SECRET_KEY: KEY_2, SECRET_KEY_PREVIOUS: KEY_1 })
    const rows = await service.database.db
      .selectFrom('staff_user')
      .select(['id', 'totp_secret'])
      .where('id', 'in', [personId, oldId])
      .orderBy('id')
      .execute()
    const box2 = createSecretBox(KEY_2)
    for (const row of rows) expect(box2.isCurrent(row.totp_secret!), `user ${row.id}`).toBe(true)
    expect(await tracesInDatabase(service.database, [PLAIN_SECRET, secret])).toEqual([])
    await service.signIn({ ...person, totpSecret: secret })
    await service.signIn({ ...old, totpSecret: PLAIN_SECRET })
    await service.close()

    // A wrong key (KEY_1 no longer given as the previous one) cannot open them: codes are refused.
    service = await startTestService({ DATABASE_URL: file, SECRET_KEY: KEY_3 })
    await expect(service.signIn({ ...person, totpSecret: secret })).rejects.toThrow(/sign-in code .* failed: 401/)
    await service.close()
  })
})
