// What an administrator changes in settings: age bands, partner authorities, the reporting
// year's first month and the organisation's wording. Every change is validated here, saved in
// one transaction with its audit row, and returned as a value the settings page turns into messages.
import type { DB } from '../../db/index'
import { validateAgeBands, type AgeBandRow, type ValidAgeBand } from './age-band-rules'
import { recordAudit } from './audit.server'
import { RETENTION_LAST_RUN_KEY, RETENTION_MONTHS_MAX, RETENTION_MONTHS_MIN } from './retention.server'
import {
  CONCERN_RETENTION_YEARS_DEFAULT,
  CONCERN_RETENTION_YEARS_MAX,
  CONCERN_RETENTION_YEARS_MIN,
} from './concern-form'
import { forgetAuthorities } from './authorities.server'
import { fieldErrors } from './form-fields'
import type { Organisation } from './organisation'
import {
  ORGANISATION_FIELD_ORDER,
  PARTNERS_FIELD,
  familiesSchema,
  type FamiliesInput,
  type FamiliesSettings,
  QUARTER_MONTH_FIELD,
  RETENTION_FIELD,
  CONCERN_RETENTION_FIELD,
  organisationSchema,
  type OrganisationInput,
  wordingSchema,
  type Wording,
  type WordingInput,
  remindersSchema,
  type RemindersInput,
  type RemindersSettings,
} from './settings-form'
import { ORGANISATION_KEYS, SETTING_DEFAULTS, getOrganisation, getSetting, type SettingKey } from './settings.server'

export type SaveResult<T = undefined> = { ok: true; value: T } | { ok: false; errors: Record<string, string> }

// A transaction is a DB too, so the audit row commits (or not) with the change it records.
async function writeSettings(db: DB, values: Partial<Record<SettingKey, string>>, now: string): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    await db
      .insertInto('setting')
      .values({ key, value: value!, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: value!, updated_at: now }))
      .execute()
  }
}

// ---- age bands ----

export async function listAgeBands(db: DB): Promise<ValidAgeBand[]> {
  return db.selectFrom('age_band').select(['label', 'min_age', 'max_age']).orderBy('min_age').execute()
}

/** Replaces every age band at once: the set is only valid as a whole. */
export async function saveAgeBands(db: DB, rows: AgeBandRow[], actorId: number): Promise<SaveResult<ValidAgeBand[]>> {
  const checked = validateAgeBands(rows)
  if (!checked.ok) return { ok: false, errors: checked.errors }
  const bands = checked.bands
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('age_band').select('label').orderBy('min_age').execute()
    await trx.deleteFrom('age_band').execute()
    await trx.insertInto('age_band').values(bands).execute()
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'settings.age-bands-changed',
      subjectType: 'setting',
      subjectId: 'age_bands',
      detail: { before: before.map((b) => b.label), after: bands.map((b) => b.label) },
    })
  })
  return { ok: true, value: bands }
}

// ---- partner authorities ----

/** Partners are chosen among English councils: they are the councils that commission the service. */
export async function setPartners(db: DB, codes: readonly string[], actorId: number): Promise<SaveResult<string[]>> {
  const wanted = [...new Set(codes.map((c) => c.trim()).filter(Boolean))]
  if (wanted.length === 0) return { ok: false, errors: { [PARTNERS_FIELD]: 'Select at least one partner council' } }
  const english = await db
    .selectFrom('authority')
    .select(['code', 'name', 'is_partner'])
    .where('nation', '=', 'england')
    .where('active', '=', 1)
    .execute()
  const known = new Map(english.map((a) => [a.code, a]))
  if (wanted.some((code) => !known.has(code))) {
    return { ok: false, errors: { [PARTNERS_FIELD]: 'Select partner councils from the list' } }
  }
  const before = english.filter((a) => a.is_partner === 1).map((a) => a.code)
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('authority')
      .set({ is_partner: 0 })
      .where('is_partner', '=', 1)
      .where('code', 'not in', wanted)
      .execute()
    await trx.updateTable('authority').set({ is_partner: 1 }).where('code', 'in', wanted).execute()
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'settings.partners-changed',
      subjectType: 'setting',
      subjectId: 'partners',
      detail: {
        before: before.map((code) => known.get(code)!.name).sort(),
        after: wanted.map((code) => known.get(code)!.name).sort(),
      },
    })
  })
  // The booking form's list is cached for a minute; partners must move to the top at once.
  forgetAuthorities(db)
  return { ok: true, value: wanted }
}

