// One email from the outbox, in full, so staff can read it (and its links) when no SMTP server is set up.
// The trailing underscore in the file name keeps this page out of the outbox list's layout.
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { Form, useLoaderData } from 'react-router'
import { can } from '~/auth/permissions'
import { requireStaff } from '~/auth/session.server'
import { BackLink, Button, Details, SummaryList, Tag, type TagColour } from '~/components'
import { parseId } from '~/domain/ids'
import { viewOutboxEmail } from '~/domain/outbox-viewer.server'
import { formatLondonDate, formatLondonTime } from '~/time/london-time'
import type { IcsMethod, OutboxStatus } from '../../db/schema'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.email.subject ?? 'Email'} – Outbox – Join In staff` },
]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'outbox:read')
  const id = parseId(params.id)
  const email = id
    ? await viewOutboxEmail(context.db, id, { id: staff.id, role: staff.role, ip: context.clientIp })
    : null
  if (!email) throw new Response('Not found', { status: 404 })
  return { email, canRetry: can(staff.role, 'bookings:write') }
}

const STATUS_TAGS: Record<OutboxStatus, { text: string; colour: TagColour }> = {
  queued: { text: 'Queued', colour: 'grey' },
  sending: { text: 'Sending', colour: 'blue' },
  sent: { text: 'Sent', colour: 'green' },
  failed: { text: 'Failed', colour: 'red' },
}

const INVITE_METHODS: Record<IcsMethod, string> = {
  REQUEST: 'an invitation to add to a calendar',
  CANCEL: 'a cancellation that removes the event from a calendar',
  PUBLISH: 'an event to add to a calendar',
}

function formatInstant(instant: string): string {
  return `${formatLondonDate(instant)} at ${formatLondonTime(instant)}`
}

/**
 * The plain-text body, line by line. (The CSP allows no inline styles, and govuk-frontend has no
 * pre-wrap class, so line breaks are kept with <br> and long links wrap with the break-word class.)
 */
function PlainText({ text, id }: { text: string; id?: string }) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  return (
    <div className="govuk-inset-text govuk-!-text-break-word" id={id}>
      {lines.map((line, index) => (
        <span key={index}>
          {line.replace(/ {2}/g, ' \u00a0')}
          {index < lines.length - 1 ? <br /> : null}
        </span>
      ))}
    </div>
  )
}

export default function StaffOutboxEmail() {
  const { email, canRetry } = useLoaderData<typeof loader>()
  const status = STATUS_TAGS[email.status]
  return (
    <>
      <BackLink href="/staff/outbox">Outbox</BackLink>
      <span className="govuk-caption-l">Email</span>
      <h1 className="govuk-heading-l govuk-!-text-break-word">{email.subject}</h1>
      <SummaryList
        rows={[
          { key: 'To', value: <span className="govuk-!-text-break-word">{email.to_address}</span> },
          { key: 'Kind', value: email.kind },
          { key: 'Status', value: <Tag colour={status.colour}>{status.text}</Tag> },
          { key: 'Written', value: formatInstant(email.created_at) },
          ...(email.sent_at ? [{ key: 'Sent', value: formatInstant(email.sent_at) }] : []),
          ...(email.status === 'queued' && email.attempts > 0
            ? [{ key: 'Next try', value: formatInstant(email.next_attempt_at) }]
            : []),
          { key: 'Attempts', value: String(email.attempts) },
          ...(email.last_error
            ? [{ key: 'Last error', value: <span className="govuk-!-text-break-word">{email.last_error}</span> }]
            : []),
          {
            key: 'Calendar invite',
            value: email.ics && email.ics_method ? `Yes: ${INVITE_METHODS[email.ics_method]}` : 'No',
          },
          ...(email.html_body ? [{ key: 'Formatted version', value: 'Yes, as well as the plain text below' }] : []),
          ...(email.booking_id ? [{ key: 'Booking', value: String(email.booking_id) }] : []),
          { key: 'Message-ID', value: <span className="govuk-!-text-break-word">{email.message_id}</span> },
        ]}
      />
      {canRetry && email.status === 'failed' ? (
        <Form method="post" action="/staff/outbox">
          <input type="hidden" name="id" value={email.id} />
          <Button name="intent" value="retry" variant="secondary">
            Retry sending this email
          </Button>
        </Form>
      ) : null}
      <h2 className="govuk-heading-m">Text of the email</h2>
      <PlainText text={email.text_body} id="email-text" />
      {email.ics ? (
        <Details summary="Show the calendar invite (iCalendar)">
          <PlainText text={email.ics} />
        </Details>
      ) : null}
    </>
  )
}
