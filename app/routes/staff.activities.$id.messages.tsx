// Email a session's families: write the message, check it (with how many families it goes to),
// then send. Every step is a plain form POST, so it all works without JavaScript.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { requireStaff } from '~/auth/session.server'
import { linksFor } from '~/base-url.server'
import {
  BackLink,
  Button,
  ButtonGroup,
  ErrorSummary,
  InsetText,
  Radios,
  SummaryList,
  TextInput,
  Textarea,
} from '~/components'
import { errorList } from '~/components/error-summary'
import { getActivityForStaff } from '~/domain/activities.server'
import { parseId } from '~/domain/ids'
import { formatLondonDate, formatLondonTimeRange } from '~/time/london-time'
import {
  MESSAGE_FIELD_ORDER,
  messageValues,
  parseMessage,
  type MessageErrors,
  type MessageValues,
} from '~/domain/message-form'
import { checkMessage, countMessageRecipients, sendSessionMessage } from '~/domain/messages.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Message families: ${data?.activity.title ?? 'session'} – Join In staff` },
]

async function findActivity(id: string | undefined, context: LoaderFunctionArgs['context']) {
  const activityId = parseId(id)
  const activity = activityId ? await getActivityForStaff(context.db, activityId) : null
  if (!activity) throw new Response('Not found', { status: 404 })
  return activity
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'bookings:write')
  const activity = await findActivity(params.id, context)
  const audience = new URL(request.url).searchParams.get('audience')
  return {
    activity: {
      id: activity.id,
      title: activity.title,
      starts_at: activity.starts_at,
      ends_at: activity.ends_at,
      status: activity.status,
      online: activity.location_type === 'online',
    },
    counts: await countMessageRecipients(context.db, activity.id),
    // A link from the waiting list can open the form with its audience chosen.
    initialAudience: audience === 'confirmed' || audience === 'waitlisted' ? audience : '',
  }
}

const intentSchema = z.enum(['check', 'send', 'change'])
const sendKeySchema = z.string().uuid()

type ActionResult =
  | { step: 'write'; errors: MessageErrors; values: MessageValues }
  | { step: 'check'; values: MessageValues; recipients: number; sendKey: string }

function writeStep(values: MessageValues, errors: MessageErrors, status = 400) {
  return data<ActionResult>({ step: 'write', errors, values }, { status })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:write')
  const activity = await findActivity(params.id, context)
  const form = await request.formData()
  const values = messageValues(form)
  const intent = intentSchema.safeParse(form.get('intent'))
  if (!intent.success || intent.data === 'change') return writeStep(values, {}, intent.success ? 200 : 400)
  const parsed = parseMessage(values)
  if (!parsed.ok) return writeStep(values, parsed.errors)

  const problem = (result: { status: 'nobody'; audience: string } | { status: 'contains-join-link' }) =>
    result.status === 'nobody'
      ? writeStep(values, {
          audience:
            result.audience === 'waitlisted'
              ? 'Nobody is on the waiting list. Choose families with a place, or send nothing'
              : 'Nobody has a place on this session. Choose the waiting list, or send nothing',
        })
      : writeStep(values, {
          body: 'Remove the Teams joining link. Families on the waiting list must not get it',
        })

  if (intent.data === 'check') {
    const checked = await checkMessage(context.db, activity.id, parsed.value)
    if (checked.status === 'not-found') throw new Response('Not found', { status: 404 })
    if (checked.status !== 'ok') return problem(checked)
    return data<ActionResult>({
      step: 'check',
      values,
      recipients: checked.recipients,
      sendKey: globalThis.crypto.randomUUID(),
    })
  }

  const sendKey = sendKeySchema.safeParse(form.get('sendKey'))
  // Without the key from the check step, the message has not been checked: show it to check.
  if (!sendKey.success) return writeStep(values, {}, 400)
  const result = await sendSessionMessage(context.db, activity.id, parsed.value, {
    sendKey: sendKey.data,
    sentBy: staff.id,
    links: linksFor(request, context),
    ip: context.clientIp,
  })
  switch (result.status) {
    case 'sent':
    case 'already-sent':
      context.nudgeOutbox?.()
      return redirect(`/staff/activities/${activity.id}?notice=message-sent-${result.recipients}`)
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    default:
      return problem(result)
  }
}

