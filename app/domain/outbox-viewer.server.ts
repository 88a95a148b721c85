// Staff reading the outbox: the list and each email audited, and sign-in links kept from those
// who may not manage staff accounts.
import type { DB } from '../../db/index'
import type { OutboxEmail, OutboxStatus, Role } from '../../db/schema'
import { can } from '../auth/permissions'
import { getOutboxEmail, listOutbox, type OutboxListItem } from '../email/outbox.server'
import { recordAudit, type StaffActor } from './audit.server'
import { STAFF_ACCOUNT_EMAIL_KINDS } from './staff-accounts.server'

/**
 * One email in full, or null if there is none with that id. Every view is audited (an email can
 * hold a family's details). An invitation or password reset holds a link that signs in as that
 * person: only someone who may manage staff accounts reads it, or a staff member could take over
 * an administrator's account.
 */
export async function viewOutboxEmail(
  db: DB,
  id: number,
  actor: StaffActor & { role: Role },
): Promise<OutboxEmail | null> {
  const email = await getOutboxEmail(db, id)
  if (!email) return null
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'outbox.viewed',
    subjectType: 'outbox',
    subjectId: email.id,
    ip: actor.ip,
  })
  if ((STAFF_ACCOUNT_EMAIL_KINDS as readonly string[]).includes(email.kind) && !can(actor.role, 'staff:manage')) {
    return {
      ...email,
      text_body: 'This email holds a link to set a password. Only administrators can read it.',
      html_body: null,
    }
  }
  return email
}

/**
 * The latest emails, newest first, for the outbox page: who they went to and what about is a
 * family's personal data, so every look at the list is audited with the filter and how many were shown.
 */
export async function listOutboxForStaff(
  db: DB,
  filter: { status?: OutboxStatus; limit: number },
  actor: StaffActor,
): Promise<OutboxListItem[]> {
  const emails = await listOutbox(db, filter)
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'outbox.listed',
    subjectType: 'outbox',
    detail: { status: filter.status ?? 'all', shown: emails.length },
    ip: actor.ip,
  })
  return emails
}
