// Reading the attendance report Microsoft Teams downloads for a meeting: pure, no database, so the
// parser is tested on sample files byte for byte. Teams writes UTF-16 (little-endian, with a byte
// order mark) tab-separated text; a report opened in Excel and saved again may come back as UTF-8
// (with or without a BOM), comma- or semicolon-separated, or in Windows-1252. Two layouts exist:
//
// - the current one, in sections: "1. Summary" (meeting title, start and end time …),
//   "2. Participants" (Name, First Join, Last Leave, In-Meeting Duration, Email, Participant ID
//   (UPN), Role: one row per participant) and "3. In-Meeting Activities" (every join and leave);
//   the 2021 version of it has "Meeting Summary" and "Full Name … Duration" instead;
// - the older flat list: Full Name, User Action (Joined, Left, "Joined before"), Timestamp.
//
// Only names, time in the meeting and role are read; email addresses and participant ids are not
// kept (the register needs none, and the file itself is never stored).

/** One name in the report, with every row of that exact name added together. */
export interface TeamsAttendee {
  /** the name as Teams shows it, e.g. "Sam Carter (Guest)" */
  name: string
  /** time in the meeting over all of that name's rows; null when the report gave none we could read */
  seconds: number | null
  /** "Organizer", "Presenter", "Attendee" …, as written; null when the report has no role */
  role: string | null
  /** how many rows (participants or joins) the name had: more than one after a dropped connection */
  joins: number
}

export interface TeamsReport {
  layout: 'sections' | 'join-leave-list'
  meetingTitle: string | null
  /**
   * The calendar dates (YYYY-MM-DD) the meeting's start could be: two when the report's date is
   * ambiguous (3/4/26 is 3 April in the UK and 4 March in the US), none when it has no start.
   */
  meetingDates: string[]
  attendees: TeamsAttendee[]
}

export type TeamsReportProblem =
  /** nothing in the file */
  | 'empty'
  /** an Excel workbook (.xlsx or .xls), not the text file Teams downloads */
  | 'spreadsheet'
  /** neither layout's headings */
  | 'not-teams'
  /** the headings, but not one name under them */
  | 'no-names'

export type TeamsReportResult =
  { status: 'read'; report: TeamsReport } | { status: 'problem'; problem: TeamsReportProblem }

/** Reads a Teams attendance report from the uploaded file's bytes. Never throws on bad input. */
export function readTeamsReport(bytes: Uint8Array): TeamsReportResult {
  if (isSpreadsheet(bytes)) return { status: 'problem', problem: 'spreadsheet' }
  const text = decodeText(bytes)
  if (text === null) return { status: 'problem', problem: 'not-teams' }
  if (text.trim() === '') return { status: 'problem', problem: 'empty' }
  for (const delimiter of delimitersToTry(text)) {
    const rows = parseDelimited(text, delimiter)
    const report = readSections(rows) ?? readJoinLeaveList(rows)
    if (report) {
      return report.attendees.length === 0 ? { status: 'problem', problem: 'no-names' } : { status: 'read', report }
    }
  }
  return { status: 'problem', problem: 'not-teams' }
}

// ---- bytes to text ----

function isSpreadsheet(bytes: Uint8Array): boolean {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b)
  // a zip (xlsx) or an OLE compound file (xls)
  return starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)
}

/**
 * The file's text: UTF-16LE or BE by their byte order mark, UTF-16 without one when every other
 * byte is zero (plain-ASCII names), else UTF-8 (a BOM is dropped), falling back to Windows-1252
 * (Excel's "CSV" on a UK Windows) when the bytes are not valid UTF-8. Null for binary data.
 */
function decodeText(bytes: Uint8Array): string | null {
  let text: string
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2))
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2))
  else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) text = utf8OrNull(bytes.subarray(3)) ?? ''
  else {
    const guess = utf16WithoutBom(bytes)
    if (guess) text = new TextDecoder(guess).decode(bytes)
    else text = utf8OrNull(bytes) ?? new TextDecoder('windows-1252').decode(bytes)
  }
  // NUL or other control characters (but tab, CR and LF) mean it was not text after all
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) return null
  return text
}

