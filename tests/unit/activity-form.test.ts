import { describe, expect, it } from 'vitest'
import { parseActivityForm } from '../../app/domain/activity-form'
import { seriesSessionTimes } from '../../app/domain/activities.server'

const NOW = new Date('2026-01-10T12:00:00.000Z')

function form(overrides: Record<string, string> = {}) {
  return {
    kind: 'activity',
    title: 'Animal encounters',
    category: 'Animal encounters',
    description: 'Meet a tortoise and two rabbits.',
    'date-day': '29',
    'date-month': '3',
    'date-year': '2026',
    startTime: '10:00',
    endTime: '11:00',
    capacity: '20',
    minAge: '5',
    maxAge: '11',
    locationType: 'online',
    joinUrl: 'https://teams.microsoft.com/l/meetup-join/abc',
    repeat: 'none',
    ...overrides,
  }
}

function errorsOf(overrides: Record<string, string>) {
  const result = parseActivityForm(form(overrides), { allowRepeat: true, now: NOW })
  if (result.ok) throw new Error('expected the form to be refused')
  return result
}

describe('the activity form', () => {
  it('accepts a good activity and stores 10:00 on the day the clocks change at the right instant', () => {
    const result = parseActivityForm(form(), { allowRepeat: true, now: NOW })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.startsAt.toISOString()).toBe('2026-03-29T09:00:00.000Z')
    expect(result.value.endsAt.toISOString()).toBe('2026-03-29T10:00:00.000Z')
    expect(result.warnings).toEqual([])
  })

  it('drops invisible control characters from what was typed, keeping tabs and line breaks', () => {
    // pasted from a word processor: a vertical tab for its line break, a stray NUL and a C1 control
    const result = parseActivityForm(
      form({ title: 'Animal\u0000 encounters\u000b', description: 'Meet a tortoise.\u0085\n\nAnd\ttwo rabbits.' }),
      { allowRepeat: true, now: NOW },
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.title).toBe('Animal encounters')
    expect(result.value.description).toBe('Meet a tortoise.\n\nAnd\ttwo rabbits.')
  })

  it('refuses a date that does not exist and keeps what was typed', () => {
    const result = errorsOf({ 'date-day': '31', 'date-month': '2' })
    expect(result.errors.date).toBe('The date must be a real date')
    expect(result.values['date-day']).toBe('31')
    expect(result.values.title).toBe('Animal encounters')
  })

  it('refuses a date with a part missing, naming the part', () => {
    expect(errorsOf({ 'date-month': '' }).errors.date).toBe('The date must include a month')
  })

  it('refuses an end before the start', () => {
    expect(errorsOf({ startTime: '11:00', endTime: '10:30' }).errors.endTime).toBe(
      'End time must be after the start time',
    )
  })

  it('refuses a date in the past', () => {
    expect(errorsOf({ 'date-year': '2025' }).errors.date).toBe('The date must be in the future')
  })

  it('refuses capacity 0, absurd capacity and words', () => {
    expect(errorsOf({ capacity: '0' }).errors.capacity).toBe('Spaces must be 1 or more')
    expect(errorsOf({ capacity: '100000' }).errors.capacity).toBe('Spaces must be 500 or fewer')
    expect(errorsOf({ capacity: 'twenty' }).errors.capacity).toBe('Spaces must be a whole number, like 20')
    expect(errorsOf({ capacity: '-3' }).errors.capacity).toBe('Spaces must be a whole number, like 20')
  })

  it('refuses a youngest age above the oldest', () => {
    const result = errorsOf({ minAge: '12', maxAge: '8' })
    expect(result.errors.maxAge).toBe('Oldest age must be the same as or more than the youngest age')
    expect(result.values.minAge).toBe('12')
  })

  it('keeps an Adoptables meeting to ages 12 to 18, and an activity to any range', () => {
    const adoptables = { kind: 'adoptables', category: 'Adoptables meeting' }
    const young = errorsOf({ ...adoptables, minAge: '4', maxAge: '9' })
    expect(young.errors.minAge).toBe(
      'Adoptables meetings are for young people aged 12 to 18: the youngest age must be 12 or more',
    )
    expect(young.values.minAge).toBe('4')
    expect(errorsOf({ ...adoptables, minAge: '12', maxAge: '19' }).errors.maxAge).toBe(
      'Adoptables meetings are for young people aged 12 to 18: the oldest age must be 18 or under',
    )
    expect(
      parseActivityForm(form({ ...adoptables, minAge: '12', maxAge: '18' }), { allowRepeat: true, now: NOW }).ok,
    ).toBe(true)
    expect(parseActivityForm(form({ minAge: '4', maxAge: '19' }), { allowRepeat: true, now: NOW }).ok).toBe(true)
  })

  it('refuses a joining link that is not https', () => {
    expect(errorsOf({ joinUrl: 'http://teams.microsoft.com/l/meetup-join/abc' }).errors.joinUrl).toBe(
      'The joining link must start with https://',
    )
    expect(errorsOf({ joinUrl: 'javascript:alert(1)' }).errors.joinUrl).toBe(
      'The joining link must start with https://',
    )
    expect(errorsOf({ joinUrl: 'teams meeting' }).errors.joinUrl).toBe(
      'Enter the joining link in full, starting with https://',
    )
  })

  it('warns, without refusing, when an https link is not a Teams link', () => {
    const result = parseActivityForm(form({ joinUrl: 'https://zoom.us/j/123' }), { allowRepeat: true, now: NOW })
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.warnings[0]).toMatch(/not a Microsoft Teams link/)
  })

  it('needs a venue for an in-person session and no link', () => {
    expect(errorsOf({ locationType: 'in_person', joinUrl: '' }).errors.venue).toBe(
      'Enter where the session takes place',
    )
  })

  it('refuses bookings that close after the start', () => {
    const result = errorsOf({ 'closes-day': '29', 'closes-month': '3', 'closes-year': '2026', closesTime: '10:30' })
    expect(result.errors.closes).toBe('Bookings must close before the session starts')
  })

  it('refuses a time in the hour the clocks skip', () => {
    expect(errorsOf({ startTime: '01:15', endTime: '02:30' }).errors.startTime).toMatch(/clocks go forward/)
  })

  it('reports every problem at once', () => {
    const result = errorsOf({ title: '', capacity: '0', minAge: '', kind: 'party' })
    expect(Object.keys(result.errors).sort()).toEqual(['capacity', 'kind', 'minAge', 'title'])
  })
})

