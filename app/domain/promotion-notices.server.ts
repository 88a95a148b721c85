// Telling families about places the waiting list gave them, when one change freed several
// sessions at once (a series booking's holds running out, an account deleted, a person's data
// erased): each family hears once per series, in one email that lists every date it now has a
// place on, with one invite holding each date's event (under that date's booking UID, as the
// single invites are). A family promoted on one session only gets the usual "a space came up".
import type { Transaction } from 'kysely'
import type { DB } from '../../db/index'
import type { Database } from '../../db/schema'
import { nextInviteSequence, queuePlacesFromWaitingList } from './booking-emails.server'
import type { Links } from './links'
import { livePlacesOf, queueSeriesBookedEmail, type SeriesEmailDateInput } from './series-bookings.server'
import { emailOrganisation } from './settings.server'
import { promotedFamilyKey, type Promotion } from './waiting-list.server'

type Tx = Transaction<Database>

/** Groups the promotions by family and series (a session in no series is a group of its own). */
export function groupPromotions(promotions: readonly Promotion[]): Promotion[][] {
  const groups = new Map<string, Promotion[]>()
  for (const promotion of promotions) {
    const first = promotion.promoted[0]
    if (!first) continue
    const series = promotion.activity.series_id ?? `session:${promotion.activity.id}`
    const key = `${promotedFamilyKey(first)}|${series}`
    groups.set(key, [...(groups.get(key) ?? []), promotion])
  }
  return [...groups.values()].map((group) =>
    group.sort((a, b) => a.activity.starts_at.localeCompare(b.activity.starts_at) || a.activity.id - b.activity.id),
  )
}

/** Emails each promoted family once per series, inside the transaction that promoted them. */
export async function tellPromotedFamilies(trx: Tx, promotions: readonly Promotion[], links: Links): Promise<void> {
  const groups = groupPromotions(promotions)
  if (groups.length === 0) return
  let organisation: Awaited<ReturnType<typeof emailOrganisation>> | undefined
  for (const group of groups) {
    if (group.length === 1) {
      await queuePlacesFromWaitingList(trx, group[0]!.activity, group[0]!.promoted, links)
      continue
    }
    organisation ??= await emailOrganisation(trx as unknown as DB, links)
    const dates: SeriesEmailDateInput[] = []
    for (const { activity, promoted } of group) {
      const bookingIds = [...new Set(promoted.map((p) => p.bookingId))]
      // The booking of the earliest promoted place carries the date's invite: its SEQUENCE goes up.
      const booking = await nextInviteSequence(
        trx,
        await trx.selectFrom('booking').selectAll().where('id', '=', promoted[0]!.bookingId).executeTakeFirstOrThrow(),
      )
      const places = await livePlacesOf(trx, bookingIds)
      dates.push({
        activity,
        plan: null,
        booking,
        places,
        manageToken: null,
        startsAt: activity.starts_at,
        endsAt: activity.ends_at,
      })
    }
    const first = dates[0]!.booking!
    const promotedIds = group.flatMap((g) => g.promoted.map((p) => p.id)).sort((a, b) => a - b)
    await queueSeriesBookedEmail(trx, 'series-places-offered', {
      to: first.email,
      contactName: first.contact_name,
      dates,
      links,
      organisation,
      dedupeKey: `offered:places:${promotedIds.join('-')}`,
      limited: false,
    })
  }
}