function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}

function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const sample = bytes.subarray(0, Math.min(bytes.length, 512))
  if (sample.length < 4 || sample.length % 2 !== 0) return null
  let evenZeros = 0
  let oddZeros = 0
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenZeros += 1
    if (sample[i + 1] === 0) oddZeros += 1
  }
  const pairs = sample.length / 2
  if (oddZeros > pairs * 0.9 && evenZeros === 0) return 'utf-16le'
  if (evenZeros > pairs * 0.9 && oddZeros === 0) return 'utf-16be'
  return null
}

// ---- text to rows ----

/** Tab first (what Teams writes), then comma and semicolon (Excel's CSV, in UK and European settings). */
function delimitersToTry(text: string): string[] {
  return text.includes('\t') ? ['\t', ',', ';'] : [',', ';']
}

/**
 * Rows of fields, as RFC 4180 reads them: a field starting with a double quote runs to the
 * closing quote ("" inside is one quote) and may hold the delimiter or a line break; any other
 * field runs to the next delimiter or line end (CRLF, LF or CR). Fields are trimmed.
 */
export function parseDelimited(text: string, delimiter: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let i = 0
  const n = text.length
  while (i <= n) {
    let field = ''
    // leading spaces before an opening quote are allowed (Excel never writes them, people do)
    let j = i
    while (j < n && (text[j] === ' ' || (delimiter !== '\t' && text[j] === '\t'))) j += 1
    if (text[j] === '"') {
      j += 1
      while (j < n) {
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            field += '"'
            j += 2
            continue
          }
          j += 1
          break
        }
        field += text[j]
        j += 1
      }
      // anything between the closing quote and the delimiter is kept as written
      while (j < n && text[j] !== delimiter && text[j] !== '\n' && text[j] !== '\r') {
        field += text[j]
        j += 1
      }
    } else {
      j = i
      while (j < n && text[j] !== delimiter && text[j] !== '\n' && text[j] !== '\r') {
        field += text[j]
        j += 1
      }
    }
    row.push(field.trim())
    if (j >= n) {
      rows.push(row)
      break
    }
    if (text[j] === delimiter) {
      i = j + 1
      continue
    }
    rows.push(row)
    row = []
    i = text[j] === '\r' && text[j + 1] === '\n' ? j + 2 : j + 1
    if (i >= n) break
  }
  return rows
}

function heading(cell: string | undefined): string {
  return (cell ?? '')
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
}

function isBlank(row: string[]): boolean {
  return row.every((cell) => cell.trim() === '')
}

/** "2. Participants", "3. In-Meeting Activities": a numbered section heading. */
function isSectionHeading(row: string[]): boolean {
  return /^\d+\.\s*\S/.test(row[0] ?? '') && row.slice(1).every((cell) => cell === '')
}

// ---- the current layout ----

const NAME_HEADINGS = new Set(['name', 'full name'])
const DURATION_HEADINGS = new Set(['in-meeting duration', 'duration', 'attendance duration'])

function readSections(rows: string[][]): TeamsReport | null {
  const headerIndex = rows.findIndex(
    (row) => NAME_HEADINGS.has(heading(row[0])) && row.some((cell) => DURATION_HEADINGS.has(heading(cell))),
  )
  if (headerIndex < 0) return null
  const header = rows[headerIndex]!.map(heading)
  const column = (names: string[]) => header.findIndex((h) => names.includes(h))
  const nameAt = 0
  const durationAt = column([...DURATION_HEADINGS])
  const roleAt = column(['role'])
  const firstJoinAt = column(['first join', 'join time', 'first join time'])
  const attendees = new Map<string, TeamsAttendee>()
  for (const row of rows.slice(headerIndex + 1)) {
    if (isBlank(row) || isSectionHeading(row)) break
    const name = row[nameAt]?.trim() ?? ''
    if (!name) continue
    addRow(attendees, name, parseDuration(row[durationAt] ?? ''), roleAt >= 0 ? row[roleAt] || null : null)
  }
  const summary = rows.slice(0, headerIndex)
  const title = summaryValue(summary, ['meeting title', 'title'])
  const start =
    summaryValue(summary, ['start time', 'meeting start time']) ??
    (firstJoinAt >= 0 ? (rows[headerIndex + 1]?.[firstJoinAt] ?? null) : null)
  return {
    layout: 'sections',
    meetingTitle: title,
    meetingDates: start ? (parseTimestamp(start)?.dates ?? []) : [],
    attendees: [...attendees.values()],
  }
}

