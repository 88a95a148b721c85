import type { ActionFunctionArgs } from 'react-router'
import { redirect } from 'react-router'
import { endFamilySession } from '~/auth/family-session.server'

// Signing out is a POST only: a GET must never change anything. The session's row goes, so a
// copy of the cookie stops working too.
export async function action({ request, context }: ActionFunctionArgs) {
  const cookie = await endFamilySession(request, context)
  return redirect('/', { headers: { 'Set-Cookie': cookie } })
}

export async function loader() {
  return redirect('/family')
}