// ---- reporting year ----

export async function getQuarterFirstMonth(db: DB): Promise<number> {
  const month = Number(await getSetting(db, 'quarter_first_month'))
  return Number.isInteger(month) && month >= 1 && month <= 12 ? month : Number(SETTING_DEFAULTS.quarter_first_month)
}

export async function setQuarterFirstMonth(
  db: DB,
  month: number | string,
  actorId: number,
): Promise<SaveResult<number>> {
  const text = String(month).trim()
  const value = Number(text)
  if (!/^\d{1,2}$/.test(text) || value < 1 || value > 12) {
    return { ok: false, errors: { [QUARTER_MONTH_FIELD]: 'Select the month the reporting year starts' } }
  }
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('setting')
      .select('value')
      .where('key', '=', 'quarter_first_month')
      .executeTakeFirst()
    await writeSettings(trx, { quarter_first_month: String(value) }, new Date().toISOString())
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'settings.quarter-first-month-changed',
      subjectType: 'setting',
      subjectId: 'quarter_first_month',
      detail: { before: Number(before?.value ?? SETTING_DEFAULTS.quarter_first_month), after: value },
    })
  })
  return { ok: true, value }
}

// ---- retention ----

/**
 * How many months after a session its bookings keep names and contact details. At least 3, so a
 * quarter's registers and feedback can still be checked; at most 10 years.
 */
export async function setRetentionMonths(db: DB, typed: string, actorId: number): Promise<SaveResult<number>> {
  const text = typed.trim()
  const value = Number(text)
  if (!/^\d{1,3}$/.test(text) || value < RETENTION_MONTHS_MIN || value > RETENTION_MONTHS_MAX) {
    return {
      ok: false,
      errors: {
        [RETENTION_FIELD]: `Enter a whole number of months from ${RETENTION_MONTHS_MIN} to ${RETENTION_MONTHS_MAX}, like 24`,
      },
    }
  }
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('setting')
      .select('value')
      .where('key', '=', 'retention_months')
      .executeTakeFirst()
    await writeSettings(trx, { retention_months: String(value) }, new Date().toISOString())
    // The daily job runs again at its next tick (within minutes) with the new period.
    await trx.deleteFrom('setting').where('key', '=', RETENTION_LAST_RUN_KEY).execute()
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'settings.retention-changed',
      subjectType: 'setting',
      subjectId: 'retention_months',
      detail: { before: Number(before?.value ?? SETTING_DEFAULTS.retention_months), after: value },
    })
  })
  return { ok: true, value }
}

/**
 * How many years after closing a safeguarding concern is kept (concerns.server.ts says why the
 * default is 25 and the bounds 6 and 100). The nightly job applies it at its next tick.
 */
