// Managing staff accounts: invitations and set-password links, roles, disabling, and each
// person's own two-factor setting. Signing in is in staff.server.ts.
import type { Transaction } from 'kysely'
import { againAfterUniqueRace, lockedForUpdate, type DB } from '../../db/index'
import type { Database, Role } from '../../db/schema'
import { canBeSafeguardingLead } from '../auth/permissions'
import { passwordProblem, hashPassword } from '../auth/password.server'
import { clearAccountWaits, countFailedGuess, signInRefusedUntil } from '../auth/throttle.server'
import { hashToken, newSecretToken, tokenMatchesHash } from '../auth/tokens.server'
import { totpPurpose, type SecretBox } from '../auth/secret-box.server'
import { acceptedStep } from '../auth/totp.server'
import { twoFactorRequired } from '../auth/two-factor'
import { enqueueEmail } from '../email/outbox.server'
import { staffAccountEmail, type StaffAccountEmailKind } from '../email/templates.server'
import { recordAudit } from './audit.server'
import type { Links } from './links'
import { normaliseEmail } from './staff.server'
import { emailOrganisation } from './settings.server'
import {
  deleteRecoveryCodes,
  endSessionsOf,
  issueRecoveryCodes,
  unusedRecoveryCodes,
  type SelfActor,
} from './staff-security.server'

type Executor = DB | Transaction<Database>

/** Emails that carry a set-password link: whoever can read them can take the account. */
export const STAFF_ACCOUNT_EMAIL_KINDS: readonly StaffAccountEmailKind[] = ['staff-invite', 'staff-password-reset']

/** An invitation may wait over a week's leave; a reset is asked for when it is needed. */
const TOKEN_TTL = {
  invite: { ms: 7 * 24 * 60 * 60_000, words: '7 days' },
  reset: { ms: 24 * 60 * 60_000, words: '24 hours' },
} as const

export interface Actor {
  userId: number
  ip?: string
}

export interface MailContext {
  links: Links
  serviceName: string
}

export type AccountStatus = 'active' | 'invited' | 'disabled'

export interface StaffAccountSummary {
  id: number
  name: string
  email: string
  role: Role
  status: AccountStatus
  twoFactor: boolean
  lastSignedInAt: string | null
  /** reads safeguarding concerns (the flag counts only on a staff or admin account) */
  safeguardingLead: boolean
}

function statusOf(row: { disabled: number; password_hash: string | null }): AccountStatus {
  if (row.disabled) return 'disabled'
  return row.password_hash ? 'active' : 'invited'
}

const summaryColumns = [
  'id',
  'name',
  'email',
  'role',
  'disabled',
  'password_hash',
  'totp_secret',
  'last_signed_in_at',
  'safeguarding_lead',
] as const

function toSummary(row: {
  id: number
  name: string
  email: string
  role: Role
  disabled: number
  password_hash: string | null
  totp_secret: string | null
  last_signed_in_at: string | null
  safeguarding_lead: number
}): StaffAccountSummary {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    status: statusOf(row),
    twoFactor: row.totp_secret !== null,
    lastSignedInAt: row.last_signed_in_at,
    safeguardingLead: row.safeguarding_lead === 1 && canBeSafeguardingLead(row.role),
  }
}

/** Everyone with an account, disabled ones last, then by name. */
export async function listStaffAccounts(db: DB): Promise<StaffAccountSummary[]> {
  const rows = await db
    .selectFrom('staff_user')
    .select(summaryColumns)
    .orderBy('disabled')
    .orderBy('name')
    .orderBy('id')
    .execute()
  return rows.map(toSummary)
}

export async function getStaffAccount(db: DB, id: number): Promise<StaffAccountSummary | null> {
  const row = await db.selectFrom('staff_user').select(summaryColumns).where('id', '=', id).executeTakeFirst()
  return row ? toSummary(row) : null
}

