// Reach in the quarterly report: distinct children (by home authority and age group) and new
// versus returning families, on a quarter (2025-26 Q3) written place by place with the child and
// family each place is for, as the booking code writes them. Every expected figure below is worked
// out by hand from the list of places in the comment, never by the code under test.
//
//   sessions (virtual activities unless said): SOLD 15 Jun 2024; SP 20 Sep 2025 and SPX 27 Sep
//   2025 (cancelled), both Q2; S1 4 Oct; S2 and S2B 8 Nov at the same time; SX 15 Nov (cancelled);
//   S3 6 Dec; SN 10 Jan 2026 (Q4); M1 an Adoptables meeting on 15 Oct.
//
//   F1 Kent, returning (SP confirmed): Amara (born 20 Nov 2017: 7 on S1 and S2, 8 on S3, so her
//      birthday moves her from 5 to 7 to 8 to 11 within the quarter) on S1, S2, S3; her brother
//      Ben (10) on S1.
//   F2 Medway, new: Chloe (4) on S2, Dev (12) on S2 and S3; Chloe again on SN.
//   F3 Bexley, address not confirmed: Ella (9) HELD on S3. Not reached.
//   F4 Greenwich, new: Grace (16) on S3; her brother Finn (15) WAITLISTED on S3.
//   F5 Kent: Harry (6) only on the cancelled SX. Not reached.
//   F6 Kent, new (its Q2 place was only waitlisted): Isla (13) on S2.
//   F7 Kent, new: another Amara with the same birthday as F1's: a different child.
//   F8 new to Kent from Medway, returning (SOLD): Jay (11) on S3 booked from Kent FIRST (lower
//      place id), then on S2 booked from Medway: counted in Medway, by the earlier session.
//   F9 Bexley, new (its Q2 place was on the cancelled SPX): Kai (7) on S2B booked from Bexley
//      first, then on S2 (same start) from Greenwich: counted in Bexley, by the lower place id.
//   L1 Kent: one booking erased before families existed, two places with no child or family (9, 5).
//   L2 Kent: the same, one place (14).
//   M1: a young person's confirmed place (no child or family): not a virtual activity; and Zara
//      (Medway), an Adoptables member, attended M1: one young person, so 12 + 1 = 13 children and
//      young people reached together (different records, never matched: the sum).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeActivityStatus } from '../../app/domain/activities.server'
import { ageOnDay } from '../../app/domain/age'
import { schoolYearOf } from '../../app/domain/age-groups'
import { createApiToken } from '../../app/domain/api-tokens.server'
import { quarterPeriod, rangePeriod } from '../../app/domain/quarters'
import type { Report } from '../../app/domain/report-types'
import { computeReport } from '../../app/domain/reports.server'
import { londonDateOf } from '../../app/time/london-time'
import type { PlaceStatus } from '../../db/schema'
import { parseCsv } from '../support/csv'
import { createFamily } from '../support/family'
import { BEXLEY, GREENWICH, KENT, MEDWAY, publishSessions } from '../support/seed-quarter'
import { startTestService, type HttpClient, type TestService } from '../support/service'
import { readWorkbook } from '../support/xlsx'

const LINKS = { baseUrl: 'http://join-in.test', domain: 'test.invalid' }
const Q3 = quarterPeriod('2025-26', 3)
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

/** The rule every report keeps, for the reach figures too: each breakdown adds up to its headline. */
function expectReachAddsUp(report: Report) {
  const { reach } = report
  expect(sum(reach.byAuthority.map((a) => a.value))).toBe(reach.children)
  expect(sum(reach.byAgeGroup.map((g) => g.value))).toBe(reach.children)
  const table = reach.authorityByAgeGroup
  expect(sum(table.totals)).toBe(reach.children)
  expect(table.groups).toEqual(report.authorityByAgeGroup.groups)
  expect(table.totals).toEqual(reach.byAgeGroup.map((g) => g.value))
  expect(table.rows.map((r) => r.code)).toEqual(reach.byAuthority.map((a) => a.code))
  for (const [i, row] of table.rows.entries()) {
    expect(sum(row.cells)).toBe(row.total)
    expect(row.total).toBe(reach.byAuthority[i]!.value)
  }
  expect(reach.newFamilies + reach.returningFamilies).toBe(reach.families)
  expect(reach.children).toBeLessThanOrEqual(report.activities.spacesBooked)
}

function decode(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim()
}

