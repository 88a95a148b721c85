// The audit log: who did what to which record, and when.
import type { DB } from '../../db/index'
import { addDays, startOfLondonDay, type CalendarDate } from '../time/london-time'

export interface AuditEvent {
  actorUserId: number | null
  action: string
  subjectType?: string
  subjectId?: string | number
  detail?: Record<string, unknown>
  ip?: string
}

/**
 * The staff member a read or change is for, and the address the request came from. A domain
 * function that shows personal data takes one and writes the audit row itself, so no route has
 * to remember to.
 */
export interface StaffActor {
  id: number
  ip: string
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

// ---- reading the log (the audit viewer) ----

export interface AuditFilter {
  action?: string
  /** a staff member's id, or 'none' for entries with no staff member (the system, an API token) */
  actor?: number | 'none'
  /** London calendar dates, both included */
  from?: CalendarDate
  to?: CalendarDate
  subjectType?: string
  subjectId?: string
}

export type AuditActorKind = 'staff' | 'api-token' | 'system'

export interface AuditLogEntry {
  id: number
  at: string
  actorKind: AuditActorKind
  /** the staff member's name; for an API token, the token's name when the entry recorded it */
  actorName: string | null
  action: string
  subjectType: string | null
  subjectId: string | null
  /** the detail's fields as text, in the order they were written */
  detail: Array<{ key: string; value: string }>
  ip: string | null
}

export interface AuditPage {
  entries: AuditLogEntry[]
  total: number
  page: number
  pages: number
}

export const AUDIT_PAGE_SIZE = 50

/** The actions that appear in the log, for the viewer's filter. */
export async function listAuditActions(db: DB): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()
  return rows.map((r) => r.action)
}

/** The kinds of record the log names, for the viewer's filter. */
export async function listAuditSubjectTypes(db: DB): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select('subject_type')
    .distinct()
    .where('subject_type', 'is not', null)
    .orderBy('subject_type')
    .execute()
  return rows.map((r) => r.subject_type!)
}

/** Everyone who could appear as "who", including disabled accounts (their past actions stay). */
export async function listAuditActors(db: DB): Promise<Array<{ id: number; name: string; email: string }>> {
  return db.selectFrom('staff_user').select(['id', 'name', 'email']).orderBy('name').orderBy('id').execute()
}

function detailFields(detail: string | null): Array<{ key: string; value: string }> {
  if (!detail) return []
  try {
    const parsed: unknown = JSON.parse(detail)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return Object.entries(parsed).map(([key, value]) => ({
        key,
        value: typeof value === 'string' ? value : JSON.stringify(value),
      }))
    }
    return [{ key: 'detail', value: JSON.stringify(parsed) }]
  } catch {
    // Written by hand or by older code: show it as it is rather than hide it.
    return [{ key: 'detail', value: detail }]
  }
}

/** Entries with no staff member are the report feed's (an API token) or the service's own jobs. */
function actorKindOf(row: {
  actor_user_id: number | null
  action: string
  subject_type: string | null
}): AuditActorKind {
  if (row.actor_user_id !== null) return 'staff'
  return row.action.startsWith('api.') || row.subject_type === 'api_token' ? 'api-token' : 'system'
}

