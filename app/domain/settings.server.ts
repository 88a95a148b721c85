// Settings admins can change, with their defaults when never set.
import type { DB } from '../../db/index'

export const SETTING_DEFAULTS = {
  max_children_per_booking: '6',
  /** months after a session before its bookings' personal details are erased (two years unless an admin changes it) */
  retention_months: '24',
  /** the month (1–12) the reporting year starts: 4 for the UK financial year, Q1 April–June */
  quarter_first_month: '4',
  eligibility_statement:
    'Join In activities are for children and young people who were adopted, or who live with their family under a special guardianship or child arrangements order after care, and whose family lives in or is supported by Kent, Medway or Bexley.',
  booking_terms:
    'We use the details you give to run the session and to count, without names, how many children from each council area take part. Children must be supervised by an adult at home during online sessions.',
} as const

export type SettingKey = keyof typeof SETTING_DEFAULTS

export async function getSetting(db: DB, key: SettingKey): Promise<string> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst()
  return row?.value ?? SETTING_DEFAULTS[key]
}

export async function getNumberSetting(db: DB, key: SettingKey): Promise<number> {
  const value = Number(await getSetting(db, key))
  return Number.isFinite(value) ? value : Number(SETTING_DEFAULTS[key])
}
