// Families for tests that need one to exist already: rows written as the service writes them, and
// a signed-in device. The sign-in flow itself (email link, cookie) is tested through the real pages
// in tests/integration/family-sign-in.test.ts; tests of other family pages start from here.
import crypto from 'node:crypto'
import type { DB } from '../../db/index'
import { hashToken } from '../../app/auth/tokens.server'
import { childKey } from '../../app/domain/booking-form'
import type { HttpClient } from './service'

export interface FamilySpec {
  email?: string
  contactName?: string
  phone?: string | null
  emergencyPhone?: string | null
  authorityCode?: string
  /** null: a new family that has not confirmed its address */
  confirmedAt?: string | null
  approvedAt?: string | null
  placesSeparately?: boolean
  children?: Array<{ firstName: string; dob: string; supportNeeds?: string | null }>
}

let families = 0

/** Creates a family and its children; returns their ids. Confirmed and approved unless told otherwise. */
export async function createFamily(
  db: DB,
  spec: FamilySpec = {},
): Promise<{ familyId: number; email: string; childIds: number[] }> {
  families += 1
  const stamp = new Date().toISOString()
  const email = spec.email ?? `family${families}-${crypto.randomUUID().slice(0, 8)}@example.org`
  const family = await db
    .insertInto('family')
    .values({
      email: email.toLowerCase(),
      contact_name: spec.contactName ?? 'Pat Parent',
      phone: spec.phone ?? null,
      emergency_phone: spec.emergencyPhone ?? null,
      authority_code: spec.authorityCode ?? 'E10000016',
      places_separately: spec.placesSeparately ? 1 : 0,
      confirmed_at: spec.confirmedAt === undefined ? stamp : spec.confirmedAt,
      approved_at: spec.approvedAt === undefined ? stamp : spec.approvedAt,
      feed_token_hash: null,
      created_at: stamp,
      updated_at: stamp,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const childIds: number[] = []
  for (const child of spec.children ?? []) {
    const row = await db
      .insertInto('child')
      .values({
        family_id: family.id,
        first_name: child.firstName,
        date_of_birth: child.dob,
        match_key: childKey(child.firstName, child.dob),
        support_needs: child.supportNeeds ?? null,
        consent_photos: null,
        consent_photos_at: null,
        consent_name_visible: null,
        consent_name_visible_at: null,
        consent_camera: null,
        consent_camera_at: null,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    childIds.push(row.id)
  }
  return { familyId: family.id, email: email.toLowerCase(), childIds }
}

/**
 * Signs a client in as the family on its device: a session row and the cookie the service sets
 * (SECURE_COOKIES=false in tests, so the cookie is `join-in-family`).
 */
export async function signInFamilyDirectly(db: DB, client: HttpClient, familyId: number): Promise<void> {
  const token = crypto.randomBytes(32).toString('base64url')
  const now = new Date()
  await db
    .insertInto('family_session')
    .values({
      id: hashToken(token),
      family_id: familyId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
    })
    .execute()
  client.cookies.set('join-in-family', token)
}
