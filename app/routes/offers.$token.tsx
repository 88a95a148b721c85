// The claim link in a "A place has come up" email (offers.server.ts). Opening it (GET) changes
// nothing; the one button claims: the first family to press it gets the place, confirmed at once
// (the joining link comes by email, never on this page); a later one is told the place has been
// taken and stays on the waiting list. The offer ends at the booking close.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { linksFor } from '~/base-url.server'
import { Button, Panel, SummaryList } from '~/components'
import { joinNames } from '~/domain/names'
import { claimOffer, offerPage, type OfferState } from '~/domain/offers.server'
import { claimFormSchema, linkTokenSchema } from '~/domain/place-release-form'
import { formatLondonDate, formatLondonTime, formatLondonTimeRange } from '~/time/london-time'

/** The page's heading, as its title; `claimed`: the claim was just made by this press. */
function headingOf(state: OfferState, claimed: boolean): string {
  switch (state.status) {
    case 'not-found':
      return 'This link does not work'
    case 'open':
      return `${state.names.length > 1 ? 'Places have' : 'A place has'} come up`
    case 'claimed':
      return claimed && !state.again
        ? state.names.length > 1
          ? 'Places booked'
          : 'Place booked'
        : 'You have claimed this place'
    case 'taken':
      return 'Sorry, this place has been taken'
    case 'ended':
      return 'This offer has ended'
  }
}

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `${loaded ? headingOf(loaded.state, false) : 'Claim a place'} – Join In` },
  // the address holds the secret token
  { name: 'robots', content: 'noindex' },
]

const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }

function tokenOf(token: string | undefined): string {
  const parsed = linkTokenSchema.safeParse(token)
  return parsed.success ? parsed.data : ''
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const state = await offerPage(context.db, tokenOf(params.token), context.now())
  return data({ state }, { status: state.status === 'not-found' ? 404 : 200, headers: NO_STORE })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = claimFormSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!form.success) throw new Response('Bad request', { status: 400 })
  const state = await claimOffer(context.db, tokenOf(params.token), linksFor(request, context), context.now())
  if (state.status === 'claimed') context.nudgeOutbox?.()
  return data(
    { state, pageTitle: headingOf(state, true) },
    { status: state.status === 'not-found' ? 404 : 200, headers: NO_STORE },
  )
}

function when(s: { startsAt: string; endsAt: string }): string {
  return `${formatLondonDate(s.startsAt)}, ${formatLondonTimeRange(s.startsAt, s.endsAt)} (UK time)`
}

function Offer({ state, claimed }: { state: OfferState; claimed: boolean }) {
  switch (state.status) {
    case 'not-found':
      return (
        <>
          <h1 className="govuk-heading-l">{headingOf(state, claimed)}</h1>
          <p className="govuk-body">Check you copied the whole link from the email.</p>
        </>
      )
    case 'open': {
      const plural = state.names.length > 1
      return (
        <>
          <h1 className="govuk-heading-l">{headingOf(state, claimed)}</h1>
          <SummaryList
            rows={[
              { key: 'Session', value: state.title },
              { key: 'When', value: when(state) },
              { key: plural ? 'Children' : 'Child', value: joinNames(state.names) },
            ]}
          />
          <p className="govuk-body">
            We have told other families on the waiting list too. The first to claim gets {plural ? 'them' : 'it'}. You
            can claim until booking closes at {formatLondonTime(state.offerEndsAt)} on{' '}
            {formatLondonDate(state.offerEndsAt)} (UK time).
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="claim" />
            <Button>{plural ? 'Claim the places' : 'Claim the place'}</Button>
          </Form>
        </>
      )
    }
    case 'claimed':
      return (
        <>
          {claimed && !state.again ? (
            <Panel title={headingOf(state, claimed)}>
              {joinNames(state.names)} {state.names.length > 1 ? 'have places' : 'has a place'} on {state.title}
            </Panel>
          ) : (
            <h1 className="govuk-heading-l">{headingOf(state, claimed)}</h1>
          )}
          <p className="govuk-body">{when(state)}</p>
          <p className="govuk-body">We have emailed you the joining link and a calendar invite.</p>
        </>
      )
    case 'taken':
      return (
        <>
          <h1 className="govuk-heading-l">{headingOf(state, claimed)}</h1>
          <p className="govuk-body">
            Another family claimed it first. You are still on the waiting list for {state.title} on {when(state)}, and
            we will email you if another place comes up.
          </p>
        </>
      )
    case 'ended':
      return (
        <>
          <h1 className="govuk-heading-l">{headingOf(state, claimed)}</h1>
          <p className="govuk-body">
            Booking for {state.title} on {when(state)} has closed, or the place is no longer available.
          </p>
          <p className="govuk-body">
            <a className="govuk-link" href="/">
              See other activities
            </a>
          </p>
        </>
      )
  }
}

export default function ClaimOffer() {
  const loaded = useLoaderData<typeof loader>()
  const posted = useActionData<typeof action>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Offer state={posted?.state ?? loaded.state} claimed={Boolean(posted)} />
      </div>
    </div>
  )
}
