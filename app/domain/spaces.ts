// Spaces left on a session: the one definition used on every page and in the capacity check.
export function spacesLeft(capacity: number, confirmedPlaces: number): number {
  return Math.max(0, capacity - confirmedPlaces)
}
