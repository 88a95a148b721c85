// The report's participation figures: attendance and no-shows where a register was taken, series
// retention, waiting-list demand that stayed, and (with the report's children reached) the share
// of each authority's known adopted children. Each is a GROUP BY in SQL over the period's sessions
// (read from the activity_report and place_report indexes); the breakdowns by kind and category
// are summed here from the per-session rows, so each adds up to its headline by construction.
import { sql } from 'kysely'
import type { DB } from '../../db/index'
import type { ActivityKind } from '../../db/schema'
import { readKnownChildren, shareOfKnownChildren } from './known-children.server'
import type {
  AttendanceCount,
  AttendanceRow,
  ParticipationReport,
  SeriesRetention,
  SessionAttendance,
} from './participation-types'
import type { AuthorityCount, ReportPeriod } from './report-types'

const KINDS: readonly ActivityKind[] = ['activity', 'adoptables']
export const PARTICIPATION_KIND_NAMES = { activity: 'Virtual activities', adoptables: 'Adoptables meetings' } as const

const attendedSum = sql<number>`sum(case when ${sql.ref('place.attended')} = 1 then 1 else 0 end)`
const noShowSum = sql<number>`sum(case when ${sql.ref('place.attended')} = 0 then 1 else 0 end)`
const markedSum = sql<number>`sum(case when ${sql.ref('place.attended')} is not null then 1 else 0 end)`

function count(places: number, attended: number, noShows: number): AttendanceCount {
  return { places, attended, noShows, notMarked: places - attended - noShows }
}

function add(into: AttendanceCount, row: AttendanceCount): void {
  into.places += row.places
  into.attended += row.attended
  into.noShows += row.noShows
  into.notMarked += row.notMarked
}

const zero = (): AttendanceCount => ({ places: 0, attended: 0, noShows: 0, notMarked: 0 })

/** The period's published sessions of both kinds. */
function periodSessions(db: DB, period: ReportPeriod) {
  return db
    .selectFrom('activity')
    .where('activity.kind', 'in', KINDS)
    .where('activity.status', '=', 'published')
    .where('activity.starts_at', '>=', period.from)
    .where('activity.starts_at', '<', period.to)
}

/**
 * Each session of the period with a register taken: at least one confirmed place on it marked
 * attended or not (the rule the report's "registers were taken at" count uses). Its confirmed
 * places, and how many the register marks attended, did not attend, or leaves unmarked.
 */
/** exported for scripts/bench-attendance.ts */
export async function attendanceBySession(
  db: DB,
  period: ReportPeriod,
  firstIds: number[] = [],
): Promise<Array<SessionAttendance & { cameFromFirst: number }>> {
  const rows = await periodSessions(db, period)
    .innerJoin('place', 'place.activity_id', 'activity.id')
    // Series retention in the same pass: is the place's child one of those booked on the first
    // session of the session's series? (the first sessions' children: a few per series)
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('activity as fa')
          .innerJoin('place as f', 'f.activity_id', 'fa.id')
          .select(['fa.series_id', 'f.child_id'])
          .distinct()
          // no series: no session has id 0, so nobody is in the cohort
          .where('fa.id', 'in', firstIds.length ? firstIds : [0])
          .where('f.status', '=', 'confirmed')
          .where('f.child_id', 'is not', null)
          .as('cohort'),
      (join) =>
        join.onRef('cohort.series_id', '=', 'activity.series_id').onRef('cohort.child_id', '=', 'place.child_id'),
    )
    .select((eb) => [
      'activity.id',
      'activity.title',
      'activity.kind',
      'activity.category',
      'activity.starts_at',
      eb.fn.countAll<number>().as('places'),
      attendedSum.as('attended'),
      noShowSum.as('noShows'),
      sql<number>`sum(case when ${sql.ref('cohort.child_id')} is not null and ${sql.ref('place.attended')} = 1 then 1 else 0 end)`.as(
        'came',
      ),
    ])
    .where('place.status', '=', 'confirmed')
    .groupBy(['activity.id', 'activity.title', 'activity.kind', 'activity.category', 'activity.starts_at'])
    .having(markedSum, '>', 0)
    .orderBy('activity.starts_at')
    .orderBy('activity.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    category: r.category,
    startsAt: r.starts_at,
    ...count(Number(r.places), Number(r.attended ?? 0), Number(r.noShows ?? 0)),
    cameFromFirst: Number(r.came ?? 0),
  }))
}

