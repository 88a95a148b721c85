// Adoptables members: young people aged 12 to 18 who register themselves. Under 13 they stay
// pending until a parent or carer consents by an emailed link. Booking a meeting reuses book().
import type { Transaction } from 'kysely'
import { isUniqueViolation, transaction, type DB } from '../../db/index'
import type { Database, Member, PlaceStatus } from '../../db/schema'
import { hashToken, newSecretToken, tokenMatchesHash } from '../auth/tokens.server'
import { enqueueEmail } from '../email/outbox.server'
import { memberEmail, type EmailOrganisation } from '../email/templates.server'
import { ageOnDay } from './age'
import { ADOPTABLES_MAX_AGE, ADOPTABLES_MIN_AGE, adoptablesAgeOnMeeting, needsConsent } from './adoptables-age'
import { takenPlaces } from './activities.server'
import { spacesForNewBookings, spacesOnOffer } from './offered-spaces.server'
import { book, type BookResult } from './bookings.server'
import type { Links } from './links'
import { ADOPTABLES_SIGN_UP_EMAILS } from './recipient-limits'
import { addDays, londonDateOf, startOfLondonDay, type CalendarDate } from '../time/london-time'
import { recordAudit, type StaffActor } from './audit.server'
import type { RegistrationFormValue } from './member-form'
import { emailOrganisation } from './settings.server'
import { spacesLeft } from './spaces'

export interface RegistrationInput extends RegistrationFormValue {
  meetingId: number
}

export type RegisterResult =
  /** new and 13 or over: active, link emailed, meeting booked */
  | { status: 'registered'; memberId: number; booking: MeetingBookResult }
  /** new and under 13: waiting for a parent or carer */
  | { status: 'pending-consent'; memberId: number }
  /** already a member: their link has been emailed again; nothing is shown to whoever typed it */
  | { status: 'emailed-existing-link' }
  | { status: 'meeting-not-found' }
  | { status: 'age-out-of-range'; age: number }
  | { status: 'needs-parent-email' }
  | { status: 'unknown-authority' }

export function memberKey(email: string, dateOfBirth: string): string {
  return `${email.trim().toLowerCase()}|${dateOfBirth}`
}

export function memberUrl(links: Links, memberId: number, token: string): string {
  return `${links.baseUrl}/adoptables/members/${memberId}?token=${encodeURIComponent(token)}`
}

async function findMeeting(db: DB, meetingId: number) {
  return db
    .selectFrom('activity')
    .selectAll()
    .where('id', '=', meetingId)
    .where('kind', '=', 'adoptables')
    .where('status', '=', 'published')
    .executeTakeFirst()
}

