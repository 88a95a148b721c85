// A family's data rights, self-service (UK GDPR Articles 15 to 17, the ICO Children's code):
// "Download our data" (everything held about the family, as JSON and as CSV) and "Delete our
// account" (places still to come cancelled and offered to the waiting list, then the personal
// details erased as erasure does, keeping only anonymous counts). Also the retention rule for
// family profiles, run by the nightly job (retention.server.ts).
import { checkpointAfterErasure, lockActivities, transaction, type DB } from '../../db/index'
import { familyAccountDeletedEmail } from '../email/family-templates.server'
import { enqueueEmail } from '../email/outbox.server'
import { formatLondonDate, formatLondonTimeRange } from '../time/london-time'
import { recordAudit } from './audit.server'
import { csvField } from './csv'
import { eraseBookings } from './erasure.server'
import { getFamilyProfile } from './families.server'
import { CONSENTS } from './family-form'
import type { Links } from './links'
import { emailOrganisation } from './settings.server'
import { tellPromotedFamilies } from './promotion-notices.server'
import { promoteFromWaitlist, type Promotion } from './waiting-list.server'

/** Places a family's deletion gives up: everything not already cancelled, on sessions still to come. */
const LIVE_STATUSES = ['confirmed', 'waitlisted', 'held'] as const

export interface FamilyDataExport {
  family: {
    email: string
    contactName: string | null
    phone: string | null
    emergencyPhone: string | null
    homeCouncil: string | null
    childrenCanTakePlacesSeparately: boolean
    addressConfirmedAt: string | null
  }
  children: Array<{
    firstName: string
    dateOfBirth: string
    supportNeeds: string | null
    consents: Record<string, { answer: 'yes' | 'no' | null; givenAt: string | null }>
  }>
  bookings: Array<{
    reference: string
    bookedAt: string
    session: { title: string; startsAt: string; endsAt: string; when: string }
    /** only when the family is confirmed and has a confirmed place on the session */
    joiningLink: string | null
    places: Array<{ firstName: string | null; dateOfBirth: string | null; supportNeeds: string | null; status: string }>
  }>
}

/** Everything held about the family, from its own account: never another family's, never a held place's joining link. */
export async function exportFamilyData(db: DB, familyId: number): Promise<FamilyDataExport | null> {
  const profile = await getFamilyProfile(db, familyId)
  if (!profile) return null
  const bookings = await db
    .selectFrom('booking')
    .innerJoin('activity', 'activity.id', 'booking.activity_id')
    .select([
      'booking.id',
      'booking.reference',
      'booking.created_at',
      'activity.title',
      'activity.starts_at',
      'activity.ends_at',
      'activity.join_url',
    ])
    .where('booking.family_id', '=', familyId)
    .orderBy('activity.starts_at')
    .orderBy('booking.id')
    .execute()
  const places = bookings.length
    ? await db
        .selectFrom('place')
        .select(['booking_id', 'first_name', 'date_of_birth', 'support_needs', 'status'])
        .where(
          'booking_id',
          'in',
          bookings.map((b) => b.id),
        )
        .orderBy('id')
        .execute()
    : []
  return {
    family: {
      email: profile.email,
      contactName: profile.contactName,
      phone: profile.phone,
      emergencyPhone: profile.emergencyPhone,
      homeCouncil: profile.authorityName,
      childrenCanTakePlacesSeparately: profile.placesSeparately,
      addressConfirmedAt: profile.confirmedAt,
    },
    children: profile.children.map((child) => ({
      firstName: child.firstName,
      dateOfBirth: child.dateOfBirth,
      supportNeeds: child.supportNeeds,
      consents: Object.fromEntries(
        CONSENTS.map(({ field, question }) => {
          const consent = child.consents[field]
          return [
            question,
            { answer: consent.answer === null ? null : consent.answer ? 'yes' : 'no', givenAt: consent.at },
          ]
        }),
      ),
    })),
    bookings: bookings.map((b) => {
      const own = places.filter((p) => p.booking_id === b.id)
      const confirmed = profile.confirmedAt !== null && own.some((p) => p.status === 'confirmed')
      return {
        reference: b.reference,
        bookedAt: b.created_at,
        session: {
          title: b.title,
          startsAt: b.starts_at,
          endsAt: b.ends_at,
          when: `${formatLondonDate(b.starts_at)}, ${formatLondonTimeRange(b.starts_at, b.ends_at)}`,
        },
        joiningLink: confirmed ? b.join_url : null,
        places: own.map((p) => ({
          firstName: p.first_name,
          dateOfBirth: p.date_of_birth,
          supportNeeds: p.support_needs,
          status: p.status,
        })),
      }
    }),
  }
}

