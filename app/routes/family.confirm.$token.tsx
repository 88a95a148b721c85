// The link in a new booking's first email. Opening it (GET) changes nothing — mail scanners open
// links — and asks the parent to confirm; the button (POST) proves the address, confirms the
// held places (or puts a new family's first booking in front of staff) and signs this device in.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { linksFor } from '~/base-url.server'
import { startFamilySession } from '~/auth/family-session.server'
import { Button, SummaryList } from '~/components'
import { LinkNotWorking } from '~/components/link-not-working'
import { joinNames } from '~/domain/names'
import { confirmFamilyBooking, previewConfirmation } from '~/domain/family-confirmation.server'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'
import { ActivitiesLink } from '~/components/activities-link'

export const meta: MetaFunction = () => [
  { title: 'Confirm your booking – Join In' },
  // the address holds the secret token
  { name: 'robots', content: 'noindex' },
]

const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }

export async function loader({ params, context }: LoaderFunctionArgs) {
  const preview = await previewConfirmation(context.db, params.token ?? '', context.now())
  return data({ preview }, { status: preview ? 200 : 410, headers: NO_STORE })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const result = await confirmFamilyBooking(context.db, params.token ?? '', linksFor(request, context), context.now())
  if (result.status === 'invalid') return data({ result }, { status: 410, headers: NO_STORE })
  context.nudgeOutbox?.()
  const cookie = await startFamilySession(context, result.familyId)
  const doubles = result.doublePlaceIds.length ? `&doubles=${result.doublePlaceIds.join('-')}` : ''
  return redirect(`/family/confirmed?reference=${result.reference}${doubles}`, {
    headers: { ...NO_STORE, 'Set-Cookie': cookie },
  })
}

export default function ConfirmBooking() {
  const { preview } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  if (actionData?.result.status === 'invalid' || !preview) return <LinkNotWorking />
  if (preview.names.length === 0) {
    // every place was cancelled before the address was confirmed: nothing is left to confirm
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">This booking has been cancelled</h1>
          <p className="govuk-body">{`Every place on ${preview.activity.title} (${preview.reference}) was cancelled, so there is nothing to confirm.`}</p>
          <ActivitiesLink />
        </div>
      </div>
    )
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Confirm your booking</h1>
        <SummaryList
          rows={[
            { key: 'Session', value: preview.activity.title },
            preview.seriesDates.length > 1
              ? {
                  key: 'Dates',
                  value: (
                    <ul className="govuk-list">
                      {preview.seriesDates.map((d) => (
                        <li key={d.starts_at}>
                          {`${formatLondonDate(d.starts_at)}, ${formatLondonTimeRange(d.starts_at, d.ends_at)} (UK time)`}
                        </li>
                      ))}
                    </ul>
                  ),
                }
              : {
                  key: 'When',
                  value: `${formatLondonDate(preview.activity.starts_at)}, ${formatLondonTimeRange(preview.activity.starts_at, preview.activity.ends_at)} (UK time)`,
                },
            { key: 'Children', value: joinNames(preview.names) },
            ...(preview.seriesDates.length > 1 ? [] : [{ key: 'Reference', value: preview.reference }]),
          ]}
        />
        <p className="govuk-body">Confirming also signs you in on this device for 30 days.</p>
        <Form method="post">
          <Button>Confirm booking</Button>
        </Form>
      </div>
    </div>
  )
}
