import { describe, expect, it } from 'vitest'
import {
  reportCsv,
  reportFilename,
  reportSheets,
  reportTables,
  reportToLongRows,
  XLSX_CONTENT_TYPE,
} from '../../app/domain/report-export'
import type { Report } from '../../app/domain/report-types'
import { reportXlsx } from '../../app/domain/report-xlsx.server'
import { csvField } from '../../app/domain/csv'
import { parseCsv } from '../support/csv'
import { readWorkbook } from '../support/xlsx'

const groups = [
  { key: '0-4', label: '0 to 4' },
  { key: '5-7', label: '5 to 7' },
  { key: '8-11', label: '8 to 11' },
  { key: '12-15', label: '12 to 15' },
]

/** Shaped like the seed figures, with an authority whose name has a comma and a quote in it. */
const fixture: Report = {
  period: {
    label: '2025-26 Q3',
    fromDate: '2025-10-01',
    toDate: '2025-12-31',
    from: '2025-09-30T23:00:00.000Z',
    to: '2026-01-01T00:00:00.000Z',
    quarter: { financialYear: '2025-26', number: 3 },
  },
  cut: 'age-band',
  activities: { held: 49, spacesBooked: 522, spacesAttended: 480 },
  byAuthority: [
    { code: 'E10000016', name: 'Kent', isPartner: true, value: 458 },
    { code: 'E06000035', name: 'Medway', isPartner: true, value: 41 },
    { code: 'E09000004', name: 'Bexley', isPartner: true, value: 18 },
    { code: 'E09000011', name: 'Greenwich', isPartner: false, value: 4 },
    { code: 'X1', name: 'Bristol, City of "the" council', isPartner: false, value: 1 },
  ],
  byAgeGroup: [
    { ...groups[0]!, value: 20 },
    { ...groups[1]!, value: 200 },
    { ...groups[2]!, value: 250 },
    { ...groups[3]!, value: 52 },
  ],
  authorityByAgeGroup: {
    groups,
    rows: [
      { code: 'E10000016', name: 'Kent', isPartner: true, cells: [18, 175, 220, 45], total: 458 },
      { code: 'E06000035', name: 'Medway', isPartner: true, cells: [1, 15, 20, 5], total: 41 },
      { code: 'E09000004', name: 'Bexley', isPartner: true, cells: [1, 8, 7, 2], total: 18 },
      { code: 'E09000011', name: 'Greenwich', isPartner: false, cells: [0, 2, 2, 0], total: 4 },
      { code: 'X1', name: 'Bristol, City of "the" council', isPartner: false, cells: [0, 0, 1, 0], total: 1 },
    ],
    totals: [20, 200, 250, 52],
  },
  reach: {
    children: 300,
    placesPerChild: 1.7,
    childrenAndYoungPeople: 316,
    families: 190,
    newFamilies: 70,
    returningFamilies: 120,
    byAuthority: [
      { code: 'E10000016', name: 'Kent', isPartner: true, value: 260 },
      { code: 'E06000035', name: 'Medway', isPartner: true, value: 25 },
      { code: 'E09000004', name: 'Bexley', isPartner: true, value: 10 },
      { code: 'E09000011', name: 'Greenwich', isPartner: false, value: 4 },
      { code: 'X1', name: 'Bristol, City of "the" council', isPartner: false, value: 1 },
    ],
    byAgeGroup: [
      { ...groups[0]!, value: 15 },
      { ...groups[1]!, value: 110 },
      { ...groups[2]!, value: 140 },
      { ...groups[3]!, value: 35 },
    ],
    authorityByAgeGroup: {
      groups,
      rows: [
        { code: 'E10000016', name: 'Kent', isPartner: true, cells: [13, 95, 121, 31], total: 260 },
        { code: 'E06000035', name: 'Medway', isPartner: true, cells: [1, 9, 12, 3], total: 25 },
        { code: 'E09000004', name: 'Bexley', isPartner: true, cells: [1, 4, 4, 1], total: 10 },
        { code: 'E09000011', name: 'Greenwich', isPartner: false, cells: [0, 2, 2, 0], total: 4 },
        { code: 'X1', name: 'Bristol, City of "the" council', isPartner: false, cells: [0, 0, 1, 0], total: 1 },
      ],
      totals: [15, 110, 140, 35],
    },
  },
  adoptables: {
    meetingsHeld: 6,
    distinctYoungPeople: 16,
    minAge: 12,
    maxAge: 18,
    byAuthority: [
      { code: 'E10000016', name: 'Kent', isPartner: true, value: 13 },
      { code: 'E06000035', name: 'Medway', isPartner: true, value: 2 },
      { code: 'E09000004', name: 'Bexley', isPartner: true, value: 1 },
    ],
  },
  registers: { activities: 45, adoptables: 6 },
  feedback: [
    { kind: 'activity', responses: 37, averageScore: 4.3513 },
    { kind: 'adoptables', responses: 0, averageScore: null },
  ],
  waitingList: [
    { kind: 'activity', places: 12, sessions: 3 },
    { kind: 'adoptables', places: 0, sessions: 0 },
  ],
  // no register taken: the participation figures (tested in tests/integration/report-attendance.test.ts) are empty
  participation: {
    attendance: {
      sessionsHeld: 55,
      sessionsWithRegister: 0,
      total: { places: 0, attended: 0, noShows: 0, notMarked: 0 },
      byKind: [
        { key: 'activity', label: 'Virtual activities', places: 0, attended: 0, noShows: 0, notMarked: 0 },
        { key: 'adoptables', label: 'Adoptables meetings', places: 0, attended: 0, noShows: 0, notMarked: 0 },
      ],
      byCategory: [],
      byAuthority: [],
      bySession: [],
    },
    seriesRetention: [],
    demand: { places: 0, sessions: 0, byCategory: [] },
    knownChildren: { financialYear: '2025-26', rows: [], total: null, notEntered: [] },
  },
}

