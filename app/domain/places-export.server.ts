// The row-level places export: one anonymised CSV line per place on a session in a period,
// produced in batches of sessions and handed out in ~64 KB chunks, so a million places never sit
// in memory at once and the database connection is never held for more than one batch.
import type { DB } from '../../db/index'
import type { ActivityKind, ActivityStatus } from '../../db/schema'
import { csvField } from './csv'
import { londonDateOf } from '../time/london-time'
import type { ReportPeriod } from './report-types'

/**
 * What a line says. Deliberately no names, emails, phone numbers, dates of birth, support needs,
 * booking references or member ids: the file leaves the service (Excel, Power BI, shared drives),
 * so it carries only what the quarterly figures are made of.
 */
export const PLACES_CSV_HEADER = [
  'Session date',
  'Kind',
  'Activity ID',
  'Activity status',
  'Home authority code',
  'Home authority',
  'Age on the day',
  'School year',
  'Place status',
  'Attended',
] as const

/** Hand the sink a chunk at about this many characters (all but a few are ASCII). */
const CHUNK_CHARS = 64 * 1024
/** Sessions per query: bounded by their capacity so a batch is a few thousand places (a few ms). */
const BATCH_SPACES = 5000
const BATCH_SESSIONS = 512
/** Sessions are listed four weeks at a time: ~1,300 rows, a few ms, even with every agency in England. */
const WINDOW_MS = 28 * 86_400_000

const KINDS: readonly ActivityKind[] = ['activity', 'adoptables']
const STATUSES: readonly ActivityStatus[] = ['draft', 'published', 'cancelled']
const BOM = '\uFEFF'
const CRLF = '\r\n'

export interface PlacesExportSummary {
  rows: number
  sessions: number
  /** queries for places: each one a short hold on the connection */
  batches: number
}

export function placesCsvFilename(period: ReportPeriod): string {
  const name = period.quarter
    ? `${period.quarter.financialYear}-Q${period.quarter.number}`
    : `${period.fromDate}-to-${period.toDate}`
  return `join-in-places-${name.replace(/[^0-9A-Za-z-]+/g, '-')}.csv`
}

/**
 * Writes the CSV (UTF-8 BOM so Excel reads it as UTF-8, CRLF line ends, RFC 4180 quoting) of
 * every place on every session starting in the period, cancelled sessions and cancelled or
 * waitlisted places included: the status columns say which, so the file reconciles with the
 * report by filtering. Sessions come in start order; a session's places in no particular order.
 *
 * Why batches and not one `.stream()`: Kysely runs every query of the app on its one SQLite
 * connection, one at a time, and a streaming query holds that connection from its first row to
 * its last. Over a million places that was 7.8 s (`npm run bench`, 2 vCPUs) in which no booking,
 * sign-in or /healthz could touch the database, and Kysely's row-at-a-time async iteration cost
 * more than the SQL itself. So sessions are listed four weeks at a time (~1,300 rows even for
 * all of England), and their places are read a batch of sessions at a time (~5,000 places: a
 * ~10 ms query on the covering place_report index). Between
 * queries the connection is free and the event loop is yielded, so other requests go first; the
 * million places take ~3.7 s. Each session's places come from one query, so a session is never
 * half old, half new; different sessions may be read a moment apart while bookings carry on.
 *
 * `write` gets each ~64 KB chunk; if it returns a promise it is awaited before more is read:
 * that is where the caller applies back-pressure, and where it stops the export (by throwing)
 * when the download is abandoned. Memory stays at four weeks' sessions, one batch and one chunk.
 */
