// The quarterly report's figures. Every count is a GROUP BY in SQL over the period's sessions;
// only the small grouped results (authority × age, a few dozen rows) are shaped here, so every
// breakdown is built from the same rows as its headline and adds up to it by construction.
import { sql, type ExpressionBuilder } from 'kysely'
import type { DB } from '../../db/index'
import type { ActivityKind, ActivityStatus, Database } from '../../db/schema'
import {
  ageBandKey,
  ageBandOf,
  OTHER_AGES,
  SCHOOL_YEAR_GROUPS,
  SCHOOL_YEAR_NOT_KNOWN,
  schoolYearGroup,
} from './age-groups'
import { participationFigures } from './attendance-report.server'
import type { AgeCut, AgeGroup, AuthorityCount, Report, ReportPeriod } from './report-types'

const KINDS: readonly ActivityKind[] = ['activity', 'adoptables']
/**
 * Sessions that count: published ones. Cancelled sessions never count, and a draft was never
 * offered to families, so it was not held (a session that really did not run is cancelled).
 */
const COUNTED_STATUSES: readonly ActivityStatus[] = ['published']

export interface ReportOptions {
  cut: AgeCut
  /** when the report is made: which sessions have started (waiting lists that stayed); the clock by default */
  now?: Date
}

async function computeSpacesReport(
  db: DB,
  period: ReportPeriod,
  options: ReportOptions,
): Promise<Omit<Report, 'participation'>> {
  const { cut } = options
  const [held, registers, spaces, families, bands, youngPeople, feedback, waiting] = await Promise.all([
    sessionsHeld(db, period, options.now ?? new Date()),
    sessionsWithRegister(db, period),
    spacesAndChildrenByAuthorityAndAge(db, period, cut),
    familiesReached(db, period),
    db.selectFrom('age_band').select(['label', 'min_age', 'max_age']).orderBy('min_age').execute(),
    adoptablesAttendees(db, period),
    feedbackByKind(db, period),
    waitingListByKind(db, period, options.now ?? new Date()),
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

  // Children: the group of each child's first place. Those places are spaces, so no child falls
  // in a catch-all group the spaces do not have.
  const childCells = cells.filter((c) => c.children > 0)
  const childrenByAuthority = new Map<string, number>()
  let childrenReached = 0
  for (const c of childCells) {
    childrenByAuthority.set(c.authorityCode, (childrenByAuthority.get(c.authorityCode) ?? 0) + c.children)
    childrenReached += c.children
  }

  /** authority × age group: one row per listed authority, cells in the groups' order */
  const crossTable = (
    authorities: AuthorityCount[],
    counted: Array<{ authorityCode: string; group: string; n: number }>,
  ) => {
    const rows = authorities.map((a) => {
      const row = groups.map(() => 0)
      for (const c of counted) if (c.authorityCode === a.code) row[groupIndex.get(c.group)!]! += c.n
      return { code: a.code, name: a.name, isPartner: a.isPartner, cells: row, total: a.value }
    })
    return { groups, rows, totals: groups.map((_, i) => rows.reduce((sum, r) => sum + r.cells[i]!, 0)) }
  }

  const [byAuthority, reachByAuthority] = await Promise.all([
    authorityCounts(db, spacesByAuthority),
    authorityCounts(db, childrenByAuthority),
  ])
  const spacesTable = crossTable(
    byAuthority,
    cells.map((c) => ({ authorityCode: c.authorityCode, group: c.group, n: c.spaces })),
  )
  const childrenTable = crossTable(
    reachByAuthority,
    childCells.map((c) => ({ authorityCode: c.authorityCode, group: c.group, n: c.children })),
  )

  const feedbackRow = (kind: ActivityKind) => feedback.find((f) => f.kind === kind)
  const waitingRow = (kind: ActivityKind) => waiting.find((w) => w.kind === kind)

  return {
    period,
    cut,
    activities: { held: held.get('activity') ?? 0, spacesBooked, spacesAttended },
    byAuthority,
    byAgeGroup: groups.map((g, i) => ({ ...g, value: spacesTable.totals[i]! })),
    authorityByAgeGroup: spacesTable,
    reach: {
      children: childrenReached,
      // One decimal place, as the page and exports show it.
      placesPerChild: childrenReached > 0 ? Math.round((spacesBooked / childrenReached) * 10) / 10 : null,
      childrenAndYoungPeople: childrenReached + youngPeople.count,
      families: families.families,
      newFamilies: families.families - families.returning,
      returningFamilies: families.returning,
      byAuthority: reachByAuthority,
      byAgeGroup: groups.map((g, i) => ({ ...g, value: childrenTable.totals[i]! })),
      authorityByAgeGroup: childrenTable,
    },
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

/**
 * Sessions of each kind held in the period: published, and started by `now` or with a register
 * taken (registers open on the day). A session still to come in the period (a report of the
 * quarter under way) has not been held yet.
 */
async function sessionsHeld(db: DB, period: ReportPeriod, now: Date): Promise<Map<ActivityKind, number>> {
  const started = new Date(now.getTime() + 1).toISOString()
  const rows = await db
    .selectFrom('activity')
    .select(['activity.kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('activity.kind', 'in', KINDS)
    .where('activity.status', 'in', COUNTED_STATUSES)
    .where('activity.starts_at', '>=', period.from)
    .where('activity.starts_at', '<', period.to)
    .where((eb) => eb.or([eb('activity.starts_at', '<', started), registerTaken(eb)]))
    .groupBy('activity.kind')
    .execute()
  return new Map(rows.map((r) => [r.kind, Number(r.n)]))
}

/**
 * The session's register was taken: a confirmed place on it is marked. EXISTS rather than
 * count(distinct) over the join: each session stops at its first marked place, instead of every
 * marked place of the period being read and then de-duplicated.
 */
const registerTaken = (eb: ExpressionBuilder<Database, 'activity'>) =>
  eb.exists(
    eb
      .selectFrom('place')
      .select('place.id')
      .whereRef('place.activity_id', '=', 'activity.id')
      .where('place.status', '=', 'confirmed')
      .where('place.attended', 'is not', null),
  )

/** Sessions of each kind in the period whose register was taken. */
async function sessionsWithRegister(db: DB, period: ReportPeriod): Promise<Map<ActivityKind, number>> {
  const rows = await db
    .selectFrom('activity')
    .select(['activity.kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('activity.kind', 'in', KINDS)
    .where('activity.status', 'in', COUNTED_STATUSES)
    .where('activity.starts_at', '>=', period.from)
    .where('activity.starts_at', '<', period.to)
    .where(registerTaken)
    .groupBy('activity.kind')
    .execute()
  return new Map(rows.map((r) => [r.kind, Number(r.n)]))
}

/** A place's child: place.child_id, or for a place with none (erased before families existed) the place itself. */
const childOf = (place: 'place' | 'p') =>
  sql<number>`coalesce(${sql.ref(`${place}.child_id`)}, -${sql.ref(`${place}.id`)})`
/**
 * A counted place's position in the period as one integer: its session's start (ranked, so two
 * sessions at the same time share a rank), then its id. A child's first place has the smallest.
 */
const placeOrder = (session: 'counted_session' | 's', place: 'place' | 'p') =>
  sql<number>`${sql.ref(`${session}.start_rank`)} * ${sql.lit(4294967296)} + ${sql.ref(`${place}.id`)}`

/**
 * Spaces (confirmed places) on virtual activities, grouped by home authority and by age on the
 * day or school year: at most a few dozen authorities × ~25 ages, whatever the number of places.
 * In the same groups, the distinct children: a place counts as a child when it is that child's
 * first counted place in the period (earliest session start, then lowest place id), so each child
 * is in exactly one group and the groups add up to the distinct count. The first places are found
 * by grouping the period's places per child on one integer (placeOrder), not by ranking rows.
 */
async function spacesAndChildrenByAuthorityAndAge(db: DB, period: ReportPeriod, cut: AgeCut) {
  const group = cut === 'age-band' ? 'place.age_on_day' : 'place.school_year'
  const rows = await db
    .with('counted_session', (qb) =>
      qb
        .selectFrom('activity')
        .select([
          'activity.id as id',
          sql<number>`dense_rank() over (order by ${sql.ref('activity.starts_at')})`.as('start_rank'),
        ])
        .where('activity.kind', '=', 'activity')
        .where('activity.status', 'in', COUNTED_STATUSES)
        .where('activity.starts_at', '>=', period.from)
        .where('activity.starts_at', '<', period.to),
    )
    .selectFrom('counted_session')
    .innerJoin('place', 'place.activity_id', 'counted_session.id')
    .select((eb) => {
      const firstPlaces = eb
        .selectFrom('counted_session as s')
        // CROSS JOIN: SQLite then reads the period's sessions first, as written, and not every place
        .crossJoin('place as p')
        .whereRef('p.activity_id', '=', 's.id')
        .select(sql<number>`min(${placeOrder('s', 'p')})`.as('first_place'))
        .where('p.status', '=', 'confirmed')
        .groupBy(childOf('p'))
      return [
        'place.authority_code as authorityCode',
        eb.ref(group).as('group'),
        eb.fn.countAll<number>().as('spaces'),
        eb.fn.sum<number>(eb.case().when('place.attended', '=', 1).then(1).else(0).end()).as('attended'),
        sql<number>`sum(case when ${placeOrder('counted_session', 'place')} in (${firstPlaces}) then 1 else 0 end)`.as(
          'children',
        ),
      ]
    })
    .where('place.status', '=', 'confirmed')
    .groupBy(['place.authority_code', group])
    .execute()
  return rows.map((r) => ({
    authorityCode: r.authorityCode,
    group: r.group === null ? null : Number(r.group),
    spaces: Number(r.spaces),
    attended: Number(r.attended ?? 0),
    children: Number(r.children ?? 0),
  }))
}

/** A place's family: place.family_id, or for a place with none its booking. */
const familyOfPlace = sql<number>`coalesce(${sql.ref('place.family_id')}, -${sql.ref('place.booking_id')})`

/**
 * Distinct families reached on virtual activities, and how many of them were returning: they had
 * a confirmed place on a virtual activity (not cancelled) that started before the period. A place
 * with no family (erased before families existed) stands for its booking's family, never returning.
 */
async function familiesReached(db: DB, period: ReportPeriod): Promise<{ families: number; returning: number }> {
  const reached = db
    .selectFrom('activity')
    .innerJoin('place', 'place.activity_id', 'activity.id')
    .select([familyOfPlace.as('familyKey'), 'place.family_id as familyId'])
    .distinct()
    .where('activity.kind', '=', 'activity')
    .where('activity.status', 'in', COUNTED_STATUSES)
    .where('activity.starts_at', '>=', period.from)
    .where('activity.starts_at', '<', period.to)
    .where('place.status', '=', 'confirmed')
  const lastSessionBefore = db
    .selectFrom('activity as past')
    .select((eb) => eb.fn.coalesce(eb.fn.max('past.id'), eb.lit(0)).as('id'))
    .where('past.kind', '=', 'activity')
    .where('past.status', 'in', COUNTED_STATUSES)
    .where('past.starts_at', '<', period.from)
  const row = await db
    .selectFrom(reached.as('family'))
    .select((eb) => [
      eb.fn.countAll<number>().as('families'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(
              eb.exists(
                eb
                  .selectFrom('place as earlier')
                  // CROSS JOIN: SQLite then reads the family's places first (its planner keeps
                  // the order written), instead of every session before the period
                  .crossJoin('activity as before')
                  .select('earlier.id')
                  .whereRef('before.id', '=', 'earlier.activity_id')
                  .whereRef('earlier.family_id', '=', 'family.familyId')
                  // A session before the period has an id no higher than the highest of them
                  // (worked out once): places on later sessions are passed over in the index
                  // without looking their session up.
                  .where('earlier.activity_id', '<=', lastSessionBefore)
                  .where('earlier.status', '=', 'confirmed')
                  .where('before.kind', '=', 'activity')
                  .where('before.status', 'in', COUNTED_STATUSES)
                  .where('before.starts_at', '<', period.from),
              ),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('returning'),
    ])
    .executeTakeFirstOrThrow()
  return { families: Number(row.families), returning: Number(row.returning ?? 0) }
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

/**
 * Places still on a waiting list once their session was held (had started by `now`): demand the
 * team could not meet. A session still to come may yet give its waiting list places, so it is not
 * counted, as in the demand by category (attendance-report.server.ts).
 */
async function waitingListByKind(db: DB, period: ReportPeriod, now: Date) {
  const started = new Date(now.getTime() + 1).toISOString()
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
    .where('activity.starts_at', '<', started)
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

/**
 * The whole report: the spaces and reach figures above, and beside them the participation figures
 * (attendance-report.server.ts), whose share of known children reads the children reached here.
 */
export async function computeReport(db: DB, period: ReportPeriod, options: ReportOptions): Promise<Report> {
  const [report, participation] = await Promise.all([
    computeSpacesReport(db, period, options),
    participationFigures(db, period, options.now ?? new Date()),
  ])
  return {
    ...report,
    participation: participation({
      sessionsHeld: report.activities.held + report.adoptables.meetingsHeld,
      childrenByAuthority: report.reach.byAuthority,
    }),
  }
}
