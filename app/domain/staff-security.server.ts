// Keeping a staff account safe, beside signing in (staff.server.ts) and managing accounts
// (staff-accounts.server.ts): recovery codes, changing your own password, signing out everywhere,
// the two-factor set-up those who must have it are sent to, and sealing TOTP secrets at rest.
import type { Transaction } from 'kysely'
import { checkpointAfterErasure, type DB } from '../../db/index'
import type { Database, Role } from '../../db/schema'
import { hashPassword, passwordProblem, verifyPassword } from '../auth/password.server'
import { hashRecoveryCode, newRecoveryCodes, normaliseRecoveryCode } from '../auth/recovery-codes.server'
import { isSealed, totpPurpose, type SecretBox } from '../auth/secret-box.server'
import { countFailedGuess, signInRefusedUntil } from '../auth/throttle.server'
import { acceptedStep, newTotpSecret } from '../auth/totp.server'
import { twoFactorRequired } from '../auth/two-factor'
import { recordAudit } from './audit.server'

type Executor = DB | Transaction<Database>

/** Who is acting on their own account: the session they act from is the one that stays. */
export interface SelfActor {
  id: number
  sessionId: string
  ip: string
}

/** Ends every session of this person except `keep` (none kept when it is undefined). */
export async function endSessionsOf(db: Executor, userId: number, keep?: string): Promise<void> {
  let query = db.deleteFrom('staff_session').where('user_id', '=', userId)
  if (keep) query = query.where('id', '!=', keep)
  await query.execute()
  await db.deleteFrom('staff_sign_in_challenge').where('user_id', '=', userId).execute()
}

/** Replaces the person's recovery codes with new ones and returns them, to be shown once. */
export async function issueRecoveryCodes(db: Executor, userId: number, now = new Date()): Promise<string[]> {
  const codes = newRecoveryCodes()
  await db.deleteFrom('staff_recovery_code').where('user_id', '=', userId).execute()
  await db
    .insertInto('staff_recovery_code')
    .values(
      codes.map((code) => ({
        code_hash: hashRecoveryCode(code),
        user_id: userId,
        created_at: now.toISOString(),
        used_at: null,
      })),
    )
    .execute()
  return codes
}

export async function deleteRecoveryCodes(db: Executor, userId: number): Promise<void> {
  await db.deleteFrom('staff_recovery_code').where('user_id', '=', userId).execute()
}

/** Uses one recovery code of this person's, once: true when it was unused and is now used. */
export async function spendRecoveryCode(
  db: Executor,
  userId: number,
  typed: string,
  now = new Date(),
): Promise<boolean> {
  if (!normaliseRecoveryCode(typed)) return false
  const used = await db
    .updateTable('staff_recovery_code')
    .set({ used_at: now.toISOString() })
    .where('code_hash', '=', hashRecoveryCode(typed))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(used.numUpdatedRows) === 1
}

export async function isUnusedRecoveryCode(db: Executor, userId: number, typed: string): Promise<boolean> {
  if (!normaliseRecoveryCode(typed)) return false
  const row = await db
    .selectFrom('staff_recovery_code')
    .select('code_hash')
    .where('code_hash', '=', hashRecoveryCode(typed))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return row !== undefined
}

