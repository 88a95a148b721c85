// Your own account: two-factor sign-in (set up on /staff/two-factor; off for viewers only), new
// recovery codes, changing your password, and signing out everywhere.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { ROLE_NAMES } from '~/auth/permissions'
import { secretBoxFor } from '~/auth/secret-box.server'
import { endSession, requireStaff } from '~/auth/session.server'
import {
  Button,
  ErrorSummary,
  NotificationBanner,
  RecoveryCodes,
  SummaryList,
  TextInput,
  errorList,
} from '~/components'
import { formatLondonDate } from '~/time/london-time'
import { getOwnAccount, turnOffOwnTwoFactor } from '~/domain/staff-accounts.server'
import { changeOwnPassword, makeNewRecoveryCodes, signOutEverywhere } from '~/domain/staff-security.server'

export const meta: MetaFunction = () => [{ title: 'Your account – Join In staff' }]

// New recovery codes are in the page: neither the browser nor a proxy may keep a copy. A headers
// export replaces the action's own headers, so Retry-After is passed on here.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}

const code = z.string().max(50).catch('')
const password = z.string().max(1024).catch('')
const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('start-setup') }),
  z.object({ intent: z.literal('turn-off'), code }),
  z.object({ intent: z.literal('new-recovery-codes'), recoveryCodesCode: code }),
  z.object({
    intent: z.literal('change-password'),
    currentPassword: password,
    newPassword: password,
    confirmPassword: password,
  }),
  z.object({ intent: z.literal('sign-out-everywhere') }),
])

const NOTICES: Record<string, string> = {
  'two-factor-off': 'Two-factor authentication is off. Signing in needs only your password.',
  'password-changed': 'Your password has been changed. You have been signed out everywhere else.',
}

const ENTER_CODE = 'Enter the 6-digit code from your authenticator app'
const WRONG_CODE = 'The code is not correct. Enter the code your authenticator app shows now'
const THROTTLED = 'Too many wrong attempts. Wait a few minutes, then try again.'

type ActionResult = { errors: Record<string, string>; codes?: string[] }

function secondsUntil(until: Date, now: Date): string {
  return String(Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)))
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'account:self')
  const account = await getOwnAccount(context.db, staff.id)
  if (!account) throw new Response('Not found', { status: 404 })
  return { ...account, notice: NOTICES[new URL(request.url).searchParams.get('notice') ?? ''] ?? null }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'account:self')
  const now = context.now()
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('That is not something this page can do', { status: 400 })
  const form = parsed.data
  const actor = { id: staff.id, sessionId: staff.sessionId, ip: context.clientIp }
  const box = secretBoxFor(context.config)
  switch (form.intent) {
    case 'start-setup':
      return redirect('/staff/two-factor')
    case 'turn-off': {
      if (!form.code.trim()) return data<ActionResult>({ errors: { code: ENTER_CODE } }, { status: 400 })
      const result = await turnOffOwnTwoFactor(context.db, box, actor, form.code, now)
      if (result.status === 'wrong-code') return data<ActionResult>({ errors: { code: WRONG_CODE } }, { status: 400 })
      if (result.status === 'throttled') {
        return data<ActionResult>(
          { errors: { code: THROTTLED } },
          { status: 429, headers: { 'Retry-After': secondsUntil(result.until, now) } },
        )
      }
      if (result.status === 'done') return redirect('/staff/account?notice=two-factor-off')
      return redirect('/staff/account')
    }
    case 'new-recovery-codes': {
      const errors = (message: string) => ({ errors: { recoveryCodesCode: message } })
      if (!form.recoveryCodesCode.trim()) return data<ActionResult>(errors(ENTER_CODE), { status: 400 })
      const result = await makeNewRecoveryCodes(context.db, box, actor, form.recoveryCodesCode, now)
      if (result.status === 'wrong-code') return data<ActionResult>(errors(WRONG_CODE), { status: 400 })
      if (result.status === 'throttled') {
        return data<ActionResult>(errors(THROTTLED), {
          status: 429,
          headers: { 'Retry-After': secondsUntil(result.until, now) },
        })
      }
      if (result.status === 'two-factor-off') return redirect('/staff/account')
      return { errors: {}, codes: result.codes } satisfies ActionResult
    }
    case 'change-password': {
      const result = await changeOwnPassword(context.db, actor, form, now)
      if (result.status === 'invalid') return data<ActionResult>({ errors: result.errors }, { status: 400 })
      if (result.status === 'throttled') {
        return data<ActionResult>(
          { errors: { currentPassword: THROTTLED } },
          { status: 429, headers: { 'Retry-After': secondsUntil(result.until, now) } },
        )
      }
      return redirect('/staff/account?notice=password-changed')
    }
    case 'sign-out-everywhere': {
      await signOutEverywhere(context.db, actor)
      return redirect('/staff/sign-in?notice=signed-out-everywhere', {
        headers: { 'Set-Cookie': await endSession(request, context) },
      })
    }
  }
}

