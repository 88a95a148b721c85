// The quarterly report's shape: the one contract between the SQL that computes it
// (reports.server.ts), the page, the exports (CSV, XLSX, Power BI) and the tests.
import type { ParticipationReport } from './participation-types'

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
  /**
   * Sections 1 to 3, beside the spaces: the distinct children those spaces were for, and their
   * families. A child is place.child_id (a place with none, erased before families existed, is a
   * child of its own); a family is place.family_id (a place with none: its booking). Each child is
   * counted once, in the authority and age group of their first counted place in the period
   * (earliest session start, then lowest place id), so every breakdown adds up to `children`.
   */
  reach: {
    children: number
    /** spaces booked ÷ children, one decimal; null with no children */
    placesPerChild: number | null
    /**
     * Children and young people reached, virtual activities and Adoptables together: `children`
     * plus the distinct young people who attended an Adoptables meeting (adoptables.distinctYoungPeople).
     * A child is booked by a parent or carer and a young person signs up themselves: different
     * records that are never matched, so together is the sum (someone in both is counted twice).
     */
    childrenAndYoungPeople: number
    families: number
    /** families with no confirmed place on a virtual activity that started before the period */
    newFamilies: number
    /** families that had one: newFamilies + returningFamilies = families */
    returningFamilies: number
    /** largest first; partners always listed */
    byAuthority: AuthorityCount[]
    /** the same groups as byAgeGroup, every one listed */
    byAgeGroup: Array<AgeGroup & { value: number }>
    /** rows as in reach.byAuthority, groups as in authorityByAgeGroup */
    authorityByAgeGroup: {
      groups: AgeGroup[]
      rows: Array<{ code: string; name: string; isPartner: boolean; cells: number[]; total: number }>
      totals: number[]
    }
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
  /** sections 7 to 10: attendance and no-shows, series retention, demand that stayed, share of known children */
  participation: ParticipationReport
}

/** One figure in long format: what the CSV feed and Power BI read. */
export interface LongRow {
  period: string
  measure: string
  dimension: string
  value: number
}
