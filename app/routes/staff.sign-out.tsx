import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { endSession } from '~/auth/session.server'

// Signing out is a POST only: a GET must never change anything.
export async function action({ request, context }: ActionFunctionArgs) {
  const cookie = await endSession(request, context)
  return redirect('/staff/sign-in', { headers: { 'Set-Cookie': cookie } })
}

export async function loader() {
  return redirect('/staff')
}
