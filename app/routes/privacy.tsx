// The privacy notice (UK GDPR Articles 13 and 14). Who the controller and its data protection
// officer are, the team's contact details and the retention period are settings, so the notice
// says what the service is set to do. What is listed as kept matches db/schema.ts.
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { useLoaderData } from 'react-router'
import { telHref } from '~/domain/organisation'
import { FORGET_LEFT_AFTER_MONTHS, FORGET_UNCONFIRMED_AFTER_DAYS } from '~/domain/mailing-list-erasure.server'
import { concernRetentionYears } from '~/domain/concerns.server'
import { getRetentionMonths } from '~/domain/retention.server'
import { getOrganisation } from '~/domain/settings.server'

export const meta: MetaFunction = () => [{ title: 'Privacy notice – Join In' }]

export async function loader({ context }: LoaderFunctionArgs) {
  const [organisation, retentionMonths, concernYears] = await Promise.all([
    getOrganisation(context.db, context.config.organisationName),
    getRetentionMonths(context.db),
    concernRetentionYears(context.db),
  ])
  return {
    organisation,
    retentionMonths,
    concernYears,
    mailingListLeftMonths: FORGET_LEFT_AFTER_MONTHS,
    unconfirmedDays: FORGET_UNCONFIRMED_AFTER_DAYS,
    serviceName: context.config.serviceName,
  }
}

