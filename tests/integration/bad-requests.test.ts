// Odd posts over raw HTTP (headers fetch will not send as given, bodies no browser form makes):
// a forged X-Forwarded-Host, a file upload, other body types and CR/LF in every field. Each gets
// a 4xx answer (a plain refusal or the form's own message), never a 500.
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activityForm, startTestService, type TestService } from '../support/service'
import { bookingForm, publishActivity } from '../support/booking'

interface RawResponse {
  status: number
  type: string
  body: string
}

/**
 * One request exactly as written: node:http sends the Host and any header we give. A body goes
 * with its Content-Length, as a browser sends a form, or with none (chunked) when `chunked`.
 */
function raw(
  baseUrl: string,
  method: string,
  pathname: string,
  headers: Record<string, string>,
  body?: string,
  options: { chunked?: boolean } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl)
  const sent =
    body === undefined || options.chunked ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method, path: pathname, headers: sent },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    request.on('error', reject)
    if (body !== undefined) request.write(body)
    request.end()
  })
}

function urlencoded(form: Record<string, string>): string {
  return new URLSearchParams(form).toString()
}

/** The same fields as a multipart body, the first one as an uploaded file. */
function multipart(form: Record<string, string>, boundary: string): string {
  const parts = Object.entries(form).map(([name, value], i) =>
    i === 0
      ? `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\n${value}\r\n`
      : `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  )
  return `${parts.join('')}--${boundary}--\r\n`
}

/** Every field's value with a CR/LF and a forged header after it. */
function withNewlines(form: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, `${v}\r\nBcc: victim@example.org\r\n`]))
}

function routes(activityId: number): Array<[string, Record<string, string>]> {
  return [
    ['/staff/sign-in', { email: 'staff@example.org', password: 'a long password that is wrong' }],
    ['/mailing-list', { firstName: 'Pat', email: 'pat@example.org' }],
    [`/activities/${activityId}`, bookingForm([{ firstName: 'Sam', dob: '2017-05-04' }], { intent: 'check' })],
    [
      '/adoptables/join',
      { firstName: 'Alex', 'dob-day': '1', 'dob-month': '2', 'dob-year': '2012', email: 'alex@example.org' },
    ],
    ['/staff/set-password', { token: 'not-a-token', password: 'a long new password 42' }],
    ['/feedback/not-a-token', { 'score-1': '5' }],
    ['/adoptables/consent', { token: 'not-a-token' }],
    ['/family/sign-in', { email: 'pat@example.org', redirectTo: '/family' }],
    ['/family/sign-in/not-a-token', { redirectTo: '/family' }],
  ]
}

describe('odd requests', () => {
  let service: TestService
  let activityId: number

  beforeAll(async () => {
    service = await startTestService()
    activityId = await publishActivity(service)
  })
  afterAll(async () => {
    await service?.close()
  })

  it('answers an address whose %-escapes do not decode with a 400, never a 500', async () => {
    for (const pathname of [
      '/no-such-page/%E0%A4%A',
      `/activities/%E0%A4%A`,
      '/bookings/%FF',
      '/family/calendar/%C0.ics',
    ]) {
      const response = await service.client().get(pathname)
      expect(`${pathname} → ${response.status}`).toBe(`${pathname} → 400`)
    }
  })

  it('refuses a form past 1 MB with a 413, and a form with no length with a 411, before a form reads it', async () => {
    const headers = { Origin: service.url, 'Content-Type': 'application/x-www-form-urlencoded' }
    const posted = (key: string, supportNeeds: string) =>
      urlencoded(
        bookingForm([{ firstName: 'Sam', dob: '2017-05-04', supportNeeds }], {
          intent: 'confirm',
          idempotencyKey: key,
          whenShort: 'waitlist',
        }),
      )
    const bookingsWith = async (key: string) =>
      (await service.database.db.selectFrom('booking').select('id').where('idempotency_key', '=', key).execute()).length

    // 2 MB in one field: refused as a whole, nothing booked.
    const huge = await raw(
      service.url,
      'POST',
      `/activities/${activityId}`,
      headers,
      posted('huge-form-key-0001', 'x'.repeat(2_000_000)),
    )
    expect(huge.status).toBe(413)
    expect(huge.body).toContain('far longer than any of our forms')
    expect(await bookingsWith('huge-form-key-0001')).toBe(0)

    // A body with no length, however small, is refused: every browser says how long a form is.
    const chunked = await raw(
      service.url,
      'POST',
      `/activities/${activityId}`,
      headers,
      posted('chunked-key-0001', ''),
      {
        chunked: true,
      },
    )
    expect(chunked.status).toBe(411)
    expect(await bookingsWith('chunked-key-0001')).toBe(0)

    // Just under the limit the form reads it as usual: its own answer, not the size refusal.
    const near = await raw(
      service.url,
      'POST',
      `/activities/${activityId}`,
      headers,
      posted('near-limit-key-0001', 'x'.repeat(1_000_000)),
    )
    expect(near.status).not.toBe(413)
    expect(near.status).toBeLessThan(500)

    // The service is still up and answering.
    expect((await service.client().get('/healthz')).status).toBe(200)
  })

  it('answers a form post with a file upload with a 4xx, never a 500', async () => {
    const boundary = 'join-in-test-boundary'
    for (const [pathname, form] of routes(activityId)) {
      const response = await raw(
        service.url,
        'POST',
        pathname,
        { Origin: service.url, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        multipart(form, boundary),
      )
      expect(response.status, `${pathname}: ${response.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400)
      expect(response.status, `${pathname}: ${response.body.slice(0, 200)}`).toBeLessThan(500)
    }
  })

  it('answers a post of JSON or plain text with a 4xx, never a 500', async () => {
    for (const [pathname, form] of routes(activityId)) {
      for (const [type, body] of [
        ['application/json', JSON.stringify(form)],
        ['text/plain', 'email=pat@example.org'],
      ] as const) {
        const response = await raw(service.url, 'POST', pathname, { Origin: service.url, 'Content-Type': type }, body)
        expect(response.status, `${pathname} ${type}: ${response.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400)
        expect(response.status, `${pathname} ${type}`).toBeLessThan(500)
      }
      const untyped = await raw(service.url, 'POST', pathname, { Origin: service.url }, urlencoded(form))
      expect(untyped.status, `${pathname} with no Content-Type: ${untyped.body.slice(0, 200)}`).toBeLessThan(500)
    }
  })

  it('answers CR/LF in every field with the form or a 4xx, never a 500, and sends no forged header', async () => {
    const staff = await service.signedIn('staff')
    const signedIn = [
      ['/staff/activities/new', activityForm()],
      ['/staff/erasure', { email: 'pat@example.org', intent: 'search' }],
      [
        `/staff/activities/${activityId}/messages`,
        { audience: 'booked', subject: 'Hello', body: 'Hi', intent: 'check' },
      ],
    ] as const
    for (const [pathname, form] of routes(activityId)) {
      const response = await raw(
        service.url,
        'POST',
        pathname,
        { Origin: service.url, 'Content-Type': 'application/x-www-form-urlencoded' },
        urlencoded(withNewlines(form)),
      )
      expect(response.status, `${pathname}: ${response.body.slice(0, 200)}`).toBeLessThan(500)
    }
    for (const [pathname, form] of signedIn) {
      const response = await staff.post(pathname, withNewlines(form))
      expect(response.status, pathname).toBeLessThan(500)
    }
    const booked = await raw(
      service.url,
      'POST',
      `/activities/${activityId}`,
      { Origin: service.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      urlencoded(
        bookingForm([{ firstName: 'Sam\r\nBcc: victim@example.org', dob: '2017-05-04' }], {
          contactName: 'Pat\r\nBcc: victim@example.org',
          intent: 'confirm',
          idempotencyKey: 'crlf-booking-key-0001',
          whenShort: 'waitlist',
        }),
      ),
    )
    expect(booked.status).toBeLessThan(500)
    const outbox = await service.database.db.selectFrom('outbox').select(['to_address', 'subject']).execute()
    for (const email of outbox) {
      expect(email.to_address).not.toMatch(/[\r\n]/)
      expect(email.subject).not.toMatch(/[\r\n]/)
    }
  })
})

describe('a forged X-Forwarded-Host', () => {
  for (const [label, trustProxy] of [
    ['with no proxy trusted', ''],
    ['behind a trusted proxy', '1'],
    ['behind a proxy at another address', '10.9.8.7'],
  ] as const) {
    describe(label, () => {
      let service: TestService
      let activityId: number

      beforeAll(async () => {
        service = await startTestService(trustProxy ? { TRUST_PROXY: trustProxy } : {})
        activityId = await publishActivity(service)
      })
      afterAll(async () => {
        await service?.close()
      })

      it('answers a page asked for with a forged or malformed host, never a 500', async () => {
        const forged: Array<Record<string, string>> = [
          { 'X-Forwarded-Host': 'evil example' },
          { 'X-Forwarded-Host': '[evil' },
          { 'X-Forwarded-Host': 'evil.example:99999' },
          { Host: 'evil example' },
          { Host: '[evil' },
        ]
        for (const headers of forged) {
          for (const pathname of ['/', '/staff/sign-in', `/activities/${activityId}`]) {
            const response = await raw(service.url, 'GET', pathname, headers)
            expect(
              response.status,
              `${pathname} ${JSON.stringify(headers)}: ${response.body.slice(0, 200)}`,
            ).toBeLessThan(500)
          }
        }
      })

      it('gets a plain 403 or the ordinary answer on every form, never a 500', async () => {
        const own = new URL(service.url)
        for (const [pathname, form] of routes(activityId)) {
          for (const [forwardedHost, origin] of [
            ['evil.example', service.url],
            ['evil.example', 'http://evil.example'],
            [`evil.example:${own.port}`, `http://evil.example:${own.port}`],
            [own.hostname, `http://${own.hostname}`],
            [`${own.host}, evil.example`, service.url],
            ['evil example', service.url],
            ['evil.example%00', service.url],
            ['[evil', service.url],
            ['evil.example:99999', service.url],
          ] as const) {
            const response = await raw(
              service.url,
              'POST',
              pathname,
              {
                Origin: origin,
                'X-Forwarded-Host': forwardedHost,
                'Content-Type': 'application/x-www-form-urlencoded',
              },
              urlencoded(form),
            )
            const where = `${pathname} X-Forwarded-Host: ${forwardedHost}, Origin: ${origin}: ${response.body.slice(0, 200)}`
            expect(response.status, where).toBeLessThan(500)
            // a refusal is the plain page, never the error page
            if (response.status === 403) expect(response.type, where).toMatch(/^text\/plain/)
          }
        }
      })
    })
  }
})