export async function setConcernRetentionYears(db: DB, typed: string, actorId: number): Promise<SaveResult<number>> {
  const text = typed.trim()
  const value = Number(text)
  if (!/^\d{1,3}$/.test(text) || value < CONCERN_RETENTION_YEARS_MIN || value > CONCERN_RETENTION_YEARS_MAX) {
    return {
      ok: false,
      errors: {
        [CONCERN_RETENTION_FIELD]: `Enter a whole number of years from ${CONCERN_RETENTION_YEARS_MIN} to ${CONCERN_RETENTION_YEARS_MAX}, like ${CONCERN_RETENTION_YEARS_DEFAULT}`,
      },
    }
  }
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('setting')
      .select('value')
      .where('key', '=', 'concern_retention_years')
      .executeTakeFirst()
    await writeSettings(trx, { concern_retention_years: String(value) }, new Date().toISOString())
    await trx.deleteFrom('setting').where('key', '=', RETENTION_LAST_RUN_KEY).execute()
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'settings.concern-retention-changed',
      subjectType: 'setting',
      subjectId: 'concern_retention_years',
      detail: { before: Number(before?.value ?? SETTING_DEFAULTS.concern_retention_years), after: value },
    })
  })
  return { ok: true, value }
}

// ---- wording and limits ----

const WORDING_KEYS = {
  eligibilityStatement: 'eligibility_statement',
  bookingTerms: 'booking_terms',
  maxChildrenPerBooking: 'max_children_per_booking',
} as const satisfies Record<keyof Wording, SettingKey>

export async function getWording(db: DB): Promise<WordingInput> {
  const [eligibilityStatement, bookingTerms, maxChildrenPerBooking] = await Promise.all([
    getSetting(db, 'eligibility_statement'),
    getSetting(db, 'booking_terms'),
    getSetting(db, 'max_children_per_booking'),
  ])
  return { eligibilityStatement, bookingTerms, maxChildrenPerBooking }
}

export async function saveWording(db: DB, input: WordingInput, actorId: number): Promise<SaveResult<Wording>> {
  const parsed = wordingSchema.safeParse(input)
  if (!parsed.success) {
    return { ok: false, errors: fieldErrors(parsed.error) }
  }
  const wording = parsed.data
  const current = await getWording(db)
  const next = {
    eligibilityStatement: wording.eligibilityStatement,
    bookingTerms: wording.bookingTerms,
    maxChildrenPerBooking: String(wording.maxChildrenPerBooking),
  }
  const changed = (Object.keys(next) as Array<keyof Wording>).filter((key) => next[key] !== current[key])
  if (changed.length === 0) return { ok: true, value: wording }
  await db.transaction().execute(async (trx) => {
    await writeSettings(
      trx,
      Object.fromEntries(changed.map((key) => [WORDING_KEYS[key], next[key]])),
      new Date().toISOString(),
    )
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'settings.wording-changed',
      subjectType: 'setting',
      subjectId: changed.map((key) => WORDING_KEYS[key]).join(','),
      // The wording itself is public text; the limit is worth seeing in the log as a number.
      detail: {
        changed: changed.map((key) => WORDING_KEYS[key]),
        ...(changed.includes('maxChildrenPerBooking')
          ? {
              maxChildrenPerBooking: {
                before: Number(current.maxChildrenPerBooking),
                after: wording.maxChildrenPerBooking,
              },
            }
          : {}),
      },
    })
  })
  return { ok: true, value: wording }
}

// ---- organisation and contact details ----

/** Saves who runs the service and how to reach them; only the fields that changed are written and audited. */
export async function saveOrganisation(
  db: DB,
  input: OrganisationInput,
  actorId: number,
  defaultName: string,
): Promise<SaveResult<Organisation>> {
  const parsed = organisationSchema.safeParse(input)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) }
  const next = parsed.data
  const current = await getOrganisation(db, defaultName)
  const changed = ORGANISATION_FIELD_ORDER.filter((field) => next[field] !== current[field])
  if (changed.length === 0) return { ok: true, value: next }
  await db.transaction().execute(async (trx) => {
    await writeSettings(
      trx,
      Object.fromEntries(changed.map((field) => [ORGANISATION_KEYS[field], next[field]])),
      new Date().toISOString(),
    )
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'settings.organisation-changed',
      subjectType: 'setting',
      subjectId: changed.map((field) => ORGANISATION_KEYS[field]).join(','),
      // Public wording and the team's public contact details: which ones changed is enough.
      detail: { changed: changed.map((field) => ORGANISATION_KEYS[field]) },
    })
  })
  return { ok: true, value: next }
}

