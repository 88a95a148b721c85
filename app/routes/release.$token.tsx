// "Can't come? Release your place": the link in every reminder. Opening it (GET) changes nothing —
// mail scanners open links — and shows one button; a booking with several children lists them,
// all ticked, so a parent releases one child or all. No sign-in: the token is the key.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { linksFor } from '~/base-url.server'
import { Button, Checkboxes, ErrorSummary, Panel, SummaryList } from '~/components'
import { fieldErrors } from '~/domain/form-fields'
import {
  linkTokenSchema,
  RELEASE_PLACES_FIELD,
  releaseFormSchema,
  releaseFormValues,
} from '~/domain/place-release-form'
import { releasePage, releasePlaces, type ReleasePage, type ReleaseResult } from '~/domain/place-release.server'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'

/** The page's heading in each state, also its title */
const HEADING = {
  'not-found': 'This link does not work',
  released: 'Place released',
  'already-released': 'This place has already been released',
  started: 'This session has started',
  'session-cancelled': 'This session has been cancelled',
} as const

/** The heading of what the link shows, or of what pressing the button did */
function headingOf(state: ReleasePage | ReleaseResult): string {
  if (state.status !== 'releasable') return HEADING[state.status]
  return state.places.length > 1 ? 'Can’t come? Release your places' : 'Can’t come? Release your place'
}

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `${loaded ? headingOf(loaded.page) : 'Release your place'} – Join In` },
  // the address holds the secret token
  { name: 'robots', content: 'noindex' },
]

const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }

function tokenOf(token: string | undefined): string {
  const parsed = linkTokenSchema.safeParse(token)
  return parsed.success ? parsed.data : ''
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const page = await releasePage(context.db, tokenOf(params.token), context.now())
  return data({ page }, { status: page.status === 'not-found' ? 404 : 200, headers: NO_STORE })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = tokenOf(params.token)
  const posted = releaseFormValues(await request.formData())
  const form = releaseFormSchema.safeParse(posted)
  if (!form.success) {
    const errors = fieldErrors(form.error)
    if (!errors[RELEASE_PLACES_FIELD]) throw new Response('Bad request', { status: 400 })
    const page = await releasePage(context.db, token, context.now())
    return data(
      // what was ticked (nothing, or not a place), kept to show again
      { page, result: null, error: errors[RELEASE_PLACES_FIELD], ticked: posted.places.slice(0, 20) },
      { status: page.status === 'not-found' ? 404 : 400, headers: NO_STORE },
    )
  }
  const result = await releasePlaces(context.db, token, form.data.places, linksFor(request, context), context.now())
  if (result.status === 'released') context.nudgeOutbox?.()
  return data(
    { page: null, result, error: null, ticked: [], pageTitle: headingOf(result) },
    { status: result.status === 'not-found' ? 404 : 200, headers: NO_STORE },
  )
}

function when(p: { startsAt: string; endsAt: string }): string {
  return `${formatLondonDate(p.startsAt)}, ${formatLondonTimeRange(p.startsAt, p.endsAt)} (UK time)`
}

function NotFound() {
  return (
    <>
      <h1 className="govuk-heading-l">{HEADING['not-found']}</h1>
      <p className="govuk-body">Check you copied the whole link from the reminder email.</p>
      <p className="govuk-body">
        <a className="govuk-link" href="/family/sign-in">
          Sign in to see your bookings
        </a>
      </p>
    </>
  )
}

function Outcome({ result }: { result: ReleaseResult }) {
  switch (result.status) {
    case 'not-found':
      return <NotFound />
    case 'released':
      return (
        <>
          <Panel title={headingOf(result)}>
            {result.whose.replace(/'/g, '’')} on {result.title} {result.whose.endsWith('places') ? 'have' : 'has'} been
            released
          </Panel>
          <p className="govuk-body">
            Thank you for letting us know. The space goes to a child on the waiting list. We have emailed you to say so.
          </p>
          <p className="govuk-body">
            <a className="govuk-link" href="/">
              See other activities
            </a>
          </p>
        </>
      )
    case 'already-released':
      return (
        <>
          <h1 className="govuk-heading-l">{headingOf(result)}</h1>
          <p className="govuk-body">
            There is nothing more to do: {result.title} on {when(result)} has no place left on this booking.
          </p>
        </>
      )
    case 'started':
      return <Started title={result.title} at={when(result)} />
    case 'session-cancelled':
      return (
        <>
          <h1 className="govuk-heading-l">{headingOf(result)}</h1>
          <p className="govuk-body">
            The team cancelled {result.title} on {when(result)}, and emailed everyone booked. There is no place to
            release.
          </p>
        </>
      )
  }
}

function Started({ title, at }: { title: string; at: string }) {
  return (
    <>
      <h1 className="govuk-heading-l">{HEADING.started}</h1>
      <p className="govuk-body">
        {title} started at {at}. Places cannot be released once a session has started.
      </p>
    </>
  )
}

function ReleaseForm({
  page,
  error,
  ticked,
}: {
  page: Extract<ReleasePage, { status: 'releasable' }>
  error: string | null
  /** after an error, what was ticked; otherwise everyone is ticked */
  ticked: string[] | null
}) {
  const one = page.places.length === 1
  const who = one ? `${page.places[0]!.name}’s place` : 'places'
  return (
    <>
      <ErrorSummary errors={error ? [{ href: `#${RELEASE_PLACES_FIELD}`, message: error }] : []} />
      <h1 className="govuk-heading-l">{headingOf(page)}</h1>
      <SummaryList
        rows={[
          { key: 'Session', value: page.title },
          { key: 'When', value: when(page) },
          ...(one ? [{ key: 'Child', value: page.places[0]!.name }] : []),
        ]}
      />
      <p className="govuk-body">
        The space goes straight to a child on the waiting list. You cannot undo this, but you can book again if there
        are spaces.
      </p>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="release" />
        {one ? (
          <input type="hidden" name={RELEASE_PLACES_FIELD} value={String(page.places[0]!.id)} />
        ) : (
          <Checkboxes
            id={RELEASE_PLACES_FIELD}
            legend="Whose places do you want to release?"
            legendSize="m"
            hint="Untick anyone who can still come."
            error={error ?? undefined}
            items={page.places.map((p) => ({
              value: String(p.id),
              text: p.name,
              hint: p.waiting ? 'On the waiting list' : undefined,
            }))}
            defaultValues={ticked ?? page.places.map((p) => String(p.id))}
          />
        )}
        <Button variant="warning">Release {who}</Button>
      </Form>
    </>
  )
}

export default function ReleasePlace() {
  const loaded = useLoaderData<typeof loader>()
  const posted = useActionData<typeof action>()
  const page = posted ? posted.page : loaded.page
  let content
  if (posted?.result) content = <Outcome result={posted.result} />
  else if (!page || page.status === 'not-found') content = <NotFound />
  else if (page.status === 'already-released') content = <Outcome result={{ ...page, status: 'already-released' }} />
  else if (page.status === 'started') content = <Started title={page.title} at={when(page)} />
  else if (page.status === 'session-cancelled') content = <Outcome result={page} />
  else content = <ReleaseForm page={page} error={posted?.error ?? null} ticked={posted ? posted.ticked : null} />
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">{content}</div>
    </div>
  )
}
