// The link in the confirmation email. Opening it only shows a button: mail scanners open links
// too, and a GET never changes anything. Pressing the button makes the person a subscriber.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import type { ReactNode } from 'react'
import { z } from 'zod'
import { Button, Panel } from '~/components'
import { checkConfirmation, confirmSubscription } from '~/domain/mailing-list.server'

export const meta: MetaFunction = () => [
  { title: 'Confirm you want to join our mailing list – Join In' },
  { name: 'robots', content: 'noindex' },
]

const tokenSchema = z.string().trim().min(1).max(100)

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = tokenSchema.safeParse(new URL(request.url).searchParams.get('token'))
  const state = token.success ? await checkConfirmation(context.db, token.data) : 'invalid'
  return data(
    { state, token: token.success ? token.data : '' },
    { status: state === 'invalid' ? 404 : state === 'expired' ? 410 : 200 },
  )
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = tokenSchema.safeParse((await request.formData()).get('token'))
  const outcome = token.success ? await confirmSubscription(context.db, token.data) : 'invalid'
  return data({ outcome }, { status: outcome === 'invalid' ? 404 : outcome === 'expired' ? 410 : 200 })
}

export default function ConfirmMailingList() {
  const { state, token } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const outcome = actionData?.outcome ?? state
  if (outcome === 'confirmed' || outcome === 'already-subscribed') {
    return (
      <Column>
        <Panel
          title={outcome === 'confirmed' ? 'You have joined our mailing list' : 'You are already on our mailing list'}
        />
        <p className="govuk-body">
          We will email you about new activities and Adoptables meetings, about once a month.
        </p>
        <p className="govuk-body">Every email has a link to leave the mailing list whenever you want.</p>
        <p className="govuk-body">
          <a className="govuk-link" href="/">
            See activities you can book now
          </a>
        </p>
      </Column>
    )
  }
  if (outcome === 'expired') {
    return (
      <Column>
        <h1 className="govuk-heading-l">This link has expired</h1>
        <p className="govuk-body">
          Links to confirm work for 7 days.{' '}
          <a className="govuk-link" href="/mailing-list">
            Ask for a new link
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
        <p className="govuk-body">
          Use the link in the email exactly as it is. If it still does not work,{' '}
          <a className="govuk-link" href="/mailing-list">
            ask for a new link
          </a>
          .
        </p>
      </Column>
    )
  }
  return (
    <Column>
      <h1 className="govuk-heading-l">Confirm you want to join our mailing list</h1>
      <p className="govuk-body">
        We will email you about new activities and Adoptables meetings, about once a month. You can leave at any time.
      </p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <Button>Yes, add me to the mailing list</Button>
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
