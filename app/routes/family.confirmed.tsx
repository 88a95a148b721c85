// After a family's confirm link: what was confirmed, on this family's own booking (signed in now).
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, useLoaderData } from 'react-router'
import { requireFamily } from '~/auth/family-session.server'
import { InsetText, NotificationBanner, Panel } from '~/components'
import { confirmedBookingOf, type SeriesDateOutcome } from '~/domain/family-confirmation.server'
import { joinNames } from '~/domain/names'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `${loaded ? headingOf(loaded.result) : 'Booking confirmed'} – Join In` },
]

type ConfirmedBooking = NonNullable<Awaited<ReturnType<typeof confirmedBookingOf>>>

/** Whether any child has a place now (on a series: on any of its dates) */
function anyConfirmedIn(result: ConfirmedBooking): boolean {
  return result.seriesDates.length > 1
    ? result.seriesDates.some((d) => d.confirmed.length > 0)
    : result.confirmed.length > 0
}

/** The page's heading, as its title */
function headingOf(result: ConfirmedBooking): string {
  if (result.status !== 'confirmed') return 'Thank you: the team will check your booking'
  return anyConfirmedIn(result) ? 'Booking confirmed' : 'Email address confirmed'
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const family = await requireFamily(request, context)
  const url = new URL(request.url)
  const reference = url.searchParams.get('reference') ?? ''
  const doubles = (url.searchParams.get('doubles') ?? '')
    .split('-')
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n > 0)
    .slice(0, 20)
  const result = /^JN-[A-Z0-9]{5}$/.test(reference)
    ? await confirmedBookingOf(context.db, family.id, reference, doubles)
    : null
  if (!result) throw new Response('Not found', { status: 404 })
  return data({ result }, { headers: { 'Cache-Control': 'no-store' } })
}

export default function Confirmed() {
  const { result } = useLoaderData<typeof loader>()
  const when = `${formatLondonDate(result.activity.starts_at)}, ${formatLondonTimeRange(result.activity.starts_at, result.activity.ends_at)} (UK time)`
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {result.status === 'confirmed' ? (
          <Panel title={headingOf(result)}>
            {result.seriesDates.length > 1 ? (
              `${result.seriesDates.length} dates`
            ) : (
              <>
                Your reference is
                <br />
                <strong>{result.reference}</strong>
              </>
            )}
          </Panel>
        ) : (
          <h1 className="govuk-heading-l">{headingOf(result)}</h1>
        )}
        {result.alreadyBooked.length ? (
          <NotificationBanner>{`${joinNames(result.alreadyBooked)} already had a place on this session, so we have not booked them twice.`}</NotificationBanner>
        ) : null}
        {result.seriesDates.length > 1 ? (
          <>
            <p className="govuk-body">{`${result.activity.title}: ${result.seriesDates.length} dates, one booking for each.`}</p>
            <dl className="govuk-summary-list">
              {result.seriesDates.map((date) => (
                <div className="govuk-summary-list__row" key={date.reference}>
                  <dt className="govuk-summary-list__key">
                    {formatLondonDate(date.starts_at)}
                    <br />
                    <span className="govuk-body-s">{`${formatLondonTimeRange(date.starts_at, date.ends_at)} (UK time), ${date.reference}`}</span>
                  </dt>
                  <dd className="govuk-summary-list__value">
                    {[
                      date.confirmed.length ? `${joinNames(date.confirmed)}: place confirmed` : '',
                      date.held.length ? `${joinNames(date.held)}: place held until the team checks it` : '',
                      date.waitlisted.length ? `${joinNames(date.waitlisted)}: on the waiting list` : '',
                    ]
                      .filter(Boolean)
                      .map((line) => (
                        <p className="govuk-body govuk-!-margin-bottom-1" key={line}>
                          {line}
                        </p>
                      ))}
                  </dd>
                </div>
              ))}
            </dl>
          </>
        ) : (
          <p className="govuk-body">{`${result.activity.title}, ${when}.`}</p>
        )}
        {result.seriesDates.length > 1 ? (
          <SeriesNotes dates={result.seriesDates} />
        ) : (
          <>
            {result.confirmed.length ? (
              <p className="govuk-body">{`${joinNames(result.confirmed)} ${result.confirmed.length > 1 ? 'have places' : 'has a place'}. We have emailed you the Teams joining link and a calendar invite.`}</p>
            ) : null}
            {result.held.length ? (
              <InsetText>
                {`As this is your first booking with us, the team checks it before it is confirmed. We are holding the places for ${joinNames(result.held)} and will email you when it is confirmed.`}
              </InsetText>
            ) : null}
            {result.waitlisted.length ? (
              <p className="govuk-body">{`${joinNames(result.waitlisted)} ${result.waitlisted.length > 1 ? 'are' : 'is'} on the waiting list. If a space comes up, we book it and email you.`}</p>
            ) : null}
          </>
        )}
        <p className="govuk-body">
          You are now signed in on this device, so next time you can book by ticking your children.
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href="/family/bookings">
            See your bookings
          </a>
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href="/">
            Book another activity
          </a>
        </p>
      </div>
    </div>
  )
}

/** What the family should know about a series booking as a whole, below its dates. */
function SeriesNotes({ dates }: { dates: SeriesDateOutcome[] }) {
  const anyConfirmed = dates.some((d) => d.confirmed.length > 0)
  const anyHeld = dates.some((d) => d.held.length > 0)
  const anyWaiting = dates.some((d) => d.waitlisted.length > 0)
  return (
    <>
      {anyConfirmed ? (
        <p className="govuk-body">
          We have emailed you the Teams joining link and one calendar invite of the confirmed dates.
        </p>
      ) : null}
      {anyHeld ? (
        <InsetText>
          As this is your first booking with us, the team checks it before it is confirmed. We are holding the places
          and will email you when it is confirmed.
        </InsetText>
      ) : null}
      {anyWaiting ? (
        <p className="govuk-body">
          If a space comes up on a date where you are on the waiting list, we book it and email you.
        </p>
      ) : null}
      <p className="govuk-body">You can cancel any one date later without losing the others.</p>
    </>
  )
}
