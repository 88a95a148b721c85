import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, redirect, useActionData, useLoaderData } from 'react-router'
import { requireFamily } from '~/auth/family-session.server'
import {
  Button,
  ErrorSummary,
  InsetText,
  NotificationBanner,
  SummaryList,
  Tag,
  Textarea,
  WarningText,
  type SummaryListRow,
} from '~/components'
import { whosePlaces } from '~/domain/cancellations.server'
import {
  changeSupportNeeds,
  listFamilyBookings,
  type FamilyBooking,
  type FamilyPlaceStatus,
} from '~/domain/family-bookings.server'
import { supportNeedsField, supportNeedsFormSchema } from '~/domain/family-bookings-form'
import { formValues } from '~/domain/form-fields'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'Your bookings – Join In' }, { name: 'robots', content: 'noindex' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const family = await requireFamily(request, context)
  const bookings = await listFamilyBookings(context.db, family.id, context.now())
  const search = new URL(request.url).searchParams
  return data({ ...bookings, notice: noticeOf(search, bookings) }, { headers: { 'Cache-Control': 'no-store' } })
}

/** What the banner says after a cancel or a save, read back from the family's own bookings. */
function noticeOf(search: URLSearchParams, bookings: Awaited<ReturnType<typeof listFamilyBookings>>): string | null {
  if (search.get('notice') === 'too-late') return 'too-late'
  const saved = Number(search.get('saved'))
  const child = bookings.children.find((c) => c.id === saved)
  if (child)
    return `${child.firstName}'s support needs are saved. They are on ${child.firstName}'s upcoming places too.`
  const ids = (search.get('cancelled') ?? '').split('-').map(Number)
  for (const booking of [...bookings.upcoming, ...bookings.past]) {
    const names = booking.places.filter((p) => ids.includes(p.id) && p.status === 'cancelled').map((p) => p.firstName)
    if (names.length) {
      return `${whosePlaces(names)} on ${booking.activity.title}, ${formatLondonDate(booking.activity.starts_at)}, ${names.length === 1 ? 'is' : 'are'} cancelled. We have emailed you to confirm.`
    }
  }
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const family = await requireFamily(request, context)
  const values = formValues(await request.formData())
  const parsed = supportNeedsFormSchema.safeParse(values)
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? '')
    const childId = Number(values.childId)
    if (field !== 'supportNeeds' || !Number.isSafeInteger(childId) || childId <= 0)
      throw new Response('Bad request', { status: 400 })
    return data(
      { childId, error: parsed.error.issues[0]!.message, value: values.supportNeeds ?? '' },
      { status: 400, headers: { 'Cache-Control': 'no-store' } },
    )
  }
  const { childId, supportNeeds } = parsed.data
  const result = await changeSupportNeeds(context.db, family.id, childId, supportNeeds, context.now())
  if (result.status === 'not-found') throw new Response('Not found', { status: 404 })
  return redirect(`/family/bookings?saved=${childId}#${supportNeedsField(childId)}`)
}

const STATUS_TAGS: Record<FamilyPlaceStatus, React.ReactNode> = {
  confirmed: <Tag colour="green">Confirmed</Tag>,
  waitlisted: <Tag colour="yellow">Waiting list</Tag>,
  'held-address': <Tag colour="blue">Held: confirm your email address</Tag>,
  'held-approval': <Tag colour="purple">Awaiting approval</Tag>,
  cancelled: <Tag colour="grey">Cancelled</Tag>,
}

