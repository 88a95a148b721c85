// Marking a register from the attendance report Teams downloads: upload the file, check each
// child's suggested mark (and the names that matched nobody), change any, then save. Nothing is
// saved before that last step, and the file is never kept: the check page carries the names it
// read back to the server in a hidden field.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import {
  BackLink,
  Button,
  ButtonGroup,
  ErrorMessage,
  ErrorSummary,
  Hint,
  Table,
  WarningText,
  describedBy,
} from '~/components'
import { getActivityForStaff } from '~/domain/activities.server'
import { parseId } from '~/domain/ids'
import { registerIsEarly } from '~/domain/register.server'
import {
  MARK_FIELD,
  REPORT_FIELD,
  REPORT_MAX_BYTES,
  REPORT_PROBLEM_MESSAGES,
  UPLOAD_MESSAGES,
  saveSchema,
  uploadSchema,
} from '~/domain/teams-import-form'
import { totalSeconds } from '~/domain/teams-attendance'
import { checkTeamsReport, saveTeamsAttendance, type NameSeen, type TeamsCheck } from '~/domain/teams-import.server'
import { readUploadedForm } from '~/domain/uploads.server'
import { formatCalendarDate, formatLondonDate, formatLondonTimeRange } from '~/time/london-time'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Import attendance from Teams: ${data?.activity.title ?? 'session'} – Join In staff` },
]

/** Room in the body for the multipart headers around the file. */
const FORM_OVERHEAD_BYTES = 16 * 1024

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'bookings:write')
  const id = parseId(params.id)
  const activity = id ? await getActivityForStaff(context.db, id) : null
  if (!activity) throw new Response('Not found', { status: 404 })
  return {
    activity: {
      id: activity.id,
      title: activity.title,
      starts_at: activity.starts_at,
      ends_at: activity.ends_at,
      kind: activity.kind,
    },
    early: registerIsEarly(activity.starts_at, context.now()),
  }
}

type Mark = 'yes' | 'no'

/** What the check page shows: no carer names or family keys beyond the Teams names themselves. */
function checkView(check: TeamsCheck, chosen: Record<string, Mark> | null) {
  return {
    step: 'check' as const,
    sameDay: check.sameDay,
    meetingDate: check.report.meetingDates[0] ?? null,
    meetingTitle: check.report.meetingTitle,
    early: check.early,
    names: check.report.attendees.length,
    report: JSON.stringify(check.report),
    places: check.review.places.map((p) => ({
      placeId: p.placeId,
      firstName: p.firstName,
      ageOnDay: p.ageOnDay,
      authorityName: p.authorityName,
      attended: p.attended,
      seen: p.seen,
      possible: p.possible,
      mark: chosen?.[p.placeId] ?? p.suggestion,
    })),
    unmatched: check.review.unmatched.map((a) => ({ name: a.name, seconds: a.seconds, role: a.role })),
  }
}

function uploadError(message: string) {
  return data({ step: 'upload' as const, error: message }, { status: 400 })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:write')
  const id = parseId(params.id)
  if (!id) throw new Response('Not found', { status: 404 })
  const actor = { id: staff.id, ip: context.clientIp }
  const type = (request.headers.get('content-type') ?? '').toLowerCase()

  if (type.startsWith('multipart/form-data')) {
    const uploaded = await readUploadedForm(request, REPORT_MAX_BYTES + FORM_OVERHEAD_BYTES)
    if (uploaded.status === 'too-large') return uploadError(UPLOAD_MESSAGES.tooLarge)
    if (uploaded.status === 'unreadable') return uploadError(UPLOAD_MESSAGES.unreadable)
    const parsed = uploadSchema.safeParse({ [REPORT_FIELD]: uploaded.form.get(REPORT_FIELD) })
    if (!parsed.success) return uploadError(parsed.error.issues[0]?.message ?? UPLOAD_MESSAGES.missing)
    const bytes = new Uint8Array(await parsed.data[REPORT_FIELD].arrayBuffer())
    const result = await checkTeamsReport(context.db, id, bytes, context.now(), actor)
    if (result.status === 'not-found') throw new Response('Not found', { status: 404 })
    if (result.status === 'problem') return uploadError(REPORT_PROBLEM_MESSAGES[result.problem])
    return checkView(result, null)
  }

  // The check page's save (URL-encoded, like every other form).
  const form = await request.formData()
  const marks: Array<[number, unknown]> = []
  for (const [key, value] of form) {
    const match = MARK_FIELD.exec(key)
    if (match) marks.push([Number(match[1]), value])
  }
  const parsed = saveSchema.safeParse({
    confirmEarly: form.get('confirmEarly') ?? undefined,
    report: form.get('report') ?? '',
    marks,
  })
  if (!parsed.success) {
    // Only a tampered or truncated post gets here: the check page always sends what it read.
    return uploadError('The attendance could not be saved. Upload the report again')
  }
  const result = await saveTeamsAttendance(
    context.db,
    id,
    {
      report: parsed.data.report,
      marks: new Map(parsed.data.marks.map(([placeId, value]) => [placeId, value === 'yes'])),
      confirmedEarly: parsed.data.confirmEarly === 'yes',
      now: context.now(),
    },
    actor,
  )
  if (result.status === 'not-found') throw new Response('Not found', { status: 404 })
  if (result.status === 'saved') return redirect(`/staff/activities/${id}/register?saved=teams`)
  const chosen = Object.fromEntries(parsed.data.marks) as Record<string, Mark>
  const view = checkView(result, chosen)
  const errors =
    result.problem === 'not-chosen'
      ? view.places
          .filter((p) => result.missing.includes(p.placeId))
          .map((p) => ({
            href: `#attended-${p.placeId}-yes`,
            placeId: p.placeId,
            message: `Choose whether ${childLabel(p)} attended`,
          }))
      : [
          {
            href: '#confirmEarly',
            placeId: null,
            message: 'Confirm that you want to mark this register before the session',
          },
        ]
  return data({ ...view, errors }, { status: 400 })
}

