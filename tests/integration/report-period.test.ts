// Every report address reads its period the same way: a quarter, the page's date boxes, or
// ?from=YYYY-MM-DD&to=YYYY-MM-DD as a script would write it. Dates that are given are never
// silently swapped for the current quarter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../support/csv'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const RANGE = 'from=2025-10-01&to=2025-11-15'
const LABEL = '1 October 2025 to 15 November 2025'

describe('the period a report address asks for', () => {
  let service: TestService
  let viewer: HttpClient

  beforeAll(async () => {
    service = await startTestService()
    viewer = await service.signedIn('viewer')
  })
  afterAll(async () => {
    await service?.close()
  })

  it('gives the CSV for the dates in ?from= and ?to=, not the current quarter', async () => {
    const response = await viewer.get(`/staff/reports/csv?${RANGE}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="join-in-report-2025-10-01-to-2025-11-15.csv"',
    )
    const text = new TextDecoder().decode(await response.arrayBuffer())
    const [header, ...rows] = parseCsv(text)
    expect(header).toEqual(['period', 'measure', 'dimension', 'value'])
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set([LABEL]))
  })

  it('gives the workbook, the print view and the page for the same dates', async () => {
    const xlsx = await viewer.get(`/staff/reports/xlsx?${RANGE}`)
    expect(xlsx.status).toBe(200)
    expect(xlsx.headers.get('content-disposition')).toBe(
      'attachment; filename="join-in-report-2025-10-01-to-2025-11-15.xlsx"',
    )
    const print = await viewer.get(`/staff/reports/print?${RANGE}`)
    expect(print.status).toBe(200)
    const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(await print.text())![1]!.replace(/<[^>]*>/g, '')
    expect(heading).toBe(`Join In report: ${LABEL}`)
    const page = await viewer.get(`/staff/reports?${RANGE}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('href="/staff/reports/csv?period=range&amp;from-day=1&amp;from-month=10')
    expect(html).toContain(LABEL)
  })

  it('audits the export with the dates asked for', async () => {
    await viewer.get(`/staff/reports/csv?${RANGE}&cut=school-year`)
    const row = await service.database.db
      .selectFrom('audit_log')
      .select(['subject_id', 'detail'])
      .where('action', '=', 'report.exported')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(row.subject_id).toBe(LABEL)
    expect(JSON.parse(row.detail!)).toEqual({
      format: 'csv',
      period: LABEL,
      from: '2025-10-01',
      to: '2025-11-15',
      cut: 'school-year',
    })
  })

  it('refuses dates it cannot read, or that run backwards, instead of guessing', async () => {
    for (const path of [
      '/staff/reports/csv?from=2025-10-01&to=next-tuesday',
      '/staff/reports/xlsx?from=2025-10-01',
      '/staff/reports/print?from=2025-11-15&to=2025-10-01',
      '/staff/reports/csv?quarter=2025-26+Q3&from=2025-10-01&to=2025-11-15',
    ]) {
      const response = await viewer.get(path)
      expect(response.status, path).toBe(400)
    }
    const backwards = await viewer.get('/staff/reports/csv?from=2025-11-15&to=2025-10-01')
    expect(await backwards.text()).toContain('The to date must be the same as or after the from date')
  })
})
