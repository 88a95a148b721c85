import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { linksFor } from '~/base-url.server'
import { Button, ErrorSummary, Panel, Radios } from '~/components'
import { CONSENT_ANSWER_ERROR, consentAnswerSchema } from '~/domain/member-form'
import { answerConsent, findConsentRequest } from '~/domain/members.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title:
      data && data.request.status !== 'invalid'
        ? `Can ${data.request.firstName} join Adoptables? – Join In`
        : 'This link does not work – Join In',
  },
  { name: 'robots', content: 'noindex' },
]

// The emailed link only shows the question: opening a link (or a mail scanner opening it) changes nothing.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? ''
  return { token, request: await findConsentRequest(context.db, token, linksFor(request, context)) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = consentAnswerSchema.parse(Object.fromEntries(await request.formData()))
  if (!form.answer) {
    // asked again, from the token posted (the page's address may have lost it)
    const found = await findConsentRequest(context.db, form.token, linksFor(request, context))
    return data(
      {
        outcome: found.status === 'invalid' ? ('invalid' as const) : ('no-answer' as const),
        firstName: '',
        token: form.token,
        request: found,
      },
      { status: found.status === 'invalid' ? 404 : 400 },
    )
  }
  const result = await answerConsent(context.db, form.token, form.answer, linksFor(request, context))
  context.nudgeOutbox?.()
  if (result.status === 'invalid') return data({ outcome: 'invalid' as const, firstName: '' }, { status: 404 })
  return {
    outcome: result.status,
    firstName: result.firstName,
    pageTitle:
      result.status === 'confirmed' || result.status === 'already-confirmed'
        ? 'Thank you'
        : `${result.firstName} will not join Adoptables`,
  }
}

function Invalid() {
  return (
    <>
      <h1 className="govuk-heading-l">This link does not work</h1>
      <p className="govuk-body">
        Use the link in the email exactly as it is. If it still does not work, the young person can sign up again.
      </p>
    </>
  )
}

export default function Consent() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { token, request } = actionData && 'request' in actionData ? actionData : loaded
  const outcome = actionData?.outcome
  const firstName = actionData?.firstName || (request.status !== 'invalid' ? request.firstName : '')
  let body
  if (outcome === 'confirmed' || outcome === 'already-confirmed') {
    body = (
      <>
        <Panel title="Thank you">{`${firstName} can now join Adoptables`}</Panel>
        <p className="govuk-body">
          {outcome === 'confirmed'
            ? 'We have emailed them their link to book and join meetings.'
            : 'You had already said yes. Nothing has changed.'}
        </p>
      </>
    )
  } else if (outcome === 'declined' || outcome === 'already-declined') {
    body = (
      <>
        <h1 className="govuk-heading-l">{`${firstName} will not join Adoptables`}</h1>
        <p className="govuk-body">
          {outcome === 'declined'
            ? `Thank you for answering. We have closed ${firstName}’s sign-up, so they cannot book meetings, and we have told the team.`
            : `You had already said no, so ${firstName}’s sign-up is closed. Nothing has changed.`}
        </p>
        {outcome === 'declined' ? (
          <p className="govuk-body">
            We have sent {firstName} a short, kind email to say they will not be joining this time. If you change your
            mind, they can sign up again and we will ask you again.
          </p>
        ) : null}
      </>
    )
  } else if (outcome === 'invalid' || request.status === 'invalid') {
    body = <Invalid />
  } else {
    const { age, organisation } = request
    const answered = request.status !== 'open'
    body = (
      <>
        <ErrorSummary errors={outcome === 'no-answer' ? [{ href: '#answer', message: CONSENT_ANSWER_ERROR }] : []} />
        <span className="govuk-caption-l">Adoptables</span>
        <h1 className="govuk-heading-l">{`Can ${firstName} join Adoptables?`}</h1>
        <p className="govuk-body-l">
          {firstName}
          {age !== null ? `, who is ${age},` : ''} has asked to join Adoptables. Because they are under 13, they can
          only join if a parent or carer says yes.
        </p>
        <h2 className="govuk-heading-m">What Adoptables is</h2>
        <p className="govuk-body">
          Adoptables is a group for adopted young people aged 12 to 18. They meet to share their views, support each
          other and help make adoption services better for other adopted children and young people.
        </p>
        <h2 className="govuk-heading-m">Who runs the meetings</h2>
        <p className="govuk-body">
          The meetings are run by {organisation.organisationName}. You can email{' '}
          <a className="govuk-link" href={`mailto:${organisation.contactEmail}`}>
            {organisation.contactEmail}
          </a>{' '}
          or call{' '}
          <a className="govuk-link" href={organisation.contactPhoneHref}>
            {organisation.contactPhone}
          </a>{' '}
          with any questions.
        </p>
        <h2 className="govuk-heading-m">What happens in a meeting</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>Meetings are online, on Microsoft Teams, and last about an hour.</li>
          <li>Two adults from the team are on every call.</li>
          <li>
            Young people talk about what matters to them, share ideas and plan things they would like to change. Nobody
            has to speak if they do not want to.
          </li>
          <li>
            {firstName} books meetings from their own page. The joining link is sent only to them and is never on a
            public page.
          </li>
        </ul>
        <p className="govuk-body">
          <a className="govuk-link" href="/adoptables/privacy">
            What we do with their details
          </a>
        </p>
        {answered ? (
          <p className="govuk-body">
            {request.status === 'confirmed'
              ? `You have already said yes: ${firstName} can join Adoptables.`
              : `You have already said no, so ${firstName}’s sign-up is closed.`}
          </p>
        ) : (
          <Form method="post" noValidate>
            <input type="hidden" name="token" value={token} />
            <Radios
              id="answer"
              legend={`Can ${firstName} join Adoptables?`}
              legendSize="m"
              error={outcome === 'no-answer' ? CONSENT_ANSWER_ERROR : undefined}
              items={[
                { value: 'yes', text: 'Yes, they can join' },
                {
                  value: 'no',
                  text: 'No',
                  hint: `We will close ${firstName}’s sign-up, tell the team, and send ${firstName} a kind email to say so.`,
                },
              ]}
            />
            <Button>Send answer</Button>
          </Form>
        )}
      </>
    )
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">{body}</div>
    </div>
  )
}
