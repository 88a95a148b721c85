// The HTTP server: security headers, static files, and React Router with the database in its load context.
import crypto from 'node:crypto'
import { EventEmitter } from 'node:events'
import path from 'node:path'
import { createRequestHandler } from '@react-router/express'
import type { ServerBuild } from 'react-router'
import compression from 'compression'
import express, { type NextFunction, type Request, type Response } from 'express'
import type { Config } from '../app/config.server'
import type { DB } from '../db/index'
import { projectRoot as root } from './paths'

export interface AppOptions {
  db: DB
  config: Config
  /** the production build, or a function returning it (Vite dev server) */
  build: ServerBuild | (() => Promise<ServerBuild>)
  /** Vite's connect middleware in development */
  viteMiddleware?: express.RequestHandler
  clientAssetsDir?: string
  /** wakes the outbox worker; handed to loaders and actions as context.nudgeOutbox */
  nudgeOutbox?: () => void
  /** the clock handed to loaders and actions as context.now; the real one by default */
  now?: () => Date
}

function contentSecurityPolicy(nonce: string, development: boolean): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${development ? " 'unsafe-inline'" : ''}`,
    `style-src 'self'${development ? " 'unsafe-inline'" : ''}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${development ? ' ws: wss:' : ''}`,
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ]
  return directives.join('; ')
}

function securityHeaders(development: boolean) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const nonce = crypto.randomBytes(16).toString('base64')
    res.locals.cspNonce = nonce
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce, development))
    res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    // same-origin: no address (which may hold a manage token) goes to another site, and our own
    // form posts still carry a real Origin header.
    res.setHeader('Referrer-Policy', 'same-origin')
    res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()')
    next()
  }
}

/**
 * Staff pages show personal data, and token pages (manage a booking, a member's page, feedback,
 * consent, setting a password, mailing-list links, family sign-in, releasing a place, claiming an offer) have a secret in their address: no browser or
 * proxy may keep a copy. The `.data` requests of client-side navigation are covered too.
 */
const PRIVATE_PATH =
  /^\/(?:staff|bookings|feedback|family|release|offers)(?:[/.]|$)|^\/adoptables\/(?:members\/|consent(?:\.data)?$)|^\/mailing-list\/(?:confirm|unsubscribe)(?:\.data)?$/

function noStoreOnPrivatePages(req: Request, res: Response, next: NextFunction) {
  if (!PRIVATE_PATH.test(req.path)) return next()
  // Set as the headers go out, so whatever a route or redirect set is replaced rather than added to.
  const writeHead = res.writeHead
  res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
    this.setHeader('Cache-Control', 'no-store')
    return writeHead.apply(this, args)
  } as Response['writeHead']
  next()
}

/**
 * A form posted from another site is refused: browsers send Origin on every cross-site POST.
 * Requests without Origin (curl, old browsers) pass; SameSite=Lax keeps the staff cookie off them.
 */
function sameOriginWrites(req: Request, res: Response, next: NextFunction) {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next()
  const origin = req.get('origin')
  // Browsers send "Origin: null" on a plain form post under a no-referrer policy (ours is
  // same-origin, but an extension or older setting can still cause it), which React Router would refuse. Sec-Fetch-Site,
  // which no page can set, then says whether the form was on this site (a sandboxed frame elsewhere
  // says cross-site); if it was, the null is dropped so React Router's own check lets the post through.
  if (origin === 'null') {
    if (req.get('sec-fetch-site') !== 'same-origin') return refuse(res)
    delete req.headers.origin
    return next()
  }
  if (!origin) return next()
  let sentFrom: string
  try {
    sentFrom = new URL(origin).origin
  } catch {
    return refuse(res)
  }
  // The same origin React Router builds the request's URL from (scheme and host, with
  // X-Forwarded-Proto and X-Forwarded-Host only under TRUST_PROXY), so a post it would refuse with
  // an error is refused here first, with a page that says why.
  if (sentFrom !== `${req.protocol}://${req.host}`) return refuse(res)
  next()
}

/**
 * The host a request names (Host, or X-Forwarded-Host from a trusted proxy) must be a plain host
 * and port: React Router builds the request's URL from it, and a malformed one would throw there
 * (a 500) instead of a 400. X-Forwarded-Host from anyone Express does not trust is dropped, so
 * the adapter (which reads it whenever `trust proxy` is set at all) sees the same host Express does.
 */
function wellFormedHost(req: Request, res: Response, next: NextFunction) {
  const trusted = (req.app.get('trust proxy fn') as (address: string | undefined, hop: number) => boolean)(
    req.socket.remoteAddress,
    0,
  )
  if (!trusted) delete req.headers['x-forwarded-host']
  const host = req.host
  if (host !== undefined) {
    if (!isPlainHost(host)) {
      res.status(400).type('text/plain').send('The address this request was sent to is not valid.')
      return
    }
    if (trusted && req.headers['x-forwarded-host'] !== undefined) req.headers['x-forwarded-host'] = host
  }
  next()
}

function isPlainHost(host: string): boolean {
  try {
    const url = new URL(`http://${host}`)
    return (
      url.pathname === '/' && !url.username && !url.password && !url.search && !url.hash && /^[^\\/?#@\s]+$/.test(host)
    )
  } catch {
    return false
  }
}

/**
 * Our forms post URL-encoded fields and nothing else, so any other body (a file upload, JSON) is
 * refused here with a 415 rather than reaching a form's parser, where a file where text belongs
 * could throw. The exceptions are the one-click unsubscribe (RFC 8058), which mail clients may
 * post as multipart, and the upload of a Teams attendance report on a register. A post with no Content-Type is read as an empty or URL-encoded form.
 */
const MULTIPART_ALLOWED = new Set(['/mailing-list/unsubscribe', '/mailing-list/unsubscribe.data'])
/** The Teams attendance report's upload (staff only; the route reads it with a size limit). */
const MULTIPART_UPLOADS = /^\/staff\/activities\/\d{1,12}\/register\/import(\.data)?$/

function formBodiesOnly(req: Request, res: Response, next: NextFunction) {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next()
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === '') {
    req.headers['content-type'] = 'application/x-www-form-urlencoded'
    return next()
  }
  if (type === 'application/x-www-form-urlencoded') return next()
  if (type === 'multipart/form-data' && (MULTIPART_ALLOWED.has(req.path) || MULTIPART_UPLOADS.test(req.path)))
    return next()
  res.status(415).type('text/plain').send('This form takes typed answers only, not files or other kinds of data.')
}