function summaryValue(rows: string[][], names: string[]): string | null {
  const row = rows.find((r) => names.includes(heading(r[0])))
  const value = row?.[1]?.trim()
  return value ? value : null
}

function addRow(attendees: Map<string, TeamsAttendee>, name: string, seconds: number | null, role: string | null) {
  const seen = attendees.get(name)
  if (!seen) {
    attendees.set(name, { name, seconds, role, joins: 1 })
    return
  }
  seen.joins += 1
  seen.seconds = seen.seconds === null ? seconds : seconds === null ? seen.seconds : seen.seconds + seconds
  seen.role ??= role
}

/** "1h 2m 3s", "45m 12s", "30s", "2h", or "00:45:12"; null for anything else. */
export function parseDuration(text: string): number | null {
  const value = text.trim().toLowerCase()
  const clock = /^(\d{1,3}):(\d{2}):(\d{2})$/.exec(value)
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3])
  const units = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?$/.exec(value)
  if (!units || (!units[1] && !units[2] && !units[3])) return null
  return Number(units[1] ?? 0) * 3600 + Number(units[2] ?? 0) * 60 + Number(units[3] ?? 0)
}

// ---- the older flat list ----

function readJoinLeaveList(rows: string[][]): TeamsReport | null {
  const headerIndex = rows.findIndex((row) => {
    const h = row.map(heading)
    return h.includes('full name') && h.includes('user action') && h.includes('timestamp')
  })
  if (headerIndex < 0) return null
  const header = rows[headerIndex]!.map(heading)
  const nameAt = header.indexOf('full name')
  const actionAt = header.indexOf('user action')
  const timeAt = header.indexOf('timestamp')
  const events: Array<{ name: string; action: 'joined' | 'left'; at: ParsedTimestamp | null }> = []
  for (const row of rows.slice(headerIndex + 1)) {
    if (isBlank(row)) continue
    const name = row[nameAt]?.trim() ?? ''
    if (!name) continue
    // "Joined", "Left", and "Joined before" (in the meeting before the report began)
    const action = heading(row[actionAt]).startsWith('left') ? 'left' : 'joined'
    events.push({ name, action, at: parseTimestamp(row[timeAt] ?? '') })
  }
  // One reading of the dates for the whole file (a file is all US or all UK dates).
  const order = dateOrderOf(events.flatMap((e) => (e.at ? [e.at] : [])))
  const instants = events.map((e) => (e.at ? e.at.instant(order) : null))
  const known = instants.filter((t): t is number => t !== null)
  const end = known.length ? known.reduce((a, b) => Math.max(a, b)) : null
  const attendees = new Map<string, TeamsAttendee>()
  const open = new Map<string, number | null>()
  const totals = new Map<string, { seconds: number; joins: number; unknown: boolean }>()
  events.forEach((event, index) => {
    const at = instants[index] ?? null
    const total = totals.get(event.name) ?? { seconds: 0, joins: 0, unknown: false }
    totals.set(event.name, total)
    if (event.action === 'joined') {
      // joined again without a "Left" between (a second device): the first join still counts
      if (open.has(event.name)) return
      total.joins += 1
      open.set(event.name, at)
      return
    }
    const since = open.get(event.name)
    if (since === undefined) return
    if (since === null || at === null) total.unknown = true
    else total.seconds += Math.max(0, at - since) / 1000
    open.delete(event.name)
  })
  // Still in the meeting at the last line: until the report's last timestamp.
  for (const [name, since] of open) {
    const total = totals.get(name)!
    if (since === null || end === null) total.unknown = true
    else total.seconds += Math.max(0, end - since) / 1000
  }
  for (const [name, total] of totals) {
    attendees.set(name, {
      name,
      seconds: total.unknown && total.seconds === 0 ? null : Math.round(total.seconds),
      role: null,
      joins: Math.max(1, total.joins),
    })
  }
  const first = events.find((e) => e.at)?.at
  return {
    layout: 'join-leave-list',
    meetingTitle: null,
    meetingDates: first ? first.dates : [],
    attendees: [...attendees.values()],
  }
}

