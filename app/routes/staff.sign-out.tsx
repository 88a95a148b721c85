import type { ActionFunctionArgs } from 'react-router'
import { redirect } from 'react-router'
import { endSession, getStaff } from '~/auth/session.server'
import { recordAudit } from '~/domain/audit.server'

// Signing out is a POST only: a GET must never change anything.
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await getStaff(request, context)
  const cookie = await endSession(request, context)
  if (staff) await recordAudit(context.db, { actorUserId: staff.id, action: 'staff.signed-out', ip: context.clientIp })
  return redirect('/staff/sign-in', { headers: { 'Set-Cookie': cookie } })
}

export async function loader() {
  return redirect('/staff')
}
