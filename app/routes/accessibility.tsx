import type { MetaFunction } from 'react-router'

export const meta: MetaFunction = () => [{ title: 'Accessibility – Join In' }]

export default function Accessibility() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Accessibility statement</h1>
        <p className="govuk-body">
          Join In is built with the GOV.UK Design System&apos;s patterns so that you can use it with a keyboard, a
          screen reader, speech recognition or magnification, and on a phone. Every form works without JavaScript.
        </p>
        <p className="govuk-body">
          Each page is checked automatically against WCAG 2.2 AA with axe-core before it is released. Automated checks
          do not find every problem: if something is hard to use, tell the Participation &amp; Engagement team and we
          will fix it or help you book another way.
        </p>
      </div>
    </div>
  )
}
