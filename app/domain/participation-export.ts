// The participation figures (Report['participation']) as the report's tables, long-format rows for
// the CSV and Power BI feed, and XLSX sheets: the page, the downloads and the feed read them here,
// so what is shown is exactly what is exported. Rates are percentages to one decimal place.
import type { AttendanceCount, AttendanceRow } from './participation-types'
import type { Cell, ExportSheet, FigureTable } from './report-export'
import type { LongRow, Report } from './report-types'
import { formatCalendarDate, londonDateOf, londonTimeOf } from '../time/london-time'

/** What the report shows where no register was taken: not 0, which would be untrue. */
const NO_REGISTER = 'No register taken'

/** n ÷ of as a percentage to one decimal place; null when there is nothing to divide by. */
export function percent(n: number, of: number): number | null {
  return of > 0 ? Math.round((n / of) * 1000) / 10 : null
}

export const ATTENDANCE_RULE =
  'A register counts as taken when at least one confirmed place on the session is marked attended or not. Rates are of the confirmed places on those sessions: attended ÷ places, and did not attend ÷ places; places left unmarked count in neither.'

export const DEMAND_RULE =
  'Places still on a waiting list on sessions that have started: the family was waiting when the session began and was never offered a place. Sessions still to come are not counted yet.'

export interface ParticipationTables {
  attendance: FigureTable
  attendanceByKind: FigureTable
  attendanceByCategory: FigureTable
  attendanceByAuthority: FigureTable
  attendanceBySession: FigureTable
  retention: FigureTable[]
  demand: FigureTable
  knownChildren: FigureTable | null
}

const ATTENDANCE_HEAD = [
  'Places',
  'Attended',
  'Did not attend',
  'Not marked',
  'Attendance rate (%)',
  'No-show rate (%)',
]

function attendanceCells(c: AttendanceCount): Cell[] {
  return [c.places, c.attended, c.noShows, c.notMarked, percent(c.attended, c.places), percent(c.noShows, c.places)]
}

function breakdown(caption: string, first: string, rows: AttendanceRow[], total: AttendanceCount): FigureTable {
  return {
    caption,
    head: [first, ...ATTENDANCE_HEAD],
    rows: rows.map((r) => [r.label, ...attendanceCells(r)]),
    total: ['Total', ...attendanceCells(total)],
  }
}

const day = (instant: string) => formatCalendarDate(londonDateOf(instant))

export function participationTables(report: Report): ParticipationTables {
  const { attendance, seriesRetention, demand, knownChildren } = report.participation
  const { total } = attendance
  return {
    attendance: {
      caption: 'Attendance where a register was taken',
      head: ['Measure', 'Number'],
      rows: [
        ['Sessions held', attendance.sessionsHeld],
        ['Sessions with a register', attendance.sessionsWithRegister],
        ['Places on those sessions', total.places],
        ['Attended', total.attended],
        ['Did not attend', total.noShows],
        ['Not marked', total.notMarked],
        ['Attendance rate (%)', percent(total.attended, total.places)],
        ['No-show rate (%)', percent(total.noShows, total.places)],
      ],
      total: null,
    },
    attendanceByKind: breakdown('Attendance by kind of session', 'Kind of session', attendance.byKind, total),
    attendanceByCategory: breakdown('Attendance by category', 'Category', attendance.byCategory, total),
    attendanceByAuthority: breakdown('Attendance by home authority', 'Home authority', attendance.byAuthority, total),
    attendanceBySession: breakdown(
      'Attendance by session',
      'Session',
      attendance.bySession.map((s) => ({ ...s, key: String(s.id), label: `${s.title}, ${day(s.startsAt)}` })),
      total,
    ),
    retention: seriesRetention.map((series) => ({
      caption: `Series retention: ${series.title}, first session ${day(series.firstStartsAt)}`,
      head: [
        'Session',
        'Children from the first session who came',
        `Of the ${series.booked} booked on the first session (%)`,
      ],
      rows: series.sessions.map((s) => [
        day(s.startsAt),
        s.came === null ? NO_REGISTER : s.came,
        s.came === null ? NO_REGISTER : percent(s.came, series.booked),
      ]),
      total: null,
    })),
    demand: {
      caption: 'Places that stayed on a waiting list, by category',
      head: ['Category', 'Places', 'Sessions'],
      rows: demand.byCategory.map((d) => [d.category, d.places, d.sessions]),
      total: ['Total', demand.places, demand.sessions],
    },
    knownChildren:
      knownChildren.financialYear && knownChildren.total
        ? {
            caption: `Share of known adopted children reached (${knownChildren.financialYear})`,
            head: ['Home authority', 'Children reached', 'Known adopted children', 'Share reached (%)'],
            rows: knownChildren.rows.map((r) => [
              r.name,
              r.childrenReached,
              r.known,
              percent(r.childrenReached, r.known),
            ]),
            total: [
              'Total',
              knownChildren.total.childrenReached,
              knownChildren.total.known,
              percent(knownChildren.total.childrenReached, knownChildren.total.known),
            ],
          }
        : null,
  }
}

