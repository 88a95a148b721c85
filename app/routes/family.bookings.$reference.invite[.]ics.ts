import type { LoaderFunctionArgs } from 'react-router'
import { requireFamily } from '~/auth/family-session.server'
import { linksFor } from '~/base-url.server'
import { familyInvite } from '~/domain/family-bookings.server'

// A signed-in family's invite for one of its bookings: the emailed invite's UID and SEQUENCE, so
// it updates that event. None for a booking without a confirmed place, or someone else's.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const family = await requireFamily(request, context)
  const invite = await familyInvite(context.db, family.id, params.reference ?? '', linksFor(request, context))
  if (!invite) throw new Response('Not found', { status: 404, headers: { 'Cache-Control': 'no-store' } })
  return new Response(invite.ics, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8; method=REQUEST',
      'Content-Disposition': `attachment; filename="${invite.filename}"`,
      'Cache-Control': 'no-store',
    },
  })
}
