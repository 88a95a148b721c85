import { CompiledQuery, Kysely, SqliteDialect, type LogEvent } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { book } from '../../app/domain/bookings.server'
import { calendarDate, londonDateOf, parseCalendarDate } from '../../app/time/london-time'
import { countDistinctAttendees } from '../../app/domain/members.server'
import { quarterOf, quarterPeriod, rangePeriod } from '../../app/domain/quarters'
import type { Report } from '../../app/domain/report-types'
import { computeReport } from '../../app/domain/reports.server'
import type { Database } from '../../db/schema'
import {
  BROMLEY,
  KENT,
  LEWISHAM,
  MEDWAY,
  publishSessions,
  seedSeedQuarter,
  type ExpectedFigures,
} from '../support/seed-quarter'
import { createFamily } from '../support/family'
import { startTestService, type TestService } from '../support/service'
import { onPostgres, sqliteOf } from '../support/database'

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

/** The rule every report keeps: each breakdown adds up to its headline. */
function expectAddsUp(report: Report) {
  const { spacesBooked } = report.activities
  expect(sum(report.byAuthority.map((a) => a.value))).toBe(spacesBooked)
  expect(sum(report.byAgeGroup.map((g) => g.value))).toBe(spacesBooked)
  const table = report.authorityByAgeGroup
  expect(sum(table.totals)).toBe(spacesBooked)
  expect(table.groups).toEqual(report.byAgeGroup.map(({ key, label }) => ({ key, label })))
  expect(table.totals).toEqual(report.byAgeGroup.map((g) => g.value))
  expect(table.rows.map((r) => r.code)).toEqual(report.byAuthority.map((a) => a.code))
  for (const [i, row] of table.rows.entries()) {
    expect(sum(row.cells)).toBe(row.total)
    expect(row.total).toBe(report.byAuthority[i]!.value)
  }
  for (const [g] of table.groups.entries()) expect(sum(table.rows.map((r) => r.cells[g]!))).toBe(table.totals[g])
  expect(sum(report.adoptables.byAuthority.map((a) => a.value))).toBe(report.adoptables.distinctYoungPeople)
  expect(report.activities.spacesAttended).toBeLessThanOrEqual(spacesBooked)
  // the children reached, counted once each in the group of their first place, add up too
  const { reach } = report
  expect(sum(reach.byAuthority.map((a) => a.value))).toBe(reach.children)
  expect(sum(reach.byAgeGroup.map((g) => g.value))).toBe(reach.children)
  expect(sum(reach.authorityByAgeGroup.totals)).toBe(reach.children)
  for (const row of reach.authorityByAgeGroup.rows) expect(sum(row.cells)).toBe(row.total)
  expect(reach.newFamilies + reach.returningFamilies).toBe(reach.families)
  expect(reach.children).toBeLessThanOrEqual(spacesBooked)
}