export async function unusedRecoveryCodes(db: Executor, userId: number): Promise<number> {
  const row = await db
    .selectFrom('staff_recovery_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

// ---- the set-up page people who must have two-factor are sent to ----

export interface TwoFactorSetup {
  status: 'setting-up'
  email: string
  role: Role
  required: boolean
  /** the plain secret, for the page to show; sealed in the database */
  secret: string
}

/**
 * The secret being set up for this person (made now if there is none, kept if there is, so a
 * reload does not change it), or 'already-on'.
 */
export async function twoFactorSetup(
  db: DB,
  box: SecretBox,
  userId: number,
): Promise<TwoFactorSetup | { status: 'already-on' }> {
  const row = await db
    .selectFrom('staff_user')
    .select(['email', 'role', 'totp_secret', 'totp_pending_secret'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
  if (row.totp_secret) return { status: 'already-on' }
  const purpose = totpPurpose(userId)
  let secret = row.totp_pending_secret ? box.open(row.totp_pending_secret, purpose) : null
  if (!secret) {
    secret = newTotpSecret()
    await db
      .updateTable('staff_user')
      .set({ totp_pending_secret: box.seal(secret, purpose) })
      .where('id', '=', userId)
      .where('totp_secret', 'is', null)
      .execute()
  }
  return { status: 'setting-up', email: row.email, role: row.role, required: twoFactorRequired(row.role), secret }
}

// ---- new recovery codes ----

export type NewRecoveryCodesResult =
  | { status: 'done'; codes: string[] }
  | { status: 'wrong-code' }
  | { status: 'throttled'; until: Date }
  | { status: 'two-factor-off' }

/** New recovery codes need a current code from the app; the old ones stop working and other sessions end. */
export async function makeNewRecoveryCodes(
  db: DB,
  box: SecretBox,
  actor: SelfActor,
  typedCode: string,
  now = new Date(),
): Promise<NewRecoveryCodesResult> {
  const user = await db
    .selectFrom('staff_user')
    .select(['email', 'totp_secret', 'totp_last_step'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow()
  const secret = user.totp_secret ? box.open(user.totp_secret, totpPurpose(actor.id)) : null
  if (!secret) return { status: 'two-factor-off' }
  const until = await signInRefusedUntil(db, user.email, actor.ip, now)
  if (until) return { status: 'throttled', until }
  const step = acceptedStep(secret, typedCode, user.totp_last_step, now.getTime())
  if (step === null) {
    await countFailedGuess(db, user.email, actor.ip, now)
    return { status: 'wrong-code' }
  }
  const codes = await db.transaction().execute(async (trx) => {
    await trx.updateTable('staff_user').set({ totp_last_step: step }).where('id', '=', actor.id).execute()
    const fresh = await issueRecoveryCodes(trx, actor.id, now)
    await endSessionsOf(trx, actor.id, actor.sessionId)
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'staff.recovery-codes-replaced',
      subjectType: 'staff_user',
      subjectId: actor.id,
      ip: actor.ip,
    })
    return fresh
  })
  return { status: 'done', codes }
}

// ---- your own password, and signing out everywhere ----

export type ChangePasswordResult =
  | { status: 'changed' }
  | { status: 'invalid'; errors: { currentPassword?: string; newPassword?: string; confirmPassword?: string } }
  | { status: 'throttled'; until: Date }

export async function changeOwnPassword(
  db: DB,
  actor: SelfActor,
  input: { currentPassword: string; newPassword: string; confirmPassword: string },
  now = new Date(),
): Promise<ChangePasswordResult> {
  const errors: { currentPassword?: string; newPassword?: string; confirmPassword?: string } = {}
  if (!input.currentPassword) errors.currentPassword = 'Enter your current password'
  if (!input.newPassword) errors.newPassword = 'Enter a new password'
  else {
    const problem = passwordProblem(input.newPassword)
    if (problem) errors.newPassword = problem
    else if (input.newPassword !== input.confirmPassword) errors.confirmPassword = 'The passwords do not match'
  }
  if (Object.keys(errors).length) return { status: 'invalid', errors }

  const user = await db
    .selectFrom('staff_user')
    .select(['email', 'password_hash'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow()
  // Wrong current passwords count against the same limits as sign-in, so this is no easier to guess on.
  const until = await signInRefusedUntil(db, user.email, actor.ip, now)
  if (until) return { status: 'throttled', until }
  if (!user.password_hash || !(await verifyPassword(input.currentPassword, user.password_hash))) {
    await countFailedGuess(db, user.email, actor.ip, now)
    await recordAudit(db, {
      actorUserId: actor.id,
      action: 'staff.password-change-failed',
      subjectType: 'staff_user',
      subjectId: actor.id,
      ip: actor.ip,
    })
    return { status: 'invalid', errors: { currentPassword: 'Your current password is not correct' } }
  }
  const passwordHash = await hashPassword(input.newPassword)
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('staff_user')
      .set({ password_hash: passwordHash, updated_at: now.toISOString() })
      .where('id', '=', actor.id)
      .execute()
    await trx.deleteFrom('staff_password_token').where('user_id', '=', actor.id).where('used_at', 'is', null).execute()
    await endSessionsOf(trx, actor.id, actor.sessionId)
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'staff.password-changed',
      subjectType: 'staff_user',
      subjectId: actor.id,
      ip: actor.ip,
    })
  })
  return { status: 'changed' }
}

/** Ends every one of this person's sessions, this one too (a lost laptop, a shared computer). */
export async function signOutEverywhere(db: DB, actor: SelfActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await endSessionsOf(trx, actor.id)
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: 'staff.signed-out-everywhere',
      subjectType: 'staff_user',
      subjectId: actor.id,
      ip: actor.ip,
    })
  })
}

// ---- sealing TOTP secrets at rest ----

export interface ResealOutcome {
  /** values sealed now: plain ones from before sealing, or ones sealed with SECRET_KEY_PREVIOUS */
  resealed: number
  /** values no key opens (SECRET_KEY changed without SECRET_KEY_PREVIOUS): those people need a reset */
  unreadable: number
}

/** At start-up: every TOTP secret ends up sealed with the current key. */
export async function resealTotpSecrets(db: DB, box: SecretBox): Promise<ResealOutcome> {
  const rows = await db
    .selectFrom('staff_user')
    .select(['id', 'totp_secret', 'totp_pending_secret'])
    .where((eb) => eb.or([eb('totp_secret', 'is not', null), eb('totp_pending_secret', 'is not', null)]))
    .execute()
  const outcome: ResealOutcome = { resealed: 0, unreadable: 0 }
  for (const row of rows) {
    const purpose = totpPurpose(row.id)
    const again = (value: string | null): string | null | undefined => {
      if (value === null || (isSealed(value) && box.isCurrent(value))) return undefined
      const plain = isSealed(value) ? box.open(value, purpose) : value
      if (plain === null) {
        outcome.unreadable += 1
        return undefined
      }
      outcome.resealed += 1
      return box.seal(plain, purpose)
    }
    const secret = again(row.totp_secret)
    const pending = again(row.totp_pending_secret)
    if (secret === undefined && pending === undefined) continue
    await db
      .updateTable('staff_user')
      .set({
        ...(secret === undefined ? {} : { totp_secret: secret }),
        ...(pending === undefined ? {} : { totp_pending_secret: pending }),
      })
      .where('id', '=', row.id)
      .execute()
  }
  // secure_delete zeroes the plain values' old pages in the main file; the checkpoint empties the log.
  if (outcome.resealed) await checkpointAfterErasure(db)
  return outcome
}
