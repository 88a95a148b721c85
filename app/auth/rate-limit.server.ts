// A fixed-window limit per key (usually an IP address) for public forms, kept in memory: one
// process serves the site, and a restart forgetting the counts is harmless for this purpose.
const windows = new Map<string, { startedAt: number; count: number }>()
let lastSweep = Date.now()

export function allow(key: string, limit: number, windowMs: number, now = Date.now()): boolean {
  if (now - lastSweep > windowMs) {
    for (const [k, w] of windows) if (now - w.startedAt > windowMs) windows.delete(k)
    lastSweep = now
  }
  const current = windows.get(key)
  if (!current || now - current.startedAt > windowMs) {
    windows.set(key, { startedAt: now, count: 1 })
    return true
  }
  current.count += 1
  return current.count <= limit
}