describe('a series', () => {
  it('keeps a weekly 10am at 10am London time across the clocks going forward', () => {
    const result = parseActivityForm(form({ 'date-day': '22', repeat: 'weekly', sessions: '3' }), {
      allowRepeat: true,
      now: NOW,
    })
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    const times = seriesSessionTimes(result.value)
    if ('error' in times) throw new Error(times.error)
    expect(times.map((t) => t.startsAt.toISOString())).toEqual([
      '2026-03-22T10:00:00.000Z',
      '2026-03-29T09:00:00.000Z',
      '2026-04-05T09:00:00.000Z',
    ])
    // bookings close an hour before each session by default
    expect(times[1]!.bookingClosesAt.toISOString()).toBe('2026-03-29T08:00:00.000Z')
  })

  it('makes fortnightly and monthly dates', () => {
    const fortnightly = parseActivityForm(
      form({ 'date-day': '31', 'date-month': '1', repeat: 'fortnightly', sessions: '2' }),
      { allowRepeat: true, now: NOW },
    )
    const monthly = parseActivityForm(form({ 'date-day': '31', 'date-month': '1', repeat: 'monthly', sessions: '3' }), {
      allowRepeat: true,
      now: NOW,
    })
    if (!fortnightly.ok || !monthly.ok) throw new Error('expected valid forms')
    const f = seriesSessionTimes(fortnightly.value)
    const m = seriesSessionTimes(monthly.value)
    if ('error' in f || 'error' in m) throw new Error('expected sessions')
    expect(f.map((t) => t.startsAt.toISOString().slice(0, 10))).toEqual(['2026-01-31', '2026-02-14'])
    expect(m.map((t) => t.startsAt.toISOString().slice(0, 10))).toEqual(['2026-01-31', '2026-02-28', '2026-03-31'])
  })

  it('needs a number of sessions between 2 and 52', () => {
    expect(errorsOf({ repeat: 'weekly', sessions: '' }).errors.sessions).toBe(
      'Enter how many sessions there are in the series',
    )
    expect(errorsOf({ repeat: 'weekly', sessions: '1' }).errors.sessions).toBe('A series must have 2 sessions or more')
    expect(errorsOf({ repeat: 'weekly', sessions: '53' }).errors.sessions).toBe('A series can have up to 52 sessions')
  })
})
