// "Delete our account": a check page saying what happens, then the deletion. Places still to come
// are cancelled and offered to other families; the family's details are erased and only anonymous
// counts of past sessions stay.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, redirect, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { endFamilySession, requireFamily } from '~/auth/family-session.server'
import { linksFor } from '~/base-url.server'
import { BackLink, Button, WarningText } from '~/components'
import { checkAccountDeletion, deleteFamilyAccount } from '~/domain/family-data.server'

export const meta: MetaFunction = () => [{ title: 'Delete our account – Join In' }]

const deleteSchema = z.object({ intent: z.literal('delete') })

export async function loader({ request, context }: LoaderFunctionArgs) {
  const family = await requireFamily(request, context)
  return checkAccountDeletion(context.db, family.id, context.now())
}

export async function action({ request, context }: ActionFunctionArgs) {
  const family = await requireFamily(request, context)
  const form = deleteSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!form.success) {
    return data({ error: 'Use the button to delete your account' }, { status: 400 })
  }
  await deleteFamilyAccount(context.db, family.id, linksFor(request, context), context.now())
  context.nudgeOutbox?.()
  const cookie = await endFamilySession(request, context)
  // To a page that needs no family: this one's loader would now send the browser to sign in.
  return redirect('/family/deleted', { headers: { 'Set-Cookie': cookie } })
}

export default function DeleteOurAccount() {
  const check = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/family">Back to your family</BackLink>
        <h1 className="govuk-heading-l">Are you sure you want to delete your account?</h1>
        <p className="govuk-body">We will delete:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>your name, email address and phone numbers</li>
          <li>
            {check.children === 1 ? 'your child’s' : 'your children’s'} names, dates of birth, support needs and
            consents
          </li>
          <li>the names and details on your bookings</li>
        </ul>
        <p className="govuk-body">
          We keep only anonymous counts of past sessions, such as how many children took part, with no names.
        </p>
        {check.upcoming.length ? (
          <>
            <WarningText>Your places on these sessions will be cancelled and offered to other families:</WarningText>
            <ul className="govuk-list govuk-list--bullet">
              {check.upcoming.map((s) => (
                <li key={`${s.title}-${s.when}`}>
                  {`${s.title}, ${s.when} (${s.places === 1 ? '1 place' : `${s.places} places`})`}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p className="govuk-body">You cannot undo this. You can book again as a new family at any time.</p>
        {actionData?.error ? <p className="govuk-error-message">{actionData.error}</p> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <Button variant="warning">Delete our account</Button>
        </Form>
        <p className="govuk-body">
          <a className="govuk-link" href="/family">
            No, keep our account
          </a>
        </p>
      </div>
    </div>
  )
}
