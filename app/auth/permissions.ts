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
  ],
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission)
}

export const ROLE_NAMES: Record<Role, string> = {
  admin: 'Administrator',
  staff: 'Participation staff',
  viewer: 'Viewer (reports only)',
}
