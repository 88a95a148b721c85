// Joining the mailing list: an email address and, if they like, a first name. Nobody is added
// until they use the link we email them (double opt-in).
import type { ActionFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useActionData } from 'react-router'
import { z } from 'zod'
import { allow } from '~/auth/rate-limit.server'
import { linksFor } from '~/base-url.server'
import { Button, ErrorSummary, Panel, TextInput } from '~/components'
import { errorList } from '~/components/error-summary'
import { Honeypot, HONEYPOT_FIELD } from '~/components/honeypot'
import { CONFIRM_LINK_DAYS, requestSubscription } from '~/domain/mailing-list.server'

export const meta: MetaFunction = () => [{ title: 'Join our mailing list – Join In' }]

const signUpSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'Enter your email address')
    .max(254, 'Enter an email address like name@example.com')
    .email('Enter an email address like name@example.com'),
  firstName: z.string().trim().max(50, 'First name must be 50 characters or fewer'),
})

const FIELD_ORDER = ['email', 'firstName']

export async function action({ request, context }: ActionFunctionArgs) {
  if (!(await allow(context.db, `mailing-list:${context.clientIp}`, 10, 10 * 60_000, context.now())))
    throw new Response('Too many requests', { status: 429 })
  const values: Record<string, string> = {}
  for (const [key, value] of await request.formData())
    if (typeof value === 'string' && key.length < 40) values[key] = value.slice(0, 500)
  if (values[HONEYPOT_FIELD])
    return data({ errors: { email: 'Sorry, we could not take this' }, values, sentTo: null }, { status: 400 })
  const parsed = signUpSchema.safeParse({ email: values.email ?? '', firstName: values.firstName ?? '' })
  if (!parsed.success) {
    const errors: Record<string, string> = {}
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0])
      errors[field] ??= issue.message
    }
    return data({ errors, values, sentTo: null }, { status: 400 })
  }
  await requestSubscription(
    context.db,
    { email: parsed.data.email, firstName: parsed.data.firstName || null, source: 'sign-up' },
    linksFor(request, context),
  )
  context.nudgeOutbox?.()
  // The same answer whether or not the address is already on the list: this page must not tell
  // anyone who is subscribed.
  return data({
    errors: {} as Record<string, string>,
    values: {} as Record<string, string>,
    sentTo: parsed.data.email,
    validForDays: CONFIRM_LINK_DAYS,
    pageTitle: 'Check your email',
  })
}

export default function MailingList() {
  const actionData = useActionData<typeof action>()
  if (actionData?.sentTo) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title="Check your email">We have sent an email to {actionData.sentTo}</Panel>
          <h2 className="govuk-heading-m">What happens next</h2>
          <p className="govuk-body">
            Open the email and use the link in it to confirm. We do not add you to the mailing list until you do.
            {'validForDays' in actionData ? ` The link works for ${actionData.validForDays} days.` : ''}
          </p>
          <p className="govuk-body">If you are already on the mailing list, you will not get another email.</p>
          <p className="govuk-body">If nothing arrives in 10 minutes, check your junk folder.</p>
        </div>
      </div>
    )
  }
  const errors: Record<string, string> = actionData?.errors ?? {}
  const v = (name: string) => actionData?.values?.[name] ?? ''
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errorList(errors, FIELD_ORDER)} />
        <h1 className="govuk-heading-l">Join our mailing list</h1>
        <p className="govuk-body">We will email you about once a month with:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>new activities for adopted children, such as arts and crafts, science and dance</li>
          <li>Adoptables meetings for young people aged 12 to 18</li>
          <li>news from the Participation &amp; Engagement team</li>
        </ul>
        <p className="govuk-body">
          Every email has a link to leave the mailing list. One click and you are off it, with no need to sign in. We
          only use your email address and first name to send you these emails, and we never share them.
        </p>
        <Form method="post" noValidate>
          <Honeypot />
          <TextInput
            id="email"
            label="Email address"
            hint="We will send a link to this address to check it is yours"
            type="email"
            autoComplete="email"
            spellCheck={false}
            defaultValue={v('email')}
            error={errors.email}
          />
          <TextInput
            id="firstName"
            label="First name (optional)"
            hint="So we can say hello"
            autoComplete="given-name"
            width={20}
            defaultValue={v('firstName')}
            error={errors.firstName}
          />
          <Button>Join the mailing list</Button>
        </Form>
        <p className="govuk-body">
          You join only if you confirm by the link we email you, and you can leave at any time: we use your email
          address and first name with your consent.{' '}
          <a className="govuk-link" href="/privacy">
            How we use your information
          </a>
        </p>
      </div>
    </div>
  )
}
