// Helper for `npm run bench`: runs the real service (production build, startService) in its own
// process, so the load generator in scripts/bench.ts does not share the server's event loop.
// Started by bench.ts with child_process.fork; the environment carries the config (readConfig),
// the URL goes back over IPC, and a 'close' message shuts the service down cleanly.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { readConfig } from '../app/config.server'
import { startService } from '../server/boot'

const root = path.resolve(import.meta.dirname, '..')
const buildFile = path.join(root, 'build/server/index.js')

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench-server.ts is started by scripts/bench.ts (it needs an IPC channel)')
  const config = readConfig(process.env)
  const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild
  const service = await startService(config, build, { log: () => {} })
  let closing = false
  process.on('message', (message) => {
    if (message !== 'close' || closing) return
    closing = true
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  })
  // If the bench dies without saying goodbye, do not linger.
  process.on('disconnect', () => {
    if (!closing) process.exit(0)
  })
  process.send({ url: service.url, database: service.database.label })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
