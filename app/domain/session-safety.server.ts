// Safe sessions for staff: the two adults named on a session (staff accounts or guest adults) and
// the "before the call" checklist, each change audited; and how many adults each session has, for
// the flags on the dashboard and the session page.
import type { DB } from '../../db/index'
import type { SessionAdultRole } from '../../db/schema'
import { recordAudit, type StaffActor } from './audit.server'
import { CHILD_CONSENT_COLUMNS, consentsOf } from './child-consents'
import { ADULT_ROLES, type AdultChoice, type SessionAdultsInput } from './session-adults-form'
import { CHECKLIST_ITEMS, type ChecklistChild, type ChecklistItem, type ChecklistState } from './session-safety'

export interface NamedAdult {
  kind: 'staff' | 'guest'
  staffUserId: number | null
  name: string
  /** a guest's organisation or role; for staff, their email */
  organisation: string | null
}

export type SessionAdults = Record<SessionAdultRole, NamedAdult | null>

/** The accounts that can be named: active staff and admins (viewers are not at sessions). */
export async function listAdultAccounts(db: DB): Promise<Array<{ id: number; name: string; email: string }>> {
  return db
    .selectFrom('staff_user')
    .select(['id', 'name', 'email'])
    .where('disabled', '=', 0)
    .where('role', 'in', ['staff', 'admin'])
    .orderBy('name')
    .orderBy('id')
    .execute()
}

export async function sessionAdults(db: DB, activityId: number): Promise<SessionAdults> {
  const rows = await db
    .selectFrom('session_adult')
    .leftJoin('staff_user', 'staff_user.id', 'session_adult.staff_user_id')
    .select([
      'session_adult.role',
      'session_adult.staff_user_id',
      'session_adult.guest_name',
      'session_adult.guest_organisation',
      'staff_user.name as staffName',
      'staff_user.email as staffEmail',
    ])
    .where('session_adult.activity_id', '=', activityId)
    .execute()
  const adults: SessionAdults = { host: null, second: null }
  for (const r of rows) {
    adults[r.role] =
      r.staff_user_id !== null
        ? {
            kind: 'staff',
            staffUserId: r.staff_user_id,
            name: r.staffName ?? '(account removed)',
            organisation: r.staffEmail,
          }
        : { kind: 'guest', staffUserId: null, name: r.guest_name ?? '', organisation: r.guest_organisation }
  }
  return adults
}

/** How many adults each of these sessions has named (0, 1 or 2); sessions with none are absent. */
export async function adultsNamedBySession(db: DB, activityIds: number[]): Promise<Map<number, number>> {
  if (activityIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('session_adult')
    .select(['activity_id'])
    .select((eb) => eb.fn.countAll<number | string>().as('adults'))
    .where('activity_id', 'in', activityIds)
    .groupBy('activity_id')
    .execute()
  return new Map(rows.map((r) => [r.activity_id, Number(r.adults)]))
}

export type SaveAdultsResult =
  | { status: 'saved'; sessions: number }
  | { status: 'not-found' }
  | { status: 'cancelled' }
  | { status: 'not-an-account'; role: SessionAdultRole }

function auditChoice(choice: AdultChoice) {
  if (!choice) return null
  return choice.kind === 'staff'
    ? { staffUserId: choice.staffUserId }
    : { guest: choice.name, organisation: choice.organisation }
}

/**
 * Names the host and the second adult of a session (a role left "not named" is cleared), and with
 * wholeSeries the same adults on every later session of its series that is not cancelled. A staff
 * account must be an active staff or admin account.
 */
export async function saveSessionAdults(
  db: DB,
  activityId: number,
  input: SessionAdultsInput,
  actor: StaffActor,
  now: Date,
): Promise<SaveAdultsResult> {
  const activity = await db
    .selectFrom('activity')
    .select(['id', 'status', 'series_id', 'starts_at'])
    .where('id', '=', activityId)
    .executeTakeFirst()
  if (!activity) return { status: 'not-found' }
  if (activity.status === 'cancelled') return { status: 'cancelled' }
  const accounts = new Set((await listAdultAccounts(db)).map((a) => a.id))
  for (const role of ADULT_ROLES) {
    const choice = input[role]
    if (choice?.kind === 'staff' && !accounts.has(choice.staffUserId)) return { status: 'not-an-account', role }
  }
  const sessionIds = [activity.id]
  if (input.wholeSeries && activity.series_id !== null) {
    const later = await db
      .selectFrom('activity')
      .select('id')
      .where('series_id', '=', activity.series_id)
      .where('starts_at', '>', activity.starts_at)
      .where('status', '!=', 'cancelled')
      .execute()
    sessionIds.push(...later.map((r) => r.id))
  }
  const stamp = now.toISOString()
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('session_adult').where('activity_id', 'in', sessionIds).execute()
    const rows = sessionIds.flatMap((id) =>
      ADULT_ROLES.flatMap((role) => {
        const choice = input[role]
        if (!choice) return []
        return [
          {
            activity_id: id,
            role,
            staff_user_id: choice.kind === 'staff' ? choice.staffUserId : null,
            guest_name: choice.kind === 'guest' ? choice.name : null,
            guest_organisation: choice.kind === 'guest' ? choice.organisation : null,
            updated_by: actor.id,
            updated_at: stamp,
          },
        ]
      }),
    )
    if (rows.length) await trx.insertInto('session_adult').values(rows).execute()
  })
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'session.adults-named',
    subjectType: 'activity',
    subjectId: activity.id,
    detail: { host: auditChoice(input.host), second: auditChoice(input.second), sessions: sessionIds },
    ip: actor.ip,
  })
  return { status: 'saved', sessions: sessionIds.length }
}

