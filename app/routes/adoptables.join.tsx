import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import autocompleteStyles from 'accessible-autocomplete/dist/accessible-autocomplete.min.css?url'
import { allow } from '~/auth/rate-limit.server'
import { linksFor } from '~/base-url.server'
import { BackLink, Button, DateInput, ErrorSummary, Panel, Select, Textarea, TextInput } from '~/components'
import { useCouncilSearch } from '~/components/council-search'
import { Honeypot, HONEYPOT_FIELD } from '~/components/honeypot'
import { errorList } from '~/components/error-summary'
import { getPublicActivity } from '~/domain/activities.server'
import { authorityGroups, listAuthorities } from '~/domain/authorities.server'
import { bookingWindowState } from '~/domain/booking-window'
import { parseId } from '~/domain/ids'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'
import { REGISTRATION_FIELD_ORDER, parseRegistration } from '~/domain/member-form'
import { registerMember } from '~/domain/members.server'
import { withoutControlCharacters } from '~/text/control-characters'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: autocompleteStyles }]
export const meta: MetaFunction = () => [{ title: 'Join Adoptables – Join In' }]

async function loadMeeting(request: Request, context: LoaderFunctionArgs['context']) {
  const url = new URL(request.url)
  const id = parseId(url.searchParams.get('meeting') ?? undefined)
  const meeting = id ? await getPublicActivity(context.db, id) : null
  if (!meeting || meeting.kind !== 'adoptables') throw new Response('Not found', { status: 404 })
  return meeting
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const meeting = await loadMeeting(request, context)
  return {
    meeting,
    window: bookingWindowState(meeting),
    authorityGroups: authorityGroups(await listAuthorities(context.db)),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (
    !(await allow(
      context.db,
      `adoptables-join:${context.clientIp}`,
      context.config.bookingRateLimit,
      10 * 60_000,
      context.now(),
    ))
  ) {
    throw new Response('Too many requests', { status: 429 })
  }
  const meeting = await loadMeeting(request, context)
  const values: Record<string, string> = {}
  for (const [key, value] of await request.formData())
    if (typeof value === 'string' && key.length < 40) values[key] = withoutControlCharacters(value.slice(0, 2000))
  if (values[HONEYPOT_FIELD])
    return data({ errors: { firstName: 'Sorry, we could not take this' }, values, sentTo: null }, { status: 400 })
  const authorities = await listAuthorities(context.db)
  const parsed = parseRegistration(values, {
    meetingStartsAt: meeting.starts_at,
    authorityCodes: new Set(authorities.map((a) => a.code)),
  })
  if (!parsed.ok) return data({ errors: parsed.errors, values, sentTo: null }, { status: 400 })
  const result = await registerMember(
    context.db,
    { ...parsed.value, meetingId: meeting.id },
    linksFor(request, context),
  )
  context.nudgeOutbox?.()
  switch (result.status) {
    case 'registered':
    case 'pending-consent':
    case 'emailed-existing-link':
      // One answer for new and existing members: the screen never tells whoever typed an email
      // whether that person is already signed up.
      return data({
        errors: {} as Record<string, string>,
        values: {} as Record<string, string>,
        sentTo: parsed.value.email,
        // Under 13 the email that matters went to the parent or carer: the page says so.
        parentEmail: parsed.underConsentAge ? parsed.value.parentEmail : null,
        // the panel's title is the page's
        pageTitle: parsed.underConsentAge ? 'We have asked your parent or carer' : 'Check your email',
      })
    case 'needs-parent-email':
      return data(
        {
          errors: { parentEmail: 'Enter your parent or carer’s email address, because you are under 13' },
          values,
          sentTo: null,
        },
        { status: 400 },
      )
    case 'age-out-of-range':
      return data(
        {
          errors: {
            dob: `Adoptables is for young people aged 12 to 18. You will be ${result.age} on the day of this meeting`,
          },
          values,
          sentTo: null,
        },
        { status: 400 },
      )
    case 'unknown-authority':
      return data(
        { errors: { authority: 'Choose a council area from the list' }, values, sentTo: null },
        { status: 400 },
      )
    case 'meeting-not-found':
      throw new Response('Not found', { status: 404 })
  }
}

export default function JoinAdoptables() {
  const { meeting, window, authorityGroups } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  useCouncilSearch('authority')
  if (actionData?.sentTo) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {'parentEmail' in actionData && actionData.parentEmail ? (
            <>
              <Panel title="We have asked your parent or carer">{`We have sent an email to ${actionData.parentEmail}`}</Panel>
              <h2 className="govuk-heading-m">What happens next</h2>
              <p className="govuk-body">
                Because you are under 13, the email asks your parent or carer if it is OK for you to join Adoptables.
                Ask them to open it and use the link in it.
              </p>
              <p className="govuk-body">
                {`When they say yes, we will email you at ${actionData.sentTo} with your link and book you on the meeting.`}{' '}
                Until then you cannot join meetings.
              </p>
              <p className="govuk-body">
                {`We have also sent an email to you at ${actionData.sentTo}.`} If you have signed up before, we have
                emailed only you, not your parent or carer.
              </p>
            </>
          ) : (
            <>
              <Panel title="Check your email">{`We have sent an email to ${actionData.sentTo}`}</Panel>
              <h2 className="govuk-heading-m">What happens next</h2>
              <p className="govuk-body">
                Open the email and use the link in it to see your meeting and the joining link. The link is just for
                you.
              </p>
            </>
          )}
          <p className="govuk-body">If nothing arrives in 10 minutes, check your junk folder.</p>
        </div>
      </div>
    )
  }
  const errors: Record<string, string> = actionData?.errors ?? {}
  const v = (name: string) => actionData?.values?.[name] ?? ''
  return (
    <>
      <BackLink href="/adoptables">Adoptables</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errorList(errors, REGISTRATION_FIELD_ORDER, { dob: 'dob-day' })} />
          <span className="govuk-caption-l">{meeting.title}</span>
          <h1 className="govuk-heading-l">Join Adoptables</h1>
          <p className="govuk-body">
            {formatLondonDate(meeting.starts_at)}, {formatLondonTimeRange(meeting.starts_at, meeting.ends_at)}, online
            on Microsoft Teams.
          </p>
          {window !== 'open' ? (
            <p className="govuk-body">
              Sign-up for this meeting has closed. Choose another meeting on the{' '}
              <a className="govuk-link" href="/adoptables">
                Adoptables page
              </a>
              .
            </p>
          ) : (
            <Form method="post" noValidate>
              <Honeypot />
              <TextInput
                id="firstName"
                label="Your first name"
                autoComplete="given-name"
                defaultValue={v('firstName')}
                error={errors.firstName}
              />
              <DateInput
                id="dob"
                legend="Your date of birth"
                hint="For example, 27 3 2011"
                autoComplete="bday"
                error={errors.dob}
                value={{ day: v('dob-day'), month: v('dob-month'), year: v('dob-year') }}
              />
              <TextInput
                id="email"
                label="Your email address"
                hint="We send your link and meeting details here"
                type="email"
                autoComplete="email"
                spellCheck={false}
                defaultValue={v('email')}
                error={errors.email}
              />
              <Select
                id="authority"
                label="Which council area do you live in?"
                hint="If you are not sure, ask the adult you live with"
                defaultValue={v('authority')}
                error={errors.authority}
                options={[{ value: '', text: 'Choose your council' }]}
                groups={authorityGroups}
              />
              <TextInput
                id="parentEmail"
                label="Your parent or carer’s email address (only if you are under 13)"
                hint="If you are under 13, we ask them to say yes before you can join"
                type="email"
                spellCheck={false}
                defaultValue={v('parentEmail')}
                error={errors.parentEmail}
              />
              <Textarea
                id="notes"
                label="Anything you would like us to know (optional)"
                hint="For example, something that would help you take part"
                rows={3}
                defaultValue={v('notes')}
                error={errors.notes}
              />
              <p className="govuk-body">
                We use your details to run Adoptables and keep you safe. This is part of the council’s work for adopted
                young people, so you do not need to tick a box to agree.{' '}
                <a className="govuk-link" href="/adoptables/privacy">
                  What we do with your details
                </a>
              </p>
              <Button>Sign up</Button>
            </Form>
          )}
        </div>
      </div>
    </>
  )
}