/** The same data as one CSV table: what each row is about, which one, the field and its value. */
export function familyDataCsv(data: FamilyDataExport): string {
  const rows: Array<[string, string, string, string | number | null]> = []
  const f = data.family
  rows.push(
    ['family', '', 'email address', f.email],
    ['family', '', 'name', f.contactName],
    ['family', '', 'phone number', f.phone],
    ['family', '', 'emergency phone number', f.emergencyPhone],
    ['family', '', 'home council', f.homeCouncil],
    ['family', '', 'children can take places separately', f.childrenCanTakePlacesSeparately ? 'yes' : 'no'],
    ['family', '', 'address confirmed at', f.addressConfirmedAt],
  )
  data.children.forEach((c, i) => {
    const which = `child ${i + 1}`
    rows.push(
      ['child', which, 'first name', c.firstName],
      ['child', which, 'date of birth', c.dateOfBirth],
      ['child', which, 'support needs', c.supportNeeds],
    )
    for (const [question, consent] of Object.entries(c.consents)) {
      rows.push(['child', which, question, consent.answer], ['child', which, `${question} (given at)`, consent.givenAt])
    }
  })
  for (const b of data.bookings) {
    rows.push(
      ['booking', b.reference, 'session', b.session.title],
      ['booking', b.reference, 'when', b.session.when],
      ['booking', b.reference, 'starts at', b.session.startsAt],
      ['booking', b.reference, 'booked at', b.bookedAt],
      ['booking', b.reference, 'joining link', b.joiningLink],
    )
    b.places.forEach((p, i) => {
      const which = `${b.reference} place ${i + 1}`
      rows.push(
        ['place', which, 'first name', p.firstName],
        ['place', which, 'date of birth', p.dateOfBirth],
        ['place', which, 'support needs', p.supportNeeds],
        ['place', which, 'status', p.status],
      )
    })
  }
  const header = 'about,which,field,value'
  return `${[header, ...rows.map((r) => r.map(csvField).join(','))].join('\r\n')}\r\n`
}

export interface AccountDeletionCheck {
  /** places still to come that deleting cancels, by session */
  upcoming: Array<{ title: string; when: string; places: number }>
  children: number
}

/** What "Delete our account" will do, for its check page. Changes nothing. */
export async function checkAccountDeletion(db: DB, familyId: number, now = new Date()): Promise<AccountDeletionCheck> {
  const rows = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .innerJoin('activity', 'activity.id', 'place.activity_id')
    .select(['activity.id', 'activity.title', 'activity.starts_at', 'activity.ends_at'])
    .where('booking.family_id', '=', familyId)
    .where('place.status', 'in', LIVE_STATUSES)
    .where('activity.starts_at', '>', now.toISOString())
    .orderBy('activity.starts_at')
    .execute()
  const bySession = new Map<number, { title: string; when: string; places: number }>()
  for (const r of rows) {
    const entry = bySession.get(r.id) ?? {
      title: r.title,
      when: `${formatLondonDate(r.starts_at)}, ${formatLondonTimeRange(r.starts_at, r.ends_at)}`,
      places: 0,
    }
    entry.places += 1
    bySession.set(r.id, entry)
  }
  const children = await db
    .selectFrom('child')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('family_id', '=', familyId)
    .executeTakeFirstOrThrow()
  return { upcoming: [...bySession.values()], children: Number(children.n) }
}

export type DeleteAccountResult =
  { status: 'deleted'; cancelledPlaces: number; promoted: number; erasedBookings: number } | { status: 'not-found' }

/**
 * "Delete our account": in one transaction, the family's places on sessions still to come are
 * cancelled and each freed space is offered to the waiting list (as a cancellation does); then
 * every booking of the family has its personal details erased as erasure does (age on the day,
 * school year, home council, status and attendance stay, so past reports do not change); the
 * children, links, sessions and the family itself are deleted. One email confirms it. The audit
 * entry holds counts, never who.
 */
