// One session in a public list: what parents scan for on a phone — when, for which ages, spaces.
import type { PublicActivityWithSpaces } from '~/domain/activities.server'
import { describeAgeRange } from '~/domain/age'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'
import { Tag } from './tag'

export function ActivityListItem({ activity }: { activity: PublicActivityWithSpaces }) {
  return (
    <li className="app-activity-list__item">
      <h2 className="govuk-heading-m app-activity-list__title">
        <a className="govuk-link" href={`/activities/${activity.id}`}>
          {activity.title}
        </a>
      </h2>
      <p className="govuk-body app-activity-list__meta">
        <strong>{formatLondonDate(activity.starts_at)}</strong>,{' '}
        {formatLondonTimeRange(activity.starts_at, activity.ends_at)}
      </p>
      <p className="govuk-body-s app-activity-list__meta">
        {describeAgeRange(activity.min_age, activity.max_age)} · {activity.category} ·{' '}
        {activity.location_type === 'online' ? 'Online on Microsoft Teams' : activity.venue}
      </p>
      <p className="govuk-body-s govuk-!-margin-bottom-0">
        <SpacesTag spacesLeft={activity.spacesLeft} />
      </p>
    </li>
  )
}

export function SpacesTag({ spacesLeft }: { spacesLeft: number }) {
  if (spacesLeft === 0) return <Tag colour="red">Full</Tag>
  return (
    <Tag colour={spacesLeft <= 3 ? 'yellow' : 'green'}>
      {spacesLeft === 1 ? '1 space left' : `${spacesLeft} spaces left`}
    </Tag>
  )
}
