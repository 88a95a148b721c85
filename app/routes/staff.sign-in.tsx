// Staff sign-in: email and password, then, for accounts with two-factor on, a code from the
// person's authenticator app (the half-done sign-in waits five minutes in a cookie of its own).
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData, useSearchParams } from 'react-router'
import type { ReactNode } from 'react'
import { z } from 'zod'
import { secretBoxFor } from '~/auth/secret-box.server'
import {
  clearTwoFactorChallengeCookie,
  getStaff,
  readTwoFactorChallenge,
  safeRedirectPath,
  startSession,
  twoFactorChallengeCookie,
} from '~/auth/session.server'
import { Button, Details, ErrorSummary, NotificationBanner, TextInput } from '~/components'
import {
  CHALLENGE_TTL_SECONDS,
  completeTwoFactorSignIn,
  hasLiveChallenge,
  signIn,
  startTwoFactorChallenge,
} from '~/domain/staff.server'
import { secondsToWait, tooManyAttemptsMessage } from '~/domain/sign-in-wait'

export const meta: MetaFunction = () => [{ title: 'Sign in – Join In staff' }]

// On a page load Remix sends only the headers this export returns (and any cookies), so without
// it the action's Retry-After would never reach the browser.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

const signInSchema = z.object({
  email: z.string().trim().max(320).default(''),
  password: z.string().max(1024).default(''),
  redirectTo: z.string().max(2000).optional(),
})

const codeSchema = z.object({ code: z.string().max(50).catch('') })

const NOTICES: Record<string, string> = {
  'password-set': 'Your password has been set. Sign in with it now.',
  'signed-out-everywhere': 'You have been signed out on every device.',
}

const TIMED_OUT = 'Your sign-in timed out. Enter your email address and password again.'

type Step = 'password' | 'code'
type ActionResult = { step: Step; errors: Record<string, string>; email?: string }

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const staff = await getStaff(request, context)
  if (staff) throw redirect(safeRedirectPath(url.searchParams.get('redirectTo')))
  if (url.searchParams.get('step') === 'code') {
    const live = await hasLiveChallenge(context.db, readTwoFactorChallenge(request, context), context.now())
    // A timed-out code step starts again from the password, saying why (as errors, for the title).
    const errors: Record<string, string> = live ? {} : { email: TIMED_OUT }
    return { step: (live ? 'code' : 'password') as Step, errors, notice: null }
  }
  return {
    step: 'password' as Step,
    errors: {} as Record<string, string>,
    notice: NOTICES[url.searchParams.get('notice') ?? ''] ?? null,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const fields = Object.fromEntries(await request.formData())
  if (fields.intent === 'code') return codeStep(request, context, fields)

  const form = signInSchema.parse(fields)
  const errors: Record<string, string> = {}
  if (!form.email) errors.email = 'Enter your email address'
  if (!form.password) errors.password = 'Enter your password'
  if (Object.keys(errors).length)
    return data<ActionResult>({ step: 'password', errors, email: form.email }, { status: 400 })

  const now = context.now()
  const result = await signIn(context.db, form.email, form.password, context.clientIp, now)
  if (result.status === 'throttled') {
    return data<ActionResult>(
      { step: 'password', errors: { email: tooManyAttemptsMessage(result.until, now) }, email: form.email },
      { status: 429, headers: { 'Retry-After': String(secondsToWait(result.until, now)) } },
    )
  }
  if (result.status === 'wrong-credentials') {
    // One message whether the account exists or not, so nobody can find out who has one.
    return data<ActionResult>(
      { step: 'password', errors: { email: 'Enter a correct email address and password' }, email: form.email },
      { status: 401 },
    )
  }
  if (result.status === 'needs-code') {
    const token = await startTwoFactorChallenge(context.db, result.userId, safeRedirectPath(form.redirectTo), now)
    return redirect('/staff/sign-in?step=code', {
      headers: { 'Set-Cookie': twoFactorChallengeCookie(context, token, CHALLENGE_TTL_SECONDS) },
    })
  }
  const cookie = await startSession(context, result.user.id)
  return redirect(safeRedirectPath(form.redirectTo), { headers: { 'Set-Cookie': cookie } })
}

