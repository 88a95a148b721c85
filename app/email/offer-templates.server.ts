// The email a waiting family gets when a space frees near the start: a claim link, first to claim
// gets it. It never carries the joining link (the family has no confirmed place yet): that comes in
// the "place offered" email once the claim has confirmed the place.
import type { Activity } from '../../db/schema'
import { formatLondonDate, formatLondonTime, formatLondonTimeRange } from '../time/london-time'
import { names, render, type EmailContent, type EmailOrganisation } from './templates.server'

export interface PlaceOfferEmailData {
  contactName: string
  reference: string
  activity: Pick<Activity, 'title' | 'starts_at' | 'ends_at' | 'location_type' | 'venue'>
  /** the waiting children the claim would give places to */
  waitingNames: string[]
  claimUrl: string
  /** the booking close: the offer ends then */
  endsAt: string
  organisation: EmailOrganisation
}

export function placeOfferEmail(d: PlaceOfferEmailData): EmailContent {
  const when = `${formatLondonDate(d.activity.starts_at)}, ${formatLondonTimeRange(d.activity.starts_at, d.activity.ends_at)} (UK time)`
  const where = d.activity.location_type === 'online' ? 'Online on Microsoft Teams' : (d.activity.venue ?? '')
  const children = d.waitingNames.map((n) => n || 'your child')
  const plural = children.length > 1
  const ends = `${formatLondonTime(d.endsAt)} on ${formatLondonDate(d.endsAt)} (UK time)`
  return render(
    `A place has come up: ${d.activity.title} – ${d.reference}`,
    [
      { text: `Dear ${d.contactName || 'parent or carer'},` },
      {
        text: `${plural ? 'Places have' : 'A place has'} come up on this session, where ${names(children)} ${plural ? 'are' : 'is'} on the waiting list:`,
      },
      { text: `${d.activity.title}\n${when}\n${where}\nBooking reference: ${d.reference}` },
      {
        text: `We have told everyone on the waiting list for whom the space is enough. The first family to claim it gets it. If someone claims it before you, ${names(children)} will stay on the waiting list.`,
      },
      { link: d.claimUrl, label: plural ? 'Claim the places' : 'Claim the place' },
      { text: `You can claim until booking closes at ${ends}.` },
      { text: 'If you cannot come, you do not need to do anything.' },
      { text: d.organisation.organisationName },
    ],
    d.organisation,
  )
}
