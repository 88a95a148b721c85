// Every URL stays as it was under Remix v2: links in sent emails, newsletters and the Power BI
// feed depend on them. The table was read from the last Remix build's route manifest; a renamed
// route file, a new layout that nests a route, or a changed routing convention fails here.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { describe, expect, it } from 'vitest'

// route file (under app/routes) → the URL it answers ("(index)" for index routes)
const REMIX_V2_URLS = [
  ['_index', '/ (index)'],
  // added since: unknown URLs get the not-found page with the full layout (contact details)
  ['$', '/*'],
  ['accessibility', '/accessibility'],
  ['activities.$id', '/activities/:id'],
  ['adoptables._index', '/adoptables (index)'],
  ['adoptables.consent', '/adoptables/consent'],
  ['adoptables.join', '/adoptables/join'],
  ['adoptables.members.$id', '/adoptables/members/:id'],
  ['adoptables.privacy', '/adoptables/privacy'],
  ['api.reports[.]csv', '/api/reports.csv'],
  ['bookings.$reference', '/bookings/:reference'],
  ['bookings.$reference.invite[.]ics', '/bookings/:reference/invite.ics'],
  ['calendar[.]ics', '/calendar.ics'],
  ['feedback.$token', '/feedback/:token'],
  ['healthz', '/healthz'],
  ['mailing-list._index', '/mailing-list (index)'],
  ['mailing-list.confirm', '/mailing-list/confirm'],
  ['mailing-list.unsubscribe', '/mailing-list/unsubscribe'],
  ['privacy', '/privacy'],
  // added since (the beta banner's feedback link), not a Remix v2 URL
  ['service-feedback', '/service-feedback'],
  ['staff._index', '/staff (index)'],
  ['staff.account', '/staff/account'],
  ['staff.activities.$id._index', '/staff/activities/:id (index)'],
  ['staff.activities.$id.edit', '/staff/activities/:id/edit'],
  ['staff.activities.$id.feedback', '/staff/activities/:id/feedback'],
  ['staff.activities.$id.messages', '/staff/activities/:id/messages'],
  ['staff.activities.$id.register', '/staff/activities/:id/register'],
  ['staff.activities.$id.register[.]csv', '/staff/activities/:id/register.csv'],
  ['staff.activities.new', '/staff/activities/new'],
  ['staff.api-tokens', '/staff/api-tokens'],
  ['staff.audit', '/staff/audit'],
  ['staff.erasure', '/staff/erasure'],
  ['staff.mailing-list', '/staff/mailing-list'],
  ['staff.mailing-list[.]csv', '/staff/mailing-list.csv'],
  ['staff.members', '/staff/members'],
  ['staff.outbox', '/staff/outbox'],
  ['staff.outbox_.$id', '/staff/outbox/:id'],
  ['staff.reports._index', '/staff/reports (index)'],
  ['staff.reports.csv', '/staff/reports/csv'],
  ['staff.reports.places[.]csv', '/staff/reports/places.csv'],
  ['staff.reports.print', '/staff/reports/print'],
  ['staff.reports.xlsx', '/staff/reports/xlsx'],
  ['staff.set-password', '/staff/set-password'],
  ['staff.settings', '/staff/settings'],
  ['staff.setup', '/staff/setup'],
  ['staff.sign-in', '/staff/sign-in'],
  ['staff.sign-out', '/staff/sign-out'],
  ['staff.two-factor', '/staff/two-factor'],
  ['staff.users._index', '/staff/users (index)'],
  ['staff.users.$id', '/staff/users/:id'],
  ['staff.users.invite', '/staff/users/invite'],
]

function urlOf(routes: ServerBuild['routes'], id: string): string {
  const segments: string[] = []
  for (let route = routes[id]; route; route = route.parentId ? routes[route.parentId] : undefined) {
    if (route.path) segments.unshift(route.path)
  }
  return `/${segments.join('/')}${routes[id]!.index ? ' (index)' : ''}`
}

describe('the routes', () => {
  it('answer exactly the URLs they answered under Remix v2, and no others', async () => {
    const buildFile = path.resolve(import.meta.dirname, '../../build/server/index.js')
    const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild
    const actual = Object.keys(build.routes)
      .filter((id) => id !== 'root')
      .map((id) => [id.replace(/^routes\//, ''), urlOf(build.routes, id)])
      .sort(([a], [b]) => a!.localeCompare(b!))
    expect(actual).toEqual(REMIX_V2_URLS)
  })
})
