// Spaces kept for an offer. Near the start a freed space is offered to the families waiting
// (offers.server.ts), and the first of them to claim it gets it. While such an offer is open and
// the family it went to is still waiting, the session's free spaces are kept for the waiting list:
// the public pages show the session as full and a new booking joins the list behind, so a family
// that was offered the place is not beaten to it by someone who was never waiting. The offer ends
// at the booking close, when no one can book anyway.
import type { ExpressionBuilder } from 'kysely'
import type { Database } from '../../db/schema'

/** The column `on_offer` of each activity row: open offers whose family is still waiting (0: none). */
export function spacesOnOffer(eb: ExpressionBuilder<Database, 'activity'>) {
  return eb
    .selectFrom('place_offer')
    .innerJoin('place', (join) =>
      join
        .onRef('place.booking_id', '=', 'place_offer.booking_id')
        .onRef('place.activity_id', '=', 'place_offer.activity_id'),
    )
    .select((e) => e.fn.countAll<number>().as('n'))
    .whereRef('place_offer.activity_id', '=', 'activity.id')
    .where('place_offer.outcome', 'is', null)
    .where('place.status', '=', 'waitlisted')
    .as('on_offer')
}

/** Spaces a new booking can have: none while an offer is open, otherwise what is free. */
export function spacesForNewBookings(free: number, onOffer: number | string | null | undefined): number {
  return Number(onOffer ?? 0) > 0 ? 0 : free
}
