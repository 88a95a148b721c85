// When a hold for an address not yet confirmed ends. Pure, so the booking code and the hold job share it.

const HOUR = 3_600_000

/**
 * When a new hold runs out: `holdHours` after `now` (elapsed hours, so across the clocks changing
 * it ends an hour later or earlier by the wall clock), but never after booking closes. An ISO
 * instant, as `booking.hold_expires_at` keeps it.
 */
export function holdExpiry(now: Date, bookingClosesAt: string | Date, holdHours: number): string {
  if (!Number.isFinite(holdHours) || holdHours <= 0)
    throw new RangeError(`A hold lasts a positive number of hours, not ${holdHours}`)
  const closes = new Date(bookingClosesAt).getTime()
  if (Number.isNaN(closes)) throw new RangeError(`Not an instant: ${String(bookingClosesAt)}`)
  return new Date(Math.min(now.getTime() + holdHours * HOUR, closes)).toISOString()
}
