// The "before the call" checklist of a session on a page of its own (the session page shows it
// too, and its buttons post here): ticking or unticking one item, recorded with who and when.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, useActionData, useLoaderData } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { BackLink, ErrorSummary, SessionChecklist } from '~/components'
import { parseId } from '~/domain/ids'
import { checklistChangeSchema } from '~/domain/session-safety'
import { setChecklistItem } from '~/domain/session-safety.server'
import { staffSessionPage } from '~/domain/staff-session-page.server'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Before the call: ${data?.activity.title ?? 'session'} – Join In staff` },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // the checklist names children by their consents: for those who may see bookings
  const staff = await requireStaff(request, context, 'bookings:read')
  const page = await staffSessionPage(
    context.db,
    parseId(params.id),
    { id: staff.id, role: staff.role, ip: context.clientIp },
    context.now(),
  )
  if (!page || !page.checklist) throw new Response('Not found', { status: 404 })
  return {
    activity: {
      id: page.activity.id,
      title: page.activity.title,
      starts_at: page.activity.starts_at,
      ends_at: page.activity.ends_at,
    },
    checklist: page.checklist,
    canTick: page.canTick,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:write')
  const id = parseId(params.id)
  if (!id) throw new Response('Not found', { status: 404 })
  const parsed = checklistChangeSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) {
    return data({ error: 'Choose a check to tick or untick' }, { status: 400 })
  }
  const result = await setChecklistItem(
    context.db,
    id,
    parsed.data.item,
    parsed.data.intent === 'tick',
    { id: staff.id, ip: context.clientIp },
    context.now(),
  )
  if (result.status === 'not-found') throw new Response('Not found', { status: 404 })
  return redirect(`/staff/activities/${id}?notice=checklist-${parsed.data.intent}#check-${parsed.data.item}`)
}

export default function Checklist() {
  const { activity, checklist, canTick } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <BackLink href={`/staff/activities/${activity.id}`}>Back to the session</BackLink>
      <ErrorSummary errors={actionData?.error ? [{ href: '#checklist', message: actionData.error }] : []} />
      <span className="govuk-caption-l">{`${formatLondonDate(activity.starts_at)}, ${formatLondonTimeRange(activity.starts_at, activity.ends_at)}`}</span>
      <h1 className="govuk-heading-l">{activity.title}</h1>
      <SessionChecklist
        activityId={activity.id}
        wording={checklist.wording}
        state={checklist.state}
        canTick={canTick}
      />
    </>
  )
}
