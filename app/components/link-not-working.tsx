import { ActivitiesLink } from './activities-link'

/** A family's emailed link that was used already or ran out: what to do next, never an error page. */
export function LinkNotWorking() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">This link has already been used or has run out</h1>
        <p className="govuk-body">
          If you have already confirmed your booking, sign in to see it. If the time to confirm ran out, the places went
          to the next family on the waiting list: you can book again if there are spaces.
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href="/family/sign-in">
            Sign in to see your bookings
          </a>
        </p>
        <ActivitiesLink />
      </div>
    </div>
  )
}
