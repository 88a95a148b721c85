// A family's page for staff: contact details, each child with their consents, and every booking
// with each child's place. Reached from a session's bookings, its register and the approvals queue.
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { useLoaderData } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { BackLink, SummaryList, Tag, type TagColour } from '~/components'
import { CONSENT_KINDS, CONSENT_LABELS, consentWithDate } from '~/domain/child-consents'
import { parseId } from '~/domain/ids'
import { viewFamily, type StaffFamilyBooking } from '~/domain/staff-families.server'
import type { PlaceStatus } from '../../db/schema'
import {
  formatCalendarDate,
  formatLondonDate,
  formatLondonTime,
  formatLondonTimeRange,
  londonDateOf,
} from '~/time/london-time'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.family.contactName || 'Family'} – Join In staff` },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:read')
  const page = await viewFamily(context.db, parseId(params.id), { id: staff.id, ip: context.clientIp }, context.now())
  if (!page) throw new Response('Not found', { status: 404 })
  return page
}

function placeStatus(status: PlaceStatus, booking: StaffFamilyBooking): { text: string; colour?: TagColour } {
  switch (status) {
    case 'confirmed':
      return { text: 'Booked', colour: 'green' }
    case 'waitlisted':
      return { text: 'Waiting list', colour: 'yellow' }
    case 'held':
      return booking.holdReason === 'approval'
        ? { text: 'Held: waiting for approval', colour: 'orange' }
        : { text: 'Held: waiting for the email address to be confirmed', colour: 'orange' }
    case 'cancelled':
      return booking.declineReason ? { text: 'Declined', colour: 'red' } : { text: 'Cancelled', colour: 'grey' }
  }
}

function onDay(instant: string | null): string {
  return instant ? formatCalendarDate(londonDateOf(instant)) : ''
}

export default function StaffFamily() {
  const { family, children, bookings, noShows } = useLoaderData<typeof loader>()
  return (
    <>
      <BackLink href="/staff">All sessions</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Family</span>
          <h1 className="govuk-heading-l govuk-!-text-break-word">{family.contactName || family.email}</h1>
          <SummaryList
            rows={[
              { key: 'Parent or carer', value: family.contactName || 'Not given' },
              {
                key: 'Email address',
                value: (
                  <a className="govuk-link govuk-!-text-break-word" href={`mailto:${family.email}`}>
                    {family.email}
                  </a>
                ),
              },
              { key: 'Phone', value: family.phone || 'Not given' },
              { key: 'Emergency number', value: family.emergencyPhone || 'Not given' },
              { key: 'Home council', value: family.authorityName || 'Not given' },
              {
                key: 'Email address confirmed',
                value: family.confirmedAt
                  ? `Yes, ${onDay(family.confirmedAt)}`
                  : 'No: their places are held until they use the link we emailed',
              },
              {
                key: 'Approved',
                value: family.approvedAt ? `Yes, ${onDay(family.approvedAt)}` : 'No',
              },
              {
                key: 'Children can take places separately',
                value: family.placesSeparately ? 'Yes' : 'No, they are offered places together',
              },
            ]}
          />

          <h2 className="govuk-heading-m">{`Children (${children.length})`}</h2>
          {children.length === 0 ? <p className="govuk-body">No children are saved for this family.</p> : null}
          {children.map((child) => (
            <div className="govuk-summary-card" key={child.id}>
              <div className="govuk-summary-card__title-wrapper">
                <h3 className="govuk-summary-card__title govuk-!-text-break-word">{child.firstName}</h3>
              </div>
              <div className="govuk-summary-card__content">
                <SummaryList
                  rows={[
                    { key: 'Date of birth', value: formatCalendarDate(child.dateOfBirth) },
                    {
                      key: 'Support needs',
                      value: <span className="app-pre-wrap">{child.supportNeeds || 'None given'}</span>,
                    },
                    ...CONSENT_KINDS.map((kind) => ({
                      key: CONSENT_LABELS[kind].full,
                      value: consentWithDate(child.consents[kind]),
                    })),
                  ]}
                />
              </div>
            </div>
          ))}

          <h2 className="govuk-heading-m">{`No-shows in the last 12 months (${noShows.length})`}</h2>
          <p className="govuk-body">
            Places marked “did not attend” on a session’s register. This is for you to talk about with the family if you
            need to: nobody is stopped from booking because of it.
          </p>
          {noShows.length > 0 ? (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--s">
                Sessions a child was booked on and did not attend
              </caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Date
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Session
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Child
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {noShows.map((noShow) => (
                  <tr className="govuk-table__row" key={noShow.placeId}>
                    <td className="govuk-table__cell">{onDay(noShow.startsAt)}</td>
                    <td className="govuk-table__cell govuk-!-text-break-word">
                      <a className="govuk-link" href={`/staff/activities/${noShow.activityId}`}>
                        {noShow.title}
                      </a>
                    </td>
                    <td className="govuk-table__cell govuk-!-text-break-word">{noShow.firstName ?? '(name erased)'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}

          <h2 className="govuk-heading-m">{`Bookings (${bookings.length})`}</h2>
          <p className="govuk-body">
            <a className="govuk-link" href={`/staff/families/${family.id}/book`}>
              Book a session for this family
            </a>
          </p>
          {bookings.length === 0 ? <p className="govuk-body">This family has no bookings.</p> : null}
          {bookings.map((booking) => (
            <div className="govuk-summary-card" key={booking.id}>
              <div className="govuk-summary-card__title-wrapper">
                <h3 className="govuk-summary-card__title govuk-!-text-break-word">
                  <a className="govuk-link" href={`/staff/activities/${booking.activityId}`}>
                    {booking.title}
                  </a>
                </h3>
              </div>
              <div className="govuk-summary-card__content">
                <SummaryList
                  rows={[
                    {
                      key: 'Date',
                      value: `${formatLondonDate(booking.startsAt)}, ${formatLondonTimeRange(booking.startsAt, booking.endsAt)}${booking.activityStatus === 'cancelled' ? ' (session cancelled)' : ''}`,
                    },
                    { key: 'Reference', value: booking.reference },
                    {
                      key: 'Booked',
                      value: `${formatLondonDate(booking.bookedAt)} at ${formatLondonTime(booking.bookedAt)}`,
                    },
                    ...booking.places.map((place) => {
                      const status = placeStatus(place.status, booking)
                      return {
                        key: place.firstName ?? '(name erased)',
                        value: <Tag colour={status.colour}>{status.text}</Tag>,
                      }
                    }),
                    ...(booking.declineReason
                      ? [
                          {
                            key: 'Why it was declined',
                            value: <span className="app-pre-wrap">{booking.declineReason}</span>,
                          },
                        ]
                      : []),
                  ]}
                />
              </div>
            </div>
          ))}
        </div>
      </div>
    </>
  )
}
