// The quarterly report's figures. Every count is a GROUP BY in SQL over the period's sessions;
// only the small grouped results (authority × age, a few dozen rows) are shaped here, so every
// breakdown is built from the same rows as its headline and adds up to it by construction.
import type { DB } from '../../db/index'
import type { ActivityKind, ActivityStatus } from '../../db/schema'
import {
  ageBandKey,
  ageBandOf,
  OTHER_AGES,
  SCHOOL_YEAR_GROUPS,
  SCHOOL_YEAR_NOT_KNOWN,
  schoolYearGroup,
} from './age-groups'
import type { AgeCut, AgeGroup, AuthorityCount, Report, ReportPeriod } from './report-types'

const KINDS: readonly ActivityKind[] = ['activity', 'adoptables']
/**
 * Sessions that count: published ones. Cancelled sessions never count, and a draft was never
 * offered to families, so it was not held (a session that really did not run is cancelled).
 */
const COUNTED_STATUSES: readonly ActivityStatus[] = ['published']

export interface ReportOptions {
  cut: AgeCut
}

export async function computeReport(db: DB, period: ReportPeriod, options: ReportOptions): Promise<Report> {
  const { cut } = options
  const [held, registers, spaces, bands, youngPeople, feedback, waiting] = await Promise.all([
    sessionsHeld(db, period),
    sessionsWithRegister(db, period),
    spacesByAuthorityAndAge(db, period, cut),
    db.selectFrom('age_band').select(['label', 'min_age', 'max_age']).orderBy('min_age').execute(),
    adoptablesAttendees(db, period),
    feedbackByKind(db, period),
    waitingListByKind(db, period),
  ])

  // Age groups: every configured group in order, plus a catch-all only when something falls in it.
  const groupOf =
    cut === 'age-band'
      ? (value: number | null): AgeGroup => {
          const band = value === null ? null : ageBandOf(value, bands)
          return band ? { key: ageBandKey(band), label: band.label } : OTHER_AGES
        }
      : (value: number | null): AgeGroup => (value === null ? SCHOOL_YEAR_NOT_KNOWN : schoolYearGroup(value))
  const configured: AgeGroup[] =
    cut === 'age-band' ? bands.map((b) => ({ key: ageBandKey(b), label: b.label })) : [...SCHOOL_YEAR_GROUPS]
  const catchAll = cut === 'age-band' ? OTHER_AGES : SCHOOL_YEAR_NOT_KNOWN
  const cells = spaces.map((row) => ({ ...row, group: groupOf(row.group).key }))
  const groups = cells.some((c) => c.group === catchAll.key) ? [...configured, catchAll] : configured
  const groupIndex = new Map(groups.map((g, i) => [g.key, i]))

  const spacesByAuthority = new Map<string, number>()
  let spacesBooked = 0
  let spacesAttended = 0
  for (const c of cells) {
    spacesByAuthority.set(c.authorityCode, (spacesByAuthority.get(c.authorityCode) ?? 0) + c.spaces)
    spacesBooked += c.spaces
    spacesAttended += c.attended
  }

  const byAuthority = await authorityCounts(db, spacesByAuthority)
  const rows = byAuthority.map((a) => {
    const row = groups.map(() => 0)
    for (const c of cells) if (c.authorityCode === a.code) row[groupIndex.get(c.group)!]! += c.spaces
    return { code: a.code, name: a.name, isPartner: a.isPartner, cells: row, total: a.value }
  })
  const totals = groups.map((_, i) => rows.reduce((sum, r) => sum + r.cells[i]!, 0))

  const feedbackRow = (kind: ActivityKind) => feedback.find((f) => f.kind === kind)
  const waitingRow = (kind: ActivityKind) => waiting.find((w) => w.kind === kind)

  return {
    period,
    cut,
    activities: { held: held.get('activity') ?? 0, spacesBooked, spacesAttended },
    byAuthority,
    byAgeGroup: groups.map((g, i) => ({ ...g, value: totals[i]! })),
    authorityByAgeGroup: { groups, rows, totals },
    adoptables: {
      meetingsHeld: held.get('adoptables') ?? 0,
      distinctYoungPeople: youngPeople.count,
      minAge: youngPeople.minAge,
      maxAge: youngPeople.maxAge,
      byAuthority: await authorityCounts(db, youngPeople.byAuthority),
    },
    registers: { activities: registers.get('activity') ?? 0, adoptables: registers.get('adoptables') ?? 0 },
    feedback: KINDS.map((kind) => {
      const row = feedbackRow(kind)
      const responses = row?.responses ?? 0
      // Two decimal places: enough to compare quarters, and what the page and exports show.
      return {
        kind,
        responses,
        averageScore: row && responses > 0 ? Math.round((row.scoreTotal / responses) * 100) / 100 : null,
      }
    }),
    waitingList: KINDS.map((kind) => ({
      kind,
      places: waitingRow(kind)?.places ?? 0,
      sessions: waitingRow(kind)?.sessions ?? 0,
    })),
  }
}

