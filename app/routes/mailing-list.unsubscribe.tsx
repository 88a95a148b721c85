// Leaving the mailing list: the link in every email to a subscriber. Opening it shows one button
// (a GET never changes anything, and mail scanners open links). A POST leaves at once with no
// login: the page's button, or a mail client's RFC 8058 one-click POST to the List-Unsubscribe
// address with the body "List-Unsubscribe=One-Click" and the token in the query string.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import type { ReactNode } from 'react'
import { z } from 'zod'
import { Button, Panel } from '~/components'
import { checkUnsubscribe, unsubscribe } from '~/domain/mailing-list.server'

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  {
    title: `${
      loaded?.state === 'invalid'
        ? 'This link does not work'
        : loaded?.state === 'already-left'
          ? 'You have left our mailing list'
          : 'Leave our mailing list'
    } – Join In`,
  },
  { name: 'robots', content: 'noindex' },
]

const tokenSchema = z.string().trim().min(1).max(100)

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = tokenSchema.safeParse(new URL(request.url).searchParams.get('token'))
  const state = token.success ? await checkUnsubscribe(context.db, token.data) : 'invalid'
  return data({ state, token: token.success ? token.data : '' }, { status: state === 'invalid' ? 404 : 200 })
}

export async function action({ request, context }: ActionFunctionArgs) {
  // A mail client may post multipart or urlencoded, with or without our hidden field: the token
  // in the address is enough.
  let bodyToken: FormDataEntryValue | null = null
  try {
    bodyToken = (await request.formData()).get('token')
  } catch {
    bodyToken = null
  }
  const token = tokenSchema.safeParse(bodyToken ?? new URL(request.url).searchParams.get('token'))
  const outcome = token.success ? await unsubscribe(context.db, token.data) : 'invalid'
  return data(
    { outcome, pageTitle: outcome === 'left' || outcome === 'already-left' ? 'You have left our mailing list' : null },
    { status: outcome === 'invalid' ? 404 : 200 },
  )
}

export default function Unsubscribe() {
  const { state, token } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const outcome = actionData?.outcome ?? state
  if (outcome === 'left' || outcome === 'already-left') {
    return (
      <Column>
        <Panel title="You have left our mailing list" />
        <p className="govuk-body">We will not email you about new activities any more.</p>
        <p className="govuk-body">If you book an activity, we will still email you about that booking.</p>
        <p className="govuk-body">
          Changed your mind?{' '}
          <a className="govuk-link" href="/mailing-list">
            Join the mailing list again
          </a>
          .
        </p>
      </Column>
    )
  }
  if (outcome === 'invalid') {
    return (
      <Column>
        <h1 className="govuk-heading-l">This link does not work</h1>
        <p className="govuk-body">Use the link at the bottom of one of our emails exactly as it is.</p>
      </Column>
    )
  }
  return (
    <Column>
      <h1 className="govuk-heading-l">Leave our mailing list</h1>
      <p className="govuk-body">
        You will stop getting our emails about new activities and Adoptables meetings. Emails about any bookings you
        make will still come.
      </p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <Button>Leave the mailing list</Button>
      </Form>
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
