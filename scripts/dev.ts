// `npm run dev`: the Vite dev server inside our Express app, with the same database set-up.
import type { ServerBuild } from 'react-router'
import { createServer } from 'vite'
import { readConfig } from '../app/config.server'
import { startService } from '../server/boot'

process.env.NODE_ENV ??= 'development'
const vite = await createServer({ server: { middlewareMode: true } })
const config = readConfig()
const service = await startService(
  config,
  () => vite.ssrLoadModule('virtual:react-router/server-build') as Promise<ServerBuild>,
  { viteMiddleware: vite.middlewares },
)
console.log(`Join In (development) is running at ${service.url}`)
