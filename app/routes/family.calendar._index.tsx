import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, redirect, useActionData, useLoaderData } from 'react-router'
import { requireFamily } from '~/auth/family-session.server'
import { baseUrl } from '~/base-url.server'
import { BackLink, Button, ButtonGroup, NotificationBanner, WarningText } from '~/components'
import { feedStatus, newFeedToken, stopFeed } from '~/domain/family-bookings.server'
import { feedFormSchema } from '~/domain/family-bookings-form'
import { formValues } from '~/domain/form-fields'

// The family's private calendar link: made here (shown once: only its hash is kept), replaced by a
// new one, or stopped. The feed itself is family.calendar.$token.ts.

export const meta: MetaFunction = () => [
  { title: 'Your calendar link – Join In' },
  { name: 'robots', content: 'noindex' },
]

const NO_STORE = { 'Cache-Control': 'no-store' }

export async function loader({ request, context }: LoaderFunctionArgs) {
  const family = await requireFamily(request, context)
  const { active } = await feedStatus(context.db, family.id)
  const stopped = new URL(request.url).searchParams.get('stopped') === '1'
  return data({ active, stopped: stopped && !active }, { headers: NO_STORE })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const family = await requireFamily(request, context)
  const parsed = feedFormSchema.safeParse(formValues(await request.formData()))
  if (!parsed.success) throw new Response('Bad request', { status: 400 })
  if (parsed.data.intent === 'stop') {
    await stopFeed(context.db, family.id, context.now())
    return redirect('/family/calendar?stopped=1')
  }
  const token = await newFeedToken(context.db, family.id, context.now())
  // A path ending .ics, which some calendar apps look for; the feed answers without it too.
  return data({ feedUrl: `${baseUrl(request, context)}/family/calendar/${token}.ics` }, { headers: NO_STORE })
}

export default function CalendarLink() {
  const { active, stopped } = useLoaderData<typeof loader>()
  const created = useActionData<typeof action>()
  return (
    <>
      <BackLink href="/family/bookings">Back to your bookings</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {stopped ? (
            <NotificationBanner success>
              Your calendar link has stopped working. Calendars that used it will stop showing your sessions.
            </NotificationBanner>
          ) : null}
          <h1 className="govuk-heading-l">Your calendar link</h1>
          <p className="govuk-body">
            A private link that puts your children&apos;s confirmed sessions, with their joining links, into your
            calendar app, and keeps them up to date when a session changes or a place is cancelled.
          </p>
          <WarningText>
            Anyone with the link can see your sessions and join them. Do not share it or post it anywhere.
          </WarningText>
          {created ? <NewLink feedUrl={created.feedUrl} /> : null}
          {active && !created ? (
            <p className="govuk-body">
              You have a calendar link. We cannot show it again. If you have lost it, or shared it by mistake, make a
              new one: the old one stops working.
            </p>
          ) : null}
          <Form method="post">
            {active ? (
              <ButtonGroup>
                <Button name="intent" value="create" variant="secondary">
                  Make a new calendar link
                </Button>
                <Button name="intent" value="stop" variant="warning">
                  Stop this link
                </Button>
              </ButtonGroup>
            ) : (
              <Button name="intent" value="create">
                Create a calendar link
              </Button>
            )}
          </Form>
        </div>
      </div>
    </>
  )
}

/** The link just made, shown this once, with how to subscribe to it in the common calendar apps. */
function NewLink({ feedUrl }: { feedUrl: string }) {
  const webcal = feedUrl.replace(/^https?:\/\//, 'webcal://')
  return (
    <>
      <div className="govuk-panel govuk-panel--confirmation govuk-!-text-align-left">
        <h2 className="govuk-panel__title govuk-!-font-size-27">Your new calendar link</h2>
      </div>
      <div className="govuk-form-group">
        <label className="govuk-label govuk-label--s" htmlFor="feed-url">
          Your calendar link
        </label>
        <div id="feed-url-hint" className="govuk-hint">
          Copy it now: we show it only once.
        </div>
        <input
          className="govuk-input"
          id="feed-url"
          type="text"
          readOnly
          value={feedUrl}
          aria-describedby="feed-url-hint"
          spellCheck={false}
        />
      </div>
      <h2 className="govuk-heading-m">Add it to your calendar</h2>
      <h3 className="govuk-heading-s">Google Calendar</h3>
      <p className="govuk-body">
        On a computer, open Google Calendar. Next to &lsquo;Other calendars&rsquo;, select +, then &lsquo;From
        URL&rsquo;. Paste the link and select &lsquo;Add calendar&rsquo;. It then shows on your phone too.
      </p>
      <h3 className="govuk-heading-s">Outlook</h3>
      <p className="govuk-body">
        In Outlook on the web or Outlook.com, open the calendar, select &lsquo;Add calendar&rsquo;, then
        &lsquo;Subscribe from web&rsquo;. Paste the link, give it a name and select &lsquo;Import&rsquo;.
      </p>
      <h3 className="govuk-heading-s">Apple Calendar (iPhone, iPad or Mac)</h3>
      <p className="govuk-body">
        <a className="govuk-link" href={webcal}>
          Open the link in your calendar app
        </a>{' '}
        and choose &lsquo;Subscribe&rsquo;. Or on an iPhone, go to Settings, then Calendar, Accounts, Add Account,
        Other, &lsquo;Add Subscribed Calendar&rsquo;, and paste the link.
      </p>
      <p className="govuk-body">Calendar apps check the link every few hours, so a change can take a while to show.</p>
    </>
  )
}
