// Links in emails never come from the request: PUBLIC_URL in production (required there), else
// http://localhost:<PORT>. A form posted with a forged Host gets the service's own links.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../../app/config.server'
import { bookingForm, publishActivity } from '../support/booking'
import { waitFor } from '../support/wait'
import { startTestService, type TestService } from '../support/service'
import { freePort } from '../support/smtp'

const root = path.resolve(import.meta.dirname, '../..')

/** A form post exactly as written, with the Host header given (fetch would send its own). */
function postWithHost(baseUrl: string, pathname: string, host: string, form: Record<string, string>): Promise<number> {
  const url = new URL(baseUrl)
  const body = new URLSearchParams(form).toString()
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: pathname,
        headers: { Host: host, Origin: `http://${host}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

async function emailsTo(service: TestService, address: string): Promise<string[]> {
  const rows = await service.database.db
    .selectFrom('outbox')
    .select(['text_body', 'html_body'])
    .where('to_address', '=', address)
    .execute()
  return rows.map((r) => `${r.text_body}\n${r.html_body ?? ''}`)
}

/** Every http(s) link in a body. */
function linksIn(body: string): string[] {
  return [...body.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0])
}

async function postFormsWithForgedHost(service: TestService): Promise<string[]> {
  const activityId = await publishActivity(service)
  expect(
    await postWithHost(service.url, '/mailing-list', 'evil.example', { email: 'list@example.org', firstName: 'Lee' }),
  ).toBe(200)
  const booked = await postWithHost(
    service.url,
    `/activities/${activityId}`,
    'evil.example',
    bookingForm([{ firstName: 'Sam', dob: '2017-05-04' }], {
      email: 'family@example.org',
      intent: 'confirm',
      idempotencyKey: 'forged-host-booking-01',
      whenShort: 'waitlist',
    }),
  )
  expect(booked).toBe(302)
  const bodies = [...(await emailsTo(service, 'list@example.org')), ...(await emailsTo(service, 'family@example.org'))]
  expect(bodies).toHaveLength(2)
  return bodies.flatMap(linksIn).filter((link) => !link.startsWith('https://teams.microsoft.com/'))
}

describe('PUBLIC_URL in production', () => {
  it('is required: the configuration names it when it is missing', () => {
    expect(() => readConfig({ NODE_ENV: 'production', DATABASE_URL: ':memory:' })).toThrow(/PUBLIC_URL/)
    expect(
      readConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://joinin.example.org/', SECRET_KEY: 'k'.repeat(40) })
        .publicUrl,
    ).toBe('https://joinin.example.org')
  })

  it('npm start refuses to start without it, with a message naming PUBLIC_URL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-no-public-url-'))
    try {
      const port = await freePort()
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        DATABASE_URL: path.join(dir, 'join-in.sqlite'),
        PORT: String(port),
        HOST: '127.0.0.1',
        // the other variable production requires, so only PUBLIC_URL is missing
        SECRET_KEY: 'a'.repeat(64),
      }
      const child = spawn(process.execPath, ['scripts/run.js', 'main'], { cwd: root, env })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const timer = setTimeout(() => child.kill('SIGTERM'), 20_000)
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
      clearTimeout(timer)
      expect(output).not.toContain('is running at')
      expect(code, output).not.toBe(0)
      expect(output).toMatch(/PUBLIC_URL/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)

  it('npm start with no NODE_ENV is a local trial: it starts, says so, and links to localhost', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'join-in-trial-'))
    const port = await freePort()
    // what `npm install && npm start` gives on a fresh machine: no NODE_ENV, PUBLIC_URL or SECRET_KEY
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: path.join(dir, 'join-in.sqlite'),
      PORT: String(port),
      HOST: '127.0.0.1',
    }
    const child = spawn(process.execPath, ['scripts/run.js', 'main'], { cwd: root, env })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    try {
      await waitFor(() => output.includes('is running at'), 20_000).catch(() => {
        throw new Error(`the trial did not start:\n${output}`)
      })
      expect(output).toContain(
        `NODE_ENV is not set, so this is a trial on this machine: links point to http://localhost:${port}`,
      )
      expect(output).toContain('development key')
      const health = await fetch(`http://127.0.0.1:${port}/healthz`)
      expect(health.status).toBe(200)
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)

  describe('with PUBLIC_URL set', () => {
    let service: TestService
    beforeAll(async () => {
      service = await startTestService({ PUBLIC_URL: 'https://joinin.example.org', BOOKING_RATE_LIMIT: '1000' })
    })
    afterAll(async () => {
      await service?.close()
    })

    it('puts PUBLIC_URL in every link of a confirmation email, whatever Host the form came with', async () => {
      const links = await postFormsWithForgedHost(service)
      expect(links.length).toBeGreaterThanOrEqual(2)
      for (const link of links) expect(link).toMatch(/^https:\/\/joinin\.example\.org\//)
    })
  })
})

describe('without PUBLIC_URL outside production', () => {
  let service: TestService
  beforeAll(async () => {
    service = await startTestService({ NODE_ENV: 'test', PUBLIC_URL: '', BOOKING_RATE_LIMIT: '1000' })
  })
  afterAll(async () => {
    await service?.close()
  })

  it('links to http://localhost:<PORT>, never to the Host a form came with', async () => {
    const port = new URL(service.url).port
    const links = await postFormsWithForgedHost(service)
    expect(links.length).toBeGreaterThanOrEqual(2)
    for (const link of links) expect(link.startsWith(`http://localhost:${port}/`), link).toBe(true)
  })
})
