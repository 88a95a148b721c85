import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { passwordProblem } from '~/auth/password.server'
import { startSession } from '~/auth/session.server'
import { Button, ErrorSummary, TextInput } from '~/components'
import { errorList } from '~/components/error-summary'
import { completeFirstAdminSetup, isValidSetupToken } from '~/domain/staff.server'

export const meta: MetaFunction = () => [{ title: 'Set up the first administrator – Join In' }]

const setupSchema = z.object({
  token: z.string().max(200).default(''),
  name: z.string().trim().max(1000).default(''),
  email: z.string().trim().max(1000).default(''),
  password: z.string().max(1000).default(''),
})

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? ''
  return { token, valid: await isValidSetupToken(context.db, token) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = setupSchema.parse(Object.fromEntries(await request.formData()))
  const errors: Record<string, string> = {}
  if (!form.name) errors.name = 'Enter your name'
  else if (form.name.length > 100) errors.name = 'Name must be 100 characters or fewer'
  if (!form.email) errors.email = 'Enter your email address'
  else if (!z.string().email().safeParse(form.email).success) {
    errors.email = 'Enter an email address in the correct format, like name@example.org'
  }
  const problem = form.password ? passwordProblem(form.password) : 'Enter a password'
  if (problem) errors.password = problem
  if (Object.keys(errors).length)
    return data({ errors, values: { name: form.name, email: form.email } }, { status: 400 })
  const result = await completeFirstAdminSetup(context.db, form.token, form)
  if (result.status !== 'created') {
    return data(
      { errors: { token: 'This set-up link has expired or has already been used' }, values: form },
      { status: 400 },
    )
  }
  const cookie = await startSession(context, result.userId)
  return redirect('/staff', { headers: { 'Set-Cookie': cookie } })
}

export default function Setup() {
  const { token, valid } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors: Record<string, string> = actionData?.errors ?? {}
  if (!valid) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">This set-up link has expired or has already been used</h1>
          <p className="govuk-body">
            Restart the service to print a new link, or{' '}
            <a className="govuk-link" href="/staff/sign-in">
              sign in
            </a>
            .
          </p>
        </div>
      </div>
    )
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errorList(errors, ['name', 'email', 'password'])} />
        <h1 className="govuk-heading-l">Set up the first administrator</h1>
        <Form method="post" noValidate>
          <input type="hidden" name="token" value={token} />
          <TextInput
            id="name"
            label="Your name"
            autoComplete="name"
            defaultValue={actionData?.values.name}
            error={errors.name}
          />
          <TextInput
            id="email"
            label="Email address"
            type="email"
            autoComplete="username"
            spellCheck={false}
            defaultValue={actionData?.values.email}
            error={errors.email}
          />
          <TextInput
            id="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters. A few unrelated words together are easy to remember and hard to guess."
            error={errors.password}
          />
          <Button>Create account</Button>
        </Form>
      </div>
    </div>
  )
}
