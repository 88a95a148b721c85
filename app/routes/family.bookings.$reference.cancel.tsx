import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, redirect, useActionData, useLoaderData } from 'react-router'
import { requireFamily } from '~/auth/family-session.server'
import { linksFor } from '~/base-url.server'
import { BackLink, Button, ButtonGroup, SummaryList } from '~/components'
import type { CancelCheck } from '~/domain/cancellations.server'
import { cancelFamilyPlaces, checkFamilyCancellation } from '~/domain/family-bookings.server'
import { cancelConfirmSchema, cancelTargetSchema } from '~/domain/family-bookings-form'
import { formValues } from '~/domain/form-fields'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'

// The check page before a signed-in family cancels one child's place (?place=…) or the whole
// booking (GOV.UK "check before you act"): looking changes nothing, only the confirm post does.

export const meta: MetaFunction = () => [{ title: 'Cancel a place – Join In' }, { name: 'robots', content: 'noindex' }]

const NO_STORE = { 'Cache-Control': 'no-store' }

/** The booking and place the address names; a malformed one is a 404 like someone else's. */
function targetOf(request: Request, reference: string | undefined) {
  const place = new URL(request.url).searchParams.get('place')
  const parsed = cancelTargetSchema.safeParse({ reference, place: place ?? undefined })
  if (!parsed.success) throw new Response('Not found', { status: 404 })
  return parsed.data
}

type Step = Exclude<CancelCheck, { status: 'not-found' } | { status: 'too-late' }> & {
  reference: string
  placeId: number | null
}

function stepOf(result: CancelCheck, reference: string, placeId: number | null): Step {
  if (result.status === 'not-found') throw new Response('Not found', { status: 404 })
  if (result.status === 'too-late') throw redirect('/family/bookings?notice=too-late')
  return { ...result, reference, placeId }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const family = await requireFamily(request, context)
  const { reference, place } = targetOf(request, params.reference)
  const which = place ? [place] : 'all'
  const result = await checkFamilyCancellation(context.db, family.id, reference, which, context.now())
  return data(stepOf(result, reference, place ?? null), { headers: NO_STORE })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const family = await requireFamily(request, context)
  const target = targetOf(request, params.reference)
  const form = cancelConfirmSchema.safeParse(formValues(await request.formData()))
  if (!form.success) throw new Response('Bad request', { status: 400 })
  const place = form.data.place ?? target.place
  const which = place ? [place] : 'all'
  const result = await cancelFamilyPlaces(
    context.db,
    family.id,
    target.reference,
    which,
    linksFor(request, context),
    context.now(),
  )
  if (result.status === 'cancelled') {
    context.nudgeOutbox?.()
    return redirect(`/family/bookings?cancelled=${result.placeIds.join('-')}`)
  }
  // A repeated confirm (a double click, the back button) is answered plainly and does nothing more.
  return data(stepOf(result, target.reference, place ?? null), { headers: NO_STORE })
}

export default function CancelPlace() {
  const checked = useLoaderData<typeof loader>()
  const repeated = useActionData<typeof action>()
  const step = repeated ?? checked
  const back = '/family/bookings'
  const what = `${step.whose} on ${step.title}, ${formatLondonDate(step.startsAt)}`
  if (step.status === 'already-cancelled') {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">
            {step.wholeBooking ? 'This booking was already cancelled' : `${step.whose} was already cancelled`}
          </h1>
          <p className="govuk-body">{`${what}, was already cancelled. There is nothing more to do.`}</p>
          <p className="govuk-body">
            <a className="govuk-link" href={back}>
              Back to your bookings
            </a>
          </p>
        </div>
      </div>
    )
  }
  const whole = step.placeId === null
  return (
    <>
      <BackLink href={back}>Back to your bookings</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{`Booking ${step.reference}`}</span>
          <h1 className="govuk-heading-l">
            {whole
              ? `Are you sure you want to cancel the whole booking for ${step.title}?`
              : `Are you sure you want to cancel ${step.whose} on ${step.title}?`}
          </h1>
          <p className="govuk-body">{`${what}, will be cancelled.`}</p>
          <SummaryList
            rows={[
              { key: 'Session', value: step.title },
              { key: 'Date', value: formatLondonDate(step.startsAt) },
              { key: 'Time', value: `${formatLondonTimeRange(step.startsAt, step.endsAt)} (UK time)` },
            ]}
          />
          <p className="govuk-body">
            {`We will email ${step.email ?? 'you'} to confirm.`}
            {step.freesSpace ? ' The space goes to the next child on the waiting list, so it cannot be undone.' : ''}
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="confirm" />
            {step.placeId ? <input type="hidden" name="place" value={step.placeId} /> : null}
            <ButtonGroup>
              <Button variant="warning">{whole ? 'Yes, cancel the whole booking' : `Yes, cancel ${step.whose}`}</Button>
              <a className="govuk-link" href={back}>
                {whole ? 'No, keep the booking' : `No, keep ${step.whose}`}
              </a>
            </ButtonGroup>
          </Form>
        </div>
      </div>
    </>
  )
}
