// The link in a sign-in email. Opening it only shows a button (mail scanners open links too, and a
// GET never changes anything); pressing it uses the link, once, and signs this device in.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, redirect, useActionData, useLoaderData } from 'react-router'
import type { ReactNode } from 'react'
import { z } from 'zod'
import { startFamilySession } from '~/auth/family-session.server'
import { safeRedirectPath } from '~/auth/session.server'
import { Button } from '~/components'
import { checkSignInLink, signInWithLink } from '~/domain/families.server'

export const meta: MetaFunction = () => [
  { title: 'Sign in to see your bookings – Join In' },
  { name: 'robots', content: 'noindex' },
]

const tokenSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/)
const postSchema = z.object({ redirectTo: z.string().max(500).catch('').default('') })

const statusOf = (state: 'spent' | 'unknown' | 'valid') => (state === 'unknown' ? 400 : state === 'spent' ? 410 : 200)

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = tokenSchema.safeParse(params.token)
  const state = token.success ? await checkSignInLink(context.db, token.data, context.now()) : 'unknown'
  const redirectTo = new URL(request.url).searchParams.get('redirectTo')
  return data({ state, redirectTo: redirectTo ? safeRedirectPath(redirectTo, '') : '' }, { status: statusOf(state) })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = tokenSchema.safeParse(params.token)
  const form = postSchema.parse(Object.fromEntries(await request.formData()))
  if (!token.success) return data({ state: 'unknown' as const }, { status: 400 })
  const result = await signInWithLink(context.db, token.data, context.now())
  if (result.status !== 'signed-in') return data({ state: result.status }, { status: statusOf(result.status) })
  const cookie = await startFamilySession(context, result.familyId)
  return redirect(safeRedirectPath(form.redirectTo, '/family'), { headers: { 'Set-Cookie': cookie } })
}

export default function FamilySignInLink() {
  const { state, redirectTo } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const outcome = actionData?.state ?? state
  if (outcome === 'valid') {
    return (
      <Column>
        <h1 className="govuk-heading-l">Sign in to see your bookings</h1>
        <p className="govuk-body">
          Press the button to sign in on this phone or computer. You will stay signed in here for 30 days, or until you
          sign out.
        </p>
        <Form method="post">
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <Button>Sign in</Button>
        </Form>
      </Column>
    )
  }
  return (
    <Column>
      <h1 className="govuk-heading-l">
        {outcome === 'spent' ? 'This link has expired or has already been used' : 'This link does not work'}
      </h1>
      <p className="govuk-body">
        {outcome === 'spent'
          ? 'A link to sign in works once, for 30 minutes.'
          : 'Use the link in the email exactly as it is, or ask for a new one.'}
      </p>
      <p className="govuk-body">
        <a className="govuk-link" href="/family/sign-in">
          Ask for a new link
        </a>
      </p>
    </Column>
  )
}

function Column({ children }: { children: ReactNode }) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">{children}</div>
    </div>
  )
}
