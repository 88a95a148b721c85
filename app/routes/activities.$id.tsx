import crypto from 'node:crypto'
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import autocompleteStyles from 'accessible-autocomplete/dist/accessible-autocomplete.min.css?url'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { allow } from '~/auth/rate-limit.server'
import { linksFor } from '~/base-url.server'
import { BackLink, Button, ButtonGroup, ErrorSummary, InsetText, Radios, SummaryList, WarningText } from '~/components'
import { SpacesTag } from '~/components/activity-summary'
import { BookingFields } from '~/components/booking-fields'
import { HONEYPOT_FIELD } from '~/components/honeypot'
import { errorList } from '~/components/error-summary'
import { getPublicActivity } from '~/domain/activities.server'
import { describeAgeRange } from '~/domain/age'
import { authorityGroups, listAuthorities } from '~/domain/authorities.server'
import {
  bookingFieldAnchors,
  bookingFieldOrder,
  childCountOf,
  childField,
  parseBookingForm,
} from '~/domain/booking-form'
import { bookingWindowState } from '~/domain/booking-window'
import { book } from '~/domain/bookings.server'
import { parseId } from '~/domain/ids'
import { formatLondonDate, formatLondonTime, formatLondonTimeRange } from '~/time/london-time'
import { getNumberSetting, getSetting } from '~/domain/settings.server'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: autocompleteStyles }]

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.activity.title} – Join In` : 'Activity not found – Join In' },
]

async function loadPage(context: LoaderFunctionArgs['context'], idParam: string | undefined) {
  const id = parseId(idParam)
  const [activity, authorities, maxChildren] = await Promise.all([
    id ? getPublicActivity(context.db, id) : null,
    listAuthorities(context.db),
    getNumberSetting(context.db, 'max_children_per_booking'),
  ])
  if (!activity) throw new Response('Not found', { status: 404 })
  return { activity, authorities, maxChildren }
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const [page, eligibilityStatement, terms] = await Promise.all([
    loadPage(context, params.id),
    getSetting(context.db, 'eligibility_statement'),
    getSetting(context.db, 'booking_terms'),
  ])
  return {
    activity: page.activity,
    window: bookingWindowState(page.activity),
    authorityGroups: authorityGroups(page.authorities),
    maxChildren: page.maxChildren,
    eligibilityStatement,
    terms,
  }
}

type Step =
  | { step: 'form'; values: Record<string, string>; errors: Record<string, string>; childCount: number }
  | {
      step: 'check'
      values: Record<string, string>
      childCount: number
      idempotencyKey: string
      spacesLeft: number
      authorityName: string
      choiceError?: string
    }
  | { step: 'already'; reference: string }

const RATE_WINDOW_MS = 10 * 60_000

/** Removes child N from the posted values, moving the later children up one. */
function withoutChild(values: Record<string, string>, index: number, childCount: number): Record<string, string> {
  const next = { ...values }
  const fields = ['firstName', 'dob-day', 'dob-month', 'dob-year', 'supportNeeds']
  for (let i = index; i < childCount; i++) {
    for (const f of fields) {
      const later = values[`child-${i + 1}-${f}`]
      if (later === undefined) delete next[`child-${i}-${f}`]
      else next[`child-${i}-${f}`] = later
    }
  }
  next.childCount = String(Math.max(1, childCount - 1))
  return next
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const page = await loadPage(context, params.id)
  const form = await request.formData()
  const values: Record<string, string> = {}
  for (const [key, value] of form) if (typeof value === 'string' && key.length < 60) values[key] = value.slice(0, 5000)
  const intent = values.intent ?? 'check'
  delete values.intent
  const childCount = childCountOf(values, page.maxChildren)

  if (!allow(`booking-post:${context.clientIp}`, context.config.bookingRateLimit * 10, RATE_WINDOW_MS)) {
    throw new Response('Too many requests', { status: 429 })
  }
  if (values[HONEYPOT_FIELD]) {
    // The honeypot was filled in: a bot. Say nothing useful and book nothing.
    return data<Step>(
      { step: 'form', values, childCount, errors: { contactName: 'Sorry, we could not take this booking' } },
      { status: 400 },
    )
  }
  if (intent === 'add-child') {
    const next = Math.min(page.maxChildren, childCount + 1)
    return data<Step>({ step: 'form', values: { ...values, childCount: String(next) }, errors: {}, childCount: next })
  }
  const removeMatch = /^remove-child-(\d+)$/.exec(intent)
  if (removeMatch) {
    const next = withoutChild(values, Number(removeMatch[1]), childCount)
    return data<Step>({ step: 'form', values: next, errors: {}, childCount: Number(next.childCount) })
  }
  if (intent === 'change') return data<Step>({ step: 'form', values, errors: {}, childCount })

  const parsed = parseBookingForm(values, {
    activity: page.activity,
    authorityCodes: new Set(page.authorities.map((a) => a.code)),
    maxChildren: page.maxChildren,
  })
  if (!parsed.ok) return data<Step>({ step: 'form', values, errors: parsed.errors, childCount }, { status: 400 })

  const authorityName = page.authorities.find((a) => a.code === parsed.value.authorityCode)?.name ?? ''
  const checkStep = (spacesLeft: number, choiceError?: string): Step => ({
    step: 'check',
    values,
    childCount,
    idempotencyKey:
      values.idempotencyKey && /^[\w-]{16,64}$/.test(values.idempotencyKey)
        ? values.idempotencyKey
        : crypto.randomUUID(),
    spacesLeft,
    authorityName,
    choiceError,
  })

  if (intent !== 'confirm') return data(checkStep(page.activity.spacesLeft))

  if (!allow(`booking-confirm:${context.clientIp}`, context.config.bookingRateLimit, RATE_WINDOW_MS)) {
    throw new Response('Too many requests', { status: 429 })
  }
  const idempotencyKey = values.idempotencyKey
  if (!idempotencyKey || !/^[\w-]{16,64}$/.test(idempotencyKey))
    return data(checkStep(page.activity.spacesLeft), { status: 400 })
  const short = page.activity.spacesLeft < parsed.value.children.length
  if (short && values.whenShort !== 'waitlist' && values.whenShort !== 'nothing') {
    return data(checkStep(page.activity.spacesLeft, 'Choose what to do'), { status: 400 })
  }
  if (values.whenShort === 'nothing' && short) return redirect(`/activities/${page.activity.id}?notbooked=1`)

  const result = await book(
    context.db,
    { ...parsed.value, activityId: page.activity.id, idempotencyKey, acceptWaitlist: values.whenShort === 'waitlist' },
    linksFor(request, context),
    { maxChildren: page.maxChildren },
  )
  context.nudgeOutbox?.()
  const formError = (field: string, message: string) =>
    data<Step>({ step: 'form', values, childCount, errors: { [field]: message } }, { status: 409 })
  switch (result.status) {
    case 'booked':
      return redirect(`/bookings/${result.reference}?token=${encodeURIComponent(result.manageToken)}&new=1`)
    case 'already-submitted':
      return data<Step>({ step: 'already', reference: result.reference })
    case 'not-enough-spaces':
      // Spaces went while the parent was checking: ask them again with the new number.
      return data(checkStep(result.spacesLeft, 'Fewer spaces are left than when you started. Choose what to do'), {
        status: 409,
      })
    case 'closed':
      return formError('contactName', 'Booking for this session has closed')
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'age-out-of-range':
      return formError(
        childField(0, 'dob'),
        `This session is for ${describeAgeRange(result.minAge, result.maxAge).toLowerCase()}`,
      )
    case 'child-already-booked':
      return formError(
        childField(0, 'firstName'),
        `${result.names.join(' and ')} already ${result.names.length > 1 ? 'have' : 'has'} a place on this session`,
      )
    case 'too-many-children':
      return formError(childField(0, 'firstName'), `You can book up to ${result.max} children at once`)
    case 'unknown-authority':
      return formError('authority', 'Select a council area from the list')
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