export default function Privacy() {
  const {
    organisation: o,
    retentionMonths,
    concernYears,
    mailingListLeftMonths,
    unconfirmedDays,
    serviceName,
  } = useLoaderData<typeof loader>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Privacy notice</h1>
        <p className="govuk-body-l">How {serviceName} uses your information, and the choices you have.</p>
        <p className="govuk-body">
          If you are a young person joining Adoptables, there is{' '}
          <a className="govuk-link" href="/adoptables/privacy">
            a shorter version written for you
          </a>
          .
        </p>

        <h2 className="govuk-heading-m">Who we are</h2>
        <p className="govuk-body">
          {serviceName} is run by {o.organisationName}. It books activities for adopted children and Adoptables meetings
          for young people aged 12 to 18.
        </p>
        <p className="govuk-body">
          {o.controllerName} is the data controller for the information {serviceName} keeps. This means it decides how
          your information is used and is responsible for keeping it safe.
        </p>
        <p className="govuk-body">
          You can contact {o.controllerName}’s data protection officer, {o.dpoName}, at{' '}
          <a className="govuk-link" href={`mailto:${o.dpoEmail}`}>
            {o.dpoEmail}
          </a>
          .
        </p>

        <h2 className="govuk-heading-m">What we keep</h2>
        <p className="govuk-body">When a parent or carer books an activity:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>your name, email address and, if you give it, your phone number</li>
          <li>which council area you live in (not your address)</li>
          <li>
            each child’s first name (not their surname), date of birth, and any support needs you tell us about; we also
            keep their age and school year on the day of the activity
          </li>
          <li>which activities were booked, whether a child was on the waiting list, and whether they attended</li>
          <li>whether you asked to join our mailing list</li>
        </ul>
        <p className="govuk-body">When a young person joins Adoptables:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>their first name, date of birth, email address and council area</li>
          <li>anything they choose to tell us on the form</li>
          <li>
            if they are under 13, their parent or carer’s email address and the date the parent or carer agreed they
            could join
          </li>
          <li>which meetings they booked and came to</li>
        </ul>
        <p className="govuk-body">We also keep:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>the score and any comment you give when we ask for feedback after a session</li>
          <li>for the mailing list, your email address, your first name if you give it, and when you joined or left</li>
          <li>
            feedback sent from the ‘give your feedback’ page, and your email address if you give it for a reply, which
            we email to the team
          </li>
          <li>copies of the emails we send you, such as your booking confirmation and joining link</li>
        </ul>
        <p className="govuk-body">
          We do not use cookies on the pages families and young people use. Staff who sign in get one cookie that keeps
          them signed in.
        </p>

        <h2 className="govuk-heading-m">Why we use it, and our lawful basis</h2>
        <p className="govuk-body">
          We use your information to book places, send you the joining link, reminders and any changes, keep the
          register, keep children safe during sessions, and ask for feedback. We also count, without names, how many
          children from each council area and age group take part, and report these numbers to the councils that pay for
          the service.
        </p>
        <p className="govuk-body">
          The law allows this because it is part of {o.controllerName}’s public task: supporting children who were
          adopted from care, including promoting their education (UK GDPR Article 6(1)(e)). Because of this, we do not
          ask you to agree to how your details are used before you book, and saying no would not stop you booking.
        </p>
        <p className="govuk-body">
          Support needs, and what a young person tells us when they join Adoptables, can include information about
          health or disability. This is special category information. We use it only to help the child take part and to
          keep them safe, under UK GDPR Article 9(2)(g) (reasons of substantial public interest), with the conditions in
          the Data Protection Act 2018, Schedule 1, Part 2, paragraph 6 (statutory and government purposes) and
          paragraph 18 (safeguarding of children).
        </p>
        <p className="govuk-body">
          We ask a parent or carer to agree before a young person under 13 joins Adoptables. We do this to keep them
          safe; it is not the lawful basis for using their information.
        </p>
        <p className="govuk-body">
          The mailing list is different: we email you about new activities only if you ask us to and confirm by the link
          we send you. The lawful basis is your consent (UK GDPR Article 6(1)(a)), and you can withdraw it at any time
          with the link in every email.
        </p>

        <h2 className="govuk-heading-m">Who sees your information</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            The staff of {o.organisationName} who run the sessions. Each has their own account, and every time they look
            at a family’s or young person’s details it is recorded.
          </li>
          <li>
            Managers and the councils that commission the service see only numbers, such as how many children from each
            council area took part, never names or contact details.
          </li>
          <li>
            The companies that send our emails and host the service do so on our behalf, under contract, and may not use
            your information for anything else.
          </li>
        </ul>
        <p className="govuk-body">
          We do not sell your information or make it public. Nobody else sees it, unless we are worried that a child is
          at risk of harm: then we may share what is needed with children’s social care or the police, as the law
          requires.
        </p>
        <p className="govuk-body">
          Sessions take place on Microsoft Teams. We do not give Microsoft your details; when you join, Teams shows the
          name you join with.
        </p>

        <h2 className="govuk-heading-m">How long we keep it</h2>
        <p className="govuk-body">
          Names, email addresses, phone numbers, dates of birth, support needs and feedback comments are deleted{' '}
          {retentionMonths} months after the session. A young person’s details are deleted {retentionMonths} months
          after their last meeting. Copies of emails are deleted after {retentionMonths} months too. The numbers stay,
          without anything that identifies you, so that past reports do not change.
        </p>
        <p className="govuk-body">
          If you leave the mailing list we keep your email address, marked as left, for {mailingListLeftMonths} months,
          so that an old booking cannot add you back by mistake; then we delete it. If you never confirm, we delete your
          address after {unconfirmedDays} days.
        </p>

        <h2 className="govuk-heading-m">If we are worried about a child</h2>
        <p className="govuk-body">
          If a member of staff is worried about a child’s or young person’s safety during a session, they record a
          safeguarding concern: the child’s first name, what was seen or said, when, who was present and what was done.
          Concerns are kept separately from bookings. Only our safeguarding leads can read them, and each time they do
          it is recorded. A concern is not deleted with the booking’s details or when a family asks us to erase them: it
          is kept while it is open and for {concernYears} years after it is closed, because child-protection records
          must be kept far longer than booking details. Then it is deleted.
        </p>

        <h2 className="govuk-heading-m">Your rights</h2>
        <p className="govuk-body">You have the right to:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>ask for a copy of the information we hold about you</li>
          <li>ask us to correct anything that is wrong</li>
          <li>ask us to delete your information: the team can delete a family’s details straight away</li>
          <li>ask us to limit how we use it, or object to us using it</li>
          <li>withdraw your consent to the mailing list at any time</li>
        </ul>
        <p className="govuk-body">
          To use any of these rights, contact {o.organisationName} by email at{' '}
          <a className="govuk-link" href={`mailto:${o.contactEmail}`}>
            {o.contactEmail}
          </a>{' '}
          or phone{' '}
          <a className="govuk-link" href={telHref(o.contactPhone)}>
            {o.contactPhone}
          </a>
          , or the data protection officer at{' '}
          <a className="govuk-link" href={`mailto:${o.dpoEmail}`}>
            {o.dpoEmail}
          </a>
          . We do not make decisions about you by computer alone.
        </p>

        <h2 className="govuk-heading-m">How to complain</h2>
        <p className="govuk-body">
          If you are unhappy with how we have used your information, tell us first, so we can put it right. You can also
          complain to the Information Commissioner’s Office (ICO):
        </p>
        <ul className="govuk-list">
          <li>
            <a className="govuk-link" href="https://ico.org.uk/make-a-complaint/">
              make a complaint on the ICO’s website
            </a>
          </li>
          <li>
            helpline:{' '}
            <a className="govuk-link" href="tel:03031231113">
              0303 123 1113
            </a>
          </li>
          <li>Information Commissioner’s Office, Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF</li>
        </ul>
      </div>
    </div>
  )
}
