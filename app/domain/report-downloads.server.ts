// The report leaving the service: the CSV, the workbook, the print view and the row-level places
// CSV. Each reads its period with the one period reader, and each export is audited here, before
// anything is sent, so a new download cannot forget either.
import type { DB } from '../../db/index'
import { recordAudit } from './audit.server'
import { placesCsvFilename, streamPlacesCsv } from './places-export.server'
import { reportCsv, reportFilename, XLSX_CONTENT_TYPE } from './report-export'
import { periodErrorText } from './report-period'
import { readReportQuery } from './report-query'
import type { Report } from './report-types'
import { reportXlsx } from './report-xlsx.server'
import { computeReport } from './reports.server'
import { getQuarterFirstMonth } from './settings-admin.server'

export type ReportFormat = 'csv' | 'xlsx' | 'print'

interface Exporter {
  /** the staff member the report is for, already checked for `reports:read` */
  staff: { id: number }
  params: URLSearchParams
  ip: string
}

export type ReportExport = { ok: true; report: Report; search: string } | { ok: false; message: string }

/** Reads the period and cut, computes the report and records that it was exported in this format. */
export async function exportReport(
  db: DB,
  { staff, params, ip, format }: Exporter & { format: ReportFormat },
): Promise<ReportExport> {
  const query = readReportQuery(params, { firstMonth: await getQuarterFirstMonth(db) })
  if (!query.ok) return { ok: false, message: periodErrorText(query.errors) }
  const report = await computeReport(db, query.period, { cut: query.cut })
  await recordAudit(db, {
    actorUserId: staff.id,
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
    ip,
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
export async function placesFileResponse(db: DB, { staff, params, ip, signal }: Exporter & { signal: AbortSignal }) {
  const query = readReportQuery(params, { firstMonth: await getQuarterFirstMonth(db) })
  if (!query.ok) return plain(400, periodErrorText(query.errors))
  const { period } = query

  // Recorded before the first byte: once a download starts, the data may have left even if it
  // is abandoned half way.
  await recordAudit(db, {
    actorUserId: staff.id,
    action: 'report.places-exported',
    subjectType: 'report',
    subjectId: period.label,
    detail: { period: period.label, from: period.fromDate, to: period.toDate },
    ip,
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
