// The production server: `npm start` runs its compiled form (build/node/main.js) through
// scripts/run.js, which builds first when there is no build. Migrates, serves, stops cleanly.
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { readConfig } from '../app/config.server'
import { startService } from './boot'
import { serverBuildFile } from './paths'

export async function main(): Promise<void> {
  // Without NODE_ENV this is `npm install && npm start` on someone's own machine: the production
  // build, with links to localhost and the development key. A deployment sets NODE_ENV=production
  // and must then give PUBLIC_URL and SECRET_KEY.
  const localTrial = process.env.NODE_ENV === undefined
  process.env.NODE_ENV ??= 'production'
  const config = readConfig(process.env, { localTrial })
  if (localTrial && (!process.env.PUBLIC_URL || !process.env.SECRET_KEY)) {
    console.warn(
      `NODE_ENV is not set, so this is a trial on this machine: links point to ${config.publicUrl}` +
        (process.env.SECRET_KEY ? '' : ' and two-factor secrets are sealed with the development key') +
        '. For a real service set NODE_ENV=production, PUBLIC_URL and SECRET_KEY.',
    )
  }
  const build = (await import(pathToFileURL(serverBuildFile).href)) as ServerBuild
  const service = await startService(config, build)
  console.log(`Join In is running at ${service.url} (database ${service.database.label})`)

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