/** The rows of the page's table with this caption, as cell texts. */
function table(html: string, caption: string): string[][] {
  const start = html.indexOf(`>${caption}</caption>`)
  if (start === -1) throw new Error(`no table captioned "${caption}"`)
  const markup = html.slice(start, html.indexOf('</table>', start))
  return [...markup.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => decode(cell[1]!)),
  )
}

interface Session {
  id: number
  day: string
}

describe('reach in the quarterly report: distinct children and new and returning families (2025-26 Q3)', () => {
  let service: TestService
  let viewer: HttpClient
  const ids = { f7: 0, placesOnCounted: [] as number[], held: 0, waitlisted: 0 }

  let bookings = 0
  /** One booking and its places, written as the booking code writes them (age and school year on the day). */
  async function book(
    session: Session,
    authority: string,
    familyId: number | null,
    children: Array<{ childId: number; dob: string } | { erased: true; age: number; schoolYear: number }>,
    status: PlaceStatus = 'confirmed',
  ): Promise<number[]> {
    const db = service.database.db
    const n = ++bookings
    const stamp = new Date().toISOString()
    const booking = await db
      .insertInto('booking')
      .values({
        reference: `JN-R${n}`,
        activity_id: session.id,
        contact_name: familyId === null ? null : `Parent ${n}`,
        email: familyId === null ? null : `reach${n}@example.org`,
        phone: null,
        authority_code: authority,
        manage_token_hash: `reach-hash-${n}`,
        idempotency_key: `reach-${n}`,
        member_id: null,
        family_id: familyId,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const placeIds: number[] = []
    for (const [i, child] of children.entries()) {
      const known = 'childId' in child
      const row = await db
        .insertInto('place')
        .values({
          booking_id: booking.id,
          activity_id: session.id,
          first_name: known ? `Child ${child.childId}` : null,
          date_of_birth: known ? child.dob : null,
          child_key: known ? `child:${child.childId}` : `erased:${n}:${i}`,
          age_on_day: known ? ageOnDay(child.dob, session.day) : child.age,
          school_year: known ? schoolYearOf(child.dob, session.day) : child.schoolYear,
          authority_code: authority,
          support_needs: null,
          status,
          attended: null,
          created_at: stamp,
          updated_at: stamp,
          child_id: known ? child.childId : null,
          family_id: familyId,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      placeIds.push(row.id)
    }
    return placeIds
  }

  beforeAll(async () => {
    service = await startTestService()
    viewer = await service.signedIn('viewer')
    const db = service.database.db
    const admin = await db.selectFrom('staff_user').select('id').orderBy('id').executeTakeFirstOrThrow()

    const session = async (date: string, kind: 'activity' | 'adoptables' = 'activity'): Promise<Session> => {
      const [row] = await publishSessions(db, {
        kind,
        title: `Reach ${kind} ${date}`,
        category: kind === 'adoptables' ? 'Adoptables meeting' : 'Science experiments',
        date,
        start: kind === 'adoptables' ? '18:00' : '10:00',
        end: kind === 'adoptables' ? '19:00' : '11:00',
        capacity: 20,
        minAge: kind === 'adoptables' ? 12 : 3,
        maxAge: kind === 'adoptables' ? 18 : 17,
      })
      return { id: row!.id, day: londonDateOf(row!.startsAt) }
    }
    const sOld = await session('2024-06-15')
    const sp = await session('2025-09-20')
    const spx = await session('2025-09-27')
    const s1 = await session('2025-10-04')
    const s2 = await session('2025-11-08')
    const s2b = await session('2025-11-08')
    const sx = await session('2025-11-15')
    const s3 = await session('2025-12-06')
    const sn = await session('2026-01-10')
    const m1 = await session('2025-10-15', 'adoptables')

    const family = (authorityCode: string, children: Array<[string, string]>, confirmedAt?: null) =>
      createFamily(db, {
        authorityCode,
        confirmedAt,
        children: children.map(([firstName, dob]) => ({ firstName, dob })),
      })
    const f1 = await family(KENT, [
      ['Amara', '2017-11-20'],
      ['Ben', '2015-03-02'],
    ])
    const [amara, ben] = f1.childIds.map((childId, i) => ({ childId, dob: ['2017-11-20', '2015-03-02'][i]! }))
    const f2 = await family(MEDWAY, [
      ['Chloe', '2021-05-10'],
      ['Dev', '2013-01-15'],
    ])
    const chloe = { childId: f2.childIds[0]!, dob: '2021-05-10' }
    const dev = { childId: f2.childIds[1]!, dob: '2013-01-15' }
    const f3 = await family(BEXLEY, [['Ella', '2016-07-01']], null)
    const f4 = await family(GREENWICH, [
      ['Grace', '2009-02-02'],
      ['Finn', '2010-04-04'],
    ])
    const f5 = await family(KENT, [['Harry', '2019-06-06']])
    const f6 = await family(KENT, [['Isla', '2012-10-10']])
    const f7 = await family(KENT, [['Amara', '2017-11-20']])
    ids.f7 = f7.familyId
    const f8 = await family(KENT, [['Jay', '2014-08-30']])
    const jay = { childId: f8.childIds[0]!, dob: '2014-08-30' }
    const f9 = await family(BEXLEY, [['Kai', '2018-03-03']])
    const kai = { childId: f9.childIds[0]!, dob: '2018-03-03' }

    // before the quarter
    await book(sOld, KENT, f8.familyId, [jay])
    await book(sp, KENT, f1.familyId, [amara!])
    await book(sp, KENT, f6.familyId, [{ childId: f6.childIds[0]!, dob: '2012-10-10' }], 'waitlisted')
    await book(spx, BEXLEY, f9.familyId, [kai])

    // the quarter, in the order the places were booked (their ids)
    const counted = ids.placesOnCounted
    counted.push(...(await book(s1, KENT, f1.familyId, [amara!, ben!])))
    counted.push(
      ...(await book(s1, KENT, null, [
        { erased: true, age: 9, schoolYear: 4 },
        { erased: true, age: 5, schoolYear: 1 },
      ])),
    )
    counted.push(...(await book(s3, KENT, f8.familyId, [jay])))
    counted.push(...(await book(s2, MEDWAY, f8.familyId, [jay])))
    counted.push(...(await book(s2b, BEXLEY, f9.familyId, [kai])))
    counted.push(...(await book(s2, GREENWICH, f9.familyId, [kai])))
    counted.push(...(await book(s2, KENT, f1.familyId, [amara!])))
    counted.push(...(await book(s2, MEDWAY, f2.familyId, [chloe, dev])))
    counted.push(...(await book(s2, KENT, f6.familyId, [{ childId: f6.childIds[0]!, dob: '2012-10-10' }])))
    counted.push(...(await book(s2, KENT, null, [{ erased: true, age: 14, schoolYear: 9 }])))
    counted.push(...(await book(s3, KENT, f1.familyId, [amara!])))
    counted.push(...(await book(s3, MEDWAY, f2.familyId, [dev])))
    counted.push(...(await book(s3, GREENWICH, f4.familyId, [{ childId: f4.childIds[0]!, dob: '2009-02-02' }])))
    counted.push(...(await book(s3, KENT, f7.familyId, [{ childId: f7.childIds[0]!, dob: '2017-11-20' }])))
    // noise in the quarter
    ids.held = (await book(s3, BEXLEY, f3.familyId, [{ childId: f3.childIds[0]!, dob: '2016-07-01' }], 'held'))[0]!
    ids.waitlisted = (
      await book(s3, GREENWICH, f4.familyId, [{ childId: f4.childIds[1]!, dob: '2010-04-04' }], 'waitlisted')
    )[0]!
    await book(sx, KENT, f5.familyId, [{ childId: f5.childIds[0]!, dob: '2019-06-06' }])
    await book(m1, MEDWAY, null, [{ erased: true, age: 13, schoolYear: 8 }])
    const zara = await db
      .insertInto('member')
      .values({
        first_name: 'Zara',
        date_of_birth: '2012-03-03',
        email: 'zara@example.org',
        member_key: 'zara|2012-03-03',
        authority_code: MEDWAY,
        notes: null,
        status: 'active',
        parent_email: null,
        consent_token_hash: null,
        consented_at: null,
        access_token_hash: 'zara-hash',
        pending_activity_id: null,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const [zaraPlace] = await book(m1, MEDWAY, null, [{ erased: true, age: 13, schoolYear: 8 }])
    const zaraBooking = await db
      .selectFrom('place')
      .select('booking_id')
      .where('id', '=', zaraPlace!)
      .executeTakeFirstOrThrow()
    await db.updateTable('booking').set({ member_id: zara.id }).where('id', '=', zaraBooking.booking_id).execute()
    await db.updateTable('place').set({ attended: 1 }).where('id', '=', zaraPlace!).execute()
    // after the quarter
    await book(sn, MEDWAY, f2.familyId, [chloe])

    for (const cancelled of [spx, sx]) {
      const result = await changeActivityStatus(db, cancelled.id, 'cancel', admin.id, LINKS, 'Presenter unwell')
      expect(result.status).toBe('changed')
    }
  }, 60_000)

  afterAll(async () => {
    await service?.close()
  })

  it('counts 12 children reached over 17 spaces (1.4 places per child) and 9 families, 7 new and 2 returning', async () => {
    const report = await computeReport(service.database.db, Q3, { cut: 'age-band' })
    expect(report.activities.held).toBe(4)
    expect(report.activities.spacesBooked).toBe(17)
    expect(ids.placesOnCounted).toHaveLength(17)
    expect(report.reach).toMatchObject({
      children: 12,
      placesPerChild: 1.4,
      families: 9,
      newFamilies: 7,
      returningFamilies: 2,
    })
    expectReachAddsUp(report)
  })

  it('counts 13 children and young people reached, virtual activities and Adoptables together: 12 children and 1 young person', async () => {
    const report = await computeReport(service.database.db, Q3, { cut: 'age-band' })
    expect(report.adoptables.distinctYoungPeople).toBe(1)
    expect(report.reach.children).toBe(12)
    expect(report.reach.childrenAndYoungPeople).toBe(13)
  })

  it('counts each child once, in the authority of their first place: the earliest session, then the lowest place id', async () => {
    const report = await computeReport(service.database.db, Q3, { cut: 'age-band' })
    // Jay in Medway (S2 is earlier than S3, though booked later); Kai in Bexley (S2B booked first)
    expect(report.reach.byAuthority.map((a) => [a.name, a.value, a.isPartner])).toEqual([
      ['Kent', 7, true],
      ['Medway', 3, true],
      ['Bexley', 1, true],
      ['Greenwich', 1, false],
    ])
    // the spaces beside them: every confirmed place
    expect(report.byAuthority.map((a) => [a.name, a.value])).toEqual([
      ['Kent', 10],
      ['Medway', 4],
      ['Greenwich', 2],
      ['Bexley', 1],
    ])
  })

  it('counts each child in the age band of their first place: Amara stays in 5 to 7 after turning 8', async () => {
    const report = await computeReport(service.database.db, Q3, { cut: 'age-band' })
    expect(report.reach.byAgeGroup.map((g) => [g.label, g.value])).toEqual([
      ['0 to 4', 1],
      ['5 to 7', 3],
      ['8 to 11', 4],
      ['12 to 15', 3],
      ['16 to 18', 1],
      ['19 and over', 0],
    ])
    expect(report.byAgeGroup.map((g) => g.value)).toEqual([1, 5, 6, 4, 1, 0])
    expect(report.reach.authorityByAgeGroup.rows.map((r) => [r.name, ...r.cells, r.total])).toEqual([
      ['Kent', 0, 2, 3, 2, 0, 0, 7],
      ['Medway', 1, 0, 1, 1, 0, 0, 3],
      ['Bexley', 0, 1, 0, 0, 0, 0, 1],
      ['Greenwich', 0, 0, 0, 0, 1, 0, 1],
    ])
    expect(report.reach.authorityByAgeGroup.totals).toEqual([1, 3, 4, 3, 1, 0])
  })

  it('cuts the children by school year group too, adding up', async () => {
    const report = await computeReport(service.database.db, Q3, { cut: 'school-year' })
    expect(report.reach.byAgeGroup.map((g) => [g.label, g.value])).toEqual([
      ['Pre-school', 0],
      ['Reception', 1],
      ['Year 1', 1],
      ['Year 2', 0],
      ['Year 3', 3],
      ['Year 4', 1],
      ['Year 5', 0],
      ['Year 6', 1],
      ['Year 7', 1],
      ['Year 8', 2],
      ['Year 9', 1],
      ['Year 10', 0],
      ['Year 11', 0],
      ['Year 12', 1],
      ['Year 13', 0],
      ['Left school', 0],
    ])
    expectReachAddsUp(report)
  })

  it('leaves out held and waitlisted places, cancelled sessions and Adoptables meetings', async () => {
    const db = service.database.db
    // the noise is really there
    const held = await db
      .selectFrom('place')
      .select(['status', 'child_id'])
      .where('id', '=', ids.held)
      .executeTakeFirst()
    expect(held?.status).toBe('held')
    const waiting = await db.selectFrom('place').select('status').where('id', '=', ids.waitlisted).executeTakeFirst()
    expect(waiting?.status).toBe('waitlisted')
    const report = await computeReport(db, Q3, { cut: 'age-band' })
    // F3 (held) and F5 (cancelled session) are not reached; Finn (waitlisted) is not a child reached
    expect(report.reach.families).toBe(9)
    expect(report.waitingList[0]).toEqual({ kind: 'activity', places: 1, sessions: 1 })
    expect(report.adoptables.meetingsHeld).toBe(1)
  })

  it('counts returning families against the start of the period asked for', async () => {
    const db = service.database.db
    // November: F1 returns (it came in October), F8 returns (June 2024); F2, F6, F9 and L2 are new
    const november = await computeReport(db, rangePeriod('2025-11-01', '2025-11-30'), { cut: 'age-band' })
    expect(november.reach).toMatchObject({ children: 7, families: 6, newFamilies: 4, returningFamilies: 2 })
    expect(november.reach.byAuthority.map((a) => [a.name, a.value])).toEqual([
      ['Kent', 3],
      ['Medway', 3],
      ['Bexley', 1],
    ])
    // 8 spaces for 7 children
    expect(november.reach.placesPerChild).toBe(1.1)
    expectReachAddsUp(november)

    // Q4: Chloe again; F2 returns from Q3
    const q4 = await computeReport(db, quarterPeriod('2025-26', 4), { cut: 'age-band' })
    expect(q4.reach).toMatchObject({
      children: 1,
      placesPerChild: 1,
      families: 1,
      newFamilies: 0,
      returningFamilies: 1,
    })
    expectReachAddsUp(q4)
    // Q2: Amara on SP, new (nothing before); Isla's waitlisted place and Kai's cancelled session do not count
    const q2 = await computeReport(db, quarterPeriod('2025-26', 2), { cut: 'age-band' })
    expect(q2.reach).toMatchObject({ children: 1, families: 1, newFamilies: 1, returningFamilies: 0 })
    expectReachAddsUp(q2)
  })

  it('lists the partners at 0 and says nothing per child for a quarter with no children', async () => {
    const report = await computeReport(service.database.db, quarterPeriod('2030-31', 1), { cut: 'age-band' })
    expect(report.reach).toMatchObject({ children: 0, placesPerChild: null, families: 0, newFamilies: 0 })
    expect(report.reach.byAuthority.map((a) => [a.name, a.value])).toEqual([
      ['Bexley', 0],
      ['Kent', 0],
      ['Medway', 0],
    ])
    expect(report.reach.byAgeGroup).toHaveLength(6)
    expectReachAddsUp(report)
  })

  it('shows the reach on the page, with the rule that makes it add up', async () => {
    const response = await viewer.get('/staff/reports?quarter=2025-26+Q3')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(table(html, 'Children and families reached')).toEqual([
      ['Measure', 'Number'],
      ['Children reached', '12'],
      ['Places per child', '1.4'],
      ['Families reached', '9'],
      ['New families', '7'],
      ['Returning families', '2'],
      ['Children and young people reached, with Adoptables', '13'],
    ])
    expect(table(html, 'Children reached by home authority')).toEqual([
      ['Home authority', 'Children reached'],
      ['Kent', '7'],
      ['Medway', '3'],
      ['Bexley', '1'],
      ['Greenwich', '1'],
      ['Total', '12'],
    ])
    expect(table(html, 'Children reached by age band')).toEqual([
      ['Age band', 'Children reached'],
      ['0 to 4', '1'],
      ['5 to 7', '3'],
      ['8 to 11', '4'],
      ['12 to 15', '3'],
      ['16 to 18', '1'],
      ['19 and over', '0'],
      ['Total', '12'],
    ])
    expect(table(html, 'Children reached by home authority and age band')).toEqual([
      ['Home authority', '0 to 4', '5 to 7', '8 to 11', '12 to 15', '16 to 18', '19 and over', 'Total'],
      ['Kent', '0', '2', '3', '2', '0', '0', '7'],
      ['Medway', '1', '0', '1', '1', '0', '0', '3'],
      ['Bexley', '0', '1', '0', '0', '0', '0', '1'],
      ['Greenwich', '0', '0', '0', '0', '1', '0', '1'],
      ['Total', '1', '3', '4', '3', '1', '0', '12'],
    ])
    expect(decode(html)).toContain(
      'Each child is counted once, in the home authority and age group of their first place in the period',
    )
    expect(html).toContain('aria-label="Bar chart, families reached, new and returning: New 7 and Returning 2."')
  })

  it('puts the same figures in the CSV, the XLSX and the Power BI feed', async () => {
    const expectFigures = (rows: string[][]) => {
      const figure = (measure: string, dimension = '') =>
        rows.filter((r) => r[1] === measure && r[2] === dimension).map((r) => r[3])
      expect(figure('children_reached')).toEqual(['12'])
      expect(figure('places_per_child')).toEqual(['1.4'])
      expect(figure('families_reached')).toEqual(['9'])
      expect(figure('families_new')).toEqual(['7'])
      expect(figure('families_returning')).toEqual(['2'])
      expect(figure('children_and_young_people_reached')).toEqual(['13'])
      expect(rows.filter((r) => r[1] === 'children_by_authority').map((r) => [r[2], r[3]])).toEqual([
        ['Kent', '7'],
        ['Medway', '3'],
        ['Bexley', '1'],
        ['Greenwich', '1'],
      ])
      expect(rows.filter((r) => r[1] === 'children_by_age_group').map((r) => r[3])).toEqual([
        '1',
        '3',
        '4',
        '3',
        '1',
        '0',
      ])
      const cells = rows.filter((r) => r[1] === 'children_by_authority_and_age_group')
      expect(cells).toHaveLength(4 * 6)
      expect(figure('children_by_authority_and_age_group', 'Medway | 0 to 4')).toEqual(['1'])
      expect(figure('children_by_authority_and_age_group', 'Kent | 8 to 11')).toEqual(['3'])
      expect(sum(cells.map((r) => Number(r[3])))).toBe(12)
    }

    const csv = await viewer.get('/staff/reports/csv?quarter=2025-26+Q3&cut=age-band')
    expect(csv.status).toBe(200)
    expectFigures(parseCsv((await csv.text()).replace(/^\uFEFF/, '')).slice(1))

    const db = service.database.db
    const admin = await db.selectFrom('staff_user').select('id').orderBy('id').executeTakeFirstOrThrow()
    const created = await createApiToken(db, 'Reach dashboard', admin.id)
    if (!created.ok) throw new Error('no token')
    const feed = await service
      .client()
      .get('/api/reports.csv?quarter=2025-26+Q3', { Authorization: `Bearer ${created.token}` })
    expect(feed.status).toBe(200)
    expectFigures(parseCsv((await feed.text()).replace(/^\uFEFF/, '')).slice(1))

    const xlsx = await viewer.get('/staff/reports/xlsx?quarter=2025-26+Q3')
    expect(xlsx.status).toBe(200)
    const workbook = readWorkbook(await xlsx.arrayBuffer())
    expect(workbook.sheetNames).toContain('Children reached')
    expect(workbook.sheet('Children reached').values).toEqual([
      ['Measure', 'Number'],
      ['Children reached', 12],
      ['Places per child', 1.4],
      ['Families reached', 9],
      ['New families', 7],
      ['Returning families', 2],
      ['Children and young people reached, with Adoptables', 13],
      [],
      ['Home authority', 'Children reached'],
      ['Kent', 7],
      ['Medway', 3],
      ['Bexley', 1],
      ['Greenwich', 1],
      ['Total', 12],
      [],
      ['Age band', 'Children reached'],
      ['0 to 4', 1],
      ['5 to 7', 3],
      ['8 to 11', 4],
      ['12 to 15', 3],
      ['16 to 18', 1],
      ['19 and over', 0],
      ['Total', 12],
      [],
      ['Home authority', '0 to 4', '5 to 7', '8 to 11', '12 to 15', '16 to 18', '19 and over', 'Total'],
      ['Kent', 0, 2, 3, 2, 0, 0, 7],
      ['Medway', 1, 0, 1, 1, 0, 0, 3],
      ['Bexley', 0, 1, 0, 0, 0, 0, 1],
      ['Greenwich', 0, 0, 0, 0, 1, 0, 1],
      ['Total', 1, 3, 4, 3, 1, 0, 12],
    ])
  })

  it('keeps the figures when a family deletes its account: the child and family rows go, the numbers on the places stay', async () => {
    const db = service.database.db
    const before = await computeReport(db, Q3, { cut: 'age-band' })
    await db.deleteFrom('family').where('id', '=', ids.f7).execute()
    expect(await db.selectFrom('child').select('id').where('family_id', '=', ids.f7).execute()).toEqual([])
    expect(await computeReport(db, Q3, { cut: 'age-band' })).toEqual(before)
  })
})
