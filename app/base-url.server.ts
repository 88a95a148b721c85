// The service's own address for links in feeds and emails: PUBLIC_URL, else the request's origin.
import type { AppLoadContext } from '@remix-run/node'
import { uidDomain } from './calendar/ics.server'
import type { Links } from './domain/bookings.server'

export function baseUrl(request: Request, context: AppLoadContext): string {
  return context.config.publicUrl ?? new URL(request.url).origin
}

export function linksFor(request: Request, context: AppLoadContext): Links {
  const base = baseUrl(request, context)
  return { baseUrl: base, domain: uidDomain(context.config.publicUrl ?? base) }
}
