import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import { requireStaff } from '~/auth/session.server'
import {
  Button,
  ButtonGroup,
  Checkboxes,
  ErrorMessage,
  ErrorSummary,
  NotificationBanner,
  Radios,
  ReflowCell,
  Select,
  TextInput,
  Textarea,
  errorList,
} from '~/components'
import {
  BANDS_FIELD,
  MAX_BANDS,
  ageBandLabel,
  maxAgeField,
  minAgeField,
  type AgeBandRow,
} from '~/domain/age-band-rules'
import { listAuthorities } from '~/domain/authorities.server'
import {
  getFamiliesSettings,
  getQuarterFirstMonth,
  getWording,
  listAgeBands,
  saveAgeBands,
  saveFamiliesSettings,
  getReminderSettings,
  saveReminderSettings,
  saveOrganisation,
  saveWording,
  setPartners,
  setQuarterFirstMonth,
  setRetentionMonths,
  setConcernRetentionYears,
} from '~/domain/settings-admin.server'
import {
  FAMILIES_FIELD_ORDER,
  OFFER_WINDOW_HOURS_MAX,
  REMINDERS_FIELD_ORDER,
  SECOND_REMINDER_HOURS_MAX,
  type RemindersInput,
  FAMILY_HOLD_HOURS_MAX,
  FAMILY_HOLD_HOURS_MIN,
  ORGANISATION_FIELD_ORDER,
  PARTNERS_FIELD,
  QUARTER_MONTH_FIELD,
  RETENTION_FIELD,
  CONCERN_RETENTION_FIELD,
  SETTINGS_FIELDS as F,
  settingsIntentSchema,
  typedFamilies,
  typedReminders,
  typedOrganisation,
  typedWording,
  type FamiliesInput,
  type OrganisationInput,
  type WordingInput,
} from '~/domain/settings-form'
import { getRetentionMonths } from '~/domain/retention.server'
import {
  CONCERN_RETENTION_YEARS_DEFAULT,
  CONCERN_RETENTION_YEARS_MAX,
  CONCERN_RETENTION_YEARS_MIN,
} from '~/domain/concern-form'
import { concernRetentionYears } from '~/domain/concerns.server'
import { getOrganisation } from '~/domain/settings.server'

export const meta: MetaFunction = () => [{ title: 'Settings – Join In staff' }]

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

const NOTICES: Record<string, string> = {
  'age-bands': 'Age bands saved. Reports use them from now on, for every period.',
  partners: 'Partner councils saved. They now come first in the booking form and are always shown in reports.',
  quarter: 'Reporting year saved.',
  'concern-retention':
    'Period for keeping closed safeguarding concerns saved. Concerns closed longer ago than this are erased within a few minutes, then every night.',
  retention: 'Retention period saved. Details older than this are erased within a few minutes, then every night.',
  wording: 'Wording and limits saved.',
  organisation: 'Organisation and contact details saved. Every page uses them from now on.',
  families: 'New family settings saved. They apply to bookings made from now on.',
  reminders: 'Reminder and offer settings saved.',
}

type Section =
  | 'ageBands'
  | 'partners'
  | 'quarter'
  | 'retention'
  | 'concernRetention'
  | 'wording'
  | 'organisation'
  | 'families'
  | 'reminders'

type ActionResult =
  | { section: 'ageBands'; rows: AgeBandRow[]; errors: Record<string, string> }
  | { section: 'partners'; partners: string[]; errors: Record<string, string> }
  | { section: 'quarter'; quarterFirstMonth: string; errors: Record<string, string> }
  | { section: 'retention'; retentionMonths: string; errors: Record<string, string> }
  | { section: 'concernRetention'; concernRetentionYears: string; errors: Record<string, string> }
  | { section: 'wording'; wording: WordingInput; errors: Record<string, string> }
  | { section: 'organisation'; organisation: OrganisationInput; errors: Record<string, string> }
  | { section: 'families'; families: FamiliesInput; errors: Record<string, string> }
  | { section: 'reminders'; reminders: RemindersInput; errors: Record<string, string> }

const text = z.preprocess((v) => (typeof v === 'string' ? v.slice(0, 5000) : ''), z.string())
const ageBandFormSchema = z.object({ bandCount: z.coerce.number().int().catch(0) })

