// Keeping personal data no longer than needed: the retention period, and the daily job that
// erases what is older (the erasing itself is in erasure.server.ts, shared with a subject
// erasure request).
import { checkpointAfterErasure, type DB } from '../../db/index'
import { addMonths, londonDateOf, startOfLondonDay } from '../time/london-time'
import { recordAudit } from './audit.server'
import { concernRetentionYears, eraseClosedConcerns } from './concerns.server'
import { addErasures, eraseBookings, eraseMembers, noErasures, type ErasureCounts } from './erasure.server'
import { eraseOldFamilies } from './family-data.server'
import { getNumberSetting } from './settings.server'

/** Bookings erased per transaction, so a first run over years of data never holds the database long. */
const BATCH = 500
/** The London date the daily job last ran; cleared when an admin changes the period, so it applies within minutes. */
export const RETENTION_LAST_RUN_KEY = 'retention_last_run'

export const RETENTION_MONTHS_MIN = 3
export const RETENTION_MONTHS_MAX = 120

/**
 * The first instant that is kept: the start of the London day `months` months before today. A
 * session that started before it has its personal details erased.
 */
export function retentionCutoff(now: Date, months: number): Date {
  return startOfLondonDay(addMonths(londonDateOf(now.toISOString()), -months))
}

export async function getRetentionMonths(db: DB): Promise<number> {
  const months = await getNumberSetting(db, 'retention_months')
  return Number.isInteger(months) && months >= RETENTION_MONTHS_MIN && months <= RETENTION_MONTHS_MAX ? months : 24
}

/**
 * The retention rule: bookings on sessions that started before the cutoff lose their personal
 * details; so do young people with nothing on or after it; emails in the outbox older than the
 * cutoff are deleted and the IP addresses in older audit entries removed. Idempotent: already
 * erased rows are not selected again.
 */
export async function eraseExpired(db: DB, now = new Date(), months?: number): Promise<ErasureCounts> {
  const keepFrom = retentionCutoff(now, months ?? (await getRetentionMonths(db))).toISOString()
  const stamp = now.toISOString()
  let counts = noErasures()
  for (;;) {
    const ids = (
      await db
        .selectFrom('booking')
        .innerJoin('activity', 'activity.id', 'booking.activity_id')
        .select('booking.id')
        .where('activity.starts_at', '<', keepFrom)
        .where((eb) =>
          eb.or([
            eb('booking.email', 'is not', null),
            eb('booking.contact_name', 'is not', null),
            eb('booking.phone', 'is not', null),
            eb.exists(
              eb
                .selectFrom('place')
                .select('place.id')
                .whereRef('place.booking_id', '=', 'booking.id')
                .where((p) =>
                  p.or([
                    p('place.first_name', 'is not', null),
                    p('place.date_of_birth', 'is not', null),
                    p('place.support_needs', 'is not', null),
                  ]),
                ),
            ),
          ]),
        )
        .orderBy('booking.id')
        .limit(BATCH)
        .execute()
    ).map((b) => b.id)
    if (ids.length === 0) break
    counts = addErasures(counts, await db.transaction().execute((trx) => eraseBookings(trx, ids, stamp)))
  }

  // Young people whose last meeting (or sign-up, if they never booked) is before the cutoff.
  const members = (
    await db
      .selectFrom('member')
      .select('member.id')
      .where('member.member_key', 'not like', 'erased:%')
      .where('member.created_at', '<', keepFrom)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('booking')
              .innerJoin('activity', 'activity.id', 'booking.activity_id')
              .select('booking.id')
              .whereRef('booking.member_id', '=', 'member.id')
              .where('activity.starts_at', '>=', keepFrom),
          ),
        ),
      )
      .execute()
  ).map((m) => m.id)
  for (let i = 0; i < members.length; i += BATCH) {
    const batch = members.slice(i, i + BATCH)
    counts.members += await db.transaction().execute((trx) => eraseMembers(trx, batch, stamp))
  }

  const old = await db
    .deleteFrom('outbox')
    .where('created_at', '<', keepFrom)
    .where('status', '<>', 'sending')
    .executeTakeFirst()
  counts.emails += Number(old.numDeletedRows)
  await db.updateTable('audit_log').set({ ip: null }).where('at', '<', keepFrom).where('ip', 'is not', null).execute()
  // As after an erasure on request: old copies of the erased rows must not stay in the -wal file
  // until the server next stops cleanly.
  await checkpointAfterErasure(db)
  return counts
}

/**
 * The daily job: runs eraseExpired once per London day and records what it erased. Called every
 * few minutes by the scheduler, on every instance; the day is claimed by one statement (an upsert
 * of the date it last ran that changes the row only when it holds another day, returning it), so
 * of two instances at the same moment only the one whose claim changed the row runs. A run that
 * fails gives its day back, so the next call tries again.
 */
export async function runDailyRetention(db: DB, now = new Date()): Promise<ErasureCounts | null> {
  const today = londonDateOf(now.toISOString())
  const at = now.toISOString()
  const claimed = await db
    .insertInto('setting')
    .values({ key: RETENTION_LAST_RUN_KEY, value: today, updated_at: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: today, updated_at: at }).where('setting.value', '<>', today),
    )
    .returning('key')
    .executeTakeFirst()
  if (!claimed) return null
  let counts: ErasureCounts
  let months: number
  let families: number
  let concerns: number
  let concernYears: number
  try {
    months = await getRetentionMonths(db)
    counts = await eraseExpired(db, now, months)
    // Family profiles with nothing in the period go too, with spent sign-in links and sessions.
    families = await eraseOldFamilies(db, retentionCutoff(now, months).toISOString(), now)
    // The deleted families' rows must not stay in the -wal file either (eraseExpired checkpointed before them).
    // Safeguarding concerns have their own period, counted from closing; an open one is never erased.
    concernYears = await concernRetentionYears(db)
    concerns = await eraseClosedConcerns(db, now, concernYears)
    if (families > 0 || concerns > 0) await checkpointAfterErasure(db)
  } catch (error) {
    await db.deleteFrom('setting').where('key', '=', RETENTION_LAST_RUN_KEY).where('value', '=', today).execute()
    throw error
  }
  await recordAudit(db, {
    actorUserId: null,
    action: 'retention.ran',
    detail: {
      months,
      keepFrom: retentionCutoff(now, months).toISOString(),
      ...counts,
      families,
      concernYears,
      concerns,
    },
  })
  return counts
}
