// The quarterly report as tables, long-format rows, CSV and the XLSX's sheets: the page, the downloads and the
// Power BI feed all read their figures from here, so what is shown is exactly what is exported.
import { csvField } from './csv'
import { participationLongRows, participationSheets } from './participation-export'
import type { LongRow, Report, ReportPeriod } from './report-types'

export type Cell = string | number | null

/** One table of figures as the page shows it and the XLSX holds it. */
export interface FigureTable {
  /** the page's caption */
  caption: string
  head: string[]
  /** the first column is a label, the others are numbers (null: nothing to show) */
  rows: Cell[][]
  /** the totals row (its first cell "Total"), when the breakdown adds up to a headline */
  total: Cell[] | null
}

export interface ReportTables {
  activities: FigureTable
  byAuthority: FigureTable
  byAgeGroup: FigureTable
  authorityByAgeGroup: FigureTable
  reach: FigureTable
  childrenByAuthority: FigureTable
  childrenByAgeGroup: FigureTable
  childrenAuthorityByAgeGroup: FigureTable
  adoptables: FigureTable
  adoptablesByAuthority: FigureTable
  feedback: FigureTable
  waitingList: FigureTable
}

export const KIND_NAMES = { activity: 'Virtual activities', adoptables: 'Adoptables meetings' } as const

export const CUT_NAMES = { 'age-band': 'Age bands', 'school-year': 'School year groups' } as const

/** Average feedback scores are shown and exported to two decimal places (as computeReport gives them). */
export function roundScore(score: number | null): number | null {
  return score === null ? null : Math.round(score * 100) / 100
}

/** What the report shows for attendance at sessions where no register was taken: not 0, which would be untrue. */
export const NO_REGISTER = 'No register taken'

/**
 * The rule that makes the children's breakdowns add up, as the report page states it. The same
 * rule is in computeReport (reports.server.ts) and the README.
 */
export const CHILD_COUNTED_ONCE =
  'Each child is counted once, in the home authority and age group of their first place in the period (the earliest session; for two at the same time, the one booked first).'

/**
 * Attendance is known once a register is taken, or when there is nothing to count: no places
 * booked on activities, no Adoptables meeting held. Places booked on sessions still to come
 * with no register yet read "No register taken", not a 0 that looks like no-shows.
 */
