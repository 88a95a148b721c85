// Time-based one-time passwords (RFC 6238) for staff two-factor sign-in, using otpauth with the
// settings every authenticator app understands: SHA-1, 6 digits, 30-second steps.
import { Secret, TOTP } from 'otpauth'

const PERIOD_SECONDS = 30
const DIGITS = 6
/** One step either side: a phone clock a little out, or a code typed as it changed. */
const WINDOW = 1

/** A new random secret (160 bits, as RFC 4226 recommends), base32 for typing into an app. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

function totp(secret: string, issuer: string, label: string): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  })
}

/** The otpauth:// address an authenticator app reads (as a QR code or pasted). */
export function totpUri(secret: string, issuer: string, accountName: string): string {
  return totp(secret, issuer, accountName).toString()
}

/** The secret in groups of four, easier to read and type; apps ignore the spaces. */
export function formatSecretForTyping(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ')
}

/** What people type: spaces and hyphens (as some apps show "123 456") are ignored. */
export function normaliseCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '')
  return new RegExp(`^\\d{${DIGITS}}$`).test(code) ? code : null
}

/**
 * The 30-second step a code belongs to, when it is right for this secret now and newer than the
 * last step already used (a code works once, so one read over a shoulder cannot be replayed);
 * otherwise null. otpauth compares codes in constant time.
 */
export function acceptedStep(
  secret: string,
  typed: string,
  lastUsedStep: number | null,
  now = Date.now(),
): number | null {
  const code = normaliseCode(typed)
  if (!code) return null
  const delta = totp(secret, 'Join In', 'staff').validate({ token: code, timestamp: now, window: WINDOW })
  if (delta === null) return null
  const step = TOTP.counter({ period: PERIOD_SECONDS, timestamp: now }) + delta
  if (lastUsedStep !== null && step <= lastUsedStep) return null
  return step
}
