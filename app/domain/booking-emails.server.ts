// Telling families about their booking: each email written to the outbox inside the caller's
// transaction, with the calendar invite that keeps their calendar in step (one UID per booking,
// SEQUENCE raised on every update).
import type { Transaction } from 'kysely'
import type { DB } from '../../db/index'
import type { Activity, Booking, Database, Place } from '../../db/schema'
import { hashToken, newSecretToken } from '../auth/tokens.server'
import { inviteCalendar } from '../calendar/ics.server'
import { enqueueEmail } from '../email/outbox.server'
import { bookingEmail, type BookingEmailKind, type EmailOrganisation } from '../email/templates.server'
import { manageUrl, type Links } from './links'
import { BOOKING_FORM_EMAILS } from './recipient-limits'
import { emailOrganisation } from './settings.server'

type Tx = Transaction<Database>

/** What a booking email is made from: the parts of the booking, its places and session it reads. */
export interface BookingEmailInput {
  activity: Activity
  booking: Pick<Booking, 'reference' | 'contact_name' | 'member_id' | 'invite_sequence'> &
    Partial<Pick<Booking, 'hold_expires_at'>>
  places: Array<Pick<Place, 'status' | 'first_name'>>
  links: Links
  /** the token for the email's manage link: the booking's own right after booking; queueBookingEmail makes one for a later email */
  manageToken?: string
  reason?: string | null
  cancelledNames?: string[]
  /** the footer's organisation and contact details (emailOrganisation) */
  organisation: EmailOrganisation
  /** 'held': the link that confirms the family's address (and with it the held places) */
  confirmUrl?: string
  /** 'held': the team approves a new family's first booking, so approval may follow the address */
  approvalFollows?: boolean
  /** reminders: the "Release your place" page (place-release.server.ts) */
  releaseUrl?: string
}

/** An invite's ORGANIZER: the team's name and contact email address, as saved in the settings. */
export interface InviteOrganiser {
  name: string
  email: string
}

function organiserOf(organisation: EmailOrganisation): InviteOrganiser {
  return { name: organisation.organisationName, email: organisation.contactEmail }
}

/** The organiser every invite names (RFC 5546 asks it of REQUEST and CANCEL), read from the settings. */
export async function inviteOrganiser(db: DB, links: Links): Promise<InviteOrganiser> {
  return organiserOf(await emailOrganisation(db, links))
}

export interface BookingEmailContext extends Omit<BookingEmailInput, 'organisation'> {
  /** read from the settings in the transaction when not given */
  organisation?: EmailOrganisation
  booking: Booking
  places: Place[]
  dedupeKey: string
  /**
   * The address became a family in this same transaction: no earlier email from the public form
   * can be counted against it (erasure deletes a family's emails with it), so the per-address
   * limit is not read. Its next email is counted as usual.
   */
  newAddress?: boolean
}

/** A booking email rendered and ready for the outbox: words, and the calendar invite if it carries one. */
export interface RenderedBookingEmail {
  subject: string
  text: string
  html: string
  ics?: { content: string; method: 'REQUEST' | 'CANCEL' }
}

/** The invite for a confirmed place: UID per booking, so each update replaces the last. */
export function confirmationInvite(
  activity: Activity,
  reference: string,
  sequence: number,
  links: Links,
  manageToken?: string,
  cancelled = false,
  organiser?: InviteOrganiser,
): string {
  return inviteCalendar(activity, {
    uid: `booking-${reference}@${links.domain}`,
    sequence,
    joinUrl: cancelled ? null : activity.join_url,
    pageUrl: manageUrl(links, reference, manageToken),
    cancelled,
    organiser,
  })
}

/** One email about a booking, with the right calendar invite. Reads nothing, writes nothing. */
export function renderBookingEmail(kind: BookingEmailKind, input: BookingEmailInput): RenderedBookingEmail {
  const { activity, booking, links } = input
  const confirmed = input.places.filter((p) => p.status === 'confirmed')
  const inviteCancelled = kind === 'activity-cancelled' || (kind === 'cancellation' && confirmed.length === 0)
  const withInvite = inviteCancelled || (confirmed.length > 0 && kind !== 'cancellation')
  const content = bookingEmail(kind, {
    contactName: booking.contact_name ?? '',
    reference: booking.reference,
    activity,
    confirmedNames: confirmed.map((p) => p.first_name ?? ''),
    waitlistedNames: input.places.filter((p) => p.status === 'waitlisted').map((p) => p.first_name ?? ''),
    cancelledNames: input.cancelledNames ?? [],
    joinUrl: confirmed.length > 0 && !inviteCancelled ? activity.join_url : null,
    manageUrl: manageUrl(links, booking.reference, input.manageToken),
    activityUrl: `${links.baseUrl}/activities/${activity.id}`,
    reason: input.reason ?? null,
    selfBooked: booking.member_id !== null,
    organisation: input.organisation,
    confirmUrl: input.confirmUrl ?? null,
    approvalFollows: input.approvalFollows ?? false,
    heldNames: input.places.filter((p) => p.status === 'held').map((p) => p.first_name ?? ''),
    holdExpiresAt: booking.hold_expires_at ?? null,
    releaseUrl: input.releaseUrl ?? null,
  })
  if (!withInvite) return content
  return {
    ...content,
    ics: {
      content: confirmationInvite(
        activity,
        booking.reference,
        booking.invite_sequence,
        links,
        input.manageToken,
        inviteCancelled,
        organiserOf(input.organisation),
      ),
      method: inviteCancelled ? 'CANCEL' : 'REQUEST',
    },
  }
}

