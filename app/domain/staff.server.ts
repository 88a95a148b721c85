// Staff accounts: signing in (with the two-factor step), the first administrator, and creating accounts.
// Inviting and managing accounts is in staff-accounts.server.ts.
import type { Transaction } from 'kysely'
import { isUniqueViolation, type DB } from '../../db/index'
import type { Database, Role, StaffUser } from '../../db/schema'
import { hashPassword, passwordProblem, verifyAgainstNothing, verifyPassword } from '../auth/password.server'
import { clearAccountWaits, countFailedGuess, signInRefusedUntil } from '../auth/throttle.server'
import { hashToken, newSecretToken, tokenMatchesHash } from '../auth/tokens.server'
import { totpPurpose, type SecretBox } from '../auth/secret-box.server'
import { acceptedStep, normaliseCode } from '../auth/totp.server'
import { recordAudit, type StaffActor } from './audit.server'
import { isUnusedRecoveryCode, spendRecoveryCode } from './staff-security.server'

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** Recorded when a staff member signs out (the session itself is ended by the auth layer). */
export async function recordSignOut(db: DB, actor: StaffActor): Promise<void> {
  await recordAudit(db, { actorUserId: actor.id, action: 'staff.signed-out', ip: actor.ip })
}

export type SignInResult =
  | { status: 'signed-in'; user: Pick<StaffUser, 'id' | 'email' | 'name' | 'role'> }
  /** the password was right and the account has two-factor on: ask for a code next */
  | { status: 'needs-code'; userId: number }
  | { status: 'wrong-credentials' }
  | { status: 'throttled'; until: Date }

export async function signIn(
  db: DB,
  emailTyped: string,
  password: string,
  ip: string,
  now = new Date(),
): Promise<SignInResult> {
  const email = normaliseEmail(emailTyped)
  const until = await signInRefusedUntil(db, email, ip, now)
  if (until) return { status: 'throttled', until }

  const user = await db
    .selectFrom('staff_user')
    .select(['id', 'email', 'name', 'role', 'password_hash', 'disabled', 'totp_secret'])
    .where('email', '=', email)
    .executeTakeFirst()
  const ok =
    user && user.password_hash && !user.disabled
      ? await verifyPassword(password, user.password_hash)
      : await verifyAgainstNothing(password)
  if (!ok || !user) {
    await countFailedGuess(db, email, ip, now)
    await recordAudit(db, { actorUserId: user?.id ?? null, action: 'staff.sign-in-failed', detail: { email }, ip })
    return { status: 'wrong-credentials' }
  }
  // With two-factor on, the account's failures are cleared only once the code is right too:
  // otherwise someone who has the password could reset the count between guesses at the code.
  if (user.totp_secret) return { status: 'needs-code', userId: user.id }
  await clearAccountWaits(db, email)
  await markSignedIn(db, user.id)
  await recordAudit(db, { actorUserId: user.id, action: 'staff.signed-in', ip })
  return { status: 'signed-in', user: { id: user.id, email: user.email, name: user.name, role: user.role } }
}

async function markSignedIn(db: DB | Transaction<Database>, userId: number): Promise<void> {
  await db
    .updateTable('staff_user')
    .set({ last_signed_in_at: new Date().toISOString() })
    .where('id', '=', userId)
    .execute()
}

const CHALLENGE_TTL_MS = 5 * 60_000
/** Wrong codes one password may be followed by before the password is needed again. */
const CHALLENGE_MAX_FAILURES = 5
export const CHALLENGE_TTL_SECONDS = CHALLENGE_TTL_MS / 1000

/**
 * Remembers, for five minutes, that this person typed the right password and now owes a code.
 * Returns the secret for a cookie; only its hash is stored.
 */
export async function startTwoFactorChallenge(
  db: DB,
  userId: number,
  redirectTo: string,
  now = new Date(),
): Promise<string> {
  const token = newSecretToken()
  await db.deleteFrom('staff_sign_in_challenge').where('expires_at', '<=', now.toISOString()).execute()
  await db
    .insertInto('staff_sign_in_challenge')
    .values({
      id: hashToken(token),
      user_id: userId,
      redirect_to: redirectTo.slice(0, 2000),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString(),
    })
    .execute()
  return token
}

