// A series booked in one step: the dates a family chose, for the children it chose, each date
// its own booking (so any date can be cancelled later), all made in one transaction that holds
// every date's lock, through book()'s own guarded path; then ONE email listing every date and
// child's outcome, with one invite holding every confirmed date under its booking's UID.
// The dates of one series booking share the key they were booked under: `<key>~<activity id>`.
import crypto from 'node:crypto'
import type { Transaction } from 'kysely'
import { isUniqueViolation, lockActivities, transaction, type DB } from '../../db/index'
import type { Activity, Booking, Database, Place } from '../../db/schema'
import { hashToken, newSecretToken } from '../auth/tokens.server'
import { inviteCalendarForMany, type InviteEvent } from '../calendar/ics.server'
import { enqueueEmail } from '../email/outbox.server'
import { seriesBookedEmail, type SeriesBookedKind, type SeriesEmailDate } from '../email/series-templates.server'
import { londonDateOf } from '../time/london-time'
import { PUBLIC_ACTIVITY_COLUMNS, takenPlaces, type PublicActivityWithSpaces } from './activities.server'
import { ageOnDay } from './age'
import { allow } from '../auth/rate-limit.server'
import { authorityGroups, listAuthorities } from './authorities.server'
import { childCountOf, childField, parseBookingForm, type BookingFormValue } from './booking-form'
import { HONEYPOT_FIELD } from './honeypot'
import { chosenDates, parseSeriesPost } from './series-booking-form'
import { ageReason, withoutChild } from './booking-requests.server'
import { bookingWindowState, type BookingWindowState } from './booking-window'
import { book } from './bookings.server'
import { confirmLink, issueFamilyToken } from './family-links.server'
import { manageUrl, type Links } from './links'
import { joinNames } from './names'
import { BOOKING_FORM_EMAILS } from './recipient-limits'
import { emailOrganisation, getNumberSetting, getSetting } from './settings.server'
import { spacesForNewBookings, spacesOnOffer } from './offered-spaces.server'
import { seriesDateKey } from './series-group.server'
import { spacesLeft } from './spaces'

type Executor = DB | Transaction<Database>

export type SeriesSession = PublicActivityWithSpaces & { window: BookingWindowState }

export interface SeriesOverview {
  seriesId: number
  title: string
  /** the sessions still to come, soonest first (cancelled ones too, so the page can say so) */
  sessions: SeriesSession[]
}

/** A series' sessions still to come, as anyone may see them (no joining link); null when none is public. */
export async function seriesOverview(
  db: Executor,
  seriesId: number | null,
  now = new Date(),
): Promise<SeriesOverview | null> {
  if (!seriesId) return null
  const rows = await db
    .selectFrom('activity')
    .select(PUBLIC_ACTIVITY_COLUMNS)
    .select((eb) => takenPlaces(eb))
    .select((eb) => spacesOnOffer(eb))
    .where('activity.series_id', '=', seriesId)
    .where('activity.status', 'in', ['published', 'cancelled'])
    .where('activity.starts_at', '>', now.toISOString())
    .orderBy('activity.starts_at')
    .orderBy('activity.id')
    .limit(200)
    .execute()
  if (rows.length === 0 || rows.every((r) => r.kind !== 'activity')) return null
  const sessions = rows.map((row) => {
    const taken = Number(row.taken ?? 0)
    const left = spacesForNewBookings(spacesLeft(row.capacity, taken), row.on_offer)
    return { ...row, taken, spacesLeft: left, window: bookingWindowState(row, now) }
  })
  return { seriesId, title: sessions.find((s) => s.status === 'published')?.title ?? sessions[0]!.title, sessions }
}

/** Who a series booking is for: a known family's ticked children, or the children typed on the form. */
export type SeriesParty =
  { kind: 'family'; familyId: number; childIds: number[] } | { kind: 'form'; form: BookingFormValue }

export type ChildOutcome = 'confirmed' | 'held' | 'waitlisted' | 'not-eligible' | 'already-booked' | 'closed'

export interface DatePlan {
  activityId: number
  startsAt: string
  endsAt: string
  children: Array<{ firstName: string; outcome: ChildOutcome; reason: string | null; index: number }>
}

interface PlanChild {
  index: number
  childId: number | null
  firstName: string
  dateOfBirth: string
}

