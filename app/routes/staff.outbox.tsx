import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useLoaderData } from 'react-router'
import { z } from 'zod'
import { can } from '~/auth/permissions'
import { requireStaff } from '~/auth/session.server'
import { Button, ErrorSummary, InsetText, NotificationBanner, Select, Table, Tag, type TagColour } from '~/components'
import { retryFailed } from '~/domain/outbox-retry.server'
import { listOutboxForStaff } from '~/domain/outbox-viewer.server'
import { formatLondonShortDate, formatLondonTime } from '~/time/london-time'
import type { OutboxStatus } from '../../db/schema'

const LIMIT = 200

export const meta: MetaFunction = () => [{ title: 'Outbox – Join In staff' }]

// Listed here, not imported from the .server module, because the page itself renders them.
const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed'] as const satisfies readonly OutboxStatus[]
type Status = (typeof OUTBOX_STATUSES)[number]

const STATUS_TAGS: Record<Status, { text: string; colour: TagColour }> = {
  queued: { text: 'Queued', colour: 'grey' },
  sending: { text: 'Sending', colour: 'blue' },
  sent: { text: 'Sent', colour: 'green' },
  failed: { text: 'Failed', colour: 'red' },
}

// "All" is sent as an empty value.
const statusField = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.enum(OUTBOX_STATUSES).optional())
const filterSchema = z.object({ status: statusField })
const retrySchema = z.object({
  intent: z.literal('retry'),
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  status: statusField.catch(undefined),
})

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'outbox:read')
  const url = new URL(request.url)
  const parsed = filterSchema.safeParse({ status: url.searchParams.get('status') ?? undefined })
  const status = parsed.success ? parsed.data.status : undefined
  const emails = await listOutboxForStaff(context.db, { status, limit: LIMIT }, { id: staff.id, ip: context.clientIp })
  const body = {
    emails,
    status: status ?? '',
    error: parsed.success ? undefined : 'Choose a status from the list',
    notice: url.searchParams.get('notice') ?? '',
    canRetry: can(staff.role, 'bookings:write'),
    sending: Boolean(context.config.smtpUrl),
  }
  return data(body, { status: parsed.success ? 200 : 400 })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:write')
  const parsed = retrySchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('That is not an email that can be retried', { status: 400 })
  const retried = await retryFailed(context.db, parsed.data.id, { userId: staff.id, ip: context.clientIp })
  if (retried) context.nudgeOutbox?.()
  const query = new URLSearchParams()
  if (parsed.data.status) query.set('status', parsed.data.status)
  query.set('notice', retried ? 'retried' : 'not-failed')
  return redirect(`/staff/outbox?${query}`)
}

const NOTICES: Record<string, { text: string; success: boolean }> = {
  retried: { text: 'The email is queued to be sent again', success: true },
  'not-failed': { text: 'That email had not failed, so it was left as it was', success: false },
}

function formatInstant(instant: string): string {
  return `${formatLondonShortDate(instant)}, ${formatLondonTime(instant)}`
}

export default function StaffOutbox() {
  const { emails, status, error, notice, canRetry, sending } = useLoaderData<typeof loader>()
  const banner = NOTICES[notice]
  const statusName = status ? STATUS_TAGS[status as Status].text.toLowerCase() : ''
  return (
    <>
      <ErrorSummary errors={error ? [{ href: '#status', message: error }] : []} />
      {banner ? <NotificationBanner success={banner.success}>{banner.text}</NotificationBanner> : null}
      <h1 className="govuk-heading-l">Outbox</h1>
      <p className="govuk-body">Every email the service writes: booking confirmations, reminders and changes.</p>
      {sending ? null : (
        <InsetText>
          Email is not being sent because no email server is set up (SMTP_URL). Open an email to read it, with its
          links.
        </InsetText>
      )}
      <form method="get" action="/staff/outbox" className="app-filters">
        <Select
          id="status"
          label="Status"
          defaultValue={status}
          error={error}
          options={[
            { value: '', text: 'All' },
            ...OUTBOX_STATUSES.map((s) => ({ value: s, text: STATUS_TAGS[s].text })),
          ]}
        />
        <Button variant="secondary" preventDoubleClick={false}>
          Show emails
        </Button>
      </form>
      {emails.length === 0 ? (
        <p className="govuk-body">{status ? `There are no ${statusName} emails.` : 'There are no emails yet.'}</p>
      ) : (
        <Table
          caption={`${status ? `${STATUS_TAGS[status as Status].text} emails` : 'Emails'}, newest first${emails.length === LIMIT ? ` (the latest ${LIMIT})` : ''}`}
          captionSize="m"
          head={[
            { text: 'Written' },
            { text: 'To' },
            { text: 'Subject' },
            { text: 'Kind' },
            { text: 'Status' },
            { text: 'Attempts', numeric: true },
            { text: 'Last error' },
            ...(canRetry ? [{ text: <span className="govuk-visually-hidden">Action</span> }] : []),
          ]}
          rows={emails.map((email) => [
            { text: formatInstant(email.created_at) },
            { text: <span className="govuk-!-text-break-word">{email.to_address}</span> },
            {
              text: (
                <a className="govuk-link" href={`/staff/outbox/${email.id}`}>
                  {email.subject}
                </a>
              ),
            },
            { text: email.kind },
            { text: <Tag colour={STATUS_TAGS[email.status].colour}>{STATUS_TAGS[email.status].text}</Tag> },
            { text: String(email.attempts), numeric: true },
            {
              text: email.last_error ? (
                <span className="govuk-!-text-break-word">
                  {email.last_error.length > 160 ? `${email.last_error.slice(0, 160)}…` : email.last_error}
                </span>
              ) : (
                ''
              ),
            },
            ...(canRetry
              ? [
                  {
                    text:
                      email.status === 'failed' ? (
                        <Form method="post" action="/staff/outbox">
                          <input type="hidden" name="id" value={email.id} />
                          <input type="hidden" name="status" value={status} />
                          <Button name="intent" value="retry" variant="secondary">
                            Retry
                            <span className="govuk-visually-hidden">
                              {' '}
                              email “{email.subject}” to {email.to_address}
                            </span>
                          </Button>
                        </Form>
                      ) : (
                        ''
                      ),
                  },
                ]
              : []),
          ])}
        />
      )}
    </>
  )
}
