import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { redirect, useLoaderData } from 'react-router'
import { getStaff, requireStaff } from '~/auth/session.server'
import { can } from '~/auth/permissions'
import { ButtonLink, Table } from '~/components'
import { ActivityStatusTag } from '~/components/activity-status-tag'
import { listStaffSessions } from '~/domain/activities.server'
import { formatLondonShortDate, formatLondonTimeRange } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'Sessions – Join In staff' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await getStaff(request, context)
  // Viewers only read reports; send them there rather than to a page they cannot use.
  if (signedIn && !can(signedIn.role, 'activities:read')) throw redirect('/staff/reports')
  const staff = await requireStaff(request, context, 'activities:read')
  const sessions = await listStaffSessions(context.db, { from: new Date() })
  return { sessions, canWrite: can(staff.role, 'activities:write'), name: staff.name }
}

export default function StaffDashboard() {
  const { sessions, canWrite } = useLoaderData<typeof loader>()
  return (
    <>
      <h1 className="govuk-heading-l">Upcoming sessions</h1>
      {canWrite ? <ButtonLink href="/staff/activities/new">Create a session</ButtonLink> : null}
      {sessions.length === 0 ? (
        <p className="govuk-body">There are no upcoming sessions yet.</p>
      ) : (
        <Table
          caption="Sessions from today on"
          captionSize="m"
          head={[
            { text: 'Date' },
            { text: 'Time' },
            { text: 'Session' },
            { text: 'Status' },
            { text: 'Booked', numeric: true },
            { text: 'Spaces left', numeric: true },
            { text: 'Waiting', numeric: true },
          ]}
          rows={sessions.map((s) => [
            { text: formatLondonShortDate(s.starts_at) },
            { text: formatLondonTimeRange(s.starts_at, s.ends_at) },
            {
              text: (
                <a className="govuk-link" href={`/staff/activities/${s.id}`}>
                  {s.title}
                  {s.kind === 'adoptables' ? ' (Adoptables)' : ''}
                </a>
              ),
            },
            {
              text: <ActivityStatusTag status={s.status} />,
            },
            { text: String(s.confirmed), numeric: true },
            { text: s.spacesLeft === 0 ? 'Full' : String(s.spacesLeft), numeric: true },
            { text: String(s.waitlisted), numeric: true },
          ])}
        />
      )}
    </>
  )
}
