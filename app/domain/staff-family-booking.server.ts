// Staff booking a session on a family's behalf: the accessible alternative to the online form,
// for a parent who phones or emails. The family's own children are ticked, as when the family
// books signed in; the same book() decides capacity, the waiting list, holds and emails (a family
// whose address was never confirmed is still sent the confirm link, never the joining link).
import type { DB } from '../../db/index'
import { recordAudit, type StaffActor } from './audit.server'
import { familyChildChoices, type FamilyChildChoice } from './booking-requests.server'
import { bookingWindowState } from './booking-window'
import { book, countTaken, type BookResult } from './bookings.server'
import type { Links } from './links'
import { getNumberSetting } from './settings.server'
import { spacesLeft } from './spaces'

export interface StaffBookingSession {
  id: number
  title: string
  starts_at: string
  ends_at: string
  spacesLeft: number
}

export interface StaffBookingPage {
  family: { id: number; contactName: string | null; email: string; confirmed: boolean }
  sessions: StaffBookingSession[]
  /** the chosen session's children, with the reason any cannot be booked */
  choices: FamilyChildChoice[] | null
  activityId: number | null
}

/** The sessions open for booking now, and (once one is chosen) the family's children for it. Audited. */
export async function staffBookingPage(
  db: DB,
  actor: StaffActor,
  familyId: number | null,
  activityId: number | null,
  now = new Date(),
): Promise<StaffBookingPage | null> {
  if (!familyId) return null
  const family = await db
    .selectFrom('family')
    .select(['id', 'contact_name', 'email', 'confirmed_at'])
    .where('id', '=', familyId)
    .executeTakeFirst()
  if (!family) return null
  const rows = await db
    .selectFrom('activity')
    .selectAll()
    .where('kind', '=', 'activity')
    .where('status', '=', 'published')
    .where('booking_closes_at', '>', now.toISOString())
    .orderBy('starts_at')
    .limit(200)
    .execute()
  const open = rows.filter((a) => bookingWindowState(a, now) === 'open')
  const sessions = await Promise.all(
    open.map(async (a) => ({
      id: a.id,
      title: a.title,
      starts_at: a.starts_at,
      ends_at: a.ends_at,
      spacesLeft: spacesLeft(a.capacity, await countTaken(db, a.id)),
    })),
  )
  const chosen = activityId ? open.find((a) => a.id === activityId) : undefined
  const choices = chosen ? await familyChildChoices(db, family.id, chosen) : null
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'family.viewed',
    subjectType: 'family',
    subjectId: String(family.id),
    detail: { purpose: 'book on their behalf' },
    ip: actor.ip,
  })
  return {
    family: {
      id: family.id,
      contactName: family.contact_name,
      email: family.email,
      confirmed: family.confirmed_at !== null,
    },
    sessions,
    choices,
    activityId: chosen?.id ?? null,
  }
}

/** Books the ticked children for the family, as staff; audited with the booking's reference. */
export async function staffBookForFamily(
  db: DB,
  actor: StaffActor,
  request: {
    familyId: number
    activityId: number
    childIds: number[]
    idempotencyKey: string
    acceptWaitlist: boolean
  },
  links: Links,
  now = new Date(),
): Promise<BookResult> {
  const maxChildren = await getNumberSetting(db, 'max_children_per_booking')
  const result = await book(db, request, links, { maxChildren, now })
  if (result.status === 'booked') {
    await recordAudit(db, {
      actorUserId: actor.id,
      action: 'booking.made-for-family',
      subjectType: 'family',
      subjectId: String(request.familyId),
      detail: {
        reference: result.reference,
        activityId: request.activityId,
        confirmed: result.confirmed.length,
        held: result.held.length,
        waitlisted: result.waitlisted.length,
      },
      ip: actor.ip,
    })
  }
  return result
}
