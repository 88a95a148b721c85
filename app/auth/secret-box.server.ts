// Secrets the service must be able to read back (TOTP shared secrets) are kept sealed at rest with
// AES-256-GCM under a key derived (HKDF-SHA256) from SECRET_KEY. A sealed value names the key it
// was sealed with, so after a rotation SECRET_KEY_PREVIOUS still opens old values until boot has
// sealed them again with the new key (resealTotpSecrets).
import crypto from 'node:crypto'

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

/** Used only when SECRET_KEY is not set outside production: anyone can read it here. */
export const DEVELOPMENT_SECRET_KEY = 'join-in DEVELOPMENT key - not secret - never use in production'

export interface SecretBox {
  /** `purpose` binds the value to where it is stored (e.g. the account), so it cannot be moved */
  seal(plain: string, purpose: string): string
  /** the plain text, or null when no key we have opened it (wrong key, altered, or not sealed) */
  open(sealed: string, purpose: string): string | null
  /** whether this value is sealed with the current key (otherwise it needs sealing again) */
  isCurrent(sealed: string): boolean
}

interface DerivedKey {
  id: string
  key: Buffer
}

function derive(secretKey: string): DerivedKey {
  const key = Buffer.from(crypto.hkdfSync('sha256', secretKey, 'join-in', 'join-in secrets at rest v1', 32))
  // A short public name for the key, so a value says which key sealed it without revealing it.
  const id = crypto.createHash('sha256').update('key id').update(key).digest('hex').slice(0, 8)
  return { id, key }
}

export function createSecretBox(secretKey: string, previousKey?: string): SecretBox {
  const current = derive(secretKey)
  const keys = [current, ...(previousKey ? [derive(previousKey)] : [])]
  return {
    seal(plain, purpose) {
      const iv = crypto.randomBytes(IV_BYTES)
      const cipher = crypto.createCipheriv('aes-256-gcm', current.key, iv)
      cipher.setAAD(Buffer.from(purpose))
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
      return `${VERSION}.${current.id}.${sealed}`
    },
    open(sealed, purpose) {
      const [version, id, payload] = sealed.split('.')
      if (version !== VERSION || !payload) return null
      const bytes = Buffer.from(payload, 'base64url')
      if (bytes.length < IV_BYTES + TAG_BYTES) return null
      for (const { id: keyId, key } of keys) {
        if (keyId !== id) continue
        try {
          const decipher = crypto.createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES))
          decipher.setAAD(Buffer.from(purpose))
          decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
          return Buffer.concat([
            decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
            decipher.final(),
          ]).toString('utf8')
        } catch {
          return null
        }
      }
      return null
    },
    isCurrent(sealed) {
      return sealed.startsWith(`${VERSION}.${current.id}.`)
    },
  }
}

/** Whether a stored value is sealed at all (values from before sealing are plain base32). */
export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}.`)
}

const boxes = new WeakMap<object, SecretBox>()

/** The box for this configuration, made once. */
export function secretBoxFor(config: { secretKey: string; secretKeyPrevious: string | undefined }): SecretBox {
  let box = boxes.get(config)
  if (!box) {
    box = createSecretBox(config.secretKey, config.secretKeyPrevious)
    boxes.set(config, box)
  }
  return box
}

/** What a TOTP secret is sealed for: the account it belongs to. */
export function totpPurpose(userId: number): string {
  return `staff_user.totp ${userId}`
}
