// The family's own data as one CSV table, a download never kept by a cache.
import type { LoaderFunctionArgs } from 'react-router'
import { requireFamily } from '~/auth/family-session.server'
import { exportFamilyDataCsv } from '~/domain/family-data.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const family = await requireFamily(request, context)
  const csv = await exportFamilyDataCsv(context.db, family.id)
  if (csv === null) throw new Response('Not found', { status: 404 })
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="join-in-our-data.csv"',
      'Cache-Control': 'private, no-store',
    },
  })
}
