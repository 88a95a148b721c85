// Pages with personal data or a secret in their address are never kept by a browser or proxy:
// every /staff response (pages, downloads, redirects, posts, data requests) and every token page
// answers Cache-Control: no-store. The staff routes are read from app/routes, so a new one is
// checked without being listed here.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const routesDir = path.resolve(import.meta.dirname, '../../app/routes')

/** The URL a flat-routes file answers, with each $param replaced by the value given. */
function urlOf(file: string, params: Record<string, string>): string {
  const segments = file
    .replace(/\.tsx?$/, '')
    .replace(/\[\.\]/g, '~')
    .split('.')
    .filter((s) => s !== '_index')
    .map((s) => s.replace(/_$/, '').replace(/~/g, '.'))
    .map((s) => (s.startsWith('$') ? (params[s.slice(1)] ?? 'unknown') : s))
  return `/${segments.join('/')}`
}

function noStore(response: Response): boolean {
  return /(^|,)\s*no-store\s*(,|$)/.test(response.headers.get('cache-control') ?? '')
}

describe('Cache-Control: no-store', () => {
  let service: TestService
  let admin: HttpClient
  let activityId: number
  let manageUrl: string
  let memberUrl: string
  const problems: string[] = []

  async function check(client: HttpClient, method: 'GET' | 'POST', pathname: string): Promise<void> {
    const response = method === 'GET' ? await client.get(pathname) : await client.post(pathname, {})
    await response.arrayBuffer()
    if (!noStore(response)) {
      problems.push(
        `${method} ${pathname} → ${response.status}, Cache-Control: ${response.headers.get('cache-control')}`,
      )
    }
  }

  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
    admin = await service.signedIn('admin')
    activityId = await publishActivity(service)
    const booked = await confirmBooking(service.client(), activityId, [{ firstName: 'Sam', dob: dobForAge(7) }], {
      email: 'nostore@example.org',
    })
    expect(booked.status).toBe(302)
    const meetingId = await publishActivity(service, {
      kind: 'adoptables',
      category: 'Adoptables meeting',
      title: 'No-store meeting',
      minAge: '12',
      maxAge: '18',
    })
    const [year, month, day] = dobForAge(15).split('-')
    const joined = await service.client().post(`/adoptables/join?meeting=${meetingId}`, {
      firstName: 'Alex',
      'dob-day': String(Number(day)),
      'dob-month': String(Number(month)),
      'dob-year': year!,
      email: 'alex.nostore@example.org',
      authority: 'E06000035',
      parentEmail: '',
      notes: '',
    })
    expect(joined.status).toBeLessThan(400)
    const mail = await service.database.db.selectFrom('outbox').select(['to_address', 'text_body']).execute()
    const text = mail.map((m) => m.text_body).join('\n')
    manageUrl = /https?:\/\/[^\s]+\/bookings\/JN-[\w-]+\?token=[\w-]+/.exec(text)![0]
    memberUrl = /https?:\/\/[^\s]+\/adoptables\/members\/\d+\?token=[\w-]+/.exec(text)![0]
  })
  afterAll(async () => {
    await service?.close()
  })

  it('is on every staff route, for every method it answers, signed in or not', async () => {
    const outboxId = String((await service.database.db.selectFrom('outbox').select('id').executeTakeFirstOrThrow()).id)
    const user = await service.database.db.selectFrom('staff_user').select('id').executeTakeFirstOrThrow()
    const params = { id: String(activityId), outbox: outboxId, user: String(user.id) }
    // signing out last, so the admin's session lasts through every other page
    const files = fs
      .readdirSync(routesDir)
      .filter((f) => f.startsWith('staff.'))
      .sort((a, b) => Number(a.startsWith('staff.sign-out')) - Number(b.startsWith('staff.sign-out')))
    expect(files.length).toBeGreaterThanOrEqual(30)
    const signedOut = service.client()
    for (const file of files) {
      const id = file.startsWith('staff.outbox_')
        ? params.outbox
        : file.startsWith('staff.users')
          ? params.user
          : params.id
      const pathname = urlOf(file, { id })
      await check(admin, 'GET', pathname)
      await check(signedOut, 'GET', pathname)
      if (/export (async function|const) action\b/.test(fs.readFileSync(path.join(routesDir, file), 'utf8'))) {
        await check(admin, 'POST', pathname)
        await check(signedOut, 'POST', pathname)
      }
    }
    // a client-side navigation's data request, and a page that does not exist
    await check(admin, 'GET', '/staff/reports.data')
    await check(admin, 'GET', `/staff/activities/${activityId}.data`)
    await check(admin, 'GET', '/staff/no-such-page')
    expect(problems).toEqual([])
  })

  it('is on every token page, with a real token or a wrong one', async () => {
    const parent = service.client()
    const manage = new URL(manageUrl)
    const member = new URL(memberUrl)
    const pages = [
      `${manage.pathname}${manage.search}`,
      `${manage.pathname}.data${manage.search}`,
      `${manage.pathname}`,
      `${manage.pathname}/invite.ics${manage.search}`,
      `${member.pathname}${member.search}`,
      `${member.pathname}?token=wrong`,
      '/feedback/not-a-real-token',
      '/adoptables/consent?token=not-a-real-token',
      '/staff/set-password?token=not-a-real-token',
      '/staff/setup?token=not-a-real-token',
      '/mailing-list/confirm?token=not-a-real-token',
      '/mailing-list/unsubscribe?token=not-a-real-token',
      // a family's pages (signed out: the redirect to sign in) and its private calendar feed
      '/family/bookings',
      '/family/calendar',
      `/family/calendar/${'A'.repeat(43)}.ics`,
      '/family/bookings/JN-AAAAA/invite.ics',
    ]
    problems.length = 0
    for (const pathname of pages) await check(parent, 'GET', pathname)
    for (const pathname of [
      `${manage.pathname}${manage.search}`,
      `${member.pathname}${member.search}`,
      '/feedback/not-a-real-token',
      '/adoptables/consent?token=not-a-real-token',
      '/mailing-list/unsubscribe?token=not-a-real-token',
    ])
      await check(parent, 'POST', pathname)
    expect(problems).toEqual([])
  })

  it('is not on public pages, which may be cached', async () => {
    for (const pathname of ['/', `/activities/${activityId}`, '/calendar.ics', '/accessibility']) {
      const response = await service.client().get(pathname)
      expect(noStore(response), pathname).toBe(false)
    }
  })
})
