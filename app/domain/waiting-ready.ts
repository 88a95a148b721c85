// Which waiting places can be given a freed space now (or offered one): the one test, shared by
// the waiting list's promotion and the offers made near the start.

/**
 * A waiting place is held back while its booking is on hold (the address not yet confirmed, or
 * a new family's first booking waiting for approval), or while the child is outside the session's
 * ages: the session's day or ages changed after they joined the list. A family that keeps its
 * children together waits as a whole while any of them is held back.
 */
export function heldBack(
  place: { holdReason: string | null; ageOnDay: number },
  activity: { min_age: number; max_age: number },
): boolean {
  return place.holdReason !== null || place.ageOnDay < activity.min_age || place.ageOnDay > activity.max_age
}