describe('the report in long format', () => {
  const rows = reportToLongRows(fixture)
  const value = (measure: string, dimension = '') =>
    rows.filter((r) => r.measure === measure && r.dimension === dimension).map((r) => r.value)

  it('holds every figure of the report exactly once', () => {
    expect(value('activities_held')).toEqual([49])
    expect(value('spaces_booked')).toEqual([522])
    expect(value('spaces_attended')).toEqual([480])
    for (const a of fixture.byAuthority) expect(value('spaces_by_authority', a.name)).toEqual([a.value])
    for (const g of fixture.byAgeGroup) expect(value('spaces_by_age_group', g.label)).toEqual([g.value])
    for (const row of fixture.authorityByAgeGroup.rows) {
      groups.forEach((g, i) =>
        expect(value('spaces_by_authority_and_age_group', `${row.name} | ${g.label}`)).toEqual([row.cells[i]]),
      )
    }
    expect(value('spaces_by_authority_and_age_group', 'Kent | 8 to 11')).toEqual([220])
    expect(value('adoptables_meetings_held')).toEqual([6])
    expect(value('adoptables_young_people')).toEqual([16])
    expect(value('adoptables_young_people_by_authority', 'Kent')).toEqual([13])
    expect(value('adoptables_min_age')).toEqual([12])
    expect(value('adoptables_max_age')).toEqual([18])
    expect(value('feedback_responses', 'Virtual activities')).toEqual([37])
    expect(value('feedback_average_score', 'Virtual activities')).toEqual([4.35])
    expect(value('feedback_responses', 'Adoptables meetings')).toEqual([0])
    expect(value('waiting_list_places', 'Virtual activities')).toEqual([12])
    expect(value('waiting_list_sessions', 'Virtual activities')).toEqual([3])
    expect(value('activities_with_register')).toEqual([45])
    expect(value('adoptables_meetings_with_register')).toEqual([6])
    expect(value('children_reached')).toEqual([300])
    expect(value('places_per_child')).toEqual([1.7])
    expect(value('families_reached')).toEqual([190])
    expect(value('families_new')).toEqual([70])
    expect(value('families_returning')).toEqual([120])
    expect(value('children_and_young_people_reached')).toEqual([316])
    expect(value('children_by_authority', 'Kent')).toEqual([260])
    expect(value('children_by_authority', 'Bristol, City of "the" council')).toEqual([1])
    expect(value('children_by_age_group', '8 to 11')).toEqual([140])
    expect(value('children_by_authority_and_age_group', 'Kent | 8 to 11')).toEqual([121])
    expect(value('children_by_authority_and_age_group', 'Medway | 0 to 4')).toEqual([1])
    // 3 headlines and the sessions with a register, 5 authorities, 4 groups, 5 × 4 cells,
    // the same for children with their 6 reach figures, 2 + 3 + 2 Adoptables and the meetings
    // with a register, 3 feedback, 4 waiting list; then the empty participation figures: the sessions
    // with a register and 4 attendance counts (no rates without places), 3 counts for each of the
    // 2 kinds, and 2 for the waiting lists that stayed
    expect(rows).toHaveLength(4 + 5 + 4 + 20 + (6 + 5 + 4 + 20) + 8 + 3 + 4 + (5 + 6 + 2))
    expect(new Set(rows.map((r) => r.period))).toEqual(new Set(['2025-26 Q3']))
  })

  it('leaves out a figure that does not exist rather than writing 0', () => {
    expect(value('feedback_average_score', 'Adoptables meetings')).toEqual([])
    const none = reportToLongRows({ ...fixture, adoptables: { ...fixture.adoptables, minAge: null, maxAge: null } })
    expect(none.some((r) => r.measure === 'adoptables_min_age' || r.measure === 'adoptables_max_age')).toBe(false)
  })

  it('breakdowns add up to the headline', () => {
    const total = (measure: string) => rows.filter((r) => r.measure === measure).reduce((s, r) => s + r.value, 0)
    expect(total('spaces_by_authority')).toBe(522)
    expect(total('spaces_by_age_group')).toBe(522)
    expect(total('spaces_by_authority_and_age_group')).toBe(522)
    expect(total('adoptables_young_people_by_authority')).toBe(16)
    expect(total('children_by_authority')).toBe(300)
    expect(total('children_by_age_group')).toBe(300)
    expect(total('children_by_authority_and_age_group')).toBe(300)
    expect(value('families_new')[0]! + value('families_returning')[0]!).toBe(190)
  })

  it('leaves out places per child when no child was reached, rather than dividing by 0', () => {
    const none = reportToLongRows({ ...fixture, reach: { ...fixture.reach, children: 0, placesPerChild: null } })
    expect(none.filter((r) => r.measure === 'places_per_child')).toEqual([])
    expect(none.filter((r) => r.measure === 'children_reached').map((r) => r.value)).toEqual([0])
  })
})

