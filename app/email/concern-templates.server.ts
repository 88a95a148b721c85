// The email safeguarding leads get when a concern is recorded. It says only that one was recorded
// and links to sign in: no child's name, no session, no words from the concern, since an email can
// be forwarded, read over a shoulder or kept in a mailbox long after the concern is closed.
import { render, type EmailContent, type EmailOrganisation } from './templates.server'

export interface ConcernRecordedEmailData {
  /** the lead's own name */
  name: string
  serviceName: string
  /** the sign-in page, coming back to the concern afterwards */
  signInUrl: string
  organisation: EmailOrganisation
}

export function concernRecordedEmail(d: ConcernRecordedEmailData): EmailContent {
  return render(
    'A safeguarding concern has been recorded',
    [
      { text: `Hello ${d.name},` },
      {
        text: `A member of staff has recorded a safeguarding concern on ${d.serviceName}. You are getting this email because you are a safeguarding lead.`,
      },
      { text: 'Sign in to read it. The details are only in the service, not in this email.' },
      { link: d.signInUrl, label: 'Sign in to read the concern' },
    ],
    d.organisation,
  )
}