/** The rows as typed, in the form's order: `minAge-0`, `maxAge-0`, … up to bandCount. */
function typedRows(form: FormData): AgeBandRow[] {
  const { bandCount } = ageBandFormSchema.parse({ bandCount: form.get(F.bandCount) })
  const count = Math.min(Math.max(bandCount, 1), MAX_BANDS)
  const value = (name: string) => {
    const v = form.get(name)
    return typeof v === 'string' ? v.slice(0, 10) : ''
  }
  return Array.from({ length: count }, (_, i) => ({ minAge: value(minAgeField(i)), maxAge: value(maxAgeField(i)) }))
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'settings:write')
  const [
    bands,
    authorities,
    quarterFirstMonth,
    retentionMonths,
    concernYears,
    wording,
    organisation,
    families,
    reminders,
  ] = await Promise.all([
    listAgeBands(context.db),
    listAuthorities(context.db),
    getQuarterFirstMonth(context.db),
    getRetentionMonths(context.db),
    concernRetentionYears(context.db),
    getWording(context.db),
    getOrganisation(context.db, context.config.organisationName),
    getFamiliesSettings(context.db),
    getReminderSettings(context.db),
  ])
  const english = authorities
    .filter((a) => a.nation === 'england')
    .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))
  return {
    rows: bands.map((b) => ({ minAge: String(b.min_age), maxAge: b.max_age === null ? '' : String(b.max_age) })),
    authorities: english.map((a) => ({ code: a.code, name: a.name })),
    partners: english.filter((a) => a.isPartner).map((a) => a.code),
    quarterFirstMonth: String(quarterFirstMonth),
    retentionMonths: String(retentionMonths),
    concernRetentionYears: String(concernYears),
    wording,
    organisation: organisation satisfies OrganisationInput,
    families,
    reminders,
    notice: NOTICES[new URL(request.url).searchParams.get('saved') ?? ''] ?? null,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'settings:write')
  const form = await request.formData()
  const intent = settingsIntentSchema.safeParse(form.get(F.intent))
  if (!intent.success) throw new Response('That is not a settings change this page can make', { status: 400 })

  if (intent.data === 'add-band' || intent.data.startsWith('remove-band-')) {
    // "Add another band" and "Remove" are plain submit buttons so they work without JavaScript.
    const rows = typedRows(form)
    if (intent.data === 'add-band') {
      if (rows.length < MAX_BANDS) rows.push({ minAge: '', maxAge: '' })
    } else {
      const index = Number(intent.data.slice('remove-band-'.length))
      if (rows.length > 1 && index < rows.length) rows.splice(index, 1)
    }
    return data<ActionResult>({ section: 'ageBands', rows, errors: {} })
  }

  if (intent.data === 'save-age-bands') {
    const rows = typedRows(form)
    const saved = await saveAgeBands(context.db, rows, staff.id)
    if (!saved.ok) return data<ActionResult>({ section: 'ageBands', rows, errors: saved.errors }, { status: 400 })
    return redirect('/staff/settings?saved=age-bands')
  }

  if (intent.data === 'save-partners') {
    const partners = form
      .getAll(PARTNERS_FIELD)
      .filter((v): v is string => typeof v === 'string')
      .slice(0, 500)
    const saved = await setPartners(context.db, partners, staff.id)
    if (!saved.ok) return data<ActionResult>({ section: 'partners', partners, errors: saved.errors }, { status: 400 })
    return redirect('/staff/settings?saved=partners')
  }

  if (intent.data === 'save-quarter') {
    const month = text.parse(form.get(QUARTER_MONTH_FIELD))
    const saved = await setQuarterFirstMonth(context.db, month, staff.id)
    if (!saved.ok)
      return data<ActionResult>({ section: 'quarter', quarterFirstMonth: month, errors: saved.errors }, { status: 400 })
    return redirect('/staff/settings?saved=quarter')
  }

  if (intent.data === 'save-retention') {
    const months = text.parse(form.get(RETENTION_FIELD)).slice(0, 20)
    const saved = await setRetentionMonths(context.db, months, staff.id)
    if (!saved.ok)
      return data<ActionResult>(
        { section: 'retention', retentionMonths: months, errors: saved.errors },
        { status: 400 },
      )
    return redirect('/staff/settings?saved=retention')
  }

  if (intent.data === 'save-concern-retention') {
    const years = text.parse(form.get(CONCERN_RETENTION_FIELD)).slice(0, 20)
    const saved = await setConcernRetentionYears(context.db, years, staff.id)
    if (!saved.ok)
      return data<ActionResult>(
        { section: 'concernRetention', concernRetentionYears: years, errors: saved.errors },
        { status: 400 },
      )
    return redirect('/staff/settings?saved=concern-retention')
  }

  if (intent.data === 'save-organisation') {
    const organisation = typedOrganisation(form)
    const saved = await saveOrganisation(context.db, organisation, staff.id, context.config.organisationName)
    if (!saved.ok)
      return data<ActionResult>({ section: 'organisation', organisation, errors: saved.errors }, { status: 400 })
    return redirect('/staff/settings?saved=organisation')
  }

  if (intent.data === 'save-reminders') {
    const reminders = typedReminders(form)
    const saved = await saveReminderSettings(context.db, reminders, staff.id)
    if (!saved.ok) return data<ActionResult>({ section: 'reminders', reminders, errors: saved.errors }, { status: 400 })
    return redirect('/staff/settings?saved=reminders')
  }

  if (intent.data === 'save-families') {
    const families = typedFamilies(form)
    const saved = await saveFamiliesSettings(context.db, families, staff.id)
    if (!saved.ok) return data<ActionResult>({ section: 'families', families, errors: saved.errors }, { status: 400 })
    return redirect('/staff/settings?saved=families')
  }

  const wording = typedWording(form)
  const saved = await saveWording(context.db, wording, staff.id)
  if (!saved.ok) return data<ActionResult>({ section: 'wording', wording, errors: saved.errors }, { status: 400 })
  return redirect('/staff/settings?saved=wording')
}

