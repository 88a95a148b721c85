// Where links in emails and invites point: one shape for every module that writes an email.
export interface Links {
  /** the service's public address, e.g. https://join-in.example.org */
  baseUrl: string
  /** the host named in Message-IDs and calendar UIDs */
  domain: string
}
