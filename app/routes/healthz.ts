import type { LoaderFunctionArgs } from 'react-router'
import { checkDatabase } from '../../db/index'

// Liveness and a real database round trip; no details that would help an attacker.
export async function loader({ context }: LoaderFunctionArgs) {
  const ok = await checkDatabase(context.db)
  return Response.json(
    { status: ok ? 'ok' : 'error', database: ok ? 'ok' : 'error' },
    { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  )
}