describe('the CSV', () => {
  const csv = reportCsv(fixture)

  it('starts with a byte order mark and uses CRLF line ends', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    expect(csv.slice(1).startsWith('period,measure,dimension,value\r\n')).toBe(true)
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
  })

  it('quotes a name with a comma and doubles its quotes', () => {
    expect(csv).toContain('2025-26 Q3,spaces_by_authority,"Bristol, City of ""the"" council",1\r\n')
    expect(csv).toContain('2025-26 Q3,spaces_by_authority,Kent,458\r\n')
    expect(csv).toContain('2025-26 Q3,activities_held,,49\r\n')
  })

  it('writes a name that looks like a formula as text, so a spreadsheet does not run it', () => {
    const risky = structuredClone(fixture)
    risky.byAuthority[0]!.name = '=HYPERLINK("http://x.invalid","Kent")'
    expect(reportCsv(risky)).toContain(',spaces_by_authority,"\'=HYPERLINK(""http://x.invalid"",""Kent"")",458\r\n')
    expect(csvField('-1')).toBe("'-1")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvField(-1)).toBe('-1')
  })

  it('reads back as exactly the long rows', () => {
    const [header, ...body] = parseCsv(csv.slice(1))
    expect(header).toEqual(['period', 'measure', 'dimension', 'value'])
    expect(
      body.map(([period, measure, dimension, value]) => ({ period, measure, dimension, value: Number(value) })),
    ).toEqual(reportToLongRows(fixture))
  })

  it('names files after the quarter or the dates', () => {
    expect(reportFilename(fixture.period, 'csv')).toBe('join-in-report-2025-26-Q3.csv')
    expect(reportFilename({ ...fixture.period, quarter: null }, 'xlsx')).toBe(
      'join-in-report-2025-10-01-to-2025-12-31.xlsx',
    )
  })
})

