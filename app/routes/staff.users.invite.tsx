import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData } from 'react-router'
import { z } from 'zod'
import { ROLES, ROLE_NAMES } from '~/auth/permissions'
import { requireStaff } from '~/auth/session.server'
import { linksFor } from '~/base-url.server'
import { BackLink, Button, ErrorSummary, Radios, TextInput, errorList } from '~/components'
import { inviteStaff } from '~/domain/staff-accounts.server'

export const meta: MetaFunction = () => [{ title: 'Invite a member of staff – Join In staff' }]

const NAME_MAX = 100

const text = z.preprocess((v) => (typeof v === 'string' ? v.trim().slice(0, 1000) : ''), z.string())
const inviteSchema = z.object({
  name: text.pipe(z.string().min(1, 'Enter their name').max(NAME_MAX, `Name must be ${NAME_MAX} characters or fewer`)),
  email: text.pipe(
    z
      .string()
      .min(1, 'Enter their email address')
      .max(320, 'Email address must be 320 characters or fewer')
      .email('Enter an email address in the correct format, like name@example.org'),
  ),
  role: z.enum(ROLES, { errorMap: () => ({ message: 'Select what they can do' }) }),
})

const ROLE_HINTS = {
  admin: 'Everything staff can do, plus staff accounts, settings and the audit log.',
  staff: 'Publish sessions, see bookings, keep registers and message bookers.',
  viewer: 'Read and download reports only. No names or contact details.',
} as const

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'staff:manage')
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'staff:manage')
  const fields = Object.fromEntries(await request.formData())
  const values = {
    name: typeof fields.name === 'string' ? fields.name.slice(0, 1000) : '',
    email: typeof fields.email === 'string' ? fields.email.slice(0, 1000) : '',
    role: typeof fields.role === 'string' ? fields.role.slice(0, 20) : '',
  }
  const parsed = inviteSchema.safeParse(fields)
  if (!parsed.success) {
    const errors: Record<string, string> = {}
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message
    return data({ errors, values }, { status: 400 })
  }
  const result = await inviteStaff(
    context.db,
    parsed.data,
    { userId: staff.id, ip: context.clientIp },
    { links: linksFor(request, context), serviceName: context.config.serviceName },
  )
  if (result.status === 'email-taken') {
    return data(
      {
        errors: { email: 'There is already a staff account with this email address' } as Record<string, string>,
        values,
      },
      { status: 400 },
    )
  }
  return redirect('/staff/users?notice=invited')
}

export default function InviteStaff() {
  const result = useActionData<typeof action>()
  const errors = result?.errors ?? {}
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/staff/users">Back to staff</BackLink>
        <ErrorSummary errors={errorList(errors, ['name', 'email', 'role'])} />
        <h1 className="govuk-heading-l">Invite a member of staff</h1>
        <p className="govuk-body">
          We will email them a link to create their password. The link works once and for 7 days.
        </p>
        <Form method="post" noValidate>
          <TextInput id="name" label="Name" autoComplete="off" defaultValue={result?.values.name} error={errors.name} />
          <TextInput
            id="email"
            label="Email address"
            type="email"
            autoComplete="off"
            spellCheck={false}
            defaultValue={result?.values.email}
            error={errors.email}
          />
          <Radios
            id="role"
            legend="What can they do?"
            legendSize="m"
            error={errors.role}
            defaultValue={result?.values.role}
            items={ROLES.map((role) => ({ value: role, text: ROLE_NAMES[role], hint: ROLE_HINTS[role] }))}
          />
          <Button>Send invitation</Button>
        </Form>
      </div>
    </div>
  )
}
