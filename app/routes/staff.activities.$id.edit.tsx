import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { linksFor } from '~/base-url.server'
import { BackLink, Button, ErrorSummary } from '~/components'
import { ActivityFields } from '~/components/activity-fields'
import { errorList } from '~/components/error-summary'
import {
  ACTIVITY_FIELD_ANCHORS,
  ACTIVITY_FIELD_ORDER,
  activityToFormValues,
  parseActivityForm,
} from '~/domain/activity-form'
import { getActivityForStaff, updateActivity } from '~/domain/activities.server'
import { formValues } from '~/domain/form-fields'
import { parseId } from '~/domain/ids'

export const meta: MetaFunction = () => [{ title: 'Change session – Join In staff' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'activities:write')
  const id = parseId(params.id)
  const activity = id ? await getActivityForStaff(context.db, id) : null
  if (!activity) throw new Response('Not found', { status: 404 })
  if (activity.status === 'cancelled') throw redirect(`/staff/activities/${activity.id}`)
  return { id: activity.id, title: activity.title, values: activityToFormValues(activity) }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'activities:write')
  const id = parseId(params.id)
  if (!id) throw new Response('Not found', { status: 404 })
  const form = await request.formData()
  const values = formValues(form)
  const parsed = parseActivityForm(form, { allowRepeat: false })
  if (!parsed.ok) return data({ errors: parsed.errors, values }, { status: 400 })
  const result = await updateActivity(context.db, id, parsed.value, staff.id, linksFor(request, context))
  context.nudgeOutbox?.()
  switch (result.status) {
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'cancelled':
      return redirect(`/staff/activities/${id}`)
    case 'kind-has-bookings':
      return data(
        {
          errors: {
            kind: 'This session has places booked, so it cannot change kind. Cancel it (everyone booked is told) and add a new one',
          },
          values,
        },
        { status: 400 },
      )
    case 'capacity-below-booked':
      return data(
        {
          errors: { capacity: `Spaces cannot be fewer than the ${result.confirmed} places already confirmed` },
          values,
        },
        { status: 400 },
      )
    case 'updated':
      return redirect(`/staff/activities/${id}?notice=${result.told ? `updated-told-${result.told}` : 'updated'}`)
  }
}

export default function EditActivity() {
  const loaderData = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors: Record<string, string> = actionData?.errors ?? {}
  return (
    <>
      <BackLink href={`/staff/activities/${loaderData.id}`}>Back to the session</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errorList(errors, [...ACTIVITY_FIELD_ORDER], ACTIVITY_FIELD_ANCHORS)} />
          <h1 className="govuk-heading-l">Change {loaderData.title}</h1>
          <p className="govuk-body">This changes this session only, not the rest of its series.</p>
          <Form method="post" noValidate>
            <ActivityFields values={actionData?.values ?? loaderData.values} errors={errors} allowRepeat={false} />
            <Button>Save changes</Button>
          </Form>
        </div>
      </div>
    </>
  )
}
