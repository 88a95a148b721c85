import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { redirect, useLoaderData } from 'react-router'
import { getStaff, requireStaff } from '~/auth/session.server'
import { can } from '~/auth/permissions'
import { ButtonLink, InsetText, Table, Tag, WarningText } from '~/components'
import { ActivityStatusTag } from '~/components/activity-status-tag'
import { listStaffSessions } from '~/domain/activities.server'
import { countSafeguardingLeads } from '~/domain/concerns.server'
import { countAwaitingApproval } from '~/domain/family-approvals.server'
import { adultsFlag } from '~/domain/session-safety'
import { adultsNamedBySession } from '~/domain/session-safety.server'
import { formatLondonShortDate, formatLondonTimeRange } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'Upcoming sessions – Join In staff' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await getStaff(request, context)
  // Viewers only read reports; send them there rather than to a page they cannot use.
  if (signedIn && !can(signedIn.role, 'activities:read')) throw redirect('/staff/reports')
  const staff = await requireStaff(request, context, 'activities:read')
  const now = context.now()
  const listed = await listStaffSessions(context.db, { from: now })
  const adults = await adultsNamedBySession(
    context.db,
    listed.map((s) => s.id),
  )
  // fewer than two adults named: flagged so staff can act before the call
  const sessions = listed.map((s) => ({ ...s, adultsFlag: adultsFlag(s, adults.get(s.id) ?? 0, now) }))
  // a count only (no names): the queue itself is the audited view
  const awaitingApproval = can(staff.role, 'bookings:read') ? await countAwaitingApproval(context.db) : 0
  const needingAdults = sessions.filter((s) => s.adultsFlag !== null).length
  // with no lead, a concern recorded here emails nobody: everyone who runs sessions should know
  const noSafeguardingLead = (await countSafeguardingLeads(context.db)) === 0
  return {
    sessions,
    canWrite: can(staff.role, 'activities:write'),
    canManageStaff: can(staff.role, 'staff:manage'),
    name: staff.name,
    awaitingApproval,
    needingAdults,
    noSafeguardingLead,
  }
}

export default function StaffDashboard() {
  const { sessions, canWrite, canManageStaff, awaitingApproval, needingAdults, noSafeguardingLead } =
    useLoaderData<typeof loader>()
  return (
    <>
      <h1 className="govuk-heading-l">Upcoming sessions</h1>
      {noSafeguardingLead ? (
        <WarningText>
          No safeguarding lead is set up in Join In, so nobody is emailed when a concern is recorded.{' '}
          {canManageStaff ? (
            <a className="govuk-link" href="/staff/users">
              Make your designated safeguarding lead&rsquo;s account a safeguarding lead
            </a>
          ) : (
            'Ask an administrator to make your designated safeguarding lead’s account a safeguarding lead.'
          )}
        </WarningText>
      ) : null}
      {awaitingApproval > 0 ? (
        <InsetText>
          <a className="govuk-link" href="/staff/families/approvals">
            {awaitingApproval === 1
              ? '1 booking from a new family waiting for approval'
              : `${awaitingApproval} bookings from new families waiting for approval`}
          </a>
        </InsetText>
      ) : null}
      {needingAdults > 0 ? (
        <InsetText>
          {needingAdults === 1
            ? '1 upcoming session has fewer than two adults named. Name a host and a second adult before the call.'
            : `${needingAdults} upcoming sessions have fewer than two adults named. Name a host and a second adult before the call.`}
        </InsetText>
      ) : null}
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
            { text: 'Adults' },
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
            {
              text: s.adultsFlag ? (
                <Tag colour={s.adultsFlag === 'No adults named' ? 'red' : 'orange'}>{s.adultsFlag}</Tag>
              ) : s.status === 'cancelled' ? (
                ''
              ) : (
                'Host and second adult'
              ),
            },
            { text: String(s.taken), numeric: true },
            { text: s.spacesLeft === 0 ? 'Full' : String(s.spacesLeft), numeric: true },
            { text: String(s.waitlisted), numeric: true },
          ])}
        />
      )}
    </>
  )
}