/** Locks the active administrators' rows, so "another admin remains" holds until commit. */
async function lockActiveAdmins(trx: Transaction<Database>): Promise<void> {
  await lockedForUpdate(
    trx,
    trx.selectFrom('staff_user').select('id').where('role', '=', 'admin').where('disabled', '=', 0).orderBy('id'),
  ).execute()
}

/** Active administrators other than this one: the service must always keep at least one. */
async function otherActiveAdmins(db: Executor, exceptId: number): Promise<number> {
  const row = await db
    .selectFrom('staff_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Issues a set-password link (replacing any unused one) and queues its email, in the caller's transaction. */
async function issuePasswordLink(
  trx: Transaction<Database>,
  user: { id: number; name: string; email: string },
  purpose: 'invite' | 'reset',
  mail: MailContext,
  now: Date,
): Promise<void> {
  const token = newSecretToken()
  const tokenHash = hashToken(token)
  await trx.deleteFrom('staff_password_token').where('user_id', '=', user.id).where('used_at', 'is', null).execute()
  await trx
    .insertInto('staff_password_token')
    .values({
      token_hash: tokenHash,
      user_id: user.id,
      purpose,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + TOKEN_TTL[purpose].ms).toISOString(),
      used_at: null,
    })
    .execute()
  const kind: StaffAccountEmailKind = purpose === 'invite' ? 'staff-invite' : 'staff-password-reset'
  const content = staffAccountEmail(kind, {
    name: user.name,
    serviceName: mail.serviceName,
    setPasswordUrl: `${mail.links.baseUrl}/staff/set-password?token=${token}`,
    validFor: TOKEN_TTL[purpose].words,
    organisation: await emailOrganisation(trx, mail.links),
  })
  // The token's hash names the email: each link is sent once, and a new link is a new email.
  await enqueueEmail(
    trx,
    { kind, to: user.email, ...content, dedupeKey: `${kind}:${tokenHash}` },
    { domain: mail.links.domain },
  )
}

export interface InviteInput {
  name: string
  email: string
  role: Role
}

export type InviteResult = { status: 'invited'; userId: number } | { status: 'email-taken' }

/** A new account with no password yet, and an email with the link to create one. */
export async function inviteStaff(
  db: DB,
  input: InviteInput,
  actor: Actor,
  mail: MailContext,
  now = new Date(),
): Promise<InviteResult> {
  const email = normaliseEmail(input.email)
  const name = input.name.trim()
  // Two admins inviting one address at once: the unique email decides, and the loser is told it is taken.
  return againAfterUniqueRace(
    () =>
      db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('staff_user').select('id').where('email', '=', email).executeTakeFirst()
        if (existing) return { status: 'email-taken' as const }
        const row = await trx
          .insertInto('staff_user')
          .values({
            email,
            name,
            password_hash: null,
            role: input.role,
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await issuePasswordLink(trx, { id: row.id, name, email }, 'invite', mail, now)
        await recordAudit(trx, {
          actorUserId: actor.userId,
          action: 'staff.invited',
          subjectType: 'staff_user',
          subjectId: row.id,
          detail: { email, role: input.role },
          ip: actor.ip,
        })
        return { status: 'invited' as const, userId: row.id }
      }),
    { table: 'staff_user', column: 'email' },
  )
}

export type RoleChangeResult =
  { status: 'changed'; from: Role } | { status: 'unchanged' } | { status: 'last-admin' } | { status: 'not-found' }

/** Takes effect on the person's next request: every request reads the role afresh. */
export async function changeRole(db: DB, id: number, role: Role, actor: Actor): Promise<RoleChangeResult> {
  // The active admins are locked first (PostgreSQL; SQLite's BEGIN IMMEDIATE serialises anyway), so
  // the count and the change cannot be interleaved with another admin demoting the other admin.
  return db.transaction().execute(async (trx) => {
    await lockActiveAdmins(trx)
    const user = await trx
      .selectFrom('staff_user')
      .select(['role', 'disabled', 'safeguarding_lead'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!user) return { status: 'not-found' as const }
    if (user.role === role) return { status: 'unchanged' as const }
    if (user.role === 'admin' && !user.disabled && (await otherActiveAdmins(trx, id)) === 0) {
      return { status: 'last-admin' as const }
    }
    // A viewer cannot be a safeguarding lead: stepping down to viewer ends the flag too, so it
    // does not come back unasked if they are made staff again.
    const endsLead = user.safeguarding_lead === 1 && !canBeSafeguardingLead(role)
    await trx
      .updateTable('staff_user')
      .set({ role, ...(endsLead ? { safeguarding_lead: 0 } : {}), updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: 'staff.role-changed',
      subjectType: 'staff_user',
      subjectId: id,
      detail: { from: user.role, to: role, ...(endsLead ? { safeguardingLead: 'removed' } : {}) },
      ip: actor.ip,
    })
    return { status: 'changed' as const, from: user.role }
  })
}

export type SafeguardingLeadResult =
  { status: 'changed' } | { status: 'unchanged' } | { status: 'viewer' } | { status: 'not-found' }

/**
 * Gives or removes the safeguarding lead flag. Only a staff or admin account can hold it: a viewer
 * sees no sessions and need not use two-factor sign-in, and concerns are the most sensitive
 * records the service keeps.
 */
export async function setSafeguardingLead(
  db: DB,
  id: number,
  lead: boolean,
  actor: Actor,
): Promise<SafeguardingLeadResult> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('staff_user')
      .select(['role', 'safeguarding_lead'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!user) return { status: 'not-found' as const }
    if (lead && !canBeSafeguardingLead(user.role)) return { status: 'viewer' as const }
    if ((user.safeguarding_lead === 1) === lead) return { status: 'unchanged' as const }
    await trx
      .updateTable('staff_user')
      .set({ safeguarding_lead: lead ? 1 : 0, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: lead ? 'staff.safeguarding-lead-given' : 'staff.safeguarding-lead-removed',
      subjectType: 'staff_user',
      subjectId: id,
      ip: actor.ip,
    })
    return { status: 'changed' as const }
  })
}