/** "Weekly art club from 2025-10-01": a series as the CSV names it. */
function seriesName(title: string, firstStartsAt: string): string {
  return `${title} from ${londonDateOf(firstStartsAt)}`
}

/** The participation figures, one per row, for the CSV and Power BI (no totals rows; no figure that does not exist). */
export function participationLongRows(report: Report): LongRow[] {
  const period = report.period.label
  const rows: LongRow[] = []
  const add = (measure: string, dimension: string, value: number | null) => {
    if (value !== null) rows.push({ period, measure, dimension, value })
  }
  const { attendance, seriesRetention, demand, knownChildren } = report.participation
  const { total } = attendance
  add('attendance_sessions_with_register', '', attendance.sessionsWithRegister)
  add('attendance_places', '', total.places)
  add('attendance_attended', '', total.attended)
  add('attendance_no_shows', '', total.noShows)
  add('attendance_not_marked', '', total.notMarked)
  add('attendance_rate', '', percent(total.attended, total.places))
  add('no_show_rate', '', percent(total.noShows, total.places))
  const by = (name: string, list: Array<AttendanceCount & { dimension: string }>) => {
    for (const r of list) {
      add(`attendance_places_by_${name}`, r.dimension, r.places)
      add(`attended_by_${name}`, r.dimension, r.attended)
      add(`no_shows_by_${name}`, r.dimension, r.noShows)
      add(`attendance_rate_by_${name}`, r.dimension, percent(r.attended, r.places))
      add(`no_show_rate_by_${name}`, r.dimension, percent(r.noShows, r.places))
    }
  }
  by(
    'kind',
    attendance.byKind.map((r) => ({ ...r, dimension: r.label })),
  )
  by(
    'category',
    attendance.byCategory.map((r) => ({ ...r, dimension: r.label })),
  )
  by(
    'authority',
    attendance.byAuthority.map((r) => ({ ...r, dimension: r.label })),
  )
  by(
    'session',
    attendance.bySession.map((s) => ({
      ...s,
      dimension: `${londonDateOf(s.startsAt)} ${londonTimeOf(s.startsAt)} ${s.title}`,
    })),
  )
  for (const series of seriesRetention) {
    const name = seriesName(series.title, series.firstStartsAt)
    add('series_first_session_children', name, series.booked)
    for (const s of series.sessions) {
      if (s.came === null) continue
      add('series_came', `${name} | ${londonDateOf(s.startsAt)}`, s.came)
      add('series_came_share', `${name} | ${londonDateOf(s.startsAt)}`, percent(s.came, series.booked))
    }
  }
  add('waiting_list_stayed_places', '', demand.places)
  add('waiting_list_stayed_sessions', '', demand.sessions)
  for (const d of demand.byCategory) {
    add('waiting_list_stayed_places_by_category', d.category, d.places)
    add('waiting_list_stayed_sessions_by_category', d.category, d.sessions)
  }
  if (knownChildren.total) {
    for (const r of knownChildren.rows) {
      add('known_adopted_children', r.name, r.known)
      add('known_adopted_children_share', r.name, percent(r.childrenReached, r.known))
    }
    add('known_adopted_children', '', knownChildren.total.known)
    add('known_adopted_children_share', '', percent(knownChildren.total.childrenReached, knownChildren.total.known))
  }
  return rows
}

/** The XLSX's sheets for these figures (each with at least one table). */
export function participationSheets(report: Report): ExportSheet[] {
  const t = participationTables(report)
  const noSeries: FigureTable = {
    caption: 'Series retention',
    head: ['Series retention'],
    rows: [['No series had a session in this period']],
    total: null,
  }
  const sheets = [
    {
      name: 'Attendance',
      tables: [
        t.attendance,
        t.attendanceByKind,
        t.attendanceByCategory,
        t.attendanceByAuthority,
        t.attendanceBySession,
      ],
    },
    // each series' table under its name: the dates alone do not say which series they are
    {
      name: 'Series retention',
      tables: t.retention.length ? t.retention : [noSeries],
      captions: t.retention.length > 0,
    },
    { name: 'Demand', tables: [t.demand] },
  ]
  return t.knownChildren ? [...sheets, { name: 'Known children', tables: [t.knownChildren] }] : sheets
}
