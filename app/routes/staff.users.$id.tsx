// One staff account: its role, its password link, its two-factor setting and whether it may sign in.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import type { ReactNode } from 'react'
import { z } from 'zod'
import { ROLES, ROLE_NAMES } from '~/auth/permissions'
import { requireStaff } from '~/auth/session.server'
import { linksFor } from '~/base-url.server'
import {
  BackLink,
  Button,
  ButtonGroup,
  ErrorSummary,
  NotificationBanner,
  Radios,
  SummaryList,
  Tag,
  WarningText,
  errorList,
} from '~/components'
import { parseId } from '~/domain/ids'
import { formatLondonShortDate, formatLondonTime } from '~/time/london-time'
import {
  changeRole,
  checkDisableStaff,
  disableStaff,
  enableStaff,
  getStaffAccount,
  sendPasswordReset,
  setSafeguardingLead,
  turnOffTwoFactorFor,
} from '~/domain/staff-accounts.server'
import { signInLockFor, unlockSignIn } from '~/domain/sign-in-locks.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.account.name ?? 'Staff account'} – Staff – Join In staff` },
]

const actionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('change-role'),
    role: z.enum(ROLES).optional().catch(undefined),
  }),
  // "disable" shows the check page and changes nothing; "confirm-disable" disables.
  z.object({ intent: z.literal('disable') }),
  z.object({ intent: z.literal('confirm-disable') }),
  z.object({ intent: z.literal('enable') }),
  z.object({ intent: z.literal('reset-password') }),
  z.object({ intent: z.literal('turn-off-two-factor') }),
  z.object({ intent: z.literal('unlock-sign-in') }),
  z.object({ intent: z.literal('give-safeguarding-lead') }),
  z.object({ intent: z.literal('remove-safeguarding-lead') }),
])

const NOTICES: Record<string, string> = {
  'role-changed': 'Role changed. It applies from their next click: they do not need to sign in again.',
  'role-unchanged': 'The role was already that: nothing changed.',
  enabled: 'Account enabled. They can sign in again with their password.',
  'reset-sent': 'Password reset email sent. The link works once and for 24 hours.',
  'invite-sent': 'A new invitation has been sent. The old link no longer works.',
  'two-factor-off':
    'Two-factor authentication turned off and they have been signed out. Admin and staff set it up again when they next sign in.',
  'sign-in-unlocked': 'Sign-in unlocked. They can sign in with their password now.',
  'lead-given':
    'They are now a safeguarding lead: they can read safeguarding concerns and are emailed when one is recorded.',
  'lead-removed': 'They are no longer a safeguarding lead and cannot read safeguarding concerns.',
  'lead-unchanged': 'Nothing changed: that was already so.',
}

function noticeFor(key: string, name: string): string | null {
  if (key === 'disabled') return `${name}'s account is disabled. They have been signed out and cannot sign in.`
  if (key === 'already-disabled') return `${name}'s account was already disabled.`
  return NOTICES[key] ?? null
}

/** Where each section's error links to in the error summary. */
const SECTION_IDS = {
  role: 'role',
  access: 'access',
  password: 'password',
  twoFactor: 'two-factor',
  lead: 'safeguarding-lead',
} as const