/** The same places by home authority: only on sessions with a register taken (EXISTS, as above). */
/** exported for scripts/bench-attendance.ts */
export async function attendanceByAuthority(db: DB, period: ReportPeriod) {
  const rows = await periodSessions(db, period)
    .innerJoin('place', 'place.activity_id', 'activity.id')
    .select((eb) => [
      'place.authority_code as code',
      eb.fn.countAll<number>().as('places'),
      attendedSum.as('attended'),
      noShowSum.as('noShows'),
    ])
    .where('place.status', '=', 'confirmed')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('place as marked')
          .select('marked.id')
          .whereRef('marked.activity_id', '=', 'activity.id')
          .where('marked.status', '=', 'confirmed')
          .where('marked.attended', 'is not', null),
      ),
    )
    .groupBy('place.authority_code')
    .execute()
  return rows.map((r) => ({
    code: r.code,
    ...count(Number(r.places), Number(r.attended ?? 0), Number(r.noShows ?? 0)),
  }))
}

/**
 * Places still on a waiting list on sessions of the period that had started by `now`: waitlisted
 * when the session began and never promoted (a promoted place is confirmed; a family that left
 * the list has a cancelled place). Sessions still to come are left out: their lists may yet move.
 */
/** exported for scripts/bench-attendance.ts */
export async function demandByCategory(db: DB, period: ReportPeriod, now: Date) {
  // Sessions that had started by now: the period cut short at now (instants are stored to the
  // millisecond, so "started at or before now" is "before now + 1 ms"), one range like the others.
  const started = new Date(now.getTime() + 1).toISOString()
  const to = started < period.to ? started : period.to
  const rows = await periodSessions(db, { ...period, to })
    .innerJoin('place', 'place.activity_id', 'activity.id')
    .select((eb) => [
      'activity.category',
      eb.fn.countAll<number>().as('places'),
      eb.fn.count<number>('activity.id').distinct().as('sessions'),
    ])
    .where('place.status', '=', 'waitlisted')
    .groupBy('activity.category')
    .execute()
  const byCategory = rows
    .map((r) => ({ category: r.category, places: Number(r.places), sessions: Number(r.sessions) }))
    .sort((a, b) => b.places - a.places || a.category.localeCompare(b.category, 'en-GB'))
  return {
    places: byCategory.reduce((sum, r) => sum + r.places, 0),
    sessions: byCategory.reduce((sum, r) => sum + r.sessions, 0),
    byCategory,
  }
}

/**
 * Who a place is for, as one number that is the same on every session: a child (place.child_id)
 * or a young person booking for themselves (their member id). A place with neither (erased before
 * families existed) cannot be followed from session to session and is left out.
 */
const who = (place: string, booking: string) =>
  sql<number>`case when ${sql.ref(`${place}.child_id`)} is not null then ${sql.ref(`${place}.child_id`)} * 2 else (select ${sql.ref(`${booking}.member_id`)} * 2 + 1 from booking as ${sql.ref(booking)} where ${sql.ref(`${booking}.id`)} = ${sql.ref(`${place}.booking_id`)}) end`

/**
 * Of the young people with a confirmed place on each first session (Adoptables: their own
 * bookings), how many were marked attended on each session of the same series (the first, and
 * later ones in the period). Read from the first sessions' places outwards: the series' sessions
 * (activity_series_report), each young person's booking on each (booking_member_activity), then
 * its place. CROSS JOIN keeps that order on SQLite
 * (its planner keeps the order written). Children are counted with the period's places (above).
 */
