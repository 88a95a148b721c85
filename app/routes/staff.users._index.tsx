import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { useLoaderData } from 'react-router'
import { ROLE_NAMES } from '~/auth/permissions'
import { requireStaff } from '~/auth/session.server'
import { ButtonLink, NotificationBanner, Table, Tag, WarningText } from '~/components'
import { formatLondonShortDate, formatLondonTime } from '~/time/london-time'
import { listStaffAccounts, type AccountStatus } from '~/domain/staff-accounts.server'

export const meta: MetaFunction = () => [{ title: 'Staff – Join In staff' }]

const NOTICES: Record<string, string> = {
  invited: 'Invitation sent. They can sign in once they have created a password from the email.',
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'staff:manage')
  const url = new URL(request.url)
  const accounts = await listStaffAccounts(context.db)
  return {
    accounts,
    // The same rule as the emails: an active account that can sign in, with the flag.
    noSafeguardingLead: !accounts.some((a) => a.safeguardingLead && a.status === 'active'),
    notice: NOTICES[url.searchParams.get('notice') ?? ''] ?? null,
  }
}

const STATUS_TAGS: Record<AccountStatus, { text: string; colour: 'green' | 'blue' | 'grey' }> = {
  active: { text: 'Active', colour: 'green' },
  invited: { text: 'Invited', colour: 'blue' },
  disabled: { text: 'Disabled', colour: 'grey' },
}

function formatInstant(instant: string | null): string {
  return instant ? `${formatLondonShortDate(instant)}, ${formatLondonTime(instant)}` : 'Never'
}

export default function StaffUsers() {
  const { accounts, notice, noSafeguardingLead } = useLoaderData<typeof loader>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        {notice ? <NotificationBanner success>{notice}</NotificationBanner> : null}
        <h1 className="govuk-heading-l">Staff</h1>
        {noSafeguardingLead ? (
          <WarningText>
            No safeguarding lead is set. Nobody is emailed when a concern is recorded, and nobody can read one: open the
            account of your designated safeguarding lead and make them a safeguarding lead.
          </WarningText>
        ) : null}
        <p className="govuk-body">
          Administrators manage accounts and settings. Participation staff publish sessions and keep registers. Viewers
          only read reports.
        </p>
        <ButtonLink href="/staff/users/invite">Invite a member of staff</ButtonLink>
        <Table
          caption="Staff accounts"
          captionSize="m"
          head={[
            { text: 'Name' },
            { text: 'Email address' },
            { text: 'Role' },
            { text: 'Safeguarding lead' },
            { text: 'Status' },
            { text: 'Two-factor' },
            { text: 'Last signed in' },
          ]}
          rows={accounts.map((a) => [
            {
              header: true,
              text: (
                <a className="govuk-link" href={`/staff/users/${a.id}`}>
                  {a.name}
                </a>
              ),
            },
            { text: a.email },
            { text: ROLE_NAMES[a.role] },
            { text: a.safeguardingLead ? 'Yes' : 'No' },
            { text: <Tag colour={STATUS_TAGS[a.status].colour}>{STATUS_TAGS[a.status].text}</Tag> },
            { text: a.twoFactor ? 'On' : 'Off' },
            { text: formatInstant(a.lastSignedInAt) },
          ])}
        />
      </div>
    </div>
  )
}