/** The children of the party, in the order they were ticked or typed; null when one is not the family's. */
async function partyChildren(db: Executor, party: SeriesParty): Promise<PlanChild[] | null> {
  if (party.kind === 'form') {
    return party.form.children.map((c, index) => ({
      index,
      childId: null,
      firstName: c.firstName,
      dateOfBirth: c.dateOfBirth,
    }))
  }
  const ids = [...new Set(party.childIds)]
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('child')
    .select(['id', 'first_name', 'date_of_birth'])
    .where('family_id', '=', party.familyId)
    .where('id', 'in', ids)
    .execute()
  if (rows.length !== ids.length) return null
  return ids.map((id, index) => {
    const row = rows.find((r) => r.id === id)!
    return { index, childId: id, firstName: row.first_name, dateOfBirth: row.date_of_birth }
  })
}

/**
 * Whether the party's places go ahead at once or are held, and why: until the address is proved
 * (a form post, a family that never confirmed), or (address proved) until the team approves a
 * new family's first booking. `thenApproval`: an address hold that approval follows.
 */
export interface LiveOutcome {
  live: 'confirmed' | 'held'
  heldFor: 'address' | 'approval' | null
  thenApproval: boolean
}

async function liveOutcome(db: Executor, party: SeriesParty): Promise<LiveOutcome> {
  const family =
    party.kind === 'form'
      ? null
      : await db
          .selectFrom('family')
          .select(['confirmed_at', 'approved_at'])
          .where('id', '=', party.familyId)
          .executeTakeFirst()
  const approval = !family?.approved_at && (await getSetting(db as DB, 'approve_new_families')) === 'on'
  if (!family?.confirmed_at) return { live: 'held', heldFor: 'address', thenApproval: approval }
  if (approval) return { live: 'held', heldFor: 'approval', thenApproval: false }
  return { live: 'confirmed', heldFor: null, thenApproval: false }
}

/**
 * What booking these dates would do, per date and child: confirmed (or held for a new family),
 * waitlisted when the date is full, not eligible that day (age on the day, in single booking's
 * words), already booked (a known family's own child only), or closed. Read under the locks by
 * bookSeries, so what it books is what this says at that moment.
 */
export async function planSeries(
  db: Executor,
  overview: SeriesOverview,
  activityIds: number[],
  party: SeriesParty,
): Promise<({ plans: DatePlan[] } & LiveOutcome) | { status: 'not-found' }> {
  const children = await partyChildren(db, party)
  if (!children) return { status: 'not-found' }
  const chosen = overview.sessions.filter((s) => activityIds.includes(s.id))
  if (chosen.length !== new Set(activityIds).size) return { status: 'not-found' }
  const outcome = await liveOutcome(db, party)
  const { live } = outcome
  const existing =
    party.kind === 'family' && chosen.length
      ? await db
          .selectFrom('place')
          .select(['activity_id', 'child_id', 'status'])
          .where('family_id', '=', party.familyId)
          .where(
            'activity_id',
            'in',
            chosen.map((s) => s.id),
          )
          .where('status', '<>', 'cancelled')
          .execute()
      : []
  const plans = chosen.map((session): DatePlan => {
    const day = londonDateOf(session.starts_at)
    let left = session.spacesLeft
    return {
      activityId: session.id,
      startsAt: session.starts_at,
      endsAt: session.ends_at,
      children: children.map((child) => {
        const base = { firstName: child.firstName, index: child.index }
        if (session.window !== 'open') {
          const reason =
            session.window === 'cancelled'
              ? 'This date has been cancelled'
              : session.window === 'not-yet-open'
                ? 'Booking for this date has not opened yet'
                : 'Booking for this date has closed'
          return { ...base, outcome: 'closed' as const, reason }
        }
        const place = existing.find((p) => p.activity_id === session.id && p.child_id === child.childId)
        if (place) {
          const reason =
            place.status === 'waitlisted'
              ? `${child.firstName} is already on the waiting list for this session`
              : `${child.firstName} already has a place on this session`
          return { ...base, outcome: 'already-booked' as const, reason }
        }
        const reason = ageReason(child.firstName, ageOnDay(child.dateOfBirth, day), session)
        if (reason) return { ...base, outcome: 'not-eligible' as const, reason }
        if (left > 0) {
          left -= 1
          return { ...base, outcome: live, reason: null }
        }
        return { ...base, outcome: 'waitlisted' as const, reason: null }
      }),
    }
  })
  return { plans, ...outcome }
}

