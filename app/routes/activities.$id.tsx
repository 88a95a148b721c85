import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import autocompleteStyles from 'accessible-autocomplete/dist/accessible-autocomplete.min.css?url'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { useEffect } from 'react'
import { linksFor } from '~/base-url.server'
import { getFamily } from '~/auth/family-session.server'
import {
  BackLink,
  Button,
  ButtonGroup,
  Checkboxes,
  ErrorSummary,
  InsetText,
  Radios,
  SummaryList,
  WarningText,
} from '~/components'
import { SpacesTag } from '~/components/activity-summary'
import { BookingFields } from '~/components/booking-fields'
import { errorList } from '~/components/error-summary'
import { describeAgeRange } from '~/domain/age'
import { bookingFieldAnchors, bookingFieldOrder, childField } from '~/domain/booking-form'
import {
  bookingPage,
  familyChildChoices,
  postedValues,
  requestBooking,
  requestFamilyBooking,
  type BookingRequestOutcome,
  type CheckState,
  type FamilyBookingOutcome,
  type FamilyCheckState,
} from '~/domain/booking-requests.server'
import { formatCalendarDate, formatLondonDate, formatLondonTime, formatLondonTimeRange } from '~/time/london-time'
import { parseId } from '~/domain/ids'
import { joinNames } from '~/domain/names'
import { StepHeading } from '~/components/step-heading'
import { withoutControlCharacters } from '~/text/control-characters'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: autocompleteStyles }]

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.activity.title} – Join In` : 'Activity not found – Join In' },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await bookingPage(context.db, parseId(params.id))
  if (!page) throw new Response('Not found', { status: 404 })
  const family = await getFamily(request, context)
  const choices = family ? await familyChildChoices(context.db, family.id, page.activity) : null
  return {
    ...page,
    family: family ? { contactName: family.contact_name, email: family.email } : null,
    choices,
  }
}

/** The check pages' headings, also their titles' first words (PageMeta, app/page-title.tsx). */
const CHECK_HEADING = 'Check your answers before booking'
const FAMILY_CHECK_HEADING = 'Check your booking'

type Step =
  | {
      step: 'form'
      values: Record<string, string>
      errors: Record<string, string>
      childCount: number
      /** the field to move focus to: the one a Change link was for, or a child just added */
      focus?: string
    }
  | ({ step: 'check'; stepHeading: typeof CHECK_HEADING; choiceError?: string } & CheckState)
  | { step: 'already'; reference: string }
  /** booking closed while they were checking: a message for the page, not for a field */
  | { step: 'closed' }
  | { step: 'family-form'; childIds: number[]; error?: string }
  | ({ step: 'family-check'; stepHeading: typeof FAMILY_CHECK_HEADING; choiceError?: string } & FamilyCheckState)

const CHOICE_ERRORS = {
  'bad-key': undefined,
  choose: 'Choose what to do',
  'spaces-went': 'Fewer spaces are left than when you started. Choose what to do',
} as const

/** book()'s refusals, as the field to point at and what to say. */
function refusalError(refusal: Extract<BookingRequestOutcome, { status: 'refused' }>['refusal']): [string, string] {
  switch (refusal.status) {
    case 'closed':
      // answered as a page (step 'closed') before this is reached
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

/** A signed-in family's post: which children, checked, then booked. */
async function familyAction(
  request: Request,
  context: ActionFunctionArgs['context'],
  activityId: number | null,
  familyId: number,
  form: FormData,
) {
  const values: Record<string, string[]> = {}
  for (const [key, value] of form) {
    if (typeof value === 'string' && key.length < 60 && (values[key]?.length ?? 0) < 50) {
      ;(values[key] ??= []).push(withoutControlCharacters(value.slice(0, 200)))
    }
  }
  const outcome: FamilyBookingOutcome = await requestFamilyBooking(
    context.db,
    { activityId, familyId, values, ip: context.clientIp },
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
    case 'invalid':
      return data<Step>({ step: 'family-form', childIds: outcome.childIds, error: outcome.error }, { status: 400 })
    case 'form':
      return data<Step>({ step: 'family-form', childIds: outcome.childIds })
    case 'check':
      return data<Step>(
        {
          step: 'family-check',
          stepHeading: FAMILY_CHECK_HEADING,
          ...outcome.check,
          choiceError: outcome.problem && CHOICE_ERRORS[outcome.problem],
        },
        { status: outcome.problem === 'spaces-went' ? 409 : outcome.problem ? 400 : 200 },
      )
    case 'not-booked':
      return redirect(`/activities/${outcome.activityId}?notbooked=1`)
    case 'closed':
      return data<Step>({ step: 'closed' }, { status: 409 })
    case 'booked':
      return redirect(`/bookings/${outcome.reference}?token=${encodeURIComponent(outcome.manageToken)}&new=1`)
    case 'already-submitted':
      return data<Step>({ step: 'already', reference: outcome.reference })
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const activityId = parseId(params.id)
  if (form.get('mode') === 'family') {
    const family = await getFamily(request, context)
    // signed out since the page was shown: the page again, now with the form for everyone
    if (!family) return redirect(`/activities/${activityId ?? ''}`)
    return familyAction(request, context, activityId, family.id, form)
  }
  const posted = postedValues(form)
  const intent = posted.intent ?? ''
  // "Change" on the check page names the answer to change: the form comes back focused on it.
  const changing = /^change:([\w-]{1,40})$/.exec(intent)
  if (changing) posted.intent = 'change'
  const outcome = await requestBooking(
    context.db,
    { activityId, values: posted, ip: context.clientIp },
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
      return data<Step>({
        step: 'form',
        values: outcome.values,
        errors: {},
        childCount: outcome.childCount,
        focus: changing
          ? changing[1]
          : intent === 'add-child'
            ? childField(outcome.childCount - 1, 'firstName')
            : undefined,
      })
    case 'invalid':
      return data<Step>(
        { step: 'form', values: outcome.values, errors: outcome.errors, childCount: outcome.childCount },
        { status: 400 },
      )
    case 'check':
      return data<Step>(
        {
          step: 'check',
          stepHeading: CHECK_HEADING,
          ...outcome.check,
          choiceError: outcome.problem && CHOICE_ERRORS[outcome.problem],
        },
        { status: outcome.problem === 'spaces-went' ? 409 : outcome.problem ? 400 : 200 },
      )
    case 'not-booked':
      return redirect(`/activities/${outcome.activityId}?notbooked=1`)
    case 'booked':
      return redirect(`/bookings/${outcome.reference}?token=${encodeURIComponent(outcome.manageToken)}&new=1`)
    case 'already-submitted':
      return data<Step>({ step: 'already', reference: outcome.reference })
    case 'refused': {
      if (outcome.refusal.status === 'closed') return data<Step>({ step: 'closed' }, { status: 409 })
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
  useFocusField(actionData?.step === 'form' ? actionData.focus : undefined)

  if (actionData?.step === 'check') return <CheckAnswers state={actionData} />
  if (actionData?.step === 'family-check') return <FamilyCheckAnswers state={actionData} />
  if (actionData?.step === 'closed') {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{activity.title}</span>
          <h1 className="govuk-heading-l">Booking for this session closed while you were booking</h1>
          <p className="govuk-body">Nothing has been booked.</p>
          <p className="govuk-body">
            <a className="govuk-link" href={isAdoptables ? '/adoptables' : '/'}>
              See other sessions you can book
            </a>
          </p>
        </div>
      </div>
    )
  }
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
  const familyState = actionData?.step === 'family-form' ? actionData : null
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
          {activity.series_id && !isAdoptables ? (
            <p className="govuk-body">
              This session is one of a series.{' '}
              <a className="govuk-link" href={`/series/${activity.series_id}`}>
                Book several dates of the series in one step
              </a>
              .
            </p>
          ) : null}
          {window === 'open' && !isAdoptables ? (
            <>
              <h2 className="govuk-heading-l govuk-!-margin-top-6" id="book">
                Book {activity.spacesLeft === 0 ? 'a place on the waiting list' : 'places'}
              </h2>
              {activity.location_type === 'online' && activity.spacesLeft > 0 ? (
                <p className="govuk-body">
                  When your booking is confirmed we email you the Teams joining link and a calendar invite.
                </p>
              ) : null}
              {activity.spacesLeft === 0 ? (
                <WarningText>
                  {`This session is full. You can join the waiting list: if a space comes up, we book it for you and email you${activity.location_type === 'online' ? ' the Teams joining link and a calendar invite' : ''}.`}
                </WarningText>
              ) : null}
              {loaderData.family && loaderData.choices ? (
                <FamilyBookingForm
                  choices={loaderData.choices}
                  chosen={familyState?.childIds ?? []}
                  error={familyState?.error}
                  family={loaderData.family}
                  activityId={activity.id}
                  full={activity.spacesLeft === 0}
                />
              ) : (
                <>
                  <p className="govuk-body">
                    Booked with us before?{' '}
                    <a
                      className="govuk-link"
                      href={`/family/sign-in?redirectTo=${encodeURIComponent(`/activities/${activity.id}#book`)}`}
                    >
                      Sign in to book without typing your details again
                    </a>
                    .
                  </p>
                  <Form method="post" noValidate action={`/activities/${activity.id}`}>
                    {activity.spacesLeft === 0 ? <input type="hidden" name="whenShort" value="waitlist" /> : null}
                    <BookingFields
                      values={formState?.values ?? {}}
                      errors={errors}
                      childCount={childCount}
                      maxChildren={loaderData.maxChildren}
                      authorityGroups={loaderData.authorityGroups}
                      eligibilityStatement={loaderData.eligibilityStatement}
                      terms={loaderData.terms}
                      controllerName={loaderData.controllerName}
                      activityId={activity.id}
                    />
                    <Button name="intent" value="check">
                      Continue
                    </Button>
                  </Form>
                </>
              )}
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
  const children = Array.from({ length: childCount }, (_, i) => {
    const dob = childField(i, 'dob')
    const [day, month, year] = [values[`${dob}-day`], values[`${dob}-month`], values[`${dob}-year`]].map(Number)
    return {
      name: values[childField(i, 'firstName')] ?? '',
      // checked already, so a real date: in words, "3 April 2018"
      dob: formatCalendarDate(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`),
      support: values[childField(i, 'supportNeeds')] ?? '',
    }
  })
  const change = (field: string, what: string, anchor = field) => ({
    submit: { name: 'intent', value: `change:${field}`, formAction: `/activities/${activity.id}#${anchor}` },
    text: 'Change',
    visuallyHiddenText: what,
  })
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={state.choiceError ? [{ href: '#whenShort', message: state.choiceError }] : []} />
        <span className="govuk-caption-l">{activity.title}</span>
        <StepHeading>{CHECK_HEADING}</StepHeading>
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
              { key: 'Name', value: values.contactName, action: change('contactName', 'name') },
              { key: 'Email address', value: values.email, action: change('email', 'email address') },
              {
                key: 'Phone number',
                value: values.phone || 'Not given',
                action: change('phone', 'phone number'),
              },
              { key: 'Council area', value: state.authorityName, action: change('authority', 'council area') },
              {
                key: 'Emails about new activities',
                value: values.mailingList === 'yes' ? 'Yes' : 'No',
                action: change('mailingList', 'emails about new activities'),
              },
            ]}
          />
          {children.map((child, i) => (
            <div key={i}>
              <h2 className="govuk-heading-m">{childCount > 1 ? `Child ${i + 1}` : 'Child'}</h2>
              <SummaryList
                rows={[
                  {
                    key: 'First name',
                    value: child.name,
                    action: change(childField(i, 'firstName'), `child ${i + 1}'s first name`),
                  },
                  {
                    key: 'Date of birth',
                    value: child.dob,
                    action: change(
                      childField(i, 'dob'),
                      `child ${i + 1}'s date of birth`,
                      `${childField(i, 'dob')}-day`,
                    ),
                  },
                  {
                    key: 'Support needs',
                    value: child.support || 'None given',
                    action: change(childField(i, 'supportNeeds'), `child ${i + 1}'s support needs`),
                  },
                ]}
              />
            </div>
          ))}
          <WhenShort spacesLeft={spacesLeft} children={childCount} error={state.choiceError} />
        </Form>
      </div>
    </div>
  )
}

