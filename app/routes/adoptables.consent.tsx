import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { linksFor } from '~/base-url.server'
import { Button, Panel } from '~/components'
import { confirmConsent } from '~/domain/members.server'

export const meta: MetaFunction = () => [
  { title: 'Agree to Adoptables – Join In' },
  { name: 'robots', content: 'noindex' },
]

// The emailed link only shows a button: opening a link (or a mail scanner opening it) changes nothing.
export async function loader({ request }: LoaderFunctionArgs) {
  return { token: new URL(request.url).searchParams.get('token') ?? '' }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const token = z
    .string()
    .max(200)
    .safeParse((await request.formData()).get('token'))
  const result = await confirmConsent(context.db, token.success ? token.data : '', linksFor(request, context))
  context.nudgeOutbox?.()
  if (result.status === 'invalid') return data({ outcome: 'invalid' as const, firstName: '' }, { status: 404 })
  return { outcome: result.status, firstName: result.status === 'confirmed' ? result.firstName : '' }
}

export default function Consent() {
  const { token } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  if (actionData?.outcome === 'confirmed' || actionData?.outcome === 'already-confirmed') {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title="Thank you">
            {actionData.firstName ? `${actionData.firstName} can now join Adoptables` : 'This was already confirmed'}
          </Panel>
          <p className="govuk-body">We have emailed them their link to book and join meetings.</p>
        </div>
      </div>
    )
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {actionData?.outcome === 'invalid' ? (
          <>
            <h1 className="govuk-heading-l">This link does not work</h1>
            <p className="govuk-body">
              Use the link in the email exactly as it is. If it still does not work, the young person can sign up again.
            </p>
          </>
        ) : (
          <>
            <h1 className="govuk-heading-l">Agree to Adoptables</h1>
            <p className="govuk-body">
              Adoptables is a group where adopted young people aged 12 to 18 meet online on Microsoft Teams to share
              their views. Meetings are run by the Virtual School Kent Participation &amp; Engagement team.
            </p>
            <p className="govuk-body">
              <a className="govuk-link" href="/adoptables/privacy">
                What we do with their details
              </a>
            </p>
            <Form method="post">
              <input type="hidden" name="token" value={token} />
              <Button>I agree they can join</Button>
            </Form>
          </>
        )}
      </div>
    </div>
  )
}
