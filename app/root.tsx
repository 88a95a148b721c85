import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from 'react-router'
import {
  isRouteErrorResponse,
  Links,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from 'react-router'
import { useEffect, type ReactNode } from 'react'
import { getFamily } from './auth/family-session.server'
import { accountCan, can } from './auth/permissions'
import { getStaff } from './auth/session.server'
import { Footer, Header, PhaseBanner, SkipLink, type NavigationItem } from './components'
import { telHref } from './domain/organisation'
import { getOrganisation } from './domain/settings.server'
import { startGovukFrontend } from './govuk-frontend.client'
import { useNonce } from './nonce'
import { PageMeta } from './page-title'
import stylesHref from './styles/app.scss?url'
import { ActivitiesLink } from './components/activities-link'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [{ title: 'Join In' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Family links are not shown on staff pages, so there is no family to look up there.
  const onStaffPage = /^\/staff(?:[/.]|$)/.test(new URL(request.url).pathname)
  const [staff, organisation, family] = await Promise.all([
    getStaff(request, context),
    getOrganisation(context.db, context.config.organisationName),
    onStaffPage ? null : getFamily(request, context),
  ])
  return {
    serviceName: context.config.serviceName,
    organisation: {
      name: organisation.organisationName,
      email: organisation.contactEmail,
      phone: organisation.contactPhone,
    },
    staff: staff ? { name: staff.name, role: staff.role, safeguardingLead: staff.safeguardingLead } : null,
    family: family ? true : false,
  }
}

function navigationFor(
  staff: { role: 'admin' | 'staff' | 'viewer'; safeguardingLead: boolean } | null,
  pathname: string,
  family: boolean,
): NavigationItem[] {
  const items: NavigationItem[] = staff
    ? [
        // "New session" is the button on Sessions; API tokens and erasure are linked from Settings
        // and the staff pages, so the bar stays short enough to read on a phone.
        ...(can(staff.role, 'activities:read') ? [{ href: '/staff', text: 'Sessions' }] : []),
        ...(can(staff.role, 'bookings:read') ? [{ href: '/staff/members', text: 'Adoptables members' }] : []),
        ...(can(staff.role, 'bookings:read') ? [{ href: '/staff/mailing-list', text: 'Mailing list' }] : []),
        ...(can(staff.role, 'outbox:read') ? [{ href: '/staff/outbox', text: 'Emails' }] : []),
        ...(can(staff.role, 'reports:read') ? [{ href: '/staff/reports', text: 'Reports' }] : []),
        ...(can(staff.role, 'bookings:write') ? [{ href: '/staff/erasure', text: 'Erase details' }] : []),
        ...(can(staff.role, 'staff:manage') ? [{ href: '/staff/users', text: 'Staff' }] : []),
        ...(can(staff.role, 'audit:read') ? [{ href: '/staff/audit', text: 'Audit log' }] : []),
        ...(can(staff.role, 'settings:write') ? [{ href: '/staff/settings', text: 'Settings' }] : []),
        ...(accountCan(staff, 'concerns:read') ? [{ href: '/staff/concerns', text: 'Safeguarding concerns' }] : []),
        { href: '/staff/account', text: 'Your account' },
      ]
    : [
        { href: '/', text: 'Activities' },
        { href: '/adoptables', text: 'Adoptables' },
        ...(pathname === '/staff' || pathname.startsWith('/staff/')
          ? []
          : [
              family
                ? { href: '/family', text: 'Your family' }
                : { href: '/family/sign-in', text: 'Sign in to see your bookings' },
            ]),
      ]
  return items.map((item) => ({
    ...item,
    active:
      item.href === '/'
        ? pathname === '/'
        : item.href === '/staff'
          ? pathname === '/staff' || (pathname.startsWith('/staff/activities/') && pathname !== '/staff/activities/new')
          : pathname === item.href || pathname.startsWith(`${item.href}/`),
  }))
}

/**
 * GOV.UK Frontend's template snippet: marks the body before the page paints, so its CSS hides
 * what its JavaScript will handle (closed conditional reveals, the collapsed menu) only in
 * browsers that will run it (those that run ES modules, as the app's bundle is one). Without
 * JavaScript nothing marks the body and every part of the page shows.
 */
const MARK_SUPPORTED =
  "document.body.className += ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')"

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  const nonce = useNonce()
  const location = useLocation()
  // Start GOV.UK Frontend once hydrated and again after each navigation the router completes
  // (a submit gives a new location too): the router renders new pages without a document load.
  useEffect(() => {
    startGovukFrontend()
  }, [location])
  const serviceName = data?.serviceName ?? 'Join In'
  return (
    <html lang="en" className="govuk-template">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#0b0c0c" />
        <PageMeta />
        <Links />
      </head>
      {/* The body's class gains govuk-frontend-supported from the script before React hydrates. */}
      <body className="govuk-template__body" suppressHydrationWarning>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: MARK_SUPPORTED }} />
        <SkipLink />
        <Header
          serviceName={serviceName}
          navigation={navigationFor(data?.staff ?? null, location.pathname, data?.family ?? false)}
        >
          <PhaseBanner phase="Beta">
            This is a new service. Help us improve it and{' '}
            <a className="govuk-link" href="/service-feedback">
              give your feedback
            </a>
            .
          </PhaseBanner>
          {data?.staff ? (
            <form method="post" action="/staff/sign-out" className="govuk-!-margin-top-2 govuk-!-text-align-right">
              <span className="govuk-body-s govuk-!-margin-right-2">Signed in as {data.staff.name}</span>
              <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                Sign out
              </button>
            </form>
          ) : data?.family && !location.pathname.startsWith('/staff') ? (
            <form method="post" action="/family/sign-out" className="govuk-!-margin-top-2 govuk-!-text-align-right">
              <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                Sign out
              </button>
            </form>
          ) : null}
        </Header>
        <div className="govuk-width-container">
          <main className="govuk-main-wrapper" id="main-content">
            {children}
          </main>
        </div>
        <Footer
          links={[
            { href: '/privacy', text: 'Privacy' },
            { href: '/accessibility', text: 'Accessibility' },
            { href: '/calendar.ics', text: 'Calendar feed' },
            { href: '/mailing-list', text: 'Mailing list' },
            { href: '/staff', text: 'Staff sign in' },
          ]}
        >
          {data ? <FooterContact organisation={data.organisation} /> : null}
        </Footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

/** Every page offers a way to reach the team: its email and phone from settings. */
function FooterContact({ organisation }: { organisation: { name: string; email: string; phone: string } }) {
  return (
    <>
      <h2 className="govuk-heading-s govuk-!-margin-bottom-2">Contact {organisation.name}</h2>
      <ul className="govuk-footer__list govuk-!-margin-bottom-4">
        <li className="govuk-footer__list-item">
          Email:{' '}
          <a className="govuk-footer__link" href={`mailto:${organisation.email}`}>
            {organisation.email}
          </a>
        </li>
        <li className="govuk-footer__list-item">
          Phone:{' '}
          <a className="govuk-footer__link" href={telHref(organisation.phone)}>
            {organisation.phone}
          </a>
        </li>
      </ul>
    </>
  )
}

export default function App() {
  useLoaderData<typeof loader>()
  // Set once React has hydrated the page: from then on forms and links go through the router.
  // Browser tests wait for it; an inline script could not set it, only the app's own bundle.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true'
  }, [])
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      return (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <h1 className="govuk-heading-l">Page not found</h1>
            <p className="govuk-body">If you typed the web address, check it is correct.</p>
            <ActivitiesLink />
          </div>
        </div>
      )
    }
    if (error.status === 403) {
      return (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <h1 className="govuk-heading-l">You cannot see this page</h1>
            <p className="govuk-body">Your account does not have permission. Ask an administrator if you need it.</p>
          </div>
        </div>
      )
    }
    if (error.status === 429) {
      return (
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <h1 className="govuk-heading-l">Too many requests</h1>
            <p className="govuk-body">Wait a few minutes, then try again.</p>
          </div>
        </div>
      )
    }
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Sorry, there is a problem with the service</h1>
        <p className="govuk-body">Try again later.</p>
      </div>
    </div>
  )
}
