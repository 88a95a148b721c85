// Staff passwords: the rules a new one must meet (length, not common, not the service's own names)
// and hashing with scrypt at OWASP's cost (N=2^17, r=8, p=1), always off the event loop.
import crypto from 'node:crypto'
import { promisify } from 'node:util'
import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as zxcvbnCommon from '@zxcvbn-ts/language-common'
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en'

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>

const COST = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 }
const KEY_LENGTH = 32

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 128

/**
 * Words anyone aiming at this service would try first (ASVS 6.2.11): its name, the team's, the
 * Virtual School's and the councils'. Lower case, no spaces: the estimator matches them inside a
 * password whatever the case or separators.
 */
const SERVICE_WORDS = [
  'joinin',
  'join',
  'virtualschool',
  'virtualschoolkent',
  'virtual',
  'school',
  'participation',
  'engagement',
  'participationandengagement',
  'adoptables',
  'adoptable',
  'adoption',
  'adopted',
  'adopt',
  'regionaladoptionagency',
  'adoptionpartnership',
  'kent',
  'kentcountycouncil',
  'medway',
  'medwaycouncil',
  'bexley',
  'londonboroughofbexley',
  'council',
  'kcc',
]

/** A password the estimator thinks takes fewer guesses than this is refused (its score 4). */
const MIN_GUESSES = 1e10
/** Letters that must be left once the service's words are taken out. */
const MIN_OTHER_LETTERS = 8

let estimator: ZxcvbnFactory | undefined
/**
 * zxcvbn-ts with its 49,000 common passwords, English words and names, and our own words. Built
 * once, on first use, and only here on the server: the dictionaries are megabytes.
 */
function passwordEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary, joinIn: SERVICE_WORDS },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEnglish.translations,
  })
  return estimator
}

const TOO_COMMON = 'Password is too common. Choose a password that is harder to guess, such as 3 random words'
const SERVICE_NAMES =
  'Password must not be based on the name of Join In, the team or a council. Choose a password that is harder to guess, such as 3 random words'
const TOO_EASY = 'Choose a password that is harder to guess, such as 3 random words'

/** A GOV.UK style message when a new password is not acceptable, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be ${PASSWORD_MIN_LENGTH} characters or more`
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`
  const result = passwordEstimator().check(password)
  const fromList = (name: string) =>
    result.sequence.some((match) => match.pattern === 'dictionary' && match.dictionaryName === name)
  const letters = password.toLowerCase().replace(/[^a-z]/g, '')
  let otherLetters = letters
  for (const word of SERVICE_WORDS) otherLetters = otherLetters.replaceAll(word, '')
  const usesNames = fromList('joinIn') || otherLetters.length < letters.length
  if (usesNames && (result.guesses < MIN_GUESSES || otherLetters.length < MIN_OTHER_LETTERS)) return SERVICE_NAMES
  if (result.guesses >= MIN_GUESSES) return null
  return fromList('passwords-common') ? TOO_COMMON : TOO_EASY
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16)
  const key = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, COST)
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split('$')
  if (scheme !== 'scrypt' || !saltText || !keyText) return false
  const expected = Buffer.from(keyText, 'base64')
  const key = await scrypt(password.normalize('NFKC'), Buffer.from(saltText, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: COST.maxmem,
  })
  return key.length === expected.length && crypto.timingSafeEqual(key, expected)
}

let dummyHash: Promise<string> | undefined
/** Spends the same time as a real check, so a missing account cannot be told apart by timing. */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword('not a real password: timing only')
  await verifyPassword(password, await dummyHash)
  return false
}
