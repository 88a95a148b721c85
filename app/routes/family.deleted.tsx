// After "Delete our account": nothing of the family is left to show, and this device is signed out.
import type { MetaFunction } from 'react-router'
import { Panel } from '~/components'

export const meta: MetaFunction = () => [{ title: 'Your account has been deleted – Join In' }]

export default function AccountDeleted() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Panel title="Your account has been deleted" />
        <p className="govuk-body">
          We have deleted your details and your children’s details, and sent an email to confirm it.
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href="/">
            See the activities you can book
          </a>
        </p>
      </div>
    </div>
  )
}
