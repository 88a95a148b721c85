// The report's participation figures (attendance and no-shows, series retention, waiting-list
// demand that stayed, and the share of known adopted children reached): Report['participation'].

/** Confirmed places on sessions with a register taken, and what the register says of them. */
export interface AttendanceCount {
  /** the denominator of both rates */
  places: number
  /** marked attended */
  attended: number
  /** marked "did not attend" */
  noShows: number
  /** still unmarked on a register that was taken */
  notMarked: number
}

export interface AttendanceRow extends AttendanceCount {
  key: string
  label: string
}

export interface SessionAttendance extends AttendanceCount {
  id: number
  title: string
  kind: 'activity' | 'adoptables'
  category: string
  startsAt: string
}

export interface SeriesRetention {
  seriesId: number
  title: string
  /** the series' first session (published), which may be before the period */
  firstSessionId: number
  firstStartsAt: string
  /** distinct children (or young people) with a confirmed place on the first session */
  booked: number
  /** the first session and each later one that starts in the period, in order */
  sessions: Array<{
    id: number
    startsAt: string
    /** of those booked on the first session, how many were marked attended; null: no register taken */
    came: number | null
  }>
}

export interface KnownChildrenShare {
  /** the financial year whose numbers apply; null when the period spans two years */
  financialYear: string | null
  /** authorities with a number entered for that year: largest number reached first */
  rows: Array<{ code: string; name: string; childrenReached: number; known: number }>
  total: { childrenReached: number; known: number } | null
  /** authorities with children reached but no number entered */
  notEntered: Array<{ code: string; name: string; childrenReached: number }>
}

export interface ParticipationReport {
  attendance: {
    /** published sessions of both kinds starting in the period */
    sessionsHeld: number
    /** of those, sessions with a register taken: a confirmed place marked attended or not */
    sessionsWithRegister: number
    total: AttendanceCount
    byKind: AttendanceRow[]
    byCategory: AttendanceRow[]
    byAuthority: AttendanceRow[]
    bySession: SessionAttendance[]
  }
  seriesRetention: SeriesRetention[]
  /** places still waitlisted on sessions of the period that had started when the report was made */
  demand: {
    places: number
    sessions: number
    byCategory: Array<{ category: string; places: number; sessions: number }>
  }
  knownChildren: KnownChildrenShare
}
