// Calendar times name the session's instant whatever zone the server runs in: the suite runs in
// UTC, Europe/London and Pacific/Auckland, and a summer session is where UTC and London differ.
import { describe, expect, it } from 'vitest'
import { publicFeed } from '../../app/calendar/ics.server'
import type { PublicActivity } from '../../app/domain/activities.server'
import { firstEvent, instantOf, londonClock, readCalendar } from '../support/calendar'

function session(startsAt: string, endsAt: string): PublicActivity {
  return {
    id: 7,
    kind: 'activity',
    title: 'Rock pooling',
    description: 'What lives under the seaweed.',
    starts_at: startsAt,
    ends_at: endsAt,
    status: 'published',
    sequence: 0,
    location_type: 'online',
    venue: null,
  } as unknown as PublicActivity
}

describe('calendar times', () => {
  it.each([
    // 16:00 to 17:00 BST is 15:00 to 16:00 UTC
    ['a summer session', '2027-07-15T15:00:00.000Z', '2027-07-15T16:00:00.000Z'],
    // 16:00 to 17:00 GMT
    ['a winter session', '2027-01-14T16:00:00.000Z', '2027-01-14T17:00:00.000Z'],
  ])('gives %s its own instants, 16:00 to 17:00 in London', (_, startsAt, endsAt) => {
    const feed = publicFeed([session(startsAt, endsAt)], {
      name: 'Join In',
      baseUrl: 'https://join-in.test',
      domain: 'join-in.test',
    })
    const event = firstEvent(readCalendar(feed))
    expect(instantOf(event, 'dtstart').toISOString()).toBe(startsAt)
    expect(instantOf(event, 'dtend').toISOString()).toBe(endsAt)
    expect([londonClock(instantOf(event, 'dtstart')), londonClock(instantOf(event, 'dtend'))]).toEqual([
      '16:00',
      '17:00',
    ])
  })
})
