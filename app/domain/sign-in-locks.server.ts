// An account's sign-in limit as its administrator sees it, and lifting it (for someone locked out
// by a stranger's guessing from an address they share, or by the hour's ceiling of guesses).
import type { DB } from '../../db/index'
import { accountLock, unlockAccount, type AccountLock } from '../auth/throttle.server'
import { recordAudit } from './audit.server'

export type { AccountLock }

async function emailOf(db: DB, userId: number): Promise<string | null> {
  const row = await db.selectFrom('staff_user').select('email').where('id', '=', userId).executeTakeFirst()
  return row?.email ?? null
}

/** Whether this account's sign-in is paused now, and until when. */
export async function signInLockFor(db: DB, userId: number, now = new Date()): Promise<AccountLock | null> {
  const email = await emailOf(db, userId)
  return email ? accountLock(db, email, now) : null
}

export type UnlockResult = { status: 'unlocked'; wasLocked: boolean } | { status: 'not-found' }

/** An administrator lifts the account's limits; the audit log records who did it and whether it was paused. */
export async function unlockSignIn(
  db: DB,
  userId: number,
  actor: { userId: number; ip?: string },
  now = new Date(),
): Promise<UnlockResult> {
  const email = await emailOf(db, userId)
  if (!email) return { status: 'not-found' }
  const lock = await accountLock(db, email, now)
  await unlockAccount(db, email)
  await recordAudit(db, {
    actorUserId: actor.userId,
    action: 'staff.sign-in-unlocked',
    subjectType: 'staff_user',
    subjectId: userId,
    detail: { wasLocked: lock !== null, attempts: lock?.attempts ?? 0 },
    ip: actor.ip,
  })
  return { status: 'unlocked', wasLocked: lock !== null }
}
