import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, londonDateOf } from '../../app/time/london-time'
import { PLACES_CSV_HEADER } from '../../app/domain/places-export.server'
import { quarterOf } from '../../app/domain/quarters'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const KENT = 'E10000016'
const MEDWAY = 'E06000035'

/** The body as bytes and as text with its BOM kept (Response.text() would drop it). */
async function download(response: Response): Promise<{ bytes: Uint8Array; text: string }> {
  const bytes = new Uint8Array(await response.arrayBuffer())
  return { bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) }
}

describe('row-level places export', () => {
  let service: TestService
  let staff: HttpClient
  let activityId: number
  let sessionDate: string

  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '100000' })
    activityId = await publishActivity(service, { capacity: '2', title: 'Export check' })
    // Two children from Kent take both spaces; a Medway child goes on the waiting list.
    const first = await confirmBooking(service.client(), activityId, [
      { firstName: 'Zebedee', dob: dobForAge(8), supportNeeds: 'Needs captions, and quiet' },
      { firstName: 'Ottoline', dob: dobForAge(10) },
    ])
    expect(first.status).toBe(302)
    const second = await confirmBooking(service.client(), activityId, [{ firstName: 'Marmaduke', dob: dobForAge(6) }], {
      authority: MEDWAY,
      contactName: 'Quentin Carer',
      email: 'quentin.carer@example.org',
      phone: '07700 900123',
    })
    expect(second.status).toBe(302)
    const activity = await service.database.db
      .selectFrom('activity')
      .select('starts_at')
      .where('id', '=', activityId)
      .executeTakeFirstOrThrow()
    sessionDate = londonDateOf(activity.starts_at)
    staff = await service.signedIn('staff')
  })
  afterAll(async () => {
    await service?.close()
  })

  it('gives a member of staff one anonymised line per place, with a BOM, a header and CRLF line ends', async () => {
    const today = londonDateOf(new Date())
    const response = await staff.get(`/staff/reports/places.csv?from=${today}&to=${addDays(today, 31)}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="join-in-places-${today}-to-${addDays(today, 31)}.csv"`,
    )
    expect(response.headers.get('cache-control')).toBe('no-store')
    const { bytes, text } = await download(response)
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(text.endsWith('\r\n')).toBe(true)
    const lines = text.slice(1).split('\r\n').slice(0, -1)
    expect(lines.some((l) => l.includes('\n'))).toBe(false)
    expect(lines[0]).toBe(PLACES_CSV_HEADER.join(','))
    const rows = lines.slice(1).map((l) => l.split(','))
    expect(rows).toHaveLength(3)
    const byAge = (a: string[], b: string[]) => Number(a[6]) - Number(b[6])
    expect(rows.sort(byAge)).toEqual([
      [
        sessionDate,
        'activity',
        String(activityId),
        'published',
        MEDWAY,
        'Medway',
        '6',
        expect.any(String),
        'waitlisted',
        '',
      ],
      [
        sessionDate,
        'activity',
        String(activityId),
        'published',
        KENT,
        'Kent',
        '8',
        expect.any(String),
        'confirmed',
        '',
      ],
      [
        sessionDate,
        'activity',
        String(activityId),
        'published',
        KENT,
        'Kent',
        '10',
        expect.any(String),
        'confirmed',
        '',
      ],
    ])
    // school years are whole numbers (Year 1 = 1) stored at booking
    for (const row of rows) expect(row[7]).toMatch(/^-?\d+$/)

    for (const secret of [
      'Zebedee',
      'Ottoline',
      'Marmaduke',
      'Pat Parent',
      'Quentin',
      'example.org',
      '07700',
      'captions',
      dobForAge(8),
      dobForAge(10),
      dobForAge(6),
    ]) {
      expect(text).not.toContain(secret)
    }
  })

  it('reads the quarter the report page asks for, and records the download in the audit log', async () => {
    const quarter = quarterOf(new Date(`${sessionDate}T12:00:00Z`))
    const label = `${quarter.financialYear} Q${quarter.number}`
    const before = await service.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'report.places-exported')
      .execute()
    const response = await staff.get(`/staff/reports/places.csv?quarter=${encodeURIComponent(label)}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toContain(
      `join-in-places-${quarter.financialYear}-Q${quarter.number}.csv`,
    )
    const { text } = await download(response)
    expect(text.split('\r\n').filter((l) => l.includes(`,${activityId},`))).toHaveLength(3)

    const audit = await service.database.db
      .selectFrom('audit_log')
      .innerJoin('staff_user', 'staff_user.id', 'audit_log.actor_user_id')
      .select(['audit_log.subject_id', 'audit_log.detail', 'staff_user.role'])
      .where('action', '=', 'report.places-exported')
      .orderBy('audit_log.id')
      .execute()
    expect(audit).toHaveLength(before.length + 1)
    expect(audit.at(-1)).toMatchObject({ subject_id: label, role: 'staff' })
    expect(JSON.parse(audit.at(-1)!.detail!)).toMatchObject({ period: label })
  })

  it('sends signed-out people to sign in, and explains a period it cannot read', async () => {
    const signedOut = await service.client().get('/staff/reports/places.csv?quarter=2025-26%20Q3')
    expect(signedOut.status).toBe(302)
    const location = new URL(signedOut.headers.get('location')!, service.url)
    expect(location.pathname).toBe('/staff/sign-in')
    // back to the same download after signing in (the space may come back as + or %20)
    const back = new URL(location.searchParams.get('redirectTo')!, service.url)
    expect(back.pathname).toBe('/staff/reports/places.csv')
    expect(back.searchParams.get('quarter')).toBe('2025-26 Q3')
    const audits = await service.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'report.places-exported')
      .execute()

    const bad = await staff.get('/staff/reports/places.csv?from=2025-10-01&to=next-tuesday')
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('2025-10-01')
    const backwards = await staff.get('/staff/reports/places.csv?from=2025-12-31&to=2025-10-01')
    expect(backwards.status).toBe(400)
    // nothing was exported, so nothing more was audited
    const after = await service.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'report.places-exported')
      .execute()
    expect(after).toHaveLength(audits.length)
  })

  it('streams a long file in chunks, and an abandoned download leaves the service free', async () => {
    // 20,000 places on one session in February 2024, written straight into the database (in
    // batches, one transaction: the same statements on SQLite and PostgreSQL).
    const now = new Date().toISOString()
    const session = await service.database.db.transaction().execute(async (trx) => {
      const activity = await trx
        .insertInto('activity')
        .values({
          kind: 'activity',
          title: 'Big session',
          category: 'Science experiments',
          description: 'Many places.',
          starts_at: '2024-02-14T16:00:00.000Z',
          ends_at: '2024-02-14T17:00:00.000Z',
          capacity: 20000,
          min_age: 0,
          max_age: 19,
          location_type: 'online',
          booking_closes_at: '2024-02-14T16:00:00.000Z',
          status: 'published',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      for (let from = 0; from < 20_000; from += 1000) {
        const batch = Array.from({ length: 1000 }, (_, k) => from + k)
        const bookings = await trx
          .insertInto('booking')
          .values(
            batch.map((i) => ({
              reference: `BIG${i}`,
              activity_id: activity.id,
              contact_name: 'Secret Parent',
              email: 'secret@example.org',
              authority_code: i % 3 ? KENT : MEDWAY,
              manage_token_hash: 'x',
              idempotency_key: `big-${i}`,
              created_at: now,
              updated_at: now,
            })),
          )
          .returning(['id', 'reference'])
          .execute()
        const idOf = new Map(bookings.map((b) => [b.reference, b.id]))
        await trx
          .insertInto('place')
          .values(
            batch.map((i) => ({
              booking_id: idOf.get(`BIG${i}`)!,
              activity_id: activity.id,
              first_name: 'Secret',
              date_of_birth: '2015-01-01',
              child_key: `secret|${i}`,
              age_on_day: 9,
              school_year: 4,
              authority_code: i % 3 ? KENT : MEDWAY,
              status: 'confirmed' as const,
              attended: i % 2,
              created_at: now,
              updated_at: now,
            })),
          )
          .execute()
      }
      return activity.id
    })

    const full = await staff.get('/staff/reports/places.csv?from=2024-02-01&to=2024-02-29')
    expect(full.status).toBe(200)
    let chunks = 0
    let text = ''
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
    const body = full.body!.getReader()
    for (let read = await body.read(); !read.done; read = await body.read()) {
      chunks++
      text += decoder.decode(read.value, { stream: true })
    }
    const lines = text.split('\r\n').slice(0, -1)
    expect(lines).toHaveLength(20_001)
    expect(chunks).toBeGreaterThan(1)
    const count = (line: string) => lines.filter((l) => l === line).length
    const prefix = `2024-02-14,activity,${session},published`
    expect(count(`${prefix},${KENT},Kent,9,4,confirmed,yes`) + count(`${prefix},${KENT},Kent,9,4,confirmed,no`)).toBe(
      13_333,
    )
    expect(
      count(`${prefix},${MEDWAY},Medway,9,4,confirmed,yes`) + count(`${prefix},${MEDWAY},Medway,9,4,confirmed,no`),
    ).toBe(6_667)
    expect(text).not.toContain('Secret')

    // Read one chunk, then walk away: the service answers at once and the next export is whole.
    const abandoned = await staff.get('/staff/reports/places.csv?from=2024-02-01&to=2024-02-29')
    const reader = abandoned.body!.getReader()
    await reader.read()
    await reader.cancel()
    const started = performance.now()
    const health = await service.client().get('/healthz')
    expect(health.status).toBe(200)
    expect(performance.now() - started).toBeLessThan(2000)
    const again = await staff.get('/staff/reports/places.csv?from=2024-02-01&to=2024-02-29')
    expect((await download(again)).text.split('\r\n')).toHaveLength(20_002)
  })

  it('gives an empty file (just the header) for a period with no sessions', async () => {
    const response = await staff.get('/staff/reports/places.csv?from=2024-01-01&to=2024-01-31')
    expect(response.status).toBe(200)
    const { text } = await download(response)
    expect(text).toBe(`\uFEFF${PLACES_CSV_HEADER.join(',')}\r\n`)
  })
})
