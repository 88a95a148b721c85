// A family cancelling one child's place or the whole booking, from their manage link or signed in
// (app/domain/family-bookings.server.ts finds the family's own booking and calls the same rules).
// A freed space goes to the waiting list in the same transaction.
import { lockActivities, transaction, type DB } from '../../db/index'
import type { Activity, Booking, Place } from '../../db/schema'
import { nextInviteSequence, queueBookingEmail } from './booking-emails.server'
import { findManagedBooking, type ManageKey } from './bookings.server'
import type { Links } from './links'
import { promoteFromWaitlist } from './waiting-list.server'

/** What a family's check page and confirmation say: whose places, on which session. */
export interface CancellationSubject {
  /** "Ava's place", "Ava and Ben's places" */
  whose: string
  title: string
  startsAt: string
  endsAt: string
  /** the whole booking, not one child of several */
  wholeBooking: boolean
}

export type CancelResult =
  | ({ status: 'cancelled'; names: string[]; promoted: number; placeIds: number[] } & CancellationSubject)
  | { status: 'not-found' }
  | ({ status: 'already-cancelled' } & CancellationSubject)
  | { status: 'too-late' }

export type CancelCheck =
  | ({ status: 'check'; email: string | null; freesSpace: boolean } & CancellationSubject)
  | Exclude<CancelResult, { status: 'cancelled' }>

/** "Ava's place", "Ava and Ben's places", "Ava, Ben and Cara's places". */
export function whosePlaces(names: Array<string | null>): string {
  const named = names.map((n) => n || 'this child')
  const list = named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : (named[0] ?? '')
  return `${list}'s ${named.length === 1 ? 'place' : 'places'}`
}

/** What cancelling needs of a booking, however it was found (a manage link, or a signed-in family). */
export interface CancellableBooking {
  booking: Pick<Booking, 'id' | 'email'>
  activity: Activity
  places: Array<Pick<Place, 'id' | 'first_name' | 'status'>>
}
type Managed = CancellableBooking

/** A place that takes a space: cancelling it frees one for the waiting list. */
function takesSpace(place: Pick<Place, 'status'>): boolean {
  return place.status === 'confirmed' || place.status === 'held'
}

function subject(managed: Managed, names: Array<string | null>, which: 'all' | number[]): CancellationSubject {
  return {
    whose: whosePlaces(names),
    title: managed.activity.title,
    startsAt: managed.activity.starts_at,
    endsAt: managed.activity.ends_at,
    wholeBooking: which === 'all',
  }
}

/** The places a request names, or not-found when one is not on this booking. */
function chosenPlaces(managed: Managed, which: 'all' | number[]) {
  if (which === 'all') return managed.places
  const chosen = managed.places.filter((p) => which.includes(p.id))
  return chosen.length === which.length && chosen.length > 0 ? chosen : null
}

/**
 * The check page before a family cancels: whose places on which session, or why there is
 * nothing to do (already cancelled, too late). Changes nothing.
 */
export async function checkCancellation(
  db: DB,
  key: ManageKey,
  which: 'all' | number[],
  now = new Date(),
): Promise<CancelCheck> {
  return checkCancellationOf(await findManagedBooking(db, key), which, now)
}

/** The check page's answer for a booking already found (null: not found). Changes nothing. */
export function checkCancellationOf(
  managed: CancellableBooking | null,
  which: 'all' | number[],
  now: Date,
): CancelCheck {
  if (!managed) return { status: 'not-found' }
  const chosen = chosenPlaces(managed, which)
  if (!chosen) return { status: 'not-found' }
  // A session the team cancelled has cancelled every place on it already: nothing to do, no email.
  const live = managed.activity.status === 'cancelled' ? [] : chosen.filter((p) => p.status !== 'cancelled')
  if (live.length === 0)
    return {
      status: 'already-cancelled',
      ...subject(
        managed,
        chosen.map((p) => p.first_name),
        which,
      ),
    }
  if (new Date(managed.activity.starts_at).getTime() <= now.getTime()) return { status: 'too-late' }
  return {
    status: 'check',
    email: managed.booking.email,
    freesSpace: live.some(takesSpace),
    ...subject(
      managed,
      live.map((p) => p.first_name),
      which,
    ),
  }
}

/** A family cancels one child's place or the whole booking from their manage link. */
export async function cancelPlaces(
  db: DB,
  key: ManageKey,
  which: 'all' | number[],
  links: Links,
  now = new Date(),
): Promise<CancelResult> {
  return cancelPlacesOf(db, await findManagedBooking(db, key), which, links, now)
}

/** Cancels places of a booking already found (null: not found); a repeat is answered, not repeated. */
export async function cancelPlacesOf(
  db: DB,
  managed: CancellableBooking | null,
  which: 'all' | number[],
  links: Links,
  now: Date,
): Promise<CancelResult> {
  if (!managed) return { status: 'not-found' }
  const chosen = chosenPlaces(managed, which)
  if (!chosen) return { status: 'not-found' }
  if (managed.activity.status === 'cancelled') {
    return {
      status: 'already-cancelled',
      ...subject(
        managed,
        chosen.map((p) => p.first_name),
        which,
      ),
    }
  }
  if (new Date(managed.activity.starts_at).getTime() <= now.getTime()) return { status: 'too-late' }
  return transaction(db, async (trx) => {
    // Cancelling frees a space the waiting list is promoted into: the session's row lock first.
    await lockActivities(trx, [managed.activity.id])
    let query = trx
      .selectFrom('place')
      .selectAll()
      .where('booking_id', '=', managed.booking.id)
      .where('status', '<>', 'cancelled')
    if (which !== 'all') query = query.where('id', 'in', which.length ? which : [-1])
    const toCancel = await query.execute()
    // A repeated confirm, or a stale page: say so, naming what was asked for.
    if (toCancel.length === 0) {
      return {
        status: 'already-cancelled' as const,
        ...subject(
          managed,
          chosen.map((p) => p.first_name),
          which,
        ),
      }
    }
    const stamp = now.toISOString()
    await trx
      .updateTable('place')
      .set({ status: 'cancelled', updated_at: stamp })
      .where(
        'id',
        'in',
        toCancel.map((p) => p.id),
      )
      .execute()
    let booking = await trx
      .selectFrom('booking')
      .selectAll()
      .where('id', '=', managed.booking.id)
      .executeTakeFirstOrThrow()
    const places = await trx.selectFrom('place').selectAll().where('booking_id', '=', booking.id).execute()
    const stillConfirmed = places.some((p) => p.status === 'confirmed')
    if (!stillConfirmed) booking = await nextInviteSequence(trx, booking)
    await queueBookingEmail(trx, 'cancellation', {
      activity: managed.activity,
      booking,
      places,
      links,
      cancelledNames: toCancel.map((p) => p.first_name ?? ''),
      dedupeKey: `cancelled:places:${toCancel.map((p) => p.id).join('-')}`,
    })
    // a held place counts against capacity too, so cancelling it frees a space
    const freed = toCancel.some(takesSpace)
    const promoted = freed ? await promoteFromWaitlist(trx, managed.activity.id, links, now) : 0
    return {
      status: 'cancelled' as const,
      names: toCancel.map((p) => p.first_name ?? ''),
      promoted,
      placeIds: toCancel.map((p) => p.id),
      ...subject(
        managed,
        toCancel.map((p) => p.first_name),
        which,
      ),
    }
  })
}
