// The production server: `npm start` runs its compiled form (build/node/main.js) through
// scripts/run.js, which builds first when there is no build. Migrates, serves, stops cleanly.
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { readConfig } from '../app/config.server'
import { startService } from './boot'
import { serverBuildFile } from './paths'

export async function main(): Promise<void> {
  process.env.NODE_ENV ??= 'production'
  const config = readConfig()
  const build = (await import(pathToFileURL(serverBuildFile).href)) as ServerBuild
  const service = await startService(config, build)
  console.log(`Join In is running at ${service.url} (database ${service.database.file})`)

  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      console.log(`${signal}: finishing requests and closing the database…`)
      service.close().then(
        () => process.exit(0),
        () => process.exit(1),
      )
    })
  }
}