describe('quarterly report figures for a quarter shaped like the seed documents (2025-26 Q3)', () => {
  let service: TestService
  let expected: ExpectedFigures
  const q3 = quarterPeriod('2025-26', 3)

  beforeAll(async () => {
    service = await startTestService()
    expected = await seedSeedQuarter(service)
  })
  afterAll(async () => {
    await service?.close()
  })

  it('shows 49 virtual activities and 522 spaces booked: Kent 458, Medway 41, Bexley 18, Greenwich 4, Bromley 1', async () => {
    const report = await computeReport(service.database.db, q3, { cut: 'age-band' })
    expect(report.period).toEqual(q3)
    expect(report.activities).toEqual({
      held: 49,
      spacesBooked: 522,
      spacesAttended: expected.activities.spacesAttended,
    })
    expect(report.activities.spacesAttended).toBeGreaterThan(400)
    expect(report.activities.spacesAttended).toBeLessThan(522)
    expect(report.byAuthority.map((a) => [a.name, a.value, a.isPartner])).toEqual([
      ['Kent', 458, true],
      ['Medway', 41, true],
      ['Bexley', 18, true],
      ['Greenwich', 4, false],
      ['Bromley', 1, false],
    ])
    expect(report.byAuthority.map((a) => a.code)).toEqual([
      'E10000016',
      'E06000035',
      'E09000004',
      'E09000011',
      'E09000006',
    ])
    expect(report.byAuthority).toEqual(expected.byAuthority)
  })

  it('cuts the spaces by every configured age band and by authority × age band, as booked', async () => {
    const report = await computeReport(service.database.db, q3, { cut: 'age-band' })
    expect(report.byAgeGroup.map(({ label, value }) => ({ label, value }))).toEqual(expected.byAgeBand)
    expect(report.byAgeGroup.map((g) => g.label)).toEqual([
      '0 to 4',
      '5 to 7',
      '8 to 11',
      '12 to 15',
      '16 to 18',
      '19 and over',
    ])
    // several bands in use, the empty one still listed
    expect(report.byAgeGroup.filter((g) => g.value > 0).length).toBeGreaterThanOrEqual(5)
    expect(report.byAgeGroup.at(-1)!.value).toBe(0)
    expect(report.authorityByAgeGroup.rows.map(({ code, cells, total }) => ({ code, cells, total }))).toEqual(
      expected.authorityByAgeBand,
    )
    expectAddsUp(report)
  })

  it('counts 6 Adoptables meetings and 16 distinct young people aged 12 to 18, by authority', async () => {
    const report = await computeReport(service.database.db, q3, { cut: 'age-band' })
    expect(report.adoptables).toEqual(expected.adoptables)
    expect(report.adoptables).toMatchObject({ meetingsHeld: 6, distinctYoungPeople: 16, minAge: 12, maxAge: 18 })
    expect(report.adoptables.byAuthority.map((a) => [a.name, a.value])).toEqual([
      ['Kent', 10],
      ['Medway', 3],
      ['Bexley', 2],
      ['Greenwich', 1],
    ])
    // the same figure as the members page, from the one rule in members.server
    expect(await countDistinctAttendees(service.database.db, new Date(q3.from), new Date(q3.to))).toBe(16)
  })

  it('reports feedback per kind and the waiting list left by full sessions', async () => {
    const report = await computeReport(service.database.db, q3, { cut: 'age-band' })
    expect(report.feedback).toEqual(expected.feedback)
    expect(report.feedback).toEqual([
      { kind: 'activity', responses: 10, averageScore: 4.2 },
      { kind: 'adoptables', responses: 3, averageScore: 4.33 },
    ])
    expect(report.waitingList).toEqual(expected.waitingList)
    expect(report.waitingList).toEqual([
      { kind: 'activity', places: expected.noise.waitlistedPlaces, sessions: 2 },
      { kind: 'adoptables', places: 1, sessions: 1 },
    ])
  })

  it('leaves out the cancelled activity, cancelled and waitlisted places, and sessions either side of the quarter', async () => {
    const db = service.database.db
    const report = await computeReport(db, q3, { cut: 'age-band' })
    // the noise is really there
    const onCancelled = await db
      .selectFrom('place')
      .select(['status'])
      .where('activity_id', '=', expected.noise.cancelledActivityId)
      .execute()
    expect(onCancelled.filter((p) => p.status === 'confirmed')).toHaveLength(expected.noise.cancelledActivityPlaces)
    expect(onCancelled.filter((p) => p.status === 'waitlisted')).toHaveLength(
      expected.noise.cancelledActivityWaitlisted,
    )
    const onCounted = await db
      .selectFrom('place')
      .select('status')
      .where('activity_id', 'in', expected.activityIds)
      .where('status', '<>', 'confirmed')
      .execute()
    expect(onCounted.filter((p) => p.status === 'cancelled')).toHaveLength(expected.noise.cancelledPlaces)
    expect(onCounted.filter((p) => p.status === 'waitlisted')).toHaveLength(expected.noise.waitlistedPlaces)
    expect(expected.noise.cancelledPlaces).toBe(3)
    expect(expected.noise.absentPlaces).toBeGreaterThan(0)
    expect(expected.noise.unmarkedPlaces).toBeGreaterThan(0)
    // … and not counted: Lewisham booked only noise
    expect(report.byAuthority.map((a) => a.code)).not.toContain(LEWISHAM)
    expect(report.adoptables.byAuthority.map((a) => a.code)).not.toContain(LEWISHAM)

    const q2 = await computeReport(db, quarterPeriod('2025-26', 2), { cut: 'age-band' })
    expect(q2.activities).toEqual({ held: 1, spacesBooked: 3, spacesAttended: 3 })
    expect(q2.byAuthority.map((a) => [a.code, a.value])).toEqual([
      [KENT, 2],
      [LEWISHAM, 1],
      // partners are listed even at 0, by name
      ['E09000004', 0],
      [MEDWAY, 0],
    ])
    expect(q2.feedback[0]).toEqual({ kind: 'activity', responses: 1, averageScore: 1 })
    expect(q2.adoptables).toEqual({
      meetingsHeld: 0,
      distinctYoungPeople: 0,
      minAge: null,
      maxAge: null,
      byAuthority: [
        { code: 'E09000004', name: 'Bexley', isPartner: true, value: 0 },
        { code: KENT, name: 'Kent', isPartner: true, value: 0 },
        { code: MEDWAY, name: 'Medway', isPartner: true, value: 0 },
      ],
    })
    expectAddsUp(q2)
    const q4 = await computeReport(db, quarterPeriod('2025-26', 4), { cut: 'age-band' })
    expect(q4.activities.held).toBe(1)
    expect(q4.byAuthority.find((a) => a.code === BROMLEY)?.value).toBe(1)
    expectAddsUp(q4)
  })

  it('gives the same figures for the date range 1 October to 31 December 2025', async () => {
    const byQuarter = await computeReport(service.database.db, q3, { cut: 'age-band' })
    const byRange = await computeReport(service.database.db, rangePeriod('2025-10-01', '2025-12-31'), {
      cut: 'age-band',
    })
    expect(byRange.period.label).toBe('1 October 2025 to 31 December 2025')
    expect({ ...byRange, period: null }).toEqual({ ...byQuarter, period: null })
  })

  it('cuts the same spaces by school year group, every group listed, adding up', async () => {
    const report = await computeReport(service.database.db, q3, { cut: 'school-year' })
    expect(report.cut).toBe('school-year')
    expect(report.byAgeGroup.map(({ label, value }) => ({ label, value }))).toEqual(expected.bySchoolYear)
    expect(report.byAgeGroup.find((g) => g.label === 'Reception')!.value).toBeGreaterThan(0)
    expect(report.byAgeGroup.find((g) => g.label === 'Year 7')!.value).toBeGreaterThan(0)
    expect(report.activities.spacesBooked).toBe(522)
    expect(report.byAuthority).toEqual(expected.byAuthority)
    expectAddsUp(report)
  })

  it('keeps the figures after dates of birth are erased, from the age and school year stored at booking', async () => {
    const db = service.database.db
    const before = await computeReport(db, q3, { cut: 'school-year' })
    await db
      .updateTable('place')
      .set({ date_of_birth: null })
      .where('activity_id', 'in', expected.activityIds)
      .execute()
    expect(await computeReport(db, q3, { cut: 'school-year' })).toEqual(before)
  })

  // SQLite's query plans; PostgreSQL's counterpart is tests/integration/report-plan.test.ts.
  it.skipIf(onPostgres)('reads a quarter through indexes: no full scan of places, bookings or feedback', async () => {
    const queries: CompiledQuery[] = []
    const watched = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqliteOf(service.database).sqlite }),
      log: (event: LogEvent) => {
        if (event.level === 'query') queries.push(event.query)
      },
    })
    await computeReport(watched, q3, { cut: 'age-band' })
    await computeReport(watched, q3, { cut: 'school-year' })
    const plans: string[] = []
    /** series retention's queries that start from the series' first sessions, given by id, not from the quarter */
    const firstSessionPlans: string[] = []
    for (const query of queries) {
      if (!/\bplace\b/.test(query.sql)) continue
      const steps = sqliteOf(service.database)
        .sqlite.prepare(`explain query plan ${query.sql}`)
        .all(...(query.parameters as unknown[])) as Array<{ detail: string }>
      const plan = steps.map((s) => s.detail).join(' | ')
      if (/^select "(fa|place)"\."activity_id"|^select "la"\."id"|from "activity" as "fa" cross join/.test(query.sql))
        firstSessionPlans.push(plan)
      else plans.push(plan)
    }
    // the six seeded series: their first sessions' places and the young people's own bookings, by index
    expect(firstSessionPlans.length).toBeGreaterThanOrEqual(2)
    for (const plan of firstSessionPlans) {
      expect(plan).not.toMatch(/\bSCAN\b/)
      expect(plan).toMatch(/SEARCH (place|f) USING COVERING INDEX place_report \(activity_id=\?/)
    }
    expect(plans.length).toBeGreaterThanOrEqual(5)
    for (const plan of plans) {
      // Reading back the reach's own derived tables (the quarter's places, already read through
      // the index, the period's sessions ranked by start, the families de-duplicated) is not a scan
      // of a table; nor is series retention's cohort (the first sessions' children, read through
      // place_report; with more than a few, SQLite gives it an automatic index).
      expect(plan.replace(/\bSCAN (\(subquery-\d+\)|counted_session|s|family|cohort)( |$)/g, '')).not.toMatch(
        /\bSCAN\b/,
      )
      // a range of one quarter's sessions of a kind (the covering kind, status, start index,
      // activity_report since migration 18 added the id for PostgreSQL, or activity_participation,
      // which holds the same and more since migration 22; the per-kind GROUP BYs may use the older
      // kind, start one) …
      expect(plan).toMatch(
        /SEARCH activity USING (COVERING )?INDEX activity_(kind_(status_)?start|report|participation) \(kind=\? AND (status=\? AND )?starts_at>\? AND starts_at<\?\)/,
      )
      // … then only those sessions' places (the registers' EXISTS stops at each session's first)
      expect(plan).toMatch(/SEARCH place (EXISTS )?USING COVERING INDEX \w+ \(activity_id=\?/)
    }
  })
})

