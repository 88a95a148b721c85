// Who must use two-factor sign-in. Admin and staff accounts see children's and families' details,
// so a password alone is not enough for them; viewers (aggregate reports only) may opt in.
import type { Role } from '../../db/schema'

export function twoFactorRequired(role: Role): boolean {
  return role === 'admin' || role === 'staff'
}

/** Where someone who must set up two-factor is sent, coming back to `back` afterwards. */
export function twoFactorSetupPath(back?: string): string {
  return back && back !== '/staff/two-factor'
    ? `/staff/two-factor?redirectTo=${encodeURIComponent(back)}`
    : '/staff/two-factor'
}
