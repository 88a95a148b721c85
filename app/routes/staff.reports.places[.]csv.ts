// The row-level places export: /staff/reports/places.csv?quarter=2025-26%20Q3 (or the report
// page's own query string, or ?from=2025-10-01&to=2025-12-31), one anonymised line per place,
// streamed as it is read. See streamPlacesCsv for what a line holds and how the database is shared.
import type { LoaderFunctionArgs } from 'react-router'
import { z } from 'zod'
import { requireStaff } from '~/auth/session.server'
import { recordAudit } from '~/domain/audit.server'
import { placesCsvFilename, streamPlacesCsv } from '~/domain/places-export.server'
import { readReportQuery } from '~/domain/report-query'
import { getQuarterFirstMonth } from '~/domain/settings-admin.server'

/** Chunks (~64 KB each) queued for the response before reading more places waits. */
const QUEUED_CHUNKS = 4

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/)

class DownloadAbandoned extends Error {}

function plain(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}

/**
 * The report page's query string is read by readReportQuery (the same parser as the page, so its
 * link gives the same period). ?from=YYYY-MM-DD&to=YYYY-MM-DD, handier in a script, is turned into
 * the page's date fields first so there is still only one parser.
 */
function reportParams(url: URL): URLSearchParams | { error: string } {
  const params = new URLSearchParams(url.searchParams)
  const from = params.get('from')
  const to = params.get('to')
  if (from === null && to === null) return params
  if (params.has('quarter')) return { error: 'Give either quarter, or from and to, not both' }
  const fromDate = isoDate.safeParse(from)
  const toDate = isoDate.safeParse(to)
  if (!fromDate.success || !toDate.success) return { error: 'Give both from and to as dates like 2025-10-01' }
  params.delete('from')
  params.delete('to')
  params.set('period', 'range')
  for (const [prefix, date] of [
    ['from', fromDate.data],
    ['to', toDate.data],
  ] as const) {
    const [year, month, day] = date.split('-')
    params.set(`${prefix}-day`, day!)
    params.set(`${prefix}-month`, month!)
    params.set(`${prefix}-year`, year!)
  }
  return params
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'reports:read')
  const params = reportParams(new URL(request.url))
  if ('error' in params) return plain(400, params.error)
  const query = readReportQuery(params, { firstMonth: await getQuarterFirstMonth(context.db) })
  if (!query.ok) return plain(400, Object.values(query.errors).join('\n'))
  const { period } = query

  // Recorded before the first byte: once a download starts, the data may have left even if it
  // is abandoned half way.
  await recordAudit(context.db, {
    actorUserId: staff.id,
    action: 'report.places-exported',
    subjectType: 'report',
    subjectId: period.label,
    detail: { period: period.label, from: period.fromDate, to: period.toDate },
    ip: context.clientIp,
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
  // The client went away: stop reading places (streamPlacesCsv stops at its next chunk).
  request.signal.addEventListener('abort', abandon, { once: true })

  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // Not awaited: start() returning lets the response (and its headers) go out at once.
        void streamPlacesCsv(context.db, period, async (chunk) => {
          if (abandoned) throw new DownloadAbandoned()
          controller.enqueue(encoder.encode(chunk))
          // Back-pressure: wait while the reader has QUEUED_CHUNKS unread.
          while (!abandoned && (controller.desiredSize ?? 1) <= 0) {
            await new Promise<void>((resolve) => (resume = resolve))
          }
          if (abandoned) throw new DownloadAbandoned()
        }).then(
          () => {
            request.signal.removeEventListener('abort', abandon)
            if (!abandoned) controller.close()
          },
          (error: unknown) => {
            request.signal.removeEventListener('abort', abandon)
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
