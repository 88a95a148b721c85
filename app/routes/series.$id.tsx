import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import autocompleteStyles from 'accessible-autocomplete/dist/accessible-autocomplete.min.css?url'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { linksFor } from '~/base-url.server'
import { getFamily } from '~/auth/family-session.server'
import {
  BackLink,
  Button,
  ButtonGroup,
  Checkboxes,
  ErrorSummary,
  InsetText,
  NotificationBanner,
  Radios,
  SummaryList,
  Table,
  WarningText,
} from '~/components'
import { SpacesTag } from '~/components/activity-summary'
import { BookingFields } from '~/components/booking-fields'
import { errorList } from '~/components/error-summary'
import { describeAgeRange } from '~/domain/age'
import { bookingFieldAnchors, bookingFieldOrder } from '~/domain/booking-form'
import { parseId } from '~/domain/ids'
import { joinNames } from '~/domain/names'
import { seriesPostValues } from '~/domain/series-booking-form'
import {
  requestSeriesBooking,
  seriesBookingPage,
  type ChildOutcome,
  type SeriesRequestOutcome,
} from '~/domain/series-bookings.server'
import { formatCalendarDate, formatLondonDate, formatLondonTimeRange } from '~/time/london-time'
import { StepHeading } from '~/components/step-heading'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: autocompleteStyles }]

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.overview.title}: book the series – Join In` : 'Series not found – Join In' },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const family = await getFamily(request, context)
  const page = await seriesBookingPage(context.db, parseId(params.id), family?.id ?? null, context.now())
  if (!page) throw new Response('Not found', { status: 404 })
  const booked = new URL(request.url).searchParams.get('booked')
  return {
    overview: page.overview,
    openIds: page.openIds,
    authorityGroups: page.authorityGroups,
    maxChildren: page.maxChildren,
    eligibilityStatement: page.eligibilityStatement,
    terms: page.terms,
    controllerName: page.controllerName,
    children: page.children,
    family: family ? { contactName: family.contact_name, email: family.email } : null,
    booked:
      booked === 'held' || booked === 'approval' || booked === 'confirmed' || booked === 'nothing' ? booked : null,
  }
}

type Outcome = Exclude<SeriesRequestOutcome, { status: 'not-found' | 'too-many-requests' | 'booked' }>

export async function action({ request, params, context }: ActionFunctionArgs) {
  const values = seriesPostValues(await request.formData())
  const family = values.mode?.[0] === 'family' ? await getFamily(request, context) : null
  const seriesId = parseId(params.id)
  // signed out since the page was shown: the page again, now with the form for everyone
  if (values.mode?.[0] === 'family' && !family) return redirect(`/series/${seriesId ?? ''}`)
  const outcome = await requestSeriesBooking(
    context.db,
    { seriesId, familyId: family?.id ?? null, values, ip: context.clientIp },
    {
      links: linksFor(request, context),
      rateLimit: context.config.bookingRateLimit,
      afterBooking: context.nudgeOutbox,
      now: context.now(),
    },
  )
  switch (outcome.status) {
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'too-many-requests':
      throw new Response('Too many requests', { status: 429 })
    case 'booked':
      return redirect(
        `/series/${seriesId}?booked=${outcome.heldFor === 'approval' ? 'approval' : outcome.heldFor ? 'held' : 'confirmed'}`,
      )
    case 'form':
      return data<Outcome>(outcome, { status: Object.keys(outcome.errors).length ? 400 : 200 })
    case 'check':
      return data<Outcome & { stepHeading?: string }>({ ...outcome, stepHeading: SERIES_CHECK_HEADING })
    default:
      return data<Outcome & { stepHeading?: string }>(outcome)
  }
}

/** The check page's heading, also its title's first words (PageMeta, app/page-title.tsx). */
const SERIES_CHECK_HEADING = 'Check your booking, date by date'

const OUTCOME_WORDS: Record<Exclude<ChildOutcome, 'held'>, string> = {
  confirmed: 'Place confirmed',
  waitlisted: 'Waiting list (this date is full)',
  'not-eligible': 'Not eligible that day',
  'already-booked': 'Already booked',
  closed: 'Closed',
}

function outcomeWords(outcome: ChildOutcome, heldFor: 'address' | 'approval' | null): string {
  if (outcome !== 'held') return OUTCOME_WORDS[outcome]
  return heldFor === 'approval'
    ? 'Place held until the team approves your first booking'
    : 'Place held until you confirm your email address'
}

export default function SeriesPage() {
  const loaderData = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { overview } = loaderData
  const first = overview.sessions.find((s) => s.status === 'published') ?? overview.sessions[0]!
  if (actionData?.status === 'check') return <CheckSeries state={actionData} />
  if (actionData?.status === 'already-submitted') {
    return (
      <Message title="You have already booked this">
        We have emailed you the details of every date, with a link to manage each one.
      </Message>
    )
  }
  if (actionData?.status === 'nothing-to-book') {
    return (
      <Message title="Nothing could be booked">
        None of the children could be booked on the dates chosen: each date had closed or the children were not eligible
        that day. Nothing has been booked.
      </Message>
    )
  }
  const formState = actionData?.status === 'form' ? actionData : null
  const errors = formState?.errors ?? {}
  const values = formState?.values ?? {}
  const childCount = formState?.childCount ?? 1
  const order = ['dates', 'childId', ...bookingFieldOrder(childCount)]
  return (
    <>
      <BackLink href="/">All activities</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {loaderData.booked ? (
            <NotificationBanner success>
              <h3 className="govuk-notification-banner__heading">
                {loaderData.booked === 'held'
                  ? 'Check your email to confirm your booking'
                  : loaderData.booked === 'approval'
                    ? 'Booking received: awaiting approval'
                    : 'Booking made: we have emailed you every date'}
              </h3>
              <p className="govuk-body">
                {loaderData.booked === 'held'
                  ? 'We are holding the places. The email has a link that confirms every date at once.'
                  : loaderData.booked === 'approval'
                    ? "The team checks a new family's first booking: we will email you when it is approved. We are holding the places, and have emailed you every date."
                    : 'The email lists every date and child, with one calendar invite for all the confirmed dates.'}{' '}
                <a className="govuk-link" href="/family/bookings">
                  See your bookings
                </a>
              </p>
            </NotificationBanner>
          ) : null}
          <ErrorSummary errors={errorList(errors, order, bookingFieldAnchors(childCount))} />
          <span className="govuk-caption-l">{first.category}</span>
          <h1 className="govuk-heading-l">{overview.title}</h1>
          <p className="govuk-body">
            A series of {overview.sessions.length} {overview.sessions.length === 1 ? 'session' : 'sessions'} still to
            come, for {describeAgeRange(first.min_age, first.max_age).toLowerCase()},{' '}
            {first.location_type === 'online' ? 'online on Microsoft Teams' : first.venue}. Book every date in one step,
            or choose some.
          </p>
          {first.description.split(/\n{2,}/).map((paragraph, i) => (
            <p className="govuk-body" key={i}>
              {paragraph}
            </p>
          ))}
          <Table
            caption="Dates"
            head={[{ text: 'Date' }, { text: 'Time (UK)' }, { text: 'Spaces' }]}
            rows={overview.sessions.map((s) => [
              {
                text: (
                  <a className="govuk-link" href={`/activities/${s.id}`}>
                    {formatLondonDate(s.starts_at)}
                  </a>
                ),
              },
              { text: formatLondonTimeRange(s.starts_at, s.ends_at) },
              {
                text:
                  s.window === 'open' ? (
                    <SpacesTag spacesLeft={s.spacesLeft} />
                  ) : s.window === 'cancelled' ? (
                    'Cancelled'
                  ) : s.window === 'not-yet-open' ? (
                    'Booking not open yet'
                  ) : (
                    'Booking closed'
                  ),
              },
            ])}
          />
          {loaderData.openIds.length === 0 ? (
            <InsetText>Booking is not open for any of the dates.</InsetText>
          ) : (
            <Form method="post" noValidate action={`/series/${overview.seriesId}`}>
              <h2 className="govuk-heading-l" id="book">
                Book the series
              </h2>
              <DateChoice values={values} error={errors.dates} />
              {loaderData.family && loaderData.children ? (
                <FamilyChildren error={errors.childId} />
              ) : (
                <>
                  <input type="hidden" name="mode" value="form" />
                  <p className="govuk-body">
                    Booked with us before?{' '}
                    <a
                      className="govuk-link"
                      href={`/family/sign-in?redirectTo=${encodeURIComponent(`/series/${overview.seriesId}#book`)}`}
                    >
                      Sign in to book without typing your details again
                    </a>
                    .
                  </p>
                  <BookingFields
                    values={values}
                    errors={errors}
                    childCount={childCount}
                    maxChildren={loaderData.maxChildren}
                    authorityGroups={loaderData.authorityGroups}
                    eligibilityStatement={loaderData.eligibilityStatement}
                    terms={loaderData.terms}
                    controllerName={loaderData.controllerName}
                    activityId={first.id}
                    pagePath={`/series/${overview.seriesId}`}
                  />
                </>
              )}
              <Button name="intent" value="check">
                Continue
              </Button>
            </Form>
          )}
        </div>
      </div>
    </>
  )
}

function Message({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{title}</h1>
        <p className="govuk-body">{children}</p>
        <p className="govuk-body">
          <a className="govuk-link" href="/family/bookings">
            See your bookings
          </a>
        </p>
      </div>
    </div>
  )
}

/** "All remaining sessions" or some dates: the dates' boxes are shown either way, so it works without JavaScript. */
function DateChoice({ values, error }: { values: Record<string, string>; error?: string }) {
  const { overview, openIds } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const ticked = actionData && 'activityIds' in actionData ? actionData.activityIds.map(String) : []
  return (
    <>
      <Radios
        id="dates"
        legend="Which dates?"
        legendSize="m"
        error={error}
        defaultValue={values.dates}
        items={[
          { value: 'all', text: `All remaining sessions (${openIds.length})` },
          { value: 'some', text: 'Only the dates I choose below' },
        ]}
      />
      <Checkboxes
        id="activityId"
        legend="Dates to book (if you chose some)"
        legendSize="s"
        defaultValues={ticked}
        items={overview.sessions
          .filter((s) => openIds.includes(s.id))
          .map((s) => ({
            value: String(s.id),
            text: `${formatLondonDate(s.starts_at)}, ${formatLondonTimeRange(s.starts_at, s.ends_at)}`,
          }))}
      />
    </>
  )
}

function FamilyChildren({ error }: { error?: string }) {
  const { children, family, overview } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const ticked = actionData && 'childIds' in actionData ? actionData.childIds.map(String) : []
  return (
    <>
      <input type="hidden" name="mode" value="family" />
      <p className="govuk-body">
        {`Signed in as ${family!.contactName ?? family!.email} (${family!.email}). `}
        <a className="govuk-link" href="/family">
          Your family
        </a>
      </p>
      {children!.length === 0 ? (
        <p className="govuk-body">
          You have not added any children to your family yet.{' '}
          <a
            className="govuk-link"
            href={`/family/children/new?redirectTo=${encodeURIComponent(`/series/${overview.seriesId}#book`)}`}
          >
            Add a child
          </a>
        </p>
      ) : (
        <Checkboxes
          id="childId"
          legend="Who is coming?"
          legendSize="m"
          hint="Select all that apply. We check each date for each child on the next page"
          error={error}
          defaultValues={ticked}
          items={children!.map((c) => ({
            value: String(c.id),
            text: c.firstName,
            hint: `Born ${formatCalendarDate(c.dateOfBirth)}`,
          }))}
        />
      )}
    </>
  )
}

function CheckSeries({ state }: { state: Extract<Outcome, { status: 'check' }> }) {
  const { overview, family } = useLoaderData<typeof loader>()
  const { plans, values } = state
  const mode = family && state.childIds.length ? 'family' : 'form'
  const booked = plans.flatMap((p) => p.children).filter((c) => c.outcome === state.live || c.outcome === 'waitlisted')
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <span className="govuk-caption-l">{overview.title}</span>
        <StepHeading>{SERIES_CHECK_HEADING}</StepHeading>
        {mode === 'form' ? (
          <SummaryList
            rows={[
              { key: 'Name', value: values.contactName ?? '' },
              { key: 'Email address', value: values.email ?? '' },
              { key: 'Council area', value: state.authorityName },
            ]}
          />
        ) : null}
        {plans.map((plan) => (
          <Table
            key={plan.activityId}
            caption={`${formatLondonDate(plan.startsAt)}, ${formatLondonTimeRange(plan.startsAt, plan.endsAt)}`}
            captionSize="m"
            head={[{ text: 'Child' }, { text: 'What happens' }]}
            firstCellIsHeader
            rows={plan.children.map((c) => [
              { text: c.firstName },
              {
                text: c.reason
                  ? `${outcomeWords(c.outcome, state.heldFor)}: ${c.reason}`
                  : outcomeWords(c.outcome, state.heldFor),
              },
            ])}
          />
        ))}
        {state.heldFor === 'address' ? (
          <InsetText>
            We hold the places until you confirm your email address by the link we email you. One link confirms every
            date.
            {state.thenApproval
              ? ' If this is your first booking with us, the team then checks it before the places are confirmed.'
              : ''}
          </InsetText>
        ) : state.heldFor === 'approval' ? (
          <InsetText>
            The team checks a new family&apos;s first booking before the places are confirmed. We hold the places and
            email you when it is approved.
          </InsetText>
        ) : null}
        {plans.some((p) => p.children.some((c) => c.outcome === 'waitlisted')) ? (
          <WarningText>
            Children on a waiting list get a place if one comes up: we book it and email you. If spaces go while you
            check, the children join that date&apos;s waiting list.
          </WarningText>
        ) : null}
        <Form method="post" noValidate action={`/series/${overview.seriesId}`}>
          <input type="hidden" name="mode" value={mode} />
          {Object.entries(values)
            .filter(([key]) => !['idempotencyKey', 'mode'].includes(key))
            .map(([key, value]) => (
              <input key={key} type="hidden" name={key} value={value} />
            ))}
          {state.activityIds.map((id) => (
            <input key={`a${id}`} type="hidden" name="activityId" value={id} />
          ))}
          {state.childIds.map((id) => (
            <input key={`c${id}`} type="hidden" name="childId" value={id} />
          ))}
          <input type="hidden" name="idempotencyKey" value={state.idempotencyKey} />
          <ButtonGroup>
            {booked.length ? (
              <Button name="intent" value="confirm">
                {`Confirm booking (${plans.filter((p) => p.children.some((c) => c.outcome === state.live || c.outcome === 'waitlisted')).length} dates)`}
              </Button>
            ) : null}
            <Button name="intent" value="change" variant="secondary">
              Change dates or children
            </Button>
          </ButtonGroup>
          {booked.length === 0 ? (
            <p className="govuk-body">
              {`None of ${joinNames(plans[0]?.children.map((c) => c.firstName) ?? [])} can be booked on these dates.`}
            </p>
          ) : null}
        </Form>
      </div>
    </div>
  )
}
