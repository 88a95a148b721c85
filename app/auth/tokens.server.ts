// Random secrets for cookies and links, and the hashes we store in their place.
import crypto from 'node:crypto'

/** 256 random bits, URL-safe. */
export function newSecretToken(): string {
  return crypto.randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Compares a presented token with a stored hash in constant time. */
export function tokenMatchesHash(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex')
  const stored = Buffer.from(storedHash, 'hex')
  return presented.length === stored.length && crypto.timingSafeEqual(presented, stored)
}