export type DisableResult =
  | { status: 'disabled' }
  | { status: 'unchanged' }
  | { status: 'self' }
  | { status: 'last-admin' }
  | { status: 'not-found' }

/** Disabling ends every session and cancels any unused set-password link at once. */
export type DisableCheck =
  | { status: 'check'; account: StaffAccountSummary }
  | { status: 'self' }
  | { status: 'last-admin' }
  | { status: 'unchanged' }
  | { status: 'not-found' }

/** The check page before disabling an account: whose, or why it cannot be. Changes nothing. */
export async function checkDisableStaff(db: DB, id: number, actor: Actor): Promise<DisableCheck> {
  if (id === actor.userId) return { status: 'self' }
  const account = await getStaffAccount(db, id)
  if (!account) return { status: 'not-found' }
  if (account.status === 'disabled') return { status: 'unchanged' }
  if (account.role === 'admin' && (await otherActiveAdmins(db, id)) === 0) return { status: 'last-admin' }
  return { status: 'check', account }
}

export async function disableStaff(db: DB, id: number, actor: Actor): Promise<DisableResult> {
  if (id === actor.userId) return { status: 'self' }
  return db.transaction().execute(async (trx) => {
    await lockActiveAdmins(trx)
    const user = await trx.selectFrom('staff_user').select(['role', 'disabled']).where('id', '=', id).executeTakeFirst()
    if (!user) return { status: 'not-found' as const }
    if (user.disabled) return { status: 'unchanged' as const }
    if (user.role === 'admin' && (await otherActiveAdmins(trx, id)) === 0) return { status: 'last-admin' as const }
    await trx
      .updateTable('staff_user')
      .set({ disabled: 1, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute()
    await trx.deleteFrom('staff_session').where('user_id', '=', id).execute()
    await trx.deleteFrom('staff_sign_in_challenge').where('user_id', '=', id).execute()
    await trx.deleteFrom('staff_password_token').where('user_id', '=', id).where('used_at', 'is', null).execute()
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: 'staff.disabled',
      subjectType: 'staff_user',
      subjectId: id,
      ip: actor.ip,
    })
    return { status: 'disabled' as const }
  })
}

