// Single-use recovery codes for two-factor sign-in, for when the phone is lost or not to hand.
// Each is 10 characters from an alphabet without look-alikes (about 49 bits), shown once as
// "abcde-fghjk"; only a hash of each is stored (they are random, so a fast hash is enough).
import crypto from 'node:crypto'
import { hashToken } from './tokens.server'

export const RECOVERY_CODE_COUNT = 10
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
const LENGTH = 10

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let code = ''
    for (let i = 0; i < LENGTH; i++) code += ALPHABET[crypto.randomInt(ALPHABET.length)]
    return `${code.slice(0, 5)}-${code.slice(5)}`
  })
}

/** What people type, ignoring case, spaces and hyphens; null when it cannot be a recovery code. */
export function normaliseRecoveryCode(typed: string): string | null {
  const code = typed.toLowerCase().replace(/[\s-]/g, '')
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null
}

export function hashRecoveryCode(code: string): string {
  return hashToken(`recovery:${normaliseRecoveryCode(code) ?? code}`)
}
