// Run as a separate process by tests/integration/instances.test.ts: one app instance (the real
// production build through server/boot.ts) on a database that other instances share. Two such
// processes are how a test shows races between instances on SQLite too, where two connections in
// one process would wait on each other synchronously. It prints "ready", then takes one command a
// line on stdin and answers each with one line of JSON:
//
//   boot  → starts the service (migrate, seed, first admin, listen, jobs' first run):
//           {"event":"booted","url":…,"log":[…]} or {"event":"failed","message":…}
//   jobs  → runs the scheduled jobs once more: {"event":"ran","log":[…]} (the lines since the last answer)
//   stop  → closes the service and exits
//
// The jobs' clock starts at INSTANCE_CLOCK_START when it is set (the same instant in every process).
import path from 'node:path'
import readline from 'node:readline'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { readConfig } from '../../app/config.server'
import { startService, type RunningService } from '../../server/boot'
import { testClock } from './clock'

const buildFile = path.resolve(import.meta.dirname, '../../build/server/index.js')

let lines: string[] = []
const take = () => {
  const taken = lines
  lines = []
  return taken
}
const answer = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`)

async function main(): Promise<void> {
  const config = readConfig(process.env)
  const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild
  const clock = process.env.INSTANCE_CLOCK_START ? testClock(process.env.INSTANCE_CLOCK_START) : null
  let service: RunningService | null = null
  process.stdout.write('ready\n')
  for await (const command of readline.createInterface({ input: process.stdin })) {
    if (command === 'boot') {
      try {
        service = await startService(config, build, {
          log: (line) => void lines.push(line),
          ...(clock ? { now: clock.now } : {}),
        })
        // the jobs' first run, started as the server listens, is part of booting
        await service.jobs.runOnce()
        answer({ event: 'booted', url: service.url, log: take() })
      } catch (error) {
        answer({ event: 'failed', message: error instanceof Error ? error.message : String(error), log: take() })
      }
    } else if (command === 'jobs') {
      await service!.jobs.runOnce()
      answer({ event: 'ran', log: take() })
    } else if (command === 'stop') {
      await service?.close()
      break
    }
  }
}

await main()