export type EnableResult = { status: 'enabled' } | { status: 'unchanged' } | { status: 'not-found' }

export async function enableStaff(db: DB, id: number, actor: Actor): Promise<EnableResult> {
  return db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('staff_user').select('disabled').where('id', '=', id).executeTakeFirst()
    if (!user) return { status: 'not-found' as const }
    if (!user.disabled) return { status: 'unchanged' as const }
    await trx
      .updateTable('staff_user')
      .set({ disabled: 0, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute()
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: 'staff.enabled',
      subjectType: 'staff_user',
      subjectId: id,
      ip: actor.ip,
    })
    return { status: 'enabled' as const }
  })
}

export type ResetResult = { status: 'sent'; invitation: boolean } | { status: 'disabled' } | { status: 'not-found' }

/**
 * Emails a new set-password link. Someone who never set a password gets a fresh invitation;
 * their old link stops working either way.
 */
export async function sendPasswordReset(
  db: DB,
  id: number,
  actor: Actor,
  mail: MailContext,
  now = new Date(),
): Promise<ResetResult> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('staff_user')
      .select(['id', 'name', 'email', 'disabled', 'password_hash'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!user) return { status: 'not-found' as const }
    if (user.disabled) return { status: 'disabled' as const }
    const invitation = user.password_hash === null
    await issuePasswordLink(trx, user, invitation ? 'invite' : 'reset', mail, now)
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: invitation ? 'staff.invited' : 'staff.password-reset-sent',
      subjectType: 'staff_user',
      subjectId: id,
      detail: invitation ? { email: user.email, resent: true } : undefined,
      ip: actor.ip,
    })
    return { status: 'sent' as const, invitation }
  })
}

export type PasswordLink =
  { status: 'valid'; name: string; email: string; purpose: 'invite' | 'reset' } | { status: 'invalid' }

/** What the set-password page needs to know about a link, without using it up. */
export async function checkPasswordLink(db: DB, token: string, now = new Date()): Promise<PasswordLink> {
  if (!token || token.length > 100) return { status: 'invalid' }
  const row = await db
    .selectFrom('staff_password_token')
    .innerJoin('staff_user', 'staff_user.id', 'staff_password_token.user_id')
    .select([
      'staff_password_token.token_hash',
      'staff_password_token.purpose',
      'staff_password_token.expires_at',
      'staff_password_token.used_at',
      'staff_user.name',
      'staff_user.email',
      'staff_user.disabled',
    ])
    .where('staff_password_token.token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (
    !row ||
    row.used_at !== null ||
    row.expires_at <= now.toISOString() ||
    row.disabled ||
    !tokenMatchesHash(token, row.token_hash)
  ) {
    return { status: 'invalid' }
  }
  return { status: 'valid', name: row.name, email: row.email, purpose: row.purpose }
}

export type SetPasswordResult =
  { status: 'set'; email: string } | { status: 'invalid-token' } | { status: 'unacceptable'; message: string }

/**
 * Uses a set-password link once. A new password ends the person's existing sessions: a reset is
 * often asked for because the old password may be known to someone else.
 */
