// Setting up two-factor sign-in. Admin and staff without it are sent here by every staff page
// (and come back afterwards); viewers come here from their account page if they choose to.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { secretBoxFor } from '~/auth/secret-box.server'
import { requireStaff, safeRedirectPath } from '~/auth/session.server'
import { formatSecretForTyping, totpUri } from '~/auth/totp.server'
import {
  Button,
  ButtonGroup,
  ButtonLink,
  Details,
  ErrorSummary,
  InsetText,
  Panel,
  RecoveryCodes,
  TextInput,
  errorList,
} from '~/components'
import { cancelTwoFactorSetup, confirmTwoFactor } from '~/domain/staff-accounts.server'
import { twoFactorSetup } from '~/domain/staff-security.server'

export const meta: MetaFunction = () => [{ title: 'Set up two-factor authentication – Join In staff' }]

// The secret and the recovery codes are in the page: neither the browser nor a proxy may keep a copy.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}

const actionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('confirm'),
    code: z.string().max(50).catch(''),
    redirectTo: z.string().max(2000).optional(),
  }),
  z.object({ intent: z.literal('cancel') }),
])

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'account:self', { duringTwoFactorSetup: true })
  const setup = await twoFactorSetup(context.db, secretBoxFor(context.config), staff.id)
  // Also after the action that turned it on (loaders run again then): the page shows the codes.
  if (setup.status === 'already-on') return { alreadyOn: true as const }
  return {
    alreadyOn: false as const,
    required: setup.required,
    secret: formatSecretForTyping(setup.secret),
    uri: totpUri(setup.secret, context.config.serviceName, setup.email),
    redirectTo: new URL(request.url).searchParams.get('redirectTo') ?? '',
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'account:self', { duringTwoFactorSetup: true })
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('That is not something this page can do', { status: 400 })
  const form = parsed.data
  if (form.intent === 'cancel') {
    // Only those who may go without it can stop half way.
    if (staff.mustSetUpTwoFactor) throw redirect('/staff/two-factor')
    await cancelTwoFactorSetup(context.db, staff.id)
    throw redirect('/staff/account')
  }
  if (!form.code.trim()) {
    return data(
      { errors: { code: 'Enter the 6-digit code from your authenticator app' }, codes: null },
      { status: 400 },
    )
  }
  const result = await confirmTwoFactor(
    context.db,
    secretBoxFor(context.config),
    { id: staff.id, sessionId: staff.sessionId, ip: context.clientIp },
    form.code,
    context.now(),
  )
  switch (result.status) {
    case 'wrong-code':
      return data(
        {
          errors: { code: 'The code is not correct. Enter the code your authenticator app shows now' },
          codes: null,
        },
        { status: 400 },
      )
    case 'throttled': {
      const wait = Math.max(1, Math.ceil((result.until.getTime() - context.now().getTime()) / 1000))
      return data(
        { errors: { code: 'Too many wrong codes. Wait a few minutes, then try again.' }, codes: null },
        { status: 429, headers: { 'Retry-After': String(wait) } },
      )
    }
    case 'nothing-to-do':
      throw redirect('/staff/account')
    case 'done':
      return {
        errors: {} as Record<string, string>,
        codes: result.codes,
        continueTo: safeRedirectPath(form.redirectTo),
        pageTitle: 'Two-factor authentication is on',
      }
  }
}

export default function TwoFactorSetUp() {
  const loaded = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  if (result?.codes) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title="Two-factor authentication is on" />
          <p className="govuk-body">From now on, signing in asks for your password and a code from your app.</p>
          <RecoveryCodes codes={result.codes} />
          <ButtonLink href={'continueTo' in result ? result.continueTo : '/staff'}>Continue</ButtonLink>
        </div>
      </div>
    )
  }
  if (loaded.alreadyOn) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">Two-factor authentication is on</h1>
          <p className="govuk-body">
            <a className="govuk-link" href="/staff/account">
              Go to your account
            </a>
          </p>
        </div>
      </div>
    )
  }
  const errors: Record<string, string> = result?.errors ?? {}
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errorList(errors, ['code'])} />
        <h1 className="govuk-heading-l">Set up two-factor authentication</h1>
        {loaded.required ? (
          <p className="govuk-body">
            Your account can see children’s and families’ details, so signing in needs your password and a 6-digit code
            from an authenticator app on your phone, such as Microsoft Authenticator or Google Authenticator. Set it up
            now to carry on.
          </p>
        ) : (
          <p className="govuk-body">
            With two-factor authentication on, signing in needs your password and a 6-digit code from an authenticator
            app on your phone. Someone who learns your password still cannot sign in as you.
          </p>
        )}
        <ol className="govuk-list govuk-list--number">
          <li>Open your authenticator app and choose to add an account.</li>
          <li>
            Choose to enter a setup key (it may be called “enter a key manually”), give the account a name such as “Join
            In”, and type this key. Choose “time based” if asked.
          </li>
        </ol>
        <InsetText>
          <p className="govuk-body govuk-!-margin-bottom-1">Your setup key:</p>
          <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-0">
            <code>{loaded.secret}</code>
          </p>
        </InsetText>
        <Details summary="Set up with a link instead">
          <p className="govuk-body">
            Some apps can read this link when you copy and paste it, or open it on the phone with the app:
          </p>
          <p className="govuk-body govuk-!-text-break-word">
            <code>{loaded.uri}</code>
          </p>
        </Details>
        <p className="govuk-body">Then enter the code the app shows, to check it is set up.</p>
        <Form method="post" noValidate key={JSON.stringify(errors)}>
          <input type="hidden" name="redirectTo" value={loaded.redirectTo} />
          <TextInput
            id="code"
            label="Code from your app"
            hint="6 digits, for example 123456"
            inputMode="numeric"
            autoComplete="one-time-code"
            spellCheck={false}
            width={10}
            error={errors.code}
          />
          <ButtonGroup>
            <Button name="intent" value="confirm">
              Turn on two-factor authentication
            </Button>
            {loaded.required ? null : (
              <Button name="intent" value="cancel" variant="secondary" preventDoubleClick={false}>
                Cancel
              </Button>
            )}
          </ButtonGroup>
        </Form>
      </div>
    </div>
  )
}