describe('quarter boundaries in London time', () => {
  let service: TestService
  beforeAll(async () => {
    service = await startTestService()
  })
  afterAll(async () => {
    await service?.close()
  })

  let bookings = 0
  async function sessionWithSpaces(
    date: string,
    start: string,
    end: string,
    ages: number[],
  ): Promise<{ id: number; startsAt: string }> {
    const [session] = await publishSessions(service.database.db, {
      kind: 'activity',
      title: `Boundary ${date} ${start}`,
      category: 'Science experiments',
      date,
      start,
      end,
      capacity: 20,
      minAge: 3,
      maxAge: 17,
    })
    // born on 1 December: the age is the same on any day of the quarter up to December
    const year = parseCalendarDate(londonDateOf(session!.startsAt))!.year
    const bookedAt = new Date(session!.startsAt.getTime() - 86_400_000)
    const links = { baseUrl: service.url, domain: 'test.invalid' }
    // A family already known (confirmed), booking its children: confirmed at once. (A form post
    // would hold them until the emailed link, and the hold job, on the real clock, would release a
    // hold dated in the past before the test could confirm it.)
    const { familyId, childIds } = await createFamily(service.database.db, {
      children: ages.map((age, i) => ({
        firstName: `Child ${bookings}-${i}`,
        dob: calendarDate(year - age - 1, 12, 1),
      })),
    })
    const result = await book(
      service.database.db,
      {
        activityId: session!.id,
        familyId,
        childIds,
        idempotencyKey: `boundary-${bookings++}`,
        acceptWaitlist: false,
      },
      links,
      { maxChildren: 10, now: bookedAt },
    )
    if (result.status !== 'booked') throw new Error(`not booked: ${result.status}`)
    expect(result.confirmed).toHaveLength(ages.length)
    return { id: session!.id, startsAt: session!.startsAt.toISOString() }
  }

  // made once every session here has been held, unless a test says when
  const figures = async (period: ReturnType<typeof quarterPeriod>, now = new Date('2030-01-01T00:00:00Z')) => {
    const report = await computeReport(service.database.db, period, { cut: 'age-band', now })
    expectAddsUp(report)
    return [report.activities.held, report.activities.spacesBooked]
  }

  it('puts 31 March 2026 23:30 in 2025-26 Q4 and 1 April 2026 00:30 BST in 2026-27 Q1', async () => {
    const last = await sessionWithSpaces('2026-03-31', '23:30', '23:59', [8, 9])
    const first = await sessionWithSpaces('2026-04-01', '00:30', '01:30', [8, 9, 10])
    expect(last.startsAt).toBe('2026-03-31T22:30:00.000Z')
    // still 31 March in UTC, already 1 April in London
    expect(first.startsAt).toBe('2026-03-31T23:30:00.000Z')
    expect(quarterOf(last.startsAt)).toEqual({ financialYear: '2025-26', number: 4 })
    expect(quarterOf(first.startsAt)).toEqual({ financialYear: '2026-27', number: 1 })
    expect(await figures(quarterPeriod('2025-26', 4))).toEqual([1, 2])
    expect(await figures(quarterPeriod('2026-27', 1))).toEqual([1, 3])
    expect(await figures(rangePeriod('2026-03-31', '2026-03-31'))).toEqual([1, 2])
    expect(await figures(rangePeriod('2026-04-01', '2026-04-01'))).toEqual([1, 3])
  })

  it('counts each session of a Q3 with the October clock change exactly once, by its London date', async () => {
    const q3 = quarterPeriod('2026-27', 3)
    // Q3 starts at midnight BST and ends at midnight GMT: 92 days and one hour
    expect([q3.from, q3.to]).toEqual(['2026-09-30T23:00:00.000Z', '2027-01-01T00:00:00.000Z'])
    await sessionWithSpaces('2026-09-30', '23:00', '23:45', [8]) // Q2
    await sessionWithSpaces('2026-10-01', '00:30', '01:30', [8]) // Q3, though 30 September in UTC
    // the repeated hour when the clocks go back: the form takes the first (BST) 01:30
    const repeated = await sessionWithSpaces('2026-10-25', '01:30', '02:30', [8])
    expect(repeated.startsAt).toBe('2026-10-25T00:30:00.000Z')
    await sessionWithSpaces('2026-10-25', '10:00', '11:00', [8]) // GMT
    await sessionWithSpaces('2026-12-31', '23:30', '23:59', [8]) // Q3
    await sessionWithSpaces('2027-01-01', '00:30', '01:30', [8]) // Q4
    expect(await figures(q3)).toEqual([4, 4])
    // made on 1 December 2026, the quarter under way: 31 December's session is booked, not yet held
    expect(await figures(q3, new Date('2026-12-01T12:00:00Z'))).toEqual([3, 4])
    expect(await figures(quarterPeriod('2026-27', 2))).toEqual([1, 1])
    expect(await figures(quarterPeriod('2026-27', 4))).toEqual([1, 1])
    // the same rule for a year starting in October, whose Q1 is October to December
    expect(await figures(quarterPeriod('2026-27', 1, 10))).toEqual([4, 4])
  })

  it('lists the partners at 0 and every age band for a quarter with nothing in it', async () => {
    const report = await computeReport(service.database.db, quarterPeriod('2030-31', 1), { cut: 'age-band' })
    expect(report.activities).toEqual({ held: 0, spacesBooked: 0, spacesAttended: 0 })
    expect(report.byAuthority.map((a) => [a.name, a.value])).toEqual([
      ['Bexley', 0],
      ['Kent', 0],
      ['Medway', 0],
    ])
    expect(report.byAgeGroup).toHaveLength(6)
    expect(report.authorityByAgeGroup.rows.every((r) => r.cells.every((c) => c === 0))).toBe(true)
    expect(report.adoptables).toMatchObject({ meetingsHeld: 0, distinctYoungPeople: 0, minAge: null, maxAge: null })
    expect(report.feedback).toEqual([
      { kind: 'activity', responses: 0, averageScore: null },
      { kind: 'adoptables', responses: 0, averageScore: null },
    ])
    expect(report.waitingList).toEqual([
      { kind: 'activity', places: 0, sessions: 0 },
      { kind: 'adoptables', places: 0, sessions: 0 },
    ])
    expectAddsUp(report)
  })
})
