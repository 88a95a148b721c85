// The report feed for Power BI: the quarterly figures as long-format CSV, for an API token
// instead of a staff sign-in. Send the token as "Authorization: Bearer jin_…"; "?token=jin_…"
// is accepted for Power BI's basic Web connector, but the header is preferred because an address
// ends up in logs and histories. Never redirects: a program gets 401 and knows why.
import type { LoaderFunctionArgs } from 'react-router'
import { REFUSAL_WINDOW_MS, reportFeed } from '~/domain/report-downloads.server'

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
  const feed = await reportFeed(context.db, {
    ...presentedToken(request, url),
    params: url.searchParams,
    ip: context.clientIp,
    now: context.now(),
  })
  switch (feed.status) {
    case 'throttled':
      return plain(429, 'Too many refused attempts. Try again later.', {
        'Retry-After': String(REFUSAL_WINDOW_MS / 1000),
      })
    case 'refused':
      // RFC 6750: a request without credentials gets the bare challenge; a bad token says so.
      return plain(
        401,
        feed.hadToken
          ? 'This token is not valid or has been revoked.'
          : 'Send an API token: Authorization: Bearer <token>.',
        {
          'WWW-Authenticate': feed.hadToken
            ? 'Bearer realm="Join In reports", error="invalid_token"'
            : 'Bearer realm="Join In reports"',
        },
      )
    case 'invalid-period':
      return plain(400, feed.message)
    case 'ok':
      return new Response(feed.csv, {
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${feed.filename}"`,
          ...NO_STORE,
        },
      })
  }
}