export interface SeriesBookingRequest {
  seriesId: number
  activityIds: number[]
  party: SeriesParty
  /** the check page's key: each date is booked under `<key>~<activity id>`, so a double submit books once */
  idempotencyKey: string
}

export type SeriesBookResult =
  | {
      status: 'booked'
      plans: DatePlan[]
      /** the booking made for each date that had a child to book */
      bookings: Array<{ activityId: number; reference: string; manageToken: string }>
      /** why the places are held: until the address is confirmed, or until the team approves them */
      heldFor: 'address' | 'approval' | null
    }
  | { status: 'already-submitted' }
  | { status: 'nothing-to-book'; plans: DatePlan[] }
  | { status: 'not-found' }
  | { status: 'too-many-children'; max: number }
  | { status: 'unknown-authority' }

/** The key every date of one series booking carries: letters, digits and dashes only (no LIKE wildcards). */
export const SERIES_KEY = /^[A-Za-z0-9-]{16,64}$/

/** Books the chosen dates of a series for the party, in one transaction, and writes one email. */
export async function bookSeries(
  db: DB,
  request: SeriesBookingRequest,
  links: Links,
  options: { maxChildren: number; now?: Date },
): Promise<SeriesBookResult> {
  const now = options.now ?? new Date()
  if (!SERIES_KEY.test(request.idempotencyKey)) return { status: 'not-found' }
  const count =
    request.party.kind === 'family' ? new Set(request.party.childIds).size : request.party.form.children.length
  if (count === 0 || count > options.maxChildren) return { status: 'too-many-children', max: options.maxChildren }
  const ids = [...new Set(request.activityIds)]
  if (ids.length === 0) return { status: 'not-found' }
  const organisation = await emailOrganisation(db, links)
  try {
    return await transaction(db, async (trx): Promise<SeriesBookResult> => {
      // Every date's row lock, in id order (lockActivities sorts), before anything is read.
      await lockActivities(trx, ids)
      const earlier = await trx
        .selectFrom('booking')
        .select('id')
        .where(
          'idempotency_key',
          'in',
          ids.map((id) => seriesDateKey(request.idempotencyKey, id)),
        )
        .executeTakeFirst()
      if (earlier) return { status: 'already-submitted' }
      const overview = await seriesOverview(trx, request.seriesId, now)
      if (!overview) return { status: 'not-found' }
      const planned = await planSeries(trx, overview, ids, request.party)
      if ('status' in planned) return planned
      const { plans, live } = planned
      const made: Array<{ plan: DatePlan; booking: Booking; places: Place[]; manageToken: string }> = []
      for (const plan of plans) {
        const bookable = plan.children.filter((c) => c.outcome === live || c.outcome === 'waitlisted')
        if (bookable.length === 0) continue
        const key = seriesDateKey(request.idempotencyKey, plan.activityId)
        const party = request.party
        const result = await book(
          db,
          party.kind === 'family'
            ? {
                activityId: plan.activityId,
                familyId: party.familyId,
                childIds: bookable.map((c) => party.childIds[c.index]!),
                idempotencyKey: key,
                acceptWaitlist: true,
              }
            : {
                ...party.form,
                children: bookable.map((c) => party.form.children[c.index]!),
                activityId: plan.activityId,
                idempotencyKey: key,
                acceptWaitlist: true,
              },
          links,
          { maxChildren: options.maxChildren, now, within: trx },
        )
        if (result.status === 'already-submitted') return { status: 'already-submitted' }
        if (result.status === 'unknown-authority' || result.status === 'too-many-children') return result
        if (result.status !== 'booked') {
          // planned under the same locks, so book() agrees; a disagreement is a bug, not an outcome
          throw new Error(`series date ${plan.activityId} refused as planned: ${result.status}`)
        }
        const booking = await trx
          .selectFrom('booking')
          .selectAll()
          .where('id', '=', result.bookingId)
          .executeTakeFirstOrThrow()
        const places = await trx
          .selectFrom('place')
          .selectAll()
          .where('booking_id', '=', booking.id)
          .orderBy('id')
          .execute()
        made.push({ plan, booking, places, manageToken: result.manageToken })
      }
      if (made.length === 0) return { status: 'nothing-to-book', plans }

      const activities = await trx
        .selectFrom('activity')
        .selectAll()
        .where(
          'id',
          'in',
          made.map((m) => m.booking.activity_id),
        )
        .execute()
      const activityOf = (id: number) => activities.find((a) => a.id === id)!
      let confirmUrl: string | null = null
      let holdExpiresAt: string | null = null
      const hold = made[0]!.booking.hold_reason
      if (hold === 'address') {
        // One link confirms every held date: it names the date held longest, and confirming
        // finds the others by the key they share (confirmSeriesGroup).
        const longest = made.reduce((a, b) =>
          (b.booking.hold_expires_at ?? '') > (a.booking.hold_expires_at ?? '') ? b : a,
        )
        holdExpiresAt = longest.booking.hold_expires_at
        const token = await issueFamilyToken(trx, longest.booking.family_id!, 'confirm', {
          bookingId: longest.booking.id,
          expiresAt: new Date(holdExpiresAt!),
          now,
        })
        confirmUrl = confirmLink(links.baseUrl, token)
      }
      const kind: SeriesBookedKind =
        hold === 'address' ? 'series-held' : hold === 'approval' ? 'series-awaiting-approval' : 'series-booked'
      const first = made[0]!.booking
      await queueSeriesBookedEmail(trx, kind, {
        to: first.email,
        contactName: first.contact_name,
        dates: plans.map((plan) => {
          const m = made.find((x) => x.plan === plan)
          return {
            activity: m ? activityOf(plan.activityId) : null,
            plan,
            booking: m?.booking ?? null,
            places: m?.places ?? [],
            manageToken: m?.manageToken ?? null,
            startsAt: plan.startsAt,
            endsAt: plan.endsAt,
          }
        }),
        links,
        organisation,
        confirmUrl,
        holdExpiresAt,
        dedupeKey: `${kind}:${request.idempotencyKey}`,
        limited: request.party.kind === 'form',
      })
      return {
        status: 'booked',
        plans,
        bookings: made.map((m) => ({
          activityId: m.booking.activity_id,
          reference: m.booking.reference,
          manageToken: m.manageToken,
        })),
        heldFor: hold,
      }
    })
  } catch (error) {
    // the same form posted twice at once from two processes: the unique key decides
    if (isUniqueViolation(error, { table: 'booking', column: 'idempotency_key' }))
      return { status: 'already-submitted' }
    if (isUniqueViolation(error, { table: 'place', column: 'child_key' })) return { status: 'already-submitted' }
    throw error
  }
}

