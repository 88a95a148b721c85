import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData, useSearchParams } from 'react-router'
import { z } from 'zod'
import { requireStaff } from '~/auth/session.server'
import { linksFor } from '~/base-url.server'
import {
  BackLink,
  Button,
  ButtonGroup,
  ErrorSummary,
  NotificationBanner,
  SessionChecklist,
  SummaryList,
  Table,
  Textarea,
  WarningText,
} from '~/components'
import { isTeamsUrl } from '~/domain/activity-form'
import { changeActivityStatus, checkSessionCancellation } from '~/domain/activities.server'
import type { SessionBookingRow } from '~/domain/register.server'
import type { SessionMessageRow } from '~/domain/messages.server'
import { staffSessionPage } from '~/domain/staff-session-page.server'
import { describeAgeRange } from '~/domain/age'
import { joinNames } from '~/domain/names'
import { parseId } from '~/domain/ids'
import { formatLondonDate, formatLondonTime, formatLondonTimeRange } from '~/time/london-time'
import { ActivityStatusTag } from '~/components/activity-status-tag'
import { ADULT_ROLE_NAMES, ADULT_ROLES } from '~/domain/session-adults-form'
import type { SessionAdults } from '~/domain/session-safety.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.activity.title ?? 'Session'} – Join In staff` },
]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'activities:read')
  const page = await staffSessionPage(
    context.db,
    parseId(params.id),
    { id: staff.id, role: staff.role, ip: context.clientIp },
    context.now(),
  )
  if (!page) throw new Response('Not found', { status: 404 })
  return page
}

// "cancel" shows the check page (who will be emailed) and changes nothing; "confirm-cancel" cancels.
const statusSchema = z.object({
  intent: z.enum(['publish', 'unpublish', 'cancel', 'confirm-cancel']),
  reason: z.string().trim().max(2000).default(''),
})

type CancelStep =
  | { step: 'check'; reason: string; families: number; title: string; startsAt: string; endsAt: string }
  | { step: 'already-cancelled'; title: string; startsAt: string }

export async function action({ request, context, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'activities:write')
  const id = parseId(params.id)
  if (!id) throw new Response('Not found', { status: 404 })
  const parsed = statusSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ errors: { intent: 'Choose what to do with the session' } }, { status: 400 })
  const { intent, reason } = parsed.data
  if ((intent === 'cancel' || intent === 'confirm-cancel') && !reason) {
    return data(
      { errors: { reason: 'Enter why the session is cancelled. Everyone booked will be told' } },
      { status: 400 },
    )
  }
  if (intent === 'cancel') {
    const check = await checkSessionCancellation(context.db, id)
    if (check.status === 'not-found') throw new Response('Not found', { status: 404 })
    if (check.status === 'already-cancelled') return data<CancelStep>({ step: 'already-cancelled', ...check })
    const { status: _, ...session } = check
    return data<CancelStep>({ step: 'check', reason, ...session })
  }
  const change = intent === 'confirm-cancel' ? 'cancel' : intent
  const result = await changeActivityStatus(
    context.db,
    id,
    change,
    staff.id,
    linksFor(request, context),
    reason || undefined,
  )
  context.nudgeOutbox?.()
  if (result.status === 'not-found') throw new Response('Not found', { status: 404 })
  if (result.status === 'not-allowed' && result.current === 'cancelled' && change === 'cancel') {
    // A repeated confirm (or a second tab): say so plainly.
    const again = await checkSessionCancellation(context.db, id)
    if (again.status === 'already-cancelled') return data<CancelStep>({ step: 'already-cancelled', ...again })
  }
  if (result.status === 'has-bookings') {
    const places = result.places === 1 ? '1 place' : `${result.places} places`
    return data(
      {
        errors: {
          reason: `This session has ${places} booked or on the waiting list, so it cannot be unpublished. To take it down, cancel it: enter why here, and everyone booked is told`,
        },
      },
      { status: 409 },
    )
  }
  if (result.status === 'not-allowed') {
    return data(
      { errors: { intent: `This session is ${result.current}, so it cannot be changed that way` } },
      { status: 409 },
    )
  }
  return redirect(
    `/staff/activities/${id}?notice=${change === 'cancel' ? `cancelled-told-${result.told}` : change === 'publish' ? 'published' : 'unpublished'}`,
  )
}

const NOTICES: Record<string, string> = {
  created: 'Session saved',
  updated: 'Changes saved',
  published: 'Session published: it is now on the public pages',
  unpublished: 'Session unpublished: it is no longer on the public pages',
  cancelled: 'Session cancelled',
  'checklist-tick': 'Check ticked',
  'checklist-untick': 'Check unticked',
}

