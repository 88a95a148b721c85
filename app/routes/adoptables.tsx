import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { ActivityListItem } from '~/components/activity-summary'
import { listPublicActivities } from '~/domain/activities.server'

export const meta: MetaFunction = () => [{ title: 'Adoptables meetings for young people – Join In' }]

export async function loader({ context }: LoaderFunctionArgs) {
  return { meetings: await listPublicActivities(context.db, { kind: 'adoptables' }) }
}

export default function Adoptables() {
  const { meetings } = useLoaderData<typeof loader>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">Adoptables</h1>
        <p className="govuk-body-l">
          Adoptables is a group for adopted young people aged 12 to 18. You meet other adopted young people online and
          help change how adoption works, by telling the people who make decisions what matters to you.
        </p>
        <h2 className="govuk-heading-m">Upcoming meetings</h2>
        {meetings.length === 0 ? (
          <p className="govuk-body">There are no meetings planned yet. Check again soon.</p>
        ) : (
          <ul className="app-activity-list">
            {meetings.map((m) => (
              <ActivityListItem key={m.id} activity={m} />
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}
