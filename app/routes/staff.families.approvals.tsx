// New families' first bookings waiting for approval (when the admin setting asks for it): Approve
// confirms the places and emails the joining link; Decline needs a reason, which the family is told.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData, useSearchParams } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { linksFor } from '~/base-url.server'
import { BackLink, Button, ErrorSummary, NotificationBanner, SummaryList, Textarea } from '~/components'
import { approvalDecisionSchema, reasonField, typedDecision } from '~/domain/family-approval-form'
import { approveBooking, declineBooking, viewApprovalQueue } from '~/domain/family-approvals.server'
import { formatLondonDate, formatLondonTime, formatLondonTimeRange } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'New families waiting for approval – Join In staff' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:read')
  return { queue: await viewApprovalQueue(context.db, { id: staff.id, ip: context.clientIp }) }
}

type ActionResult =
  | { kind: 'errors'; errors: Record<string, string>; reasons: Record<string, string> }
  | { kind: 'already-decided' | 'session-cancelled' }

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:write')
  const typed = typedDecision(await request.formData())
  const parsed = approvalDecisionSchema.safeParse(typed)
  if (!parsed.success) {
    const booking = typeof typed.booking === 'string' && /^\d{1,12}$/.test(typed.booking) ? typed.booking : null
    const reasonIssue = parsed.error.issues.find((i) => i.path[0] === 'reason')
    const errors: Record<string, string> =
      reasonIssue && booking
        ? { [reasonField(booking)]: reasonIssue.message }
        : { queue: parsed.error.issues[0]?.message ?? 'Choose Approve or Decline for a booking' }
    const reasons: Record<string, string> =
      booking && typeof typed.reason === 'string' ? { [reasonField(booking)]: typed.reason } : {}
    return data<ActionResult>({ kind: 'errors', errors, reasons }, { status: 400 })
  }
  const decision = parsed.data
  const actor = { id: staff.id, ip: context.clientIp }
  const links = linksFor(request, context)
  const result =
    decision.intent === 'approve'
      ? await approveBooking(context.db, decision.booking, actor, links)
      : await declineBooking(context.db, decision.booking, decision.reason, actor, links)
  context.nudgeOutbox?.()
  if (result.status === 'already-decided' || result.status === 'session-cancelled') {
    return data<ActionResult>({ kind: result.status }, { status: 409 })
  }
  return redirect(`/staff/families/approvals?${result.status}=${encodeURIComponent(result.reference)}`)
}

const REFERENCE = /^[A-Z0-9-]{3,20}$/

