// Waiting for something another process or a worker does (an email arriving, a row changing):
// checks again every few milliseconds until it holds, rather than sleeping a guessed time.
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== null && value !== false) return value
    if (Date.now() - started > timeoutMs) throw new Error(`gave up waiting after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
