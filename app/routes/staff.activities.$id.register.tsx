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
import { formatCalendarDate, formatLondonDate, formatLondonTimeRange, londonDateOf } from '~/time/london-time'
import { attendedText, registerCounts, registerIsEarly, saveRegister, viewRegister } from '~/domain/register.server'
import { CONSENT_KINDS, CONSENT_LABELS, consentWithDate, consentsLine } from '~/domain/child-consents'
import { ADULT_ROLE_NAMES, ADULT_ROLES } from '~/domain/session-adults-form'
import { sessionAdults } from '~/domain/session-safety.server'
import { telHref } from '~/domain/organisation'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Register: ${data?.activity.title ?? 'session'} – Join In staff` },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:read')
  const id = parseId(params.id)
  const activity = id ? await getActivityForStaff(context.db, id) : null
  if (!activity) throw new Response('Not found', { status: 404 })
  const register = await viewRegister(context.db, activity.id, { id: staff.id, ip: context.clientIp })
  const adults = await sessionAdults(context.db, activity.id)
  return {
    adults: ADULT_ROLES.map((role) => ({
      role: ADULT_ROLE_NAMES[role],
      name: adults[role]
        ? `${adults[role].name}${adults[role].kind === 'guest' ? ` (guest${adults[role].organisation ? `, ${adults[role].organisation}` : ''})` : ''}`
        : 'Not named',
    })),
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
    register: register.map((row) => ({
      ...row,
      mark: attendedText(row.attended),
      consents: row.member
        ? [{ label: 'Parental consent', answer: memberConsent(row.member) }]
        : CONSENT_KINDS.map((kind) => ({
            label: CONSENT_LABELS[kind].short,
            answer: consentWithDate(row.consents[kind]),
          })),
      consentsLine: row.member ? `Parental consent: ${memberConsent(row.member)}` : consentsLine(row.consents),
    })),
    counts: registerCounts(register),
  }
}

/** What an Adoptables member's record holds: a parent or carer's consent to the sign-up, asked when under 13. */
function memberConsent(member: { parentalConsentAt: string | null; parentAsked: boolean }): string {
  if (member.parentalConsentAt) return `Yes, given ${formatCalendarDate(londonDateOf(member.parentalConsentAt))}`
  return member.parentAsked ? 'Not answered' : 'Not needed (13 or over when they joined)'
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
  const { activity, register, counts, early, adults } = useLoaderData<typeof loader>()
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
            {saved === 'rest'
              ? 'Register saved. Everyone not marked was marked as attended'
              : saved === 'teams'
                ? 'Register saved from the Teams attendance report'
                : 'Register saved'}
          </NotificationBanner>
        ) : null}
      </div>
      <span className="govuk-caption-l">{when}</span>
      <h1 className="govuk-heading-l">Register: {activity.title}</h1>
      {activity.status === 'cancelled' ? (
        <p className="govuk-body govuk-!-font-weight-bold">This session was cancelled.</p>
      ) : null}
      <p className="govuk-body app-no-print">
        <a className="govuk-link" href={`/staff/activities/${activity.id}/concerns/new`}>
          Record a safeguarding concern
        </a>
      </p>
      <dl className="govuk-summary-list app-register__adults">
        {adults.map((adult) => (
          <div className="govuk-summary-list__row" key={adult.role}>
            <dt className="govuk-summary-list__key">{adult.role}</dt>
            <dd className="govuk-summary-list__value">{adult.name}</dd>
          </div>
        ))}
      </dl>
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
          <p className="govuk-body app-no-print">
            <a className="govuk-link" href={`/staff/activities/${activity.id}/register/import`}>
              Import attendance from a Teams report
            </a>
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
                        <div className="govuk-body-s app-register__details" id={detailsId}>
                          Age {row.ageOnDay} · {row.authorityName}
                          {row.supportNeeds ? (
                            <>
                              <br />
                              <strong>Support needs:</strong> {row.supportNeeds}
                            </>
                          ) : null}
                          <dl className="govuk-summary-list govuk-summary-list--no-border app-register__consents">
                            {row.consents.map((c) => (
                              <div className="govuk-summary-list__row" key={c.label}>
                                <dt className="govuk-summary-list__key">{c.label}</dt>
                                <dd className="govuk-summary-list__value">{c.answer}</dd>
                              </div>
                            ))}
                          </dl>
                          {row.emergencyPhone ? (
                            <>
                              <strong>Emergency number:</strong>{' '}
                              <a className="govuk-link" href={telHref(row.emergencyPhone)}>
                                {row.emergencyPhone}
                              </a>
                            </>
                          ) : row.bookerPhone ? (
                            <>
                              <strong>No emergency number. Booker’s phone:</strong>{' '}
                              <a className="govuk-link" href={telHref(row.bookerPhone)}>
                                {row.bookerPhone}
                              </a>
                            </>
                          ) : row.member ? null : (
                            <strong>No emergency number or phone given</strong>
                          )}
                          {row.familyId ? (
                            // space above, so it does not crowd the emergency number's link as a touch target
                            <span className="govuk-!-display-block govuk-!-margin-top-2">
                              <a className="govuk-link" href={`/staff/families/${row.familyId}`}>
                                Family details<span className="govuk-visually-hidden">{` for ${name}`}</span>
                              </a>
                            </span>
                          ) : null}
                        </div>
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
                  Consents and emergency number
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
                  <td className="govuk-table__cell">
                    {row.consentsLine}
                    {row.emergencyPhone || row.bookerPhone ? <br /> : null}
                    {row.emergencyPhone
                      ? `Emergency: ${row.emergencyPhone}`
                      : row.bookerPhone
                        ? `Booker’s phone: ${row.bookerPhone}`
                        : null}
                  </td>
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