export default function Account() {
  const loaded = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const errors: Record<string, string> = result?.errors ?? {}
  if (result?.codes) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <NotificationBanner success>
            You have new recovery codes. The old ones no longer work, and you have been signed out everywhere else.
          </NotificationBanner>
          <h1 className="govuk-heading-l">Your account</h1>
          <RecoveryCodes codes={result.codes} />
          <p className="govuk-body">
            <a className="govuk-link" href="/staff/account">
              Back to your account
            </a>
          </p>
        </div>
      </div>
    )
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary
          errors={errorList(errors, ['code', 'recoveryCodesCode', 'currentPassword', 'newPassword', 'confirmPassword'])}
        />
        {loaded.notice && !result ? <NotificationBanner success>{loaded.notice}</NotificationBanner> : null}
        <h1 className="govuk-heading-l">Your account</h1>
        <SummaryList
          rows={[
            { key: 'Name', value: loaded.name },
            { key: 'Email address', value: loaded.email },
            { key: 'Role', value: ROLE_NAMES[loaded.role] },
            {
              key: 'Two-factor authentication',
              value: loaded.twoFactorOn
                ? `On${loaded.twoFactorSince ? ` since ${formatLondonDate(loaded.twoFactorSince)}` : ''}`
                : 'Off',
            },
            ...(loaded.twoFactorOn ? [{ key: 'Recovery codes left', value: String(loaded.recoveryCodesLeft) }] : []),
          ]}
        />
        <p className="govuk-body">To change your name, email address or role, ask an administrator.</p>

        <h2 className="govuk-heading-m" id="set-up">
          Two-factor authentication
        </h2>
        {loaded.twoFactorOn ? (
          <>
            <p className="govuk-body">Signing in needs your password and a code from your authenticator app.</p>
            {loaded.twoFactorRequired ? (
              <p className="govuk-body">
                Your role needs it, so it cannot be turned off here. If you lose your phone, sign in with a recovery
                code, or ask an administrator to turn it off so you can set it up again.
              </p>
            ) : (
              <TurnOff error={errors.code} />
            )}
            <NewRecoveryCodes error={errors.recoveryCodesCode} left={loaded.recoveryCodesLeft} />
          </>
        ) : (
          <>
            <p className="govuk-body">
              With two-factor authentication on, signing in needs your password and a 6-digit code from an authenticator
              app on your phone, such as Microsoft Authenticator or Google Authenticator. Someone who learns your
              password still cannot sign in as you.
            </p>
            <Form method="post">
              <Button name="intent" value="start-setup">
                Set up two-factor authentication
              </Button>
            </Form>
          </>
        )}

        <h2 className="govuk-heading-m" id="password">
          Change your password
        </h2>
        <p className="govuk-body">Changing it signs you out everywhere else.</p>
        <Form method="post" noValidate key={`password-${JSON.stringify(errors)}`}>
          <TextInput
            id="currentPassword"
            label="Current password"
            type="password"
            autoComplete="current-password"
            error={errors.currentPassword}
          />
          <TextInput
            id="newPassword"
            label="New password"
            hint="At least 12 characters. A few unrelated words make a good password."
            type="password"
            autoComplete="new-password"
            error={errors.newPassword}
          />
          <TextInput
            id="confirmPassword"
            label="Confirm new password"
            type="password"
            autoComplete="new-password"
            error={errors.confirmPassword}
          />
          <Button name="intent" value="change-password">
            Change password
          </Button>
        </Form>

        <h2 className="govuk-heading-m" id="sign-out-everywhere">
          Sign out everywhere
        </h2>
        <p className="govuk-body">
          If you signed in on a computer you no longer use, or think someone else has, sign out of Join In on every
          device, this one too.
        </p>
        <Form method="post">
          <Button name="intent" value="sign-out-everywhere" variant="secondary">
            Sign out everywhere
          </Button>
        </Form>
      </div>
    </div>
  )
}

function CodeInput({ id, error }: { id: string; error?: string }) {
  return (
    <TextInput
      id={id}
      label="Code from your app"
      hint="6 digits, for example 123456"
      inputMode="numeric"
      autoComplete="one-time-code"
      spellCheck={false}
      width={10}
      error={error}
    />
  )
}

function TurnOff({ error }: { error?: string }) {
  return (
    <>
      <h3 className="govuk-heading-s">Turn it off</h3>
      <p className="govuk-body">
        To turn it off, enter a code from your app. If you have lost your phone, ask an administrator instead.
      </p>
      <Form method="post" noValidate>
        <CodeInput id="code" error={error} />
        <Button name="intent" value="turn-off" variant="warning">
          Turn off two-factor authentication
        </Button>
      </Form>
    </>
  )
}

function NewRecoveryCodes({ error, left }: { error?: string; left: number }) {
  return (
    <>
      <h3 className="govuk-heading-s">Recovery codes</h3>
      <p className="govuk-body">
        You have {left} unused recovery {left === 1 ? 'code' : 'codes'}. New codes replace all of them and sign you out
        everywhere else.
      </p>
      <Form method="post" noValidate>
        <CodeInput id="recoveryCodesCode" error={error} />
        <Button name="intent" value="new-recovery-codes" variant="secondary">
          Make new recovery codes
        </Button>
      </Form>
    </>
  )
}