export default function StaffActivity() {
  const {
    activity,
    outsideAges,
    canWrite,
    canSeeBookings,
    canMessage,
    places,
    messages,
    adults,
    adultsFlag,
    checklist,
    canTick,
  } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  if (actionData && 'step' in actionData) return <CancelStepPage id={activity.id} step={actionData} />
  const errors: Record<string, string> = actionData && 'errors' in actionData ? actionData.errors : {}
  const noticeKey = searchParams.get('notice') ?? ''
  const notice = noticeKey.startsWith('series-created-')
    ? `Series of ${noticeKey.slice('series-created-'.length)} sessions saved. This is the first; each can be changed on its own.`
    : /^message-sent-\d{1,6}$/.test(noticeKey)
      ? `Message sent to ${families(Number(noticeKey.slice('message-sent-'.length)))}. The emails are in the outbox.`
      : /^cancelled-told-\d{1,6}$/.test(noticeKey)
        ? `${activity.title}, ${formatLondonDate(activity.starts_at)}, is cancelled. We are emailing ${families(Number(noticeKey.slice('cancelled-told-'.length)))}.`
        : /^adults-saved-\d{1,6}$/.test(noticeKey)
          ? Number(noticeKey.slice('adults-saved-'.length)) > 1
            ? `Adults saved on this session and ${laterSessions(Number(noticeKey.slice('adults-saved-'.length)) - 1)} of the series`
            : 'Adults saved'
          : noticeKey.startsWith('updated-told-')
            ? `Changes saved. ${noticeKey.slice('updated-told-'.length)} booked families will be emailed the new details.`
            : NOTICES[noticeKey]
  return (
    <>
      <BackLink href="/staff">All sessions</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={Object.entries(errors).map(([field, message]) => ({ href: `#${field}`, message }))} />
          {notice ? <NotificationBanner success>{notice}</NotificationBanner> : null}
          <span className="govuk-caption-l">
            {activity.kind === 'adoptables' ? 'Adoptables meeting' : 'Virtual activity'}
          </span>
          <h1 className="govuk-heading-l">{activity.title}</h1>
          {activity.location_type === 'online' && activity.join_url && !isTeamsUrl(activity.join_url) ? (
            <WarningText>The joining link is not a Microsoft Teams link. Check it is the right one.</WarningText>
          ) : null}
          {outsideAges.length && activity.status !== 'cancelled' ? (
            <WarningText>
              {`${joinNames(outsideAges.map((p) => `${p.firstName} (${p.ageOnDay} on the day)`))} ${outsideAges.length > 1 ? 'are' : 'is'} booked or waiting but outside this session’s ${describeAgeRange(activity.min_age, activity.max_age).replace(/^Age/, 'age')}: the ages or the date changed after they booked. Check with ${new Set(outsideAges.map((p) => p.reference)).size > 1 ? 'their families' : 'the family'}.`}
            </WarningText>
          ) : null}
          <SummaryList
            rows={[
              { key: 'Status', value: <ActivityStatusTag status={activity.status} /> },
              { key: 'Date', value: formatLondonDate(activity.starts_at) },
              { key: 'Time', value: formatLondonTimeRange(activity.starts_at, activity.ends_at) },
              { key: 'Category', value: activity.category },
              { key: 'Ages', value: describeAgeRange(activity.min_age, activity.max_age) },
              {
                key: 'Spaces',
                value: `${activity.taken} booked of ${activity.capacity}, ${activity.spacesLeft} left`,
              },
              { key: 'Waiting list', value: String(activity.waitlisted) },
              {
                key: activity.location_type === 'online' ? 'Teams joining link' : 'Venue',
                value:
                  activity.location_type === 'online' ? (
                    <span className="govuk-!-text-break-word">{activity.join_url}</span>
                  ) : (
                    activity.venue
                  ),
              },
              {
                key: 'Bookings',
                value: `${activity.booking_opens_at ? `Open ${formatLondonDate(activity.booking_opens_at)} at ${formatLondonTime(activity.booking_opens_at)}, c` : 'C'}lose ${formatLondonDate(activity.booking_closes_at)} at ${formatLondonTime(activity.booking_closes_at)}`,
              },
              ...(activity.series_id
                ? [
                    {
                      key: 'Series',
                      value: (
                        <a className="govuk-link" href={`/staff/series/${activity.series_id}`}>
                          Part of a series: see every session and its bookings
                        </a>
                      ),
                    },
                  ]
                : []),
              ...(activity.cancel_reason ? [{ key: 'Why it was cancelled', value: activity.cancel_reason }] : []),
            ]}
          />
          <p className="govuk-body app-pre-wrap">{activity.description}</p>
          <SessionAdultsSection activityId={activity.id} adults={adults} flag={adultsFlag} canWrite={canWrite} />
          {checklist && activity.status !== 'cancelled' ? (
            <SessionChecklist
              activityId={activity.id}
              wording={checklist.wording}
              state={checklist.state}
              canTick={canTick}
            />
          ) : null}
        </div>
      </div>
      {canSeeBookings ? (
        <>
          <ul className="govuk-list">
            <li>
              <a className="govuk-link" href={`/staff/activities/${activity.id}/register`}>
                Take the register
              </a>
            </li>
            <li>
              <a className="govuk-link" href={`/staff/activities/${activity.id}/register.csv`} download>
                Download the register (CSV)
              </a>
            </li>
            <li>
              <a className="govuk-link" href={`/staff/activities/${activity.id}/concerns/new`}>
                Record a safeguarding concern
              </a>
            </li>
            <li>
              <a className="govuk-link" href={`/staff/activities/${activity.id}/feedback`}>
                Read feedback
              </a>
            </li>
            {canMessage ? (
              <li>
                <a className="govuk-link" href={`/staff/activities/${activity.id}/messages`}>
                  Message families
                </a>
              </li>
            ) : null}
          </ul>
          <PlacesTable
            caption={`Booked (${places.filter((p) => p.status === 'confirmed').length})`}
            rows={places.filter((p) => p.status === 'confirmed')}
            empty="Nobody has booked yet."
          />
          {places.some((p) => p.status === 'held') ? (
            // Kept for new families until they confirm their address or staff approve them: they count
            // against the spaces, and these families are not sent the joining link until then.
            <PlacesTable
              caption={`Held for new families (${places.filter((p) => p.status === 'held').length})`}
              rows={places.filter((p) => p.status === 'held')}
              empty=""
            />
          ) : null}
          <PlacesTable
            caption={`Waiting list (${places.filter((p) => p.status === 'waitlisted').length})`}
            rows={places.filter((p) => p.status === 'waitlisted')}
            empty="Nobody is waiting."
            numbered
          />
          <SessionMessages messages={messages} />
        </>
      ) : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {canWrite && activity.status !== 'cancelled' ? (
            <div className="app-staff-actions">
              <a className="govuk-button govuk-button--secondary" href={`/staff/activities/${activity.id}/edit`}>
                Change session
              </a>
              <Form method="post">
                {activity.status === 'draft' ? (
                  <Button name="intent" value="publish">
                    Publish
                  </Button>
                ) : (
                  <Button name="intent" value="unpublish" variant="secondary">
                    Unpublish
                  </Button>
                )}
              </Form>
              <h2 className="govuk-heading-m govuk-!-margin-top-6">Cancel this session</h2>
              <Form method="post">
                <Textarea
                  id="reason"
                  label="Why is it cancelled?"
                  hint="Everyone booked is told this"
                  rows={3}
                  error={errors.reason}
                />
                <Button name="intent" value="cancel" variant="warning">
                  Cancel session
                </Button>
              </Form>
            </div>
          ) : null}
        </div>
      </div>
    </>
  )
}

/** The host and the second adult, flagged in words (not only colour) when fewer than two are named. */
function SessionAdultsSection({
  activityId,
  adults,
  flag,
  canWrite,
}: {
  activityId: number
  adults: SessionAdults
  flag: string | null
  canWrite: boolean
}) {
  return (
    <section className="govuk-!-margin-bottom-6" aria-labelledby="adults">
      <h2 className="govuk-heading-m" id="adults">
        Adults on the call
      </h2>
      {flag ? (
        <WarningText>{`${flag}: every session needs a host and a second adult, so nobody is alone on a call with a child.`}</WarningText>
      ) : null}
      <SummaryList
        rows={ADULT_ROLES.map((role) => {
          const adult = adults[role]
          return {
            key: ADULT_ROLE_NAMES[role],
            value: adult
              ? `${adult.name}${adult.kind === 'guest' ? ` (guest${adult.organisation ? `, ${adult.organisation}` : ''})` : ''}`
              : 'Not named',
          }
        })}
      />
      {canWrite ? (
        <p className="govuk-body">
          <a className="govuk-link" href={`/staff/activities/${activityId}/adults`}>
            {adults.host || adults.second ? 'Change the adults' : 'Name the adults'}
          </a>
        </p>
      ) : null}
    </section>
  )
}

function PlacesTable({
  caption,
  rows,
  empty,
  numbered = false,
}: {
  caption: string
  rows: SessionBookingRow[]
  empty: string
  numbered?: boolean
}) {
  if (rows.length === 0) {
    return (
      <>
        <h2 className="govuk-heading-m">{caption}</h2>
        <p className="govuk-body">{empty}</p>
      </>
    )
  }
  return (
    <Table
      caption={caption}
      captionSize="m"
      head={[
        ...(numbered ? [{ text: 'Position', numeric: true }] : []),
        { text: 'Child' },
        { text: 'Age on the day', numeric: true },
        { text: 'Support needs' },
        { text: 'Parent or carer' },
        { text: 'Council area' },
        { text: 'Reference' },
      ]}
      rows={rows.map((p, i) => [
        ...(numbered ? [{ text: String(i + 1), numeric: true }] : []),
        { text: p.firstName ?? '(erased)' },
        { text: String(p.ageOnDay), numeric: true },
        { text: p.supportNeeds ?? '' },
        {
          text: (
            <>
              {p.contactName}
              <br />
              <a className="govuk-link" href={`mailto:${p.email}`}>
                {p.email}
              </a>
              {p.phone ? (
                <>
                  <br />
                  {p.phone}
                </>
              ) : null}
              {p.familyId ? (
                // a line of its own with space above, so it is not a touch target crowding the email link
                <span className="govuk-!-display-block govuk-!-margin-top-2">
                  <a className="govuk-link" href={`/staff/families/${p.familyId}`}>
                    Family details<span className="govuk-visually-hidden">{` for ${p.firstName ?? 'this child'}`}</span>
                  </a>
                </span>
              ) : null}
            </>
          ),
        },
        { text: p.authorityName },
        { text: p.reference },
      ])}
    />
  )
}

function laterSessions(n: number): string {
  return `${n} later ${n === 1 ? 'session' : 'sessions'}`
}

function families(n: number): string {
  return `${n} ${n === 1 ? 'family' : 'families'}`
}

const AUDIENCE_LABELS = { confirmed: 'Families with a place', waitlisted: 'Families on the waiting list' } as const

/** Every message sent about the session, newest first: what families were told, and by whom. */
function SessionMessages({ messages }: { messages: SessionMessageRow[] }) {
  return (
    <section className="govuk-!-margin-bottom-6" aria-labelledby="messages">
      <h2 className="govuk-heading-m" id="messages">
        {`Messages sent (${messages.length})`}
      </h2>
      {messages.length === 0 ? (
        <p className="govuk-body">No messages have been sent about this session.</p>
      ) : (
        messages.map((m) => (
          <div className="govuk-summary-card" key={m.id}>
            <div className="govuk-summary-card__title-wrapper">
              <h3 className="govuk-summary-card__title">{m.subject}</h3>
            </div>
            <div className="govuk-summary-card__content">
              <SummaryList
                rows={[
                  {
                    key: 'Sent',
                    value: `${formatLondonDate(m.createdAt)} at ${formatLondonTime(m.createdAt)}${m.sentByName ? ` by ${m.sentByName}` : ''}`,
                  },
                  { key: 'To', value: `${AUDIENCE_LABELS[m.audience]}: ${families(m.recipients)}` },
                  { key: 'Message', value: <span className="app-pre-wrap">{m.body}</span> },
                ]}
              />
            </div>
          </div>
        ))
      )}
    </section>
  )
}

/** The check page before cancelling a session (GOV.UK "check before you act"), or the answer to a repeated confirm. */
function CancelStepPage({ id, step }: { id: number; step: CancelStep }) {
  const back = `/staff/activities/${id}`
  const what = `${step.title}, ${formatLondonDate(step.startsAt)}`
  if (step.step === 'already-cancelled') {
    return (
      <>
        <BackLink href={back}>Back to the session</BackLink>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <h1 className="govuk-heading-l">This session was already cancelled</h1>
            <p className="govuk-body">{`${what}, was already cancelled. Nobody has been emailed again.`}</p>
          </div>
        </div>
      </>
    )
  }
  return (
    <>
      <BackLink href={back}>Back to the session</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{step.title}</span>
          <h1 className="govuk-heading-l">Are you sure you want to cancel this session?</h1>
          <p className="govuk-body">{`${what}, will be cancelled.`}</p>
          <SummaryList
            rows={[
              { key: 'Date', value: formatLondonDate(step.startsAt) },
              { key: 'Time', value: formatLondonTimeRange(step.startsAt, step.endsAt) },
              { key: 'Why it is cancelled', value: <span className="app-pre-wrap">{step.reason}</span> },
            ]}
          />
          <WarningText>
            {step.families
              ? `We will email ${families(step.families)}: everyone with a place or on the waiting list, with your reason and a calendar cancellation. This cannot be undone.`
              : 'Nobody is booked or waiting, so nobody will be emailed. This cannot be undone.'}
          </WarningText>
          <Form method="post">
            <input type="hidden" name="reason" value={step.reason} />
            <ButtonGroup>
              <Button name="intent" value="confirm-cancel" variant="warning">
                {step.families
                  ? `Yes, cancel the session and email ${families(step.families)}`
                  : 'Yes, cancel the session'}
              </Button>
              <a className="govuk-link" href={back}>
                No, keep the session
              </a>
            </ButtonGroup>
          </Form>
        </div>
      </div>
    </>
  )
}