export default function YourBookings() {
  const page = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {failed ? (
          <ErrorSummary errors={[{ href: `#${supportNeedsField(failed.childId)}`, message: failed.error }]} />
        ) : null}
        {page.notice === 'too-late' ? (
          <NotificationBanner>The session has started, so places can no longer be cancelled here.</NotificationBanner>
        ) : page.notice ? (
          <NotificationBanner success>{page.notice}</NotificationBanner>
        ) : null}
        <h1 className="govuk-heading-l">Your bookings</h1>
        {page.confirmed ? null : (
          <WarningText>
            Confirm your email address: use the link in the email we sent you. Until then your places are held and we
            cannot send you the joining link.
          </WarningText>
        )}
        <h2 className="govuk-heading-m">Upcoming sessions</h2>
        {page.upcoming.length ? (
          page.upcoming.map((booking) => <BookingCard key={booking.reference} booking={booking} />)
        ) : (
          <p className="govuk-body">
            You have no sessions booked.{' '}
            <a className="govuk-link" href="/">
              See the activities you can book
            </a>
          </p>
        )}
        {page.upcoming.some((b) => b.hasInvite) ? (
          <p className="govuk-body">
            <a className="govuk-link" href="/family/calendar">
              Add all your sessions to your calendar app
            </a>{' '}
            with a private link that keeps them up to date.
          </p>
        ) : null}
        <h2 className="govuk-heading-m">Past sessions</h2>
        {page.past.length ? (
          page.past.map((booking) => <BookingCard key={booking.reference} booking={booking} />)
        ) : (
          <p className="govuk-body">No past sessions yet.</p>
        )}
        {page.children.length ? (
          <>
            <h2 className="govuk-heading-m" id="support-needs">
              Support needs
            </h2>
            <p className="govuk-body">
              What would help each child take part, such as captions on the call or a break halfway. We share it only
              with the team running the session. A change applies to the child&apos;s upcoming places.
            </p>
            {page.children.map((child) => (
              <Form method="post" key={child.id} noValidate>
                <input type="hidden" name="intent" value="support-needs" />
                <input type="hidden" name="childId" value={child.id} />
                <Textarea
                  id={supportNeedsField(child.id)}
                  name="supportNeeds"
                  label={`${child.firstName}'s support needs (optional)`}
                  labelSize="s"
                  hint="Up to 1,000 characters"
                  rows={3}
                  defaultValue={failed?.childId === child.id ? failed.value : (child.supportNeeds ?? '')}
                  error={failed?.childId === child.id ? failed.error : undefined}
                />
                <Button variant="secondary">{`Save ${child.firstName}'s support needs`}</Button>
              </Form>
            ))}
          </>
        ) : null}
      </div>
    </div>
  )
}

/** One session booked: when, each child's place with its status, and what can be done about it. */
function BookingCard({ booking }: { booking: FamilyBooking }) {
  const { activity } = booking
  const live = booking.places.filter((p) => p.status !== 'cancelled')
  const cancelPage = `/family/bookings/${booking.reference}/cancel`
  const rows: SummaryListRow[] = booking.places.map((p) => ({
    key: p.firstName,
    value: STATUS_TAGS[p.status],
    ...(booking.canCancel && p.status !== 'cancelled'
      ? {
          action: {
            href: `${cancelPage}?place=${p.id}`,
            text: 'Cancel',
            visuallyHiddenText: `${p.firstName}'s place`,
          },
        }
      : {}),
  }))
  return (
    <div className="govuk-summary-card">
      <div className="govuk-summary-card__title-wrapper">
        <h3 className="govuk-summary-card__title">{activity.title}</h3>
        {booking.canCancel && live.length > 1 ? (
          <ul className="govuk-summary-card__actions">
            <li className="govuk-summary-card__action">
              <a className="govuk-link" href={cancelPage}>
                Cancel the whole booking
                <span className="govuk-visually-hidden">{` for ${activity.title}`}</span>
              </a>
            </li>
          </ul>
        ) : null}
      </div>
      <div className="govuk-summary-card__content">
        <p className="govuk-body">
          {`${formatLondonDate(activity.starts_at)}, ${formatLondonTimeRange(activity.starts_at, activity.ends_at)} (UK time)`}
          <br />
          <span className="govuk-hint">
            {activity.location_type === 'online' ? 'Online (Microsoft Teams)' : (activity.venue ?? '')}
            {` · Booking ${booking.reference}`}
          </span>
        </p>
        {activity.status === 'cancelled' ? (
          <InsetText>{`${activity.title} has been cancelled by the team.${activity.cancel_reason ? ` ${activity.cancel_reason}` : ''}`}</InsetText>
        ) : null}
        <SummaryList rows={rows} />
        {booking.joinUrl ? (
          <p className="govuk-body">
            <a className="govuk-link govuk-!-font-weight-bold" href={booking.joinUrl} rel="noreferrer">
              Join on Microsoft Teams
            </a>
            <br />
            Please do not share this link. It is only for the children booked.
          </p>
        ) : null}
        {booking.hasInvite ? (
          <p className="govuk-body">
            <a
              className="govuk-link"
              href={`/family/bookings/${booking.reference}/invite.ics`}
              download={`${booking.reference}.ics`}
            >
              Add to calendar
              <span className="govuk-visually-hidden">{`: ${activity.title}`}</span>
            </a>{' '}
            (an .ics file for Apple Calendar, Outlook or another calendar app)
          </p>
        ) : null}
      </div>
    </div>
  )
}
