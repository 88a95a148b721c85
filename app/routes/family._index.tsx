// "Your family": the parent or carer's details and the children, kept once, with their consents
// and the date each answer was given. Everything here is the signed-in family's own.
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { useLoaderData } from 'react-router'
import { requireFamily } from '~/auth/family-session.server'
import { ButtonLink, NotificationBanner, SummaryList } from '~/components'
import { getFamilyProfile, type ChildProfile } from '~/domain/families.server'
import { CONSENTS } from '~/domain/family-form'
import { formatCalendarDate, londonDateOf } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'Your family – Join In' }]

const DONE: Record<string, string> = {
  details: 'Your details have been saved',
  'child-added': 'The child has been added',
  'child-saved': 'The child’s details have been saved',
  'child-removed': 'The child has been removed',
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireFamily(request, context)
  const profile = await getFamilyProfile(context.db, signedIn.id)
  if (!profile) throw new Response('Not found', { status: 404 })
  const done = new URL(request.url).searchParams.get('done') ?? ''
  return { profile, done: DONE[done] ?? null }
}

function consentText(consent: ChildProfile['consents'][keyof ChildProfile['consents']]): string {
  if (consent.answer === null) return 'Not answered'
  const given = consent.at ? `, given on ${formatCalendarDate(londonDateOf(consent.at))}` : ''
  return `${consent.answer ? 'Yes' : 'No'}${given}`
}

export default function YourFamily() {
  const { profile, done } = useLoaderData<typeof loader>()
  const change = (field: string, what: string) => ({
    href: `/family/details#${field}`,
    text: 'Change',
    visuallyHiddenText: what,
  })
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {done ? (
          <NotificationBanner success>
            <p className="govuk-notification-banner__heading">{done}</p>
          </NotificationBanner>
        ) : null}
        <h1 className="govuk-heading-l">Your family</h1>
        <p className="govuk-body">
          <a className="govuk-link" href="/family/bookings">
            Your bookings
          </a>
        </p>
        <h2 className="govuk-heading-m">Your details</h2>
        <SummaryList
          rows={[
            { key: 'Name', value: profile.contactName ?? 'Not given', action: change('contactName', 'name') },
            { key: 'Email address', value: profile.email },
            { key: 'Phone number', value: profile.phone ?? 'Not given', action: change('phone', 'phone number') },
            {
              key: 'Home council',
              value: profile.authorityName ?? 'Not given',
              action: change('authority', 'home council'),
            },
            {
              key: 'Emergency phone number during sessions',
              value: profile.emergencyPhone ?? 'Not given',
              action: change('emergencyPhone', 'emergency phone number'),
            },
            {
              key: 'Children can take places separately',
              value: profile.placesSeparately
                ? 'Yes'
                : 'No, brothers and sisters on a waiting list are given places together',
              action: change('placesSeparately', 'whether children can take places separately'),
            },
          ]}
        />
        <p className="govuk-body">Your email address is how you sign in. To use a different one, contact us.</p>
        <h2 className="govuk-heading-m">Children</h2>
        {profile.children.length === 0 ? <p className="govuk-body">You have not added any children yet.</p> : null}
        {profile.children.map((child) => {
          const edit = (field: string, what: string) => ({
            href: `/family/children/${child.id}#${field}`,
            text: 'Change',
            visuallyHiddenText: `${child.firstName}’s ${what}`,
          })
          return (
            <section key={child.id} aria-labelledby={`child-${child.id}`}>
              <h3 className="govuk-heading-s" id={`child-${child.id}`}>
                {child.firstName}
              </h3>
              <SummaryList
                rows={[
                  { key: 'First name', value: child.firstName, action: edit('firstName', 'first name') },
                  {
                    key: 'Date of birth',
                    value: formatCalendarDate(child.dateOfBirth),
                    action: edit('dob-day', 'date of birth'),
                  },
                  {
                    key: 'Support needs',
                    value: child.supportNeeds ?? 'None given',
                    action: edit('supportNeeds', 'support needs'),
                  },
                  ...CONSENTS.map(({ field, question }) => ({
                    key: question,
                    value: consentText(child.consents[field]),
                    action: edit(field, `answer to ${question}`),
                  })),
                ]}
              />
              <p className="govuk-body">
                <a className="govuk-link" href={`/family/children/${child.id}/remove`}>
                  Remove {child.firstName}
                </a>
              </p>
            </section>
          )
        })}
        <ButtonLink href="/family/children/new" variant="secondary">
          Add a child
        </ButtonLink>
        <h2 className="govuk-heading-m">Your data</h2>
        <ul className="govuk-list">
          <li>
            <a className="govuk-link" href="/family/data">
              Download our data
            </a>
          </li>
          <li>
            <a className="govuk-link" href="/family/delete">
              Delete our account
            </a>
          </li>
        </ul>
        <form method="post" action="/family/sign-out">
          <button type="submit" className="govuk-button govuk-button--secondary">
            Sign out
          </button>
        </form>
      </div>
    </div>
  )
}
