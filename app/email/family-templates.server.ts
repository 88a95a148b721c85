// The words of the emails about a family's account: the one-time sign-in link and the
// confirmation that an account was deleted. Plain English, GOV.UK style, laid out by the shared
// render() of templates.server.ts.
import { render, type EmailContent, type EmailOrganisation } from './templates.server'

export interface FamilySignInEmailData {
  signInUrl: string
  /** "30 minutes" */
  validFor: string
  organisation: EmailOrganisation
}

export function familySignInEmail(d: FamilySignInEmailData): EmailContent {
  return render(
    'Your link to sign in',
    [
      { text: 'Hello,' },
      { text: 'Someone, probably you, asked to sign in to see your family’s bookings.' },
      { text: 'To sign in, use this link and press the button on the page:' },
      { link: d.signInUrl, label: 'Sign in to see your bookings' },
      {
        text: `The link works once, for ${d.validFor}. If you did not ask to sign in, you do not need to do anything: nobody can sign in without this link.`,
      },
      { text: 'Do not forward this email: anyone with the link can sign in as you.' },
      { text: d.organisation.organisationName },
    ],
    d.organisation,
  )
}

export interface FamilyAccountDeletedEmailData {
  /** the sessions whose places were cancelled, as "Slime science, Sunday 29 March 2026" */
  cancelledSessions: string[]
  organisation: EmailOrganisation
}

export function familyAccountDeletedEmail(d: FamilyAccountDeletedEmailData): EmailContent {
  return render(
    'We have deleted your account',
    [
      { text: 'Hello,' },
      {
        text: 'As you asked, we have deleted your family’s account: your contact details, your children’s details and their consents. We keep only anonymous counts of past sessions, with no names.',
      },
      ...(d.cancelledSessions.length
        ? [
            {
              text: `We cancelled your places on ${d.cancelledSessions.length === 1 ? 'this session' : 'these sessions'} and offered them to other families:\n${d.cancelledSessions.join('\n')}`,
            },
          ]
        : []),
      { text: 'You can book again at any time. If you did not ask for this, contact us.' },
      { text: d.organisation.organisationName },
    ],
    d.organisation,
  )
}
