import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData, useSearchParams } from 'react-router'
import { z } from 'zod'
import { getFamily } from '~/auth/family-session.server'
import { linksFor } from '~/base-url.server'
import { webCalendarLinks } from '~/calendar/web-calendars.server'
import { Button, ButtonGroup, InsetText, NotificationBanner, Panel, SummaryList, Tag } from '~/components'
import { findManagedBooking } from '~/domain/bookings.server'
import { cancelPlaces, checkCancellation, whosePlaces, type CancellationSubject } from '~/domain/cancellations.server'
import { manageUrl } from '~/domain/links'
import { getSetting } from '~/domain/settings.server'
import { formatLondonDate, formatLondonTime, formatLondonTimeRange } from '~/time/london-time'
import { ActivitiesLink } from '~/components/activities-link'
import { whenTheLinkIsSent } from '~/email/joining-link-wording'

export const meta: MetaFunction = () => [
  { title: 'Your booking – Join In' },
  // The page's address holds the secret token: keep it out of search engines.
  { name: 'robots', content: 'noindex' },
]

const tokenSchema = z.string().min(1).max(100)

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = tokenSchema.safeParse(new URL(request.url).searchParams.get('token'))
  const family = token.success ? await getFamily(request, context) : null
  const managed = token.success
    ? await findManagedBooking(context.db, {
        reference: params.reference ?? '',
        token: token.data,
        familyId: family?.id,
      })
    : null
  if (!managed) {
    // The same answer for a wrong reference and a wrong token: nothing personal, nothing to probe.
    return data({ found: false as const }, { status: 404, headers: { 'Cache-Control': 'no-store' } })
  }
  const { booking, activity, places, joinUrl, authorityName } = managed
  // After a cancel, the confirmation names what was done: whose places, which session.
  const cancelledIds = (new URL(request.url).searchParams.get('places') ?? '').split('-').map(Number)
  const cancelledNames = places.filter((p) => cancelledIds.includes(p.id)).map((p) => p.first_name)
  const cancelled = cancelledNames.length
    ? `${whosePlaces(cancelledNames)} on ${activity.title}, ${formatLondonDate(activity.starts_at)}, ${cancelledNames.length === 1 ? 'is' : 'are'} cancelled.`
    : 'Cancelled.'
  return data(
    {
      found: true as const,
      token: token.data!,
      reference: booking.reference,
      contactName: booking.contact_name,
      email: booking.email,
      authorityName,
      holdReason: booking.hold_reason,
      holdExpiresAt: booking.hold_expires_at,
      // an address hold the team's approval of a first booking may follow
      approvalFollows:
        booking.hold_reason === 'address' && (await getSetting(context.db, 'approve_new_families')) === 'on',
      activity: {
        id: activity.id,
        title: activity.title,
        starts_at: activity.starts_at,
        ends_at: activity.ends_at,
        status: activity.status,
        location_type: activity.location_type,
        venue: activity.venue,
        cancel_reason: activity.cancel_reason,
      },
      places: places.map((p) => ({ id: p.id, firstName: p.first_name, status: p.status })),
      joinUrl,
      // only with the joining link: a place to add to a calendar
      calendarLinks: joinUrl
        ? webCalendarLinks(activity, {
            pageUrl: manageUrl(linksFor(request, context), booking.reference, token.data!),
          })
        : null,
      cancelled,
      canCancel: new Date(activity.starts_at).getTime() > Date.now() && activity.status !== 'cancelled',
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

// "cancel-…" shows the check page and changes nothing; only "confirm-cancel-…" cancels.
const cancelSchema = z.object({
  token: tokenSchema,
  intent: z.enum(['cancel-place', 'cancel-all', 'confirm-cancel-place', 'confirm-cancel-all']),
  placeId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
})

type CancelStep =
  | ({
      step: 'check'
      intent: 'cancel-place' | 'cancel-all'
      placeId: number | null
      email: string | null
      freesSpace: boolean
    } & CancellationSubject)
  | ({ step: 'already-cancelled' } & CancellationSubject)

export async function action({ request, params, context }: ActionFunctionArgs) {
  const parsed = cancelSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('Bad request', { status: 400 })
  const { token, intent, placeId } = parsed.data
  const reference = params.reference ?? ''
  const which = intent.endsWith('cancel-all') ? 'all' : placeId ? [placeId] : []
  const page = `/bookings/${reference}?token=${encodeURIComponent(token)}`
  const key = { reference, token, familyId: (await getFamily(request, context))?.id }
  const result = intent.startsWith('confirm-')
    ? await cancelPlaces(context.db, key, which, linksFor(request, context))
    : await checkCancellation(context.db, key, which)
  switch (result.status) {
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'too-late':
      return redirect(`${page}&notice=too-late`)
    case 'already-cancelled': {
      const { status: _, ...subject } = result
      return data<CancelStep>({ step: 'already-cancelled', ...subject })
    }
    case 'check': {
      const { status: _, ...subject } = result
      return data<CancelStep>({
        step: 'check',
        intent: which === 'all' ? 'cancel-all' : 'cancel-place',
        placeId: placeId ?? null,
        ...subject,
      })
    }
    case 'cancelled':
      context.nudgeOutbox?.()
      return redirect(`${page}&notice=cancelled&places=${result.placeIds.join('-')}`)
  }
}

const STATUS_TAGS = {
  confirmed: <Tag colour="green">Confirmed</Tag>,
  waitlisted: <Tag colour="yellow">Waiting list</Tag>,
  cancelled: <Tag colour="grey">Cancelled</Tag>,
  held: <Tag colour="blue">Held: confirm your email address</Tag>,
}

/** A held place waits for the address to be confirmed, or (the address confirmed) for staff to approve. */
const tagFor = (status: keyof typeof STATUS_TAGS, holdReason: string | null) =>
  status === 'held' && holdReason === 'approval' ? (
    <Tag colour="blue">Held: awaiting approval</Tag>
  ) : (
    STATUS_TAGS[status]
  )

export default function ManageBooking() {
  const page = useLoaderData<typeof loader>()
  const step = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  if (page.found && step) return <CancelStepPage step={step} reference={page.reference} token={page.token} />
  if (!page.found) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">We could not find that booking</h1>
          <p className="govuk-body">
            Use the link in your latest email about this booking. It has to be copied in full.
          </p>
          <p className="govuk-body">
            The page you saw when you booked stops working once your email address is confirmed: the email that confirms
            your places has a new link, and this device opens it while you are signed in.
          </p>
          <ActivitiesLink />
        </div>
      </div>
    )
  }
  const isNew = searchParams.get('new') === '1'
  const notice = searchParams.get('notice')
  const confirmed = page.places.filter((p) => p.status === 'confirmed')
  const waitlisted = page.places.filter((p) => p.status === 'waitlisted')
  const held = page.places.filter((p) => p.status === 'held')
  // Once every place is cancelled the page is the booking's record, not news about it.
  const fresh = isNew && page.places.some((p) => p.status !== 'cancelled')
  const inviteHref = `/bookings/${page.reference}/invite.ics?token=${encodeURIComponent(page.token)}`
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {fresh && page.holdReason === 'address' ? (
          <>
            <h1 className="govuk-heading-l">Check your email to confirm your booking</h1>
            <p className="govuk-body">
              {held.length
                ? `We have sent a link to ${page.email}. Open it to confirm your email address and your booking. ${whenTheLinkIsSent(page.approvalFollows)}`
                : `We have sent a link to ${page.email}. Open it to confirm your email address and stay on the waiting list. If a space comes up, we book it for you and email you.`}
            </p>
            {page.holdExpiresAt ? (
              <InsetText>
                {held.length
                  ? `We are holding the places until ${formatLondonDate(page.holdExpiresAt)} at ${formatLondonTime(page.holdExpiresAt)} (UK time). If you do not confirm by then, they go to the next family on the waiting list.`
                  : `The session is full. Confirm by ${formatLondonDate(page.holdExpiresAt)} at ${formatLondonTime(page.holdExpiresAt)} (UK time) to stay on the waiting list: until then no space can be given to you.`}
              </InsetText>
            ) : null}
            <p className="govuk-body">
              Your reference is <strong>{page.reference}</strong>.
            </p>
          </>
        ) : fresh ? (
          <Panel
            title={
              confirmed.length
                ? 'Booking confirmed'
                : held.length && page.holdReason === 'approval'
                  ? 'Booking received: awaiting approval'
                  : 'You are on the waiting list'
            }
          >
            Your reference is
            <br />
            <strong>{page.reference}</strong>
          </Panel>
        ) : (
          <h1 className="govuk-heading-l">Your booking {page.reference}</h1>
        )}
        {notice === 'cancelled' ? (
          <NotificationBanner success>{`${page.cancelled} We have emailed you to confirm.`}</NotificationBanner>
        ) : null}
        {notice === 'too-late' ? (
          <NotificationBanner>The session has started, so places can no longer be cancelled here.</NotificationBanner>
        ) : null}
        {fresh && page.holdReason !== 'address' ? (
          <>
            <p className="govuk-body">{`We have sent the details to ${page.email}.`}</p>
            <p className="govuk-body">
              <a className="govuk-link" href={`/bookings/${page.reference}?token=${encodeURIComponent(page.token)}`}>
                Manage this booking
              </a>{' '}
              (the same link is in your email: use it to see or cancel your booking)
            </p>
          </>
        ) : null}
        <h2 className="govuk-heading-m">{page.activity.title}</h2>
        {page.activity.status === 'cancelled' ? (
          <NotificationBanner>{`This session has been cancelled by the team.${page.activity.cancel_reason ? ` ${page.activity.cancel_reason}` : ''}`}</NotificationBanner>
        ) : null}
        <SummaryList
          rows={[
            { key: 'Date', value: formatLondonDate(page.activity.starts_at) },
            {
              key: 'Time',
              value: `${formatLondonTimeRange(page.activity.starts_at, page.activity.ends_at)} (UK time)`,
            },
            { key: 'Booked by', value: page.contactName },
            { key: 'Council area', value: page.authorityName },
          ]}
        />
        {page.joinUrl ? (
          <>
            <h2 className="govuk-heading-m">Joining the session</h2>
            <p className="govuk-body">
              <a className="govuk-link govuk-!-font-weight-bold" href={page.joinUrl} rel="noreferrer">
                Join on Microsoft Teams
              </a>
            </p>
            <p className="govuk-body">Please do not share this link. It is only for the children booked.</p>
            <h3 className="govuk-heading-s">Add it to your calendar</h3>
            <ul className="govuk-list">
              {page.calendarLinks ? (
                <>
                  <li>
                    <a className="govuk-link" href={page.calendarLinks.google} rel="noreferrer">
                      Add to Google Calendar
                    </a>
                  </li>
                  <li>
                    <a className="govuk-link" href={page.calendarLinks.outlook} rel="noreferrer">
                      Add to Outlook
                    </a>{' '}
                    (Outlook.com or Hotmail)
                  </li>
                  <li>
                    <a className="govuk-link" href={page.calendarLinks.office} rel="noreferrer">
                      Add to Outlook for work or school
                    </a>{' '}
                    (Microsoft 365)
                  </li>
                </>
              ) : null}
              <li>
                <a className="govuk-link" href={inviteHref} download={`${page.reference}.ics`}>
                  Add to calendar
                </a>{' '}
                (an .ics file for Apple Calendar, Outlook or another calendar app)
              </li>
            </ul>
            <p className="govuk-body">
              If the session changes we email you. An event added with a Google or Outlook link does not change by
              itself: it links to this page, which always has the current time and joining link.
            </p>
          </>
        ) : null}
        {waitlisted.length ? (
          <p className="govuk-body">If a space comes up for a child on the waiting list, we book it and email you.</p>
        ) : null}
        <h2 className="govuk-heading-m">Children</h2>
        <SummaryList
          rows={page.places.map((p) => ({
            key: p.firstName ?? 'Child',
            value: (
              <>
                {tagFor(p.status, page.holdReason)}
                {page.canCancel &&
                p.status !== 'cancelled' &&
                page.places.filter((x) => x.status !== 'cancelled').length > 1 ? (
                  <Form method="post" className="govuk-!-margin-top-2">
                    <input type="hidden" name="token" value={page.token} />
                    <input type="hidden" name="placeId" value={p.id} />
                    <Button name="intent" value="cancel-place" variant="secondary">
                      {`Cancel ${p.firstName ?? 'this child'}'s place`}
                    </Button>
                  </Form>
                ) : null}
              </>
            ),
          }))}
        />
        {page.canCancel && page.places.some((p) => p.status !== 'cancelled') ? (
          <Form method="post">
            <input type="hidden" name="token" value={page.token} />
            <h2 className="govuk-heading-m">Cancel</h2>
            <p className="govuk-body">If you cannot come, please cancel so another child can have the space.</p>
            <Button name="intent" value="cancel-all" variant="warning">
              Cancel the whole booking
            </Button>
          </Form>
        ) : null}
      </div>
    </div>
  )
}