/** Sessions of each kind starting in the period and not cancelled. */
async function sessionsHeld(db: DB, period: ReportPeriod): Promise<Map<ActivityKind, number>> {
  const rows = await db
    .selectFrom('activity')
    .select(['activity.kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('activity.kind', 'in', KINDS)
    .where('activity.status', 'in', COUNTED_STATUSES)
    .where('activity.starts_at', '>=', period.from)
    .where('activity.starts_at', '<', period.to)
    .groupBy('activity.kind')
    .execute()
  return new Map(rows.map((r) => [r.kind, Number(r.n)]))
}

/**
 * Sessions of each kind in the period whose register was taken: a confirmed place on it is marked.
 * EXISTS rather than count(distinct) over the join: each session stops at its first marked place,
 * instead of every marked place of the quarter being read and then de-duplicated.
 */
async function sessionsWithRegister(db: DB, period: ReportPeriod): Promise<Map<ActivityKind, number>> {
  const rows = await db
    .selectFrom('activity')
    .select(['activity.kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('activity.kind', 'in', KINDS)
    .where('activity.status', 'in', COUNTED_STATUSES)
    .where('activity.starts_at', '>=', period.from)
    .where('activity.starts_at', '<', period.to)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('place')
          .select('place.id')
          .whereRef('place.activity_id', '=', 'activity.id')
          .where('place.status', '=', 'confirmed')
          .where('place.attended', 'is not', null),
      ),
    )
    .groupBy('activity.kind')
    .execute()
  return new Map(rows.map((r) => [r.kind, Number(r.n)]))
}

/**
 * Spaces (confirmed places) on virtual activities, grouped by home authority and by age on the
 * day or school year: at most a few dozen authorities × ~25 ages, whatever the number of places.
 */
async function spacesByAuthorityAndAge(db: DB, period: ReportPeriod, cut: AgeCut) {
  const rows = await db
    .selectFrom('activity')
    .innerJoin('place', 'place.activity_id', 'activity.id')
    .select((eb) => [
      'place.authority_code as authorityCode',
      eb.ref(cut === 'age-band' ? 'place.age_on_day' : 'place.school_year').as('group'),
      eb.fn.countAll<number>().as('spaces'),
      eb.fn.sum<number>(eb.case().when('place.attended', '=', 1).then(1).else(0).end()).as('attended'),
    ])
    .where('activity.kind', '=', 'activity')
    .where('activity.status', 'in', COUNTED_STATUSES)
    .where('activity.starts_at', '>=', period.from)
    .where('activity.starts_at', '<', period.to)
    .where('place.status', '=', 'confirmed')
    .groupBy(['place.authority_code', cut === 'age-band' ? 'place.age_on_day' : 'place.school_year'])
    .execute()
  return rows.map((r) => ({
    authorityCode: r.authorityCode,
    group: r.group === null ? null : Number(r.group),
    spaces: Number(r.spaces),
    attended: Number(r.attended ?? 0),
  }))
}

/**
 * Young people (members) with a confirmed place marked attended on an Adoptables meeting held in
 * the period: how many, their youngest and oldest age on the day, and how many by the authority on
 * their membership. One query grouped by that authority: a young person has one authority, so the
 * distinct counts of the groups add up to the distinct count overall, even if someone moved.
 */
async function adoptablesAttendees(db: DB, period: ReportPeriod) {
  const rows = await db
    .selectFrom('activity')
    .innerJoin('place', 'place.activity_id', 'activity.id')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .innerJoin('member', 'member.id', 'booking.member_id')
    .select((eb) => [
      'member.authority_code as authorityCode',
      eb.fn.count<number>('booking.member_id').distinct().as('n'),
      eb.fn.min<number>('place.age_on_day').as('minAge'),
      eb.fn.max<number>('place.age_on_day').as('maxAge'),
    ])
    .where('activity.kind', '=', 'adoptables')
    .where('activity.status', 'in', COUNTED_STATUSES)
    .where('activity.starts_at', '>=', period.from)
    .where('activity.starts_at', '<', period.to)
    .where('place.status', '=', 'confirmed')
    .where('place.attended', '=', 1)
    .groupBy('member.authority_code')
    .execute()
  const ages = rows.flatMap((r) => [Number(r.minAge), Number(r.maxAge)])
  return {
    count: rows.reduce((sum, r) => sum + Number(r.n), 0),
    minAge: ages.length ? Math.min(...ages) : null,
    maxAge: ages.length ? Math.max(...ages) : null,
    byAuthority: new Map(rows.map((r) => [r.authorityCode, Number(r.n)])),
  }
}

async function feedbackByKind(db: DB, period: ReportPeriod) {
  const rows = await db
    .selectFrom('activity')
    .innerJoin('feedback', 'feedback.activity_id', 'activity.id')
    .select((eb) => [
      'activity.kind',
      eb.fn.countAll<number>().as('responses'),
      eb.fn.sum<number>('feedback.score').as('scoreTotal'),
    ])
    .where('activity.kind', 'in', KINDS)
    .where('activity.status', 'in', COUNTED_STATUSES)
    .where('activity.starts_at', '>=', period.from)
    .where('activity.starts_at', '<', period.to)
    .groupBy('activity.kind')
    .execute()
  return rows.map((r) => ({ kind: r.kind, responses: Number(r.responses), scoreTotal: Number(r.scoreTotal ?? 0) }))
}

/** Places still on a waiting list once their session was held: demand the team could not meet. */
async function waitingListByKind(db: DB, period: ReportPeriod) {
  const rows = await db
    .selectFrom('activity')
    .innerJoin('place', 'place.activity_id', 'activity.id')
    .select((eb) => [
      'activity.kind',
      eb.fn.countAll<number>().as('places'),
      eb.fn.count<number>('activity.id').distinct().as('sessions'),
    ])
    .where('activity.kind', 'in', KINDS)
    .where('activity.status', 'in', COUNTED_STATUSES)
    .where('activity.starts_at', '>=', period.from)
    .where('activity.starts_at', '<', period.to)
    .where('place.status', '=', 'waitlisted')
    .groupBy('activity.kind')
    .execute()
  return rows.map((r) => ({ kind: r.kind, places: Number(r.places), sessions: Number(r.sessions) }))
}

/**
 * Counts per authority as the report lists them: largest first, ties by name; partner authorities
 * always (even at 0), others only when above 0.
 */
async function authorityCounts(db: DB, counts: Map<string, number>): Promise<AuthorityCount[]> {
  const codes = [...counts].filter(([, n]) => n > 0).map(([code]) => code)
  const authorities = await db
    .selectFrom('authority')
    .select(['code', 'name', 'is_partner'])
    .where((eb) =>
      codes.length ? eb.or([eb('is_partner', '=', 1), eb('code', 'in', codes)]) : eb('is_partner', '=', 1),
    )
    .execute()
  return authorities
    .map((a) => ({ code: a.code, name: a.name, isPartner: a.is_partner === 1, value: counts.get(a.code) ?? 0 }))
    .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name, 'en-GB'))
}
