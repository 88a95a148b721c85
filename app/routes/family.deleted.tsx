// After "Delete our account": nothing of the family is left to show, and this device is signed out.
import type { MetaFunction } from 'react-router'
import { Panel } from '~/components'
import { ActivitiesLink } from '~/components/activities-link'

export const meta: MetaFunction = () => [{ title: 'Your account has been deleted – Join In' }]

export default function AccountDeleted() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Panel title="Your account has been deleted" />
        <p className="govuk-body">
          We have deleted your details and your children’s details, and sent an email to confirm it.
        </p>
        <ActivitiesLink />
      </div>
    </div>
  )
}
