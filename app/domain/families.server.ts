// A family's own account: signing in by a one-time emailed link (no password), their details
// (name, phones, home council, whether siblings may take places separately) and their children,
// each kept once with three consents and the date each answer was given. Every query is scoped to
// the signed-in family: another family's child is simply not found.
import { isUniqueViolation, transaction, type DB } from '../../db/index'
import type { Transaction } from 'kysely'
import type { Child, Database, Family } from '../../db/schema'
import { allow } from '../auth/rate-limit.server'
import { hashToken } from '../auth/tokens.server'
import { familySignInEmail } from '../email/family-templates.server'
import { enqueueEmail } from '../email/outbox.server'
import { childKey } from './booking-form'
import { issueFamilyToken, SIGN_IN_LINK_MS, useFamilyToken as spendFamilyToken } from './family-links.server'
import { CONSENTS, type ChildValue, type ConsentField, type FamilyDetailsValue } from './family-form'
import type { Links } from './links'
import { emailOrganisation } from './settings.server'

/** Links one address may be sent in an hour, and asks one IP address may make in 10 minutes. */
export const SIGN_IN_PER_ADDRESS = { limit: 5, windowMs: 60 * 60_000 }
export const SIGN_IN_PER_IP = { limit: 20, windowMs: 10 * 60_000 }
export const SIGN_IN_EMAIL_KIND = 'family-sign-in'

export type SignInRequestResult = 'sent' | 'unknown-address' | 'throttled'

/**
 * "Sign in to see your bookings": emails a one-time link to a family's address. An unknown address
 * is sent nothing and no family is made; an address or IP past its limit is sent nothing more. The
 * page answers the same in every case, so it never tells anyone whether an address has a family.
 * The throttle's key holds the address's hash, not the address.
 */
export async function requestSignInLink(
  db: DB,
  request: { email: string; ip: string; redirectTo: string | null },
  links: Links,
  now = new Date(),
): Promise<SignInRequestResult> {
  const email = request.email.trim().toLowerCase()
  const ipAllowed = await allow(
    db,
    `family-sign-in:ip:${request.ip}`,
    SIGN_IN_PER_IP.limit,
    SIGN_IN_PER_IP.windowMs,
    now,
  )
  const addressAllowed = await allow(
    db,
    `family-sign-in:email:${hashToken(email)}`,
    SIGN_IN_PER_ADDRESS.limit,
    SIGN_IN_PER_ADDRESS.windowMs,
    now,
  )
  if (!ipAllowed || !addressAllowed) return 'throttled'
  const family = await db.selectFrom('family').select('id').where('email', '=', email).executeTakeFirst()
  if (!family) return 'unknown-address'
  await transaction(db, async (trx) => {
    const token = await issueFamilyToken(trx, family.id, 'sign-in', {
      expiresAt: new Date(now.getTime() + SIGN_IN_LINK_MS),
      now,
    })
    const query = request.redirectTo ? `?redirectTo=${encodeURIComponent(request.redirectTo)}` : ''
    const content = familySignInEmail({
      signInUrl: `${links.baseUrl}/family/sign-in/${token}${query}`,
      validFor: `${SIGN_IN_LINK_MS / 60_000} minutes`,
      organisation: await emailOrganisation(trx, links),
    })
    await enqueueEmail(
      trx,
      { kind: SIGN_IN_EMAIL_KIND, to: email, ...content, dedupeKey: `family:sign-in:${hashToken(token)}` },
      { domain: links.domain },
    )
  })
  return 'sent'
}

export type SignInLinkState = 'valid' | 'spent' | 'unknown'

/** What a sign-in link would do, without using it (a GET, or a mail scanner, changes nothing). */
export async function checkSignInLink(db: DB, token: string, now = new Date()): Promise<SignInLinkState> {
  if (!token || token.length > 100) return 'unknown'
  const row = await db
    .selectFrom('family_token')
    .select(['used_at', 'expires_at'])
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', 'sign-in')
    .executeTakeFirst()
  if (!row) return 'unknown'
  return row.used_at === null && row.expires_at > now.toISOString() ? 'valid' : 'spent'
}

export type SignInResult = { status: 'signed-in'; familyId: number } | { status: 'spent' | 'unknown' }

/**
 * Uses a sign-in link (once: two presses at once cannot both succeed). The link proves the
 * address, so a family that had not confirmed it is confirmed now.
 */
