// The register, taken during the call on a phone or laptop: one fieldset per child with large
// "Attended" / "Did not attend" radios, and a table laid out for paper when printed.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData, useSearchParams } from 'react-router'
import { z } from 'zod'
import { requireStaff } from '~/auth/session.server'
import {
  BackLink,
  Button,
  ButtonGroup,
  ErrorMessage,
  ErrorSummary,
  NotificationBanner,
  WarningText,
} from '~/components'
import { getActivityForStaff } from '~/domain/activities.server'
import { parseId } from '~/domain/ids'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'
import { attendedText, registerCounts, registerIsEarly, saveRegister, viewRegister } from '~/domain/register.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Register: ${data?.activity.title ?? 'session'} – Join In staff` },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:read')
  const id = parseId(params.id)
  const activity = id ? await getActivityForStaff(context.db, id) : null
  if (!activity) throw new Response('Not found', { status: 404 })
  const register = await viewRegister(context.db, activity.id, { id: staff.id, ip: context.clientIp })
  return {
    activity: {
      id: activity.id,
      title: activity.title,
      starts_at: activity.starts_at,
      ends_at: activity.ends_at,
      status: activity.status,
      kind: activity.kind,
    },
    early: registerIsEarly(activity.starts_at, context.now()),
    // The printed "Attended" column says what the CSV says.
    register: register.map((row) => ({ ...row, mark: attendedText(row.attended) })),
    counts: registerCounts(register),
  }
}

const MARK_FIELD = /^attended-(\d{1,12})$/

// Every mark must be one of the two answers: anything else is refused whole rather than half
// saved, so a tampered or garbled post cannot clear a mark.
const registerSchema = z.object({
  intent: z.enum(['save', 'mark-rest-attended']).default('save'),
  confirmEarly: z.literal('yes').optional(),
  marks: z.array(z.tuple([z.number().int().positive(), z.enum(['yes', 'no'])])).max(5000),
})

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:write')
  const id = parseId(params.id)
  if (!id) throw new Response('Not found', { status: 404 })
  const form = await request.formData()
  const marks: Array<[number, unknown]> = []
  for (const [key, value] of form) {
    const match = MARK_FIELD.exec(key)
    if (match) marks.push([Number(match[1]), value])
  }
  const parsed = registerSchema.safeParse({
    intent: form.get('intent') ?? undefined,
    confirmEarly: form.get('confirmEarly') ?? undefined,
    marks,
  })
  // what was chosen, shown again when the register is not saved, so nothing chosen is lost
  const chosen = Object.fromEntries(marks.filter(([, value]) => value === 'yes' || value === 'no')) as Record<
    string,
    'yes' | 'no'
  >
  if (!parsed.success) {
    return data(
      {
        error: 'The register could not be saved. Choose attended or did not attend for each name, then save again',
        field: 'register',
        chosen,
      },
      { status: 400 },
    )
  }
  const result = await saveRegister(
    context.db,
    id,
    new Map(parsed.data.marks.map(([placeId, value]) => [placeId, value === 'yes'])),
    {
      markRestAttended: parsed.data.intent === 'mark-rest-attended',
      confirmedEarly: parsed.data.confirmEarly === 'yes',
      now: context.now(),
    },
    { id: staff.id, ip: context.clientIp },
  )
  if (result.status === 'not-found') throw new Response('Not found', { status: 404 })
  if (result.status === 'early-not-confirmed') {
    return data(
      {
        error: 'Confirm that you want to mark this register before the session',
        field: 'confirmEarly',
        chosen,
      },
      { status: 400 },
    )
  }
  return redirect(
    `/staff/activities/${id}/register?saved=${parsed.data.intent === 'mark-rest-attended' ? 'rest' : '1'}`,
  )
}

