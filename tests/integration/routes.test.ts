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
  // added since (issue 15): the family's own pages: sign-in, details and children, bookings, data rights
  ['family._index', '/family (index)'],
  ['family.bookings._index', '/family/bookings (index)'],
  ['family.bookings.$reference.cancel', '/family/bookings/:reference/cancel'],
  ['family.bookings.$reference.invite[.]ics', '/family/bookings/:reference/invite.ics'],
  ['family.calendar._index', '/family/calendar (index)'],
  ['family.calendar.$token', '/family/calendar/:token'],
  ['family.children.$id._index', '/family/children/:id (index)'],
  ['family.children.$id.remove', '/family/children/:id/remove'],
  ['family.children.new', '/family/children/new'],
  ['family.confirm.$token', '/family/confirm/:token'],
  ['family.confirmed', '/family/confirmed'],
  ['family.data', '/family/data'],
  ['family.data[.]csv', '/family/data.csv'],
  ['family.data[.]json', '/family/data.json'],
  ['family.delete', '/family/delete'],
  ['family.deleted', '/family/deleted'],
  ['family.details', '/family/details'],
  ['family.sign-in._index', '/family/sign-in (index)'],
  ['family.sign-in.$token', '/family/sign-in/:token'],
  ['family.sign-out', '/family/sign-out'],
  ['feedback.$token', '/feedback/:token'],
  ['healthz', '/healthz'],
  ['mailing-list._index', '/mailing-list (index)'],
  ['mailing-list.confirm', '/mailing-list/confirm'],
  ['mailing-list.unsubscribe', '/mailing-list/unsubscribe'],
  // added since (issue 16): claiming a place offered near the start, releasing a place from a reminder
  ['offers.$token', '/offers/:token'],
  ['privacy', '/privacy'],
  ['release.$token', '/release/:token'],
  // added since (the beta banner's feedback link), not a Remix v2 URL
  ['series.$id', '/series/:id'],
  ['service-feedback', '/service-feedback'],
  ['staff._index', '/staff (index)'],
  ['staff.account', '/staff/account'],
  ['staff.activities.$id._index', '/staff/activities/:id (index)'],
  // added since (issue 17): a session's two adults and its "before the call" checklist
  ['staff.activities.$id.adults', '/staff/activities/:id/adults'],
  ['staff.activities.$id.checklist', '/staff/activities/:id/checklist'],
  // added since (issue 17): recording a safeguarding concern from a session or its register
  ['staff.activities.$id.concerns.new', '/staff/activities/:id/concerns/new'],
  ['staff.activities.$id.edit', '/staff/activities/:id/edit'],
  ['staff.activities.$id.feedback', '/staff/activities/:id/feedback'],
  ['staff.activities.$id.messages', '/staff/activities/:id/messages'],
  ['staff.activities.$id.register', '/staff/activities/:id/register'],
  // added since (issue 16): a register marked from a Teams attendance report
  ['staff.activities.$id.register_.import', '/staff/activities/:id/register/import'],
  ['staff.activities.$id.register[.]csv', '/staff/activities/:id/register.csv'],
  ['staff.activities.new', '/staff/activities/new'],
  ['staff.api-tokens', '/staff/api-tokens'],
  ['staff.audit', '/staff/audit'],
  // added since (issue 17): the safeguarding concern log, for safeguarding leads only
  ['staff.concerns._index', '/staff/concerns (index)'],
  ['staff.concerns.$id', '/staff/concerns/:id'],
  ['staff.erasure', '/staff/erasure'],
  // added since (issue 15, families): a family's page and the approvals queue for staff
  ['staff.families.$id', '/staff/families/:id'],
  ['staff.families.$id_.book', '/staff/families/:id/book'],
  ['staff.families.approvals', '/staff/families/approvals'],
  ['staff.mailing-list', '/staff/mailing-list'],
  ['staff.mailing-list[.]csv', '/staff/mailing-list.csv'],
  ['staff.members', '/staff/members'],
  ['staff.outbox', '/staff/outbox'],
  ['staff.outbox_.$id', '/staff/outbox/:id'],
  ['staff.reports._index', '/staff/reports (index)'],
  ['staff.reports.csv', '/staff/reports/csv'],
  // added since (issue 16): known adopted children per authority and year, for the report's share reached
  ['staff.reports.known-children', '/staff/reports/known-children'],
  ['staff.reports.places[.]csv', '/staff/reports/places.csv'],
  ['staff.reports.print', '/staff/reports/print'],
  ['staff.reports.xlsx', '/staff/reports/xlsx'],
  ['staff.series.$id', '/staff/series/:id'],
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
