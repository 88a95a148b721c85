// Whether a session takes bookings now: the one rule used by the page and by the booking itself.
export type BookingWindowState = 'open' | 'not-yet-open' | 'closed' | 'cancelled' | 'not-published'

export function bookingWindowState(
  activity: { status: string; booking_opens_at: string | null; booking_closes_at: string },
  now = new Date(),
): BookingWindowState {
  if (activity.status === 'cancelled') return 'cancelled'
  if (activity.status !== 'published') return 'not-published'
  if (activity.booking_opens_at && now.getTime() < new Date(activity.booking_opens_at).getTime()) return 'not-yet-open'
  if (now.getTime() >= new Date(activity.booking_closes_at).getTime()) return 'closed'
  return 'open'
}