export async function deleteFamilyAccount(
  db: DB,
  familyId: number,
  links: Links,
  now = new Date(),
): Promise<DeleteAccountResult> {
  const stamp = now.toISOString()
  // The sessions whose rows are locked first (ascending ids): freed spaces are promoted into.
  const sessionsHeld = (
    await db.selectFrom('booking').select('activity_id').distinct().where('family_id', '=', familyId).execute()
  )
    .map((r) => r.activity_id)
    .sort((a, b) => a - b)
  const result = await transaction(db, async (trx) => {
    await lockActivities(trx, sessionsHeld)
    const family = await trx.selectFrom('family').select(['id', 'email']).where('id', '=', familyId).executeTakeFirst()
    if (!family) return null
    const bookings = await trx
      .selectFrom('booking')
      .innerJoin('activity', 'activity.id', 'booking.activity_id')
      .select(['booking.id', 'activity.id as activityId', 'activity.title', 'activity.starts_at'])
      .where('booking.family_id', '=', familyId)
      .execute()
    const upcoming = bookings.filter((b) => new Date(b.starts_at).getTime() > now.getTime())
    // A booking made since the sessions were read: its session is locked too before cancelling.
    const locked = new Set(sessionsHeld)
    await lockActivities(trx, [...new Set(upcoming.map((b) => b.activityId).filter((id) => !locked.has(id)))])
    const cancelledRows = upcoming.length
      ? await trx
          .selectFrom('place')
          .select(['id', 'activity_id'])
          .where(
            'booking_id',
            'in',
            upcoming.map((b) => b.id),
          )
          .where('status', 'in', LIVE_STATUSES)
          .execute()
      : []
    if (cancelledRows.length) {
      await trx
        .updateTable('place')
        .set({ status: 'cancelled', updated_at: stamp })
        .where(
          'id',
          'in',
          cancelledRows.map((p) => p.id),
        )
        .execute()
    }
    const cancelledSessions = upcoming
      .filter((b) => cancelledRows.some((p) => p.activity_id === b.activityId))
      .sort((a, b) => a.starts_at.localeCompare(b.starts_at))
    const erased = await eraseBookings(
      trx,
      bookings.map((b) => b.id),
      stamp,
    )
    // Emails to the address that no booking names (sign-in links) go too.
    await trx.deleteFrom('outbox').where('to_address', '=', family.email).where('status', '<>', 'sending').execute()
    await trx.updateTable('booking').set({ family_id: null }).where('family_id', '=', familyId).execute()
    await trx.deleteFrom('family_session').where('family_id', '=', familyId).execute()
    await trx.deleteFrom('family_token').where('family_id', '=', familyId).execute()
    await trx.deleteFrom('child').where('family_id', '=', familyId).execute()
    await trx.deleteFrom('family').where('id', '=', familyId).execute()
    let promoted = 0
    // A family promoted on several of the freed sessions is told once per series.
    const promotions: Promotion[] = []
    for (const activityId of [...new Set(cancelledSessions.map((b) => b.activityId))].sort((a, b) => a - b)) {
      promoted += await promoteFromWaitlist(trx, activityId, links, undefined, promotions)
    }
    await tellPromotedFamilies(trx, promotions, links)
    const content = familyAccountDeletedEmail({
      cancelledSessions: [...new Set(cancelledSessions.map((b) => `${b.title}, ${formatLondonDate(b.starts_at)}`))],
      organisation: await emailOrganisation(trx, links),
    })
    await enqueueEmail(
      trx,
      { kind: 'family-account-deleted', to: family.email, ...content, dedupeKey: `family:deleted:${familyId}` },
      { domain: links.domain },
    )
    await recordAudit(trx, {
      actorUserId: null,
      action: 'family.account-deleted',
      detail: { bookings: erased.bookings, places: erased.places, cancelledPlaces: cancelledRows.length, promoted },
    })
    return { cancelledPlaces: cancelledRows.length, promoted, erasedBookings: erased.bookings }
  })
  if (!result) return { status: 'not-found' }
  // Old copies of the erased rows must not stay behind in the write-ahead log.
  await checkpointAfterErasure(db)
  return { status: 'deleted', ...result }
}

/** Families deleted per transaction. */
const BATCH = 500

/**
 * Retention for family profiles: a family created before `keepFrom` with no booking on a session
 * on or after it is deleted (its children, links and sessions too; its old bookings were erased
 * by the same job and stay as anonymous counts). Sessions that have expired and links that were
 * used or have expired are deleted too. Returns how many families were deleted.
 */
export async function eraseOldFamilies(db: DB, keepFrom: string, now = new Date()): Promise<number> {
  const ids = (
    await db
      .selectFrom('family')
      .select('family.id')
      .where('family.created_at', '<', keepFrom)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('booking')
              .innerJoin('activity', 'activity.id', 'booking.activity_id')
              .select('booking.id')
              .whereRef('booking.family_id', '=', 'family.id')
              .where('activity.starts_at', '>=', keepFrom),
          ),
        ),
      )
      .orderBy('family.id')
      .execute()
  ).map((f) => f.id)
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH)
    await transaction(db, async (trx) => {
      await trx.updateTable('booking').set({ family_id: null }).where('family_id', 'in', batch).execute()
      await trx.deleteFrom('family_session').where('family_id', 'in', batch).execute()
      await trx.deleteFrom('family_token').where('family_id', 'in', batch).execute()
      await trx.deleteFrom('child').where('family_id', 'in', batch).execute()
      await trx.deleteFrom('family').where('id', 'in', batch).execute()
    })
  }
  const at = now.toISOString()
  await db.deleteFrom('family_session').where('expires_at', '<=', at).execute()
  await db
    .deleteFrom('family_token')
    .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<=', at)]))
    .execute()
  return ids.length
}

/** The family's own data as the CSV download, or null when there is no such family. */
export async function exportFamilyDataCsv(db: DB, familyId: number): Promise<string | null> {
  const data = await exportFamilyData(db, familyId)
  return data ? familyDataCsv(data) : null
}
