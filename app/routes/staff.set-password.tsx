// The page an invitation or password reset email links to: choose a password, then sign in.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { PASSWORD_MIN_LENGTH } from '~/auth/password.server'
import { Button, ErrorSummary, TextInput, errorList } from '~/components'
import { checkPasswordLink, setPasswordWithLink } from '~/domain/staff-accounts.server'

export const meta: MetaFunction = () => [{ title: 'Create your password – Join In staff' }]

// The address holds a secret: no cache may keep the page.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

const tokenSchema = z.string().max(200).catch('')
const formSchema = z.object({
  token: tokenSchema,
  password: z.string().max(1000).catch(''),
})

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = tokenSchema.parse(new URL(request.url).searchParams.get('token') ?? '')
  const link = await checkPasswordLink(context.db, token)
  return link.status === 'valid'
    ? {
        valid: true as const,
        token,
        name: link.name,
        email: link.email,
        purpose: link.purpose,
        // from the loader: the page itself may not import a .server module
        minLength: PASSWORD_MIN_LENGTH,
      }
    : { valid: false as const }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = formSchema.parse(Object.fromEntries(await request.formData()))
  const result = await setPasswordWithLink(context.db, form.token, form.password, context.clientIp)
  if (result.status === 'invalid-token')
    return data({ expired: true, errors: {} as Record<string, string> }, { status: 400 })
  if (result.status === 'unacceptable') {
    return data({ expired: false, errors: { password: result.message } as Record<string, string> }, { status: 400 })
  }
  return redirect('/staff/sign-in?notice=password-set')
}

function Expired() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">This link has expired or has already been used</h1>
        <p className="govuk-body">Ask an administrator to send you a new one.</p>
        <p className="govuk-body">
          If you have already created your password,{' '}
          <a className="govuk-link" href="/staff/sign-in">
            sign in
          </a>
          .
        </p>
      </div>
    </div>
  )
}

export default function SetPassword() {
  const loaded = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  if (!loaded.valid || result?.expired) return <Expired />
  const errors = result?.errors ?? {}
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errorList(errors, ['password'])} />
        <h1 className="govuk-heading-l">
          {loaded.purpose === 'invite' ? 'Create your password' : 'Choose a new password'}
        </h1>
        <p className="govuk-body">
          Hello {loaded.name}. This is for your Join In staff account, <strong>{loaded.email}</strong>.
        </p>
        <Form method="post" noValidate>
          <input type="hidden" name="token" value={loaded.token} />
          {/* Lets a password manager file the new password under the right account. */}
          <input type="hidden" name="username" autoComplete="username" value={loaded.email} />
          <TextInput
            id="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${loaded.minLength} characters. A few unrelated words together are easy to remember and hard to guess.`}
            error={errors.password}
          />
          <Button>{loaded.purpose === 'invite' ? 'Create password' : 'Save new password'}</Button>
        </Form>
      </div>
    </div>
  )
}
