// Your own account: turning two-factor sign-in on (with an authenticator app) and off.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { ROLE_NAMES } from '~/auth/permissions'
import { requireStaff } from '~/auth/session.server'
import { formatSecretForTyping, totpUri } from '~/auth/totp.server'
import {
  Button,
  ButtonGroup,
  Details,
  ErrorSummary,
  InsetText,
  NotificationBanner,
  SummaryList,
  TextInput,
  errorList,
} from '~/components'
import { formatLondonDate } from '~/time/london-time'
import {
  cancelTwoFactorSetup,
  confirmTwoFactor,
  getOwnAccount,
  startTwoFactorSetup,
  turnOffOwnTwoFactor,
} from '~/domain/staff-accounts.server'

export const meta: MetaFunction = () => [{ title: 'Your account – Join In staff' }]

// The setup secret is in the page: neither the browser nor a proxy may keep a copy. A headers
// export replaces the action's own headers, so Retry-After is passed on here.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}

const code = z.string().max(50).catch('')
const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('start-setup') }),
  z.object({ intent: z.literal('cancel-setup') }),
  z.object({ intent: z.literal('confirm'), code }),
  z.object({ intent: z.literal('turn-off'), code }),
])

const NOTICES: Record<string, string> = {
  'two-factor-on': 'Two-factor authentication is on. From now on, signing in asks for a code from your app.',
  'two-factor-off': 'Two-factor authentication is off. Signing in needs only your password.',
}

const WRONG_CODE = 'The code is not correct. Enter the code your authenticator app shows now'
const THROTTLED = 'Too many wrong codes. Wait a few minutes, then try again.'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'account:self')
  const account = await getOwnAccount(context.db, staff.id)
  if (!account) throw new Response('Not found', { status: 404 })
  const pending = account.pendingSecret
  return {
    name: account.name,
    email: account.email,
    role: account.role,
    twoFactorOn: account.twoFactorOn,
    twoFactorSince: account.twoFactorSince,
    setup: pending
      ? { secret: formatSecretForTyping(pending), uri: totpUri(pending, context.config.serviceName, account.email) }
      : null,
    notice: NOTICES[new URL(request.url).searchParams.get('notice') ?? ''] ?? null,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'account:self')
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('That is not something this page can do', { status: 400 })
  const form = parsed.data
  switch (form.intent) {
    case 'start-setup':
      await startTwoFactorSetup(context.db, staff.id)
      return redirect('/staff/account#set-up')
    case 'cancel-setup':
      await cancelTwoFactorSetup(context.db, staff.id)
      return redirect('/staff/account')
    case 'confirm':
    case 'turn-off': {
      if (!form.code.trim()) {
        return data({ errors: { code: 'Enter the 6-digit code from your authenticator app' } }, { status: 400 })
      }
      const check = form.intent === 'confirm' ? confirmTwoFactor : turnOffOwnTwoFactor
      const result = await check(context.db, staff.id, form.code, context.clientIp)
      if (result.status === 'wrong-code') return data({ errors: { code: WRONG_CODE } }, { status: 400 })
      if (result.status === 'throttled') {
        const wait = Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 1000))
        return data({ errors: { code: THROTTLED } }, { status: 429, headers: { 'Retry-After': String(wait) } })
      }
      if (result.status === 'nothing-to-do') return redirect('/staff/account')
      return redirect(`/staff/account?notice=${form.intent === 'confirm' ? 'two-factor-on' : 'two-factor-off'}`)
    }
  }
}

export default function Account() {
  const loaded = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const errors: Record<string, string> = result?.errors ?? {}
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errorList(errors, ['code'])} />
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
          ]}
        />
        <p className="govuk-body">
          To change your name, email address or role, or if you have forgotten your password, ask an administrator.
        </p>

        <h2 className="govuk-heading-m" id="set-up">
          Two-factor authentication
        </h2>
        {loaded.twoFactorOn ? (
          <TurnOff error={errors.code} />
        ) : loaded.setup ? (
          <SetUp secret={loaded.setup.secret} uri={loaded.setup.uri} error={errors.code} />
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
      </div>
    </div>
  )
}

function CodeInput({ error }: { error?: string }) {
  return (
    <TextInput
      id="code"
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

function SetUp({ secret, uri, error }: { secret: string; uri: string; error?: string }) {
  return (
    <>
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
          <code>{secret}</code>
        </p>
      </InsetText>
      <Details summary="Set up with a link instead">
        <p className="govuk-body">
          Some apps can read this link when you copy and paste it, or open it on the phone with the app:
        </p>
        <p className="govuk-body govuk-!-text-break-word">
          <code>{uri}</code>
        </p>
      </Details>
      <p className="govuk-body">Then enter the code the app shows, to check it is set up.</p>
      <Form method="post" noValidate>
        <CodeInput error={error} />
        <ButtonGroup>
          <Button name="intent" value="confirm">
            Turn on two-factor authentication
          </Button>
          <Button name="intent" value="cancel-setup" variant="secondary" preventDoubleClick={false}>
            Cancel
          </Button>
        </ButtonGroup>
      </Form>
    </>
  )
}

function TurnOff({ error }: { error?: string }) {
  return (
    <>
      <p className="govuk-body">Signing in needs your password and a code from your authenticator app.</p>
      <p className="govuk-body">
        To turn it off, enter a code from your app. If you have lost your phone, ask an administrator instead.
      </p>
      <Form method="post" noValidate>
        <CodeInput error={error} />
        <Button name="intent" value="turn-off" variant="warning">
          Turn off two-factor authentication
        </Button>
      </Form>
    </>
  )
}