/**
 * Moves focus to a field once the form comes back: the answer a Change link was for, or the first
 * field of a child just added. Without JavaScript the button's #fragment lands on it instead.
 */
function useFocusField(field: string | undefined) {
  useEffect(() => {
    if (!field) return
    const element =
      document.getElementById(field) ?? document.getElementById(`${field}-day`) ?? document.getElementsByName(field)[0]
    if (element instanceof HTMLElement) {
      element.scrollIntoView({ block: 'center' })
      element.focus()
    }
  }, [field])
}

/** A signed-in family books by ticking its children: nothing is typed again. */
function FamilyBookingForm({
  choices,
  chosen,
  error,
  family,
  activityId,
  full,
}: {
  choices: Array<{ id: number; firstName: string; dateOfBirth: string; reason: string | null }>
  chosen: number[]
  error?: string
  family: { contactName: string | null; email: string }
  activityId: number
  full: boolean
}) {
  const bookable = choices.filter((c) => !c.reason)
  return (
    <>
      <p className="govuk-body">
        {`Signed in as ${family.contactName ?? family.email} (${family.email}). `}
        <a className="govuk-link" href="/family">
          Your family
        </a>
      </p>
      {choices.length === 0 ? (
        <>
          <p className="govuk-body">You have not added any children to your family yet.</p>
          <p className="govuk-body">
            <a
              className="govuk-link"
              href={`/family/children/new?redirectTo=${encodeURIComponent(`/activities/${activityId}#book`)}`}
            >
              Add a child
            </a>
          </p>
        </>
      ) : (
        <Form method="post" noValidate action={`/activities/${activityId}`}>
          <input type="hidden" name="mode" value="family" />
          {full ? <input type="hidden" name="whenShort" value="waitlist" /> : null}
          <ErrorSummary errors={error ? [{ href: '#childId', message: error }] : []} />
          <Checkboxes
            id="childId"
            legend="Who is coming?"
            legendSize="m"
            hint={bookable.length ? 'Select all that apply' : undefined}
            error={error}
            defaultValues={chosen.map(String)}
            items={choices.map((c) => ({
              value: String(c.id),
              text: c.firstName,
              hint: c.reason ?? `Born ${formatCalendarDate(c.dateOfBirth)}`,
              disabled: Boolean(c.reason),
            }))}
          />
          <p className="govuk-body">
            <a
              className="govuk-link"
              href={`/family/children/new?redirectTo=${encodeURIComponent(`/activities/${activityId}#book`)}`}
            >
              Add another child to your family
            </a>
          </p>
          {bookable.length ? (
            <Button name="intent" value="check">
              Continue
            </Button>
          ) : null}
        </Form>
      )}
    </>
  )
}

function FamilyCheckAnswers({ state }: { state: Extract<Step, { step: 'family-check' }> }) {
  const { activity } = useLoaderData<typeof loader>()
  const { spacesLeft, names: chosen } = state
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={state.choiceError ? [{ href: '#whenShort', message: state.choiceError }] : []} />
        <span className="govuk-caption-l">{activity.title}</span>
        <StepHeading>{FAMILY_CHECK_HEADING}</StepHeading>
        <Form method="post" noValidate action={`/activities/${activity.id}`}>
          <input type="hidden" name="mode" value="family" />
          <input type="hidden" name="idempotencyKey" value={state.idempotencyKey} />
          {state.childIds.map((id) => (
            <input key={id} type="hidden" name="childId" value={id} />
          ))}
          <SummaryList
            rows={[
              { key: 'Session', value: activity.title },
              {
                key: 'When',
                value: `${formatLondonDate(activity.starts_at)}, ${formatLondonTimeRange(activity.starts_at, activity.ends_at)} (UK time)`,
              },
              {
                key: 'Who is coming',
                value: joinNames(chosen),
                action: {
                  submit: { name: 'intent', value: 'change', formAction: `/activities/${activity.id}#childId` },
                  text: 'Change',
                  visuallyHiddenText: 'who is coming',
                },
              },
            ]}
          />
          <WhenShort spacesLeft={spacesLeft} children={chosen.length} error={state.choiceError} />
        </Form>
      </div>
    </div>
  )
}

/**
 * The end of both check pages: with too few spaces for everyone, the one question of what to do;
 * on a full session no question (the form already said so) but what happens; then the button.
 */
function WhenShort({ spacesLeft, children, error }: { spacesLeft: number; children: number; error?: string }) {
  if (spacesLeft === 0) {
    return (
      <>
        {/* a full session asked its question once, on the form: they are joining the waiting list */}
        <input type="hidden" name="whenShort" value="waitlist" />
        <WarningText>
          {`The session is full. ${children === 1 ? 'Your child joins' : 'Your children join'} the waiting list: if a space comes up, we book it and email you.`}
        </WarningText>
        <ButtonGroup>
          <Button name="intent" value="confirm">
            Join the waiting list
          </Button>
        </ButtonGroup>
      </>
    )
  }
  return (
    <>
      {spacesLeft < children ? (
        <Radios
          id="whenShort"
          legend={`Only ${spacesLeft} ${spacesLeft === 1 ? 'space is' : 'spaces are'} left for ${children} children. What would you like to do?`}
          legendSize="m"
          error={error}
          items={[
            {
              value: 'waitlist',
              text: `Book ${spacesLeft} ${spacesLeft === 1 ? 'place' : 'places'} now and put the others on the waiting list`,
              hint: 'Places are given in the order children are listed. If a space comes up, we book it and email you',
            },
            { value: 'nothing', text: 'Do not book anything' },
          ]}
        />
      ) : null}
      <ButtonGroup>
        <Button name="intent" value="confirm">
          Confirm booking
        </Button>
      </ButtonGroup>
    </>
  )
}