export async function signInWithLink(db: DB, token: string, now = new Date()): Promise<SignInResult> {
  const used = await spendFamilyToken(db, token, 'sign-in', now)
  if (!used) {
    const state = await checkSignInLink(db, token, now)
    return { status: state === 'unknown' ? 'unknown' : 'spent' }
  }
  await db
    .updateTable('family')
    .set({ confirmed_at: now.toISOString(), updated_at: now.toISOString() })
    .where('id', '=', used.familyId)
    .where('confirmed_at', 'is', null)
    .execute()
  return { status: 'signed-in', familyId: used.familyId }
}

export interface ChildProfile {
  id: number
  firstName: string
  dateOfBirth: string
  supportNeeds: string | null
  consents: Record<ConsentField, { answer: boolean | null; at: string | null }>
}

export interface FamilyProfile {
  id: number
  email: string
  contactName: string | null
  phone: string | null
  emergencyPhone: string | null
  authorityCode: string | null
  authorityName: string | null
  placesSeparately: boolean
  confirmedAt: string | null
  children: ChildProfile[]
}

function childProfile(child: Child): ChildProfile {
  const consent = (column: (typeof CONSENTS)[number]['column']) => {
    const value = child[column]
    return { answer: value === null ? null : value === 1, at: child[`${column}_at`] }
  }
  return {
    id: child.id,
    firstName: child.first_name,
    dateOfBirth: child.date_of_birth,
    supportNeeds: child.support_needs,
    consents: Object.fromEntries(CONSENTS.map((c) => [c.field, consent(c.column)])) as ChildProfile['consents'],
  }
}

/** The family's own details and children, oldest child first. */
export async function getFamilyProfile(db: DB, familyId: number): Promise<FamilyProfile | null> {
  const family = await db
    .selectFrom('family')
    .leftJoin('authority', 'authority.code', 'family.authority_code')
    .selectAll('family')
    .select('authority.name as authorityName')
    .where('family.id', '=', familyId)
    .executeTakeFirst()
  if (!family) return null
  const children = await db
    .selectFrom('child')
    .selectAll()
    .where('family_id', '=', familyId)
    .orderBy('date_of_birth')
    .orderBy('id')
    .execute()
  return {
    id: family.id,
    email: family.email,
    contactName: family.contact_name,
    phone: family.phone,
    emergencyPhone: family.emergency_phone,
    authorityCode: family.authority_code,
    authorityName: family.authorityName,
    placesSeparately: family.places_separately === 1,
    confirmedAt: family.confirmed_at,
    children: children.map(childProfile),
  }
}

/** Changes the family's details (not the email address, which is how they sign in). */
export async function updateFamilyDetails(
  db: DB,
  familyId: number,
  value: FamilyDetailsValue,
  now = new Date(),
): Promise<void> {
  const changes: Partial<Family> = {
    contact_name: value.contactName,
    phone: value.phone,
    emergency_phone: value.emergencyPhone,
    authority_code: value.authorityCode,
    places_separately: value.placesSeparately ? 1 : 0,
    updated_at: now.toISOString(),
  }
  await db.updateTable('family').set(changes).where('id', '=', familyId).execute()
}

/** One of the family's own children; null for another family's (or no) child. */
export async function getChild(db: DB, familyId: number, childId: number): Promise<ChildProfile | null> {
  const child = await db
    .selectFrom('child')
    .selectAll()
    .where('id', '=', childId)
    .where('family_id', '=', familyId)
    .executeTakeFirst()
  return child ? childProfile(child) : null
}

export type ChildSaveResult =
  { status: 'saved'; childId: number } | { status: 'duplicate'; firstName: string } | { status: 'not-found' }

const DUPLICATE = { table: 'child', index: 'child_one_per_family' }

/**
 * The consent columns to write: an answer and, when it differs from the one held, the instant it
 * was given. An unchanged answer keeps its date.
 */
function consentChanges(value: ChildValue, held: ChildProfile | null, stamp: string) {
  const changes: Record<string, number | string | null> = {}
  for (const { field, column } of CONSENTS) {
    const answer = value.consents[field]
    const before = held?.consents[field]
    changes[column] = answer === null ? null : answer ? 1 : 0
    changes[`${column}_at`] = before && before.answer === answer ? before.at : answer === null ? null : stamp
  }
  return changes as Pick<
    Child,
    | 'consent_photos'
    | 'consent_photos_at'
    | 'consent_name_visible'
    | 'consent_name_visible_at'
    | 'consent_camera'
    | 'consent_camera_at'
  >
}