export async function setPasswordWithLink(
  db: DB,
  token: string,
  password: string,
  ip?: string,
  now = new Date(),
): Promise<SetPasswordResult> {
  const link = await checkPasswordLink(db, token, now)
  if (link.status !== 'valid') return { status: 'invalid-token' }
  const problem = password ? passwordProblem(password) : 'Enter a password'
  if (problem) return { status: 'unacceptable', message: problem }
  const passwordHash = await hashPassword(password)
  const tokenHash = hashToken(token)
  const result = await db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('staff_password_token')
      .set({ used_at: now.toISOString() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .returning(['user_id', 'purpose'])
      .executeTakeFirst()
    if (!used) return null
    const user = await trx
      .updateTable('staff_user')
      .set({ password_hash: passwordHash, updated_at: now.toISOString() })
      .where('id', '=', used.user_id)
      .where('disabled', '=', 0)
      .returning(['id', 'email'])
      .executeTakeFirst()
    if (!user) return null
    await trx.deleteFrom('staff_password_token').where('user_id', '=', user.id).where('used_at', 'is', null).execute()
    await trx.deleteFrom('staff_session').where('user_id', '=', user.id).execute()
    await trx.deleteFrom('staff_sign_in_challenge').where('user_id', '=', user.id).execute()
    await recordAudit(trx, {
      actorUserId: user.id,
      action: 'staff.password-set',
      subjectType: 'staff_user',
      subjectId: user.id,
      detail: { purpose: used.purpose },
      ip,
    })
    return user
  })
  if (!result) return { status: 'invalid-token' }
  // A fresh password is a fresh start for the account's sign-in limit (not the address's).
  await clearAccountWaits(db, result.email)
  return { status: 'set', email: result.email }
}

// ---- each person's own two-factor setting ----

export interface OwnAccount {
  name: string
  email: string
  role: Role
  twoFactorOn: boolean
  twoFactorSince: string | null
  /** admin and staff must keep it on; viewers may turn it off */
  twoFactorRequired: boolean
  recoveryCodesLeft: number
}

export async function getOwnAccount(db: DB, userId: number): Promise<OwnAccount | null> {
  const row = await db
    .selectFrom('staff_user')
    .select(['name', 'email', 'role', 'totp_secret', 'totp_enabled_at'])
    .where('id', '=', userId)
    .executeTakeFirst()
  if (!row) return null
  return {
    name: row.name,
    email: row.email,
    role: row.role,
    twoFactorOn: row.totp_secret !== null,
    twoFactorSince: row.totp_enabled_at,
    twoFactorRequired: twoFactorRequired(row.role),
    recoveryCodesLeft: await unusedRecoveryCodes(db, userId),
  }
}

export async function cancelTwoFactorSetup(db: DB, userId: number): Promise<void> {
  await db.updateTable('staff_user').set({ totp_pending_secret: null }).where('id', '=', userId).execute()
}

export type CodeCheckResult =
  | { status: 'done' }
  | { status: 'wrong-code' }
  | { status: 'throttled'; until: Date }
  /** nothing to confirm or turn off (set up elsewhere, or already off) */
  | { status: 'nothing-to-do' }
  /** admin and staff cannot turn their own two-factor off */
  | { status: 'required' }

/** Wrong codes here count against the same limits as sign-in, so this page is no easier to guess on. */
async function checkOwnCode(
  db: DB,
  user: { email: string },
  secret: string,
  typed: string,
  lastStep: number | null,
  ip: string,
  now: Date,
): Promise<{ step: number } | { status: 'wrong-code' } | { status: 'throttled'; until: Date }> {
  const until = await signInRefusedUntil(db, user.email, ip, now)
  if (until) return { status: 'throttled', until }
  const step = acceptedStep(secret, typed, lastStep, now.getTime())
  if (step === null) {
    await countFailedGuess(db, user.email, ip, now)
    return { status: 'wrong-code' }
  }
  return { step }
}

export type ConfirmTwoFactorResult =
  { status: 'done'; codes: string[] } | Exclude<CodeCheckResult, { status: 'done' } | { status: 'required' }>

/**
 * Turns two-factor on once the person proves their app has the secret by typing a current code.
 * Returns the new recovery codes, to be shown once; the person's other sessions end.
 */
