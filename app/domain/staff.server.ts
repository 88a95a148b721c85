// Staff accounts: signing in, the first administrator, and creating accounts.
import type { DB } from '../../db/index'
import type { Role, StaffUser } from '../../db/schema'
import { hashPassword, verifyAgainstNothing, verifyPassword } from '../auth/password.server'
import { blockedUntil, clearFailures, recordFailure, throttleKey } from '../auth/throttle.server'
import { hashToken, newSecretToken, tokenMatchesHash } from '../auth/tokens.server'
import { recordAudit } from './audit.server'

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

export type SignInResult =
  | { status: 'signed-in'; user: Pick<StaffUser, 'id' | 'email' | 'name' | 'role'> }
  | { status: 'wrong-credentials' }
  | { status: 'throttled'; until: Date }

export async function signIn(db: DB, emailTyped: string, password: string, ip: string): Promise<SignInResult> {
  const email = normaliseEmail(emailTyped)
  const until = await blockedUntil(db, [throttleKey('account', email), throttleKey('ip', ip)])
  if (until) return { status: 'throttled', until }

  const user = await db
    .selectFrom('staff_user')
    .select(['id', 'email', 'name', 'role', 'password_hash', 'disabled'])
    .where('email', '=', email)
    .executeTakeFirst()
  const ok =
    user && user.password_hash && !user.disabled
      ? await verifyPassword(password, user.password_hash)
      : await verifyAgainstNothing(password)
  if (!ok || !user) {
    await recordFailure(db, 'account', email)
    await recordFailure(db, 'ip', ip)
    await recordAudit(db, { actorUserId: user?.id ?? null, action: 'staff.sign-in-failed', detail: { email }, ip })
    return { status: 'wrong-credentials' }
  }
  await clearFailures(db, 'account', email)
  await recordAudit(db, { actorUserId: user.id, action: 'staff.signed-in', ip })
  return { status: 'signed-in', user: { id: user.id, email: user.email, name: user.name, role: user.role } }
}

export async function createStaffUser(
  db: DB,
  input: { email: string; name: string; password: string; role: Role },
): Promise<number> {
  const now = new Date().toISOString()
  const row = await db
    .insertInto('staff_user')
    .values({
      email: normaliseEmail(input.email),
      name: input.name.trim(),
      password_hash: await hashPassword(input.password),
      role: input.role,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function countStaff(db: DB): Promise<number> {
  const row = await db.selectFrom('staff_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

const SETUP_TTL_MS = 24 * 60 * 60_000

export type FirstAdminOutcome =
  | { status: 'exists' }
  | { status: 'created-from-environment'; email: string }
  | { status: 'setup-link'; token: string }

/**
 * On first start: with ADMIN_EMAIL and ADMIN_PASSWORD the first admin is created; without them
 * a one-time setup token is issued for the console to print.
 */
export async function ensureFirstAdmin(
  db: DB,
  admin: { email?: string; password?: string },
): Promise<FirstAdminOutcome> {
  if ((await countStaff(db)) > 0) return { status: 'exists' }
  if (admin.email && admin.password) {
    await createStaffUser(db, { email: admin.email, name: 'Administrator', password: admin.password, role: 'admin' })
    return { status: 'created-from-environment', email: normaliseEmail(admin.email) }
  }
  const token = newSecretToken()
  await db.deleteFrom('setup_token').where('purpose', '=', 'first-admin').execute()
  await db
    .insertInto('setup_token')
    .values({
      token_hash: hashToken(token),
      purpose: 'first-admin',
      expires_at: new Date(Date.now() + SETUP_TTL_MS).toISOString(),
      used_at: null,
    })
    .execute()
  return { status: 'setup-link', token }
}

export async function isValidSetupToken(db: DB, token: string): Promise<boolean> {
  if (!token || token.length > 100) return false
  const row = await db
    .selectFrom('setup_token')
    .select(['token_hash', 'expires_at', 'used_at'])
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', 'first-admin')
    .executeTakeFirst()
  return !!row && !row.used_at && new Date(row.expires_at) > new Date() && tokenMatchesHash(token, row.token_hash)
}

export type SetupResult = { status: 'created'; userId: number } | { status: 'invalid-token' }

/** Uses the setup token once: the first admin is created only while no staff user exists. */
export async function completeFirstAdminSetup(
  db: DB,
  token: string,
  input: { email: string; name: string; password: string },
): Promise<SetupResult> {
  if (!(await isValidSetupToken(db, token))) return { status: 'invalid-token' }
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('setup_token')
      .set({ used_at: new Date().toISOString() })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(used.numUpdatedRows) !== 1 || (await countStaff(trx)) > 0) return { status: 'invalid-token' as const }
    const now = new Date().toISOString()
    const row = await trx
      .insertInto('staff_user')
      .values({
        email: normaliseEmail(input.email),
        name: input.name.trim(),
        password_hash: passwordHash,
        role: 'admin',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorUserId: row.id, action: 'staff.first-admin-created' })
    return { status: 'created' as const, userId: row.id }
  })
}
