// The audit log for administrators: newest first, filtered by action, staff member, London dates
// and subject. The filters are a GET form, so a filtered view is a link that can be shared.
import type { LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, Form, useLoaderData } from 'react-router'
import { z } from 'zod'
import { requireStaff } from '~/auth/session.server'
import {
  Button,
  ButtonGroup,
  DateInput,
  ErrorSummary,
  Pagination,
  Select,
  Table,
  TextInput,
  errorList,
} from '~/components'
import { auditLogPage, type AuditLogEntry } from '~/domain/audit.server'
import { formatLondonShortDate, londonTimeOf } from '~/time/london-time'
import { readDateRange } from '~/domain/report-period'

export const meta: MetaFunction = () => [{ title: 'Audit log – Join In staff' }]

/** Text cut to one character past its limit: bounded, yet a too-long value still fails its check. */
const text = (max: number) =>
  z
    .string()
    .catch('')
    .transform((v) => v.trim().slice(0, max + 1))
const part = text(10)
const querySchema = z.object({
  action: text(200),
  actor: text(20),
  'from-day': part,
  'from-month': part,
  'from-year': part,
  'to-day': part,
  'to-month': part,
  'to-year': part,
  subjectType: text(100),
  subjectId: text(100),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
})
type Query = z.infer<typeof querySchema>

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'audit:read')
  const url = new URL(request.url)
  const query = querySchema.parse(Object.fromEntries(url.searchParams))
  const range = readDateRange(url.searchParams, { from: 'date from', to: 'date to' })
  const { errors, options, page } = await auditLogPage(
    context.db,
    { ...query, dates: range },
    { id: staff.id, ip: context.clientIp },
  )
  // The boxes show the dates, also when they came as ?from=2025-10-01, so paging keeps them.
  const values = {
    ...query,
    'from-day': range.form.from.day,
    'from-month': range.form.from.month,
    'from-year': range.form.from.year,
    'to-day': range.form.to.day,
    'to-month': range.form.to.month,
    'to-year': range.form.to.year,
  }
  return data({ errors, values, options, page }, { status: page ? 200 : 400 })
}

function who(entry: AuditLogEntry): string {
  if (entry.actorKind === 'staff') return entry.actorName ?? 'A deleted account'
  if (entry.actorKind === 'api-token') return entry.actorName ? `API token “${entry.actorName}”` : 'API token'
  return 'System'
}

function Detail({ entry }: { entry: AuditLogEntry }) {
  const lines = [...entry.detail, ...(entry.ip ? [{ key: 'IP address', value: entry.ip }] : [])]
  if (lines.length === 0) return null
  return (
    <ul className="govuk-list govuk-body-s govuk-!-margin-bottom-0 govuk-!-text-break-word">
      {lines.map((line, i) => (
        <li key={i}>
          {line.key}: {line.value}
        </li>
      ))}
    </ul>
  )
}

/** Each page link keeps the filters: the query string as it came, with only the page changed. */
function pageHref(values: Query, page: number): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(values)) {
    if (key !== 'page' && value !== '') params.set(key, String(value))
  }
  params.set('page', String(page))
  return `/staff/audit?${params.toString()}`
}

function subjectHref(entry: AuditLogEntry): string {
  const params = new URLSearchParams({ subjectType: entry.subjectType ?? '', subjectId: entry.subjectId ?? '' })
  return `/staff/audit?${params.toString()}`
}

function AuditPagination({ values, page, pages }: { values: Query; page: number; pages: number }) {
  const link = (to: number, title: string) => ({
    href: pageHref(values, to),
    title,
    hiddenSuffix: ' entries',
    label: `Page ${to} of ${pages}`,
  })
  return (
    <Pagination
      label="Pages of the audit log"
      prev={page > 1 ? link(page - 1, 'Newer') : undefined}
      next={page < pages ? link(page + 1, 'Older') : undefined}
    />
  )
}

