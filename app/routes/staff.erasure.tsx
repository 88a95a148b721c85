// Erasing one family's or young person's details now, when they ask (a subject erasure request):
// find everything held under an email address, check it, then erase it in a second step.
// The address travels only in POST bodies, never in a URL, so it is not in logs or history.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useActionData } from 'react-router'
import { z } from 'zod'
import { requireStaff } from '~/auth/session.server'
import { linksFor } from '~/base-url.server'
import {
  BackLink,
  Button,
  ButtonGroup,
  Checkboxes,
  ErrorSummary,
  InsetText,
  Panel,
  Table,
  TextInput,
  WarningText,
  errorList,
} from '~/components'
import { formatLondonDate } from '~/time/london-time'
import { takeErasureStep, type ErasureCounts, type SubjectData } from '~/domain/erasure.server'

export const meta: MetaFunction = () => [{ title: "Erase a family's details – Join In staff" }]

const EMAIL = 'email'
const CONFIRM = 'confirm'

const emailSchema = z
  .string({ message: 'Enter the email address they booked or signed up with' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter the email address they booked or signed up with')
  .max(254, 'Enter an email address in the correct format, like name@example.com')
  .email('Enter an email address in the correct format, like name@example.com')

const formSchema = z.object({
  intent: z.enum(['find', 'erase']).catch('find'),
  [EMAIL]: z.string().catch(''),
  [CONFIRM]: z.string().optional(),
})

type ActionResult =
  | { step: 'find'; email: string; errors: Record<string, string> }
  | { step: 'check'; email: string; found: SubjectData; errors: Record<string, string> }
  | { step: 'erased'; counts: ErasureCounts & { cancelledPlaces: number; mailingList: boolean }; pageTitle: string }

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'bookings:write')
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'bookings:write')
  const form = formSchema.parse(Object.fromEntries(await request.formData()))
  const typed = form[EMAIL].slice(0, 300)
  const email = emailSchema.safeParse(typed)
  if (!email.success) {
    return data<ActionResult>(
      { step: 'find', email: typed, errors: { [EMAIL]: email.error.issues[0]!.message } },
      { status: 400 },
    )
  }

  const result = await takeErasureStep(
    context.db,
    { intent: form.intent, email: email.data, confirmed: form[CONFIRM] === 'yes' },
    { id: staff.id, ip: context.clientIp },
    linksFor(request, context),
  )
  if (result.status === 'erased') {
    context.nudgeOutbox?.()
    return data<ActionResult>({ step: 'erased', counts: result.counts, pageTitle: 'Details erased' })
  }
  if (result.unconfirmed) {
    return data<ActionResult>(
      {
        step: 'check',
        email: email.data,
        found: result.found,
        errors: { [CONFIRM]: 'Confirm you have checked these are the details of the person who asked' },
      },
      { status: 400 },
    )
  }
  return data<ActionResult>({ step: 'check', email: email.data, found: result.found, errors: {} })
}

export default function Erasure() {
  const result = useActionData<typeof action>()
  if (result?.step === 'erased') return <Erased counts={result.counts} />
  const errors = result && 'errors' in result ? result.errors : {}
  const summary = errorList(errors, [EMAIL, CONFIRM])
  if (result?.step === 'check' && holdsAnything(result.found)) {
    return <Check email={result.email} found={result.found} error={errors[CONFIRM]} summary={summary} />
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={summary} />
        <h1 className="govuk-heading-l">Erase a family's details</h1>
        <p className="govuk-body">
          When someone asks us to delete their details, find them by the email address they booked or signed up to
          Adoptables with. You will see everything we hold before anything is erased.
        </p>
        <p className="govuk-body">
          Safeguarding concerns about their children are kept: they are a separate record that only safeguarding leads
          can read, kept for their own period after they are closed (set in the settings).
        </p>
        <Form method="post" noValidate>
          <TextInput
            id={EMAIL}
            label="Email address"
            labelSize="s"
            type="email"
            autoComplete="off"
            spellCheck={false}
            error={errors[EMAIL]}
            defaultValue={result?.email ?? ''}
          />
          <Button name="intent" value="find" variant={result?.step === 'check' ? 'secondary' : 'primary'}>
            Find their details
          </Button>
        </Form>
        {result?.step === 'check' ? <NothingHeld email={result.email} /> : null}
      </div>
    </div>
  )
}

function holdsAnything(found: SubjectData): boolean {
  return found.bookings.length > 0 || found.members.length > 0 || found.emails > 0 || Boolean(found.mailingList)
}