/** Sentences for one date: who has a place, who is waiting, who cannot come and why. */
export function outcomeSentences(
  places: Array<Pick<Place, 'status' | 'first_name'>>,
  plan: DatePlan | null,
  heldFor: 'address' | 'approval' = 'address',
): string[] {
  const named = (status: Place['status']) => places.filter((p) => p.status === status).map((p) => p.first_name ?? '')
  const out: string[] = []
  const confirmed = named('confirmed')
  const held = named('held')
  const waiting = named('waitlisted')
  if (confirmed.length) out.push(`${joinNames(confirmed)} ${confirmed.length > 1 ? 'have places' : 'has a place'}.`)
  if (held.length) {
    out.push(
      heldFor === 'address'
        ? `Places held for ${joinNames(held)} until you confirm your email address.`
        : `Places kept for ${joinNames(held)} while the team checks your booking.`,
    )
  }
  if (waiting.length) out.push(`${joinNames(waiting)} ${waiting.length > 1 ? 'are' : 'is'} on the waiting list.`)
  for (const child of plan?.children ?? []) {
    if (child.reason && child.outcome !== 'confirmed') out.push(`${child.reason}.`)
  }
  if (out.length === 0) out.push('Nothing booked on this date.')
  return out
}

export interface SeriesEmailDateInput {
  activity: Activity | null
  plan: DatePlan | null
  booking: Booking | null
  places: Place[]
  /** the booking's manage token, when known; a new one is made (and its hash kept) otherwise */
  manageToken: string | null
  startsAt: string
  endsAt: string
}

/** A manage link for a booking in a later email: a token of its own, whose hash is kept. */
export async function newManageToken(trx: Transaction<Database>, bookingId: number): Promise<string> {
  const token = newSecretToken()
  await trx
    .insertInto('booking_manage_token')
    .values({ token_hash: hashToken(token), booking_id: bookingId, created_at: new Date().toISOString() })
    .execute()
  return token
}

