// Record a safeguarding concern from a session or its register: any staff member or admin. The
// recorder never reads it back: afterwards they see only that, and when, they recorded one.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { requireStaff } from '~/auth/session.server'
import { linksFor } from '~/base-url.server'
import {
  BackLink,
  Button,
  DateInput,
  ErrorSummary,
  InsetText,
  Panel,
  Radios,
  TextInput,
  Textarea,
  WarningText,
  errorList,
} from '~/components'
import {
  CONCERN_FIELD_ORDER,
  SOMEONE_ELSE,
  concernValues,
  parseConcern,
  placeChoice,
  type ConcernErrors,
  type ConcernValues,
} from '~/domain/concern-form'
import {
  concernFormFor,
  concernPlaceIds,
  concernsRecordedBy,
  countSafeguardingLeads,
  recordConcern,
} from '~/domain/concerns.server'
import { parseId } from '~/domain/ids'
import {
  formatLondonDate,
  formatLondonTime,
  formatLondonTimeRange,
  londonParts,
  londonTimeOf,
} from '~/time/london-time'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.recorded ? 'Concern recorded' : 'Record a concern'} – Join In staff` },
]

const keySchema = z.string().regex(/^[\w-]{16,64}$/)

function activityIdOf(id: string | undefined): number {
  const activityId = parseId(id)
  if (!activityId) throw new Response('Not found', { status: 404 })
  return activityId
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'concerns:record')
  const activityId = activityIdOf(params.id)
  const session = await concernFormFor(context.db, activityId, { id: staff.id, ip: context.clientIp })
  if (!session) throw new Response('Not found', { status: 404 })
  // The session's start, or now when it has not started yet (a concern is about what has happened).
  const now = context.now()
  const defaultAt = new Date(session.activity.starts_at) < now ? session.activity.starts_at : now.toISOString()
  const starts = londonParts(defaultAt)
  return data(
    {
      ...session,
      recorded: new URL(request.url).searchParams.get('recorded') === '1',
      leads: await countSafeguardingLeads(context.db),
      yours: await concernsRecordedBy(context.db, activityId, staff.id),
      defaults: {
        happenedDay: String(starts.day),
        happenedMonth: String(starts.month),
        happenedYear: String(starts.year),
        happenedTime: londonTimeOf(defaultAt),
      },
      idempotencyKey: crypto.randomUUID(),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

type ActionResult = { errors: ConcernErrors; values: ConcernValues; idempotencyKey: string }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'concerns:record')
  const activityId = activityIdOf(params.id)
  const form = await request.formData()
  const values = concernValues(form)
  const key = keySchema.safeParse(form.get('idempotencyKey'))
  const idempotencyKey = key.success ? key.data : crypto.randomUUID()
  const invalid = (errors: ConcernErrors) => data<ActionResult>({ errors, values, idempotencyKey }, { status: 400 })
  const parsed = parseConcern(values, await concernPlaceIds(context.db, activityId), context.now())
  if (!parsed.ok) return invalid(parsed.errors)
  // Without the form's own key a resubmit could not be recognised: show the form again to send once.
  if (!key.success) return invalid({})
  const result = await recordConcern(
    context.db,
    activityId,
    parsed.value,
    key.data,
    { id: staff.id, name: staff.name, ip: context.clientIp },
    { links: linksFor(request, context), serviceName: context.config.serviceName },
    context.now(),
  )
  switch (result.status) {
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'place-gone':
      return invalid({ child: 'That place is no longer on this session. Select someone else, or someone not listed' })
    default:
      context.nudgeOutbox?.()
      return redirect(`/staff/activities/${activityId}/concerns/new?recorded=1`)
  }
}

function recordedAt(instant: string): string {
  return `${formatLondonTime(instant)} on ${formatLondonDate(instant)}`
}

export default function RecordConcern() {
  const loaded = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { activity, people, yours, leads } = loaded
  const when = `${formatLondonDate(activity.starts_at)}, ${formatLondonTimeRange(activity.starts_at, activity.ends_at)}`
  const back = `/staff/activities/${activity.id}`
  const noLeads =
    leads === 0 ? (
      <WarningText>
        No safeguarding lead is set up in Join In, so nobody has been emailed. Phone your designated safeguarding lead
        now and tell them about this concern.
      </WarningText>
    ) : null

  if (loaded.recorded && !result) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Panel title="Concern recorded">
            {leads > 0 ? 'The safeguarding leads have been told.' : 'No safeguarding lead has been told.'}
          </Panel>
          {noLeads}
          <p className="govuk-body">
            Only the safeguarding leads can read it. If a child is in immediate danger, call 999.
          </p>
          <p className="govuk-body">
            <a className="govuk-link" href={`${back}/register`}>
              Back to the register
            </a>
          </p>
          <p className="govuk-body">
            <a className="govuk-link" href={back}>
              Back to the session
            </a>
          </p>
        </div>
      </div>
    )
  }

  const errors: ConcernErrors = result?.errors ?? {}
  const values: ConcernValues = result?.values ?? {
    child: '',
    otherName: '',
    seenOrSaid: '',
    present: '',
    actionTaken: '',
    ...loaded.defaults,
  }
  const idempotencyKey = result?.idempotencyKey ?? loaded.idempotencyKey
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={back}>Back to the session</BackLink>
        <ErrorSummary
          errors={errorList(errors, [...CONCERN_FIELD_ORDER], { happened: 'happened-day', child: 'child' })}
        />
        <span className="govuk-caption-l">
          {activity.title}, {when}
        </span>
        <h1 className="govuk-heading-l">Record a safeguarding concern</h1>
        {yours.map((at) => (
          <InsetText key={at}>{`You recorded a concern on this session at ${recordedAt(at)}.`}</InsetText>
        ))}
        <p className="govuk-body">
          Only the safeguarding leads can read what you write here. They are emailed that a concern was recorded, with
          no details. Once you have saved it, you cannot read it again. If a child is in immediate danger, call 999.
        </p>
        {noLeads}
        <Form method="post" noValidate>
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <Radios
            id="child"
            legend="Who is the concern about?"
            legendSize="m"
            error={errors.child}
            defaultValue={values.child}
            items={[
              ...people.map((p) => ({
                value: placeChoice(p.placeId),
                text: p.firstName,
                hint: p.member ? 'Adoptables member' : undefined,
              })),
              {
                value: SOMEONE_ELSE,
                text: 'Someone not listed',
                conditional: (
                  <TextInput
                    id="otherName"
                    label="Their first name"
                    error={errors.otherName}
                    defaultValue={values.otherName}
                    autoComplete="off"
                    spellCheck={false}
                  />
                ),
              },
            ]}
          />
          <Textarea
            id="seenOrSaid"
            label="What was seen or said"
            labelSize="m"
            hint="Use the child’s own words, exactly as they said or wrote them. Say what you saw, not what you think it means."
            error={errors.seenOrSaid}
            defaultValue={values.seenOrSaid}
            rows={8}
            spellCheck
          />
          <DateInput
            id="happened"
            legend="When did it happen?"
            legendSize="m"
            hint="UK time. It is filled in with the session’s start (or now, before the session): change it if it happened at another time."
            error={errors.happened}
            value={{ day: values.happenedDay, month: values.happenedMonth, year: values.happenedYear }}
          />
          <TextInput
            id="happenedTime"
            label="Time"
            labelSize="s"
            hint="For example, 14:30 or 2:30pm"
            error={errors.happenedTime}
            defaultValue={values.happenedTime}
            width={5}
            autoComplete="off"
          />
          <Textarea
            id="present"
            label="Who was present"
            labelSize="m"
            hint="Staff, other adults and children in the call or the room"
            error={errors.present}
            defaultValue={values.present}
            rows={4}
            spellCheck
          />
          <Textarea
            id="actionTaken"
            label="What was done"
            labelSize="m"
            hint="What you or others did at the time and since, and who you have told"
            error={errors.actionTaken}
            defaultValue={values.actionTaken}
            rows={5}
            spellCheck
          />
          <Button>Record the concern</Button>
        </Form>
      </div>
    </div>
  )
}
