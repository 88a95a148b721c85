// `npm start`: production. Builds first when there is no build, migrates, serves.
import { execSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { readConfig } from '../app/config.server'
import { startService } from '../server/boot'

process.env.NODE_ENV ??= 'production'
const root = path.resolve(import.meta.dirname, '..')
const buildFile = path.join(root, 'build/server/index.js')

if (!fs.existsSync(buildFile)) {
  console.log('No build found: building once (npm run build)…')
  execSync('npm run build', { cwd: root, stdio: 'inherit' })
}

const config = readConfig()
const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild
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
