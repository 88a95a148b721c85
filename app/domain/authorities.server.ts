// Home authorities for the booking form: partners first, then every other council.
import type { DB } from '../../db/index'

export interface AuthorityChoice {
  code: string
  name: string
  isPartner: boolean
  nation: string
}

export async function listAuthorities(db: DB): Promise<AuthorityChoice[]> {
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
    { label: 'Other councils in England', options: authorities.filter((a) => !a.isPartner && a.nation === 'england').map(option) },
    { label: 'Elsewhere', options: authorities.filter((a) => !a.isPartner && a.nation !== 'england').map(option) },
  ].filter((g) => g.options.length > 0)
}
