// Who hears once about places the waiting list gave them on several sessions at once
// (groupPromotions): one email per family and series, dates in order; a session in no series, and
// a booking with no family, each on their own.
import { describe, expect, it } from 'vitest'
import type { Activity } from '../../db/schema'
import { groupPromotions } from '../../app/domain/promotion-notices.server'
import type { Promotion, WaitingPlace } from '../../app/domain/waiting-list.server'

const session = (id: number, seriesId: number | null, startsAt: string) =>
  ({ id, series_id: seriesId, starts_at: startsAt }) as Activity
const place = (id: number, bookingId: number, familyId: number | null): WaitingPlace => ({
  id,
  bookingId,
  familyId,
  onHold: false,
  separately: false,
})

describe('groupPromotions', () => {
  it('puts a family’s dates of one series together, in date order, and keeps the rest apart', () => {
    const promotions: Promotion[] = [
      { activity: session(12, 7, '2027-02-08T16:00:00.000Z'), promoted: [place(120, 1200, 1)] },
      { activity: session(11, 7, '2027-02-01T16:00:00.000Z'), promoted: [place(110, 1100, 1), place(111, 1100, 1)] },
      // another family on the same series
      { activity: session(11, 7, '2027-02-01T16:00:00.000Z'), promoted: [place(112, 1101, 2)] },
      // the first family on a session of another series, and on a session in none
      { activity: session(21, 8, '2027-01-15T16:00:00.000Z'), promoted: [place(210, 2100, 1)] },
      { activity: session(31, null, '2027-01-20T16:00:00.000Z'), promoted: [place(310, 3100, 1)] },
      { activity: session(32, null, '2027-01-21T16:00:00.000Z'), promoted: [place(320, 3200, 1)] },
      // bookings with no family: each its own, even on one series
      { activity: session(11, 7, '2027-02-01T16:00:00.000Z'), promoted: [place(113, 1102, null)] },
      { activity: session(12, 7, '2027-02-08T16:00:00.000Z'), promoted: [place(121, 1201, null)] },
      // nothing promoted: nobody to tell
      { activity: session(13, 7, '2027-02-15T16:00:00.000Z'), promoted: [] },
    ]
    const groups = groupPromotions(promotions).map((g) =>
      g.map((p) => `${p.activity.id}:${p.promoted.map((x) => x.id).join('+')}`),
    )
    expect(groups).toEqual([
      ['11:110+111', '12:120'],
      ['11:112'],
      ['21:210'],
      ['31:310'],
      ['32:320'],
      ['11:113'],
      ['12:121'],
    ])
  })
})
