// Staff sign-in sessions: a random token in an httpOnly cookie, only its hash in the database,
// an idle and an absolute timeout, and a guard that every staff loader and action calls first.
import { redirect } from 'react-router'
import type { AppLoadContext } from 'react-router'
import type { StaffUser } from '../../db/schema'
import { accountCan, type Permission } from './permissions'
import { hashToken, newSecretToken } from './tokens.server'
import { twoFactorRequired, twoFactorSetupPath } from './two-factor'

const IDLE_TIMEOUT_MS = 2 * 60 * 60_000
const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000
const TOUCH_EVERY_MS = 60_000

export type SignedInStaff = Pick<StaffUser, 'id' | 'email' | 'name' | 'role'> & {
  sessionId: string
  /** holds the safeguarding lead flag (it counts only on a staff or admin account: permissions.ts) */
  safeguardingLead: boolean
  /** must set up two-factor (admin and staff) and has not yet: every staff page but the set-up sends them there */
  mustSetUpTwoFactor: boolean
}

function cookieName(context: AppLoadContext): string {
  // __Host- pins the cookie to this host and path=/ and needs Secure, so only over HTTPS.
  return context.config.secureCookies ? '__Host-join-in-session' : 'join-in-session'
}

/** One cookie's value from the request, or undefined. */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('Cookie')
  if (!header) return undefined
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=')
    if (index === -1) continue
    if (pair.slice(0, index).trim() === name) return decodeURIComponent(pair.slice(index + 1).trim())
  }
  return undefined
}

function sessionCookie(context: AppLoadContext, value: string, maxAgeSeconds: number): string {
  const parts = [`${cookieName(context)}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`]
  if (context.config.secureCookies) parts.push('Secure')
  return parts.join('; ')
}

function challengeCookieName(context: AppLoadContext): string {
  return context.config.secureCookies ? '__Host-join-in-sign-in' : 'join-in-sign-in'
}

function challengeCookie(context: AppLoadContext, value: string, maxAgeSeconds: number): string {
  const parts = [
    `${challengeCookieName(context)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSeconds}`,
  ]
  if (context.config.secureCookies) parts.push('Secure')
  return parts.join('; ')
}

/**
 * The cookie that carries a sign-in half done (right password, code still owed). It is not a
 * session: it opens nothing but the code form, and its token means nothing without the code.
 */
export function twoFactorChallengeCookie(context: AppLoadContext, token: string, maxAgeSeconds: number): string {
  return challengeCookie(context, token, maxAgeSeconds)
}

export function clearTwoFactorChallengeCookie(context: AppLoadContext): string {
  return challengeCookie(context, '', 0)
}

export function readTwoFactorChallenge(request: Request, context: AppLoadContext): string | undefined {
  return readCookie(request, challengeCookieName(context))
}

/** Starts a new session (a new token on every sign-in) and returns its Set-Cookie header. */
export async function startSession(context: AppLoadContext, userId: number): Promise<string> {
  const token = newSecretToken()
  const now = new Date()
  await context.db
    .insertInto('staff_session')
    .values({
      id: hashToken(token),
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString(),
    })
    .execute()
  return sessionCookie(context, token, ABSOLUTE_TIMEOUT_MS / 1000)
}

export async function endSession(request: Request, context: AppLoadContext): Promise<string> {
  const token = readCookie(request, cookieName(context))
  if (token) await context.db.deleteFrom('staff_session').where('id', '=', hashToken(token)).execute()
  return sessionCookie(context, '', 0)
}

/** The signed-in staff user, or null. Disabled accounts and expired sessions count as signed out. */
export async function getStaff(request: Request, context: AppLoadContext): Promise<SignedInStaff | null> {
  const token = readCookie(request, cookieName(context))
  if (!token || token.length > 100) return null
  const sessionId = hashToken(token)
  const row = await context.db
    .selectFrom('staff_session')
    .innerJoin('staff_user', 'staff_user.id', 'staff_session.user_id')
    .select([
      'staff_session.id as sessionId',
      'staff_session.last_seen_at',
      'staff_session.expires_at',
      'staff_user.id',
      'staff_user.email',
      'staff_user.name',
      'staff_user.role',
      'staff_user.disabled',
      'staff_user.totp_secret',
      'staff_user.safeguarding_lead',
    ])
    .where('staff_session.id', '=', sessionId)
    .executeTakeFirst()
  if (!row) return null
  const now = Date.now()
  const idleFor = now - new Date(row.last_seen_at).getTime()
  if (row.disabled || new Date(row.expires_at).getTime() <= now || idleFor > IDLE_TIMEOUT_MS) {
    await context.db.deleteFrom('staff_session').where('id', '=', sessionId).execute()
    return null
  }
  if (idleFor > TOUCH_EVERY_MS) {
    await context.db
      .updateTable('staff_session')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('id', '=', sessionId)
      .execute()
  }
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    sessionId: row.sessionId,
    safeguardingLead: row.safeguarding_lead === 1,
    mustSetUpTwoFactor: twoFactorRequired(row.role) && row.totp_secret === null,
  }
}

/**
 * The guard at the top of every staff loader and action: signed-out people go to sign-in
 * (coming back afterwards), admin and staff without two-factor go to set it up (coming back
 * afterwards), signed-in people without the permission get 403. Only the set-up page itself
 * passes `duringTwoFactorSetup`.
 */
export async function requireStaff(
  request: Request,
  context: AppLoadContext,
  permission: Permission,
  options: { duringTwoFactorSetup?: boolean } = {},
): Promise<SignedInStaff> {
  const staff = await getStaff(request, context)
  if (!staff) {
    const url = new URL(request.url)
    const back = url.pathname + url.search
    throw redirect(`/staff/sign-in?redirectTo=${encodeURIComponent(back)}`)
  }
  if (staff.mustSetUpTwoFactor && !options.duringTwoFactorSetup) {
    const url = new URL(request.url)
    throw redirect(twoFactorSetupPath(request.method === 'GET' ? url.pathname + url.search : undefined))
  }
  if (!accountCan(staff, permission)) {
    throw new Response('You do not have permission to see this page', { status: 403 })
  }
  return staff
}

// Relative addresses are resolved against this stand-in for our own origin: whatever the browser
// would make of the target (tabs and newlines dropped, backslashes read as slashes, "//host"
// meaning another site) the URL parser makes of it too, so comparing origins is the whole check.
const OWN_ORIGIN = 'http://join-in.invalid'

/**
 * Only paths on this service, so a crafted sign-in link cannot send staff to another site. The
 * answer is the parsed path, query and fragment (percent-encoded), never the raw text.
 */
export function safeRedirectPath(target: string | null | undefined, fallback = '/staff'): string {
  // A scheme of any kind ("http:/x", "javascript:") is never one of our links, even when it parses as one.
  if (!target?.startsWith('/')) return fallback
  let url: URL
  try {
    url = new URL(target, OWN_ORIGIN)
  } catch {
    return fallback
  }
  if (url.origin !== OWN_ORIGIN) return fallback
  return url.pathname + url.search + url.hash
}
