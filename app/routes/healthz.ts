import type { LoaderFunctionArgs } from 'react-router'
import { sql } from 'kysely'

// Liveness and a real database round trip; no details that would help an attacker.
export async function loader({ context }: LoaderFunctionArgs) {
  try {
    const result = await sql<{ ok: number }>`select 1 as ok`.execute(context.db)
    const ok = result.rows[0]?.ok === 1
    return Response.json(
      { status: ok ? 'ok' : 'error', database: ok ? 'ok' : 'error' },
      { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
    )
  } catch {
    return Response.json(
      { status: 'error', database: 'error' },
      { status: 503, headers: { 'Cache-Control': 'no-store' } },
    )
  }
}
