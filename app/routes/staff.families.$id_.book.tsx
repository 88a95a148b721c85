// Staff book a session for a family (the accessible alternative to the online form): choose the
// session, tick the family's children, book. Capacity, the waiting list, holds and emails are
// exactly as when the family books itself.
import crypto from 'node:crypto'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { linksFor } from '~/base-url.server'
import { requireStaff } from '~/auth/session.server'
import { BackLink, Button, Checkboxes, ErrorSummary, NotificationBanner, Select } from '~/components'
import { parseId } from '~/domain/ids'
import { joinNames } from '~/domain/names'
import { staffBookForFamily, staffBookingPage } from '~/domain/staff-family-booking.server'
import { formatCalendarDate, formatLondonDate, formatLondonTime } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'Book for a family – Join In staff' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:write')
  const activityId = parseId(new URL(request.url).searchParams.get('activity') ?? undefined)
  const page = await staffBookingPage(
    context.db,
    { id: staff.id, ip: context.clientIp },
    parseId(params.id),
    activityId,
    context.now(),
  )
  if (!page) throw new Response('Not found', { status: 404 })
  return data({ ...page, idempotencyKey: crypto.randomUUID() }, { headers: { 'Cache-Control': 'no-store' } })
}

const bookSchema = z.object({
  activityId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  childId: z.array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)).max(50).catch([]),
  idempotencyKey: z.string().regex(/^[\w-]{16,64}$/),
  waitlist: z.literal('yes').optional().catch(undefined),
})

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:write')
  const familyId = parseId(params.id)
  const form = await request.formData()
  const parsed = bookSchema.safeParse({
    activityId: form.get('activityId'),
    childId: form.getAll('childId'),
    idempotencyKey: form.get('idempotencyKey'),
    waitlist: form.get('waitlist') ?? undefined,
  })
  if (!familyId || !parsed.success) throw new Response('Bad request', { status: 400 })
  const { activityId, childId, idempotencyKey, waitlist } = parsed.data
  if (childId.length === 0) return data({ error: 'Select who is coming', done: null }, { status: 400 })
  const result = await staffBookForFamily(
    context.db,
    { id: staff.id, ip: context.clientIp },
    { familyId, activityId, childIds: [...new Set(childId)], idempotencyKey, acceptWaitlist: waitlist === 'yes' },
    linksFor(request, context),
    context.now(),
  )
  switch (result.status) {
    case 'booked':
      context.nudgeOutbox?.()
      return data({
        error: null,
        done: {
          reference: result.reference,
          confirmed: result.confirmed,
          held: result.held,
          waitlisted: result.waitlisted,
        },
      })
    case 'already-submitted':
      return data({ error: null, done: { reference: result.reference, confirmed: [], held: [], waitlisted: [] } })
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'not-enough-spaces':
      return data(
        {
          error: `Only ${result.spacesLeft} ${result.spacesLeft === 1 ? 'space is' : 'spaces are'} left. Tick “Put the others on the waiting list” or choose fewer children`,
          done: null,
        },
        { status: 409 },
      )
    case 'closed':
      return data({ error: 'Booking for this session has closed', done: null }, { status: 409 })
    case 'age-out-of-range':
      return data(
        {
          error: `${joinNames(result.names)} cannot come: this session is for ages ${result.minAge} to ${result.maxAge}`,
          done: null,
        },
        { status: 409 },
      )
    case 'child-already-booked':
      return data(
        {
          error: `${joinNames(result.names)} already ${result.names.length > 1 ? 'have places' : 'has a place'} on this session`,
          done: null,
        },
        { status: 409 },
      )
    case 'too-many-children':
      return data({ error: `You can book up to ${result.max} children at once`, done: null }, { status: 400 })
    case 'unknown-authority':
      return data({ error: 'The family has no council area: add it before booking', done: null }, { status: 409 })
  }
}

export default function BookForFamily() {
  const page = useLoaderData<typeof loader>()
  const outcome = useActionData<typeof action>()
  const name = page.family.contactName ?? page.family.email
  const chosen = page.sessions.find((s) => s.id === page.activityId)
  return (
    <>
      <BackLink href={`/staff/families/${page.family.id}`}>{`Back to ${name}`}</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {outcome?.done ? (
            <NotificationBanner success>
              {`Booked ${outcome.done.reference}.${outcome.done.confirmed.length ? ` ${joinNames(outcome.done.confirmed)} confirmed.` : ''}${outcome.done.held.length ? ` ${joinNames(outcome.done.held)} held until the family confirms its email address (we have emailed them the link).` : ''}${outcome.done.waitlisted.length ? ` ${joinNames(outcome.done.waitlisted)} on the waiting list.` : ''}`}
            </NotificationBanner>
          ) : null}
          <ErrorSummary errors={outcome?.error ? [{ href: '#childId', message: outcome.error }] : []} />
          <span className="govuk-caption-l">{name}</span>
          <h1 className="govuk-heading-l">Book a session for this family</h1>
          {!page.family.confirmed ? (
            <p className="govuk-body">
              This family has not confirmed its email address yet: places are held and we email them a link to confirm.
              The joining link is sent only once they have.
            </p>
          ) : null}
          <Form method="get">
            <Select
              id="activity"
              label="Session"
              defaultValue={page.activityId ? String(page.activityId) : ''}
              options={[
                { value: '', text: 'Choose a session' },
                ...page.sessions.map((s) => ({
                  value: String(s.id),
                  text: `${s.title}, ${formatLondonDate(s.starts_at)} ${formatLondonTime(s.starts_at)} (${s.spacesLeft} ${s.spacesLeft === 1 ? 'space' : 'spaces'} left)`,
                })),
              ]}
            />
            <Button variant="secondary" preventDoubleClick={false}>
              Choose session
            </Button>
          </Form>
          {chosen && page.choices ? (
            <Form method="post">
              <input type="hidden" name="activityId" value={chosen.id} />
              <input type="hidden" name="idempotencyKey" value={page.idempotencyKey} />
              <Checkboxes
                id="childId"
                legend={`Who is coming to ${chosen.title}?`}
                legendSize="m"
                error={outcome?.error ?? undefined}
                items={page.choices.map((c) => ({
                  value: String(c.id),
                  text: c.firstName,
                  hint: c.reason ?? `Born ${formatCalendarDate(c.dateOfBirth)}`,
                  disabled: Boolean(c.reason),
                }))}
              />
              <Checkboxes
                id="waitlist"
                items={[{ value: 'yes', text: 'Put the others on the waiting list if there are not enough spaces' }]}
              />
              <Button>Book</Button>
            </Form>
          ) : null}
        </div>
      </div>
    </>
  )
}