export async function streamPlacesCsv(
  db: DB,
  period: ReportPeriod,
  write: (chunk: string) => void | Promise<void>,
): Promise<PlacesExportSummary> {
  const authorities = await authorityFields(db)
  let buffer = BOM + PLACES_CSV_HEADER.join(',') + CRLF
  let rows = 0
  let sessionCount = 0
  let batches = 0
  const dates = new LondonDates()

  for (let windowStart = period.from; windowStart < period.to;) {
    const next = new Date(Date.parse(windowStart) + WINDOW_MS).toISOString()
    const windowEnd = next < period.to ? next : period.to
    const sessions = await sessionsStarting(db, windowStart, windowEnd)
    windowStart = windowEnd
    sessionCount += sessions.length

    for (let first = 0; first < sessions.length;) {
      let end = first
      let spaces = 0
      while (end < sessions.length && end - first < BATCH_SESSIONS && (end === first || spaces < BATCH_SPACES)) {
        spaces += sessions[end]!.capacity
        end++
      }
      const batch = sessions.slice(first, end)
      first = end

      const places = await db
        .selectFrom('place')
        .select([
          'place.activity_id',
          'place.authority_code',
          'place.age_on_day',
          'place.school_year',
          'place.status',
          'place.attended',
        ])
        .where('place.activity_id', 'in', paddedIds(batch.map((s) => s.id)))
        .execute()
      batches++

      const bySession = new Map<number, typeof places>()
      for (const place of places) {
        const list = bySession.get(place.activity_id)
        if (list) list.push(place)
        else bySession.set(place.activity_id, [place])
      }

      for (const session of batch) {
        const list = bySession.get(session.id)
        if (!list) continue
        const prefix = `${dates.of(session.starts_at)},${session.kind},${session.id},${session.status},`
        for (const place of list) {
          const authority = authorities.get(place.authority_code) ?? `${csvField(place.authority_code)},`
          buffer +=
            `${prefix}${authority},${place.age_on_day},${place.school_year ?? ''},${place.status},` +
            `${place.attended === null ? '' : place.attended ? 'yes' : 'no'}${CRLF}`
          rows++
          if (buffer.length >= CHUNK_CHARS) {
            const chunk = buffer
            buffer = ''
            await write(chunk)
          }
        }
      }
      // The connection is free here: let other requests' queries in before the next batch.
      await yieldToEventLoop()
    }
  }
  if (buffer) await write(buffer)
  return { rows, sessions: sessionCount, batches }
}

/** Sessions starting in [from, to), in start order: four weeks' worth, so a short query. */
function sessionsStarting(db: DB, from: string, to: string) {
  // Both kinds and every status are named so the (kind, status, starts_at) index serves the range.
  return db
    .selectFrom('activity')
    .select(['id', 'starts_at', 'kind', 'status', 'capacity'])
    .where('kind', 'in', KINDS)
    .where('status', 'in', STATUSES)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .orderBy('starts_at')
    .orderBy('id')
    .execute()
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * London dates of session starts, one time-zone conversion per UTC hour: London is always a
 * whole number of hours from UTC, so every instant in one UTC hour falls on the same London date,
 * and Intl's conversion is by far the slowest part of a line.
 */
class LondonDates {
  readonly #byHour = new Map<string, string>()
  of(instant: string): string {
    const hour = instant.slice(0, 13)
    let date = this.#byHour.get(hour)
    if (date === undefined) {
      date = londonDateOf(instant)
      this.#byHour.set(hour, date)
    }
    return date
  }
}

/**
 * The IN list padded (with 0, never an id) to a power of two: a handful of distinct statements
 * instead of one per batch size, so the connection's prepared-statement cache is not churned.
 */
function paddedIds(ids: number[]): number[] {
  let size = 8
  while (size < ids.length) size *= 2
  return ids.length === size ? ids : [...ids, ...Array<number>(size - ids.length).fill(0)]
}

/** "code,name" per authority, quoted once: there are ~160 of them and a million lines. */
async function authorityFields(db: DB): Promise<Map<string, string>> {
  const rows = await db.selectFrom('authority').select(['code', 'name']).execute()
  return new Map(rows.map((a) => [a.code, `${csvField(a.code)},${csvField(a.name)}`]))
}