/** Whether a cookie's challenge is still waiting for its code (for showing the code form). */
export async function hasLiveChallenge(db: DB, token: string | undefined, now = new Date()): Promise<boolean> {
  if (!token || token.length > 100) return false
  const row = await db
    .selectFrom('staff_sign_in_challenge')
    .select('expires_at')
    .where('id', '=', hashToken(token))
    .executeTakeFirst()
  return !!row && row.expires_at > now.toISOString()
}

export type TwoFactorResult =
  | { status: 'signed-in'; user: Pick<StaffUser, 'id' | 'email' | 'name' | 'role'>; redirectTo: string }
  | { status: 'wrong-code' }
  /** no challenge, or it timed out, was used up, or the account changed: start again with the password */
  | { status: 'expired' }
  | { status: 'throttled'; until: Date }

/** The second step of sign-in: the code from the person's authenticator app, or one of their recovery codes. */
export async function completeTwoFactorSignIn(
  db: DB,
  box: SecretBox,
  token: string | undefined,
  typedCode: string,
  ip: string,
  now = new Date(),
): Promise<TwoFactorResult> {
  if (!token || token.length > 100) return { status: 'expired' }
  const id = hashToken(token)
  const row = await db
    .selectFrom('staff_sign_in_challenge')
    .innerJoin('staff_user', 'staff_user.id', 'staff_sign_in_challenge.user_id')
    .select([
      'staff_sign_in_challenge.expires_at',
      'staff_sign_in_challenge.failures',
      'staff_sign_in_challenge.redirect_to',
      'staff_user.id',
      'staff_user.email',
      'staff_user.name',
      'staff_user.role',
      'staff_user.disabled',
      'staff_user.totp_secret',
      'staff_user.totp_last_step',
    ])
    .where('staff_sign_in_challenge.id', '=', id)
    .executeTakeFirst()
  if (!row || row.expires_at <= now.toISOString() || row.disabled || !row.totp_secret) {
    if (row) await db.deleteFrom('staff_sign_in_challenge').where('id', '=', id).execute()
    return { status: 'expired' }
  }
  const until = await signInRefusedUntil(db, row.email, ip, now)
  if (until) return { status: 'throttled', until }

  const secret = box.open(row.totp_secret, totpPurpose(row.id))
  // A 6-digit code is the app's; anything else may be a recovery code.
  const isAppCode = normaliseCode(typedCode) !== null
  const step = secret && isAppCode ? acceptedStep(secret, typedCode, row.totp_last_step, now.getTime()) : null
  const recovered = !isAppCode && (await isUnusedRecoveryCode(db, row.id, typedCode))
  if (step === null && !recovered) {
    await countFailedGuess(db, row.email, ip, now)
    if (row.failures + 1 >= CHALLENGE_MAX_FAILURES) {
      await db.deleteFrom('staff_sign_in_challenge').where('id', '=', id).execute()
    } else {
      await db
        .updateTable('staff_sign_in_challenge')
        .set((eb) => ({ failures: eb('failures', '+', 1) }))
        .where('id', '=', id)
        .execute()
    }
    await recordAudit(db, { actorUserId: row.id, action: 'staff.sign-in-code-failed', ip })
    return { status: 'wrong-code' }
  }

  const won = await db.transaction().execute(async (trx) => {
    // Both conditions make the challenge and the code single use, even for two posts at once.
    const used = await trx.deleteFrom('staff_sign_in_challenge').where('id', '=', id).executeTakeFirst()
    if (Number(used.numDeletedRows) !== 1) return false
    if (recovered) {
      // Spent in the same transaction as the challenge: a code used by a second post at once fails here.
      if (!(await spendRecoveryCode(trx, row.id, typedCode, now))) return false
      await trx
        .updateTable('staff_user')
        .set({ last_signed_in_at: now.toISOString() })
        .where('id', '=', row.id)
        .execute()
      await recordAudit(trx, {
        actorUserId: row.id,
        action: 'staff.signed-in',
        detail: { twoFactor: true, recoveryCode: true },
        ip,
      })
      return true
    }
    const stepped = await trx
      .updateTable('staff_user')
      .set({ totp_last_step: step!, last_signed_in_at: now.toISOString() })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step!)]))
      .executeTakeFirst()
    if (Number(stepped.numUpdatedRows) !== 1) return false
    await recordAudit(trx, { actorUserId: row.id, action: 'staff.signed-in', detail: { twoFactor: true }, ip })
    return true
  })
  if (!won) return { status: 'expired' }
  await clearAccountWaits(db, row.email)
  return {
    status: 'signed-in',
    user: { id: row.id, email: row.email, name: row.name, role: row.role },
    redirectTo: row.redirect_to,
  }
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
  const row = await db
    .selectFrom('staff_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

const SETUP_TTL_MS = 24 * 60 * 60_000

export type FirstAdminOutcome =
  | { status: 'exists' }
  | { status: 'created-from-environment'; email: string }
  /**
   * the set-up link to print: a new one, or (kept) one an earlier start made that is still valid;
   * token is null for a kept link whose sealed token this SECRET_KEY cannot open
   */
  | { status: 'setup-link'; token: string | null; kept: boolean; madeAt: Date; expiresAt: Date }

const SETUP_PURPOSE = 'first-admin'
const sealPurpose = 'setup-token:first-admin'

/**
 * Makes sure someone can become the first administrator. Safe when several instances start at
 * once (server/boot.ts also runs it under the boot lock): an administrator from ADMIN_EMAIL is
 * created once (a second insert of the same address is taken as "exists"), and at most one unused
 * set-up link exists (a partial unique index). A still-valid link is kept, not replaced, so a link
 * already printed or passed on keeps working; its token is kept sealed with SECRET_KEY (as TOTP
 * secrets are) so every start can print the same link again.
 */
export async function ensureFirstAdmin(
  db: DB,
  admin: { email?: string; password?: string },
  options: { secretBox?: SecretBox; now?: Date } = {},
): Promise<FirstAdminOutcome> {
  if ((await countStaff(db)) > 0) return { status: 'exists' }
  if (admin.email && admin.password) {
    // The first administrator meets the same rules as everyone else, or the service does not start.
    const problem = passwordProblem(admin.password)
    if (problem) throw new Error(`ADMIN_PASSWORD is not acceptable for the first administrator: ${problem}.`)
    try {
      await createStaffUser(db, { email: admin.email, name: 'Administrator', password: admin.password, role: 'admin' })
    } catch (error) {
      // another instance starting at the same moment created it first
      if (isUniqueViolation(error, { table: 'staff_user', column: 'email' })) return { status: 'exists' }
      throw error
    }
    return { status: 'created-from-environment', email: normaliseEmail(admin.email) }
  }
  const now = options.now ?? new Date()
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const current = await db
      .selectFrom('setup_token')
      .select(['token_hash', 'expires_at', 'sealed_token'])
      .where('purpose', '=', SETUP_PURPOSE)
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (current && new Date(current.expires_at) > now) {
      const expiresAt = new Date(current.expires_at)
      const opened = current.sealed_token ? (options.secretBox?.open(current.sealed_token, sealPurpose) ?? null) : null
      const token = opened && tokenMatchesHash(opened, current.token_hash) ? opened : null
      return {
        status: 'setup-link',
        token,
        kept: true,
        madeAt: new Date(expiresAt.getTime() - SETUP_TTL_MS),
        expiresAt,
      }
    }
    if (current) await db.deleteFrom('setup_token').where('token_hash', '=', current.token_hash).execute()
    const token = newSecretToken()
    const expiresAt = new Date(now.getTime() + SETUP_TTL_MS)
    const inserted = await db
      .insertInto('setup_token')
      .values({
        token_hash: hashToken(token),
        purpose: SETUP_PURPOSE,
        expires_at: expiresAt.toISOString(),
        used_at: null,
        sealed_token: options.secretBox ? options.secretBox.seal(token, sealPurpose) : null,
      })
      // the partial unique index: another instance made the link first, so that one is kept
      .onConflict((oc) => oc.doNothing())
      .returning('token_hash')
      .executeTakeFirst()
    if (inserted) return { status: 'setup-link', token, kept: false, madeAt: now, expiresAt }
  }
  throw new Error('Could not make or find the first administrator’s set-up link.')
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
      .set({ used_at: new Date().toISOString(), sealed_token: null })
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
        last_signed_in_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { actorUserId: row.id, action: 'staff.first-admin-created' })
    return { status: 'created' as const, userId: row.id }
  })
}