export async function registerMember(
  db: DB,
  input: RegistrationInput,
  links: Links,
  now = new Date(),
): Promise<RegisterResult> {
  const meeting = await findMeeting(db, input.meetingId)
  if (!meeting) return { status: 'meeting-not-found' }
  const age = adoptablesAgeOnMeeting(input.dateOfBirth, meeting.starts_at)
  if (!age.ok) return { status: 'age-out-of-range', age: age.age }
  const pending = needsConsent(input.dateOfBirth, now)
  if (pending && !input.parentEmail) return { status: 'needs-parent-email' }
  const authority = await db
    .selectFrom('authority')
    .select('code')
    .where('code', '=', input.authorityCode)
    .executeTakeFirst()
  if (!authority) return { status: 'unknown-authority' }

  const key = memberKey(input.email, input.dateOfBirth)
  const stamp = now.toISOString()
  const accessToken = newSecretToken()
  const consentToken = pending ? newSecretToken() : null

  const organisation = await emailOrganisation(db, links)
  const signUp = () =>
    transaction(db, async (trx) => {
      const existing = await trx.selectFrom('member').selectAll().where('member_key', '=', key).executeTakeFirst()
      if (existing) {
        // A new link replaces the old one; it goes only to the address on the membership.
        await trx
          .updateTable('member')
          .set({ access_token_hash: hashToken(accessToken), updated_at: stamp })
          .where('id', '=', existing.id)
          .execute()
        const content = memberEmail(existing.status === 'active' ? 'member-link' : 'member-pending', {
          firstName: existing.first_name ?? '',
          memberUrl: existing.status === 'active' ? memberUrl(links, existing.id, accessToken) : null,
          meetingTitle: meeting.title,
          organisation,
        })
        await enqueueEmail(
          trx,
          {
            kind: 'member-link',
            to: existing.email ?? input.email,
            ...content,
            dedupeKey: `member-link:${existing.id}:${hashToken(accessToken).slice(0, 16)}`,
          },
          { domain: links.domain, limit: ADOPTABLES_SIGN_UP_EMAILS },
        )
        return { status: 'emailed-existing-link' as const }
      }
      const member = await trx
        .insertInto('member')
        .values({
          first_name: input.firstName,
          date_of_birth: input.dateOfBirth,
          email: input.email.trim().toLowerCase(),
          member_key: key,
          authority_code: input.authorityCode,
          notes: input.notes,
          status: pending ? 'pending' : 'active',
          parent_email: pending ? input.parentEmail!.trim().toLowerCase() : null,
          consent_token_hash: consentToken ? hashToken(consentToken) : null,
          consented_at: null,
          access_token_hash: hashToken(accessToken),
          pending_activity_id: pending ? meeting.id : null,
          created_at: stamp,
          updated_at: stamp,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (pending) {
        const toParent = memberEmail('consent-request', {
          firstName: input.firstName,
          age: ageOnDay(input.dateOfBirth, londonDateOf(now)),
          memberUrl: null,
          meetingTitle: meeting.title,
          organisation,
          consentUrl: `${links.baseUrl}/adoptables/consent?token=${encodeURIComponent(consentToken!)}`,
        })
        await enqueueEmail(
          trx,
          { kind: 'consent-request', to: input.parentEmail!, ...toParent, dedupeKey: `consent-request:${member.id}` },
          { domain: links.domain, limit: ADOPTABLES_SIGN_UP_EMAILS },
        )
        const toYoungPerson = memberEmail('member-pending', {
          firstName: input.firstName,
          memberUrl: null,
          meetingTitle: meeting.title,
          organisation,
        })
        await enqueueEmail(
          trx,
          { kind: 'member-pending', to: input.email, ...toYoungPerson, dedupeKey: `member-pending:${member.id}` },
          { domain: links.domain, limit: ADOPTABLES_SIGN_UP_EMAILS },
        )
        return { status: 'pending-consent' as const, memberId: member.id }
      }
      await sendWelcome(trx, member.id, input.firstName, input.email, accessToken, links, organisation)
      return { status: 'registered' as const, memberId: member.id }
    })
  // The same sign-up posted twice at once (a double click, or two instances where each statement
  // sees what committed before it): the unique member key decides, and the other is answered as a
  // repeat would be, from the membership that won. Caught outside the failed transaction.
  const outcome = await signUp().catch((error: unknown) => {
    if (isUniqueViolation(error, { table: 'member', column: 'member_key' })) return signUp()
    throw error
  })
  if (outcome.status !== 'registered') return outcome
  const booking = await bookMeeting(db, outcome.memberId, meeting.id, links, now)
  return { status: 'registered', memberId: outcome.memberId, booking }
}

async function sendWelcome(
  db: DB | Transaction<Database>,
  memberId: number,
  firstName: string,
  email: string,
  accessToken: string,
  links: Links,
  organisation: EmailOrganisation,
) {
  const content = memberEmail('member-welcome', {
    firstName,
    memberUrl: memberUrl(links, memberId, accessToken),
    meetingTitle: null,
    organisation,
  })
  await enqueueEmail(
    db,
    { kind: 'member-welcome', to: email, ...content, dedupeKey: `member-welcome:${memberId}` },
    { domain: links.domain, limit: ADOPTABLES_SIGN_UP_EMAILS },
  )
}

/** The sign-up a consent link is for, as the parent or carer's page shows it. */
export type ConsentRequest =
  | {
      status: 'open' | 'confirmed' | 'declined'
      firstName: string
      /** their age today, in whole years */
      age: number | null
      organisation: EmailOrganisation
    }
  | { status: 'invalid' }

async function memberByConsentToken(db: DB, token: string): Promise<Member | null> {
  if (!token || token.length > 100) return null
  const member = await db
    .selectFrom('member')
    .selectAll()
    .where('consent_token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!member || !member.consent_token_hash || !tokenMatchesHash(token, member.consent_token_hash)) return null
  return member
}

function consentState(member: Member): 'open' | 'confirmed' | 'declined' {
  if (member.status === 'active') return 'confirmed'
  return member.consent_declined_at ? 'declined' : 'open'
}

/** Who is asking and who runs the meetings, for the page the emailed link opens. Changes nothing. */
export async function findConsentRequest(
  db: DB,
  token: string,
  links: Links,
  now = new Date(),
): Promise<ConsentRequest> {
  const member = await memberByConsentToken(db, token)
  if (!member) return { status: 'invalid' }
  return {
    status: consentState(member),
    firstName: member.first_name ?? '',
    age: member.date_of_birth ? ageOnDay(member.date_of_birth, londonDateOf(now)) : null,
    organisation: await emailOrganisation(db, links),
  }
}

export type ConsentResult =
  | { status: 'confirmed'; firstName: string; booking: MeetingBookResult | null }
  | { status: 'declined'; firstName: string }
  | { status: 'invalid' }
  | { status: 'already-confirmed'; firstName: string }
  | { status: 'already-declined'; firstName: string }

/**
 * A parent or carer answers by the emailed link. Yes: the member becomes active, gets their link
 * and the meeting they asked for. No: the sign-up is closed for good (it can never be made active
 * or book, and its key is freed so the young person may sign up again later, which asks again);
 * the young person is told kindly and the team is told at its contact address. The first answer
 * stands: a second press of either button changes nothing.
 */
export async function answerConsent(
  db: DB,
  token: string,
  answer: 'yes' | 'no',
  links: Links,
  now = new Date(),
): Promise<ConsentResult> {
  const member = await memberByConsentToken(db, token)
  if (!member) return { status: 'invalid' }
  const firstName = member.first_name ?? ''
  const state = consentState(member)
  if (state === 'confirmed') return { status: 'already-confirmed', firstName }
  if (state === 'declined') return { status: 'already-declined', firstName }
  const organisation = await emailOrganisation(db, links)
  const stamp = now.toISOString()
  if (answer === 'no') {
    const declined = await db.transaction().execute(async (trx) => {
      const closed = await trx
        .updateTable('member')
        .set({
          consent_declined_at: stamp,
          member_key: `declined:${member.id}:${member.member_key}`,
          // no link to this record may ever work
          access_token_hash: hashToken(newSecretToken()),
          pending_activity_id: null,
          updated_at: stamp,
        })
        .where('id', '=', member.id)
        .where('status', '=', 'pending')
        .where('consent_declined_at', 'is', null)
        .executeTakeFirst()
      if (Number(closed.numUpdatedRows) === 0) return false
      const age = member.date_of_birth ? ageOnDay(member.date_of_birth, londonDateOf(now)) : undefined
      const toYoungPerson = memberEmail('consent-declined', {
        firstName,
        memberUrl: null,
        meetingTitle: null,
        organisation,
      })
      if (member.email) {
        await enqueueEmail(
          trx,
          { kind: 'consent-declined', to: member.email, ...toYoungPerson, dedupeKey: `consent-declined:${member.id}` },
          { domain: links.domain },
        )
      }
      const toTeam = memberEmail('consent-declined-team', {
        firstName,
        age,
        memberUrl: null,
        meetingTitle: null,
        organisation,
      })
      await enqueueEmail(
        trx,
        {
          kind: 'consent-declined-team',
          to: organisation.contactEmail,
          ...toTeam,
          dedupeKey: `consent-declined-team:${member.id}`,
        },
        { domain: links.domain },
      )
      return true
    })
    return declined ? { status: 'declined', firstName } : { status: 'already-declined', firstName }
  }
  const accessToken = newSecretToken()
  const agreed = await db.transaction().execute(async (trx) => {
    const opened = await trx
      .updateTable('member')
      .set({ status: 'active', consented_at: stamp, access_token_hash: hashToken(accessToken), updated_at: stamp })
      .where('id', '=', member.id)
      .where('status', '=', 'pending')
      .where('consent_declined_at', 'is', null)
      .executeTakeFirst()
    if (Number(opened.numUpdatedRows) === 0) return false
    await sendWelcome(trx, member.id, firstName, member.email ?? '', accessToken, links, organisation)
    return true
  })
  // answered at the same moment from another tab: the first answer stands
  if (!agreed) return answerConsent(db, token, answer, links, now)
  const booking = member.pending_activity_id
    ? await bookMeeting(db, member.id, member.pending_activity_id, links, now)
    : null
  return { status: 'confirmed', firstName, booking }
}

/** The member behind a member link, or null when the id or token is wrong. */
export async function findMemberByLink(db: DB, memberId: number, token: string): Promise<Member | null> {
  if (!token || token.length > 100) return null
  const member = await db.selectFrom('member').selectAll().where('id', '=', memberId).executeTakeFirst()
  if (!member || !tokenMatchesHash(token, member.access_token_hash)) return null
  return member
}

export type MeetingBookResult =
  | BookResult
  | { status: 'pending-consent' }
  | { status: 'age-out-of-range'; age: number; names: string[]; minAge: number; maxAge: number }

/** One step from a member's link: capacity, waiting list, emails and invite exactly as for activities. */
export async function bookMeeting(
  db: DB,
  memberId: number,
  meetingId: number,
  links: Links,
  now = new Date(),
): Promise<MeetingBookResult> {
  const member = await db.selectFrom('member').selectAll().where('id', '=', memberId).executeTakeFirstOrThrow()
  if (member.status !== 'active') return { status: 'pending-consent' }
  const meeting = await findMeeting(db, meetingId)
  if (!meeting) return { status: 'not-found' }
  const age = adoptablesAgeOnMeeting(member.date_of_birth ?? '', meeting.starts_at)
  if (!age.ok)
    return {
      status: 'age-out-of-range',
      age: age.age,
      names: [member.first_name ?? ''],
      minAge: ADOPTABLES_MIN_AGE,
      maxAge: ADOPTABLES_MAX_AGE,
    }
  const idempotencyKey = await meetingBookingKey(db, member.id, meeting.id)
  return book(
    db,
    {
      activityId: meeting.id,
      contactName: member.first_name ?? '',
      email: member.email ?? '',
      phone: null,
      authorityCode: member.authority_code,
      children: [
        { firstName: member.first_name ?? '', dateOfBirth: member.date_of_birth ?? '', supportNeeds: member.notes },
      ],
      mailingListOptIn: false,
      idempotencyKey,
      acceptWaitlist: true,
      memberId: member.id,
    },
    links,
    { maxChildren: 1, now },
  )
}

/**
 * One live booking per member per meeting, however often the button is pressed: while they hold a
 * place (confirmed or waiting) the key is that booking's, so a second press finds it. Once they
 * have cancelled, the next press is a new booking with the next key, so they can change their mind.
 */
async function meetingBookingKey(db: DB, memberId: number, meetingId: number): Promise<string> {
  const earlier = await db
    .selectFrom('booking')
    .select((eb) => [
      'booking.idempotency_key',
      eb
        .selectFrom('place')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('place.booking_id', '=', 'booking.id')
        .where('place.status', '<>', 'cancelled')
        .as('live'),
    ])
    .where('booking.member_id', '=', memberId)
    .where('booking.activity_id', '=', meetingId)
    .orderBy('booking.id')
    .execute()
  const live = earlier.find((b) => Number(b.live ?? 0) > 0)
  if (live) return live.idempotency_key
  const base = `member-${memberId}-meeting-${meetingId}`
  return earlier.length === 0 ? base : `${base}-again-${earlier.length}`
}

export interface MemberMeeting {
  id: number
  title: string
  starts_at: string
  ends_at: string
  spacesLeft: number
  /** this member's place on it, if any */
  placeStatus: PlaceStatus | null
  reference: string | null
}

/**
 * A member's own page, reached by the link in their emails: their meetings, with the joining
 * link only for meetings they have a confirmed place on. Null when the link is wrong.
 */
export async function memberPage(db: DB, memberId: number | null, token: string | null) {
  const member = memberId && token ? await findMemberByLink(db, memberId, token) : null
  if (!member) return null
  const meetings = await listMemberMeetings(db, member.id)
  const confirmedIds = meetings.filter((m) => m.placeStatus === 'confirmed').map((m) => m.id)
  const links = confirmedIds.length
    ? await db.selectFrom('activity').select(['id', 'join_url']).where('id', 'in', confirmedIds).execute()
    : []
  return {
    member,
    meetings: meetings.map((m) => ({ ...m, joinUrl: links.find((l) => l.id === m.id)?.join_url ?? null })),
  }
}

/** Upcoming meetings as one member sees them: booked, waiting, or free to book. */
export async function listMemberMeetings(db: DB, memberId: number, now = new Date()): Promise<MemberMeeting[]> {
  const meetings = await db
    .selectFrom('activity')
    .select(['id', 'title', 'starts_at', 'ends_at', 'capacity'])
    .select((eb) => takenPlaces(eb))
    .select((eb) => spacesOnOffer(eb))
    .where('kind', '=', 'adoptables')
    .where('status', '=', 'published')
    .where('starts_at', '>', now.toISOString())
    .orderBy('starts_at')
    .execute()
  const mine = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .select(['place.activity_id', 'place.status', 'booking.reference'])
    .where('booking.member_id', '=', memberId)
    .where('place.status', '<>', 'cancelled')
    .execute()
  return meetings.map((m) => {
    const place = mine.find((p) => p.activity_id === m.id)
    return {
      id: m.id,
      title: m.title,
      starts_at: m.starts_at,
      ends_at: m.ends_at,
      spacesLeft: spacesForNewBookings(spacesLeft(m.capacity, Number(m.taken ?? 0)), m.on_offer),
      placeStatus: place?.status ?? null,
      reference: place?.reference ?? null,
    }
  })
}

export interface MemberRow {
  id: number
  firstName: string | null
  ageToday: number | null
  authorityName: string
  status: Member['status']
  /** a parent or carer answered no: the sign-up is closed */
  consentDeclined: boolean
  registeredAt: string
  meetingsAttended: number
}

/**
 * The members page for a staff member: the list (names, ages, authorities) and, when the dates
 * were read, how many young people attended between them (London days, both included). Audited.
 */
export async function viewMembers(
  db: DB,
  filter: { status?: Member['status']; attended: { from: CalendarDate; to: CalendarDate } | null },
  actor: StaffActor,
): Promise<{ members: MemberRow[]; attendees: number | null }> {
  const { attended } = filter
  const [members, attendees] = await Promise.all([
    listMembers(db, filter.status),
    attended
      ? countDistinctAttendees(db, startOfLondonDay(attended.from), startOfLondonDay(addDays(attended.to, 1)))
      : null,
  ])
  await recordAudit(db, { actorUserId: actor.id, action: 'members.viewed', ip: actor.ip })
  return { members, attendees }
}

/** Staff list of members, newest first. */
async function listMembers(db: DB, status?: Member['status'], now = new Date()): Promise<MemberRow[]> {
  let query = db
    .selectFrom('member')
    .innerJoin('authority', 'authority.code', 'member.authority_code')
    .select([
      'member.id',
      'member.first_name',
      'member.date_of_birth',
      'member.status',
      'member.consent_declined_at',
      'member.created_at',
      'authority.name as authorityName',
    ])
    .select((eb) =>
      eb
        .selectFrom('place')
        .innerJoin('booking', 'booking.id', 'place.booking_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('booking.member_id', '=', 'member.id')
        .where('place.attended', '=', 1)
        .as('attended'),
    )
    .orderBy('member.created_at', 'desc')
    .limit(1000)
  if (status) query = query.where('member.status', '=', status)
  if (status === 'pending') query = query.where('member.consent_declined_at', 'is', null)
  const rows = await query.execute()
  const today = londonDateOf(now)
  return rows.map((r) => ({
    id: r.id,
    firstName: r.first_name,
    ageToday: r.date_of_birth ? ageOnDay(r.date_of_birth, today) : null,
    authorityName: r.authorityName,
    status: r.status,
    consentDeclined: r.consent_declined_at !== null,
    registeredAt: r.created_at,
    meetingsAttended: Number(r.attended ?? 0),
  }))
}

/**
 * Distinct young people who attended at least one Adoptables meeting starting in [from, to):
 * counted by member, so someone at six meetings is one young person. Cancelled meetings and
 * places marked absent do not count.
 */
export async function countDistinctAttendees(db: DB, from: Date, to: Date): Promise<number> {
  const row = await db
    .selectFrom('place')
    .innerJoin('booking', 'booking.id', 'place.booking_id')
    .innerJoin('activity', 'activity.id', 'place.activity_id')
    .select((eb) => eb.fn.count<number>('booking.member_id').distinct().as('n'))
    .where('activity.kind', '=', 'adoptables')
    .where('activity.status', '<>', 'cancelled')
    .where('activity.starts_at', '>=', from.toISOString())
    .where('activity.starts_at', '<', to.toISOString())
    .where('place.status', '=', 'confirmed')
    .where('place.attended', '=', 1)
    .where('booking.member_id', 'is not', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