// ---- timestamps ----

type DateOrder = 'dmy' | 'mdy' | 'ymd'

interface ParsedTimestamp {
  /** the date orders the written date can be read in, the likelier first */
  orders: DateOrder[]
  /** YYYY-MM-DD for each of those readings */
  dates: string[]
  /** milliseconds on a clock of its own (no time zone: only differences are used) in that order */
  instant(order: DateOrder): number | null
}

/**
 * "15/11/22, 09:30:17" (UK), "10/14/2020, 9:52:33 AM" (US), "2026-03-10 16:00:46" (ISO-like).
 * Teams writes the organiser's own locale; with AM/PM a US month-first date is likelier, without
 * it a UK day-first one, and a part above 12 settles it.
 */
export function parseTimestamp(text: string): ParsedTimestamp | null {
  const match = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])?\.?\s*m?\.?$/i.exec(
    text.trim(),
  )
  if (!match) return null
  const [a, b, c, h, min, s] = [1, 2, 3, 4, 5, 6].map((k) => Number(match[k] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const meridiem = match[7]?.toLowerCase()
  let hour = h
  if (meridiem === 'p' && hour < 12) hour += 12
  if (meridiem === 'a' && hour === 12) hour = 0
  if (hour > 23 || min > 59 || s > 59) return null
  const fullYear = (y: number) => (y < 100 ? 2000 + y : y)
  const readings: Record<DateOrder, [number, number, number] | null> = {
    ymd: match[1]!.length === 4 ? [a, b, c] : null,
    dmy: match[1]!.length <= 2 ? [fullYear(c), b, a] : null,
    mdy: match[1]!.length <= 2 ? [fullYear(c), a, b] : null,
  }
  const valid = (Object.keys(readings) as DateOrder[]).filter((order) => {
    const r = readings[order]
    if (!r) return false
    const [y, m, d] = r
    const date = new Date(Date.UTC(y, m - 1, d))
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
  })
  if (valid.length === 0) return null
  const preferred: DateOrder[] = meridiem ? ['mdy', 'dmy', 'ymd'] : ['ymd', 'dmy', 'mdy']
  const orders = preferred.filter((o) => valid.includes(o))
  const iso = (order: DateOrder) => {
    const [y, m, d] = readings[order]!
    return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  }
  return {
    orders,
    dates: [...new Set(orders.map(iso))],
    instant(order) {
      const r = readings[order]
      if (!r || !valid.includes(order)) return null
      return Date.UTC(r[0], r[1] - 1, r[2], hour, min, s)
    },
  }
}

/** The one date order every timestamp in a file can be read in, the likeliest of those. */
function dateOrderOf(stamps: ParsedTimestamp[]): DateOrder {
  const candidates: DateOrder[] = stamps[0]?.orders ?? ['dmy']
  return candidates.find((order) => stamps.every((s) => s.orders.includes(order))) ?? candidates[0] ?? 'dmy'
}

/** Seconds over several names (a child seen twice, say); null when none of them had a time. */
export function totalSeconds(names: Array<{ seconds: number | null }>): number | null {
  const known = names.filter((n) => n.seconds !== null)
  return known.length ? known.reduce((sum, n) => sum + n.seconds!, 0) : null
}
