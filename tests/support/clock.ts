// A clock a test moves by hand: the code under test reads it instead of the wall clock, so a
// test advances time past a back-off or a retention period rather than sleeping or waiting years.
export interface TestClock {
  now(): Date
  /** moves the clock on by this many milliseconds */
  advance(ms: number): void
  set(at: Date | string): void
}

export function testClock(start: Date | string = new Date()): TestClock {
  let at = new Date(start).getTime()
  return {
    now: () => new Date(at),
    advance: (ms) => void (at += ms),
    set: (to) => void (at = new Date(to).getTime()),
  }
}
