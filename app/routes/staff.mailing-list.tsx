// The mailing list for staff: how many current subscribers, their export, and a month's joins,
// leaves and bounces (the audit a data protection officer may ask for).
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, useLoaderData } from 'react-router'
import { z } from 'zod'
import { requireStaff } from '~/auth/session.server'
import { Button, ErrorSummary, Select, SummaryList, Table } from '~/components'
import { formatLondonShortDate, formatLondonTime, formatMonthKey, londonParts } from '~/time/london-time'
import { isMonthKey, mailingListPage } from '~/domain/mailing-list-audit.server'

export const meta: MetaFunction = () => [{ title: 'Mailing list – Join In staff' }]

const EVENT_NAMES = { join: 'Joined', leave: 'Left', bounce: 'Bounced' } as const

const querySchema = z.object({
  month: z.string().trim().refine(isMonthKey, 'Choose a month from the list').optional(),
})

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:read')
  const parsed = querySchema.safeParse({ month: new URL(request.url).searchParams.get('month') ?? undefined })
  const page = await mailingListPage(context.db, parsed.success ? parsed.data.month : undefined, {
    id: staff.id,
    ip: context.clientIp,
  })
  return data(
    { ...page, error: parsed.success ? undefined : 'Choose a month from the list' },
    { status: parsed.success ? 200 : 400, headers: { 'Cache-Control': 'private, no-store' } },
  )
}

export default function StaffMailingList() {
  const { current, audit, months, error } = useLoaderData<typeof loader>()
  const monthName = formatMonthKey(audit.month)
  return (
    <>
      <ErrorSummary errors={error ? [{ href: '#month', message: error }] : []} />
      <h1 className="govuk-heading-l">Mailing list</h1>
      <p className="govuk-body">
        People join from the sign-up page or by ticking the box on the booking form, and are on the list only once they
        confirm by email. Every email to them has a link to leave.
      </p>
      <SummaryList rows={[{ key: 'Current subscribers', value: String(current) }]} />
      <p className="govuk-body">
        <a className="govuk-link" href="/staff/mailing-list.csv" download>
          Download current subscribers (CSV)
        </a>
      </p>
      <h2 className="govuk-heading-m">Joins, leaves and bounces</h2>
      <form method="get" action="/staff/mailing-list" className="app-filters">
        <Select
          id="month"
          label="Month"
          defaultValue={audit.month}
          error={error}
          options={months.map((m) => ({ value: m, text: formatMonthKey(m) }))}
        />
        <Button variant="secondary" preventDoubleClick={false}>
          Show month
        </Button>
      </form>
      <Table
        caption={`${monthName} in numbers`}
        captionSize="s"
        head={[{ text: 'What happened' }, { text: 'People', numeric: true }]}
        firstCellIsHeader
        rows={[
          [{ text: 'Joined (confirmed by email)' }, { text: String(audit.joins), numeric: true }],
          [{ text: 'Left (used the unsubscribe link)' }, { text: String(audit.leaves), numeric: true }],
          [
            { text: 'Bounced (their mail server refused our email, so they were taken off)' },
            { text: String(audit.bounces), numeric: true },
          ],
        ]}
      />
      {audit.events.length === 0 ? (
        <p className="govuk-body">Nobody joined, left or bounced in {monthName}.</p>
      ) : (
        <Table
          caption={`Everyone who joined, left or bounced in ${monthName}`}
          captionSize="s"
          head={[{ text: 'When (UK time)' }, { text: 'What happened' }, { text: 'Email address' }]}
          rows={audit.events.map((event) => [
            {
              text: (
                <time
                  dateTime={event.at}
                >{`${formatLondonShortDate(event.at)} ${londonParts(event.at).year}, ${formatLondonTime(event.at)}`}</time>
              ),
            },
            { text: EVENT_NAMES[event.kind] },
            {
              text: event.email ? <span className="govuk-!-text-break-word">{event.email}</span> : 'Erased on request',
            },
          ])}
        />
      )}
    </>
  )
}