/** One page of the log, newest first. */
export async function queryAuditLog(db: DB, filter: AuditFilter, page: number): Promise<AuditPage> {
  let query = db.selectFrom('audit_log')
  if (filter.action) query = query.where('audit_log.action', '=', filter.action)
  if (filter.actor === 'none') query = query.where('audit_log.actor_user_id', 'is', null)
  else if (filter.actor !== undefined) query = query.where('audit_log.actor_user_id', '=', filter.actor)
  if (filter.from) query = query.where('audit_log.at', '>=', startOfLondonDay(filter.from).toISOString())
  if (filter.to) query = query.where('audit_log.at', '<', startOfLondonDay(addDays(filter.to, 1)).toISOString())
  if (filter.subjectType) query = query.where('audit_log.subject_type', '=', filter.subjectType)
  if (filter.subjectId) query = query.where('audit_log.subject_id', '=', filter.subjectId)

  const counted = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const total = Number(counted.n)
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE))
  const current = Math.min(Math.max(1, Math.floor(page)), pages)
  const rows = await query
    .leftJoin('staff_user', 'staff_user.id', 'audit_log.actor_user_id')
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.actor_user_id',
      'audit_log.action',
      'audit_log.subject_type',
      'audit_log.subject_id',
      'audit_log.detail',
      'audit_log.ip',
      'staff_user.name as actor_name',
    ])
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(AUDIT_PAGE_SIZE)
    .offset((current - 1) * AUDIT_PAGE_SIZE)
    .execute()

  return {
    total,
    page: current,
    pages,
    entries: rows.map((r) => {
      const actorKind = actorKindOf(r)
      const detail = detailFields(r.detail)
      return {
        id: r.id,
        at: r.at,
        actorKind,
        actorName:
          actorKind === 'staff'
            ? r.actor_name
            : actorKind === 'api-token'
              ? (detail.find((d) => d.key === 'token')?.value ?? null)
              : null,
        action: r.action,
        subjectType: r.subject_type,
        subjectId: r.subject_id,
        detail,
        ip: r.ip,
      }
    }),
  }
}

// ---- the viewer's filters ----

const SUBJECT_ID_PATTERN = /^[\w.:@+-]{1,100}$/

/** The viewer's filters as typed (already trimmed and bounded), and the dates as read. */
export interface AuditQuery {
  action: string
  actor: string
  subjectType: string
  subjectId: string
  page: number
  dates: { from: CalendarDate | null; to: CalendarDate | null; errors: Record<string, string> }
}

/**
 * The audit viewer's page: the filter choices, the filters checked against them, and one page of
 * the log. With a wrong filter there are no entries rather than entries nobody asked for. The log
 * names staff and the addresses they worked from, so reading it is itself recorded, with the
 * filters used.
 */
export async function auditLogPage(db: DB, query: AuditQuery, actor: StaffActor) {
  const [actions, actors, subjectTypes] = await Promise.all([
    listAuditActions(db),
    listAuditActors(db),
    listAuditSubjectTypes(db),
  ])

  const errors: Record<string, string> = {}
  const filter: AuditFilter = {}
  if (query.action) {
    if (actions.includes(query.action)) filter.action = query.action
    else errors.action = 'Select an action from the list'
  }
  if (query.actor === 'none') filter.actor = 'none'
  else if (query.actor) {
    const id = /^\d{1,12}$/.test(query.actor) ? Number(query.actor) : NaN
    if (actors.some((a) => a.id === id)) filter.actor = id
    else errors.actor = 'Select a member of staff from the list'
  }
  Object.assign(errors, query.dates.errors)
  filter.from = query.dates.from ?? undefined
  filter.to = query.dates.to ?? undefined
  if (query.subjectType) {
    if (subjectTypes.includes(query.subjectType)) filter.subjectType = query.subjectType
    else errors.subjectType = 'Select a kind of record from the list'
  }
  if (query.subjectId) {
    if (SUBJECT_ID_PATTERN.test(query.subjectId)) filter.subjectId = query.subjectId
    else
      errors.subjectId = 'Record number must be 100 letters, numbers or symbols like - _ . : @ or fewer, with no spaces'
  }

  const hasErrors = Object.keys(errors).length > 0
  const page = hasErrors ? null : await queryAuditLog(db, filter, query.page)
  if (page) {
    const filters = Object.fromEntries(
      Object.entries({ ...filter, page: page.page > 1 ? page.page : undefined }).filter(([, v]) => v !== undefined),
    )
    await recordAudit(db, {
      actorUserId: actor.id,
      action: 'audit.viewed',
      detail: Object.keys(filters).length ? filters : undefined,
      ip: actor.ip,
    })
  }
  return {
    errors,
    options: {
      actions,
      actors: actors.map((a) => ({ value: String(a.id), text: `${a.name} (${a.email})` })),
      subjectTypes,
    },
    page,
  }
}
