// Staff sending a failed email again: the outbox does the requeue, this adds the audit entry in
// the same transaction, so a retry is never unrecorded.
import type { DB } from '../../db/index'
import { requeueFailed } from '../email/outbox.server'
import { recordAudit } from './audit.server'

/** Queues a failed email to be sent again; false if it had not failed. Audited when a staff member asked. */
export async function retryFailed(db: DB, id: number, actor?: { userId: number; ip?: string }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const retried = await requeueFailed(trx, id)
    if (retried && actor) {
      await recordAudit(trx, {
        actorUserId: actor.userId,
        action: 'outbox.retry',
        subjectType: 'outbox',
        subjectId: id,
        ip: actor.ip,
      })
    }
    return retried
  })
}
