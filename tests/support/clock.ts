// A clock a test moves by hand: the code under test reads it instead of the wall clock, so a
// test jumps past a back-off or a retention period rather than sleeping or waiting for years.
// It keeps ticking with the wall clock between jumps, so rows the app stamps with the real time
// (an email queued by a booking) stay in order with what the moved clock says.
export interface TestClock {
  now(): Date
  /** moves the clock on by this many milliseconds */
  advance(ms: number): void
  /** puts the clock at this instant (it ticks on from there) */
  set(at: Date | string): void
}

export function testClock(start: Date | string = new Date()): TestClock {
  let offset = new Date(start).getTime() - Date.now()
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => void (offset += ms),
    set: (at) => void (offset = new Date(at).getTime() - Date.now()),
  }
}
