// The privacy notice written for 12 to 18 year olds (ICO Children's code, transparency standard):
// short sentences, "you", what, why, who, how long, and what you can do. The same facts as
// /privacy, from the same settings.
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { useLoaderData } from 'react-router'
import { telHref } from '~/domain/organisation'
import { concernRetentionYears } from '~/domain/concerns.server'
import { getRetentionMonths } from '~/domain/retention.server'
import { getOrganisation } from '~/domain/settings.server'

export const meta: MetaFunction = () => [{ title: 'Adoptables: what we do with your details – Join In' }]

export async function loader({ context }: LoaderFunctionArgs) {
  const [organisation, retentionMonths, concernYears] = await Promise.all([
    getOrganisation(context.db, context.config.organisationName),
    getRetentionMonths(context.db),
    concernRetentionYears(context.db),
  ])
  return { organisation, retentionMonths, concernYears }
}

export default function AdoptablesPrivacy() {
  const { organisation: o, retentionMonths, concernYears } = useLoaderData<typeof loader>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">What we do with your details</h1>
        <p className="govuk-body-l">This page is for young people who join Adoptables. It is short on purpose.</p>

        <h2 className="govuk-heading-m">Who we are</h2>
        <p className="govuk-body">
          Adoptables is run by {o.organisationName}. {o.controllerName} is in charge of keeping your details safe.
        </p>

        <h2 className="govuk-heading-m">What we keep</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>your first name (not your surname)</li>
          <li>your date of birth, so we know you are 12 to 18</li>
          <li>your email address, to send you links to meetings</li>
          <li>the council area you live in (not your address)</li>
          <li>anything you choose to tell us on the form</li>
          <li>which meetings you came to</li>
          <li>if you are under 13, your parent or carer’s email address</li>
        </ul>

        <h2 className="govuk-heading-m">Why</h2>
        <p className="govuk-body">
          To let you book meetings and send you the joining links, and to keep you safe in meetings. We also count how
          many young people come, without names, to show the councils that Adoptables is worth running.
        </p>
        <p className="govuk-body">
          Helping adopted young people is part of the council’s job. That is why we do not ask you to tick a box to
          agree. If you are under 13, we ask your parent or carer first, to keep you safe.
        </p>

        <h2 className="govuk-heading-m">Who sees it</h2>
        <p className="govuk-body">
          Only the small team who run the meetings. Nothing about you is public. We never sell it. We only tell someone
          else, like a social worker, if we are worried about your safety.
        </p>

        <h2 className="govuk-heading-m">How long we keep it</h2>
        <p className="govuk-body">
          We delete your name, email, date of birth and anything you told us {retentionMonths} months after your last
          meeting. We keep the numbers (like “one young person aged 14 from Kent came”) without your name.
        </p>
        <p className="govuk-body">
          If someone on the team is worried about your safety, they write down what happened in a separate record. Only
          our safeguarding leads (the people whose job is keeping young people safe) can read it. It is not deleted with
          your other details: we keep it while it is being dealt with, and for {concernYears} years after that, as the
          rules for keeping children safe ask.
        </p>

        <h2 className="govuk-heading-m">You are in charge</h2>
        <p className="govuk-body">You can ask us:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>what we know about you</li>
          <li>to fix something that is wrong</li>
          <li>to delete your details, at any time</li>
          <li>to stop using them</li>
        </ul>
        <p className="govuk-body">
          Email{' '}
          <a className="govuk-link" href={`mailto:${o.contactEmail}`}>
            {o.contactEmail}
          </a>{' '}
          or phone{' '}
          <a className="govuk-link" href={telHref(o.contactPhone)}>
            {o.contactPhone}
          </a>
          . You can ask an adult you trust to help you.
        </p>

        <h2 className="govuk-heading-m">If you are not happy</h2>
        <p className="govuk-body">
          Tell us first and we will try to put it right. You can also tell the Information Commissioner’s Office (ICO).
          It makes sure everyone follows the rules about people’s details.{' '}
          <a className="govuk-link" href="https://ico.org.uk/make-a-complaint/">
            Complain to the ICO
          </a>{' '}
          or call{' '}
          <a className="govuk-link" href="tel:03031231113">
            0303 123 1113
          </a>
          .
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href="/privacy">
            Read the full privacy notice
          </a>
        </p>
      </div>
    </div>
  )
}
