// The waiting list's rule on its own (choosePromotions): which waiting places a number of free
// spaces goes to. Queue order is place id; a family is one group (a booking with no family is one).
import { describe, expect, it } from 'vitest'
import { choosePromotions, type WaitingPlace } from '../../app/domain/waiting-list.server'

function place(
  id: number,
  group: { family?: number; booking?: number },
  extra: Partial<WaitingPlace> = {},
): WaitingPlace {
  return {
    id,
    bookingId: group.booking ?? 1000 + (group.family ?? id),
    familyId: group.family ?? null,
    onHold: false,
    separately: false,
    ...extra,
  }
}

const ids = (chosen: WaitingPlace[]) => chosen.map((p) => p.id)

describe('choosePromotions', () => {
  it('gives nothing when there is no space or nobody waiting', () => {
    expect(choosePromotions([place(1, { family: 1 })], 0)).toEqual([])
    expect(choosePromotions([], 3)).toEqual([])
  })

  it('passes over a family that does not all fit, for the next that does', () => {
    const waiting = [place(1, { family: 1 }), place(2, { family: 1 }), place(3, { family: 2 }), place(4, { family: 3 })]
    expect(ids(choosePromotions(waiting, 1))).toEqual([3])
    expect(ids(choosePromotions(waiting, 2))).toEqual([1, 2])
    expect(ids(choosePromotions(waiting, 3))).toEqual([1, 2, 3])
    expect(ids(choosePromotions(waiting, 10))).toEqual([1, 2, 3, 4])
  })

  it("orders families by each one's earliest waiting place, even when a sibling joined later", () => {
    // family 1's second child joined the list after family 2's child
    const waiting = [place(1, { family: 1 }), place(2, { family: 2 }), place(3, { family: 1 })]
    expect(ids(choosePromotions(waiting, 2))).toEqual([1, 3])
    expect(ids(choosePromotions(waiting, 1))).toEqual([2])
  })

  it('lets a family whose children may be separated take as many places as fit, in order', () => {
    const waiting = [
      place(1, { family: 1 }, { separately: true }),
      place(2, { family: 1 }, { separately: true }),
      place(3, { family: 1 }, { separately: true }),
      place(4, { family: 2 }),
    ]
    expect(ids(choosePromotions(waiting, 2))).toEqual([1, 2])
    expect(ids(choosePromotions(waiting, 4))).toEqual([1, 2, 3, 4])
  })

  it('passes over a booking on hold, and holds back a family that is together when one of its bookings is on hold', () => {
    const waiting = [
      place(1, { family: 1, booking: 11 }),
      place(2, { family: 1, booking: 12 }, { onHold: true }),
      place(3, { family: 2 }, { onHold: true }),
      place(4, { family: 3 }),
    ]
    expect(ids(choosePromotions(waiting, 3))).toEqual([4])
  })

  it('lets a family whose children may be separated take its places not on hold', () => {
    const waiting = [
      place(1, { family: 1, booking: 11 }, { separately: true, onHold: true }),
      place(2, { family: 1, booking: 12 }, { separately: true }),
    ]
    expect(ids(choosePromotions(waiting, 2))).toEqual([2])
  })

  it('keeps the children of a booking with no family together, and two such bookings apart', () => {
    const waiting = [place(1, { booking: 7 }), place(2, { booking: 7 }), place(3, { booking: 8 })]
    expect(ids(choosePromotions(waiting, 1))).toEqual([3])
    expect(ids(choosePromotions(waiting, 2))).toEqual([1, 2])
  })
})