/** The checklist as recorded: items never ticked are absent. */
export async function sessionChecklist(
  db: DB,
  activityId: number,
): Promise<Partial<Record<ChecklistItem, ChecklistState>>> {
  const rows = await db
    .selectFrom('session_check')
    .leftJoin('staff_user', 'staff_user.id', 'session_check.changed_by')
    .select(['session_check.item', 'session_check.ticked', 'session_check.changed_at', 'staff_user.name'])
    .where('session_check.activity_id', '=', activityId)
    .execute()
  const state: Partial<Record<ChecklistItem, ChecklistState>> = {}
  for (const r of rows) {
    if ((CHECKLIST_ITEMS as readonly string[]).includes(r.item)) {
      state[r.item as ChecklistItem] = { ticked: r.ticked === 1, changedByName: r.name, changedAt: r.changed_at }
    }
  }
  return state
}

/**
 * The children the checklist is worded for: every confirmed place, with the child's consents as
 * they are now. Only called where the register's people are already shown (and audited).
 */
export async function checklistChildren(db: DB, activityId: number): Promise<ChecklistChild[]> {
  const rows = await db
    .selectFrom('place')
    .leftJoin('child', 'child.id', 'place.child_id')
    .select(['place.first_name', ...CHILD_CONSENT_COLUMNS])
    .where('place.activity_id', '=', activityId)
    .where('place.status', '=', 'confirmed')
    .orderBy('place.first_name')
    .orderBy('place.id')
    .execute()
  return rows.map((r) => ({ firstName: r.first_name, consents: consentsOf(r) }))
}

/** Ticks or unticks one checklist item, recording who and when (now: the service's clock). */
export async function setChecklistItem(
  db: DB,
  activityId: number,
  item: ChecklistItem,
  ticked: boolean,
  actor: StaffActor,
  now: Date,
): Promise<{ status: 'saved' } | { status: 'not-found' }> {
  const activity = await db.selectFrom('activity').select('id').where('id', '=', activityId).executeTakeFirst()
  if (!activity) return { status: 'not-found' }
  const stamp = now.toISOString()
  await db
    .insertInto('session_check')
    .values({ activity_id: activityId, item, ticked: ticked ? 1 : 0, changed_by: actor.id, changed_at: stamp })
    .onConflict((oc) =>
      oc
        .columns(['activity_id', 'item'])
        .doUpdateSet({ ticked: ticked ? 1 : 0, changed_by: actor.id, changed_at: stamp }),
    )
    .execute()
  await recordAudit(db, {
    actorUserId: actor.id,
    action: ticked ? 'session.checklist-ticked' : 'session.checklist-unticked',
    subjectType: 'activity',
    subjectId: activityId,
    detail: { item, at: stamp },
    ip: actor.ip,
  })
  return { status: 'saved' }
}