function errorsFor(result: ActionResult | undefined, section: Section): Record<string, string> {
  return result?.section === section ? result.errors : {}
}

export default function Settings() {
  const loaded = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const rows = result?.section === 'ageBands' ? result.rows : loaded.rows
  const partners = result?.section === 'partners' ? result.partners : loaded.partners
  const quarterFirstMonth = result?.section === 'quarter' ? result.quarterFirstMonth : loaded.quarterFirstMonth
  const retentionMonths = result?.section === 'retention' ? result.retentionMonths : loaded.retentionMonths
  const wording = result?.section === 'wording' ? result.wording : loaded.wording
  const organisation = result?.section === 'organisation' ? result.organisation : loaded.organisation
  const organisationErrors = errorsFor(result, 'organisation')
  const families = result?.section === 'families' ? result.families : loaded.families
  const familiesErrors = errorsFor(result, 'families')
  const reminders = result?.section === 'reminders' ? result.reminders : loaded.reminders
  const remindersErrors = errorsFor(result, 'reminders')
  const bandErrors = errorsFor(result, 'ageBands')
  const partnerErrors = errorsFor(result, 'partners')
  const quarterErrors = errorsFor(result, 'quarter')
  const retentionErrors = errorsFor(result, 'retention')
  const concernYears =
    result?.section === 'concernRetention' ? result.concernRetentionYears : loaded.concernRetentionYears
  const concernRetentionErrors = errorsFor(result, 'concernRetention')
  const wordingErrors = errorsFor(result, 'wording')
  const bandOrder = [BANDS_FIELD, ...rows.flatMap((_, i) => [minAgeField(i), maxAgeField(i)])]
  const summary = [
    ...errorList(organisationErrors, ORGANISATION_FIELD_ORDER),
    ...errorList(bandErrors, bandOrder, { [BANDS_FIELD]: 'age-bands' }),
    ...errorList(partnerErrors, [PARTNERS_FIELD]),
    ...errorList(quarterErrors, [QUARTER_MONTH_FIELD]),
    ...errorList(retentionErrors, [RETENTION_FIELD]),
    ...errorList(concernRetentionErrors, [CONCERN_RETENTION_FIELD]),
    ...errorList(familiesErrors, [...FAMILIES_FIELD_ORDER]),
    ...errorList(remindersErrors, [...REMINDERS_FIELD_ORDER]),
    ...errorList(wordingErrors, [F.eligibilityStatement, F.bookingTerms, F.maxChildrenPerBooking]),
  ]

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <ErrorSummary errors={summary} />
        {loaded.notice && !result ? <NotificationBanner success>{loaded.notice}</NotificationBanner> : null}
        <h1 className="govuk-heading-l">Settings</h1>
        <p className="govuk-body">
          Tokens that let Power BI read the quarterly figures are on the{' '}
          <a className="govuk-link" href="/staff/api-tokens">
            API tokens
          </a>{' '}
          page.
        </p>

        <OrganisationForm organisation={organisation} errors={organisationErrors} />
        <AgeBandsForm rows={rows} errors={bandErrors} />
        <PartnersForm authorities={loaded.authorities} partners={partners} errors={partnerErrors} />
        <QuarterForm quarterFirstMonth={quarterFirstMonth} errors={quarterErrors} />
        <RetentionForm retentionMonths={retentionMonths} errors={retentionErrors} />
        <ConcernRetentionForm years={concernYears} errors={concernRetentionErrors} />
        <FamiliesForm families={families} errors={familiesErrors} />
        <RemindersForm reminders={reminders} errors={remindersErrors} />
        <WordingForm wording={wording} errors={wordingErrors} />
      </div>
    </div>
  )
}