/** The check page before cancelling (GOV.UK "check before you act"), or the answer to a repeated confirm. */
function CancelStepPage({ step, reference, token }: { step: CancelStep; reference: string; token: string }) {
  const back = `/bookings/${reference}?token=${encodeURIComponent(token)}`
  const what = `${step.whose} on ${step.title}, ${formatLondonDate(step.startsAt)}`
  if (step.step === 'already-cancelled') {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">
            {step.wholeBooking ? 'This booking was already cancelled' : `${step.whose} was already cancelled`}
          </h1>
          <p className="govuk-body">{`${what}, was already cancelled. There is nothing more to do.`}</p>
          <p className="govuk-body">
            <a className="govuk-link" href={back}>
              Back to your booking
            </a>
          </p>
        </div>
      </div>
    )
  }
  const whole = step.intent === 'cancel-all'
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <span className="govuk-caption-l">{`Booking ${reference}`}</span>
        <h1 className="govuk-heading-l">
          {whole
            ? 'Are you sure you want to cancel the whole booking?'
            : `Are you sure you want to cancel ${step.whose}?`}
        </h1>
        <p className="govuk-body">{`${what}, will be cancelled.`}</p>
        <SummaryList
          rows={[
            { key: 'Session', value: step.title },
            { key: 'Date', value: formatLondonDate(step.startsAt) },
            { key: 'Time', value: `${formatLondonTimeRange(step.startsAt, step.endsAt)} (UK time)` },
          ]}
        />
        <p className="govuk-body">
          {`We will email ${step.email ?? 'you'} to confirm.`}
          {step.freesSpace ? ' The space goes to the next child on the waiting list, so it cannot be undone.' : ''}
        </p>
        <Form method="post">
          <input type="hidden" name="token" value={token} />
          {step.placeId ? <input type="hidden" name="placeId" value={step.placeId} /> : null}
          <ButtonGroup>
            <Button name="intent" value={`confirm-${step.intent}`} variant="warning">
              {whole ? 'Yes, cancel the whole booking' : `Yes, cancel ${step.whose}`}
            </Button>
            <a className="govuk-link" href={back}>
              {whole ? 'No, keep the booking' : `No, keep ${step.whose}`}
            </a>
          </ButtonGroup>
        </Form>
      </div>
    </div>
  )
}