/**
 * Writes one email about a booking to the outbox, inside the caller's transaction. `rendered` is
 * the same email made earlier, outside the write lock, from exactly this context.
 */
export async function queueBookingEmail(
  trx: Tx,
  kind: BookingEmailKind,
  ctx: BookingEmailContext,
  rendered?: RenderedBookingEmail,
): Promise<boolean> {
  const { activity, booking, links } = ctx
  if (!booking.email) return false
  // Only the confirmation's token is known here; any later email gets a manage link of its own,
  // whose hash is kept once the email is queued (a refused duplicate leaves no stray token).
  const newToken = rendered || ctx.manageToken ? null : newSecretToken()
  const email =
    rendered ??
    renderBookingEmail(kind, {
      ...ctx,
      ...(newToken ? { manageToken: newToken } : {}),
      organisation: ctx.organisation ?? (await emailOrganisation(trx, links)),
    })
  const queued = await enqueueEmail(
    trx,
    {
      kind,
      to: booking.email,
      subject: email.subject,
      text: email.text,
      html: email.html,
      ics: email.ics,
      bookingId: booking.id,
      activityId: activity.id,
      dedupeKey: ctx.dedupeKey,
    },
    // what the public booking form sends is limited per address; what staff cause is not
    {
      domain: links.domain,
      limit: BOOKING_FORM_EMAILS.kinds.includes(kind) && !ctx.newAddress ? BOOKING_FORM_EMAILS : undefined,
    },
  )
  if (queued && newToken) {
    await trx
      .insertInto('booking_manage_token')
      .values({ token_hash: hashToken(newToken), booking_id: booking.id, created_at: new Date().toISOString() })
      .execute()
  }
  return queued
}

/** Raises a booking's invite SEQUENCE before an update is sent, so calendars take the new one. */
export async function nextInviteSequence(trx: Tx, booking: Booking): Promise<Booking> {
  return trx
    .updateTable('booking')
    .set({ invite_sequence: booking.invite_sequence + 1, updated_at: new Date().toISOString() })
    .where('id', '=', booking.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/**
 * The "a space came up" email to one family whose waiting places were just confirmed (by the
 * waiting list's promotion or by claiming an offer): about the booking of its earliest promoted
 * place, its invite SEQUENCE raised, naming every child it now has across the promoted bookings.
 */
export async function queuePlacesFromWaitingList(
  trx: Tx,
  activity: Activity,
  promoted: ReadonlyArray<{ id: number; bookingId: number }>,
  links: Links,
): Promise<void> {
  const bookingIds = [...new Set(promoted.map((p) => p.bookingId))]
  let booking = await trx
    .selectFrom('booking')
    .selectAll()
    .where('id', '=', promoted[0]!.bookingId)
    .executeTakeFirstOrThrow()
  booking = await nextInviteSequence(trx, booking)
  const places: Place[] = await trx
    .selectFrom('place')
    .selectAll()
    .where('booking_id', 'in', bookingIds)
    .orderBy('id')
    .execute()
  await queueBookingEmail(trx, 'place-offered', {
    activity,
    booking,
    places,
    links,
    dedupeKey: `offered:places:${promoted.map((p) => p.id).join('-')}`,
  })
}

/** Live bookings on a session, each with its live places: whom to tell about a change. */
export async function liveBookings(trx: Tx, activityId: number): Promise<Array<{ booking: Booking; places: Place[] }>> {
  const places = await trx
    .selectFrom('place')
    .selectAll()
    .where('activity_id', '=', activityId)
    .where('status', '<>', 'cancelled')
    .orderBy('id')
    .execute()
  const ids = [...new Set(places.map((p) => p.booking_id))]
  if (ids.length === 0) return []
  const bookings = await trx.selectFrom('booking').selectAll().where('id', 'in', ids).execute()
  return bookings.map((booking) => ({ booking, places: places.filter((p) => p.booking_id === booking.id) }))
}

/** Staff changed the time or the joining place: everyone booked gets the updated invite. */
export async function notifyActivityChanged(trx: Tx, activityId: number, links: Links): Promise<number> {
  const activity = await trx.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirstOrThrow()
  const live = await liveBookings(trx, activityId)
  const organisation = await emailOrganisation(trx, links)
  for (const { booking, places } of live) {
    const updated = places.some((p) => p.status === 'confirmed') ? await nextInviteSequence(trx, booking) : booking
    await queueBookingEmail(trx, 'activity-changed', {
      activity,
      booking: updated,
      places,
      links,
      organisation,
      dedupeKey: `changed:booking:${booking.id}:activity-sequence:${activity.sequence}`,
    })
  }
  return live.length
}

/** Staff cancelled the session: everyone booked or waiting is told, with a calendar cancellation. */
export async function notifyActivityCancelled(trx: Tx, activityId: number, links: Links): Promise<number> {
  const activity = await trx.selectFrom('activity').selectAll().where('id', '=', activityId).executeTakeFirstOrThrow()
  const live = await liveBookings(trx, activityId)
  const organisation = await emailOrganisation(trx, links)
  for (const { booking, places } of live) {
    const updated = await nextInviteSequence(trx, booking)
    await queueBookingEmail(trx, 'activity-cancelled', {
      activity,
      booking: updated,
      places,
      links,
      organisation,
      reason: activity.cancel_reason,
      dedupeKey: `activity-cancelled:booking:${booking.id}`,
    })
  }
  return live.length
}
