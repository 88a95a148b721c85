// Adding a child to the family: kept once, so it is never typed again when booking.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, redirect, useActionData } from 'react-router'
import { requireFamily } from '~/auth/family-session.server'
import { BackLink, Button, ErrorSummary } from '~/components'
import { ChildFields } from '~/components/child-fields'
import { errorList } from '~/components/error-summary'
import { addChild } from '~/domain/families.server'
import { CHILD_FIELD_ORDER, CHILD_FIELD_TARGETS, parseChildForm } from '~/domain/family-form'
import { londonDateOf } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'Add a child – Join In' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireFamily(request, context)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const family = await requireFamily(request, context)
  const now = context.now()
  const parsed = parseChildForm(await request.formData(), londonDateOf(now))
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 })
  const result = await addChild(context.db, family.id, parsed.value, now)
  if (result.status !== 'saved') {
    return data(
      { errors: { firstName: `${parsed.value.firstName} is already in your family` }, values: parsed.values },
      { status: 400 },
    )
  }
  return redirect('/family?done=child-added')
}

export default function AddChild() {
  const actionData = useActionData<typeof action>()
  const errors: Record<string, string> = actionData?.errors ?? {}
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/family">Back to your family</BackLink>
        <ErrorSummary errors={errorList(errors, CHILD_FIELD_ORDER, CHILD_FIELD_TARGETS)} />
        <h1 className="govuk-heading-l">Add a child</h1>
        <Form method="post" noValidate>
          <ChildFields values={actionData?.values ?? {}} errors={errors} />
          <Button>Add this child</Button>
        </Form>
      </div>
    </div>
  )
}