export function youngPeopleCameBack(db: DB, period: ReportPeriod, firstIds: number[]) {
  return db
    .selectFrom('activity as fa')
    .crossJoin('place as f')
    .crossJoin('booking as fb')
    .crossJoin('activity as la')
    .crossJoin('booking as lb')
    .crossJoin('place as l')
    .select(['la.id as activity_id', sql<number>`count(distinct ${sql.ref('fb.member_id')})`.as('came')])
    .where('fa.id', 'in', firstIds)
    .whereRef('f.activity_id', '=', 'fa.id')
    .where('f.status', '=', 'confirmed')
    .where('f.child_id', 'is', null)
    .whereRef('fb.id', '=', 'f.booking_id')
    .where('fb.member_id', 'is not', null)
    .whereRef('la.series_id', '=', 'fa.series_id')
    .where('la.status', '=', 'published')
    .where((eb) =>
      eb.or([
        eb.and([eb('la.starts_at', '>=', period.from), eb('la.starts_at', '<', period.to)]),
        eb('la.id', '=', eb.ref('fa.id')),
      ]),
    )
    .whereRef('lb.member_id', '=', 'fb.member_id')
    .whereRef('lb.activity_id', '=', 'la.id')
    .whereRef('l.booking_id', '=', 'lb.id')
    .where('l.status', '=', 'confirmed')
    .where('l.attended', '=', 1)
    .groupBy('la.id')
    .execute()
}

/** The sessions (published) of every series with a session in the period, in order. */
/** exported for scripts/bench-attendance.ts */
export async function seriesSessions(db: DB, period: ReportPeriod) {
  // The series first, then their sessions by series (activity_series_report): as one query with
  // IN (subquery), PostgreSQL's planner chose to read every session and hash them.
  const seriesIds = (
    await periodSessions(db, period)
      .select('activity.series_id')
      .distinct()
      .where('activity.series_id', 'is not', null)
      .execute()
  ).map((r) => r.series_id!)
  const sessions = seriesIds.length
    ? await db
        .selectFrom('activity')
        .select(['id', 'series_id', 'title', 'starts_at'])
        .where('series_id', 'in', seriesIds)
        .where('status', '=', 'published')
        .where('kind', 'in', KINDS)
        .orderBy('starts_at')
        .orderBy('id')
        .execute()
    : []
  const bySeries = new Map<number, typeof sessions>()
  for (const s of sessions) {
    const list = bySeries.get(s.series_id!) ?? []
    list.push(s)
    bySeries.set(s.series_id!, list)
  }
  return { bySeries, firstIds: [...bySeries.values()].map((list) => list[0]!.id) }
}

/**
 * The first sessions' own figures: how many distinct children and young people were booked
 * (confirmed), how many of them were marked attended, and whether a register was taken there.
 */
export async function firstSessionFigures(db: DB, firstIds: number[]) {
  if (firstIds.length === 0) return new Map<number, { booked: number; came: number; marked: number }>()
  const rows = await db
    .selectFrom('place')
    .select([
      'place.activity_id',
      sql<number>`count(distinct ${who('place', 'b')})`.as('booked'),
      sql<number>`count(distinct case when ${sql.ref('place.attended')} = 1 then ${who('place', 'c')} end)`.as('came'),
      markedSum.as('marked'),
    ])
    .where('place.activity_id', 'in', firstIds)
    .where('place.status', '=', 'confirmed')
    .groupBy('place.activity_id')
    .execute()
  return new Map(
    rows.map((r) => [
      r.activity_id,
      { booked: Number(r.booked), came: Number(r.came ?? 0), marked: Number(r.marked ?? 0) },
    ]),
  )
}

/**
 * Series retention: for each series with a session in the period, the children (and young people)
 * with a confirmed place on its first published session (which may be before the period), and how
 * many of them were marked attended at the first session and at each later one in the period. A
 * session with no register taken has no figure (null), not 0.
 */
