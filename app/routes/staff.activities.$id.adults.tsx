// Naming a session's two adults: the host and a second adult, each a member of staff or a named
// guest adult. Two adults on every call with children, never one-to-one (issue 17).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { BackLink, Button, Checkboxes, ErrorSummary, Radios, Select, TextInput } from '~/components'
import { errorList } from '~/components/error-summary'
import { getActivityForStaff } from '~/domain/activities.server'
import type { FieldErrors, FormValues } from '~/domain/form-fields'
import { parseId } from '~/domain/ids'
import {
  ADULT_ROLES,
  GUEST_NAME_MAX,
  GUEST_ORGANISATION_MAX,
  SESSION_ADULTS_FIELD_ORDER,
  parseSessionAdults,
  type AdultRole,
} from '~/domain/session-adults-form'
import { listAdultAccounts, saveSessionAdults, sessionAdults, type SessionAdults } from '~/domain/session-safety.server'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Adults on the call: ${data?.activity.title ?? 'session'} – Join In staff` },
]

function savedValues(adults: SessionAdults): FormValues {
  const values: FormValues = {}
  for (const role of ADULT_ROLES) {
    const adult = adults[role]
    values[`${role}Kind`] = adult ? adult.kind : 'none'
    if (adult?.kind === 'staff') values[`${role}Staff`] = String(adult.staffUserId)
    if (adult?.kind === 'guest') {
      values[`${role}GuestName`] = adult.name
      values[`${role}GuestOrganisation`] = adult.organisation ?? ''
    }
  }
  return values
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'activities:write')
  const id = parseId(params.id)
  const activity = id ? await getActivityForStaff(context.db, id) : null
  if (!activity) throw new Response('Not found', { status: 404 })
  const adults = await sessionAdults(context.db, activity.id)
  const named = adults.host !== null || adults.second !== null
  return {
    activity: {
      id: activity.id,
      title: activity.title,
      starts_at: activity.starts_at,
      ends_at: activity.ends_at,
      status: activity.status,
      inSeries: activity.series_id !== null,
    },
    accounts: await listAdultAccounts(context.db),
    // nothing named yet: no answer chosen, so the form asks rather than assumes
    values: named ? savedValues(adults) : {},
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'activities:write')
  const id = parseId(params.id)
  if (!id) throw new Response('Not found', { status: 404 })
  const parsed = parseSessionAdults(await request.formData())
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 })
  const result = await saveSessionAdults(
    context.db,
    id,
    parsed.value,
    { id: staff.id, ip: context.clientIp },
    context.now(),
  )
  if (result.status === 'not-found') throw new Response('Not found', { status: 404 })
  if (result.status === 'cancelled') {
    return data(
      {
        errors: { hostKind: 'This session is cancelled, so its adults cannot be changed' } as FieldErrors,
        values: parsed.values,
      },
      { status: 409 },
    )
  }
  if (result.status === 'not-an-account') {
    return data(
      {
        errors: {
          [`${result.role}Staff`]: 'Choose a member of staff with an active account',
        } as FieldErrors,
        values: parsed.values,
      },
      { status: 400 },
    )
  }
  return redirect(`/staff/activities/${id}?notice=adults-saved-${result.sessions}`)
}

export default function SessionAdultsPage() {
  const { activity, accounts, values: saved } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors: FieldErrors = actionData?.errors ?? {}
  const values: FormValues = actionData?.values ?? saved
  const staffOptions = [
    { value: '', text: 'Choose a member of staff' },
    ...accounts.map((a) => ({ value: String(a.id), text: `${a.name} (${a.email})` })),
  ]
  const adultQuestion = (role: AdultRole) => (
    <Radios
      key={role}
      id={`${role}Kind`}
      legend={role === 'host' ? 'Who is the host?' : 'Who is the second adult?'}
      legendSize="m"
      hint={
        role === 'host'
          ? 'The person who runs the call and lets people in from the lobby'
          : 'Another adult on the call for all of it, so no adult is ever alone with a child'
      }
      error={errors[`${role}Kind`]}
      defaultValue={values[`${role}Kind`]}
      items={[
        {
          value: 'staff',
          text: 'A member of staff',
          conditional: (
            <Select
              id={`${role}Staff`}
              label="Member of staff"
              options={staffOptions}
              defaultValue={values[`${role}Staff`] ?? ''}
              error={errors[`${role}Staff`]}
            />
          ),
        },
        {
          value: 'guest',
          text: 'A guest adult',
          hint: 'For example a facilitator from a partner organisation',
          conditional: (
            <>
              <TextInput
                id={`${role}GuestName`}
                label="Full name"
                defaultValue={values[`${role}GuestName`] ?? ''}
                error={errors[`${role}GuestName`]}
                autoComplete="off"
                spellCheck={false}
                maxLength={GUEST_NAME_MAX}
              />
              <TextInput
                id={`${role}GuestOrganisation`}
                label="Organisation or role (optional)"
                defaultValue={values[`${role}GuestOrganisation`] ?? ''}
                error={errors[`${role}GuestOrganisation`]}
                maxLength={GUEST_ORGANISATION_MAX}
              />
            </>
          ),
        },
        { value: 'none', text: 'Not decided yet' },
      ]}
    />
  )
  return (
    <>
      <BackLink href={`/staff/activities/${activity.id}`}>Back to the session</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errorList(errors, SESSION_ADULTS_FIELD_ORDER)} />
          <span className="govuk-caption-l">{`${activity.title}, ${formatLondonDate(activity.starts_at)}, ${formatLondonTimeRange(activity.starts_at, activity.ends_at)}`}</span>
          <h1 className="govuk-heading-l">Adults on the call</h1>
          <p className="govuk-body">
            Every session needs two adults on the call: a host and a second adult. Nobody is ever alone on a call with a
            child or young person.
          </p>
          {activity.status === 'cancelled' ? (
            <p className="govuk-body">This session is cancelled.</p>
          ) : (
            <Form method="post" noValidate>
              {ADULT_ROLES.map(adultQuestion)}
              {activity.inSeries ? (
                <Checkboxes
                  id="wholeSeries"
                  items={[
                    {
                      value: 'yes',
                      text: 'Use these adults for every later session of this series',
                      hint: 'Sessions already cancelled are left as they are',
                    },
                  ]}
                  defaultValues={values.wholeSeries === 'yes' ? ['yes'] : []}
                />
              ) : null}
              <Button>Save adults</Button>
            </Form>
          )}
        </div>
      </div>
    </>
  )
}
