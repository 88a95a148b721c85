// One safeguarding concern, for a safeguarding lead: what was recorded, the follow-up notes, a note
// to add and closing with an outcome. Every read, note and closing is audited by the domain.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { requireStaff } from '~/auth/session.server'
import { BackLink, Button, ErrorSummary, NotificationBanner, SummaryList, Tag, Textarea, errorList } from '~/components'
import { NOTE_FIELD, OUTCOME_FIELD, parseNote, parseOutcome } from '~/domain/concern-form'
import { addConcernNote, closeConcern, readConcern } from '~/domain/concerns.server'
import { parseId } from '~/domain/ids'
import { formatLondonDate, formatLondonTime } from '~/time/london-time'

export const meta: MetaFunction = () => [{ title: 'Safeguarding concern – Join In staff' }]

const NOTICES: Record<string, string> = {
  'note-added': 'Note added.',
  closed: 'Concern closed.',
}

function concernIdOf(id: string | undefined): number {
  const concernId = parseId(id)
  if (!concernId) throw new Response('Not found', { status: 404 })
  return concernId
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'concerns:read')
  const concern = await readConcern(context.db, concernIdOf(params.id), { id: staff.id, ip: context.clientIp })
  if (!concern) throw new Response('Not found', { status: 404 })
  return data(
    { concern, notice: NOTICES[new URL(request.url).searchParams.get('notice') ?? ''] ?? null },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('add-note'), [NOTE_FIELD]: z.string().max(20_000).catch('') }),
  z.object({ intent: z.literal('close'), [OUTCOME_FIELD]: z.string().max(20_000).catch('') }),
])

type ActionResult = { errors: Record<string, string>; note: string; outcome: string }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'concerns:read')
  const id = concernIdOf(params.id)
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('That is not something this page can do', { status: 400 })
  const actor = { id: staff.id, name: staff.name, ip: context.clientIp }
  const notFound = () => new Response('Not found', { status: 404 })
  const closedAlready = (typed: Omit<ActionResult, 'errors'>) =>
    data<ActionResult>(
      { ...typed, errors: { [NOTE_FIELD]: 'This concern is closed: it takes no more notes' } },
      { status: 400 },
    )

  if (parsed.data.intent === 'add-note') {
    const typed = { note: parsed.data.note, outcome: '' }
    const note = parseNote(parsed.data.note)
    if (!note.ok) return data<ActionResult>({ ...typed, errors: { [NOTE_FIELD]: note.error } }, { status: 400 })
    const result = await addConcernNote(context.db, id, note.value, actor, context.now())
    if (result.status === 'not-found') throw notFound()
    if (result.status === 'closed') return closedAlready(typed)
    return redirect(`/staff/concerns/${id}?notice=note-added`)
  }

  const typed = { note: '', outcome: parsed.data.outcome }
  const outcome = parseOutcome(parsed.data.outcome)
  if (!outcome.ok) return data<ActionResult>({ ...typed, errors: { [OUTCOME_FIELD]: outcome.error } }, { status: 400 })
  const result = await closeConcern(context.db, id, outcome.value, actor, context.now())
  if (result.status === 'not-found') throw notFound()
  return redirect(`/staff/concerns/${id}?notice=closed`)
}

function at(instant: string): string {
  return `${formatLondonTime(instant)} on ${formatLondonDate(instant)}`
}

const prewrap = (text: string) => <span className="app-pre-wrap">{text}</span>

export default function Concern() {
  const { concern, notice } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const errors = result?.errors ?? {}
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/staff/concerns">Back to safeguarding concerns</BackLink>
        <ErrorSummary errors={errorList(errors, [NOTE_FIELD, OUTCOME_FIELD])} />
        {notice && !result ? <NotificationBanner success>{notice}</NotificationBanner> : null}
        <span className="govuk-caption-l">Safeguarding concern {concern.id}</span>
        <h1 className="govuk-heading-l">{`Concern about ${concern.childFirstName}`}</h1>
        <p className="govuk-body">
          {concern.status === 'open' ? <Tag colour="red">Open</Tag> : <Tag colour="grey">Closed</Tag>}
        </p>
        <SummaryList
          rows={[
            { key: 'Child or young person', value: concern.childFirstName },
            { key: 'Session', value: `${concern.sessionTitle}, ${at(concern.sessionStartsAt)}` },
            { key: 'When it happened', value: at(concern.happenedAt) },
            { key: 'What was seen or said', value: prewrap(concern.seenOrSaid) },
            { key: 'Who was present', value: prewrap(concern.present) },
            { key: 'What was done', value: prewrap(concern.actionTaken) },
            { key: 'Recorded by', value: `${concern.recordedByName} at ${at(concern.recordedAt)}` },
            ...(concern.status === 'closed'
              ? [
                  { key: 'Closed by', value: `${concern.closedByName ?? ''} at ${at(concern.closedAt!)}` },
                  { key: 'Outcome', value: prewrap(concern.outcome ?? '') },
                ]
              : []),
          ]}
        />

        <h2 className="govuk-heading-m">Follow-up notes</h2>
        {concern.notes.length === 0 ? <p className="govuk-body">No notes yet.</p> : null}
        {concern.notes.map((n) => (
          <div className="govuk-inset-text" key={n.id}>
            <p className="govuk-body-s govuk-!-margin-bottom-2">{`${n.authorName}, ${at(n.createdAt)}`}</p>
            <p className="govuk-body app-pre-wrap govuk-!-margin-bottom-0">{n.body}</p>
          </div>
        ))}

        {concern.status === 'open' ? (
          <>
            <Form method="post" noValidate>
              <Textarea
                id={NOTE_FIELD}
                label="Add a follow-up note"
                labelSize="s"
                hint="For example, who you have referred it to and what they said"
                error={errors[NOTE_FIELD]}
                defaultValue={result?.note ?? ''}
                rows={4}
                spellCheck
              />
              <Button name="intent" value="add-note" variant="secondary">
                Add note
              </Button>
            </Form>

            <h2 className="govuk-heading-m">Close the concern</h2>
            <Form method="post" noValidate>
              <Textarea
                id={OUTCOME_FIELD}
                label="Outcome"
                labelSize="s"
                hint="What was decided, and why no more action is needed. A closed concern is kept for the period set in the settings, then erased."
                error={errors[OUTCOME_FIELD]}
                defaultValue={result?.outcome ?? ''}
                rows={4}
                spellCheck
              />
              <Button name="intent" value="close">
                Close the concern
              </Button>
            </Form>
          </>
        ) : null}
      </div>
    </div>
  )
}
