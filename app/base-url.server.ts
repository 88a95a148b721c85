// The service's own address for links in feeds and emails: PUBLIC_URL, else the request's origin.
import type { AppLoadContext } from '@remix-run/node'

export function baseUrl(request: Request, context: AppLoadContext): string {
  return context.config.publicUrl ?? new URL(request.url).origin
}
