import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { BarChart, describeBars } from '../../app/components/bar-chart'
import { quarterChoices, readReportQuery, reportFirstMonth, reportSearch } from '../../app/domain/report-query'

// 23 November 2026, midday in London: 2026-27 Q3 with the UK financial year.
const now = new Date('2026-11-23T12:00:00Z')
const read = (query: string, firstMonth = 4) => readReportQuery(new URLSearchParams(query), { now, firstMonth })

describe('reading the report period from the address', () => {
  it('is the current quarter cut by age band when nothing is asked for', () => {
    const query = read('')
    expect(query.ok && query.period.label).toBe('2026-27 Q3')
    expect(query.ok && query.cut).toBe('age-band')
    expect(query.ok && query.search).toBe('?quarter=2026-27+Q3&cut=age-band')
  })

  it('reads a quarter by its name, with the quarter starting where the setting says', () => {
    const query = read('quarter=2025-26+Q3&cut=school-year')
    expect(query.ok).toBe(true)
    if (!query.ok) return
    expect(query.period).toMatchObject({ label: '2025-26 Q3', fromDate: '2025-10-01', toDate: '2025-12-31' })
    expect(query.cut).toBe('school-year')
    expect(query.search).toBe('?quarter=2025-26+Q3&cut=school-year')
    const september = read('quarter=2025-26+Q1', 9)
    expect(september.ok && [september.period.fromDate, september.period.toDate]).toEqual(['2025-09-01', '2025-11-30'])
  })

  it('says so when the quarter is not one', () => {
    const query = read('quarter=2025-26+Q5')
    expect(query.ok).toBe(false)
    expect(!query.ok && query.errors).toEqual({ quarter: 'Choose a quarter from the list' })
  })

  it('reads a date range typed in the two date inputs, also without the period radio', () => {
    for (const query of [
      read('period=range&from-day=1&from-month=11&from-year=2025&to-day=15&to-month=11&to-year=2025'),
      read('from-day=1&from-month=11&from-year=2025&to-day=15&to-month=11&to-year=2025'),
    ]) {
      expect(query.ok).toBe(true)
      if (!query.ok) continue
      expect(query.period).toMatchObject({
        label: '1 November 2025 to 15 November 2025',
        fromDate: '2025-11-01',
        toDate: '2025-11-15',
        quarter: null,
      })
      expect(query.search).toBe(
        '?period=range&from-day=1&from-month=11&from-year=2025&to-day=15&to-month=11&to-year=2025&cut=age-band',
      )
      expect(read(query.search.slice(1))).toEqual(query)
    }
  })

  it('explains dates it cannot use, keeping what was typed', () => {
    const backwards = read('period=range&from-day=15&from-month=11&from-year=2025&to-day=1&to-month=11&to-year=2025')
    expect(!backwards.ok && backwards.errors).toEqual({
      to: 'The end date must be the same as or after the start date',
    })
    expect(backwards.form.from).toEqual({ day: '15', month: '11', year: '2025' })
    const missing = read('period=range&from-day=1&from-year=2025')
    expect(!missing.ok && missing.errors).toEqual({
      from: 'The start date must include a month',
      to: 'Enter the end date',
    })
    const unreal = read('period=range&from-day=31&from-month=2&from-year=2025&to-day=1&to-month=3&to-year=0025')
    expect(!unreal.ok && unreal.errors).toEqual({
      from: 'The start date must be a real date',
      to: 'The end date must be between 2000 and 2099',
    })
  })

  it('ignores a cut it does not know and a first month outside 1 to 12', () => {
    const query = read('quarter=2025-26+Q3&cut=shoe-size', 13)
    expect(query.ok && query.cut).toBe('age-band')
    expect(query.ok && query.period.fromDate).toBe('2025-10-01')
    expect([reportFirstMonth(0), reportFirstMonth(Number.NaN), reportFirstMonth(1), reportFirstMonth(12)]).toEqual([
      4, 4, 1, 12,
    ])
  })

  it('offers the last eight quarters, and an older one when that is the one asked for', () => {
    const recent = quarterChoices(now, 4, '2026-27 Q3')
    expect(recent.map((q) => q.value)).toEqual([
      '2026-27 Q3',
      '2026-27 Q2',
      '2026-27 Q1',
      '2025-26 Q4',
      '2025-26 Q3',
      '2025-26 Q2',
      '2025-26 Q1',
      '2024-25 Q4',
    ])
    const older = quarterChoices(now, 4, '2020-21 Q2')
    expect(older.at(-1)).toEqual({ value: '2020-21 Q2', text: '2020-21 Q2 (1 July 2020 to 30 September 2020)' })
  })

  it('gives the same address back for a period', () => {
    const query = read('quarter=2025-26+Q3')
    expect(query.ok && reportSearch(query.period, 'school-year')).toBe('?quarter=2025-26+Q3&cut=school-year')
  })
})

describe('the bar chart', () => {
  const html = renderToStaticMarkup(
    <BarChart
      title="spaces booked by home authority"
      bars={[
        { label: 'Kent', value: 458 },
        { label: 'Medway', value: 41 },
        { label: 'Bromley', value: 1 },
        { label: 'Havering', value: 0 },
      ]}
    />,
  )

  it('is one image named by a summary of its figures, with a caption', () => {
    expect(html).toContain(
      'role="img" aria-label="Bar chart, spaces booked by home authority: Kent 458, Medway 41, Bromley 1 and Havering 0."',
    )
    expect(html).toContain(
      '<figcaption class="app-bar-chart__caption">Chart: spaces booked by home authority. The table has the same figures.</figcaption>',
    )
  })

  it('draws bars with SVG attributes only, no inline styles', () => {
    expect(html).not.toContain('style=')
    expect(html).toContain('<rect class="app-bar-chart__bar" x="0" y="0" width="100%" height="100%"></rect>')
    expect(html).toContain('width="9%"')
    // a small value still shows; a zero has no bar
    expect(html).toContain('width="0.5%"')
    expect(html.match(/<rect/g)).toHaveLength(3)
  })

  it('summarises a long list by its largest bars', () => {
    const bars = Array.from({ length: 10 }, (_, i) => ({ label: `Area ${i}`, value: i }))
    expect(describeBars(bars, String, 'none')).toBe('Area 9 9, Area 8 8, Area 7 7, Area 6 6, Area 5 5 and 5 more')
  })

  it('shows a missing figure as text, against a fixed scale', () => {
    const chart = renderToStaticMarkup(
      <BarChart
        title="average score"
        max={5}
        empty="no responses"
        bars={[
          { label: 'Activities', value: 4 },
          { label: 'Meetings', value: null },
        ]}
      />,
    )
    expect(chart).toContain('width="80%"')
    expect(chart).toContain('Meetings no responses')
    expect(chart).toContain('<span class="app-bar-chart__value">no responses</span>')
  })
})