export default function AuditLog() {
  const { errors, values, options, page } = useLoaderData<typeof loader>()
  const dateError = (which: 'from' | 'to') => errors[which]
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <ErrorSummary
          errors={errorList(errors, ['action', 'actor', 'from', 'to', 'subjectType', 'subjectId'], {
            from: 'from-day',
            to: 'to-day',
          })}
        />
        <h1 className="govuk-heading-l">Audit log</h1>
        <p className="govuk-body">
          Every sign-in, view of a register or booking, export, erasure, and change to settings or staff accounts, with
          who did it and when. Times are UK time.
        </p>

        <Form method="get" noValidate className="govuk-!-margin-bottom-6">
          <h2 className="govuk-heading-m">Filter</h2>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-half">
              <Select
                id="action"
                label="Action"
                labelSize="s"
                error={errors.action}
                defaultValue={values.action}
                options={[{ value: '', text: 'Any action' }, ...options.actions.map((a) => ({ value: a, text: a }))]}
              />
              <Select
                id="actor"
                label="Who"
                labelSize="s"
                error={errors.actor}
                defaultValue={values.actor}
                options={[
                  { value: '', text: 'Anyone' },
                  ...options.actors,
                  { value: 'none', text: 'The system or an API token' },
                ]}
              />
              <Select
                id="subjectType"
                label="Kind of record"
                labelSize="s"
                error={errors.subjectType}
                defaultValue={values.subjectType}
                options={[{ value: '', text: 'Any' }, ...options.subjectTypes.map((t) => ({ value: t, text: t }))]}
              />
              <TextInput
                id="subjectId"
                label="Record number"
                labelSize="s"
                hint="For example, the number of an activity or a staff account"
                error={errors.subjectId}
                defaultValue={values.subjectId}
                spellCheck={false}
                width={10}
              />
            </div>
            <div className="govuk-grid-column-one-half">
              <DateInput
                id="from"
                legend="Date from"
                legendSize="s"
                hint="For example, 27 3 2026"
                error={dateError('from')}
                value={{ day: values['from-day'], month: values['from-month'], year: values['from-year'] }}
              />
              <DateInput
                id="to"
                legend="Date to"
                legendSize="s"
                hint="Includes the whole of this day"
                error={dateError('to')}
                value={{ day: values['to-day'], month: values['to-month'], year: values['to-year'] }}
              />
            </div>
          </div>
          <ButtonGroup>
            <Button preventDoubleClick={false}>Apply filters</Button>
            <a className="govuk-link" href="/staff/audit">
              Clear filters
            </a>
          </ButtonGroup>
        </Form>

        {page ? (
          <>
            <p className="govuk-body" role="status">
              {page.total === 0
                ? 'No entries match these filters.'
                : `${page.total} ${page.total === 1 ? 'entry' : 'entries'}, newest first. Page ${page.page} of ${page.pages}.`}
            </p>
            {page.entries.length > 0 ? (
              <Table
                caption="Audit log entries"
                captionSize="m"
                head={[{ text: 'When' }, { text: 'Who' }, { text: 'Action' }, { text: 'Record' }, { text: 'Detail' }]}
                rows={page.entries.map((e) => [
                  { text: `${formatLondonShortDate(e.at)}, ${londonTimeOf(e.at)}` },
                  { text: who(e) },
                  { text: <code>{e.action}</code> },
                  {
                    text:
                      e.subjectType && e.subjectId ? (
                        <a className="govuk-link" href={subjectHref(e)}>
                          {`${e.subjectType} ${e.subjectId}`}
                          <span className="govuk-visually-hidden">: show all its entries</span>
                        </a>
                      ) : (
                        (e.subjectType ?? '')
                      ),
                  },
                  { text: <Detail entry={e} /> },
                ])}
              />
            ) : null}
            <AuditPagination values={values} page={page.page} pages={page.pages} />
          </>
        ) : null}
      </div>
    </div>
  )
}
