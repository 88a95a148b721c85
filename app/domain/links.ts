// Where links in emails and invites point: one shape for every module that writes an email.
export interface Links {
  /** the service's public address, e.g. https://join-in.example.org */
  baseUrl: string
  /** the host named in Message-IDs and calendar UIDs */
  domain: string
  /**
   * The team's name (ORGANISATION_NAME) for the footer of emails and the invites' ORGANIZER until an admin saves one in the
   * settings; DEFAULT_ORGANISATION_NAME when not given.
   */
  organisationName?: string
}

/** A booking's manage page; without a token it does not open (each email about a booking carries one). */
export function manageUrl(links: Links, reference: string, token?: string): string {
  return `${links.baseUrl}/bookings/${reference}${token ? `?token=${encodeURIComponent(token)}` : ''}`
}