/** Adds a child to the family; the same first name and date of birth twice in one family is refused. */
export async function addChild(
  db: DB,
  familyId: number,
  value: ChildValue,
  now = new Date(),
): Promise<ChildSaveResult> {
  const stamp = now.toISOString()
  const matchKey = childKey(value.firstName, value.dateOfBirth)
  const existing = await db
    .selectFrom('child')
    .select('id')
    .where('family_id', '=', familyId)
    .where('match_key', '=', matchKey)
    .executeTakeFirst()
  if (existing) return { status: 'duplicate', firstName: value.firstName }
  try {
    return await transaction(db, async (trx) => {
      const row = await trx
        .insertInto('child')
        .values({
          family_id: familyId,
          first_name: value.firstName,
          date_of_birth: value.dateOfBirth,
          match_key: matchKey,
          support_needs: value.supportNeeds,
          ...consentChanges(value, null, stamp),
          created_at: stamp,
          updated_at: stamp,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await relinkPlacesOfRemovedChild(trx, familyId, row.id, matchKey, stamp)
      return { status: 'saved' as const, childId: row.id }
    })
  } catch (error) {
    // The same child added twice at once: the unique index decides.
    if (isUniqueViolation(error, DUPLICATE)) return { status: 'duplicate', firstName: value.firstName }
    throw error
  }
}

/**
 * A child removed from the family keeps its places (removing a child cancels nothing). Added
 * again with the same first name and date of birth, it is the same child: those places become
 * the new child's, so "already has a place on this session" holds and it is never booked twice
 * on one session (within this family only: another family's child of the same name is another child).
 */
async function relinkPlacesOfRemovedChild(
  trx: Transaction<Database>,
  familyId: number,
  childId: number,
  matchKey: string,
  stamp: string,
): Promise<void> {
  const places = await trx
    .selectFrom('place')
    .select(['id', 'activity_id', 'status', 'first_name', 'date_of_birth'])
    .where('family_id', '=', familyId)
    .where((eb) =>
      eb.or([
        eb('child_id', 'is', null),
        eb('child_id', 'not in', eb.selectFrom('child').select('id').where('family_id', '=', familyId)),
      ]),
    )
    .orderBy('id')
    .execute()
  const live = new Set<number>()
  for (const place of places) {
    if (!place.first_name || !place.date_of_birth || childKey(place.first_name, place.date_of_birth) !== matchKey)
      continue
    // One live place per session holds the child's key (place_one_per_child); any other stays as it is.
    const isLive = place.status !== 'cancelled'
    if (isLive && live.has(place.activity_id)) continue
    if (isLive) live.add(place.activity_id)
    await trx
      .updateTable('place')
      .set({ child_id: childId, ...(isLive ? { child_key: `child:${childId}` } : {}), updated_at: stamp })
      .where('id', '=', place.id)
      .execute()
  }
}

/** Changes one of the family's children; a consent's date changes only when its answer does. */
export async function updateChild(
  db: DB,
  familyId: number,
  childId: number,
  value: ChildValue,
  now = new Date(),
): Promise<ChildSaveResult> {
  const held = await getChild(db, familyId, childId)
  if (!held) return { status: 'not-found' }
  const matchKey = childKey(value.firstName, value.dateOfBirth)
  const other = await db
    .selectFrom('child')
    .select('id')
    .where('family_id', '=', familyId)
    .where('match_key', '=', matchKey)
    .where('id', '<>', childId)
    .executeTakeFirst()
  if (other) return { status: 'duplicate', firstName: value.firstName }
  const stamp = now.toISOString()
  try {
    await db
      .updateTable('child')
      .set({
        first_name: value.firstName,
        date_of_birth: value.dateOfBirth,
        match_key: matchKey,
        support_needs: value.supportNeeds,
        ...consentChanges(value, held, stamp),
        updated_at: stamp,
      })
      .where('id', '=', childId)
      .where('family_id', '=', familyId)
      .execute()
  } catch (error) {
    if (isUniqueViolation(error, DUPLICATE)) return { status: 'duplicate', firstName: value.firstName }
    throw error
  }
  return { status: 'saved', childId }
}

/** How many places the child has on sessions still to come (the remove page says they stay booked). */
export async function upcomingPlacesOf(db: DB, familyId: number, childId: number, now = new Date()): Promise<number> {
  const row = await db
    .selectFrom('place')
    .innerJoin('activity', 'activity.id', 'place.activity_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('place.child_id', '=', childId)
    .where('place.family_id', '=', familyId)
    .where('place.status', 'in', ['confirmed', 'waitlisted', 'held'])
    .where('activity.starts_at', '>', now.toISOString())
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Removes a child from the family. Places already booked for them are not cancelled: they stay
 * on the family's bookings (cancel them there), with the name the booking was made with.
 */
export async function removeChild(db: DB, familyId: number, childId: number): Promise<'removed' | 'not-found'> {
  const result = await db
    .deleteFrom('child')
    .where('id', '=', childId)
    .where('family_id', '=', familyId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0 ? 'removed' : 'not-found'
}
