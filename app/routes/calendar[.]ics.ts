import type { LoaderFunctionArgs } from 'react-router'
import { baseUrl } from '~/base-url.server'
import { publicFeed, uidDomain } from '~/calendar/ics.server'
import { listFeedActivities } from '~/domain/activities.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const activities = await listFeedActivities(context.db)
  const body = publicFeed(activities, {
    name: context.config.serviceName,
    baseUrl: baseUrl(request, context),
    domain: uidDomain(context.config.publicUrl),
  })
  return new Response(body, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'inline; filename="join-in.ics"',
      'Cache-Control': 'public, max-age=300',
    },
  })
}
