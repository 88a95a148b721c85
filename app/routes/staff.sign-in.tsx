import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { getStaff, safeRedirectPath, startSession } from '~/auth/session.server'
import { Button, ErrorSummary, TextInput } from '~/components'
import { signIn } from '~/domain/staff.server'

export const meta: MetaFunction = () => [{ title: 'Sign in – Join In staff' }]

const signInSchema = z.object({
  email: z.string().trim().max(320).default(''),
  password: z.string().max(1024).default(''),
  redirectTo: z.string().max(2000).optional(),
})

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await getStaff(request, context)
  if (staff) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get('redirectTo')))
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = signInSchema.parse(Object.fromEntries(await request.formData()))
  const errors: Record<string, string> = {}
  if (!form.email) errors.email = 'Enter your email address'
  if (!form.password) errors.password = 'Enter your password'
  if (Object.keys(errors).length) return data({ errors, email: form.email }, { status: 400 })

  const result = await signIn(context.db, form.email, form.password, context.clientIp)
  if (result.status === 'throttled') {
    return data(
      { errors: { email: 'Too many attempts to sign in. Wait a few minutes, then try again.' }, email: form.email },
      { status: 429, headers: { 'Retry-After': String(Math.ceil((result.until.getTime() - Date.now()) / 1000)) } },
    )
  }
  if (result.status === 'wrong-credentials') {
    // One message whether the account exists or not, so nobody can find out who has one.
    return data({ errors: { email: 'Enter a correct email address and password' }, email: form.email }, { status: 401 })
  }
  const cookie = await startSession(context, result.user.id)
  return redirect(safeRedirectPath(form.redirectTo), { headers: { 'Set-Cookie': cookie } })
}

export default function SignIn() {
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const errors = actionData?.errors ?? {}
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary
          errors={Object.entries(errors).map(([field, message]) => ({ href: `#${field}`, message: String(message) }))}
        />
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
            defaultValue={actionData?.email ?? ''}
            error={'email' in errors ? errors.email : undefined}
          />
          <TextInput
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            error={'password' in errors ? errors.password : undefined}
          />
          <Button>Sign in</Button>
        </Form>
      </div>
    </div>
  )
}
