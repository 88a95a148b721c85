// Feedback on the service from the beta banner's page: emailed to the team's contact address
// (settings) through the outbox, so nothing is lost when the mail server is down, staff can read
// it at /staff/outbox, and retention and erasure remove it like every other email.
import crypto from 'node:crypto'
import type { DB } from '../../db/index'
import { enqueueEmail } from '../email/outbox.server'
import { serviceFeedbackEmail } from '../email/templates.server'
import { formatLondonDate, formatLondonTime } from '../time/london-time'
import type { Links } from './links'
import type { ServiceFeedback } from './service-feedback-form'
import { emailOrganisation } from './settings.server'

export const SERVICE_FEEDBACK_KIND = 'service-feedback'

export async function sendServiceFeedback(
  db: DB,
  feedback: ServiceFeedback,
  options: { links: Links; serviceName: string; now?: Date },
): Promise<{ status: 'sent'; to: string }> {
  const now = options.now ?? new Date()
  const organisation = await emailOrganisation(db, options.links)
  const to = organisation.contactEmail
  const email = serviceFeedbackEmail({
    organisation,
    serviceName: options.serviceName,
    feedback: feedback.feedback,
    replyTo: feedback.email,
    sentAt: `${formatLondonDate(now)} at ${formatLondonTime(now)}`,
  })
  await enqueueEmail(
    db,
    {
      kind: SERVICE_FEEDBACK_KIND,
      to,
      ...email,
      // Each sending is its own email: two people may well write the same words.
      dedupeKey: `${SERVICE_FEEDBACK_KIND}:${crypto.randomUUID()}`,
    },
    { domain: options.links.domain },
  )
  return { status: 'sent', to }
}
