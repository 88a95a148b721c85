// The staff's view of the mailing list: who is on it now (a count and a CSV), and each month's
// joins, leaves and bounces for the audit.
import type { DB } from '../../db/index'
import type { MailingListEventKind } from '../../db/schema'
import {
  addMonths,
  calendarDate,
  londonDateOf,
  londonMonthKey,
  londonParts,
  londonTimeOf,
  startOfLondonDay,
} from '../time/london-time'
import { recordAudit, type StaffActor } from './audit.server'
import { csvField } from './csv'

async function countCurrentSubscribers(db: DB): Promise<number> {
  const row = await db
    .selectFrom('mailing_list_subscriber')
    .select((eb) => eb.fn.countAll<number | bigint>().as('n'))
    .where('status', '=', 'subscribed')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Current subscribers as CSV for staff: UTF-8 with a BOM and CRLF line ends so Excel opens it
 * cleanly, every field through csvField (formula-safe). Returns the file and how many rows.
 */
async function currentSubscribersCsv(db: DB): Promise<{ csv: string; count: number }> {
  const rows = await db
    .selectFrom('mailing_list_subscriber')
    .select(['email', 'first_name', 'confirmed_at', 'source'])
    .where('status', '=', 'subscribed')
    .orderBy('email')
    .execute()
  const lines = [['Email address', 'First name', 'Joined (UK time)', 'Joined from'].map(csvField).join(',')]
  for (const row of rows) {
    const joined = row.confirmed_at ? `${londonDateOf(row.confirmed_at)} ${londonTimeOf(row.confirmed_at)}` : ''
    lines.push(
      [row.email, row.first_name, joined, row.source === 'booking' ? 'Booking form' : 'Sign-up page']
        .map(csvField)
        .join(','),
    )
  }
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, count: rows.length }
}

/** "2026-11": a month that exists. */
export function isMonthKey(value: string): boolean {
  const match = /^(\d{4})-(\d{2})$/.exec(value)
  return (
    Boolean(match) &&
    Number(match![2]) >= 1 &&
    Number(match![2]) <= 12 &&
    Number(match![1]) >= 2000 &&
    Number(match![1]) <= 2200
  )
}

export interface MonthlyAudit {
  month: string
  joins: number
  leaves: number
  bounces: number
  /** oldest first; email null once the person was erased */
  events: Array<{ kind: MailingListEventKind; at: string; email: string | null }>
}

/** Current subscribers as CSV for a staff member: their addresses leave the service, so it is audited. */
export async function exportCurrentSubscribers(db: DB, actor: StaffActor): Promise<{ csv: string; count: number }> {
  const exported = await currentSubscribersCsv(db)
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'mailing-list.exported',
    subjectType: 'mailing-list',
    detail: { format: 'csv', subscribers: exported.count },
    ip: actor.ip,
  })
  return exported
}

/** A month's joins, leaves and bounces for a staff member: the lists show addresses, so a view with any is audited. */
async function viewMonthlyAudit(db: DB, month: string, actor: StaffActor): Promise<MonthlyAudit> {
  const audit = await monthlyAudit(db, month)
  if (audit.events.length) {
    await recordAudit(db, {
      actorUserId: actor.id,
      action: 'mailing-list.viewed',
      subjectType: 'mailing-list',
      subjectId: month,
      ip: actor.ip,
    })
  }
  return audit
}

/** Joins, leaves and bounces in one London calendar month. */
export async function monthlyAudit(db: DB, month: string): Promise<MonthlyAudit> {
  if (!isMonthKey(month)) throw new RangeError(`Not a month: ${month}`)
  const from = startOfLondonDay(`${month}-01`).toISOString()
  const to = startOfLondonDay(addMonths(`${month}-01`, 1)).toISOString()
  const events = await db
    .selectFrom('mailing_list_event')
    .leftJoin('mailing_list_subscriber', 'mailing_list_subscriber.id', 'mailing_list_event.subscriber_id')
    .select(['mailing_list_event.kind', 'mailing_list_event.at', 'mailing_list_subscriber.email'])
    .where('mailing_list_event.at', '>=', from)
    .where('mailing_list_event.at', '<', to)
    .orderBy('mailing_list_event.at')
    .orderBy('mailing_list_event.id')
    .execute()
  const count = (kind: MailingListEventKind) => events.filter((e) => e.kind === kind).length
  return { month, joins: count('join'), leaves: count('leave'), bounces: count('bounce'), events }
}

/** How many months back the staff page offers. */
const MONTHS_SHOWN = 24

/**
 * The staff mailing-list page: how many are subscribed now, the months to choose from, and the
 * chosen month's changes (an audited view); without a month, this month's.
 */
export async function mailingListPage(db: DB, chosen: string | undefined, actor: StaffActor, now = new Date()) {
  const thisMonth = londonMonthKey(now)
  const { year, month: monthNumber } = londonParts(now)
  const firstOfMonth = calendarDate(year, monthNumber, 1)
  const months = Array.from({ length: MONTHS_SHOWN }, (_, i) =>
    londonMonthKey(startOfLondonDay(addMonths(firstOfMonth, -i))),
  )
  const month = chosen ?? thisMonth
  const [current, audit] = await Promise.all([countCurrentSubscribers(db), viewMonthlyAudit(db, month, actor)])
  return { current, audit, months: months.includes(month) ? months : [month, ...months] }
}