export function attendanceKnown(toCount: number, withRegister: number): boolean {
  return toCount === 0 || withRegister > 0
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

/** The report's figures as the tables of sections 1 to 6. */
export function reportTables(report: Report): ReportTables {
  const groupHead = report.cut === 'school-year' ? 'School year' : 'Age band'
  const cross = report.authorityByAgeGroup
  const { reach } = report
  const childrenCross = reach.authorityByAgeGroup
  return {
    activities: {
      caption: 'Virtual activities',
      head: ['Measure', 'Number'],
      rows: [
        ['Activities held', report.activities.held],
        ['Spaces booked', report.activities.spacesBooked],
        [
          'Spaces attended',
          attendanceKnown(report.activities.spacesBooked, report.registers.activities)
            ? report.activities.spacesAttended
            : NO_REGISTER,
        ],
      ],
      total: null,
    },
    byAuthority: {
      caption: 'Spaces booked by home authority',
      head: ['Home authority', 'Spaces booked'],
      rows: report.byAuthority.map((a) => [a.name, a.value]),
      total: ['Total', sum(report.byAuthority.map((a) => a.value))],
    },
    byAgeGroup: {
      caption: `Spaces booked by ${groupHead.toLowerCase()}`,
      head: [groupHead, 'Spaces booked'],
      rows: report.byAgeGroup.map((g) => [g.label, g.value]),
      total: ['Total', sum(report.byAgeGroup.map((g) => g.value))],
    },
    authorityByAgeGroup: {
      caption: `Spaces booked by home authority and ${groupHead.toLowerCase()}`,
      head: ['Home authority', ...cross.groups.map((g) => g.label), 'Total'],
      rows: cross.rows.map((row) => [row.name, ...row.cells, row.total]),
      total: ['Total', ...cross.totals, sum(cross.totals)],
    },
    reach: {
      caption: 'Children and families reached',
      head: ['Measure', 'Number'],
      rows: [
        ['Children reached', reach.children],
        ['Places per child', reach.placesPerChild],
        ['Families reached', reach.families],
        ['New families', reach.newFamilies],
        ['Returning families', reach.returningFamilies],
        ['Children and young people reached, with Adoptables', reach.childrenAndYoungPeople],
      ],
      total: null,
    },
    childrenByAuthority: {
      caption: 'Children reached by home authority',
      head: ['Home authority', 'Children reached'],
      rows: reach.byAuthority.map((a) => [a.name, a.value]),
      total: ['Total', sum(reach.byAuthority.map((a) => a.value))],
    },
    childrenByAgeGroup: {
      caption: `Children reached by ${groupHead.toLowerCase()}`,
      head: [groupHead, 'Children reached'],
      rows: reach.byAgeGroup.map((g) => [g.label, g.value]),
      total: ['Total', sum(reach.byAgeGroup.map((g) => g.value))],
    },
    childrenAuthorityByAgeGroup: {
      caption: `Children reached by home authority and ${groupHead.toLowerCase()}`,
      head: ['Home authority', ...childrenCross.groups.map((g) => g.label), 'Total'],
      rows: childrenCross.rows.map((row) => [row.name, ...row.cells, row.total]),
      total: ['Total', ...childrenCross.totals, sum(childrenCross.totals)],
    },
    adoptables: {
      caption: 'Adoptables meetings',
      head: ['Measure', 'Number'],
      rows: [
        ['Meetings held', report.adoptables.meetingsHeld],
        [
          'Young people who attended at least one',
          attendanceKnown(report.adoptables.meetingsHeld, report.registers.adoptables)
            ? report.adoptables.distinctYoungPeople
            : NO_REGISTER,
        ],
        ['Youngest age', report.adoptables.minAge],
        ['Oldest age', report.adoptables.maxAge],
      ],
      total: null,
    },
    adoptablesByAuthority: {
      caption: 'Young people at Adoptables meetings by home authority',
      head: ['Home authority', 'Young people'],
      rows: report.adoptables.byAuthority.map((a) => [a.name, a.value]),
      total: ['Total', sum(report.adoptables.byAuthority.map((a) => a.value))],
    },
    feedback: {
      caption: 'Feedback',
      head: ['Sessions', 'Responses', 'Average score (1 to 5)'],
      rows: report.feedback.map((f) => [KIND_NAMES[f.kind], f.responses, roundScore(f.averageScore)]),
      total: null,
    },
    waitingList: {
      caption: 'Places that stayed on a waiting list',
      head: ['Sessions', 'Places on a waiting list', 'Sessions with a waiting list'],
      rows: report.waitingList.map((w) => [KIND_NAMES[w.kind], w.places, w.sessions]),
      total: null,
    },
  }
}

/**
 * Every figure of the report, one per row, as the CSV and Power BI read them. Totals rows are
 * left out (they equal a headline, and summing a long table must not count anything twice);
 * figures that do not exist (no feedback, so no average) are left out rather than made 0.
 */
export function reportToLongRows(report: Report): LongRow[] {
  const period = report.period.label
  const rows: LongRow[] = []
  const add = (measure: string, dimension: string, value: number | null) => {
    if (value !== null) rows.push({ period, measure, dimension, value })
  }
  add('activities_held', '', report.activities.held)
  add('spaces_booked', '', report.activities.spacesBooked)
  // With no register taken attendance is unknown: left out, as a missing average is, never 0.
  add('activities_with_register', '', report.registers.activities)
  if (attendanceKnown(report.activities.spacesBooked, report.registers.activities)) {
    add('spaces_attended', '', report.activities.spacesAttended)
  }
  for (const a of report.byAuthority) add('spaces_by_authority', a.name, a.value)
  for (const g of report.byAgeGroup) add('spaces_by_age_group', g.label, g.value)
  const cross = report.authorityByAgeGroup
  for (const row of cross.rows) {
    cross.groups.forEach((group, i) =>
      add('spaces_by_authority_and_age_group', `${row.name} | ${group.label}`, row.cells[i] ?? 0),
    )
  }
  const { reach } = report
  add('children_reached', '', reach.children)
  add('places_per_child', '', reach.placesPerChild)
  add('families_reached', '', reach.families)
  add('families_new', '', reach.newFamilies)
  add('families_returning', '', reach.returningFamilies)
  add('children_and_young_people_reached', '', reach.childrenAndYoungPeople)
  for (const a of reach.byAuthority) add('children_by_authority', a.name, a.value)
  for (const g of reach.byAgeGroup) add('children_by_age_group', g.label, g.value)
  const childrenCross = reach.authorityByAgeGroup
  for (const row of childrenCross.rows) {
    childrenCross.groups.forEach((group, i) =>
      add('children_by_authority_and_age_group', `${row.name} | ${group.label}`, row.cells[i] ?? 0),
    )
  }
  add('adoptables_meetings_held', '', report.adoptables.meetingsHeld)
  add('adoptables_meetings_with_register', '', report.registers.adoptables)
  if (attendanceKnown(report.adoptables.meetingsHeld, report.registers.adoptables)) {
    add('adoptables_young_people', '', report.adoptables.distinctYoungPeople)
  }
  for (const a of report.adoptables.byAuthority) add('adoptables_young_people_by_authority', a.name, a.value)
  add('adoptables_min_age', '', report.adoptables.minAge)
  add('adoptables_max_age', '', report.adoptables.maxAge)
  for (const f of report.feedback) {
    add('feedback_responses', KIND_NAMES[f.kind], f.responses)
    add('feedback_average_score', KIND_NAMES[f.kind], roundScore(f.averageScore))
  }
  for (const w of report.waitingList) {
    add('waiting_list_places', KIND_NAMES[w.kind], w.places)
    add('waiting_list_sessions', KIND_NAMES[w.kind], w.sessions)
  }
  rows.push(...participationLongRows(report))
  return rows
}

/**
 * The long-format CSV: UTF-8 with a byte order mark (so Excel reads "Bromley" and "Ynys Môn"
 * alike), CRLF line ends, header `period,measure,dimension,value`.
 */
export function reportCsv(report: Report): string {
  const lines = [['period', 'measure', 'dimension', 'value'].join(',')]
  for (const row of reportToLongRows(report)) {
    lines.push([row.period, row.measure, row.dimension, row.value].map(csvField).join(','))
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** "join-in-report-2025-26-Q3.csv", or "join-in-report-2025-10-01-to-2025-11-15.xlsx" for a range. */
export function reportFilename(period: ReportPeriod, extension: 'csv' | 'xlsx'): string {
  const name = period.quarter
    ? `${period.quarter.financialYear}-Q${period.quarter.number}`
    : `${period.fromDate}-to-${period.toDate}`
  return `join-in-report-${name}.${extension}`
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The sheets of the XLSX, in order, each with the tables it holds (a blank row between tables). */
/** A sheet of the workbook: its tables one under another; `captions`: each under its caption. */
export interface ExportSheet {
  name: string
  tables: FigureTable[]
  captions?: boolean
}

export function reportSheets(report: Report): ExportSheet[] {
  const t = reportTables(report)
  const details: FigureTable = {
    caption: 'Report',
    head: ['Join In report', report.period.label],
    rows: [
      ['First day', report.period.fromDate],
      ['Last day', report.period.toDate],
      ['Age groups', CUT_NAMES[report.cut]],
    ],
    total: null,
  }
  return [
    { name: 'Summary', tables: [details, t.activities] },
    { name: 'By authority', tables: [t.byAuthority] },
    { name: 'By age group', tables: [t.byAgeGroup] },
    { name: 'Authority x age group', tables: [t.authorityByAgeGroup] },
    {
      name: 'Children reached',
      tables: [t.reach, t.childrenByAuthority, t.childrenByAgeGroup, t.childrenAuthorityByAgeGroup],
    },
    { name: 'Adoptables', tables: [t.adoptables, t.adoptablesByAuthority] },
    { name: 'Feedback', tables: [t.feedback] },
    { name: 'Waiting list', tables: [t.waitingList] },
    ...participationSheets(report),
  ]
}
