// What the HTTP server hands every loader and action: the database and the checked configuration.
import type { DB } from '../db/index'
import type { Config } from './config.server'

export interface JoinInContext {
  db: DB
  config: Config
  /** per-request nonce for the Content-Security-Policy */
  cspNonce: string
  /** the client's address as the server sees it (after TRUST_PROXY) */
  clientIp: string
  /** the service's clock: the real one, or the one a test moves (see tests/support/clock.ts) */
  now: () => Date
  /**
   * Asks the outbox worker to send now rather than at its next poll. Call it after the
   * transaction that queued an email has committed. Absent when no SMTP server is configured.
   */
  nudgeOutbox?: () => void
}

declare module 'react-router' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends JoinInContext {}
}
