// The audit log: who did what to which record, and when.
import type { DB } from '../../db/index'

export interface AuditEvent {
  actorUserId: number | null
  action: string
  subjectType?: string
  subjectId?: string | number
  detail?: Record<string, unknown>
  ip?: string
}

export async function recordAudit(db: DB, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: new Date().toISOString(),
      actor_user_id: event.actorUserId,
      action: event.action,
      subject_type: event.subjectType ?? null,
      subject_id: event.subjectId === undefined ? null : String(event.subjectId),
      detail: event.detail ? JSON.stringify(event.detail) : null,
      ip: event.ip ?? null,
    })
    .execute()
}
