import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { Form, useLoaderData } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { Button, DateInput, ErrorSummary, Table, Tag } from '~/components'
import { addMonths, formatLondonDate, londonDateOf, startOfLondonDay } from '~/time/london-time'
import { viewMembers } from '~/domain/members.server'
import { datePartsOf, readDateRange, type DateParts } from '~/domain/report-period'

export const meta: MetaFunction = () => [{ title: 'Adoptables members – Join In staff' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:read')
  const params = new URL(request.url).searchParams
  const status =
    params.get('status') === 'pending' || params.get('status') === 'active'
      ? (params.get('status') as 'pending' | 'active')
      : undefined
  // Left empty, the count covers the last 12 months up to today.
  const today = londonDateOf(new Date())
  const range = readDateRange(params)
  const fromDate = range.from ?? addMonths(today, -12)
  const toDate = range.to ?? today
  const errors: Record<string, string> = { ...range.errors }
  if (!errors.from && !errors.to && toDate < fromDate)
    errors.to = 'The end date must be the same as or after the start date'
  const { members, attendees } = await viewMembers(
    context.db,
    { status, attended: Object.keys(errors).length ? null : { from: fromDate, to: toDate } },
    { id: staff.id, ip: context.clientIp },
  )
  const shown = (typed: DateParts, date: string) => (typed.day || typed.month || typed.year ? typed : datePartsOf(date))
  return {
    members,
    status: status ?? '',
    attendees,
    range: { from: fromDate, to: toDate },
    typed: { from: shown(range.form.from, fromDate), to: shown(range.form.to, toDate) },
    errors,
  }
}

export default function Members() {
  const { members, status, attendees, range, typed, errors } = useLoaderData<typeof loader>()
  return (
    <>
      <ErrorSummary errors={Object.entries(errors).map(([field, message]) => ({ href: `#${field}-day`, message }))} />
      <h1 className="govuk-heading-l">Adoptables members</h1>
      <h2 className="govuk-heading-m">Young people who came to meetings</h2>
      <Form method="get" className="app-filters">
        <input type="hidden" name="status" value={status} />
        <DateInput id="from" legend="From" legendSize="s" value={typed.from} error={errors.from} />
        <DateInput id="to" legend="To" legendSize="s" value={typed.to} error={errors.to} />
        <Button variant="secondary" preventDoubleClick={false}>
          Count
        </Button>
      </Form>
      {attendees !== null ? (
        <p className="govuk-body-l" role="status">
          <strong>{attendees}</strong>
          {` ${attendees === 1 ? 'young person' : 'different young people'} attended at least one meeting between ${formatLondonDate(startOfLondonDayIso(range.from))} and ${formatLondonDate(startOfLondonDayIso(range.to))}.`}
        </p>
      ) : null}
      <p className="govuk-body">
        Show:{' '}
        <a className="govuk-link" href="/staff/members">
          all
        </a>{' '}
        ·{' '}
        <a className="govuk-link" href="/staff/members?status=active">
          active
        </a>{' '}
        ·{' '}
        <a className="govuk-link" href="/staff/members?status=pending">
          waiting for consent
        </a>
      </p>
      <Table
        caption={`${members.length} ${status === 'pending' ? 'waiting for consent' : status === 'active' ? 'active members' : 'members'}`}
        captionSize="m"
        head={[
          { text: 'First name' },
          { text: 'Age', numeric: true },
          { text: 'Council area' },
          { text: 'Status' },
          { text: 'Meetings attended', numeric: true },
          { text: 'Signed up' },
        ]}
        rows={members.map((m) => [
          { text: m.firstName ?? '(erased)' },
          { text: m.ageToday === null ? '' : String(m.ageToday), numeric: true },
          { text: m.authorityName },
          {
            text:
              m.status === 'active' ? (
                <Tag colour="green">Active</Tag>
              ) : m.consentDeclined ? (
                <Tag colour="grey">Closed: parent or carer said no</Tag>
              ) : (
                <Tag colour="yellow">Waiting for consent</Tag>
              ),
          },
          { text: String(m.meetingsAttended), numeric: true },
          { text: formatLondonDate(m.registeredAt) },
        ])}
      />
    </>
  )
}

function startOfLondonDayIso(date: string): string {
  return startOfLondonDay(date).toISOString()
}
