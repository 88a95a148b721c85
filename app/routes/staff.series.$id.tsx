import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData, useSearchParams } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { linksFor } from '~/base-url.server'
import {
  BackLink,
  Button,
  ButtonGroup,
  ErrorSummary,
  NotificationBanner,
  Table,
  TextInput,
  Textarea,
  WarningText,
} from '~/components'
import { ActivityStatusTag } from '~/components/activity-status-tag'
import { fieldErrors } from '~/domain/form-fields'
import { parseId } from '~/domain/ids'
import { joinNames } from '~/domain/names'
import { seriesChangeSchema } from '~/domain/series-booking-form'
import {
  cancelRemainingSessions,
  checkSeriesChange,
  moveRemainingSessions,
  staffSeriesPage,
} from '~/domain/series-staff.server'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? 'Series'} – Join In staff` }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'activities:read')
  const page = await staffSeriesPage(
    context.db,
    parseId(params.id),
    { id: staff.id, role: staff.role, ip: context.clientIp },
    context.now(),
  )
  if (!page) throw new Response('Not found', { status: 404 })
  return page
}

type Step =
  | {
      step: 'check'
      intent: 'cancel' | 'move'
      reason: string
      startTime: string
      endTime: string
      families: number
      sessions: Array<{ id: number; starts_at: string; ends_at: string }>
    }
  | { step: 'nothing-remaining' }
  | { step: 'errors'; errors: Record<string, string>; values: Record<string, string> }

export async function action({ request, context, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'activities:write')
  const seriesId = parseId(params.id)
  if (!seriesId) throw new Response('Not found', { status: 404 })
  const form = Object.fromEntries(
    [...(await request.formData())].filter((e): e is [string, string] => typeof e[1] === 'string'),
  )
  const parsed = seriesChangeSchema.safeParse(form)
  if (!parsed.success) {
    return data<Step>({ step: 'errors', errors: fieldErrors(parsed.error), values: form }, { status: 400 })
  }
  const { intent, reason, startTime, endTime } = parsed.data
  const now = context.now()
  if (intent === 'cancel' || intent === 'move') {
    const check = await checkSeriesChange(context.db, seriesId, now)
    if (check.status === 'not-found') throw new Response('Not found', { status: 404 })
    if (check.status === 'nothing-remaining') return data<Step>({ step: 'nothing-remaining' })
    return data<Step>({
      step: 'check',
      intent,
      reason,
      startTime,
      endTime,
      families: check.families,
      sessions: check.sessions,
    })
  }
  const actor = { id: staff.id, ip: context.clientIp }
  const links = linksFor(request, context)
  const result =
    intent === 'confirm-cancel'
      ? await cancelRemainingSessions(context.db, seriesId, actor, links, { reason, now })
      : await moveRemainingSessions(context.db, seriesId, { startTime, endTime }, actor, links, now)
  context.nudgeOutbox?.()
  switch (result.status) {
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'nothing-remaining':
      // a repeated confirm (a double click, a second tab): said plainly, nothing sent again
      return data<Step>({ step: 'nothing-remaining' })
    case 'invalid-time':
      return data<Step>({ step: 'errors', errors: { startTime: result.error }, values: form }, { status: 400 })
    case 'done':
      return redirect(
        `/staff/series/${seriesId}?notice=${intent === 'confirm-cancel' ? 'cancelled' : 'moved'}-${result.sessions}-${result.families}`,
      )
  }
}

const STATUS_WORDS = { confirmed: 'place', held: 'held', waitlisted: 'waiting list', cancelled: 'cancelled' } as const

export default function StaffSeries() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  if (actionData?.step === 'check') return <CheckChange seriesId={page.seriesId} step={actionData} />
  const notice = /^(cancelled|moved)-(\d{1,4})-(\d{1,6})$/.exec(searchParams.get('notice') ?? '')
  const errors = actionData?.step === 'errors' ? actionData.errors : {}
  const values = actionData?.step === 'errors' ? actionData.values : {}
  return (
    <>
      <BackLink href="/staff">All sessions</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-full">
          <ErrorSummary errors={Object.entries(errors).map(([field, message]) => ({ href: `#${field}`, message }))} />
          {notice ? (
            <NotificationBanner success>
              {`${notice[2]} ${notice[2] === '1' ? 'session' : 'sessions'} ${notice[1]}. We are emailing ${notice[3]} ${notice[3] === '1' ? 'family' : 'families'}, once each.`}
            </NotificationBanner>
          ) : null}
          {actionData?.step === 'nothing-remaining' ? (
            <NotificationBanner>This series has no remaining sessions to change. Nothing was sent.</NotificationBanner>
          ) : null}
          <span className="govuk-caption-l">Series</span>
          <h1 className="govuk-heading-l">{page.title}</h1>
          <Table
            caption="Sessions and bookings"
            captionSize="m"
            head={[{ text: 'Date' }, { text: 'Status' }, { text: 'Places', numeric: true }, { text: 'Bookings' }]}
            rows={page.sessions.map((s) => [
              {
                text: (
                  <a className="govuk-link" href={`/staff/activities/${s.id}`}>
                    {`${formatLondonDate(s.starts_at)}, ${formatLondonTimeRange(s.starts_at, s.ends_at)}`}
                  </a>
                ),
              },
              { text: <ActivityStatusTag status={s.status} /> },
              { text: `${s.taken} of ${s.capacity}${s.waitlisted ? `, ${s.waitlisted} waiting` : ''}`, numeric: true },
              {
                text: page.canSeeBookings ? (
                  s.bookings.length ? (
                    <ul className="govuk-list">
                      {s.bookings.map((b) => (
                        <li key={b.reference}>
                          {b.familyId ? (
                            <a className="govuk-link" href={`/staff/families/${b.familyId}`}>
                              {b.contactName ?? b.reference}
                            </a>
                          ) : (
                            (b.contactName ?? b.reference)
                          )}
                          {`: ${joinNames(b.places.map((p) => `${p.firstName} (${STATUS_WORDS[p.status]})`))}`}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    'None'
                  )
                ) : (
                  'Not shown for your role'
                ),
              },
            ])}
          />
          {page.canWrite && page.remaining.length ? (
            <>
              <Form method="post" noValidate>
                <h2 className="govuk-heading-m govuk-!-margin-top-6">Move all remaining sessions to a new time</h2>
                <p className="govuk-body">
                  {`The ${page.remaining.length} remaining ${page.remaining.length === 1 ? 'session keeps its date' : 'sessions keep their dates'}; each family is emailed once with the new times and an updated calendar invite.`}
                </p>
                <TextInput
                  id="startTime"
                  label="New start time"
                  hint="For example, 10:00 or 4:30pm (UK time)"
                  width={5}
                  defaultValue={values.startTime}
                  error={errors.startTime}
                />
                <TextInput
                  id="endTime"
                  label="New end time"
                  width={5}
                  defaultValue={values.endTime}
                  error={errors.endTime}
                />
                <Button name="intent" value="move" variant="secondary">
                  Move all remaining sessions
                </Button>
              </Form>
              <Form method="post" noValidate>
                <h2 className="govuk-heading-m govuk-!-margin-top-6">Cancel the remaining sessions</h2>
                <Textarea
                  id="reason"
                  label="Why are they cancelled?"
                  hint="Everyone with a place or on a waiting list is told this, once"
                  defaultValue={values.reason}
                  error={errors.reason}
                />
                <Button name="intent" value="cancel" variant="warning">
                  Cancel the remaining sessions
                </Button>
              </Form>
            </>
          ) : null}
        </div>
      </div>
    </>
  )
}

function CheckChange({ seriesId, step }: { seriesId: number; step: Extract<Step, { step: 'check' }> }) {
  const cancelling = step.intent === 'cancel'
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">
          {cancelling
            ? `Cancel ${step.sessions.length} remaining ${step.sessions.length === 1 ? 'session' : 'sessions'}?`
            : `Move ${step.sessions.length} remaining ${step.sessions.length === 1 ? 'session' : 'sessions'} to ${step.startTime} to ${step.endTime}?`}
        </h1>
        <ul className="govuk-list govuk-list--bullet">
          {step.sessions.map((s) => (
            <li key={s.id}>{`${formatLondonDate(s.starts_at)}, ${formatLondonTimeRange(s.starts_at, s.ends_at)}`}</li>
          ))}
        </ul>
        <WarningText>
          {`We will email ${step.families} ${step.families === 1 ? 'family' : 'families'}, once each, listing their dates${cancelling ? `. Reason: ${step.reason}` : ' with the new times'}.`}
        </WarningText>
        <Form method="post" noValidate action={`/staff/series/${seriesId}`}>
          <input type="hidden" name="reason" value={step.reason} />
          <input type="hidden" name="startTime" value={step.startTime} />
          <input type="hidden" name="endTime" value={step.endTime} />
          <ButtonGroup>
            <Button name="intent" value={cancelling ? 'confirm-cancel' : 'confirm-move'} variant="warning">
              {cancelling ? 'Yes, cancel the remaining sessions' : 'Yes, move the remaining sessions'}
            </Button>
            <a className="govuk-link" href={`/staff/series/${seriesId}`}>
              No, go back
            </a>
          </ButtonGroup>
        </Form>
      </div>
    </div>
  )
}
