// Who runs the service and how to reach them (admin settings, read in settings.server.ts). Not a
// .server module: the footer and the public pages turn the phone number into a tel: link.

/** ORGANISATION_NAME's default: the team's name until an admin saves one. */
export const DEFAULT_ORGANISATION_NAME = 'Virtual School Kent Participation & Engagement team'

export interface Organisation {
  /** the team that runs the service, e.g. "Virtual School Kent Participation & Engagement team" */
  organisationName: string
  contactEmail: string
  /** as people read it, e.g. "03000 41 41 41" */
  contactPhone: string
  /** the data controller named in the privacy notice, e.g. "Kent County Council" */
  controllerName: string
  dpoName: string
  dpoEmail: string
}

/**
 * A tel: link for a number as typed: digits and a leading +, nothing else (RFC 3966 allows no
 * spaces). In "+44 (0)1634 …" the (0) is dialled only from inside the UK, so it is dropped.
 */
export function telHref(phone: string): string {
  const trimmed = phone.trim()
  if (trimmed.startsWith('+')) return `tel:+${trimmed.replace(/\(0\)/g, '').replace(/\D/g, '')}`
  return `tel:${trimmed.replace(/\D/g, '')}`
}