function typedLabel(row: AgeBandRow, isLast: boolean): string {
  const min = row.minAge.trim()
  const max = row.maxAge.trim()
  if (!/^\d+$/.test(min) || (max !== '' && !/^\d+$/.test(max))) return ''
  if (max === '') return isLast ? ageBandLabel(Number(min), null) : ''
  return Number(max) >= Number(min) ? ageBandLabel(Number(min), Number(max)) : ''
}

function AgeInput({ id, label, value, error }: { id: string; label: string; value: string; error?: string }) {
  return (
    <div
      className={
        error
          ? 'govuk-form-group govuk-form-group--error govuk-!-margin-bottom-0'
          : 'govuk-form-group govuk-!-margin-bottom-0'
      }
    >
      <label className="govuk-label govuk-visually-hidden" htmlFor={id}>
        {label}
      </label>
      {error ? <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage> : null}
      <input
        className={error ? 'govuk-input govuk-input--width-3 govuk-input--error' : 'govuk-input govuk-input--width-3'}
        id={id}
        name={id}
        type="text"
        inputMode="numeric"
        defaultValue={value}
        aria-describedby={error ? `${id}-error` : undefined}
      />
    </div>
  )
}

function AgeBandsForm({ rows, errors }: { rows: AgeBandRow[]; errors: Record<string, string> }) {
  const setError = errors[BANDS_FIELD]
  return (
    <section className="govuk-!-margin-bottom-9" aria-labelledby="age-bands-heading">
      <h2 className="govuk-heading-m" id="age-bands-heading">
        Age bands
      </h2>
      <p className="govuk-body">
        Reports count spaces booked in these bands of age on the day of the activity. The first band starts at 0, each
        band starts the year after the one before ends, and the last band has no oldest age (it counts everyone that age
        and over).
      </p>
      {/* The key makes React start from the new rows after adding or removing one. */}
      <Form method="post" noValidate key={rows.map((r) => `${r.minAge}-${r.maxAge}`).join('|') + rows.length}>
        {/* Pressing Enter in a box submits the form's first button: make that "Save", not "Remove". */}
        <button
          type="submit"
          name={F.intent}
          value="save-age-bands"
          className="govuk-visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
        >
          Save age bands
        </button>
        <input type="hidden" name={F.bandCount} value={rows.length} />
        <div
          className={setError ? 'govuk-form-group govuk-form-group--error' : 'govuk-form-group'}
          id="age-bands"
          tabIndex={-1}
        >
          {setError ? <ErrorMessage id="age-bands-error">{setError}</ErrorMessage> : null}
          <table className="govuk-table app-table--reflow" role="table">
            <caption className="govuk-table__caption govuk-visually-hidden">Age bands, youngest first</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row" role="row">
                <th scope="col" role="columnheader" className="govuk-table__header">
                  Band
                </th>
                <th scope="col" role="columnheader" className="govuk-table__header">
                  Youngest age
                </th>
                <th scope="col" role="columnheader" className="govuk-table__header">
                  Oldest age <span className="govuk-hint govuk-!-font-size-16">(empty for the last band)</span>
                </th>
                <th scope="col" role="columnheader" className="govuk-table__header">
                  Shown in reports as
                </th>
                <th scope="col" role="columnheader" className="govuk-table__header">
                  <span className="govuk-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {rows.map((row, i) => (
                <tr className="govuk-table__row" role="row" key={i}>
                  <th scope="row" role="rowheader" className="govuk-table__header">
                    Band {i + 1}
                  </th>
                  <ReflowCell label="Youngest age">
                    <AgeInput
                      id={minAgeField(i)}
                      label={`Band ${i + 1} youngest age`}
                      value={row.minAge}
                      error={errors[minAgeField(i)]}
                    />
                  </ReflowCell>
                  <ReflowCell label="Oldest age">
                    <AgeInput
                      id={maxAgeField(i)}
                      label={`Band ${i + 1} oldest age`}
                      value={row.maxAge}
                      error={errors[maxAgeField(i)]}
                    />
                  </ReflowCell>
                  <ReflowCell label="Shown in reports as">{typedLabel(row, i === rows.length - 1)}</ReflowCell>
                  <ReflowCell>
                    {rows.length > 1 ? (
                      <Button name={F.intent} value={`remove-band-${i}`} variant="secondary" preventDoubleClick={false}>
                        Remove<span className="govuk-visually-hidden"> band {i + 1}</span>
                      </Button>
                    ) : null}
                  </ReflowCell>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ButtonGroup>
          {rows.length < MAX_BANDS ? (
            <Button name={F.intent} value="add-band" variant="secondary" preventDoubleClick={false}>
              Add another band
            </Button>
          ) : null}
          <Button name={F.intent} value="save-age-bands">
            Save age bands
          </Button>
        </ButtonGroup>
      </Form>
    </section>
  )
}

