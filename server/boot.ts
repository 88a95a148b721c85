// Starts the service: opens and migrates the database, makes sure there is a first admin,
// and listens. Used by `npm start`, `npm run dev`, the demo and the tests.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ServerBuild } from 'react-router'
import type express from 'express'
import type { Config } from '../app/config.server'
import { recordBounce, unsubscribeExtrasFor } from '../app/domain/mailing-list.server'
import { ensureFirstAdmin } from '../app/domain/staff.server'
import { resealTotpSecrets } from '../app/domain/staff-security.server'
import { secretBoxFor } from '../app/auth/secret-box.server'
import { createOutboxWorker, smtpSecurity, type OutboxWorker } from '../app/email/worker.server'
import {
  collationWarning,
  openDatabase,
  rowLocksDisabledForTests,
  withDatabaseLock,
  type OpenedDatabase,
} from '../db/index'
import { migrateToLatest, seedReferenceData } from '../db/migrate'
import { uidDomain } from '../app/calendar/ics.server'
import { createApp } from './app'
import { startJobs, type Jobs } from './jobs'

export interface RunningService {
  server: Server
  url: string
  database: OpenedDatabase
  /** the outbox worker, running when SMTP_URL is set; without it mail waits in the outbox for staff to read */
  outbox?: OutboxWorker
  jobs: Jobs
  close(): Promise<void>
}

export async function prepareDatabase(
  config: Config,
  log: (line: string) => void = console.log,
): Promise<OpenedDatabase> {
  // The contention tests' control switch: throws here, before anything opens, outside Vitest.
  if (rowLocksDisabledForTests()) log('JOIN_IN_TEST_NO_ROW_LOCKS=1: row locks are OFF (a test control run).')
  const database = openDatabase(config.databaseUrl, { poolSize: config.poolSize })
  // Two instances starting at once on one database: one migrates, seeds and makes the first admin
  // (or its set-up link); the other waits and finds it done.
  const admin = await withDatabaseLock(database, 'join-in:migrate', async () => {
    await migrateToLatest(database.db)
    await seedReferenceData(database.db, config.partnerCodes)
    return ensureFirstAdmin(
      database.db,
      { email: config.adminEmail, password: config.adminPassword },
      { secretBox: secretBoxFor(config) },
    )
  })
  const collation = await collationWarning(database.db)
  if (collation) log(collation)
  if (config.secretKeyIsDevelopmentDefault) {
    log(
      'SECRET_KEY is not set: two-factor secrets are sealed with the fixed DEVELOPMENT key. Never do this with real data.',
    )
  }
  // Plain secrets from before sealing, and ones sealed with SECRET_KEY_PREVIOUS, are sealed with SECRET_KEY now.
  const resealed = await resealTotpSecrets(database.db, secretBoxFor(config))
  if (resealed.resealed) log(`Sealed ${resealed.resealed} two-factor secret(s) with the current SECRET_KEY.`)
  if (resealed.unreadable) {
    log(
      `${resealed.unreadable} two-factor secret(s) could not be opened with SECRET_KEY or SECRET_KEY_PREVIOUS: ` +
        'those people must sign in with a recovery code, or an administrator must turn their two-factor off.',
    )
  }
  if (admin.status === 'created-from-environment')
    log(`Created the first administrator, ${admin.email}, from ADMIN_EMAIL.`)
  if (admin.status === 'setup-link') {
    const until = `${admin.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
    const made = `${admin.madeAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
    if (!admin.kept) {
      log(
        `No staff account exists yet. Set up the first administrator within 24 hours at:\n\n  ${config.publicUrl}/staff/setup?token=${admin.token}\n`,
      )
    } else if (admin.token) {
      log(
        `No staff account exists yet. The set-up link made at ${made} is still valid until ${until}; set up the first administrator at:\n\n  ${config.publicUrl}/staff/setup?token=${admin.token}\n`,
      )
    } else {
      log(
        `No staff account exists yet. The set-up link made at ${made} is still valid until ${until}, but SECRET_KEY has changed since, so it cannot be shown again: it is in the log of the start that made it. ` +
          'Or set ADMIN_EMAIL and ADMIN_PASSWORD to create the first administrator.',
      )
    }
  }
  return database
}

export async function startService(
  config: Config,
  build: ServerBuild | (() => Promise<ServerBuild>),
  extra: {
    viteMiddleware?: express.RequestHandler
    log?: (line: string) => void
    database?: OpenedDatabase
    /** the clock of the scheduled jobs, the outbox worker and sign-in limits: the real one unless a test moves its own */
    now?: () => Date
  } = {},
): Promise<RunningService> {
  const log = extra.log ?? console.log
  const database = extra.database ?? (await prepareDatabase(config, log))
  const outbox = config.smtpUrl
    ? createOutboxWorker({
        db: database.db,
        smtpUrl: config.smtpUrl,
        from: config.mailFrom,
        pollMs: config.outboxPollMs,
        log,
        hooks: {
          // Every email to a current subscriber carries a fresh unsubscribe link; a bounce ends the subscription.
          footerFor: (address) => unsubscribeExtrasFor(database.db, address, config.publicUrl),
          onRecipientRefused: (address) => recordBounce(database.db, address),
        },
        now: extra.now,
      })
    : undefined
  const app = createApp({
    db: database.db,
    config,
    build,
    viteMiddleware: extra.viteMiddleware,
    nudgeOutbox: outbox ? () => outbox.nudge() : undefined,
    now: extra.now,
  })
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s))
    s.once('error', reject)
  })
  // Started once the server listens, so a failed start leaves no worker polling.
  if (outbox) {
    outbox.start()
    log(`Sending email through ${new URL(config.smtpUrl!).host} (${smtpSecurity(config.smtpUrl!)}).`)
  } else {
    log('SMTP_URL is not set: emails are not sent, and staff can read them at /staff/outbox.')
  }
  // Slow clients must not hold sockets for ever.
  server.headersTimeout = 20_000
  server.requestTimeout = 30_000
  const address = server.address() as AddressInfo
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
  const url = `http://${host}:${address.port}`
  const jobs = startJobs({
    db: database.db,
    links: {
      baseUrl: config.publicUrl,
      domain: uidDomain(config.publicUrl),
      organisationName: config.organisationName,
    },
    everyMs: 5 * 60_000,
    log,
    afterRun: () => outbox?.nudge(),
    now: extra.now,
  })
  return {
    server,
    url,
    database,
    outbox,
    jobs,
    async close() {
      await jobs.stop()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      // Before the database goes: a send in flight still records its outcome.
      await outbox?.stop()
      await database.db.destroy()
    },
  }
}
