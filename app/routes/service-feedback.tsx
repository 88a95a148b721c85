// Feedback on the service, linked from the beta banner on every page. It is emailed to the
// team's contact address through the outbox; the honeypot and a per-address limit keep bots out,
// as on the other public forms.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { allow } from '~/auth/rate-limit.server'
import { linksFor } from '~/base-url.server'
import { Button, ErrorSummary, Panel, Textarea, TextInput } from '~/components'
import { errorList } from '~/components/error-summary'
import { Honeypot, HONEYPOT_FIELD } from '~/components/honeypot'
import { fieldErrors } from '~/domain/form-fields'
import { sendServiceFeedback } from '~/domain/service-feedback.server'
import { SERVICE_FEEDBACK_FIELDS, serviceFeedbackSchema } from '~/domain/service-feedback-form'
import { ActivitiesLink } from '~/components/activities-link'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Give feedback on ${data?.serviceName ?? 'Join In'} – ${data?.serviceName ?? 'Join In'}` },
]

export async function loader({ context }: LoaderFunctionArgs) {
  return { serviceName: context.config.serviceName }
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (
    !(await allow(
      context.db,
      `service-feedback:${context.clientIp}`,
      context.config.bookingRateLimit,
      10 * 60_000,
      context.now(),
    ))
  ) {
    throw new Response('Too many requests', { status: 429 })
  }
  const values: Record<string, string> = {}
  for (const [key, value] of await request.formData())
    if (typeof value === 'string' && key.length < 40) values[key] = value.slice(0, 5000)
  if (values[HONEYPOT_FIELD])
    return data({ sent: false, errors: { feedback: 'Sorry, we could not take this' }, values }, { status: 400 })
  const parsed = serviceFeedbackSchema.safeParse({ feedback: values.feedback ?? '', email: values.email ?? '' })
  if (!parsed.success) return data({ sent: false, errors: fieldErrors(parsed.error), values }, { status: 400 })
  await sendServiceFeedback(context.db, parsed.data, {
    links: linksFor(request, context),
    serviceName: context.config.serviceName,
  })
  context.nudgeOutbox?.()
  return data({
    sent: true,
    errors: {} as Record<string, string>,
    values: {} as Record<string, string>,
    pageTitle: 'Thank you for your feedback',
  })
}

export default function ServiceFeedback() {
  const { serviceName } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  if (actionData?.sent) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title="Thank you for your feedback">We have sent it to the team</Panel>
          <p className="govuk-body">
            We read everything people send us and use it to improve {serviceName}. If you gave your email address, we
            may reply.
          </p>
          <ActivitiesLink />
        </div>
      </div>
    )
  }
  const errors: Record<string, string> = actionData?.errors ?? {}
  const v = (name: string) => actionData?.values?.[name] ?? ''
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errorList(errors, [...SERVICE_FEEDBACK_FIELDS])} />
        <h1 className="govuk-heading-l">Give feedback on {serviceName}</h1>
        <p className="govuk-body">
          Tell us what worked, what did not, or anything that made the service hard to use, including any accessibility
          problem. Do not include personal details such as your children’s names.
        </p>
        <Form method="post" noValidate>
          <Honeypot />
          <Textarea
            id="feedback"
            label="Your feedback"
            labelSize="m"
            hint="Up to 1,200 characters"
            rows={6}
            defaultValue={v('feedback')}
            error={errors.feedback}
          />
          <TextInput
            id="email"
            label="Email address (optional)"
            hint="Only if you would like a reply"
            type="email"
            autoComplete="email"
            spellCheck={false}
            defaultValue={v('email')}
            error={errors.email}
          />
          <p className="govuk-body">
            We send your feedback to the team by email.{' '}
            <a className="govuk-link" href="/privacy">
              How we use your information
            </a>
          </p>
          <Button>Send feedback</Button>
        </Form>
      </div>
    </div>
  )
}