function PartnersForm({
  authorities,
  partners,
  errors,
}: {
  authorities: Array<{ code: string; name: string }>
  partners: string[]
  errors: Record<string, string>
}) {
  const names = authorities.filter((a) => partners.includes(a.code)).map((a) => a.name)
  return (
    <section className="govuk-!-margin-bottom-9" aria-labelledby="partners-heading">
      <h2 className="govuk-heading-m" id="partners-heading">
        Partner councils
      </h2>
      <p className="govuk-body">Now: {names.length > 0 ? names.join(', ') : 'none'}.</p>
      <Form method="post" noValidate>
        <Checkboxes
          id={PARTNERS_FIELD}
          legend="Which councils commission this service?"
          legendSize="s"
          hint="Partner councils come first in the booking form’s list of councils and are always listed in reports, even when no one from them booked."
          error={errors[PARTNERS_FIELD]}
          items={authorities.map((a) => ({ value: a.code, text: a.name }))}
          defaultValues={partners}
          small
        />
        <Button name={F.intent} value="save-partners">
          Save partner councils
        </Button>
      </Form>
    </section>
  )
}

function QuarterForm({ quarterFirstMonth, errors }: { quarterFirstMonth: string; errors: Record<string, string> }) {
  return (
    <section className="govuk-!-margin-bottom-9" aria-labelledby="quarter-heading">
      <h2 className="govuk-heading-m" id="quarter-heading">
        Reporting year
      </h2>
      <Form method="post" noValidate>
        <Select
          id={QUARTER_MONTH_FIELD}
          label="Month the reporting year starts"
          labelSize="s"
          hint="Quarter 1 starts in this month. The UK financial year starts in April, so Q1 is April to June."
          error={errors[QUARTER_MONTH_FIELD]}
          defaultValue={quarterFirstMonth}
          options={MONTHS.map((name, i) => ({ value: String(i + 1), text: name }))}
        />
        <Button name={F.intent} value="save-quarter">
          Save reporting year
        </Button>
      </Form>
    </section>
  )
}

function RetentionForm({ retentionMonths, errors }: { retentionMonths: string; errors: Record<string, string> }) {
  return (
    <section className="govuk-!-margin-bottom-9" aria-labelledby="retention-heading">
      <h2 className="govuk-heading-m" id="retention-heading">
        Keeping personal details
      </h2>
      <p className="govuk-body">
        Every night, bookings on sessions older than this lose their names, email addresses, phone numbers, dates of
        birth, support needs and feedback comments. Ages, council areas, attendance and scores stay, so past reports
        give the same figures. To erase one family now, use{' '}
        <a className="govuk-link" href="/staff/erasure">
          Erase a family's details
        </a>
        .
      </p>
      <Form method="post" noValidate>
        <TextInput
          id={RETENTION_FIELD}
          label="Months to keep personal details after a session"
          labelSize="s"
          hint="From 3 to 120. The default is 24 months."
          error={errors[RETENTION_FIELD]}
          defaultValue={retentionMonths}
          inputMode="numeric"
          width={3}
          suffix="months"
        />
        <Button name={F.intent} value="save-retention">
          Save retention period
        </Button>
      </Form>
    </section>
  )
}

