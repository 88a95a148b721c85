import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { useLoaderData } from 'react-router'
import { InsetText } from '~/components'
import { SpacesTag } from '~/components/activity-summary'
import { listPublicActivities } from '~/domain/activities.server'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'Adoptables: meetings for adopted young people – Join In' }]

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
          Adoptables is a group for adopted young people aged 12 to 18. You meet other young people who are adopted,
          online on Microsoft Teams, and tell the people who run adoption services what needs to change.
        </p>
        <p className="govuk-body">
          You sign up yourself. We only ask for your first name, date of birth, email and the council area you live in.
          If you are under 13, we ask your parent or carer to say yes first.
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href="/adoptables/privacy">
            What we do with your details
          </a>
        </p>
        <h2 className="govuk-heading-m">Upcoming meetings</h2>
        {meetings.length === 0 ? (
          <p className="govuk-body">There are no meetings planned yet. Check again soon.</p>
        ) : (
          <ul className="app-activity-list">
            {meetings.map((m) => (
              <li className="app-activity-list__item" key={m.id}>
                <h3 className="govuk-heading-m app-activity-list__title">{m.title}</h3>
                <p className="govuk-body app-activity-list__meta">
                  <strong>{formatLondonDate(m.starts_at)}</strong>, {formatLondonTimeRange(m.starts_at, m.ends_at)}
                </p>
                <p className="govuk-body-s">
                  <SpacesTag spacesLeft={m.spacesLeft} />
                </p>
                <a
                  className="govuk-button govuk-!-margin-bottom-0"
                  href={`/adoptables/join?meeting=${m.id}`}
                  role="button"
                  draggable="false"
                >
                  Join this meeting<span className="govuk-visually-hidden">: {formatLondonDate(m.starts_at)}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
        <InsetText>
          Already signed up? Fill in the form again with the same email and date of birth, and we will email you your
          link. We never show anything on screen to whoever types an email address.
        </InsetText>
      </div>
    </div>
  )
}
