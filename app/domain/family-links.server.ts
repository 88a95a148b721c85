// The links emailed to a family: a one-time sign-in link, and the confirm link in a new
// booking's first email (which proves the address, confirms the held places and signs in). Only
// the token's hash is stored; a link works once and not after it expires.
import type { Insertable, Transaction } from 'kysely'
import type { DB } from '../../db/index'
import { preparedQuery } from '../../db/prepared'
import type { Database, FamilyTokenPurpose, FamilyTokenTable } from '../../db/schema'
import { hashToken, newSecretToken } from '../auth/tokens.server'

type Executor = DB | Transaction<Database>

/** How long a sign-in link works: long enough to open the email, short enough to be useless later. */
export const SIGN_IN_LINK_MS = 30 * 60_000

// compiled once: every form booking issues a confirm link (db/prepared.ts)
const insertFamilyToken = preparedQuery((db, a: Insertable<FamilyTokenTable>) =>
  db.insertInto('family_token').values(a),
)

/** Makes a link's token for a family (or takes one made earlier) and stores its hash; returns the token. */
export async function issueFamilyToken(
  db: Executor,
  familyId: number,
  purpose: FamilyTokenPurpose,
  {
    expiresAt,
    bookingId = null,
    now = new Date(),
    token = newSecretToken(),
  }: { expiresAt: Date; bookingId?: number | null; now?: Date; token?: string },
): Promise<string> {
  await insertFamilyToken(db, {
    token_hash: hashToken(token),
    family_id: familyId,
    purpose,
    booking_id: bookingId,
    created_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    used_at: null,
  })
  return token
}

/** A link's token, unused and unexpired, without using it (for the page that asks "Continue"). */
export async function peekFamilyToken(
  db: Executor,
  token: string,
  purpose: FamilyTokenPurpose,
  now = new Date(),
): Promise<{ familyId: number; bookingId: number | null } | null> {
  if (!token || token.length > 100) return null
  const row = await db
    .selectFrom('family_token')
    .select(['family_id', 'booking_id'])
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst()
  return row ? { familyId: row.family_id, bookingId: row.booking_id } : null
}

/**
 * Uses a link's token: one statement marks it used only if it is unused and unexpired, so two
 * clicks at once cannot both succeed. Null when it is unknown, used or expired.
 */
export async function useFamilyToken(
  db: Executor,
  token: string,
  purpose: FamilyTokenPurpose,
  now = new Date(),
): Promise<{ familyId: number; bookingId: number | null } | null> {
  if (!token || token.length > 100) return null
  const row = await db
    .updateTable('family_token')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .returning(['family_id', 'booking_id'])
    .executeTakeFirst()
  return row ? { familyId: row.family_id, bookingId: row.booking_id } : null
}

/** The address of a booking's confirm link (the first email to a family whose address is not yet proved). */
export function confirmLink(baseUrl: string, token: string): string {
  return `${baseUrl}/family/confirm/${token}`
}