/**
 * Writes the one email of a series booking (or its confirmation) to the outbox, in the caller's
 * transaction: every date's outcome, joining links only for confirmed places, and one invite of
 * every confirmed date, each event under its booking's UID and SEQUENCE.
 */
export async function queueSeriesBookedEmail(
  trx: Transaction<Database>,
  kind: SeriesBookedKind,
  input: {
    to: string | null
    contactName: string | null
    dates: SeriesEmailDateInput[]
    links: Links
    organisation: Awaited<ReturnType<typeof emailOrganisation>>
    confirmUrl?: string | null
    holdExpiresAt?: string | null
    dedupeKey: string
    /** a public form caused it: counted against the per-address limit */
    limited: boolean
  },
): Promise<boolean> {
  if (!input.to) return false
  const { links } = input
  const dates: SeriesEmailDate[] = []
  const events: InviteEvent[] = []
  for (const date of input.dates) {
    const token =
      date.booking && (date.manageToken ?? (kind !== 'series-held' ? await newManageToken(trx, date.booking.id) : null))
    const pageUrl = date.booking ? manageUrl(links, date.booking.reference, token ?? undefined) : null
    const confirmed =
      date.places.some((p) => p.status === 'confirmed') &&
      (kind === 'series-booked' || kind === 'series-places-offered')
    const live = confirmed && date.activity?.status === 'published'
    dates.push({
      startsAt: date.startsAt,
      endsAt: date.endsAt,
      outcomes: outcomeSentences(date.places, date.plan, kind === 'series-awaiting-approval' ? 'approval' : 'address'),
      joinUrl: live ? (date.activity!.join_url ?? null) : null,
      manageUrl: pageUrl,
    })
    if (live && date.booking && date.activity) {
      events.push({
        activity: date.activity,
        uid: `booking-${date.booking.reference}@${links.domain}`,
        sequence: date.booking.invite_sequence,
        joinUrl: date.activity.join_url,
        pageUrl: pageUrl!,
        organiser: { name: input.organisation.organisationName, email: input.organisation.contactEmail },
      })
    }
  }
  const first = input.dates.find((d) => d.activity)!.activity!
  const content = seriesBookedEmail(kind, {
    contactName: input.contactName ?? '',
    title: first.title,
    where: first.location_type === 'online' ? 'online on Microsoft Teams' : (first.venue ?? ''),
    description: first.description,
    whatToBring: first.what_to_bring,
    dates,
    confirmUrl: input.confirmUrl ?? null,
    holdExpiresAt: input.holdExpiresAt ?? null,
    bookingsUrl: `${links.baseUrl}/family/bookings`,
    organisation: input.organisation,
  })
  const firstBooking = input.dates.find((d) => d.booking)!.booking!
  return enqueueEmail(
    trx,
    {
      kind,
      to: input.to,
      subject: content.subject,
      text: content.text,
      html: content.html,
      ics: events.length ? { content: inviteCalendarForMany(events, 'REQUEST'), method: 'REQUEST' } : undefined,
      bookingId: firstBooking.id,
      activityId: firstBooking.activity_id,
      dedupeKey: input.dedupeKey,
    },
    { domain: links.domain, limit: input.limited ? SERIES_FORM_EMAILS : undefined },
  )
}

/** The series emails a public form causes count with the single booking emails of that address. */
const SERIES_FORM_EMAILS = {
  ...BOOKING_FORM_EMAILS,
  kinds: [...BOOKING_FORM_EMAILS.kinds, 'series-booked', 'series-held', 'series-awaiting-approval'],
}

/** The places of these bookings that are not cancelled, in the order they were made. */
export function livePlacesOf(trx: Transaction<Database>, bookingIds: number[]): Promise<Place[]> {
  return trx
    .selectFrom('place')
    .selectAll()
    .where('booking_id', 'in', bookingIds)
    .where('status', '<>', 'cancelled')
    .orderBy('id')
    .execute()
}

/**
 * The one email once a held series booking's address is confirmed (family-confirmation.server.ts):
 * every date's places as they now stand, the joining links and one invite of the confirmed dates,
 * or, for a new family waiting for approval, that it waits.
 */