function seriesRetention(
  period: ReportPeriod,
  series: Awaited<ReturnType<typeof seriesSessions>>,
  bySession: Array<SessionAttendance & { cameFromFirst: number }>,
  firsts: Map<number, { booked: number; came: number; marked: number }>,
  youngPeople: Array<{ activity_id: number; came: number }>,
): SeriesRetention[] {
  const children = new Map(bySession.map((s) => [s.id, s.cameFromFirst]))
  const members = new Map(youngPeople.map((y) => [y.activity_id, Number(y.came)]))
  return [...series.bySeries.entries()]
    .map(([seriesId, list]) => {
      const first = list[0]!
      const own = firsts.get(first.id)
      const shown = list.filter((s, i) => i === 0 || (s.starts_at >= period.from && s.starts_at < period.to))
      return {
        seriesId,
        title: first.title,
        firstSessionId: first.id,
        firstStartsAt: first.starts_at,
        booked: own?.booked ?? 0,
        sessions: shown.map((s, i) => {
          if (i === 0) return { id: s.id, startsAt: s.starts_at, came: own && own.marked > 0 ? own.came : null }
          const registered = children.has(s.id)
          return {
            id: s.id,
            startsAt: s.starts_at,
            came: registered ? (children.get(s.id) ?? 0) + (members.get(s.id) ?? 0) : null,
          }
        }),
      }
    })
    .sort((a, b) => a.firstStartsAt.localeCompare(b.firstStartsAt) || a.seriesId - b.seriesId)
}

function byKey(
  sessions: SessionAttendance[],
  keyOf: (s: SessionAttendance) => string,
  keys: readonly string[] = [],
): Map<string, AttendanceCount> {
  const out = new Map<string, AttendanceCount>(keys.map((k) => [k, zero()]))
  for (const s of sessions) {
    const key = keyOf(s)
    const row = out.get(key) ?? zero()
    add(row, s)
    out.set(key, row)
  }
  return out
}

/** Largest first (places), ties by name. */
function ordered(rows: AttendanceRow[]): AttendanceRow[] {
  return rows.sort((a, b) => b.places - a.places || a.label.localeCompare(b.label, 'en-GB'))
}

/**
 * The participation figures for the period. `now` decides which sessions have started (waiting
 * lists that stayed); `finish` takes the rest of the report (children reached per authority, the
 * sessions held) so the share of known children reads the report's own distinct-children figures.
 */
export async function participationFigures(db: DB, period: ReportPeriod, now: Date) {
  const series = await seriesSessions(db, period)
  const { firstIds } = series
  const [sessions, authorityRows, demand, known, firsts, youngPeople] = await Promise.all([
    attendanceBySession(db, period, firstIds),
    attendanceByAuthority(db, period),
    demandByCategory(db, period, now),
    readKnownChildren(db, period),
    firstSessionFigures(db, firstIds),
    firstIds.length ? youngPeopleCameBack(db, period, firstIds) : Promise.resolve([]),
  ])
  const retention = seriesRetention(period, series, sessions, firsts, youngPeople)
  const bySession: SessionAttendance[] = sessions.map(({ cameFromFirst: _came, ...s }) => s)
  const names = new Map(
    authorityRows.length
      ? (
          await db
            .selectFrom('authority')
            .select(['code', 'name'])
            .where(
              'code',
              'in',
              authorityRows.map((r) => r.code),
            )
            .execute()
        ).map((a) => [a.code, a.name])
      : [],
  )
  const total = zero()
  for (const s of bySession) add(total, s)
  const kinds = byKey(bySession, (s) => s.kind, KINDS)
  const categories = byKey(bySession, (s) => s.category)

  return (report: { sessionsHeld: number; childrenByAuthority: AuthorityCount[] }): ParticipationReport => ({
    attendance: {
      sessionsHeld: report.sessionsHeld,
      sessionsWithRegister: bySession.length,
      total,
      byKind: KINDS.map((kind) => ({ key: kind, label: PARTICIPATION_KIND_NAMES[kind], ...kinds.get(kind)! })),
      byCategory: ordered([...categories].map(([category, c]) => ({ key: category, label: category, ...c }))),
      byAuthority: ordered(
        authorityRows.map(({ code, ...c }) => ({ key: code, label: names.get(code) ?? code, ...c })),
      ),
      bySession,
    },
    seriesRetention: retention,
    demand,
    knownChildren: shareOfKnownChildren(known, report.childrenByAuthority),
  })
}
