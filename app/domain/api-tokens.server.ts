// API tokens for machine readers of the report feed (Power BI): created and revoked by admins,
// shown once, stored only as a hash, and checked on every request to the feed.
import type { DB } from '../../db/index'
import { hashToken, newSecretToken, tokenMatchesHash } from '../auth/tokens.server'
import { recordAudit } from './audit.server'

/** Recognisable in a leaked config file or a secret scanner: "jin_" then 256 random bits. */
export const API_TOKEN_PREFIX = 'jin_'
const TOKEN_PATTERN = /^jin_[A-Za-z0-9_-]{43}$/
export const TOKEN_NAME_MAX = 80

export type CreateTokenResult =
  { ok: true; id: number; name: string; token: string } | { ok: false; errors: { name: string } }

export interface ApiTokenSummary {
  id: number
  name: string
  createdAt: string
  createdByName: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface AuthenticatedToken {
  id: number
  name: string
}

/** Creates a token and returns it: the only time it exists outside the caller's copy. */
export async function createApiToken(db: DB, nameTyped: string, actorId: number): Promise<CreateTokenResult> {
  const name = nameTyped.trim().replace(/\s+/g, ' ')
  if (name === '')
    return { ok: false, errors: { name: 'Enter a name for the token, like "Power BI quarterly dashboard"' } }
  if (name.length > TOKEN_NAME_MAX)
    return { ok: false, errors: { name: `The name must be ${TOKEN_NAME_MAX} characters or fewer` } }
  const token = API_TOKEN_PREFIX + newSecretToken()
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_token')
      .values({
        name,
        token_hash: hashToken(token),
        created_by: actorId,
        created_at: new Date().toISOString(),
        last_used_at: null,
        revoked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'api-token.created',
      subjectType: 'api_token',
      subjectId: row.id,
      detail: { name },
    })
    return row.id
  })
  return { ok: true, id, name, token }
}

export type RevokeResult =
  { status: 'revoked'; name: string } | { status: 'already-revoked'; name: string } | { status: 'not-found' }

/** The check page before revoking: the token's name, or whether it is already revoked. Changes nothing. */
export async function checkRevokeApiToken(
  db: DB,
  id: number,
): Promise<RevokeResult | { status: 'check'; name: string }> {
  const row = await db.selectFrom('api_token').select(['name', 'revoked_at']).where('id', '=', id).executeTakeFirst()
  if (!row) return { status: 'not-found' }
  if (row.revoked_at) return { status: 'already-revoked', name: row.name }
  return { status: 'check', name: row.name }
}

export async function revokeApiToken(db: DB, id: number, actorId: number): Promise<RevokeResult> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('api_token').select(['name', 'revoked_at']).where('id', '=', id).executeTakeFirst()
    if (!row) return { status: 'not-found' as const }
    if (row.revoked_at) return { status: 'already-revoked' as const, name: row.name }
    await trx.updateTable('api_token').set({ revoked_at: new Date().toISOString() }).where('id', '=', id).execute()
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'api-token.revoked',
      subjectType: 'api_token',
      subjectId: id,
      detail: { name: row.name },
    })
    return { status: 'revoked' as const, name: row.name }
  })
}

/** Active tokens first, newest first; revoked ones stay listed so the log's names make sense. */
export async function listApiTokens(db: DB): Promise<ApiTokenSummary[]> {
  const rows = await db
    .selectFrom('api_token')
    .leftJoin('staff_user', 'staff_user.id', 'api_token.created_by')
    .select([
      'api_token.id',
      'api_token.name',
      'api_token.created_at',
      'api_token.last_used_at',
      'api_token.revoked_at',
      'staff_user.name as created_by_name',
    ])
    .orderBy((eb) => eb.case().when('api_token.revoked_at', 'is', null).then(0).else(1).end())
    .orderBy('api_token.created_at', 'desc')
    .orderBy('api_token.id', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    createdByName: r.created_by_name,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }))
}

/**
 * The token behind a presented secret, or null when it is malformed, unknown or revoked.
 * The lookup is by sha256 of the secret, so what the index search could leak through timing is
 * the hash of a guess, not the stored token; the final check compares hashes in constant time.
 */
export async function authenticateApiToken(
  db: DB,
  presented: string | null | undefined,
): Promise<AuthenticatedToken | null> {
  if (!presented || !TOKEN_PATTERN.test(presented)) return null
  const row = await db
    .selectFrom('api_token')
    .select(['id', 'name', 'token_hash', 'revoked_at'])
    .where('token_hash', '=', hashToken(presented))
    .executeTakeFirst()
  if (!row || row.revoked_at !== null || !tokenMatchesHash(presented, row.token_hash)) return null
  await db.updateTable('api_token').set({ last_used_at: new Date().toISOString() }).where('id', '=', row.id).execute()
  return { id: row.id, name: row.name }
}
