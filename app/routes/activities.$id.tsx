import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { BackLink, InsetText, SummaryList } from '~/components'
import { SpacesTag } from '~/components/activity-summary'
import { getPublicActivity } from '~/domain/activities.server'
import { describeAgeRange } from '~/domain/age'
import { bookingWindowState } from '~/domain/booking-window'
import { parseId } from '~/domain/ids'
import { formatLondonDate, formatLondonTime, formatLondonTimeRange } from '~/domain/london-time'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.activity.title} – Join In` : 'Activity not found – Join In' },
]

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = parseId(params.id)
  const activity = id ? await getPublicActivity(context.db, id) : null
  if (!activity) throw new Response('Not found', { status: 404 })
  return { activity, window: bookingWindowState(activity) }
}

export default function ActivityPage() {
  const { activity, window } = useLoaderData<typeof loader>()
  const isAdoptables = activity.kind === 'adoptables'
  return (
    <>
      <BackLink href={isAdoptables ? '/adoptables' : '/'}>{isAdoptables ? 'All Adoptables meetings' : 'All activities'}</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{isAdoptables ? 'Adoptables meeting' : activity.category}</span>
          <h1 className="govuk-heading-l">{activity.title}</h1>
          {window === 'cancelled' ? (
            <InsetText>
              {`This session has been cancelled.${activity.cancel_reason ? ` ${activity.cancel_reason}` : ''}`}
            </InsetText>
          ) : null}
          <SummaryList
            rows={[
              { key: 'Date', value: formatLondonDate(activity.starts_at) },
              { key: 'Time', value: `${formatLondonTimeRange(activity.starts_at, activity.ends_at)} (UK time)` },
              { key: 'Ages', value: describeAgeRange(activity.min_age, activity.max_age) },
              { key: 'Where', value: activity.location_type === 'online' ? 'Online on Microsoft Teams' : activity.venue },
              { key: 'Spaces', value: <SpacesTag spacesLeft={activity.spacesLeft} /> },
            ]}
          />
          {activity.description.split(/\n{2,}/).map((paragraph, i) => (
            <p className="govuk-body" key={i}>
              {paragraph}
            </p>
          ))}
          {activity.location_type === 'online' ? (
            <p className="govuk-body">You get the Teams joining link by email when your booking is confirmed.</p>
          ) : null}
          {window === 'not-yet-open' && activity.booking_opens_at ? (
            <InsetText>
              Booking opens on {formatLondonDate(activity.booking_opens_at)} at {formatLondonTime(activity.booking_opens_at)}.
            </InsetText>
          ) : null}
          {window === 'closed' ? <InsetText>Booking for this session has closed.</InsetText> : null}
        </div>
      </div>
    </>
  )
}
