// "Can't come? Release your place": the link in every reminder. One secret token per reminder
// email, kept as its hash, opening the booking's release page with no sign-in. Looking changes
// nothing (a mail scanner following the link releases nothing); the page's one button cancels the
// chosen places through the family's own cancelling rules (cancellations.server.ts), so the space
// goes to the waiting list at once (or, near the start, is offered to it: offers.server.ts).
// A booking with several children lists them, all ticked: a parent releases one child or all.
import type { Transaction } from 'kysely'
import type { DB } from '../../db/index'
import type { Database } from '../../db/schema'
import { hashToken, newSecretToken, tokenMatchesHash } from '../auth/tokens.server'
import { cancelPlacesOf, type CancellableBooking } from './cancellations.server'
import type { Links } from './links'

type Tx = Transaction<Database>

/** A release page's address for this token. */
export function releaseUrl(links: Links, token: string): string {
  return `${links.baseUrl}/release/${token}`
}

/** A new release token for a booking: the link to put in an email, and a function that keeps its hash once it is queued. */
export function newReleaseLink(links: Links): { url: string; keep: (trx: Tx, bookingId: number) => Promise<void> } {
  const token = newSecretToken()
  return {
    url: releaseUrl(links, token),
    keep: async (trx, bookingId) => {
      await trx
        .insertInto('place_release_token')
        .values({ token_hash: hashToken(token), booking_id: bookingId, created_at: new Date().toISOString() })
        .execute()
    },
  }
}

/** What the release page shows. Names only: never the joining link, never a date of birth. */
export type ReleasePage =
  | { status: 'not-found' }
  | {
      status: 'releasable'
      title: string
      startsAt: string
      endsAt: string
      /** the places still live on the booking, in booking order */
      places: Array<{ id: number; name: string; waiting: boolean }>
    }
  | { status: 'already-released'; title: string; startsAt: string; endsAt: string }
  | { status: 'started'; title: string; startsAt: string; endsAt: string }
  | { status: 'session-cancelled'; title: string; startsAt: string; endsAt: string }

async function bookingOfToken(db: DB, token: string): Promise<CancellableBooking | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null
  const row = await db
    .selectFrom('place_release_token')
    .select(['token_hash', 'booking_id'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!row || !tokenMatchesHash(token, row.token_hash)) return null
  const booking = await db
    .selectFrom('booking')
    .select(['id', 'email', 'activity_id'])
    .where('id', '=', row.booking_id)
    .executeTakeFirst()
  if (!booking) return null
  const [activity, places] = await Promise.all([
    db.selectFrom('activity').selectAll().where('id', '=', booking.activity_id).executeTakeFirstOrThrow(),
    db
      .selectFrom('place')
      .select(['id', 'first_name', 'status'])
      .where('booking_id', '=', booking.id)
      .orderBy('id')
      .execute(),
  ])
  return { booking, activity, places }
}

function live(managed: CancellableBooking) {
  return managed.activity.status === 'cancelled' ? [] : managed.places.filter((p) => p.status !== 'cancelled')
}

/** The release page for a token. Changes nothing. */
export async function releasePage(db: DB, token: string, now: Date): Promise<ReleasePage> {
  const managed = await bookingOfToken(db, token)
  if (!managed) return { status: 'not-found' }
  const when = { title: managed.activity.title, startsAt: managed.activity.starts_at, endsAt: managed.activity.ends_at }
  if (managed.activity.status === 'cancelled') return { status: 'session-cancelled', ...when }
  const places = live(managed)
  if (places.length === 0) return { status: 'already-released', ...when }
  if (new Date(managed.activity.starts_at).getTime() <= now.getTime()) return { status: 'started', ...when }
  return {
    status: 'releasable',
    ...when,
    places: places.map((p) => ({ id: p.id, name: p.first_name || 'Your child', waiting: p.status === 'waitlisted' })),
  }
}

export type ReleaseResult =
  | { status: 'not-found' }
  | { status: 'released'; whose: string; title: string; startsAt: string; endsAt: string; promoted: number }
  | { status: 'already-released'; title: string; startsAt: string; endsAt: string }
  | { status: 'started'; title: string; startsAt: string; endsAt: string }
  | { status: 'session-cancelled'; title: string; startsAt: string; endsAt: string }

/**
 * Releases the chosen places of the token's booking ('all', or place ids of that booking): they
 * are cancelled and the space goes to the waiting list in the same transaction. A second press
 * (or a stale page) releases nothing and says so.
 */
export async function releasePlaces(
  db: DB,
  token: string,
  which: 'all' | number[],
  links: Links,
  now: Date,
): Promise<ReleaseResult> {
  const managed = await bookingOfToken(db, token)
  if (!managed) return { status: 'not-found' }
  const when = { title: managed.activity.title, startsAt: managed.activity.starts_at, endsAt: managed.activity.ends_at }
  // ids the page did not offer (another booking's, or made up) are not this booking's: nothing to do
  if (which !== 'all' && !which.every((id) => managed.places.some((p) => p.id === id))) return { status: 'not-found' }
  if (managed.activity.status === 'cancelled') return { status: 'session-cancelled', ...when }
  const result = await cancelPlacesOf(db, managed, which, links, now)
  switch (result.status) {
    case 'cancelled':
      return { status: 'released', whose: result.whose, promoted: result.promoted, ...when }
    case 'already-cancelled':
      return { status: 'already-released', ...when }
    case 'too-late':
      return { status: 'started', ...when }
    case 'not-found':
      return { status: 'not-found' }
  }
}
