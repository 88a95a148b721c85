// Known adopted children per authority and financial year, entered by an admin (no personal data),
// and the report's share of them reached: the report's own distinct children per authority (read
// from the Report, never counted again) ÷ the number entered for the period's financial year.
import type { DB } from '../../db/index'
import { recordAudit, type StaffActor } from './audit.server'
import type { KnownChildrenInput } from './known-children-form'
import type { KnownChildrenShare } from './participation-types'
import { financialYearLabel, financialYearStart, quarterOf } from './quarters'
import type { AuthorityCount, ReportPeriod } from './report-types'
import { getQuarterFirstMonth } from './settings-admin.server'

/** The financial year a period lies in (by the reporting year's first month), or null if it spans two. */
export function financialYearOfPeriod(period: ReportPeriod, firstMonth: number): string | null {
  if (period.quarter) return period.quarter.financialYear
  const first = quarterOf(period.from, firstMonth).financialYear
  const last = quarterOf(new Date(new Date(period.to).getTime() - 1), firstMonth).financialYear
  return first === last ? first : null
}

export interface KnownChildrenRow {
  code: string
  name: string
  children: number
}

/** The numbers entered for the period's financial year. */
export async function readKnownChildren(
  db: DB,
  period: ReportPeriod,
): Promise<{ financialYear: string | null; rows: KnownChildrenRow[] }> {
  const financialYear = financialYearOfPeriod(period, await getQuarterFirstMonth(db))
  if (!financialYear) return { financialYear, rows: [] }
  return { financialYear, rows: await listKnownChildren(db, financialYear) }
}

async function listKnownChildren(db: DB, financialYear: string): Promise<KnownChildrenRow[]> {
  const rows = await db
    .selectFrom('known_adopted_children')
    .innerJoin('authority', 'authority.code', 'known_adopted_children.authority_code')
    .select(['authority.code', 'authority.name', 'known_adopted_children.children'])
    .where('known_adopted_children.financial_year', '=', financialYear)
    .orderBy('authority.name')
    .execute()
  return rows.map((r) => ({ code: r.code, name: r.name, children: Number(r.children) }))
}

/** The share table: authorities with a number entered, and those reached without one. */
export function shareOfKnownChildren(
  known: { financialYear: string | null; rows: KnownChildrenRow[] },
  childrenByAuthority: AuthorityCount[],
): KnownChildrenShare {
  const reached = new Map(childrenByAuthority.map((a) => [a.code, a.value]))
  const entered = new Set(known.rows.map((r) => r.code))
  const rows = known.rows
    .map((r) => ({ code: r.code, name: r.name, childrenReached: reached.get(r.code) ?? 0, known: r.children }))
    .sort((a, b) => b.childrenReached - a.childrenReached || a.name.localeCompare(b.name, 'en-GB'))
  return {
    financialYear: known.financialYear,
    rows,
    total: rows.length
      ? {
          childrenReached: rows.reduce((sum, r) => sum + r.childrenReached, 0),
          known: rows.reduce((sum, r) => sum + r.known, 0),
        }
      : null,
    notEntered: known.financialYear
      ? childrenByAuthority
          .filter((a) => a.value > 0 && !entered.has(a.code))
          .map((a) => ({ code: a.code, name: a.name, childrenReached: a.value }))
      : [],
  }
}

// ---- the admin page ----

export interface KnownChildrenPage {
  financialYear: string
  years: string[]
  rows: KnownChildrenRow[]
  authorities: Array<{ code: string; name: string }>
}

/** The years offered: this financial year, the two before and the next. */
export function knownChildrenYears(now: Date, firstMonth: number): string[] {
  const current = financialYearStart(quarterOf(now, firstMonth).financialYear)
  return [current + 1, current, current - 1, current - 2].map((y) => financialYearLabel(y, firstMonth))
}

export async function knownChildrenPage(db: DB, year: string | null, now: Date): Promise<KnownChildrenPage> {
  const firstMonth = await getQuarterFirstMonth(db)
  const years = knownChildrenYears(now, firstMonth)
  const financialYear = year && years.includes(year) ? year : years[1]!
  const [rows, authorities] = await Promise.all([
    listKnownChildren(db, financialYear),
    db.selectFrom('authority').select(['code', 'name']).orderBy('is_partner', 'desc').orderBy('name').execute(),
  ])
  return { financialYear, years, rows, authorities }
}

export type KnownChildrenChange =
  | { status: 'saved' | 'removed'; financialYear: string; name: string }
  | { status: 'invalid'; errors: Record<string, string> }

/** Saves (or replaces) or removes one authority's number for one year; audited. */
export async function changeKnownChildren(
  db: DB,
  input: KnownChildrenInput,
  actor: StaffActor,
  now: Date,
): Promise<KnownChildrenChange> {
  const firstMonth = await getQuarterFirstMonth(db)
  if (!knownChildrenYears(now, firstMonth).includes(input.financialYear)) {
    return { status: 'invalid', errors: { financialYear: 'Select the financial year' } }
  }
  const authority = await db
    .selectFrom('authority')
    .select(['code', 'name'])
    .where('code', '=', input.authority)
    .executeTakeFirst()
  if (!authority) return { status: 'invalid', errors: { authority: 'Select the home authority' } }
  const stamp = now.toISOString()
  if (input.intent === 'save') {
    // One row per authority and year: a second save replaces the number (two at once: the last wins).
    await db
      .insertInto('known_adopted_children')
      .values({
        authority_code: authority.code,
        financial_year: input.financialYear,
        children: input.children!,
        updated_by: actor.id,
        updated_at: stamp,
      })
      .onConflict((oc) =>
        oc
          .columns(['financial_year', 'authority_code'])
          .doUpdateSet({ children: input.children!, updated_by: actor.id, updated_at: stamp }),
      )
      .execute()
  } else {
    await db
      .deleteFrom('known_adopted_children')
      .where('financial_year', '=', input.financialYear)
      .where('authority_code', '=', authority.code)
      .execute()
  }
  await recordAudit(db, {
    actorUserId: actor.id,
    action: input.intent === 'save' ? 'known-children.saved' : 'known-children.removed',
    subjectType: 'authority',
    subjectId: authority.code,
    detail:
      input.intent === 'save'
        ? { financialYear: input.financialYear, authority: authority.code, children: input.children }
        : { financialYear: input.financialYear, authority: authority.code },
    ip: actor.ip,
  })
  return {
    status: input.intent === 'save' ? 'saved' : 'removed',
    financialYear: input.financialYear,
    name: authority.name,
  }
}
