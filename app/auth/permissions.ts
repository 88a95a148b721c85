// Which role may do what. Checked on the server at the top of every staff loader and action.
import type { Role } from '../../db/schema'

export type Permission =
  /** one's own account page (two-factor): everyone signed in */
  | 'account:self'
  | 'reports:read'
  /** the row-level places CSV: one line per place, for staff reconciling figures (not viewers) */
  | 'reports:places'
  | 'activities:read'
  | 'activities:write'
  | 'bookings:read'
  | 'bookings:write'
  | 'outbox:read'
  | 'staff:manage'
  | 'settings:write'
  | 'audit:read'
  /** record a safeguarding concern from a session or register: staff and admins */
  | 'concerns:record'
  /** list, read, add notes to and close concerns: only safeguarding leads, whatever their role (see LEAD_PERMISSIONS) */
  | 'concerns:read'

/** Most access first, as the invitation form lists them. */
export const ROLES = ['admin', 'staff', 'viewer'] as const satisfies readonly Role[]

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['account:self', 'reports:read'],
  staff: [
    'account:self',
    'reports:read',
    'reports:places',
    'activities:read',
    'activities:write',
    'bookings:read',
    'bookings:write',
    'outbox:read',
    'concerns:record',
  ],
  admin: [
    'account:self',
    'reports:read',
    'reports:places',
    'activities:read',
    'activities:write',
    'bookings:read',
    'bookings:write',
    'outbox:read',
    'staff:manage',
    'settings:write',
    'audit:read',
    'concerns:record',
  ],
}

/**
 * What the safeguarding lead flag adds. No role carries these: an administrator without the flag
 * cannot read a concern. A viewer is never a lead (they see no sessions and need not use two-factor
 * sign-in), so the flag counts only on a staff or admin account.
 */
const LEAD_PERMISSIONS: readonly Permission[] = ['concerns:read']

/** The roles that may hold the safeguarding lead flag. */
export function canBeSafeguardingLead(role: Role): boolean {
  return role === 'staff' || role === 'admin'
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission)
}

/** A signed-in account's permissions: its role's, and the lead's when it is a safeguarding lead. */
export function accountCan(account: { role: Role; safeguardingLead: boolean }, permission: Permission): boolean {
  if (can(account.role, permission)) return true
  return account.safeguardingLead && canBeSafeguardingLead(account.role) && LEAD_PERMISSIONS.includes(permission)
}

export const ROLE_NAMES: Record<Role, string> = {
  admin: 'Administrator',
  staff: 'Participation staff',
  viewer: 'Viewer (reports only)',
}
