// The service's own address for links in feeds and emails: PUBLIC_URL (or, outside production,
// http://localhost:PORT), never the request's Host or X-Forwarded-Host, which anyone can forge.
import type { AppLoadContext } from 'react-router'
import { uidDomain } from './calendar/ics.server'
import type { Links } from './domain/links'

export function baseUrl(_request: Request, context: AppLoadContext): string {
  return context.config.publicUrl
}

/**
 * Links for emails and invites. The invite UID's domain comes from PUBLIC_URL only, never from
 * the request, so every update of an invite (from a request or a scheduled job) has the same UID.
 */
export function linksFor(request: Request, context: AppLoadContext): Links {
  return {
    baseUrl: baseUrl(request, context),
    domain: uidDomain(context.config.publicUrl),
    organisationName: context.config.organisationName,
  }
}