export default function Approvals() {
  const { queue } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const errors = result?.kind === 'errors' ? result.errors : {}
  const reasons = result?.kind === 'errors' ? result.reasons : {}
  const approved = searchParams.get('approved')
  const declined = searchParams.get('declined')
  return (
    <>
      <BackLink href="/staff">All sessions</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary
            errors={Object.entries(errors).map(([field, message]) => ({
              href: field === 'queue' ? '#queue' : `#${field}`,
              message,
            }))}
          />
          {result?.kind === 'already-decided' ? (
            <NotificationBanner>This booking has already been decided. Nothing was changed.</NotificationBanner>
          ) : null}
          {result?.kind === 'session-cancelled' ? (
            <NotificationBanner>
              This session was cancelled, so there is nothing to decide. Everyone booked on it has been told.
            </NotificationBanner>
          ) : null}
          {!result && approved && REFERENCE.test(approved) ? (
            <NotificationBanner
              success
            >{`Approved: ${approved}. The family is being emailed the joining link.`}</NotificationBanner>
          ) : null}
          {!result && declined && REFERENCE.test(declined) ? (
            <NotificationBanner
              success
            >{`Declined: ${declined}. The family is being emailed your reason.`}</NotificationBanner>
          ) : null}
          <h1 className="govuk-heading-l" id="queue" tabIndex={-1}>
            New families waiting for approval
          </h1>
          <p className="govuk-body">
            A new family’s first booking waits here once the family has confirmed its email address. Its places are held
            until you decide, or until the booking closes. Approving emails the family the joining link and calendar
            invite; declining releases the places to the waiting list and emails the family your reason. A series booked
            in one step is decided as one, and the family gets one email.
          </p>
          {queue.length === 0 ? <p className="govuk-body">There are no bookings waiting for approval.</p> : null}
          {queue.map((row) => {
            const field = reasonField(row.bookingId)
            return (
              <div className="govuk-summary-card" key={row.bookingId}>
                <div className="govuk-summary-card__title-wrapper">
                  <h2 className="govuk-summary-card__title govuk-!-text-break-word">
                    {row.familyId ? (
                      <a className="govuk-link" href={`/staff/families/${row.familyId}`}>
                        {row.contactName || 'Family'}
                      </a>
                    ) : (
                      row.contactName || 'Family'
                    )}
                  </h2>
                </div>
                <div className="govuk-summary-card__content">
                  <SummaryList
                    rows={[
                      { key: 'Council', value: row.authorityName },
                      ...(row.dates.length > 1
                        ? [
                            {
                              key: `Series: ${row.dates.length} dates`,
                              value: (
                                <>
                                  <p className="govuk-body">{row.title}</p>
                                  <ul className="govuk-list">
                                    {row.dates.map((date) => (
                                      <li key={date.bookingId}>
                                        <a className="govuk-link" href={`/staff/activities/${date.activityId}`}>
                                          {`${formatLondonDate(date.startsAt)}, ${formatLondonTimeRange(date.startsAt, date.endsAt)}`}
                                        </a>
                                        {`: ${date.children.map((c) => `${c.firstName ?? '(name erased)'} (${c.ageOnDay})`).join(', ')}, ${date.reference}`}
                                      </li>
                                    ))}
                                  </ul>
                                </>
                              ),
                            },
                          ]
                        : [
                            {
                              key: 'Session',
                              value: (
                                <>
                                  <a className="govuk-link" href={`/staff/activities/${row.activityId}`}>
                                    {row.title}
                                  </a>
                                  <br />
                                  {`${formatLondonDate(row.startsAt)}, ${formatLondonTimeRange(row.startsAt, row.endsAt)}`}
                                </>
                              ),
                            },
                            {
                              key: 'Children',
                              value: (
                                <ul className="govuk-list">
                                  {row.children.map((child, i) => (
                                    <li
                                      key={i}
                                    >{`${child.firstName ?? '(name erased)'}, age ${child.ageOnDay} on the day`}</li>
                                  ))}
                                </ul>
                              ),
                            },
                          ]),
                      {
                        key: 'Booked',
                        value: `${formatLondonDate(row.bookedAt)} at ${formatLondonTime(row.bookedAt)}`,
                      },
                      { key: 'Reference', value: row.reference },
                    ]}
                  />
                  <Form method="post">
                    <input type="hidden" name="booking" value={row.bookingId} />
                    <Button name="intent" value="approve">
                      {row.dates.length > 1 ? `Approve all ${row.dates.length} dates` : 'Approve'}
                      <span className="govuk-visually-hidden">{` ${row.contactName ?? ''} ${row.reference}`}</span>
                    </Button>
                  </Form>
                  <Form method="post" noValidate>
                    <input type="hidden" name="booking" value={row.bookingId} />
                    <Textarea
                      id={field}
                      label={`Why are you declining this booking (${row.reference})?`}
                      labelSize="s"
                      hint="The family is emailed this. Their places go to the waiting list."
                      rows={3}
                      error={errors[field]}
                      defaultValue={reasons[field]}
                    />
                    <Button name="intent" value="decline" variant="warning">
                      {row.dates.length > 1 ? `Decline all ${row.dates.length} dates` : 'Decline'}
                      <span className="govuk-visually-hidden">{` ${row.contactName ?? ''} ${row.reference}`}</span>
                    </Button>
                  </Form>
                </div>
              </div>
            )
          })}
        </div>
      </div>
    </>
  )
}
