// The family's own data as JSON (UK GDPR Article 15 and 20), a download never kept by a cache.
import type { LoaderFunctionArgs } from 'react-router'
import { requireFamily } from '~/auth/family-session.server'
import { exportFamilyData } from '~/domain/family-data.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const family = await requireFamily(request, context)
  const data = await exportFamilyData(context.db, family.id)
  if (!data) throw new Response('Not found', { status: 404 })
  return new Response(`${JSON.stringify(data, null, 2)}\n`, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': 'attachment; filename="join-in-our-data.json"',
      'Cache-Control': 'private, no-store',
    },
  })
}
