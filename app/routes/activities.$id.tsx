import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import autocompleteStyles from 'accessible-autocomplete/dist/accessible-autocomplete.min.css?url'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { linksFor } from '~/base-url.server'
import { BackLink, Button, ButtonGroup, ErrorSummary, InsetText, Radios, SummaryList, WarningText } from '~/components'
import { SpacesTag } from '~/components/activity-summary'
import { BookingFields } from '~/components/booking-fields'
import { errorList } from '~/components/error-summary'
import { describeAgeRange } from '~/domain/age'
import { bookingFieldAnchors, bookingFieldOrder, childField } from '~/domain/booking-form'
import {
  bookingPage,
  postedValues,
  requestBooking,
  type BookingRequestOutcome,
  type CheckState,
} from '~/domain/booking-requests.server'
import { parseId } from '~/domain/ids'
import { formatLondonDate, formatLondonTime, formatLondonTimeRange } from '~/time/london-time'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: autocompleteStyles }]

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.activity.title} – Join In` : 'Activity not found – Join In' },
]

export async function loader({ params, context }: LoaderFunctionArgs) {
  const page = await bookingPage(context.db, parseId(params.id))
  if (!page) throw new Response('Not found', { status: 404 })
  return page
}

type Step =
  | { step: 'form'; values: Record<string, string>; errors: Record<string, string>; childCount: number }
  | ({ step: 'check'; choiceError?: string } & CheckState)
  | { step: 'already'; reference: string }

const CHOICE_ERRORS = {
  'bad-key': undefined,
  choose: 'Choose what to do',
  'spaces-went': 'Fewer spaces are left than when you started. Choose what to do',
} as const

/** book()'s refusals, as the field to point at and what to say. */
function refusalError(refusal: Extract<BookingRequestOutcome, { status: 'refused' }>['refusal']): [string, string] {
  switch (refusal.status) {
    case 'closed':
      return ['contactName', 'Booking for this session has closed']
    case 'age-out-of-range':
      return [
        childField(0, 'dob'),
        `This session is for ${describeAgeRange(refusal.minAge, refusal.maxAge).toLowerCase()}`,
      ]
    case 'child-already-booked':
      return [
        childField(0, 'firstName'),
        `${refusal.names.join(' and ')} already ${refusal.names.length > 1 ? 'have' : 'has'} a place on this session`,
      ]
    case 'too-many-children':
      return [childField(0, 'firstName'), `You can book up to ${refusal.max} children at once`]
    case 'unknown-authority':
      return ['authority', 'Select a council area from the list']
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const outcome = await requestBooking(
    context.db,
    { activityId: parseId(params.id), values: postedValues(await request.formData()), ip: context.clientIp },
    {
      links: linksFor(request, context),
      rateLimit: context.config.bookingRateLimit,
      afterBooking: context.nudgeOutbox,
    },
  )
  switch (outcome.status) {
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'too-many-requests':
      throw new Response('Too many requests', { status: 429 })
    case 'bot':
      return data<Step>(
        {
          step: 'form',
          values: outcome.values,
          childCount: outcome.childCount,
          errors: { contactName: 'Sorry, we could not take this booking' },
        },
        { status: 400 },
      )
    case 'form':
      return data<Step>({ step: 'form', values: outcome.values, errors: {}, childCount: outcome.childCount })
    case 'invalid':
      return data<Step>(
        { step: 'form', values: outcome.values, errors: outcome.errors, childCount: outcome.childCount },
        { status: 400 },
      )
    case 'check':
      return data<Step>(
        { step: 'check', ...outcome.check, choiceError: outcome.problem && CHOICE_ERRORS[outcome.problem] },
        { status: outcome.problem === 'spaces-went' ? 409 : outcome.problem ? 400 : 200 },
      )
    case 'not-booked':
      return redirect(`/activities/${outcome.activityId}?notbooked=1`)
    case 'booked':
      return redirect(`/bookings/${outcome.reference}?token=${encodeURIComponent(outcome.manageToken)}&new=1`)
    case 'already-submitted':
      return data<Step>({ step: 'already', reference: outcome.reference })
    case 'refused': {
      const [field, message] = refusalError(outcome.refusal)
      return data<Step>(
        { step: 'form', values: outcome.values, childCount: outcome.childCount, errors: { [field]: message } },
        { status: 409 },
      )
    }
  }
}

export default function ActivityPage() {
  const loaderData = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { activity, window } = loaderData
  const isAdoptables = activity.kind === 'adoptables'

  if (actionData?.step === 'check') return <CheckAnswers state={actionData} />
  if (actionData?.step === 'already') {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">You have already booked this</h1>
          <p className="govuk-body">
            Your booking reference is <strong>{actionData.reference}</strong>. We have emailed you the details and a
            link to manage your booking.
          </p>
        </div>
      </div>
    )
  }
  const formState = actionData?.step === 'form' ? actionData : null
  const errors = formState?.errors ?? {}
  const childCount = formState?.childCount ?? 1
  return (
    <>
      <BackLink href={isAdoptables ? '/adoptables' : '/'}>
        {isAdoptables ? 'All Adoptables meetings' : 'All activities'}
      </BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errorList(errors, bookingFieldOrder(childCount), bookingFieldAnchors(childCount))} />
          <span className="govuk-caption-l">{isAdoptables ? 'Adoptables meeting' : activity.category}</span>
          <h1 className="govuk-heading-l">{activity.title}</h1>
          {window === 'cancelled' ? (
            <InsetText>{`This session has been cancelled.${activity.cancel_reason ? ` ${activity.cancel_reason}` : ''}`}</InsetText>
          ) : null}
          <SummaryList
            rows={[
              { key: 'Date', value: formatLondonDate(activity.starts_at) },
              { key: 'Time', value: `${formatLondonTimeRange(activity.starts_at, activity.ends_at)} (UK time)` },
              { key: 'Ages', value: describeAgeRange(activity.min_age, activity.max_age) },
              {
                key: 'Where',
                value: activity.location_type === 'online' ? 'Online on Microsoft Teams' : activity.venue,
              },
              { key: 'Spaces', value: <SpacesTag spacesLeft={activity.spacesLeft} /> },
            ]}
          />
          {activity.description.split(/\n{2,}/).map((paragraph, i) => (
            <p className="govuk-body" key={i}>
              {paragraph}
            </p>
          ))}
          {activity.what_to_bring ? (
            <>
              <h2 className="govuk-heading-m">What to bring</h2>
              <p className="govuk-body">{activity.what_to_bring}</p>
            </>
          ) : null}
          {window === 'not-yet-open' && activity.booking_opens_at ? (
            <InsetText>
              {`Booking opens on ${formatLondonDate(activity.booking_opens_at)} at ${formatLondonTime(activity.booking_opens_at)}.`}
            </InsetText>
          ) : null}
          {window === 'closed' ? <InsetText>Booking for this session has closed.</InsetText> : null}
          {window === 'open' && isAdoptables ? (
            <p className="govuk-body">
              Young people join Adoptables meetings themselves.{' '}
              <a className="govuk-link" href={`/adoptables/join?meeting=${activity.id}`}>
                Sign up for this meeting
              </a>
              .
            </p>
          ) : null}
          {window === 'open' && !isAdoptables ? (
            <>
              <h2 className="govuk-heading-l govuk-!-margin-top-6" id="book">
                Book {activity.spacesLeft === 0 ? 'a place on the waiting list' : 'places'}
              </h2>
              {activity.location_type === 'online' ? (
                <p className="govuk-body">
                  When your booking is confirmed we email you the Teams joining link and a calendar invite.
                </p>
              ) : null}
              {activity.spacesLeft === 0 ? (
                <WarningText>
                  This session is full. You can join the waiting list: if a space comes up, we book it for you and email
                  you.
                </WarningText>
              ) : null}
              <Form method="post" noValidate>
                <BookingFields
                  values={formState?.values ?? {}}
                  errors={errors}
                  childCount={childCount}
                  maxChildren={loaderData.maxChildren}
                  authorityGroups={loaderData.authorityGroups}
                  eligibilityStatement={loaderData.eligibilityStatement}
                  terms={loaderData.terms}
                  controllerName={loaderData.controllerName}
                />
                <Button name="intent" value="check">
                  Continue
                </Button>
              </Form>
            </>
          ) : null}
        </div>
      </div>
    </>
  )
}

function CheckAnswers({ state }: { state: Extract<Step, { step: 'check' }> }) {
  const { activity } = useLoaderData<typeof loader>()
  const { values, childCount, spacesLeft } = state
  const short = spacesLeft < childCount
  const children = Array.from({ length: childCount }, (_, i) => ({
    name: values[childField(i, 'firstName')] ?? '',
    dob: `${values[`${childField(i, 'dob')}-day`]}/${values[`${childField(i, 'dob')}-month`]}/${values[`${childField(i, 'dob')}-year`]}`,
    support: values[childField(i, 'supportNeeds')] ?? '',
  }))
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={state.choiceError ? [{ href: '#whenShort', message: state.choiceError }] : []} />
        <span className="govuk-caption-l">{activity.title}</span>
        <h1 className="govuk-heading-l">Check your answers before booking</h1>
        <p className="govuk-body">
          {formatLondonDate(activity.starts_at)}, {formatLondonTimeRange(activity.starts_at, activity.ends_at)}
        </p>
        <Form method="post" noValidate>
          {Object.entries(values)
            .filter(([key]) => key !== 'whenShort' && key !== 'idempotencyKey')
            .map(([key, value]) => (
              <input key={key} type="hidden" name={key} value={value} />
            ))}
          <input type="hidden" name="idempotencyKey" value={state.idempotencyKey} />
          <h2 className="govuk-heading-m">Your details</h2>
          <SummaryList
            rows={[
              { key: 'Name', value: values.contactName },
              { key: 'Email address', value: values.email },
              ...(values.phone ? [{ key: 'Phone number', value: values.phone }] : []),
              { key: 'Council area', value: state.authorityName },
              { key: 'Emails about new activities', value: values.mailingList === 'yes' ? 'Yes' : 'No' },
            ]}
          />
          {children.map((child, i) => (
            <div key={i}>
              <h2 className="govuk-heading-m">{childCount > 1 ? `Child ${i + 1}` : 'Child'}</h2>
              <SummaryList
                rows={[
                  { key: 'First name', value: child.name },
                  { key: 'Date of birth', value: child.dob },
                  ...(child.support ? [{ key: 'Support needs', value: child.support }] : []),
                ]}
              />
            </div>
          ))}
          <Button name="intent" value="change" variant="secondary" preventDoubleClick={false}>
            Change your answers
          </Button>
          {short ? (
            <Radios
              id="whenShort"
              legend={
                spacesLeft === 0
                  ? 'The session is full. What would you like to do?'
                  : `Only ${spacesLeft} ${spacesLeft === 1 ? 'space is' : 'spaces are'} left for ${childCount} children. What would you like to do?`
              }
              legendSize="m"
              error={state.choiceError}
              items={[
                {
                  value: 'waitlist',
                  text:
                    spacesLeft === 0
                      ? 'Put them on the waiting list'
                      : `Book ${spacesLeft} ${spacesLeft === 1 ? 'place' : 'places'} now and put the others on the waiting list`,
                  hint: 'Places are given in the order children are listed. If a space comes up, we book it and email you',
                },
                { value: 'nothing', text: 'Do not book anything' },
              ]}
            />
          ) : null}
          <ButtonGroup>
            <Button name="intent" value="confirm">
              {short && spacesLeft === 0 ? 'Join the waiting list' : 'Confirm booking'}
            </Button>
          </ButtonGroup>
        </Form>
      </div>
    </div>
  )
}