function ConcernRetentionForm({ years, errors }: { years: string; errors: Record<string, string> }) {
  return (
    <section className="govuk-!-margin-bottom-9" aria-labelledby="concern-retention-heading">
      <h2 className="govuk-heading-m" id="concern-retention-heading">
        Keeping safeguarding concerns
      </h2>
      <p className="govuk-body">
        Safeguarding concerns are kept apart from bookings: the nightly erasure above never touches an open concern, and
        erasing a family&apos;s details keeps the concerns about their children. A closed concern is erased, with its
        notes, this many years after it was closed. Child-protection records are kept far longer than booking details.
      </p>
      <Form method="post" noValidate>
        <TextInput
          id={CONCERN_RETENTION_FIELD}
          label="Years to keep a safeguarding concern after it is closed"
          labelSize="s"
          hint={`From ${CONCERN_RETENTION_YEARS_MIN} to ${CONCERN_RETENTION_YEARS_MAX}. The default is ${CONCERN_RETENTION_YEARS_DEFAULT} years.`}
          error={errors[CONCERN_RETENTION_FIELD]}
          defaultValue={years}
          inputMode="numeric"
          width={3}
          suffix="years"
        />
        <Button name={F.intent} value="save-concern-retention">
          Save period for concerns
        </Button>
      </Form>
    </section>
  )
}

function FamiliesForm({ families, errors }: { families: FamiliesInput; errors: Record<string, string> }) {
  return (
    <section className="govuk-!-margin-bottom-9" aria-labelledby="families-heading">
      <h2 className="govuk-heading-m" id="families-heading">
        New families
      </h2>
      <p className="govuk-body">
        A family booking for the first time without signing in is sent a link to confirm its email address. Until it
        does, its places are held: they count against the session’s spaces, and it is not sent the joining link.
      </p>
      <Form method="post" noValidate>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <Radios
              id={F.approveNewFamilies}
              legend="Do new families’ first bookings need approval?"
              legendSize="s"
              hint="With approval on, a new family’s first booking waits, after it confirms its email address, until staff approve or decline it on the New families page. Its places stay held until the booking closes."
              error={errors[F.approveNewFamilies]}
              defaultValue={families.approveNewFamilies}
              items={[
                { value: 'on', text: 'Yes, staff approve each new family' },
                { value: 'off', text: 'No, confirming the email address is enough' },
              ]}
            />
            <TextInput
              id={F.familyHoldHours}
              label="Hours a new family’s places are held for it to confirm its email address"
              labelSize="s"
              hint={`From ${FAMILY_HOLD_HOURS_MIN} to ${FAMILY_HOLD_HOURS_MAX}. The default is 24. Never past the booking close: then the places go to the waiting list.`}
              error={errors[F.familyHoldHours]}
              defaultValue={families.familyHoldHours}
              inputMode="numeric"
              width={3}
              suffix="hours"
            />
            <Button name={F.intent} value="save-families">
              Save new family settings
            </Button>
          </div>
        </div>
      </Form>
    </section>
  )
}

function RemindersForm({ reminders, errors }: { reminders: RemindersInput; errors: Record<string, string> }) {
  return (
    <section className="govuk-!-margin-bottom-9" aria-labelledby="reminders-heading">
      <h2 className="govuk-heading-m" id="reminders-heading">
        Reminders and places freed near the start
      </h2>
      <p className="govuk-body">
        Families with a place get a reminder the day before, with a link to release their place if they cannot come.
      </p>
      <Form method="post" noValidate>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <TextInput
              id={F.secondReminderHours}
              label="Hours before the start to send a second reminder, on the day"
              labelSize="s"
              hint={`From 0 to ${SECOND_REMINDER_HOURS_MAX}. The default is 3. 0 sends no second reminder.`}
              error={errors[F.secondReminderHours]}
              defaultValue={reminders.secondReminderHours}
              inputMode="numeric"
              width={3}
              suffix="hours"
            />
            <TextInput
              id={F.offerWindowHours}
              label="Hours before the start when a freed place is offered to the waiting list"
              labelSize="s"
              hint={`From 0 to ${OFFER_WINDOW_HOURS_MAX}. The default is 24. Within these hours a freed place is emailed to everyone waiting whom it fits, and the first to claim it gets it, until booking closes. Earlier, it goes to the next on the waiting list. 0 never offers.`}
              error={errors[F.offerWindowHours]}
              defaultValue={reminders.offerWindowHours}
              inputMode="numeric"
              width={3}
              suffix="hours"
            />
            <Button name={F.intent} value="save-reminders">
              Save reminder settings
            </Button>
          </div>
        </div>
      </Form>
    </section>
  )
}

