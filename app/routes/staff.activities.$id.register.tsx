import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireStaff } from '~/auth/session.server'
import { BackLink, Button, NotificationBanner } from '~/components'
import { getActivityForStaff } from '~/domain/activities.server'
import { recordAudit } from '~/domain/audit.server'
import { parseId } from '~/domain/ids'
import { formatLondonDate, formatLondonTimeRange } from '~/domain/london-time'
import { listRegister, saveAttendance } from '~/domain/register.server'

export const meta: MetaFunction = () => [{ title: 'Register – Join In staff' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:read')
  const id = parseId(params.id)
  const activity = id ? await getActivityForStaff(context.db, id) : null
  if (!activity) throw new Response('Not found', { status: 404 })
  const register = await listRegister(context.db, activity.id)
  await recordAudit(context.db, { actorUserId: staff.id, action: 'register.viewed', subjectType: 'activity', subjectId: activity.id, ip: context.clientIp })
  return { activity: { id: activity.id, title: activity.title, starts_at: activity.starts_at, ends_at: activity.ends_at, kind: activity.kind }, register }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:write')
  const id = parseId(params.id)
  if (!id) throw new Response('Not found', { status: 404 })
  const form = await request.formData()
  const marks = new Map<number, boolean | null>()
  for (const [key, value] of form) {
    const match = /^attended-(\d{1,12})$/.exec(key)
    if (!match) continue
    marks.set(Number(match[1]), value === 'yes' ? true : value === 'no' ? false : null)
  }
  const changed = await saveAttendance(context.db, id, marks)
  await recordAudit(context.db, { actorUserId: staff.id, action: 'register.saved', subjectType: 'activity', subjectId: id, detail: { changed }, ip: context.clientIp })
  return redirect(`/staff/activities/${id}/register?saved=1`)
}

export default function Register() {
  const { activity, register } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  return (
    <>
      <BackLink href={`/staff/activities/${activity.id}`}>Back to the session</BackLink>
      {searchParams.get('saved') ? <NotificationBanner success>Register saved</NotificationBanner> : null}
      <span className="govuk-caption-l">
        {formatLondonDate(activity.starts_at)}, {formatLondonTimeRange(activity.starts_at, activity.ends_at)}
      </span>
      <h1 className="govuk-heading-l">Register: {activity.title}</h1>
      {register.length === 0 ? (
        <p className="govuk-body">Nobody has a confirmed place.</p>
      ) : (
        <Form method="post">
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">{register.length} confirmed</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Name</th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">Age</th>
                <th scope="col" className="govuk-table__header">Council area</th>
                <th scope="col" className="govuk-table__header">Support needs</th>
                <th scope="col" className="govuk-table__header">Attended</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {register.map((row) => (
                <tr className="govuk-table__row" key={row.placeId}>
                  <th scope="row" className="govuk-table__header">{row.firstName ?? '(erased)'}</th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{row.ageOnDay}</td>
                  <td className="govuk-table__cell">{row.authorityName}</td>
                  <td className="govuk-table__cell">{row.supportNeeds}</td>
                  <td className="govuk-table__cell">
                    <fieldset className="govuk-fieldset">
                      <legend className="govuk-visually-hidden">Did {row.firstName ?? 'this child'} attend?</legend>
                      <div className="govuk-radios govuk-radios--small govuk-radios--inline">
                        {(
                          [
                            ['yes', 'Yes', row.attended === true],
                            ['no', 'No', row.attended === false],
                          ] as const
                        ).map(([value, text, checked]) => (
                          <div className="govuk-radios__item" key={value}>
                            <input className="govuk-radios__input" id={`attended-${row.placeId}-${value}`} name={`attended-${row.placeId}`} type="radio" value={value} defaultChecked={checked} />
                            <label className="govuk-label govuk-radios__label" htmlFor={`attended-${row.placeId}-${value}`}>
                              {text}
                            </label>
                          </div>
                        ))}
                      </div>
                    </fieldset>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Button>Save register</Button>
        </Form>
      )}
    </>
  )
}