const STATUS_TAGS = {
  active: { text: 'Active', colour: 'green' },
  invited: { text: 'Invited', colour: 'blue' },
  disabled: { text: 'Disabled', colour: 'grey' },
} as const

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'staff:manage')
  const id = parseId(params.id)
  const account = id ? await getStaffAccount(context.db, id) : null
  if (!account) throw new Response('Not found', { status: 404 })
  const lock = await signInLockFor(context.db, account.id, context.now())
  return {
    account,
    signInLock: lock ? { until: lock.until.toISOString(), attempts: lock.attempts, everywhere: lock.everywhere } : null,
    isSelf: account.id === staff.id,
    notice: noticeFor(new URL(request.url).searchParams.get('notice') ?? '', account.name),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'staff:manage')
  const id = parseId(params.id)
  if (!id) throw new Response('Not found', { status: 404 })
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('That is not something this page can do', { status: 400 })
  const actor = { userId: staff.id, ip: context.clientIp }
  const back = (notice: string) => redirect(`/staff/users/${id}?notice=${notice}`)
  const problem = (field: keyof typeof SECTION_IDS, message: string) =>
    data({ errors: { [SECTION_IDS[field]]: message } as Record<string, string> }, { status: 400 })
  const notFound = () => new Response('Not found', { status: 404 })

  switch (parsed.data.intent) {
    case 'change-role': {
      if (!parsed.data.role) return problem('role', 'Select what they can do')
      const result = await changeRole(context.db, id, parsed.data.role, actor)
      if (result.status === 'not-found') throw notFound()
      if (result.status === 'last-admin') {
        return problem(
          'role',
          'This is the only active administrator. Make someone else an administrator before changing this role.',
        )
      }
      // An administrator who stepped down can no longer see this page: send them somewhere they can.
      if (result.status === 'changed' && id === staff.id) return redirect('/staff')
      return back(result.status === 'changed' ? 'role-changed' : 'role-unchanged')
    }
    case 'disable':
    case 'confirm-disable': {
      const result =
        parsed.data.intent === 'disable'
          ? await checkDisableStaff(context.db, id, actor)
          : await disableStaff(context.db, id, actor)
      if (result.status === 'not-found') throw notFound()
      if (result.status === 'check') return data({ check: 'disable' as const })
      if (result.status === 'unchanged') return back('already-disabled')
      if (result.status === 'self') return problem('access', 'You cannot disable your own account')
      if (result.status === 'last-admin') {
        return problem(
          'access',
          'This is the only active administrator. Make someone else an administrator before disabling this account.',
        )
      }
      return back('disabled')
    }
    case 'enable': {
      const result = await enableStaff(context.db, id, actor)
      if (result.status === 'not-found') throw notFound()
      return back('enabled')
    }
    case 'reset-password': {
      const mail = { links: linksFor(request, context), serviceName: context.config.serviceName }
      const result = await sendPasswordReset(context.db, id, actor, mail)
      if (result.status === 'not-found') throw notFound()
      if (result.status === 'disabled') {
        return problem('password', 'This account is disabled. Enable it before sending a password link.')
      }
      return back(result.invitation ? 'invite-sent' : 'reset-sent')
    }
    case 'turn-off-two-factor': {
      const result = await turnOffTwoFactorFor(context.db, id, actor)
      if (result.status === 'not-found') throw notFound()
      return back('two-factor-off')
    }
    case 'give-safeguarding-lead':
    case 'remove-safeguarding-lead': {
      const lead = parsed.data.intent === 'give-safeguarding-lead'
      const result = await setSafeguardingLead(context.db, id, lead, actor)
      if (result.status === 'not-found') throw notFound()
      if (result.status === 'viewer') {
        return problem(
          'lead',
          'A viewer cannot be a safeguarding lead. Give them the staff or administrator role first.',
        )
      }
      return back(result.status === 'changed' ? (lead ? 'lead-given' : 'lead-removed') : 'lead-unchanged')
    }
    case 'unlock-sign-in': {
      const result = await unlockSignIn(context.db, id, actor, context.now())
      if (result.status === 'not-found') throw notFound()
      return back('sign-in-unlocked')
    }
  }
}

function formatInstant(instant: string | null): string {
  return instant ? `${formatLondonShortDate(instant)}, ${formatLondonTime(instant)}` : 'Never'
}

