// Family sign-in sessions: a parent or carer who used a one-time emailed link stays signed in on
// that device for 30 days, in a cookie of its own (separate from staff sessions, which are short
// and need two-factor). Only the hash of the cookie's token is stored.
import { redirect, type AppLoadContext } from 'react-router'
import type { Family } from '../../db/schema'
import { readCookie } from './session.server'
import { hashToken, newSecretToken } from './tokens.server'

export const FAMILY_SESSION_MS = 30 * 24 * 60 * 60_000
const TOUCH_EVERY_MS = 60 * 60_000

export type SignedInFamily = Pick<Family, 'id' | 'email' | 'contact_name' | 'confirmed_at'> & { sessionId: string }

function cookieName(context: AppLoadContext): string {
  // __Host- pins the cookie to this host and path=/ and needs Secure, so only over HTTPS.
  return context.config.secureCookies ? '__Host-join-in-family' : 'join-in-family'
}

function familyCookie(context: AppLoadContext, value: string, maxAgeSeconds: number): string {
  const parts = [`${cookieName(context)}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`]
  if (context.config.secureCookies) parts.push('Secure')
  return parts.join('; ')
}

/** Starts a family session on this device (a new token each time) and returns its Set-Cookie header. */
export async function startFamilySession(context: AppLoadContext, familyId: number): Promise<string> {
  const token = newSecretToken()
  const now = context.now()
  await context.db
    .insertInto('family_session')
    .values({
      id: hashToken(token),
      family_id: familyId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + FAMILY_SESSION_MS).toISOString(),
    })
    .execute()
  return familyCookie(context, token, FAMILY_SESSION_MS / 1000)
}

/** Signs this device out: the session row goes, and the cookie is cleared. */
export async function endFamilySession(request: Request, context: AppLoadContext): Promise<string> {
  const token = readCookie(request, cookieName(context))
  if (token && token.length <= 100) {
    await context.db.deleteFrom('family_session').where('id', '=', hashToken(token)).execute()
  }
  return familyCookie(context, '', 0)
}

/** The signed-in family on this device, or null (no cookie, an unknown token or an expired session). */
export async function getFamily(request: Request, context: AppLoadContext): Promise<SignedInFamily | null> {
  const token = readCookie(request, cookieName(context))
  if (!token || token.length > 100) return null
  const sessionId = hashToken(token)
  const row = await context.db
    .selectFrom('family_session')
    .innerJoin('family', 'family.id', 'family_session.family_id')
    .select([
      'family_session.last_seen_at',
      'family_session.expires_at',
      'family.id',
      'family.email',
      'family.contact_name',
      'family.confirmed_at',
    ])
    .where('family_session.id', '=', sessionId)
    .executeTakeFirst()
  if (!row) return null
  const now = context.now().getTime()
  if (new Date(row.expires_at).getTime() <= now) {
    await context.db.deleteFrom('family_session').where('id', '=', sessionId).execute()
    return null
  }
  if (now - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
    await context.db
      .updateTable('family_session')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('id', '=', sessionId)
      .execute()
  }
  return { id: row.id, email: row.email, contact_name: row.contact_name, confirmed_at: row.confirmed_at, sessionId }
}

/** The guard for family pages: signed-out people go to sign in, and come back afterwards. */
export async function requireFamily(request: Request, context: AppLoadContext): Promise<SignedInFamily> {
  const family = await getFamily(request, context)
  if (family) return family
  const url = new URL(request.url)
  throw redirect(`/family/sign-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
}
