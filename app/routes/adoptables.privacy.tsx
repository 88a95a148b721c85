import type { MetaFunction } from 'react-router'

export const meta: MetaFunction = () => [{ title: 'Adoptables: what we do with your details – Join In' }]

// Written for 12 to 18 year olds: short sentences, what, why, how long, who.
export default function AdoptablesPrivacy() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">What we do with your details</h1>
        <h2 className="govuk-heading-m">What we keep</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>your first name (not your surname)</li>
          <li>your date of birth, so we know you are 12 to 18</li>
          <li>your email address, to send you links to meetings</li>
          <li>the council area you live in (not your address)</li>
          <li>anything you choose to tell us on the form</li>
          <li>which meetings you came to</li>
          <li>if you are under 13, your parent or carer’s email address</li>
        </ul>
        <h2 className="govuk-heading-m">Why</h2>
        <p className="govuk-body">
          To let you book meetings and send you the joining links. We also count how many young people come, without
          names, to show the councils that Adoptables is worth running.
        </p>
        <h2 className="govuk-heading-m">Who sees it</h2>
        <p className="govuk-body">
          Only the small Participation &amp; Engagement team who run the meetings. Nothing about you is public, and we
          do not share it with anyone else unless we are worried about your safety.
        </p>
        <h2 className="govuk-heading-m">How long we keep it</h2>
        <p className="govuk-body">
          We delete your name, email, date of birth and anything you told us 24 months after your last meeting. We keep
          the numbers (like “one young person aged 14 from Kent came”) without your name.
        </p>
        <h2 className="govuk-heading-m">You are in charge</h2>
        <p className="govuk-body">
          You can ask us to delete your details at any time, or ask what we hold about you. Email the Participation
          &amp; Engagement team and we will do it.
        </p>
      </div>
    </div>
  )
}