export async function confirmTwoFactor(
  db: DB,
  box: SecretBox,
  actor: SelfActor,
  typedCode: string,
  now = new Date(),
): Promise<ConfirmTwoFactorResult> {
  const userId = actor.id
  const user = await db
    .selectFrom('staff_user')
    .select(['email', 'totp_secret', 'totp_pending_secret'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
  if (user.totp_secret || !user.totp_pending_secret) return { status: 'nothing-to-do' }
  const pending = user.totp_pending_secret
  const secret = box.open(pending, totpPurpose(userId))
  if (!secret) return { status: 'nothing-to-do' }
  const checked = await checkOwnCode(db, user, secret, typedCode, null, actor.ip, now)
  if ('status' in checked) return checked
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('staff_user')
      .set({
        totp_secret: pending,
        totp_pending_secret: null,
        totp_enabled_at: now.toISOString(),
        totp_last_step: checked.step,
        updated_at: now.toISOString(),
      })
      .where('id', '=', userId)
      .where('totp_pending_secret', '=', pending)
      .where('totp_secret', 'is', null)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return { status: 'nothing-to-do' as const }
    const codes = await issueRecoveryCodes(trx, userId, now)
    await endSessionsOf(trx, userId, actor.sessionId)
    await recordAudit(trx, {
      actorUserId: userId,
      action: 'staff.two-factor-enabled',
      subjectType: 'staff_user',
      subjectId: userId,
      ip: actor.ip,
    })
    return { status: 'done' as const, codes }
  })
}

/** Turning it off needs a current code too: a borrowed, signed-in laptop is not enough. Viewers only. */
export async function turnOffOwnTwoFactor(
  db: DB,
  box: SecretBox,
  actor: SelfActor,
  typedCode: string,
  now = new Date(),
): Promise<CodeCheckResult> {
  const userId = actor.id
  const user = await db
    .selectFrom('staff_user')
    .select(['email', 'role', 'totp_secret', 'totp_last_step'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
  if (!user.totp_secret) return { status: 'nothing-to-do' }
  if (twoFactorRequired(user.role)) return { status: 'required' }
  const secret = box.open(user.totp_secret, totpPurpose(userId))
  if (!secret) return { status: 'nothing-to-do' }
  const checked = await checkOwnCode(db, user, secret, typedCode, user.totp_last_step, actor.ip, now)
  if ('status' in checked) return checked
  await db.transaction().execute(async (trx) => {
    await clearTwoFactor(trx, userId, now)
    await endSessionsOf(trx, userId, actor.sessionId)
    await recordAudit(trx, {
      actorUserId: userId,
      action: 'staff.two-factor-disabled',
      subjectType: 'staff_user',
      subjectId: userId,
      ip: actor.ip,
    })
  })
  return { status: 'done' }
}

async function clearTwoFactor(trx: Transaction<Database>, userId: number, now: Date): Promise<void> {
  await trx
    .updateTable('staff_user')
    .set({
      totp_secret: null,
      totp_pending_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
      updated_at: now.toISOString(),
    })
    .where('id', '=', userId)
    .execute()
  await trx.deleteFrom('staff_sign_in_challenge').where('user_id', '=', userId).execute()
  await deleteRecoveryCodes(trx, userId)
}

export type AdminTwoFactorResult = { status: 'turned-off' } | { status: 'unchanged' } | { status: 'not-found' }

/** For a lost phone: an administrator turns someone's two-factor off so they can set it up again. */
export async function turnOffTwoFactorFor(
  db: DB,
  id: number,
  actor: Actor,
  now = new Date(),
): Promise<AdminTwoFactorResult> {
  return db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('staff_user').select('totp_secret').where('id', '=', id).executeTakeFirst()
    if (!user) return { status: 'not-found' as const }
    if (!user.totp_secret) return { status: 'unchanged' as const }
    await clearTwoFactor(trx, id, now)
    // Changing someone's two-factor ends their sessions: admin and staff set it up again at sign-in.
    await endSessionsOf(trx, id)
    await recordAudit(trx, {
      actorUserId: actor.userId,
      action: 'staff.two-factor-disabled',
      subjectType: 'staff_user',
      subjectId: id,
      detail: { byAdministrator: true },
      ip: actor.ip,
    })
    return { status: 'turned-off' as const }
  })
}
