// The accessibility statement in the GOV.UK model format (Public Sector Bodies (Websites and
// Mobile Applications) (No. 2) Accessibility Regulations 2018). Who runs the service and how to
// reach them are settings; what is not yet accessible and how it was tested describe this code,
// so they and their dates live here, beside it: change them together when either changes.
import type { MetaFunction } from 'react-router'
import { useRouteLoaderData } from 'react-router'
import { telHref } from '~/domain/organisation'
import type { loader as rootLoader } from '~/root'

export const meta: MetaFunction = () => [{ title: 'Accessibility statement – Join In' }]

/** When this statement was written, last reviewed, and the service last tested. */
const STATEMENT = {
  prepared: '1 December 2026',
  reviewed: '1 December 2026',
  tested: '1 December 2026',
} as const

export default function Accessibility() {
  // The root loader already reads who runs the service for the footer: this page needs no loader
  // of its own (the benchmark uses it as its bare route).
  const { organisation: o, serviceName } = useRouteLoaderData<typeof rootLoader>('root')!
  const email = (
    <a className="govuk-link" href={`mailto:${o.email}`}>
      {o.email}
    </a>
  )
  const phone = (
    <a className="govuk-link" href={telHref(o.phone)}>
      {o.phone}
    </a>
  )
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Accessibility statement for {serviceName}</h1>
        <p className="govuk-body">
          This accessibility statement applies to the {serviceName} website: the pages where families book activities,
          young people join Adoptables, and staff run the service.
        </p>
        <p className="govuk-body">
          This website is run by {o.name}. We want as many people as possible to be able to use this website. For
          example, that means you should be able to:
        </p>
        <ul className="govuk-list govuk-list--bullet">
          <li>change colours, contrast levels and fonts using browser or device settings</li>
          <li>
            zoom in up to 400% without the text spilling off the screen, apart from the quarterly report’s widest tables
          </li>
          <li>navigate most of the website using just a keyboard</li>
          <li>navigate most of the website using speech recognition software</li>
          <li>listen to most of the website using a screen reader</li>
          <li>book and join without JavaScript: every form works without it</li>
        </ul>
        <p className="govuk-body">We’ve also made the website text as simple as possible to understand.</p>
        <p className="govuk-body">
          <a className="govuk-link" href="https://mcmw.abilitynet.org.uk/">
            AbilityNet
          </a>{' '}
          has advice on making your device easier to use if you have a disability.
        </p>

        <h2 className="govuk-heading-m">How accessible this website is</h2>
        <p className="govuk-body">We know some parts of this website are not fully accessible:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>the quarterly report’s widest tables scroll sideways within their own box on a small screen</li>
          <li>the spreadsheet downloads for staff (CSV and XLSX) have not been checked with assistive technology</li>
        </ul>

        <h2 className="govuk-heading-m">Feedback and contact information</h2>
        <p className="govuk-body">
          If you need information on this website in a different format, like accessible PDF, large print, easy read,
          audio recording or braille, or you want to book by phone instead:
        </p>
        <ul className="govuk-list govuk-list--bullet">
          <li>email {email}</li>
          <li>call {phone}</li>
        </ul>
        <p className="govuk-body">We’ll consider your request and get back to you in 5 working days.</p>

        <h2 className="govuk-heading-m">Reporting accessibility problems with this website</h2>
        <p className="govuk-body">
          We’re always looking to improve the accessibility of this website. If you find any problems not listed on this
          page or think we’re not meeting accessibility requirements, tell us using the{' '}
          <a className="govuk-link" href="/service-feedback">
            feedback form
          </a>
          , email {email} or call {phone}.
        </p>

        <h2 className="govuk-heading-m">Enforcement procedure</h2>
        <p className="govuk-body">
          The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies
          (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the ‘accessibility regulations’).
          If you’re not happy with how we respond to your complaint, contact the{' '}
          <a className="govuk-link" href="https://www.equalityadvisoryservice.com/">
            Equality Advisory and Support Service (EASS)
          </a>
          .
        </p>

        <h2 className="govuk-heading-m">Technical information about this website’s accessibility</h2>
        <p className="govuk-body">
          {o.name} is committed to making its website accessible, in accordance with the Public Sector Bodies (Websites
          and Mobile Applications) (No. 2) Accessibility Regulations 2018.
        </p>

        <h3 className="govuk-heading-s">Compliance status</h3>
        <p className="govuk-body">
          This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due
          to the non-compliance listed below. It has not yet had a full manual audit.
        </p>

        <h3 className="govuk-heading-s">Non-accessible content</h3>
        <p className="govuk-body">The content listed below is not accessible for the following reasons.</p>
        <h4 className="govuk-heading-s">Non-compliance with the accessibility regulations</h4>
        <p className="govuk-body">
          We know of none. Staff pages used to scroll sideways on a phone; now every staff page fits a 375-pixel screen,
          with tables shown as one block per row and the quarterly report’s wide tables scrolling on their own.
        </p>
        <h4 className="govuk-heading-s">Other problems we know about</h4>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            The quarterly report’s widest tables scroll sideways within their own box on a small screen or at high zoom;
            the same figures are in the CSV and XLSX downloads.
          </li>
          <li>The spreadsheet downloads for staff (CSV and XLSX) have not been checked with assistive technology.</li>
        </ul>
        <h4 className="govuk-heading-s">Content that’s not within the scope of the accessibility regulations</h4>
        <p className="govuk-body">
          Sessions take place on Microsoft Teams, which Microsoft runs; its accessibility is described on Microsoft’s
          own website. Calendar invites open in your own calendar app.
        </p>

        <h2 className="govuk-heading-m">What we’re doing to improve accessibility</h2>
        <p className="govuk-body">
          We will fix the problems listed above as the service develops. The service’s automated tests, run on every
          change before it is released, check:
        </p>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            the pages families, young people and staff use, including forms shown with their error messages, with
            axe-core against WCAG 2.2 A and AA in the Chromium browser at a desktop width (1280 pixels)
          </li>
          <li>
            every staff page, the booking and consent pages, this statement, the privacy notices, the feedback form and
            every kind of email with axe-core at a phone’s width too (375 pixels), where they must not scroll sideways
          </li>
          <li>
            that after a form is sent with mistakes, keyboard focus moves to the list of problems and the page title
            starts with “Error:”
          </li>
          <li>
            by keyboard alone on the feedback page: the first Tab reaches the ‘Skip to main content’ link, which leads
            to the form, and the form can be filled in and sent
          </li>
          <li>the booking and Adoptables forms with JavaScript switched off</li>
        </ul>
        <p className="govuk-body">
          These checks do not find every problem. We have not yet tested the website with disabled people or with screen
          readers by hand; we will, and will list here what we find.
        </p>

        <h2 className="govuk-heading-m">Preparation of this accessibility statement</h2>
        <p className="govuk-body">
          This statement was prepared on {STATEMENT.prepared}. It was last reviewed on {STATEMENT.reviewed}.
        </p>
        <p className="govuk-body">
          This website was last tested on {STATEMENT.tested}. The test was carried out by the team that builds the
          service, with the automated and keyboard checks described above.
        </p>
      </div>
    </div>
  )
}
