// A family as staff see it: contact details, the children with their consents, and every booking
// with each child's place. Personal data, so every view is audited here.
import type { DB } from '../../db/index'
import type { HoldReason, PlaceStatus } from '../../db/schema'
import { recordAudit, type StaffActor } from './audit.server'
import { consentsOf, type Consents } from './child-consents'
import { familyNoShows, type FamilyNoShow } from './family-no-shows.server'

export interface StaffFamilyChild {
  id: number
  firstName: string
  /** YYYY-MM-DD */
  dateOfBirth: string
  supportNeeds: string | null
  consents: Consents
}

export interface StaffFamilyBooking {
  id: number
  reference: string
  activityId: number
  title: string
  startsAt: string
  endsAt: string
  activityStatus: string
  holdReason: HoldReason | null
  declineReason: string | null
  bookedAt: string
  places: Array<{ id: number; firstName: string | null; status: PlaceStatus }>
}

export interface StaffFamilyPage {
  family: {
    id: number
    contactName: string | null
    email: string
    phone: string | null
    emergencyPhone: string | null
    authorityName: string | null
    confirmedAt: string | null
    approvedAt: string | null
    placesSeparately: boolean
    createdAt: string
  }
  children: StaffFamilyChild[]
  /** newest session first */
  bookings: StaffFamilyBooking[]
  /** places marked "did not attend" in the last 12 months, newest first (staff see them; nothing is automatic) */
  noShows: FamilyNoShow[]
}

/** A family's page for a member of staff, or null when there is no such family; the view is audited. */
export async function viewFamily(
  db: DB,
  familyId: number | null,
  actor: StaffActor,
  now = new Date(),
): Promise<StaffFamilyPage | null> {
  if (!familyId) return null
  const family = await db
    .selectFrom('family')
    .leftJoin('authority', 'authority.code', 'family.authority_code')
    .select([
      'family.id',
      'family.contact_name',
      'family.email',
      'family.phone',
      'family.emergency_phone',
      'family.confirmed_at',
      'family.approved_at',
      'family.places_separately',
      'family.created_at',
      'authority.name as authorityName',
    ])
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
  const bookingRows = await db
    .selectFrom('booking')
    .innerJoin('activity', 'activity.id', 'booking.activity_id')
    .select([
      'booking.id',
      'booking.reference',
      'booking.hold_reason',
      'booking.decline_reason',
      'booking.created_at',
      'activity.id as activityId',
      'activity.title',
      'activity.starts_at',
      'activity.ends_at',
      'activity.status as activityStatus',
    ])
    .where('booking.family_id', '=', familyId)
    .orderBy('activity.starts_at', 'desc')
    .orderBy('booking.id', 'desc')
    .execute()
  const places = bookingRows.length
    ? await db
        .selectFrom('place')
        .select(['id', 'booking_id', 'first_name', 'status'])
        .where(
          'booking_id',
          'in',
          bookingRows.map((b) => b.id),
        )
        .orderBy('id')
        .execute()
    : []

  const noShows = await familyNoShows(db, familyId, now)

  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'family.viewed',
    subjectType: 'family',
    subjectId: familyId,
    ip: actor.ip,
  })

  return {
    family: {
      id: family.id,
      contactName: family.contact_name,
      email: family.email,
      phone: family.phone,
      emergencyPhone: family.emergency_phone,
      authorityName: family.authorityName,
      confirmedAt: family.confirmed_at,
      approvedAt: family.approved_at,
      placesSeparately: family.places_separately === 1,
      createdAt: family.created_at,
    },
    children: children.map((c) => ({
      id: c.id,
      firstName: c.first_name,
      dateOfBirth: c.date_of_birth,
      supportNeeds: c.support_needs,
      consents: consentsOf(c),
    })),
    bookings: bookingRows.map((b) => ({
      id: b.id,
      reference: b.reference,
      activityId: b.activityId,
      title: b.title,
      startsAt: b.starts_at,
      endsAt: b.ends_at,
      activityStatus: b.activityStatus,
      holdReason: b.hold_reason,
      declineReason: b.decline_reason,
      bookedAt: b.created_at,
      places: places
        .filter((p) => p.booking_id === b.id)
        .map((p) => ({ id: p.id, firstName: p.first_name, status: p.status })),
    })),
    noShows,
  }
}
