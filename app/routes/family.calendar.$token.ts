import type { LoaderFunctionArgs } from 'react-router'
import { linksFor } from '~/base-url.server'
import { familyFeed } from '~/domain/family-bookings.server'
import { feedTokenSchema } from '~/domain/family-bookings-form'

// A family's private calendar feed, fetched by a calendar app with no cookie: the secret in the
// address is the only key. Anything but a family's current link is a plain 404.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = feedTokenSchema.safeParse(params.token)
  const feed = token.success
    ? await familyFeed(context.db, token.data, linksFor(request, context), {
        name: `${context.config.serviceName}: your sessions`,
        now: context.now(),
      })
    : null
  if (feed === null) {
    return new Response('Not found', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  }
  return new Response(feed, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'inline; filename="join-in-sessions.ics"',
      // the joining links are in it: no shared cache keeps a copy
      'Cache-Control': 'no-store',
      'X-Robots-Tag': 'noindex',
    },
  })
}
