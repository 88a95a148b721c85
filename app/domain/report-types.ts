// The quarterly report's shape: the one contract between the SQL that computes it
// (reports.server.ts), the page, the exports (CSV, XLSX, Power BI) and the tests.

/** A period: a UK financial-year quarter or any date range, in London dates. */
export interface ReportPeriod {
  /** "2025-26 Q3" or "1 October 2025 to 31 December 2025" */
  label: string
  /** first London day, inclusive, "YYYY-MM-DD" */
  fromDate: string
  /** last London day, inclusive, "YYYY-MM-DD" */
  toDate: string
  /** UTC instants: [from, to) — an activity belongs to the period its start falls in */
  from: string
  to: string
  /** set when the period is a quarter */
  quarter: { financialYear: string; number: 1 | 2 | 3 | 4 } | null
}

/** Cut of sections 3: configurable age bands, or England school year groups on the day. */
export type AgeCut = 'age-band' | 'school-year'

export interface AgeGroup {
  key: string
  label: string
}

export interface AuthorityCount {
  code: string
  name: string
  isPartner: boolean
  value: number
}

export interface Report {
  period: ReportPeriod
  cut: AgeCut
  /** section 1: virtual activities (kind 'activity') that were not cancelled */
  activities: { held: number; spacesBooked: number; spacesAttended: number }
  /** section 2: confirmed places on those activities by home authority; largest first; partners always listed */
  byAuthority: AuthorityCount[]
  /** section 3: the same places by age group (every group listed, even at 0) */
  byAgeGroup: Array<AgeGroup & { value: number }>
  /** section 3: authority × age group; rows as in byAuthority; totals add up to spacesBooked */
  authorityByAgeGroup: {
    groups: AgeGroup[]
    rows: Array<{ code: string; name: string; isPartner: boolean; cells: number[]; total: number }>
    totals: number[]
  }
  /** section 4: Adoptables meetings (not cancelled) and distinct young people who attended one */
  adoptables: {
    meetingsHeld: number
    distinctYoungPeople: number
    minAge: number | null
    maxAge: number | null
    byAuthority: AuthorityCount[]
  }
  /**
   * Sessions of each kind in the period with a register taken: at least one confirmed place marked
   * attended or not. With none, "attended" is not 0 but unknown, and the report says so.
   */
  registers: { activities: number; adoptables: number }
  /** section 5: feedback responses per kind of session */
  feedback: Array<{ kind: 'activity' | 'adoptables'; responses: number; averageScore: number | null }>
  /** section 6: places still on a waiting list on sessions held in the period, per kind */
  waitingList: Array<{ kind: 'activity' | 'adoptables'; places: number; sessions: number }>
}

/** One figure in long format: what the CSV feed and Power BI read. */
export interface LongRow {
  period: string
  measure: string
  dimension: string
  value: number
}
