// Home authorities for the booking form: partners first, then every other council.
import type { DB } from '../../db/index'

export interface AuthorityChoice {
  code: string
  name: string
  isPartner: boolean
  nation: string
}

const CACHE_MS = 60_000
const cache = new WeakMap<DB, { at: number; list: Promise<AuthorityChoice[]> }>()

/**
 * Every booking page and post needs the list; it changes only when an admin edits it, so it is
 * kept for a minute (and dropped at once by forgetAuthorities after an edit).
 */
export function listAuthorities(db: DB): Promise<AuthorityChoice[]> {
  const hit = cache.get(db)
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.list
  const list = loadAuthorities(db)
  cache.set(db, { at: Date.now(), list })
  list.catch(() => cache.delete(db))
  return list
}

export function forgetAuthorities(db: DB): void {
  cache.delete(db)
}

async function loadAuthorities(db: DB): Promise<AuthorityChoice[]> {
  const rows = await db
    .selectFrom('authority')
    .select(['code', 'name', 'is_partner', 'nation'])
    .where('active', '=', 1)
    .orderBy('is_partner', 'desc')
    .orderBy('name')
    .execute()
  return rows.map((r) => ({ code: r.code, name: r.name, isPartner: r.is_partner === 1, nation: r.nation }))
}

/** Select groups: partner councils, other English councils, then the rest of the UK and abroad. */
export function authorityGroups(authorities: AuthorityChoice[]) {
  const option = (a: AuthorityChoice) => ({ value: a.code, text: a.name })
  return [
    { label: 'Partner councils', options: authorities.filter((a) => a.isPartner).map(option) },
    {
      label: 'Other councils in England',
      options: authorities.filter((a) => !a.isPartner && a.nation === 'england').map(option),
    },
    { label: 'Elsewhere', options: authorities.filter((a) => !a.isPartner && a.nation !== 'england').map(option) },
  ].filter((g) => g.options.length > 0)
}