/**
 * The most a typed form may send: far past any real form (the longest, a concern in the child's
 * own words or the settings page, is a few kilobytes), and small enough that React Router's
 * request.formData(), which holds the whole body in memory, cannot be made to hold a huge one.
 * The Teams report upload reads its own body with its own limit (app/domain/uploads.server.ts).
 */
const FORM_BODY_LIMIT_BYTES = 1024 * 1024

function formBodyLimit(req: Request, res: Response, next: NextFunction) {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next()
  if (MULTIPART_UPLOADS.test(req.path)) return next()
  const declared = req.get('content-length')
  if (declared === undefined) {
    // A body with no length (chunked) could be any size; every browser gives a form's length.
    if (req.get('transfer-encoding') === undefined) return next()
    res.status(411).type('text/plain').send('This form was sent without its length, so it was not accepted.')
    return
  }
  // Node's HTTP parser has already refused a Content-Length that is not a number, and it never
  // reads past the length given, so the declared length bounds what the form can hold.
  if (Number(declared) > FORM_BODY_LIMIT_BYTES) {
    // The rest of the body is read and dropped, so the sender sees this answer rather than a
    // reset connection; one that goes on far past the limit is cut off.
    let drained = 0
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length
      if (drained > FORM_BODY_LIMIT_BYTES * 20) req.socket.destroy()
    })
    res.set('Connection', 'close')
    res.status(413).type('text/plain').send('This form is far longer than any of our forms, so it was not accepted.')
    return
  }
  next()
}

function refuse(res: Response) {
  res.status(403).type('text/plain').send('This form was sent from another website, so it was not accepted.')
}

/**
 * compression forwards `res.on('drain', …)` to its zlib stream but leaves `res.off` on the response
 * (expressjs/compression#135, open). React Router waits for back-pressure with `res.once('drain')`,
 * whose listener, once fired, removes itself from the response: so it stayed on the zlib stream, one
 * more for every wait. A long page read slowly by a phone on a poor connection passed ten and
 * Node warned of a leak (MaxListenersExceededWarning). Here `once('drain')` listeners wait on one
 * relay listener instead, and are removed from there. Mounted straight after compression().
 */
export function drainOnceThroughCompression(_req: Request, res: Response, next: NextFunction) {
  const drains = new EventEmitter()
  let relaying = false
  const once = res.once
  const removeListener = res.removeListener
  res.once = function (this: Response, event: string | symbol, listener: (...args: unknown[]) => void) {
    if (event !== 'drain') return once.call(this, event, listener)
    if (!relaying) {
      relaying = true
      this.on('drain', () => drains.emit('drain'))
    }
    drains.once('drain', listener)
    return this
  } as Response['once']
  res.removeListener = res.off = function (
    this: Response,
    event: string | symbol,
    listener: (...args: unknown[]) => void,
  ) {
    if (event === 'drain') drains.removeListener('drain', listener)
    return removeListener.call(this, event, listener)
  } as Response['removeListener']
  next()
}

export function createApp(options: AppOptions): express.Express {
  const { db, config } = options
  const development = config.env === 'development'
  const app = express()
  app.disable('x-powered-by')
  if (config.trustProxy)
    app.set('trust proxy', /^\d+$/.test(config.trustProxy) ? Number(config.trustProxy) : config.trustProxy)

  app.use(securityHeaders(development))
  app.use(wellFormedHost)
  app.use(noStoreOnPrivatePages)
  app.use(compression())
  app.use(drainOnceThroughCompression)

  const govukAssets = path.join(root, 'node_modules/govuk-frontend/dist/govuk/assets')
  app.use('/govuk/assets', express.static(govukAssets, { maxAge: '1d' }))

  if (options.viteMiddleware) {
    app.use(options.viteMiddleware)
  } else {
    const clientDir = options.clientAssetsDir ?? path.join(root, 'build/client')
    app.use('/assets', express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y' }))
    app.use(express.static(clientDir, { maxAge: '1h' }))
  }
  app.use(express.static(path.join(root, 'public'), { maxAge: '1h' }))

  app.use(formBodiesOnly)
  app.use(formBodyLimit)
  app.use(sameOriginWrites)

  app.all(
    '/{*path}',
    createRequestHandler({
      build: options.build,
      mode: development ? 'development' : 'production',
      getLoadContext: (req, res) => ({
        db,
        config,
        cspNonce: String(res.locals.cspNonce),
        clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        nudgeOutbox: options.nudgeOutbox,
        now: options.now ?? (() => new Date()),
      }),
    }),
  )

  // Last resort: never show a stack trace to the public.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // An address whose %-escapes do not decode (Express's router says so with a URIError) is the
    // sender's mistake: a 400, not a 500 logged as ours.
    if (error instanceof URIError && !res.headersSent) {
      res.status(400).type('text/plain').send('This address is not valid.')
      return
    }
    console.error(error)
    if (res.headersSent) return
    res.status(500).type('text/plain').send('Sorry, there is a problem with the service. Try again later.')
  })
  return app
}
