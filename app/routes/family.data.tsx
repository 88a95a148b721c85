// "Download our data": everything held about the family, as a JSON file or a CSV file.
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { requireFamily } from '~/auth/family-session.server'
import { BackLink } from '~/components'

export const meta: MetaFunction = () => [{ title: 'Download our data – Join In' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireFamily(request, context)
  return null
}

export default function DownloadOurData() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/family">Back to your family</BackLink>
        <h1 className="govuk-heading-l">Download our data</h1>
        <p className="govuk-body">
          The file holds everything we keep about your family: your contact details, your children’s details and
          consents, and your bookings with the sessions’ titles and dates.
        </p>
        <ul className="govuk-list">
          <li>
            <a className="govuk-link" href="/family/data.csv" download>
              Download as a spreadsheet (CSV)
            </a>
          </li>
          <li>
            <a className="govuk-link" href="/family/data.json" download>
              Download as JSON, for moving to another service
            </a>
          </li>
        </ul>
        <p className="govuk-body">Keep the file safe: it has your children’s names and dates of birth in it.</p>
      </div>
    </div>
  )
}