const AUDIENCE_NAMES = { confirmed: 'families with a place', waitlisted: 'families on the waiting list' } as const

function families(n: number): string {
  return `${n} ${n === 1 ? 'family' : 'families'}`
}

export default function SessionMessages() {
  const { activity, counts, initialAudience } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const when = `${formatLondonDate(activity.starts_at)}, ${formatLondonTimeRange(activity.starts_at, activity.ends_at)}`

  if (actionData?.step === 'check') {
    const { values, recipients, sendKey } = actionData
    const audience = values.audience === 'waitlisted' ? 'waitlisted' : 'confirmed'
    return (
      <>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <span className="govuk-caption-l">
              {activity.title}, {when}
            </span>
            <h1 className="govuk-heading-l">Check your message</h1>
            <SummaryList
              rows={[
                { key: 'To', value: `${families(recipients)}: ${AUDIENCE_NAMES[audience]}` },
                { key: 'Subject', value: values.subject },
                { key: 'Message', value: <span className="app-pre-wrap">{values.body}</span> },
              ]}
            />
            <InsetText>
              Each family gets one email with your message, the session’s details and their booking reference.{' '}
              {audience === 'waitlisted'
                ? 'Families on the waiting list do not get the Teams joining link.'
                : activity.online && activity.status !== 'cancelled'
                  ? 'Families with a place also get the Teams joining link.'
                  : ''}
            </InsetText>
            <Form method="post">
              <input type="hidden" name="audience" value={values.audience} />
              <input type="hidden" name="subject" value={values.subject} />
              <input type="hidden" name="body" value={values.body} />
              <input type="hidden" name="sendKey" value={sendKey} />
              <ButtonGroup>
                <Button name="intent" value="send">
                  {`Send to ${families(recipients)}`}
                </Button>
                <Button name="intent" value="change" variant="secondary" preventDoubleClick={false}>
                  Change the message
                </Button>
              </ButtonGroup>
            </Form>
          </div>
        </div>
      </>
    )
  }

  const errors: MessageErrors = actionData?.errors ?? {}
  const values: MessageValues = actionData?.values ?? { audience: initialAudience, subject: '', body: '' }
  return (
    <>
      <BackLink href={`/staff/activities/${activity.id}`}>Back to the session</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errorList(errors, [...MESSAGE_FIELD_ORDER])} />
          <span className="govuk-caption-l">
            {activity.title}, {when}
          </span>
          <h1 className="govuk-heading-l">Message families</h1>
          {activity.status === 'cancelled' ? (
            <InsetText>
              This session is cancelled. You can still message families, for example to offer another date.
            </InsetText>
          ) : null}
          <Form method="post" noValidate>
            <Radios
              id="audience"
              legend="Who is it for?"
              legendSize="m"
              error={errors.audience}
              defaultValue={values.audience}
              items={[
                { value: 'confirmed', text: 'Families with a place', hint: families(counts.confirmed) },
                {
                  value: 'waitlisted',
                  text: 'Families on the waiting list',
                  hint: `${families(counts.waitlisted)}. They do not get the Teams joining link`,
                },
              ]}
            />
            <TextInput
              id="subject"
              label="Subject"
              labelSize="m"
              hint="Families see this as the email’s subject"
              error={errors.subject}
              defaultValue={values.subject}
              spellCheck
            />
            <Textarea
              id="body"
              label="Message"
              labelSize="m"
              hint="We add a greeting, the session’s details and each family’s booking reference. Do not paste the Teams joining link: families with a place get it with your message."
              error={errors.body}
              defaultValue={values.body}
              rows={8}
              spellCheck
            />
            <Button name="intent" value="check" preventDoubleClick={false}>
              Continue
            </Button>
          </Form>
        </div>
      </div>
    </>
  )
}
