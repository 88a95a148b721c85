// The safeguarding concern log: every concern, open ones first. Safeguarding leads only (the
// concerns:read permission comes from the lead flag, not the role); every view is audited.
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, useLoaderData } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { Table, Tag } from '~/components'
import { listConcerns } from '~/domain/concerns.server'
import { formatLondonShortDate, formatLondonTime } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'Safeguarding concerns – Join In staff' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'concerns:read')
  const concerns = await listConcerns(context.db, { id: staff.id, ip: context.clientIp })
  return data({ concerns }, { headers: { 'Cache-Control': 'no-store' } })
}

function at(instant: string): string {
  return `${formatLondonShortDate(instant)}, ${formatLondonTime(instant)}`
}

export default function Concerns() {
  const { concerns } = useLoaderData<typeof loader>()
  const open = concerns.filter((c) => c.status === 'open')
  const closed = concerns.filter((c) => c.status === 'closed')
  const table = (caption: string, rows: typeof concerns) =>
    rows.length === 0 ? (
      <p className="govuk-body">
        {caption === 'Open concerns' ? 'There are no open concerns.' : 'No concerns have been closed.'}
      </p>
    ) : (
      <Table
        caption={caption}
        captionSize="m"
        head={[{ text: 'Child or young person' }, { text: 'Session' }, { text: 'Recorded' }, { text: 'Status' }]}
        rows={rows.map((c) => [
          {
            header: true,
            text: (
              <a className="govuk-link" href={`/staff/concerns/${c.id}`}>
                {c.childFirstName}
                <span className="govuk-visually-hidden">, concern {c.id}</span>
              </a>
            ),
          },
          { text: `${c.sessionTitle}, ${formatLondonShortDate(c.sessionStartsAt)}` },
          { text: `${at(c.recordedAt)} by ${c.recordedByName}` },
          {
            text:
              c.status === 'open' ? (
                <Tag colour="red">Open</Tag>
              ) : (
                <Tag colour="grey">{`Closed ${formatLondonShortDate(c.closedAt!)}`}</Tag>
              ),
          },
        ])}
      />
    )
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <h1 className="govuk-heading-l">Safeguarding concerns</h1>
        <p className="govuk-body">
          Only safeguarding leads can see these. Each time you open this list or a concern, it is recorded in the audit
          log.
        </p>
        {table('Open concerns', open)}
        {table('Closed concerns', closed)}
      </div>
    </div>
  )
}
