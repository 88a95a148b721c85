// "Sign in to see your bookings": an email address, and a one-time link sent to it. No password.
// The answer is the same whether or not we know the address, so the page never tells anyone who
// has an account.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, redirect, useActionData, useLoaderData } from 'react-router'
import { getFamily } from '~/auth/family-session.server'
import { safeRedirectPath } from '~/auth/session.server'
import { linksFor } from '~/base-url.server'
import { Button, ErrorSummary, Panel, TextInput } from '~/components'
import { errorList } from '~/components/error-summary'
import { requestSignInLink } from '~/domain/families.server'
import { SIGN_IN_LINK_MS } from '~/domain/family-links.server'
import { signInRequestSchema, SIGN_IN_FIELD_ORDER } from '~/domain/family-form'
import { parseForm } from '~/domain/form-fields'

export const meta: MetaFunction = () => [{ title: 'Sign in to see your bookings – Join In' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = new URL(request.url).searchParams.get('redirectTo')
  if (await getFamily(request, context)) throw redirect(safeRedirectPath(redirectTo, '/family'))
  return { redirectTo: redirectTo ? safeRedirectPath(redirectTo, '') : '' }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(signInRequestSchema, await request.formData())
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, sentTo: null }, { status: 400 })
  await requestSignInLink(
    context.db,
    {
      email: parsed.value.email,
      ip: context.clientIp,
      redirectTo: parsed.value.redirectTo ? safeRedirectPath(parsed.value.redirectTo, '') || null : null,
    },
    linksFor(request, context),
    context.now(),
  )
  context.nudgeOutbox?.()
  // Sent, unknown address or throttled: one answer.
  return data({
    errors: {} as Record<string, string>,
    values: {} as Record<string, string>,
    sentTo: parsed.value.email,
    minutes: SIGN_IN_LINK_MS / 60_000,
    pageTitle: 'Check your email',
  })
}

export default function FamilySignIn() {
  const { redirectTo } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  if (actionData?.sentTo) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title="Check your email" />
          <p className="govuk-body">
            We have sent a link to sign in to <strong>{actionData.sentTo}</strong> if we have your address.
          </p>
          <p className="govuk-body">
            The link works once, for {'minutes' in actionData ? actionData.minutes : 30} minutes. Open it on this phone
            or computer to stay signed in here.
          </p>
          <p className="govuk-body">
            If nothing arrives in 10 minutes, check your junk folder. If you booked with a different email address, use
            that one.
          </p>
          <p className="govuk-body">
            <a className="govuk-link" href="/family/sign-in">
              Try another email address
            </a>
          </p>
        </div>
      </div>
    )
  }
  const errors: Record<string, string> = actionData?.errors ?? {}
  const values: Record<string, string> = actionData?.values ?? {}
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errorList(errors, SIGN_IN_FIELD_ORDER)} />
        <h1 className="govuk-heading-l">Sign in to see your bookings</h1>
        <p className="govuk-body">
          We will email you a link to sign in. You do not need a password. Use the email address you booked with.
        </p>
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={values.redirectTo ?? redirectTo} />
          <TextInput
            id="email"
            label="Email address"
            type="email"
            autoComplete="email"
            spellCheck={false}
            defaultValue={values.email ?? ''}
            error={errors.email}
          />
          <Button>Send me a link</Button>
        </Form>
      </div>
    </div>
  )
}