export default function Register() {
  const { activity, register, counts, early } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const saved = searchParams.get('saved')
  const person = activity.kind === 'adoptables' ? ['young person', 'young people'] : ['child', 'children']
  const chosen: Record<string, 'yes' | 'no'> | null = actionData?.chosen ?? null
  const when = `${formatLondonDate(activity.starts_at)}, ${formatLondonTimeRange(activity.starts_at, activity.ends_at)}`
  return (
    <div className="app-register">
      <div className="app-no-print">
        <BackLink href={`/staff/activities/${activity.id}`}>Back to the session</BackLink>
        <ErrorSummary errors={actionData?.error ? [{ href: `#${actionData.field}`, message: actionData.error }] : []} />
        {saved ? (
          <NotificationBanner success>
            {saved === 'rest' ? 'Register saved. Everyone not marked was marked as attended' : 'Register saved'}
          </NotificationBanner>
        ) : null}
      </div>
      <span className="govuk-caption-l">{when}</span>
      <h1 className="govuk-heading-l">Register: {activity.title}</h1>
      {activity.status === 'cancelled' ? (
        <p className="govuk-body govuk-!-font-weight-bold">This session was cancelled.</p>
      ) : null}
      {register.length === 0 ? (
        <p className="govuk-body">Nobody has a confirmed place.</p>
      ) : (
        <>
          <p className="govuk-body app-no-print">
            {`${register.length} ${register.length === 1 ? person[0] : person[1]}: ${counts.attended} attended, ${counts.absent} did not attend, ${counts.notMarked} not marked yet.`}
          </p>
          <p className="govuk-body app-no-print">
            <a className="govuk-link" href={`/staff/activities/${activity.id}/register.csv`} download>
              Download the register (CSV)
            </a>{' '}
            or use your browser’s Print command for a paper copy.
          </p>
          <Form method="post" id="register" className="app-no-print">
            <ul className="govuk-list app-register__list">
              {register.map((row) => {
                const name = row.firstName ?? '(name erased)'
                const detailsId = `place-${row.placeId}-details`
                return (
                  <li className="app-register__child" key={row.placeId}>
                    <div className="govuk-form-group">
                      <fieldset className="govuk-fieldset" aria-describedby={detailsId}>
                        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                          <span className="govuk-visually-hidden">Did </span>
                          {name}
                          <span className="govuk-visually-hidden"> attend?</span>
                        </legend>
                        <p className="govuk-body-s app-register__details" id={detailsId}>
                          Age {row.ageOnDay} · {row.authorityName}
                          {row.supportNeeds ? (
                            <>
                              <br />
                              <strong>Support needs:</strong> {row.supportNeeds}
                            </>
                          ) : null}
                        </p>
                        <div className="govuk-radios govuk-radios--inline" data-module="govuk-radios">
                          {(
                            [
                              ['yes', 'Attended', (chosen?.[row.placeId] ?? attendedValue(row.attended)) === 'yes'],
                              ['no', 'Did not attend', (chosen?.[row.placeId] ?? attendedValue(row.attended)) === 'no'],
                            ] as const
                          ).map(([value, text, checked]) => (
                            <div className="govuk-radios__item" key={value}>
                              <input
                                className="govuk-radios__input"
                                id={`attended-${row.placeId}-${value}`}
                                name={`attended-${row.placeId}`}
                                type="radio"
                                value={value}
                                defaultChecked={checked}
                              />
                              <label
                                className="govuk-label govuk-radios__label"
                                htmlFor={`attended-${row.placeId}-${value}`}
                              >
                                {text}
                              </label>
                            </div>
                          ))}
                        </div>
                      </fieldset>
                    </div>
                  </li>
                )
              })}
            </ul>
            {early ? (
              <div
                className={
                  actionData?.field === 'confirmEarly' ? 'govuk-form-group govuk-form-group--error' : 'govuk-form-group'
                }
              >
                <WarningText>
                  {`This session is on ${formatLondonDate(activity.starts_at)}, more than a day away. Registers are taken during or after the session.`}
                </WarningText>
                {actionData?.field === 'confirmEarly' ? (
                  <ErrorMessage id="confirmEarly-error">{actionData.error}</ErrorMessage>
                ) : null}
                <div className="govuk-checkboxes" data-module="govuk-checkboxes">
                  <div className="govuk-checkboxes__item">
                    <input
                      className="govuk-checkboxes__input"
                      id="confirmEarly"
                      name="confirmEarly"
                      type="checkbox"
                      value="yes"
                      aria-describedby={actionData?.field === 'confirmEarly' ? 'confirmEarly-error' : undefined}
                    />
                    <label className="govuk-label govuk-checkboxes__label" htmlFor="confirmEarly">
                      I want to mark this register before the session
                    </label>
                  </div>
                </div>
              </div>
            ) : null}
            <ButtonGroup>
              <Button name="intent" value="save">
                Save register
              </Button>
              {counts.notMarked > 0 ? (
                <Button name="intent" value="mark-rest-attended" variant="secondary">
                  Save, and mark everyone not marked as attended
                </Button>
              ) : null}
            </ButtonGroup>
          </Form>
          {/* Paper copy: hidden on screen, printed instead of the form. Blank boxes are ticked by hand. */}
          <table className="govuk-table app-register__print">
            <caption className="govuk-table__caption govuk-table__caption--s">
              {register.length} with a confirmed place
            </caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  First name
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Age
                </th>
                <th scope="col" className="govuk-table__header">
                  Home authority
                </th>
                <th scope="col" className="govuk-table__header">
                  Support needs
                </th>
                <th scope="col" className="govuk-table__header">
                  Attended
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {register.map((row) => (
                <tr className="govuk-table__row" key={row.placeId}>
                  <th scope="row" className="govuk-table__header">
                    {row.firstName ?? '(name erased)'}
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{row.ageOnDay}</td>
                  <td className="govuk-table__cell">{row.authorityName}</td>
                  <td className="govuk-table__cell">{row.supportNeeds}</td>
                  <td className="govuk-table__cell app-register__mark">
                    {row.mark || <span className="app-register__box" />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  )
}

function attendedValue(attended: boolean | null): 'yes' | 'no' | null {
  return attended === null ? null : attended ? 'yes' : 'no'
}
