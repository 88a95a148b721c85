// The environment, read and checked once by zod at start-up.
import { z } from 'zod'
import { databaseKindOf } from '../db/index'
import { DEFAULT_PARTNER_CODES } from '../db/reference/authorities'
import { DEVELOPMENT_SECRET_KEY } from './auth/secret-box.server'
import { DEFAULT_ORGANISATION_NAME } from './domain/organisation'

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))

const configSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  // a path, file: or sqlite: URL (SQLite), or postgres:// (PostgreSQL); any other scheme is refused
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .default('./data/join-in.sqlite')
    .superRefine((v, ctx) => {
      try {
        databaseKindOf(v)
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message })
      }
    }),
  // PostgreSQL only: connections in each instance's pool
  PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PUBLIC_URL: optionalText.pipe(z.string().url().optional()),
  ADMIN_EMAIL: optionalText.pipe(z.string().email().optional()),
  ADMIN_PASSWORD: optionalText,
  PARTNER_AUTHORITY_CODES: optionalText,
  SECURE_COOKIES: optionalText.pipe(z.enum(['true', 'false']).optional()),
  SERVICE_NAME: z.string().trim().min(1).default('Join In'),
  ORGANISATION_NAME: z.string().trim().min(1).default(DEFAULT_ORGANISATION_NAME),
  TRUST_PROXY: optionalText,
  BOOKING_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  // smtp://user:pass@host:587 or smtps://…:465; without it no mail is sent and staff read it in the outbox.
  // smtp:// to a host that is not loopback must upgrade with STARTTLS unless it says ?requireTLS=false
  // (email/worker.server.ts, smtpUrlRequiringTls).
  SMTP_URL: optionalText.pipe(
    z
      .string()
      .url()
      .refine((v) => /^smtps?:\/\//i.test(v), 'must start with smtp:// or smtps://')
      .optional(),
  ),
  MAIL_FROM: z.string().trim().min(1).default('Join In <join-in@localhost>'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(3_600_000).default(2000),
  // The key TOTP secrets are sealed with at rest; the previous one still opens values during a rotation.
  SECRET_KEY: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  SECRET_KEY_PREVIOUS: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
})

export interface Config {
  env: 'production' | 'development' | 'test'
  databaseUrl: string
  /** PostgreSQL: connections in this instance's pool */
  poolSize: number
  port: number
  host: string
  /**
   * The address every link in emails, invites and feeds starts with: PUBLIC_URL (required in
   * production), else http://localhost:PORT. Never the request's Host, which anyone can forge.
   */
  publicUrl: string
  adminEmail: string | undefined
  adminPassword: string | undefined
  partnerCodes: string[]
  secureCookies: boolean
  serviceName: string
  organisationName: string
  trustProxy: string | undefined
  /** booking confirmations allowed per IP address per 10 minutes */
  bookingRateLimit: number
  smtpUrl: string | undefined
  mailFrom: string
  outboxPollMs: number
  secretKey: string
  secretKeyPrevious: string | undefined
  /** true when SECRET_KEY was not set (development and test only): boot warns */
  secretKeyIsDevelopmentDefault: boolean
}

export interface ReadConfigOptions {
  /**
   * `npm start` with no NODE_ENV: a trial of the production build on this machine, where links
   * fall back to http://localhost:<PORT> and secrets to the development key, with a warning.
   * A start with NODE_ENV=production never gets this.
   */
  localTrial?: boolean
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, options: ReadConfigOptions = {}): Config {
  const parsed = configSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')
    throw new Error(`The environment is not valid:\n  ${problems}`)
  }
  const e = parsed.data
  if (e.ADMIN_EMAIL && !e.ADMIN_PASSWORD) throw new Error('ADMIN_EMAIL is set but ADMIN_PASSWORD is not')
  const required = e.NODE_ENV === 'production' && !options.localTrial
  // Every missing variable is named at once, so a deployment is fixed in one go.
  const missing = [
    required && !e.PUBLIC_URL
      ? 'PUBLIC_URL must be set in production: the address families use, e.g. https://joinin.example.org (links in emails start with it)'
      : null,
    required && !e.SECRET_KEY
      ? 'SECRET_KEY is not set: in production it is required (at least 32 random characters, e.g. `openssl rand -base64 32`)'
      : null,
  ].filter((problem) => problem !== null)
  if (missing.length) throw new Error(missing.join('\n'))
  return {
    env: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    poolSize: e.PG_POOL_SIZE,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/$/, '') : `http://localhost:${e.PORT}`,
    adminEmail: e.ADMIN_EMAIL?.toLowerCase(),
    adminPassword: e.ADMIN_PASSWORD,
    partnerCodes: e.PARTNER_AUTHORITY_CODES
      ? e.PARTNER_AUTHORITY_CODES.split(',')
          .map((c) => c.trim().toUpperCase())
          .filter(Boolean)
      : [...DEFAULT_PARTNER_CODES],
    secureCookies: e.SECURE_COOKIES ? e.SECURE_COOKIES === 'true' : e.NODE_ENV === 'production',
    serviceName: e.SERVICE_NAME,
    organisationName: e.ORGANISATION_NAME,
    trustProxy: e.TRUST_PROXY,
    bookingRateLimit: e.BOOKING_RATE_LIMIT,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    outboxPollMs: e.OUTBOX_POLL_MS,
    secretKey: e.SECRET_KEY ?? DEVELOPMENT_SECRET_KEY,
    secretKeyPrevious: e.SECRET_KEY_PREVIOUS,
    secretKeyIsDevelopmentDefault: !e.SECRET_KEY,
  }
}
