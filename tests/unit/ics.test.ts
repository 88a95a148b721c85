import ical, { ICalCalendarMethod, foldLines as icalFoldLines, type ICalEventData } from 'ical-generator'
import { describe, expect, it } from 'vitest'
import { calendarText, foldLines, inviteCalendar } from '../../app/calendar/ics.server'

const stamp = new Date('2026-03-01T09:00:00Z')
const long = (text: string) => Array.from({ length: 12 }, () => text).join(' ')

const events: ICalEventData[] = [
  {
    id: 'booking-JN-ABCDE@join-in.test',
    stamp,
    start: new Date('2026-03-29T15:00:00Z'),
    end: new Date('2026-03-29T16:00:00Z'),
    timezone: 'Europe/London',
    summary: 'Science experiments',
    description: `${long('Bring a coat; we go outside, rain or shine.')}\n\nDetails: https://join-in.test/bookings/JN-ABCDE?token=${'x'.repeat(43)}`,
    location: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_ABCDEFGHIJKLMNOPQRSTUVWXYZ%40thread.v2/0',
  },
  {
    id: 'activity-7@join-in.test',
    stamp,
    start: new Date('2026-07-04T09:30:00Z'),
    end: new Date('2026-07-04T11:00:00Z'),
    timezone: 'Europe/London',
    summary: 'Café crêpes 🥞 für alle — ñandú',
    description: long('Ünïcödé characters of two, three 👩‍👩‍👧 and four octets straddle the fold: €€€€ 🥞🥞'),
    location: 'Village hall, Ashford',
  },
]

describe('calendar text', () => {
  it('is byte for byte what ical-generator writes, for an invite and for a feed', () => {
    const invite = {
      prodId: { company: 'Join In', product: 'Join In', language: 'EN' },
      method: ICalCalendarMethod.REQUEST,
    }
    expect(calendarText(invite, [events[0]!])).toBe(ical({ ...invite, events: [events[0]!] }).toString())
    const feed = { ...invite, name: 'Join In activities', method: ICalCalendarMethod.PUBLISH, ttl: 3600 }
    expect(calendarText(feed, events)).toBe(ical({ ...feed, events }).toString())
  })

  it('folds long lines at 75 octets without splitting a character, as ical-generator does', () => {
    for (const line of [
      'A'.repeat(200),
      `DESCRIPTION:${'é'.repeat(100)}`,
      `SUMMARY:${'🥞'.repeat(60)}`,
      `X:${'a€'.repeat(50)}\ud800`,
      `X:\udc00${'b'.repeat(80)}\ud800c${'d'.repeat(80)}`,
      'short\r\nanother line',
    ]) {
      expect(foldLines(line)).toBe(icalFoldLines(line))
    }
    const folded = foldLines(`SUMMARY:${'🥞'.repeat(60)}`).split('\r\n')
    expect(folded.every((l) => Buffer.byteLength(l) <= 75)).toBe(true)
  })

  it('writes no control character (RFC 5545 text has none), even from a session saved with one', () => {
    const text = inviteCalendar(
      {
        id: 1,
        title: 'Art\u0001 club\u000b',
        description: 'Paint\u0000 and glue.\u007f',
        starts_at: '2026-03-01T16:00:00.000Z',
        ends_at: '2026-03-01T17:00:00.000Z',
        location_type: 'in_person',
        venue: 'Hall\u001f 2',
        status: 'published',
        sequence: 0,
      },
      { uid: 'booking-1@test.invalid', sequence: 0, pageUrl: 'https://join-in.test/activities/1' },
    )
    expect(text).toContain('SUMMARY:Art club\r\n')
    expect(text).toContain('DESCRIPTION:Paint and glue.')
    expect(text).toContain('LOCATION:Hall 2\r\n')
    expect([...text].filter((ch) => ch < ' ' && !'\r\n'.includes(ch))).toEqual([])
  })
})
