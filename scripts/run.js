// `npm start`, `npm run backup`, `npm run migrate`, `npm run db:copy`: runs a compiled entry of
// build/node with plain Node (no TypeScript tools at run time), building once first when there is
// no build yet, so `npm install && npm start` works on a fresh clone. A production install runs
// `npm ci && npm run build && npm prune --omit=dev`, after which no build step is possible here.
import { execSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const root = path.resolve(import.meta.dirname, '..')
const [entry = 'main'] = process.argv.splice(2, 1)
const entryFile = path.join(root, 'build/node', `${entry}.js`)
const needed = [path.join(root, 'build/server/index.js'), entryFile]

if (needed.some((file) => !fs.existsSync(file))) {
  if (!fs.existsSync(path.join(root, 'node_modules/@react-router/dev'))) {
    console.error('There is no build, and the build tools are not installed. Run `npm ci && npm run build` first.')
    process.exit(1)
  }
  console.log('No build found: building once (npm run build)…')
  execSync('npm run build', { cwd: root, stdio: 'inherit' })
}

// stack traces point at the TypeScript source (build/node has source maps)
process.setSourceMapsEnabled(true)
try {
  const module = await import(pathToFileURL(entryFile).href)
  await module.main()
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exitCode = 1
}