async function codeStep(
  request: Request,
  context: ActionFunctionArgs['context'],
  fields: Record<string, FormDataEntryValue>,
) {
  const { code } = codeSchema.parse(fields)
  if (!code.trim()) {
    return data<ActionResult>(
      { step: 'code', errors: { code: 'Enter the 6-digit code from your authenticator app' } },
      { status: 400 },
    )
  }
  const now = context.now()
  const result = await completeTwoFactorSignIn(
    context.db,
    secretBoxFor(context.config),
    readTwoFactorChallenge(request, context),
    code,
    context.clientIp,
    now,
  )
  switch (result.status) {
    case 'throttled':
      return data<ActionResult>(
        { step: 'code', errors: { code: tooManyAttemptsMessage(result.until, now) } },
        { status: 429, headers: { 'Retry-After': String(secondsToWait(result.until, now)) } },
      )
    case 'wrong-code':
      return data<ActionResult>(
        { step: 'code', errors: { code: 'The code is not correct. Enter the code your authenticator app shows now' } },
        { status: 401 },
      )
    case 'expired':
      return data<ActionResult>(
        { step: 'password', errors: { email: TIMED_OUT } },
        { status: 400, headers: { 'Set-Cookie': clearTwoFactorChallengeCookie(context) } },
      )
    case 'signed-in': {
      const headers = new Headers()
      headers.append('Set-Cookie', await startSession(context, result.user.id))
      headers.append('Set-Cookie', clearTwoFactorChallengeCookie(context))
      return redirect(safeRedirectPath(result.redirectTo), { headers })
    }
  }
}

export default function SignIn() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const step = actionData?.step ?? loaded.step
  const errors: Record<string, string> = actionData?.errors ?? loaded.errors
  const summary = (
    <ErrorSummary errors={Object.entries(errors).map(([field, message]) => ({ href: `#${field}`, message }))} />
  )
  if (step === 'code') {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {summary}
          <h1 className="govuk-heading-l">Enter your security code</h1>
          <p className="govuk-body">
            Open the authenticator app on your phone and enter the code it shows for Join In.
          </p>
          {/* A key per attempt empties the box after a wrong code when scripts run, as a reload would. */}
          <Form method="post" noValidate key={JSON.stringify(errors)}>
            <TextInput
              id="code"
              label="Security code"
              hint="6 digits, for example 123456, or one of your recovery codes"
              inputMode="numeric"
              autoComplete="one-time-code"
              spellCheck={false}
              width={10}
              error={errors.code}
            />
            <Button name="intent" value="code">
              Continue
            </Button>
          </Form>
          <Details summary="I cannot get a code">
            <p className="govuk-body">Enter one of the recovery codes you were given when you set it up.</p>
            <p className="govuk-body">
              If you have none left, ask an administrator to turn off two-factor authentication for your account. You
              can then sign in with your password and set it up again on your new phone.
            </p>
            <p className="govuk-body">
              <a className="govuk-link" href="/staff/sign-in">
                Sign in as someone else
              </a>
            </p>
          </Details>
        </div>
      </div>
    )
  }
  return (
    <PasswordStep
      errors={errors}
      email={actionData?.email ?? ''}
      notice={actionData ? null : loaded.notice}
      summary={summary}
    />
  )
}

function PasswordStep({
  errors,
  email,
  notice,
  summary,
}: {
  errors: Record<string, string>
  email: string
  notice: string | null
  summary: ReactNode
}) {
  const [searchParams] = useSearchParams()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {summary}
        {notice ? <NotificationBanner success>{notice}</NotificationBanner> : null}
        <h1 className="govuk-heading-l">Sign in</h1>
        <p className="govuk-body">For the Participation &amp; Engagement team.</p>
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
          <TextInput
            id="email"
            label="Email address"
            type="email"
            autoComplete="username"
            spellCheck={false}
            defaultValue={email}
            error={errors.email}
          />
          <TextInput
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            error={errors.password}
          />
          <Button>Sign in</Button>
        </Form>
      </div>
    </div>
  )
}
