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
}

declare module '@remix-run/node' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends JoinInContext {}
}