export async function queueSeriesConfirmation(
  trx: Transaction<Database>,
  bookingIds: number[],
  links: Links,
): Promise<boolean> {
  const bookings = await trx.selectFrom('booking').selectAll().where('id', 'in', bookingIds).execute()
  const places = await livePlacesOf(trx, bookingIds)
  const activities = await trx
    .selectFrom('activity')
    .selectAll()
    .where(
      'id',
      'in',
      bookings.map((b) => b.activity_id),
    )
    .orderBy('starts_at')
    .execute()
  const dates = activities.flatMap((activity) => {
    const booking = bookings.find((b) => b.activity_id === activity.id)!
    const own = places.filter((p) => p.booking_id === booking.id)
    if (own.length === 0) return []
    return [
      {
        activity,
        plan: null,
        booking,
        places: own,
        manageToken: null,
        startsAt: activity.starts_at,
        endsAt: activity.ends_at,
      },
    ]
  })
  if (dates.length === 0) return false
  const awaiting = bookings.some((b) => b.hold_reason === 'approval')
  const kind: SeriesBookedKind = awaiting ? 'series-awaiting-approval' : 'series-booked'
  return queueSeriesBookedEmail(trx, kind, {
    to: bookings[0]!.email,
    contactName: bookings[0]!.contact_name,
    dates,
    links,
    organisation: await emailOrganisation(trx as unknown as DB, links),
    dedupeKey: `${kind}:confirmed:booking:${Math.min(...bookingIds)}`,
    limited: false,
  })
}

// ---- the series page's steps: choose dates and children, check per date, book ----

const RATE_WINDOW_MS = 10 * 60_000

/** What the series page shows before anything is posted; null when the series has nothing public to come. */
export async function seriesBookingPage(db: DB, seriesId: number | null, familyId: number | null, now = new Date()) {
  const overview = await seriesOverview(db, seriesId, now)
  if (!overview) return null
  const [authorities, maxChildren, eligibilityStatement, terms, controllerName, children] = await Promise.all([
    listAuthorities(db),
    getNumberSetting(db, 'max_children_per_booking'),
    getSetting(db, 'eligibility_statement'),
    getSetting(db, 'booking_terms'),
    getSetting(db, 'controller_name'),
    familyId
      ? db
          .selectFrom('child')
          .select(['id', 'first_name', 'date_of_birth'])
          .where('family_id', '=', familyId)
          .orderBy('date_of_birth')
          .orderBy('id')
          .execute()
      : Promise.resolve(null),
  ])
  return {
    overview,
    openIds: overview.sessions.filter((s) => s.window === 'open').map((s) => s.id),
    authorities,
    authorityGroups: authorityGroups(authorities),
    maxChildren,
    eligibilityStatement,
    terms,
    controllerName,
    children: children?.map((c) => ({ id: c.id, firstName: c.first_name, dateOfBirth: c.date_of_birth })) ?? null,
  }
}

export type SeriesRequestOutcome =
  | { status: 'not-found' }
  | { status: 'too-many-requests' }
  /** the form again: a child added or removed, "Change", or errors beside the fields */
  | {
      status: 'form'
      values: Record<string, string>
      childCount: number
      errors: Record<string, string>
      focus?: string
      /** the dates and children ticked, to tick again */
      activityIds: number[]
      childIds: number[]
    }
  | {
      status: 'check'
      plans: DatePlan[]
      live: 'confirmed' | 'held'
      heldFor: 'address' | 'approval' | null
      /** an address hold that the team's approval follows */
      thenApproval: boolean
      values: Record<string, string>
      activityIds: number[]
      childIds: number[]
      idempotencyKey: string
      authorityName: string
    }
  | { status: 'booked'; heldFor: 'address' | 'approval' | null }
  | { status: 'already-submitted' }
  | { status: 'nothing-to-book'; plans: DatePlan[] }

/**
 * Decides a post to the series page. `familyId` is the signed-in family (its children ticked);
 * without one the booking form's details are typed, and the places are held until the address is
 * confirmed, as book() holds a single booking's.
 */
