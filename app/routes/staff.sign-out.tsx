import type { ActionFunctionArgs } from 'react-router'
import { redirect } from 'react-router'
import { endSession, getStaff } from '~/auth/session.server'
import { recordSignOut } from '~/domain/staff.server'

// Signing out is a POST only: a GET must never change anything.
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await getStaff(request, context)
  const cookie = await endSession(request, context)
  if (staff) await recordSignOut(context.db, { id: staff.id, ip: context.clientIp })
  return redirect('/staff/sign-in', { headers: { 'Set-Cookie': cookie } })
}

export async function loader() {
  return redirect('/staff')
}