function childLabel(p: { firstName: string | null; ageOnDay: number }): string {
  return `${p.firstName ?? '(name erased)'} (age ${p.ageOnDay})`
}

/** "52 minutes", "1 minute", "under a minute"; "time not given" when the report had none. */
function minutes(seconds: number | null): string {
  if (seconds === null) return 'time not given'
  const m = Math.round(seconds / 60)
  if (seconds < 30) return 'under a minute'
  return m === 1 ? '1 minute' : `${m} minutes`
}

function roleText(role: string | null): string {
  if (!role) return ''
  if (/co-?organi[sz]er/i.test(role)) return 'Co-organiser'
  if (/organi[sz]er/i.test(role)) return 'Organiser'
  return role
}

function seenText(names: NameSeen[]): string {
  const own = names.filter((n) => n.via === 'child').map((n) => n.name)
  const carers = names.filter((n) => n.via === 'carer').map((n) => n.name)
  const parts = [
    own.length ? `In Teams as ${listOf(own)}` : null,
    carers.length ? `${own.length ? 'and on' : 'On'} their parent or carer’s device as ${listOf(carers)}` : null,
  ].filter(Boolean)
  return `${parts.join(' ')}: ${minutes(totalSeconds(names))}`
}

function listOf(names: string[]): string {
  const quoted = [...new Set(names)].map((n) => `“${n}”`)
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`
}

export default function ImportAttendance() {
  const { activity, early } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const when = `${formatLondonDate(activity.starts_at)}, ${formatLondonTimeRange(activity.starts_at, activity.ends_at)}`
  const registerHref = `/staff/activities/${activity.id}/register`
  if (actionData?.step === 'check') {
    return <CheckAttendance activity={activity} when={when} check={actionData} registerHref={registerHref} />
  }
  const error = actionData?.step === 'upload' ? actionData.error : null
  return (
    <>
      <BackLink href={registerHref}>Back to the register</BackLink>
      <ErrorSummary errors={error ? [{ href: `#${REPORT_FIELD}`, message: error }] : []} />
      <span className="govuk-caption-l">{when}</span>
      <h1 className="govuk-heading-l">Import attendance from Teams: {activity.title}</h1>
      <p className="govuk-body">
        Upload the attendance report Teams made for this session’s meeting. You will see who it matched to each{' '}
        {activity.kind === 'adoptables' ? 'young person' : 'child'} booked, and can change anything before the register
        is saved.
      </p>
      {early ? (
        <WarningText>{`This session is on ${formatLondonDate(activity.starts_at)}, more than a day away. A report is only ready after the meeting.`}</WarningText>
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate>
        <div className={error ? 'govuk-form-group govuk-form-group--error' : 'govuk-form-group'}>
          <label className="govuk-label govuk-label--m" htmlFor={REPORT_FIELD}>
            Upload the attendance report
          </label>
          <Hint id={`${REPORT_FIELD}-hint`}>
            In Teams, open the meeting in your calendar, choose Attendance, then Download. The file is a CSV, smaller
            than 1MB. It is read once and not kept.
          </Hint>
          {error ? <ErrorMessage id={`${REPORT_FIELD}-error`}>{error}</ErrorMessage> : null}
          <input
            className={error ? 'govuk-file-upload govuk-file-upload--error' : 'govuk-file-upload'}
            id={REPORT_FIELD}
            name={REPORT_FIELD}
            type="file"
            accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
            aria-describedby={describedBy(REPORT_FIELD, true, Boolean(error))}
          />
        </div>
        <ButtonGroup>
          <Button>Upload and check</Button>
          <a className="govuk-link" href={registerHref}>
            Cancel
          </a>
        </ButtonGroup>
      </Form>
    </>
  )
}

type CheckData = Extract<NonNullable<ReturnType<typeof useActionData<typeof action>>>, { step: 'check' }>

function CheckAttendance({
  activity,
  when,
  check,
  registerHref,
}: {
  activity: { id: number; title: string; starts_at: string; kind: string }
  when: string
  check: CheckData
  registerHref: string
}) {
  const errors = 'errors' in check ? check.errors : []
  const errorFor = (placeId: number) => errors.find((e) => e.placeId === placeId)?.message
  const earlyError = errors.find((e) => e.placeId === null)?.message
  const person = activity.kind === 'adoptables' ? ['young person', 'young people'] : ['child', 'children']
  const seen = check.places.filter((p) => p.seen.length > 0).length
  const toChoose = check.places.filter((p) => p.seen.length === 0 && p.possible.length > 0).length
  return (
    <div className="app-register">
      <BackLink href={`/staff/activities/${activity.id}/register/import`}>Upload a different report</BackLink>
      <ErrorSummary errors={errors.map(({ href, message }) => ({ href, message }))} />
      <span className="govuk-caption-l">{when}</span>
      <h1 className="govuk-heading-l">Check the attendance from Teams</h1>
      {check.sameDay === false && check.meetingDate ? (
        <WarningText>
          {`This report is for a meeting on ${formatCalendarDate(check.meetingDate)}, but this session is on ${formatLondonDate(activity.starts_at)}. Check it is the report for this session before you save.`}
        </WarningText>
      ) : null}
      <p className="govuk-body">
        {[
          `The report lists ${check.names} ${check.names === 1 ? 'name' : 'names'}${check.meetingTitle ? ` for “${check.meetingTitle}”` : ''}.`,
          check.places.length === 1
            ? `The ${person[0]} booked was ${seen ? '' : 'not '}seen in it.`
            : `${seen} of the ${check.places.length} ${person[1]} booked ${seen === 1 ? 'was' : 'were'} seen in it${toChoose ? `; for ${toChoose} you need to choose` : ''}.`,
          'Nothing is saved until you save the register below.',
        ].join(' ')}
      </p>
      {check.places.length === 0 ? (
        <p className="govuk-body">Nobody has a confirmed place on this session, so there is nothing to mark.</p>
      ) : (
        <Form method="post" id="teams-attendance">
          <input type="hidden" name="report" value={check.report} />
          <h2 className="govuk-heading-m">{`${person[1]!.charAt(0).toUpperCase()}${person[1]!.slice(1)} booked`}</h2>
          <ul className="govuk-list app-register__list">
            {check.places.map((p) => {
              const name = p.firstName ?? '(name erased)'
              const detailsId = `place-${p.placeId}-details`
              const error = errorFor(p.placeId)
              const errorId = `place-${p.placeId}-error`
              return (
                <li className="app-register__child" key={p.placeId}>
                  <div className={error ? 'govuk-form-group govuk-form-group--error' : 'govuk-form-group'}>
                    <fieldset
                      className="govuk-fieldset"
                      aria-describedby={[detailsId, error ? errorId : null].filter(Boolean).join(' ')}
                    >
                      <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                        <span className="govuk-visually-hidden">Did </span>
                        {name}
                        <span className="govuk-visually-hidden"> attend?</span>
                      </legend>
                      <div className="govuk-body-s app-register__details" id={detailsId}>
                        <p className="govuk-body-s govuk-!-margin-bottom-1">
                          Age {p.ageOnDay} · {p.authorityName}
                        </p>
                        {p.seen.length > 0 ? (
                          <p className="govuk-body-s govuk-!-margin-bottom-1">
                            <strong className="govuk-tag govuk-tag--green">Seen</strong> {seenText(p.seen)}
                          </p>
                        ) : p.possible.length === 0 ? (
                          <p className="govuk-body-s govuk-!-margin-bottom-1">
                            <strong className="govuk-tag govuk-tag--grey">Not seen</strong> Not in the Teams report
                          </p>
                        ) : null}
                        {p.possible.map((maybe) => (
                          <p className="govuk-body-s govuk-!-margin-bottom-1" key={maybe.name}>
                            <strong className="govuk-tag govuk-tag--yellow">Choose</strong>{' '}
                            {`“${maybe.name}” (${minutes(maybe.seconds)}) could be ${childLabel(p)} or ${maybe.alsoCouldBe.join(' or ')}`}
                          </p>
                        ))}
                        {p.attended !== null ? (
                          <p className="govuk-body-s govuk-!-margin-bottom-1">
                            {`On the register now: ${p.attended ? 'attended' : 'did not attend'}`}
                          </p>
                        ) : null}
                      </div>
                      {error ? <ErrorMessage id={errorId}>{error}</ErrorMessage> : null}
                      <div className="govuk-radios govuk-radios--inline" data-module="govuk-radios">
                        {(
                          [
                            ['yes', 'Attended'],
                            ['no', 'Did not attend'],
                          ] as const
                        ).map(([value, text]) => (
                          <div className="govuk-radios__item" key={value}>
                            <input
                              className="govuk-radios__input"
                              id={`attended-${p.placeId}-${value}`}
                              name={`attended-${p.placeId}`}
                              type="radio"
                              value={value}
                              defaultChecked={p.mark === value}
                            />
                            <label
                              className="govuk-label govuk-radios__label"
                              htmlFor={`attended-${p.placeId}-${value}`}
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
          <Unmatched unmatched={check.unmatched} person={person[0]!} />
          {check.early ? (
            <div className={earlyError ? 'govuk-form-group govuk-form-group--error' : 'govuk-form-group'}>
              <WarningText>
                {`This session is on ${formatLondonDate(activity.starts_at)}, more than a day away. Registers are taken during or after the session.`}
              </WarningText>
              {earlyError ? <ErrorMessage id="confirmEarly-error">{earlyError}</ErrorMessage> : null}
              <div className="govuk-checkboxes" data-module="govuk-checkboxes">
                <div className="govuk-checkboxes__item">
                  <input
                    className="govuk-checkboxes__input"
                    id="confirmEarly"
                    name="confirmEarly"
                    type="checkbox"
                    value="yes"
                    aria-describedby={earlyError ? 'confirmEarly-error' : undefined}
                  />
                  <label className="govuk-label govuk-checkboxes__label" htmlFor="confirmEarly">
                    I want to mark this register before the session
                  </label>
                </div>
              </div>
            </div>
          ) : null}
          <ButtonGroup>
            <Button>Save the register</Button>
            <a className="govuk-link" href={registerHref}>
              Cancel and save nothing
            </a>
          </ButtonGroup>
        </Form>
      )}
      {check.places.length === 0 ? <Unmatched unmatched={check.unmatched} person={person[0]!} /> : null}
    </div>
  )
}

function Unmatched({
  unmatched,
  person,
}: {
  unmatched: Array<{ name: string; seconds: number | null; role: string | null }>
  person: string
}) {
  if (unmatched.length === 0) return null
  return (
    <>
      <h2 className="govuk-heading-m">Names that match nobody booked</h2>
      <p className="govuk-body">
        {`Nothing is saved for these names. If one of them is a ${person} booked on this session, choose Attended for them above.`}
      </p>
      <Table
        caption={`${unmatched.length} ${unmatched.length === 1 ? 'name' : 'names'} not matched`}
        captionSize="s"
        head={[{ text: 'Name in Teams' }, { text: 'Time in the meeting' }, { text: 'Role' }]}
        rows={unmatched.map((a) => [
          { text: a.name, header: true },
          { text: minutes(a.seconds) },
          { text: roleText(a.role) },
        ])}
      />
    </>
  )
}