describe('the XLSX', () => {
  it('has one sheet per table that reads back as the fixture, numbers as numbers and headers bold', async () => {
    const buffer = await reportXlsx(fixture)
    expect(buffer.subarray(0, 2).toString()).toBe('PK')
    expect(XLSX_CONTENT_TYPE).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const workbook = readWorkbook(buffer)
    expect(workbook.sheetNames).toEqual([
      'Summary',
      'By authority',
      'By age group',
      'Authority x age group',
      'Children reached',
      'Adoptables',
      'Feedback',
      'Waiting list',
      'Attendance',
      'Series retention',
      'Demand',
    ])
    const sheet = (name: string) => workbook.sheet(name).values

    expect(sheet('Summary')).toEqual([
      ['Join In report', '2025-26 Q3'],
      ['First day', '2025-10-01'],
      ['Last day', '2025-12-31'],
      ['Age groups', 'Age bands'],
      [],
      ['Measure', 'Number'],
      ['Activities held', 49],
      ['Spaces booked', 522],
      ['Spaces attended', 480],
    ])
    expect(sheet('By authority')).toEqual([
      ['Home authority', 'Spaces booked'],
      ['Kent', 458],
      ['Medway', 41],
      ['Bexley', 18],
      ['Greenwich', 4],
      ['Bristol, City of "the" council', 1],
      ['Total', 522],
    ])
    expect(sheet('By age group')).toEqual([
      ['Age band', 'Spaces booked'],
      ['0 to 4', 20],
      ['5 to 7', 200],
      ['8 to 11', 250],
      ['12 to 15', 52],
      ['Total', 522],
    ])
    expect(sheet('Authority x age group')).toEqual([
      ['Home authority', '0 to 4', '5 to 7', '8 to 11', '12 to 15', 'Total'],
      ['Kent', 18, 175, 220, 45, 458],
      ['Medway', 1, 15, 20, 5, 41],
      ['Bexley', 1, 8, 7, 2, 18],
      ['Greenwich', 0, 2, 2, 0, 4],
      ['Bristol, City of "the" council', 0, 0, 1, 0, 1],
      ['Total', 20, 200, 250, 52, 522],
    ])
    expect(sheet('Children reached')).toEqual([
      ['Measure', 'Number'],
      ['Children reached', 300],
      ['Places per child', 1.7],
      ['Families reached', 190],
      ['New families', 70],
      ['Returning families', 120],
      ['Children and young people reached, with Adoptables', 316],
      [],
      ['Home authority', 'Children reached'],
      ['Kent', 260],
      ['Medway', 25],
      ['Bexley', 10],
      ['Greenwich', 4],
      ['Bristol, City of "the" council', 1],
      ['Total', 300],
      [],
      ['Age band', 'Children reached'],
      ['0 to 4', 15],
      ['5 to 7', 110],
      ['8 to 11', 140],
      ['12 to 15', 35],
      ['Total', 300],
      [],
      ['Home authority', '0 to 4', '5 to 7', '8 to 11', '12 to 15', 'Total'],
      ['Kent', 13, 95, 121, 31, 260],
      ['Medway', 1, 9, 12, 3, 25],
      ['Bexley', 1, 4, 4, 1, 10],
      ['Greenwich', 0, 2, 2, 0, 4],
      ['Bristol, City of "the" council', 0, 0, 1, 0, 1],
      ['Total', 15, 110, 140, 35, 300],
    ])
    expect(sheet('Adoptables')).toEqual([
      ['Measure', 'Number'],
      ['Meetings held', 6],
      ['Young people who attended at least one', 16],
      ['Youngest age', 12],
      ['Oldest age', 18],
      [],
      ['Home authority', 'Young people'],
      ['Kent', 13],
      ['Medway', 2],
      ['Bexley', 1],
      ['Total', 16],
    ])
    expect(sheet('Feedback')).toEqual([
      ['Sessions', 'Responses', 'Average score (1 to 5)'],
      ['Virtual activities', 37, 4.35],
      ['Adoptables meetings', 0],
    ])
    expect(sheet('Waiting list')).toEqual([
      ['Sessions', 'Places on a waiting list', 'Sessions with a waiting list'],
      ['Virtual activities', 12, 3],
      ['Adoptables meetings', 0, 0],
    ])

    const byAuthority = workbook.sheet('By authority')
    expect(byAuthority.bold('A1')).toBe(true)
    expect(byAuthority.bold('B7')).toBe(true)
    expect(byAuthority.bold('A2')).toBe(false)
    expect(byAuthority.bold('B2')).toBe(false)
    expect(byAuthority.type('B2')).toBe('n')
    expect(typeof byAuthority.values[1]![1]).toBe('number')
    expect(byAuthority.type('A2')).toBe('s')
    expect(workbook.sheet('Adoptables').bold('A7')).toBe(true)
    expect(workbook.sheet('Feedback').type('C2')).toBe('n')
  })

  it('names each series above its retention table, and writes no control character into the XML', async () => {
    // a title saved before forms dropped control characters: the writer must leave them out of the XML,
    // where Excel would refuse the file
    const retention = (title: string, firstStartsAt: string) => ({
      seriesId: title.length,
      firstSessionId: 1,
      title,
      firstStartsAt,
      booked: 2,
      sessions: [
        { id: 1, startsAt: firstStartsAt, came: 2 },
        { id: 2, startsAt: '2025-10-08T15:00:00.000Z', came: null },
      ],
    })
    const report: Report = {
      ...fixture,
      participation: {
        ...fixture.participation,
        seriesRetention: [
          retention('Art\u0001 club\u000b', '2025-10-01T15:00:00.000Z'),
          retention('Chess', '2025-10-02T15:00:00.000Z'),
        ],
      },
    }
    const workbook = readWorkbook(await reportXlsx(report))
    const sheet = workbook.sheet('Series retention')
    expect(sheet.values).toEqual([
      ['Series retention: Art club, first session 1 October 2025'],
      ['Session', 'Children from the first session who came', 'Of the 2 booked on the first session (%)'],
      ['1 October 2025', 2, 100],
      ['8 October 2025', 'No register taken', 'No register taken'],
      [],
      ['Series retention: Chess, first session 2 October 2025'],
      ['Session', 'Children from the first session who came', 'Of the 2 booked on the first session (%)'],
      ['2 October 2025', 2, 100],
      ['8 October 2025', 'No register taken', 'No register taken'],
    ])
    expect(sheet.bold('A1')).toBe(true)
    for (const name of workbook.sheetNames) {
      const controls = [...workbook.sheet(name).xml].filter((ch) => ch < ' ' && !'\t\n\r'.includes(ch))
      expect(controls, name).toEqual([])
    }
  })

  it('sizes each column to its longest text, between 10 and 50 characters, and freezes the header row', async () => {
    const workbook = readWorkbook(await reportXlsx(fixture))
    for (const name of workbook.sheetNames) {
      const sheet = workbook.sheet(name)
      expect(sheet.widths.length, name).toBe(Math.max(...sheet.values.map((row) => row.length)))
      for (const width of sheet.widths) {
        expect(width, name).toBeGreaterThanOrEqual(10)
        expect(width, name).toBeLessThanOrEqual(50)
      }
      expect(sheet.frozenRows, name).toBe(1)
    }
    // 'Bristol, City of "the" council' is 30 characters, plus 2; 'Spaces booked' is 13, plus 2
    expect(workbook.sheet('By authority').widths).toEqual([32, 15])
    // 'Young people who attended at least one' is 38 characters, plus 2; 'Young people' is 12, plus 2
    expect(workbook.sheet('Adoptables').widths).toEqual([40, 14])
    // 'Age band' and '12 to 15' are 8 characters, plus 2, which is the narrowest a column gets
    expect(workbook.sheet('By age group').widths).toEqual([10, 15])
    expect(workbook.sheet('Authority x age group').widths.slice(1)).toEqual([10, 10, 10, 10, 10])
  })

  it('holds every table the page shows', () => {
    const inSheets = reportSheets(fixture).flatMap((s) => s.tables)
    for (const table of Object.values(reportTables(fixture))) expect(inSheets).toContainEqual(table)
  })
})
