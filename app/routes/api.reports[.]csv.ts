// The report feed for Power BI: the quarterly figures as long-format CSV, for an API token
// instead of a staff sign-in. Send the token as "Authorization: Bearer jin_…"; "?token=jin_…"
// is accepted for Power BI's basic Web connector, but the header is preferred because an address
// ends up in logs and histories. Never redirects: a program gets 401 and knows why.
import type { LoaderFunctionArgs } from 'react-router'
import { allow } from '~/auth/rate-limit.server'
import { authenticateApiToken } from '~/domain/api-tokens.server'
import { recordAudit } from '~/domain/audit.server'
import { reportCsv, reportFilename } from '~/domain/report-export'
import { readPeriod } from '~/domain/report-period'
import { computeReport } from '~/domain/reports.server'
import { getQuarterFirstMonth } from '~/domain/settings-admin.server'

/** Refused attempts per address before the answer becomes 429 (and stops being logged). */
const REFUSALS_PER_WINDOW = 30
const REFUSAL_WINDOW_MS = 15 * 60_000

const NO_STORE = { 'Cache-Control': 'no-store' }

function presentedToken(request: Request, url: URL): { token: string | null; via: 'header' | 'query' | null } {
  const header = request.headers.get('Authorization')
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    return { token: match ? match[1]! : null, via: 'header' }
  }
  const query = url.searchParams.get('token')
  return query ? { token: query, via: 'query' } : { token: null, via: null }
}

function plain(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...NO_STORE, ...headers },
  })
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const { token, via } = presentedToken(request, url)
  const apiToken = await authenticateApiToken(context.db, token)
  if (!apiToken) {
    if (!allow(`api-token-refused:${context.clientIp}`, REFUSALS_PER_WINDOW, REFUSAL_WINDOW_MS)) {
      return plain(429, 'Too many refused attempts. Try again later.', {
        'Retry-After': String(REFUSAL_WINDOW_MS / 1000),
      })
    }
    await recordAudit(context.db, {
      actorUserId: null,
      action: 'api.report-feed-refused',
      detail: { reason: token ? 'invalid-or-revoked-token' : 'no-token', via },
      ip: context.clientIp,
    })
    // RFC 6750: a request without credentials gets the bare challenge; a bad token says so.
    const challenge = token ? 'Bearer realm="Join In reports", error="invalid_token"' : 'Bearer realm="Join In reports"'
    return plain(
      401,
      token ? 'This token is not valid or has been revoked.' : 'Send an API token: Authorization: Bearer <token>.',
      {
        'WWW-Authenticate': challenge,
      },
    )
  }

  const firstMonth = await getQuarterFirstMonth(context.db)
  const read = readPeriod(url.searchParams, { firstMonth, wording: 'address' })
  if (!read.ok) return plain(400, Object.values(read.errors).join('\n'))
  const { period } = read

  const csv = reportCsv(await computeReport(context.db, period, { cut: 'age-band' }))
  await recordAudit(context.db, {
    actorUserId: null,
    action: 'api.report-feed',
    subjectType: 'api_token',
    subjectId: apiToken.id,
    detail: { token: apiToken.name, period: period.label, from: period.fromDate, to: period.toDate, via },
    ip: context.clientIp,
  })
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${reportFilename(period, 'csv')}"`,
      ...NO_STORE,
    },
  })
}
