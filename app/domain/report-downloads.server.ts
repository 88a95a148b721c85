// The report leaving the service: the CSV, the workbook, the print view and the row-level places
// CSV. Each reads its period with the one period reader, and each export is audited here, before
// anything is sent, so a new download cannot forget either.
import type { DB } from '../../db/index'
import { allow } from '../auth/rate-limit.server'
import { authenticateApiToken } from './api-tokens.server'
import { recordAudit, type StaffActor } from './audit.server'
import { placesCsvFilename, streamPlacesCsv } from './places-export.server'
import { reportCsv, reportFilename, XLSX_CONTENT_TYPE } from './report-export'
import { periodErrorText, readPeriod } from './report-period'
import { readReportQuery } from './report-query'
import type { Report } from './report-types'
import { reportXlsx } from './report-xlsx.server'
import { computeReport } from './reports.server'
import { getQuarterFirstMonth } from './settings-admin.server'

export type ReportFormat = 'csv' | 'xlsx' | 'print'

interface Exporter {
  /** the staff member the report is for, already checked for `reports:read` */
  actor: StaffActor
  params: URLSearchParams
  /** when the report is made (the request's clock); the clock by default */
  now?: Date
}

export type ReportExport = { ok: true; report: Report; search: string } | { ok: false; message: string }

/** Reads the period and cut, computes the report and records that it was exported in this format. */
export async function exportReport(
  db: DB,
  { actor, params, format, ...exporter }: Exporter & { format: ReportFormat },
): Promise<ReportExport> {
  const query = readReportQuery(params, { firstMonth: await getQuarterFirstMonth(db) })
  if (!query.ok) return { ok: false, message: periodErrorText(query.errors) }
  const report = await computeReport(db, query.period, { cut: query.cut, now: exporter.now })
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'report.exported',
    subjectType: 'report',
    subjectId: report.period.label,
    detail: {
      format,
      period: report.period.label,
      from: report.period.fromDate,
      to: report.period.toDate,
      cut: report.cut,
    },
    ip: actor.ip,
  })
  return { ok: true, report, search: query.search }
}

function plain(status: number, message: string): Response {
  return new Response(message.endsWith('\n') ? message : `${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}

/** The report as a file: the same figures as the page, or a 400 saying what is wrong with the period. */
export async function reportFileResponse(db: DB, exporter: Exporter & { format: 'csv' | 'xlsx' }): Promise<Response> {
  const exported = await exportReport(db, exporter)
  if (!exported.ok) return plain(400, exported.message)
  const { report } = exported
  const [body, contentType] =
    exporter.format === 'csv'
      ? [reportCsv(report), 'text/csv; charset=utf-8']
      : [new Uint8Array(await reportXlsx(report)), XLSX_CONTENT_TYPE]
  return new Response(body, {
    headers: {
      'Content-Type': contentType,
      'Content-Disposition': `attachment; filename="${reportFilename(report.period, exporter.format)}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}

/** Chunks (~64 KB each) queued for the response before reading more places waits. */
const QUEUED_CHUNKS = 4

class DownloadAbandoned extends Error {}

/**
 * The row-level places CSV, streamed as it is read (see streamPlacesCsv for what a line holds and
 * how the database is shared). `signal` is the request's: when the client goes away, reading stops.
 */
export async function placesFileResponse(db: DB, { actor, params, signal }: Exporter & { signal: AbortSignal }) {
  const query = readReportQuery(params, { firstMonth: await getQuarterFirstMonth(db) })
  if (!query.ok) return plain(400, periodErrorText(query.errors))
  const { period } = query

  // Recorded before the first byte: once a download starts, the data may have left even if it
  // is abandoned half way.
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'report.places-exported',
    subjectType: 'report',
    subjectId: period.label,
    detail: { period: period.label, from: period.fromDate, to: period.toDate },
    ip: actor.ip,
  })

  const encoder = new TextEncoder()
  let abandoned = false
  let resume: (() => void) | null = null
  const wake = () => {
    resume?.()
    resume = null
  }
  const abandon = () => {
    abandoned = true
    wake()
  }
  signal.addEventListener('abort', abandon, { once: true })

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // Not awaited: start() returning lets the response (and its headers) go out at once.
        void streamPlacesCsv(db, period, async (chunk) => {
          if (abandoned) throw new DownloadAbandoned()
          controller.enqueue(encoder.encode(chunk))
          // Back-pressure: wait while the reader has QUEUED_CHUNKS unread.
          while (!abandoned && (controller.desiredSize ?? 1) <= 0) {
            await new Promise<void>((resolve) => (resume = resolve))
          }
          if (abandoned) throw new DownloadAbandoned()
        }).then(
          () => {
            signal.removeEventListener('abort', abandon)
            if (!abandoned) controller.close()
          },
          (error: unknown) => {
            signal.removeEventListener('abort', abandon)
            if (error instanceof DownloadAbandoned || abandoned) return
            // Headers are sent: erroring the stream aborts the response, so the browser reports a
            // failed download instead of saving a file that silently stops part way.
            console.error(error)
            controller.error(error)
          },
        )
      },
      pull: wake,
      cancel: abandon,
    },
    { highWaterMark: QUEUED_CHUNKS },
  )

  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${placesCsvFilename(period)}"`,
      'Cache-Control': 'no-store',
    },
  })
}

/** Refused attempts per address before the answer becomes 429 (and stops being logged). */
const REFUSALS_PER_WINDOW = 30
export const REFUSAL_WINDOW_MS = 15 * 60_000

export type ReportFeedResult =
  | { status: 'ok'; csv: string; filename: string }
  /** no token, or one that is not valid or has been revoked: audited */
  | { status: 'refused'; hadToken: boolean }
  /** too many refusals from this address: no longer audited, so a flood cannot fill the log */
  | { status: 'throttled' }
  | { status: 'invalid-period'; message: string }

/**
 * The report feed for Power BI, for an API token instead of a staff sign-in: the figures by age
 * band as long-format CSV. Every answer with or without a valid token is audited.
 */
export async function reportFeed(
  db: DB,
  request: { token: string | null; via: 'header' | 'query' | null; params: URLSearchParams; ip: string; now?: Date },
): Promise<ReportFeedResult> {
  const { token, via, ip } = request
  const apiToken = await authenticateApiToken(db, token)
  if (!apiToken) {
    if (!(await allow(db, `api-token-refused:${ip}`, REFUSALS_PER_WINDOW, REFUSAL_WINDOW_MS)))
      return { status: 'throttled' }
    await recordAudit(db, {
      actorUserId: null,
      action: 'api.report-feed-refused',
      detail: { reason: token ? 'invalid-or-revoked-token' : 'no-token', via },
      ip,
    })
    return { status: 'refused', hadToken: Boolean(token) }
  }

  const read = readPeriod(request.params, { firstMonth: await getQuarterFirstMonth(db), wording: 'address' })
  if (!read.ok) return { status: 'invalid-period', message: Object.values(read.errors).join('\n') }
  const { period } = read

  const csv = reportCsv(await computeReport(db, period, { cut: 'age-band', now: request.now }))
  await recordAudit(db, {
    actorUserId: null,
    action: 'api.report-feed',
    subjectType: 'api_token',
    subjectId: apiToken.id,
    detail: { token: apiToken.name, period: period.label, from: period.fromDate, to: period.toDate, via },
    ip,
  })
  return { status: 'ok', csv, filename: reportFilename(period, 'csv') }
}
