import type { LoaderFunctionArgs } from 'react-router'
import { getFamily } from '~/auth/family-session.server'
import { linksFor } from '~/base-url.server'
import { bookingInvite } from '~/domain/booking-invites.server'

// The booking's calendar invite: the same UID and SEQUENCE as the emailed one, so it updates it.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? ''
  const family = await getFamily(request, context)
  const invite = await bookingInvite(
    context.db,
    { reference: params.reference ?? '', token, familyId: family?.id },
    linksFor(request, context),
  )
  if (!invite) throw new Response('Not found', { status: 404 })
  return new Response(invite.ics, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8; method=REQUEST',
      'Content-Disposition': `attachment; filename="${invite.filename}"`,
      'Cache-Control': 'no-store',
    },
  })
}
