// Where the project's folders are, found the same way from the source (server/) and from the
// compiled server (build/node/): the nearest folder above with a package.json.
import fs from 'node:fs'
import path from 'node:path'

function findProjectRoot(from: string): string {
  let dir = from
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error(`No package.json above ${from}`)
    dir = parent
  }
  return dir
}

export const projectRoot = findProjectRoot(import.meta.dirname)
/** the React Router server build that `npm run build` writes */
export const serverBuildFile = path.join(projectRoot, 'build/server/index.js')