// ---- new families ----

/** Whether new families' first bookings wait for approval, and how long their places are held, as saved. */
export async function getFamiliesSettings(db: DB): Promise<FamiliesInput> {
  const [approveNewFamilies, familyHoldHours] = await Promise.all([
    getSetting(db, 'approve_new_families'),
    getSetting(db, 'family_hold_hours'),
  ])
  return { approveNewFamilies: approveNewFamilies === 'on' ? 'on' : 'off', familyHoldHours }
}

/** Saves the two family settings; only a change is written and audited. */
export async function saveFamiliesSettings(
  db: DB,
  input: FamiliesInput,
  actorId: number,
): Promise<SaveResult<FamiliesSettings>> {
  const parsed = familiesSchema.safeParse(input)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) }
  const next = parsed.data
  const current = await getFamiliesSettings(db)
  const approvalChanged = next.approveNewFamilies !== current.approveNewFamilies
  const hoursChanged = String(next.familyHoldHours) !== current.familyHoldHours
  if (!approvalChanged && !hoursChanged) return { ok: true, value: next }
  await db.transaction().execute(async (trx) => {
    await writeSettings(
      trx,
      {
        ...(approvalChanged ? { approve_new_families: next.approveNewFamilies } : {}),
        ...(hoursChanged ? { family_hold_hours: String(next.familyHoldHours) } : {}),
      },
      new Date().toISOString(),
    )
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'settings.families-changed',
      subjectType: 'setting',
      subjectId: [approvalChanged && 'approve_new_families', hoursChanged && 'family_hold_hours']
        .filter(Boolean)
        .join(','),
      detail: {
        ...(approvalChanged
          ? { approveNewFamilies: { before: current.approveNewFamilies, after: next.approveNewFamilies } }
          : {}),
        ...(hoursChanged
          ? { familyHoldHours: { before: Number(current.familyHoldHours), after: next.familyHoldHours } }
          : {}),
      },
    })
  })
  return { ok: true, value: next }
}

// ---- reminders and offers near the start ----

/** The second reminder's hours and the offer window's hours, as saved. */
export async function getReminderSettings(db: DB): Promise<RemindersInput> {
  const [secondReminderHours, offerWindowHours] = await Promise.all([
    getSetting(db, 'second_reminder_hours'),
    getSetting(db, 'offer_window_hours'),
  ])
  return { secondReminderHours, offerWindowHours }
}

/** Saves the two settings; only a change is written and audited. */
export async function saveReminderSettings(
  db: DB,
  input: RemindersInput,
  actorId: number,
): Promise<SaveResult<RemindersSettings>> {
  const parsed = remindersSchema.safeParse(input)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) }
  const next = parsed.data
  const current = await getReminderSettings(db)
  const changes: Partial<Record<'second_reminder_hours' | 'offer_window_hours', string>> = {}
  if (String(next.secondReminderHours) !== current.secondReminderHours)
    changes.second_reminder_hours = String(next.secondReminderHours)
  if (String(next.offerWindowHours) !== current.offerWindowHours)
    changes.offer_window_hours = String(next.offerWindowHours)
  const keys = Object.keys(changes) as Array<keyof typeof changes>
  if (keys.length === 0) return { ok: true, value: next }
  await db.transaction().execute(async (trx) => {
    await writeSettings(trx, changes, new Date().toISOString())
    await recordAudit(trx, {
      actorUserId: actorId,
      action: 'settings.reminders-changed',
      subjectType: 'setting',
      subjectId: keys.join(','),
      detail: Object.fromEntries(
        keys.map((key) => [
          key,
          {
            before: Number(key === 'second_reminder_hours' ? current.secondReminderHours : current.offerWindowHours),
            after: Number(changes[key]),
          },
        ]),
      ),
    })
  })
  return { ok: true, value: next }
}