function WordingForm({ wording, errors }: { wording: WordingInput; errors: Record<string, string> }) {
  return (
    <section className="govuk-!-margin-bottom-9" aria-labelledby="wording-heading">
      <h2 className="govuk-heading-m" id="wording-heading">
        Wording and limits
      </h2>
      <Form method="post" noValidate>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <Textarea
              id={F.eligibilityStatement}
              label="Who can book"
              labelSize="s"
              hint="Shown on every activity’s booking form."
              error={errors.eligibilityStatement}
              defaultValue={wording.eligibilityStatement}
            />
            <Textarea
              id={F.bookingTerms}
              label="Booking terms"
              labelSize="s"
              hint="Shown on every activity’s booking form, above the sentence on how the details are used and the link to the privacy notice."
              error={errors.bookingTerms}
              defaultValue={wording.bookingTerms}
            />
            <TextInput
              id={F.maxChildrenPerBooking}
              label="Most children one booking can include"
              labelSize="s"
              hint="A whole number from 1 to 10."
              error={errors.maxChildrenPerBooking}
              defaultValue={wording.maxChildrenPerBooking}
              inputMode="numeric"
              width={2}
            />
            <Button name={F.intent} value="save-wording">
              Save wording and limits
            </Button>
          </div>
        </div>
      </Form>
    </section>
  )
}

function OrganisationForm({
  organisation,
  errors,
}: {
  organisation: OrganisationInput
  errors: Record<string, string>
}) {
  return (
    <section className="govuk-!-margin-bottom-9" aria-labelledby="organisation-heading">
      <h2 className="govuk-heading-m" id="organisation-heading">
        Organisation and contact details
      </h2>
      <p className="govuk-body">
        Every page shows the team’s email address and phone number. The{' '}
        <a className="govuk-link" href="/accessibility">
          accessibility statement
        </a>{' '}
        and the{' '}
        <a className="govuk-link" href="/privacy">
          privacy notice
        </a>{' '}
        name the team, the data controller and its data protection officer as written here. Feedback sent from the beta
        banner goes to the team’s email address.
      </p>
      <Form method="post" noValidate>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <TextInput
              id={F.organisationName}
              label="Team that runs the service"
              labelSize="s"
              error={errors[F.organisationName]}
              defaultValue={organisation.organisationName}
            />
            <TextInput
              id={F.contactEmail}
              label="Team’s email address"
              labelSize="s"
              hint="For questions, accessibility requests and feedback"
              type="email"
              spellCheck={false}
              error={errors[F.contactEmail]}
              defaultValue={organisation.contactEmail}
            />
            <TextInput
              id={F.contactPhone}
              label="Team’s phone number"
              labelSize="s"
              type="tel"
              width={20}
              error={errors[F.contactPhone]}
              defaultValue={organisation.contactPhone}
            />
            <TextInput
              id={F.controllerName}
              label="Data controller"
              labelSize="s"
              hint="The council responsible for the personal details the service keeps"
              error={errors[F.controllerName]}
              defaultValue={organisation.controllerName}
            />
            <TextInput
              id={F.dpoName}
              label="Data protection officer"
              labelSize="s"
              hint="A name or a role, like Kent County Council’s Data Protection Officer"
              error={errors[F.dpoName]}
              defaultValue={organisation.dpoName}
            />
            <TextInput
              id={F.dpoEmail}
              label="Data protection officer’s email address"
              labelSize="s"
              type="email"
              spellCheck={false}
              error={errors[F.dpoEmail]}
              defaultValue={organisation.dpoEmail}
            />
            <Button name={F.intent} value="save-organisation">
              Save organisation and contact details
            </Button>
          </div>
        </div>
      </Form>
    </section>
  )
}
