import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { Button, ButtonGroup, ErrorSummary } from '~/components'
import { ActivityFields } from '~/components/activity-fields'
import { errorList } from '~/components/error-summary'
import { ACTIVITY_FIELD_ANCHORS, ACTIVITY_FIELD_ORDER, parseActivityForm } from '~/domain/activity-form'
import { formValues } from '~/domain/form-fields'
import { createActivities } from '~/domain/activities.server'

export const meta: MetaFunction = () => [{ title: 'New session – Join In staff' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'activities:write')
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'activities:write')
  const form = await request.formData()
  const parsed = parseActivityForm(form, { allowRepeat: true })
  const values = formValues(form)
  if (!parsed.ok) return data({ errors: parsed.errors, values }, { status: 400 })
  const result = await createActivities(context.db, parsed.value, {
    publish: form.get('intent') === 'publish',
    createdBy: staff.id,
  })
  if (result.status === 'invalid') return data({ errors: { date: result.error }, values }, { status: 400 })
  const first = result.ids[0]!
  const published = form.get('intent') === 'publish'
  const notice = result.ids.length > 1 ? `series-created-${result.ids.length}` : published ? 'published' : 'created'
  return redirect(`/staff/activities/${first}?notice=${notice}`)
}

export default function NewActivity() {
  const actionData = useActionData<typeof action>()
  const errors: Record<string, string> = actionData?.errors ?? {}
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errorList(errors, [...ACTIVITY_FIELD_ORDER], ACTIVITY_FIELD_ANCHORS)} />
        <h1 className="govuk-heading-l">New session</h1>
        <Form method="post" noValidate>
          <ActivityFields values={actionData?.values ?? {}} errors={errors} allowRepeat />
          <ButtonGroup>
            <Button name="intent" value="publish">
              Save and publish
            </Button>
            <Button name="intent" value="draft" variant="secondary">
              Save as draft
            </Button>
          </ButtonGroup>
        </Form>
      </div>
    </div>
  )
}
