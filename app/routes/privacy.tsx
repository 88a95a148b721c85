import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { useLoaderData } from 'react-router'
import { getRetentionMonths } from '~/domain/retention.server'

export const meta: MetaFunction = () => [{ title: 'Privacy – Join In' }]

/** The period is an admin setting, so the page says what the service actually does. */
export async function loader({ context }: LoaderFunctionArgs) {
  return { retentionMonths: await getRetentionMonths(context.db) }
}

export default function Privacy() {
  const { retentionMonths } = useLoaderData<typeof loader>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">How we use your information</h1>
        <p className="govuk-body">
          Join In is run by the Virtual School Kent Participation &amp; Engagement team for Adoption Partnership South
          East (Kent, Medway and Bexley).
        </p>
        <h2 className="govuk-heading-m">What we keep</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>your name, email address and, if you give it, phone number</li>
          <li>your children&apos;s first names and dates of birth, and any support needs you tell us about</li>
          <li>which council area you live in — not your address</li>
          <li>which sessions were booked and attended</li>
        </ul>
        <h2 className="govuk-heading-m">Why</h2>
        <p className="govuk-body">
          To run the sessions, send you the joining link and reminders, and count — without names — how many children
          from each council area take part, which we report to the councils that pay for the service.
        </p>
        <h2 className="govuk-heading-m">How long</h2>
        <p className="govuk-body">
          Names, emails, phone numbers, dates of birth, support needs and feedback comments are deleted{' '}
          {retentionMonths} months after the session. The counts stay, without anything that identifies you. You can ask
          us to delete your details sooner: contact the Participation &amp; Engagement team and we will erase them
          straight away.
        </p>
        <h2 className="govuk-heading-m">Our mailing list</h2>
        <p className="govuk-body">
          If you join our mailing list (on its own page, or by ticking the box when you book), we keep your email
          address and first name to tell you about new activities, only after you confirm by the link we email you.
          Every email has a link to leave the list at once. After you leave we keep your address for up to two years,
          marked as left, so an old booking cannot add you back by mistake; then we delete it.
        </p>
        <h2 className="govuk-heading-m">Who sees it</h2>
        <p className="govuk-body">
          Only the Participation &amp; Engagement team. We do not share it or make it public, and we never sell it.
        </p>
      </div>
    </div>
  )
}
