// Settings admins can change, with their defaults when never set.
import type { DB } from '../../db/index'
import { preparedQuery } from '../../db/prepared'
import type { EmailOrganisation } from '../email/templates.server'
import type { Links } from './links'
import { DEFAULT_ORGANISATION_NAME, telHref, type Organisation } from './organisation'

export const SETTING_DEFAULTS = {
  max_children_per_booking: '6',
  /** hours a new family's places are held for it to confirm its address (never past the booking close) */
  family_hold_hours: '24',
  /** 'on': a new family's first booking waits for staff to approve it; off by default */
  approve_new_families: 'off',
  /** hours before the start of the second reminder, on the day (0: no second reminder) */
  second_reminder_hours: '3',
  /** hours before the start within which a freed space is offered to the waiting list, first to claim gets it (0: never) */
  offer_window_hours: '24',
  /** months after a session before its bookings' personal details are erased (two years unless an admin changes it) */
  retention_months: '24',
  /** years after a safeguarding concern is closed before it is erased (concerns.server.ts: why 25) */
  concern_retention_years: '25',
  /** the month (1–12) the reporting year starts: 4 for the UK financial year, Q1 April–June */
  quarter_first_month: '4',
  eligibility_statement:
    'Join In activities are for children and young people who were adopted, or who live with their family under a special guardianship or child arrangements order after care, and whose family lives in or is supported by Kent, Medway or Bexley.',
  // How the details are used is said (with its lawful basis and the privacy notice) under these terms
  // on the form, so the terms themselves are only the conditions of taking part.
  booking_terms: 'Children must be supervised by an adult at home during online sessions.',
  // Who runs the service and how to reach them: the footer of every page, the accessibility
  // statement and the privacy notice. organisation_name falls back to ORGANISATION_NAME (config).
  // The defaults are Kent's: the Participation & Engagement team is part of Kent County Council's
  // Virtual School, commissioned by Adoption Partnership South East. Check them before going live.
  organisation_name: '',
  contact_email: 'vskparticipation@kent.gov.uk',
  contact_phone: '03000 41 41 41',
  controller_name: 'Kent County Council',
  dpo_name: 'Kent County Council’s Data Protection Officer',
  dpo_email: 'dataprotection@kent.gov.uk',
} as const

export type SettingKey = keyof typeof SETTING_DEFAULTS

export async function getSetting(db: DB, key: SettingKey): Promise<string> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst()
  return row?.value ?? SETTING_DEFAULTS[key]
}

/** A number setting's value: what was saved, or its default when nothing (or no number) was. */
function asNumber(saved: string | undefined, key: SettingKey): number {
  const value = Number(saved ?? SETTING_DEFAULTS[key])
  return Number.isFinite(value) ? value : Number(SETTING_DEFAULTS[key])
}

export async function getNumberSetting(db: DB, key: SettingKey): Promise<number> {
  return asNumber(await getSetting(db, key), key)
}

export const ORGANISATION_KEYS = {
  organisationName: 'organisation_name',
  contactEmail: 'contact_email',
  contactPhone: 'contact_phone',
  controllerName: 'controller_name',
  dpoName: 'dpo_name',
  dpoEmail: 'dpo_email',
} as const satisfies Record<keyof Organisation, SettingKey>

/** The settings read on every page and for every booking, compiled once (db/prepared.ts). */
const OFTEN_READ = [
  ...Object.values(ORGANISATION_KEYS),
  'family_hold_hours',
  'approve_new_families',
] as const satisfies readonly SettingKey[]
const readOftenRead = preparedQuery((db, _: Record<string, never>) =>
  db
    .selectFrom('setting')
    .select(['key', 'value'])
    .where('key', 'in', [...OFTEN_READ]),
)

async function oftenReadSettings(db: DB): Promise<Map<string, string>> {
  const rows = (await readOftenRead(db, {})).rows
  return new Map(rows.map((r) => [r.key, r.value]))
}

function organisationFrom(saved: Map<string, string>, defaultName: string): Organisation {
  const value = (key: SettingKey) => saved.get(key) || SETTING_DEFAULTS[key]
  return {
    organisationName: saved.get(ORGANISATION_KEYS.organisationName) || defaultName,
    contactEmail: value('contact_email'),
    contactPhone: value('contact_phone'),
    controllerName: value('controller_name'),
    dpoName: value('dpo_name'),
    dpoEmail: value('dpo_email'),
  }
}

function emailOrganisationOf(organisation: Organisation): EmailOrganisation {
  const { organisationName, contactEmail, contactPhone } = organisation
  return { organisationName, contactEmail, contactPhone, contactPhoneHref: telHref(contactPhone) }
}

/**
 * Who runs the service and how to reach them, in one read (the root loader asks on every page).
 * `defaultName` is ORGANISATION_NAME, used until an admin saves a name.
 */
export async function getOrganisation(db: DB, defaultName: string): Promise<Organisation> {
  return organisationFrom(await oftenReadSettings(db), defaultName)
}

/**
 * What a booking needs from the settings, in one read: who its email is from, how long a hold
 * lasts, and whether the team approves a new family's first booking.
 */
export async function bookingSettings(
  db: DB,
  links: Links,
): Promise<{ organisation: EmailOrganisation; familyHoldHours: number; approveNewFamilies: boolean }> {
  const saved = await oftenReadSettings(db)
  return {
    organisation: emailOrganisationOf(organisationFrom(saved, links.organisationName ?? DEFAULT_ORGANISATION_NAME)),
    familyHoldHours: asNumber(saved.get('family_hold_hours'), 'family_hold_hours'),
    approveNewFamilies: (saved.get('approve_new_families') ?? SETTING_DEFAULTS.approve_new_families) === 'on',
  }
}

/** Who every email is from and how to reach them (its footer), as the settings say now. */
export async function emailOrganisation(db: DB, links: Links): Promise<EmailOrganisation> {
  return emailOrganisationOf(await getOrganisation(db, links.organisationName ?? DEFAULT_ORGANISATION_NAME))
}
