// What a refused sign-in tells the person: how long the wait really is (never "a few minutes"
// when it is seconds, or seconds when it is a quarter of an hour), in words and in Retry-After.

/** Whole seconds until the wait ends, at least 1 (the value of a Retry-After header). */
export function secondsToWait(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))
}

function inWords(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 60) return minutes === 1 ? '1 minute' : `${minutes} minutes`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  const hourWords = hours === 1 ? '1 hour' : `${hours} hours`
  return rest ? `${hourWords} ${rest === 1 ? '1 minute' : `${rest} minutes`}` : hourWords
}

/** The error message for a refused sign-in, with the true wait. */
export function tooManyAttemptsMessage(until: Date, now: Date): string {
  return `Too many attempts to sign in. Wait ${inWords(secondsToWait(until, now))}, then try again. Each try before then makes the wait longer.`
}