export async function requestSeriesBooking(
  db: DB,
  request: { seriesId: number | null; familyId: number | null; values: Record<string, string[]>; ip: string },
  options: { links: Links; rateLimit: number; afterBooking?: () => void; now?: Date },
): Promise<SeriesRequestOutcome> {
  const now = options.now ?? new Date()
  const page = await seriesBookingPage(db, request.seriesId, request.familyId, now)
  if (!page) return { status: 'not-found' }
  if (!(await allow(db, `booking-post:${request.ip}`, options.rateLimit * 10, RATE_WINDOW_MS))) {
    return { status: 'too-many-requests' }
  }
  const post = parseSeriesPost(request.values)
  // the single values, for the form and the check page's hidden fields (repeating ones apart)
  const values: Record<string, string> = {}
  for (const [key, list] of Object.entries(request.values)) {
    if (!['activityId', 'childId', 'intent'].includes(key) && list[0] !== undefined) values[key] = list[0]
  }
  const family = request.familyId !== null && post.mode === 'family'
  const childCount = childCountOf(values, page.maxChildren)
  const formAgain = (errors: Record<string, string> = {}, focus?: string, next = values) =>
    ({
      status: 'form',
      values: next,
      childCount: childCountOf(next, page.maxChildren),
      errors,
      focus,
      activityIds: post.activityId,
      childIds: post.childId,
    }) as const

  if (values[HONEYPOT_FIELD]) return formAgain({ contactName: 'Sorry, we could not take this booking' })
  if (!family) {
    if (post.intent === 'add-child') {
      const next = Math.min(page.maxChildren, childCount + 1)
      return formAgain({}, childField(next - 1, 'firstName'), { ...values, childCount: String(next) })
    }
    const remove = /^remove-child-(\d+)$/.exec(post.intent)
    if (remove) return formAgain({}, undefined, withoutChild(values, Number(remove[1]), childCount))
  }
  const changing = /^change(?::([\w-]{1,40}))?$/.exec(post.intent)
  if (changing) return formAgain({}, changing[1])

  const dates = chosenDates(
    post,
    page.openIds,
    page.overview.sessions.map((s) => s.id),
  )
  const errors: Record<string, string> = {}
  if (dates.error) errors.dates = dates.error
  let party: SeriesParty
  let authorityName = ''
  if (family) {
    const childIds = [...new Set(post.childId)]
    if (childIds.length === 0) errors.childId = 'Select who is coming'
    else if (childIds.length > page.maxChildren)
      errors.childId = `You can book up to ${page.maxChildren} children at once`
    party = { kind: 'family', familyId: request.familyId!, childIds }
  } else {
    // Ages are checked date by date on the check page, so the form takes any child's age here.
    const last = page.overview.sessions.at(-1)!
    const parsed = parseBookingForm(values, {
      activity: { starts_at: last.starts_at, min_age: 0, max_age: 200 },
      authorityCodes: new Set(page.authorities.map((a) => a.code)),
      maxChildren: page.maxChildren,
    })
    if (!parsed.ok) Object.assign(errors, parsed.errors)
    else authorityName = page.authorities.find((a) => a.code === parsed.value.authorityCode)?.name ?? ''
    party = { kind: 'form', form: parsed.ok ? parsed.value : (null as never) }
  }
  if (Object.keys(errors).length) return formAgain(errors)

  const idempotencyKey = post.idempotencyKey ?? crypto.randomUUID()
  if (post.intent !== 'confirm' || !post.idempotencyKey) {
    const planned = await planSeries(db, page.overview, dates.ids, party)
    if ('status' in planned) return { status: 'not-found' }
    return {
      status: 'check',
      plans: planned.plans,
      live: planned.live,
      heldFor: planned.heldFor,
      thenApproval: planned.thenApproval,
      values,
      activityIds: dates.ids,
      childIds: party.kind === 'family' ? party.childIds : [],
      idempotencyKey,
      authorityName,
    }
  }
  if (!(await allow(db, `booking-confirm:${request.ip}`, options.rateLimit, RATE_WINDOW_MS))) {
    return { status: 'too-many-requests' }
  }
  const result = await bookSeries(
    db,
    { seriesId: page.overview.seriesId, activityIds: dates.ids, party, idempotencyKey },
    options.links,
    { maxChildren: page.maxChildren, now },
  )
  options.afterBooking?.()
  switch (result.status) {
    case 'booked':
      return { status: 'booked', heldFor: result.heldFor }
    case 'already-submitted':
    case 'not-found':
    case 'nothing-to-book':
      return result
    case 'too-many-children':
      return formAgain({ childId: `You can book up to ${result.max} children at once` })
    case 'unknown-authority':
      return formAgain(
        family
          ? { childId: 'Add your council area to your family details before booking' }
          : { authority: 'Select a council area from the list' },
      )
  }
}