function NothingHeld({ email }: { email: string }) {
  return (
    <InsetText>
      <p className="govuk-body">
        We hold nothing under <strong>{email}</strong>: no bookings, no Adoptables sign-up, no mailing list and no
        emails. Check the spelling, or ask whether they used another address.
      </p>
    </InsetText>
  )
}

/** The check page before erasing (GOV.UK "check before you act"): everything held, then a ticked confirm. */
function Check({
  email,
  found,
  error,
  summary,
}: {
  email: string
  found: SubjectData
  error?: string
  summary: ReturnType<typeof errorList>
}) {
  const upcoming = found.bookings.reduce((sum, b) => sum + b.upcomingPlaces, 0)
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/staff/erasure">Find someone else</BackLink>
        <ErrorSummary errors={summary} />
        <h1 className="govuk-heading-l govuk-!-text-break-word">{`Are you sure you want to erase the details held for ${email}?`}</h1>
        <h2 className="govuk-heading-m govuk-!-text-break-word">What we hold for {email}</h2>
        {found.bookings.length ? (
          <Table
            caption={`${found.bookings.length} ${found.bookings.length === 1 ? 'booking' : 'bookings'}`}
            captionSize="s"
            head={[{ text: 'Reference' }, { text: 'Session' }, { text: 'Date' }, { text: 'Children' }]}
            firstCellIsHeader
            rows={found.bookings.map((b) => [
              { text: b.reference },
              { text: b.title },
              { text: formatLondonDate(b.startsAt) },
              { text: b.children.join(', ') },
            ])}
          />
        ) : null}
        {found.members.length ? (
          <p className="govuk-body">
            Adoptables:{' '}
            {found.members
              .map(
                (m) =>
                  `${m.firstName ?? '(already erased)'}${m.asParent ? ' (this is their parent or carer’s email)' : ''}`,
              )
              .join(', ')}
            .
          </p>
        ) : null}
        {found.mailingList ? (
          <p className="govuk-body">{`Mailing list: ${MAILING_LIST_STATUS[found.mailingList] ?? found.mailingList}.`}</p>
        ) : null}
        <p className="govuk-body">
          {found.emails} {found.emails === 1 ? 'email' : 'emails'} sent to this address are kept in the outbox.
        </p>
        {upcoming ? (
          <WarningText>
            {upcoming} {upcoming === 1 ? 'place' : 'places'} on sessions still to come will be cancelled and offered to
            the waiting list. They will not be emailed about it.
          </WarningText>
        ) : null}
        <Form method="post" noValidate>
          <input type="hidden" name={EMAIL} value={email} />
          <Checkboxes
            id={CONFIRM}
            error={error}
            items={[{ value: 'yes', text: 'I have checked these are the details of the person who asked' }]}
          />
          <p className="govuk-body">
            Names, email addresses, phone numbers, dates of birth, support needs, feedback comments and emails are
            erased and cannot be brought back. Ages, council areas and attendance stay, without names, for the reports.
          </p>
          <ButtonGroup>
            <Button name="intent" value="erase" variant="warning">
              Yes, erase these details
            </Button>
            <a className="govuk-link" href="/staff/erasure">
              No, erase nothing
            </a>
          </ButtonGroup>
        </Form>
      </div>
    </div>
  )
}

const MAILING_LIST_STATUS: Record<string, string> = {
  pending: 'asked to join, not confirmed yet',
  subscribed: 'subscribed',
  unsubscribed: 'left the list',
  bounced: 'emails to them bounced',
}

function Erased({ counts }: { counts: ErasureCounts & { cancelledPlaces: number; mailingList: boolean } }) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Panel title="Details erased" />
        <ul className="govuk-list govuk-list--bullet">
          <li>
            {counts.bookings} {counts.bookings === 1 ? 'booking' : 'bookings'} and {counts.places}{' '}
            {counts.places === 1 ? 'place' : 'places'}
          </li>
          <li>
            {counts.members} Adoptables {counts.members === 1 ? 'sign-up' : 'sign-ups'}
          </li>
          <li>
            {counts.emails} {counts.emails === 1 ? 'email' : 'emails'}
          </li>
          {counts.mailingList ? <li>their mailing list subscription</li> : null}
          {counts.cancelledPlaces ? (
            <li>
              {counts.cancelledPlaces} upcoming {counts.cancelledPlaces === 1 ? 'place' : 'places'} cancelled and
              offered to the waiting list
            </li>
          ) : null}
        </ul>
        <p className="govuk-body">This is recorded in the audit log, without the email address.</p>
        <p className="govuk-body">
          <a className="govuk-link" href="/staff/erasure">
            Erase another family's details
          </a>
        </p>
      </div>
    </div>
  )
}