export default function StaffAccount() {
  const { account, signInLock, isSelf, notice } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  if (result && 'check' in result) return <DisableCheck account={account} />
  const errors: Record<string, string> = result && 'errors' in result ? result.errors : {}
  const status = STATUS_TAGS[account.status]
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/staff/users">Back to staff</BackLink>
        <ErrorSummary
          errors={errorList(errors, [
            SECTION_IDS.role,
            SECTION_IDS.password,
            SECTION_IDS.twoFactor,
            SECTION_IDS.lead,
            SECTION_IDS.access,
          ])}
        />
        {notice && !result ? <NotificationBanner success>{notice}</NotificationBanner> : null}
        <span className="govuk-caption-l">Staff account{isSelf ? ' (you)' : ''}</span>
        <h1 className="govuk-heading-l">{account.name}</h1>
        <SummaryList
          rows={[
            { key: 'Email address', value: account.email },
            { key: 'Role', value: ROLE_NAMES[account.role] },
            { key: 'Safeguarding lead', value: account.safeguardingLead ? 'Yes' : 'No' },
            { key: 'Status', value: <Tag colour={status.colour}>{status.text}</Tag> },
            { key: 'Two-factor authentication', value: account.twoFactor ? 'On' : 'Off' },
            { key: 'Last signed in', value: formatInstant(account.lastSignedInAt) },
          ]}
        />

        <h2 className="govuk-heading-m">Role</h2>
        <Form method="post" noValidate>
          <Radios
            id={SECTION_IDS.role}
            legend="What can they do?"
            legendSize="s"
            error={errors[SECTION_IDS.role]}
            defaultValue={account.role}
            items={ROLES.map((role) => ({ value: role, text: ROLE_NAMES[role] }))}
          />
          <Button name="intent" value="change-role" variant="secondary">
            Save role
          </Button>
        </Form>

        {account.status !== 'disabled' ? (
          <Section id={SECTION_IDS.password} heading="Password" error={errors[SECTION_IDS.password]}>
            <p className="govuk-body">
              {account.status === 'invited'
                ? 'They have not created a password yet. A new invitation replaces the old link, which stops working.'
                : 'We will email them a link to choose a new password. Their current password keeps working until they do.'}
            </p>
            <Form method="post">
              <Button name="intent" value="reset-password" variant="secondary">
                {account.status === 'invited' ? 'Send a new invitation' : 'Send a password reset email'}
              </Button>
            </Form>
          </Section>
        ) : null}

        {account.twoFactor ? (
          <Section id={SECTION_IDS.twoFactor} heading="Two-factor authentication" error={errors[SECTION_IDS.twoFactor]}>
            <p className="govuk-body">
              If they have lost their phone and their recovery codes, turn two-factor authentication off. This signs
              them out. Admin and staff set it up again on a new phone when they next sign in.
            </p>
            <Form method="post">
              <Button name="intent" value="turn-off-two-factor" variant="warning">
                Turn off two-factor authentication<span className="govuk-visually-hidden"> for {account.name}</span>
              </Button>
            </Form>
          </Section>
        ) : null}

        {signInLock ? (
          <section className="govuk-!-margin-top-8" aria-labelledby="sign-in-lock-heading">
            <h2 className="govuk-heading-m" id="sign-in-lock-heading">
              Sign-in
            </h2>
            <p className="govuk-body">
              Sign-in is paused for this account until {formatLondonTime(signInLock.until)} after{' '}
              {signInLock.attempts === 1 ? '1 failed attempt' : `${signInLock.attempts} failed attempts`} in the last
              hour.{' '}
              {signInLock.everywhere
                ? 'It has had too many wrong passwords this hour, so it waits wherever they sign in from.'
                : 'From an address that has not failed recently, their password still works.'}
            </p>
            <p className="govuk-body">
              Unlock it if they cannot wait, for example when someone else on their office network has been trying.
            </p>
            <Form method="post">
              <Button name="intent" value="unlock-sign-in" variant="secondary">
                Unlock sign-in<span className="govuk-visually-hidden"> for {account.name}</span>
              </Button>
            </Form>
          </section>
        ) : null}

        <Section id={SECTION_IDS.lead} heading="Safeguarding lead" error={errors[SECTION_IDS.lead]}>
          <p className="govuk-body">
            Safeguarding leads read the safeguarding concerns staff record, add notes to them and close them, and are
            emailed when one is recorded. Nobody else can read a concern, administrators included.
          </p>
          {account.role === 'viewer' ? (
            <p className="govuk-body">A viewer cannot be a safeguarding lead.</p>
          ) : (
            <Form method="post">
              <Button
                name="intent"
                value={account.safeguardingLead ? 'remove-safeguarding-lead' : 'give-safeguarding-lead'}
                variant={account.safeguardingLead ? 'warning' : 'secondary'}
              >
                {account.safeguardingLead ? 'Remove as safeguarding lead' : 'Make them a safeguarding lead'}
                <span className="govuk-visually-hidden"> ({account.name})</span>
              </Button>
            </Form>
          )}
        </Section>

        <Section id={SECTION_IDS.access} heading="Access" error={errors[SECTION_IDS.access]}>
          {account.status === 'disabled' ? (
            <>
              <p className="govuk-body">This account is disabled: they cannot sign in.</p>
              <Form method="post">
                <Button name="intent" value="enable" variant="secondary">
                  Enable account
                </Button>
              </Form>
            </>
          ) : isSelf ? (
            <p className="govuk-body">You cannot disable your own account. Another administrator can.</p>
          ) : (
            <>
              <WarningText>Disabling signs them out at once. Their past actions stay in the audit log.</WarningText>
              <Form method="post">
                <Button name="intent" value="disable" variant="warning">
                  Disable account<span className="govuk-visually-hidden"> for {account.name}</span>
                </Button>
              </Form>
            </>
          )}
        </Section>
      </div>
    </div>
  )
}

/** A section whose error (from a form with only a button) shows under its heading, where the summary links. */
function Section({
  id,
  heading,
  error,
  children,
}: {
  id: string
  heading: string
  error?: string
  children: ReactNode
}) {
  return (
    <section
      className={error ? 'govuk-form-group govuk-form-group--error govuk-!-margin-top-8' : 'govuk-!-margin-top-8'}
      aria-labelledby={`${id}-heading`}
    >
      <h2 className="govuk-heading-m" id={`${id}-heading`}>
        {heading}
      </h2>
      {error ? (
        <p className="govuk-error-message" id={id} tabIndex={-1}>
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      ) : null}
      {children}
    </section>
  )
}

/** The check page before disabling an account (GOV.UK "check before you act"). */
function DisableCheck({
  account,
}: {
  account: { id: number; name: string; email: string; role: keyof typeof ROLE_NAMES }
}) {
  const back = `/staff/users/${account.id}`
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={back}>Back to {account.name}</BackLink>
        <span className="govuk-caption-l">Staff account</span>
        <h1 className="govuk-heading-l">{`Are you sure you want to disable ${account.name}'s account?`}</h1>
        <SummaryList
          rows={[
            { key: 'Name', value: account.name },
            { key: 'Email address', value: account.email },
            { key: 'Role', value: ROLE_NAMES[account.role] },
          ]}
        />
        <WarningText>
          They will be signed out at once and cannot sign in. Any password link sent to them stops working. Their past
          actions stay in the audit log. You can enable the account again later.
        </WarningText>
        <Form method="post">
          <ButtonGroup>
            <Button name="intent" value="confirm-disable" variant="warning">
              {`Yes, disable ${account.name}'s account`}
            </Button>
            <a className="govuk-link" href={back}>
              No, keep it active
            </a>
          </ButtonGroup>
        </Form>
      </div>
    </div>
  )
}
