// The quarterly report page and its exports over real HTTP against the production build, with a
// quarter booked like the seed documents' figures (49 activities, 522 spaces, 16 young people).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ExpectedFigures, SEED_AUTHORITIES, seedSeedQuarter } from '../support/seed-quarter'
import { startTestService, type HttpClient, type TestService } from '../support/service'
import { parseCsv } from '../support/csv'
import { readWorkbook } from '../support/xlsx'

const Q3 = '/staff/reports?quarter=2025-26+Q3'

function decode(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim()
}

/** The rows (head, body and totals) of the table with this caption, as cell texts. */
function table(html: string, caption: string): string[][] {
  const start = html.indexOf(`>${caption}</caption>`)
  if (start === -1) throw new Error(`no table captioned "${caption}"`)
  const markup = html.slice(start, html.indexOf('</table>', start))
  return [...markup.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => decode(cell[1]!)),
  )
}

describe('the quarterly report page and exports', () => {
  let service: TestService
  let expected: ExpectedFigures
  let viewer: HttpClient

  beforeAll(async () => {
    service = await startTestService()
    expected = await seedSeedQuarter(service)
    viewer = await service.signedIn('viewer')
  })
  afterAll(async () => {
    await service?.close()
  })

  it('sends signed-out people to sign in, from the page and every export', async () => {
    for (const path of [
      '/staff/reports',
      Q3,
      '/staff/reports/csv?quarter=2025-26+Q3',
      '/staff/reports/xlsx?quarter=2025-26+Q3',
      '/staff/reports/print?quarter=2025-26+Q3',
    ]) {
      const response = await service.client().get(path)
      expect(response.status, path).toBe(302)
      expect(response.headers.get('location'), path).toBe(`/staff/sign-in?redirectTo=${encodeURIComponent(path)}`)
    }
  })

  it('shows a viewer exactly the seed figures for 2025-26 Q3', async () => {
    const response = await viewer.get(Q3)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('2025-26 Q3 (1 October 2025 to 31 December 2025)')

    expect(table(html, 'Virtual activities')).toEqual([
      ['Measure', 'Number'],
      ['Activities held', '49'],
      ['Spaces booked', '522'],
      ['Spaces attended', String(expected.activities.spacesAttended)],
    ])
    expect(table(html, 'Spaces booked by home authority')).toEqual([
      ['Home authority', 'Spaces booked'],
      ...SEED_AUTHORITIES,
      ['Total', '522'],
    ])
    expect(table(html, 'Spaces booked by age band')).toEqual([
      ['Age band', 'Spaces booked'],
      ...expected.byAgeBand.map((b) => [b.label, String(b.value)]),
      ['Total', '522'],
    ])
    const cross = table(html, 'Spaces booked by home authority and age band')
    expect(cross[0]).toEqual(['Home authority', ...expected.byAgeBand.map((b) => b.label), 'Total'])
    expect(cross.slice(1, -1)).toEqual(
      expected.authorityByAgeBand.map((row, i) => [
        SEED_AUTHORITIES[i]![0],
        ...row.cells.map(String),
        String(row.total),
      ]),
    )
    expect(cross.at(-1)).toEqual(['Total', ...expected.byAgeBand.map((b) => String(b.value)), '522'])

    expect(table(html, 'Adoptables meetings')).toEqual([
      ['Measure', 'Number'],
      ['Meetings held', '6'],
      ['Young people who attended at least one', '16'],
      ['Youngest age', String(expected.adoptables.minAge)],
      ['Oldest age', String(expected.adoptables.maxAge)],
    ])
    expect(table(html, 'Young people at Adoptables meetings by home authority')).toEqual([
      ['Home authority', 'Young people'],
      ...expected.adoptables.byAuthority.map((a) => [a.name, String(a.value)]),
      ['Total', '16'],
    ])
    expect(table(html, 'Feedback').slice(1)).toEqual(
      expected.feedback.map((f) => [
        f.kind === 'activity' ? 'Virtual activities' : 'Adoptables meetings',
        String(f.responses),
        String(f.averageScore),
      ]),
    )
    expect(table(html, 'Places that stayed on a waiting list').slice(1)).toEqual(
      expected.waitingList.map((w) => [
        w.kind === 'activity' ? 'Virtual activities' : 'Adoptables meetings',
        String(w.places),
        String(w.sessions),
      ]),
    )

    // The charts say the same in their text alternative.
    expect(html).toContain(
      'aria-label="Bar chart, spaces booked by home authority: Kent 458, Medway 41, Bexley 18, Greenwich 4 and Bromley 1."',
    )
    // Downloads ask for the same report.
    expect(html).toContain('href="/staff/reports/csv?quarter=2025-26+Q3&amp;cut=age-band"')
    expect(html).toContain('href="/staff/reports/xlsx?quarter=2025-26+Q3&amp;cut=age-band"')
    expect(html).toContain('href="/staff/reports/print?quarter=2025-26+Q3&amp;cut=age-band"')
  })

  it('gives the same figures for the same dates typed as a range, and explains dates it cannot use', async () => {
    const range = await viewer.get(
      '/staff/reports?period=range&from-day=1&from-month=10&from-year=2025&to-day=31&to-month=12&to-year=2025&cut=age-band',
    )
    expect(range.status).toBe(200)
    const html = await range.text()
    expect(html).toContain('1 October 2025 to 31 December 2025')
    expect(table(html, 'Spaces booked by home authority')).toEqual([
      ['Home authority', 'Spaces booked'],
      ...SEED_AUTHORITIES,
      ['Total', '522'],
    ])

    const wrong = await viewer.get(
      '/staff/reports?period=range&from-day=31&from-month=12&from-year=2025&to-day=1&to-month=10&to-year=2025',
    )
    const wrongHtml = await wrong.text()
    expect(wrongHtml).toContain('There is a problem')
    expect(wrongHtml).toContain('<a href="#to-day">The end date must be the same as or after the start date</a>')
    expect(wrongHtml).toContain('id="to-error"')
    expect(wrongHtml).not.toContain('Spaces booked by home authority')

    const missing = await viewer.get('/staff/reports?period=range&from-day=1&from-month=&from-year=2025')
    const missingHtml = await missing.text()
    expect(missingHtml).toContain('The start date must include a month')
    expect(missingHtml).toContain('Enter the end date')

    const csv = await viewer.get('/staff/reports/csv?quarter=2025-26+Q9')
    expect(csv.status).toBe(400)
  })

  it('downloads a CSV with a BOM holding exactly the page figures', async () => {
    const response = await viewer.get('/staff/reports/csv?quarter=2025-26+Q3&cut=age-band')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="join-in-report-2025-26-Q3.csv"')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    const [header, ...rows] = parseCsv(text.slice(1))
    expect(header).toEqual(['period', 'measure', 'dimension', 'value'])
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['2025-26 Q3']))
    const figure = (measure: string, dimension = '') =>
      rows.filter((r) => r[1] === measure && r[2] === dimension).map((r) => r[3])

    expect(figure('activities_held')).toEqual(['49'])
    expect(figure('spaces_booked')).toEqual(['522'])
    expect(figure('spaces_attended')).toEqual([String(expected.activities.spacesAttended)])
    expect(rows.filter((r) => r[1] === 'spaces_by_authority').map((r) => [r[2], r[3]])).toEqual(SEED_AUTHORITIES)
    expect(rows.filter((r) => r[1] === 'spaces_by_age_group').map((r) => [r[2], r[3]])).toEqual(
      expected.byAgeBand.map((b) => [b.label, String(b.value)]),
    )
    expect(figure('spaces_by_authority_and_age_group', `Kent | ${expected.byAgeBand[2]!.label}`)).toEqual([
      String(expected.authorityByAgeBand[0]!.cells[2]),
    ])
    expect(rows.filter((r) => r[1] === 'spaces_by_authority_and_age_group')).toHaveLength(5 * expected.byAgeBand.length)
    expect(figure('adoptables_meetings_held')).toEqual(['6'])
    expect(figure('adoptables_young_people')).toEqual(['16'])
    expect(figure('adoptables_min_age')).toEqual(['12'])
    expect(figure('adoptables_max_age')).toEqual(['18'])
    expect(rows.filter((r) => r[1] === 'adoptables_young_people_by_authority').map((r) => [r[2], r[3]])).toEqual(
      expected.adoptables.byAuthority.map((a) => [a.name, String(a.value)]),
    )
    expect(figure('feedback_responses', 'Virtual activities')).toEqual([String(expected.feedback[0]!.responses)])
    expect(figure('feedback_average_score', 'Adoptables meetings')).toEqual([
      String(expected.feedback[1]!.averageScore),
    ])
    expect(figure('waiting_list_places', 'Virtual activities')).toEqual([String(expected.waitingList[0]!.places)])
    expect(figure('waiting_list_places', 'Adoptables meetings')).toEqual(['1'])
  })

  it('cuts the CSV by school year when asked', async () => {
    const response = await viewer.get('/staff/reports/csv?quarter=2025-26+Q3&cut=school-year')
    const rows = parseCsv((await response.text()).replace(/^\uFEFF/, ''))
    expect(rows.filter((r) => r[1] === 'spaces_by_age_group').map((r) => [r[2], r[3]])).toEqual(
      expected.bySchoolYear.map((g) => [g.label, String(g.value)]),
    )
  })

  it('downloads an XLSX holding exactly the page figures', async () => {
    const response = await viewer.get('/staff/reports/xlsx?quarter=2025-26+Q3')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="join-in-report-2025-26-Q3.xlsx"')
    const workbook = readWorkbook(await response.arrayBuffer())
    expect(workbook.sheetNames).toEqual([
      'Summary',
      'By authority',
      'By age group',
      'Authority x age group',
      'Children reached',
      'Adoptables',
      'Feedback',
      'Waiting list',
      'Attendance',
      'Series retention',
      'Demand',
    ])
    expect(workbook.sheet('Summary').values.slice(-3)).toEqual([
      ['Activities held', 49],
      ['Spaces booked', 522],
      ['Spaces attended', expected.activities.spacesAttended],
    ])
    expect(workbook.sheet('By authority').values).toEqual([
      ['Home authority', 'Spaces booked'],
      ...SEED_AUTHORITIES.map(([name, n]) => [name, Number(n)]),
      ['Total', 522],
    ])
    expect(workbook.sheet('By age group').values.slice(1, -1)).toEqual(
      expected.byAgeBand.map((b) => [b.label, b.value]),
    )
    expect(workbook.sheet('Authority x age group').values.slice(1, -1)).toEqual(
      expected.authorityByAgeBand.map((row, i) => [SEED_AUTHORITIES[i]![0], ...row.cells, row.total]),
    )
    expect(workbook.sheet('Adoptables').values.slice(0, 5)).toEqual([
      ['Measure', 'Number'],
      ['Meetings held', 6],
      ['Young people who attended at least one', 16],
      ['Youngest age', 12],
      ['Oldest age', 18],
    ])
    const byAuthority = workbook.sheet('By authority')
    expect(byAuthority.bold('A1')).toBe(true)
    expect(byAuthority.bold('B7')).toBe(true)
    expect(byAuthority.bold('A2')).toBe(false)
    expect(byAuthority.type('B2')).toBe('n')
    // 'Home authority' is the longest text in column A (14 characters, plus 2); 'Spaces booked' 13, plus 2
    expect(byAuthority.widths).toEqual([16, 15])
    for (const name of workbook.sheetNames) {
      for (const width of workbook.sheet(name).widths) {
        expect(width, name).toBeGreaterThanOrEqual(10)
        expect(width, name).toBeLessThanOrEqual(50)
      }
      expect(workbook.sheet(name).frozenRows, name).toBe(1)
    }
  })

  it('has a print view with the same figures and no form', async () => {
    const response = await viewer.get('/staff/reports/print?quarter=2025-26+Q3')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(decode(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)![1]!)).toBe('Join In report: 2025-26 Q3')
    expect(table(html, 'Spaces booked by home authority')).toEqual([
      ['Home authority', 'Spaces booked'],
      ...SEED_AUTHORITIES,
      ['Total', '522'],
    ])
    expect(html).not.toContain('name="quarter"')
  })

  it('writes every export to the audit log with who and which period', async () => {
    const user = await service.database.db
      .selectFrom('staff_user')
      .select('id')
      .where('role', '=', 'viewer')
      .executeTakeFirstOrThrow()
    const before = await service.database.db
      .selectFrom('audit_log')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirst()
    await viewer.get('/staff/reports/csv?quarter=2025-26+Q3')
    await viewer.get('/staff/reports/xlsx?quarter=2025-26+Q3&cut=school-year')
    await viewer.get(
      '/staff/reports/print?period=range&from-day=1&from-month=11&from-year=2025&to-day=30&to-month=11&to-year=2025',
    )
    const rows = await service.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', before?.id ?? 0)
      .where('action', '=', 'report.exported')
      .orderBy('id')
      .execute()
    expect(rows.map((r) => ({ actor: r.actor_user_id, subject: r.subject_id, detail: JSON.parse(r.detail!) }))).toEqual(
      [
        {
          actor: user.id,
          subject: '2025-26 Q3',
          detail: { format: 'csv', period: '2025-26 Q3', from: '2025-10-01', to: '2025-12-31', cut: 'age-band' },
        },
        {
          actor: user.id,
          subject: '2025-26 Q3',
          detail: { format: 'xlsx', period: '2025-26 Q3', from: '2025-10-01', to: '2025-12-31', cut: 'school-year' },
        },
        {
          actor: user.id,
          subject: '1 November 2025 to 30 November 2025',
          detail: {
            format: 'print',
            period: '1 November 2025 to 30 November 2025',
            from: '2025-11-01',
            to: '2025-11-30',
            cut: 'age-band',
          },
        },
      ],
    )
    // Looking at the page (aggregate figures only) is not an export.
    const exports = async () =>
      (await service.database.db.selectFrom('audit_log').select('id').where('action', '=', 'report.exported').execute())
        .length
    const count = await exports()
    expect((await viewer.get(Q3)).status).toBe(200)
    expect(await exports()).toBe(count)
  })
})
