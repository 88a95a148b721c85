// Known adopted children (admins): the number each home authority has in a financial year, which
// the quarterly report divides the distinct children reached by. One authority and year per save;
// every change is audited. Plain form posts, so it works without JavaScript.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from 'react-router'
import { data, redirect, Form, useActionData, useLoaderData } from 'react-router'
import { requireStaff } from '~/auth/session.server'
import { BackLink, Button, ErrorSummary, NotificationBanner, Select, TextInput, errorList } from '~/components'
import { KNOWN_CHILDREN_FIELDS, parseKnownChildrenForm } from '~/domain/known-children-form'
import { changeKnownChildren, knownChildrenPage } from '~/domain/known-children.server'

export const meta: MetaFunction = () => [{ title: 'Known adopted children – Join In staff' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'settings:write')
  const query = new URL(request.url).searchParams
  const page = await knownChildrenPage(context.db, query.get('year'), context.now())
  const saved = query.get('saved')
  const removed = query.get('removed')
  return {
    ...page,
    notice: saved ? `Saved the number for ${saved}.` : removed ? `Removed the number for ${removed}.` : null,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'settings:write')
  const parsed = parseKnownChildrenForm(await request.formData())
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 })
  const result = await changeKnownChildren(
    context.db,
    parsed.value,
    { id: staff.id, ip: context.clientIp },
    context.now(),
  )
  if (result.status === 'invalid') return data({ errors: result.errors, values: parsed.values }, { status: 400 })
  const year = encodeURIComponent(result.financialYear)
  return redirect(`/staff/reports/known-children?year=${year}&${result.status}=${encodeURIComponent(result.name)}`)
}

export default function KnownChildren() {
  const { financialYear, years, rows, authorities, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors ?? {}
  const values = actionData?.values ?? {}
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/staff/reports">Quarterly report</BackLink>
        <ErrorSummary errors={errorList(errors, [...KNOWN_CHILDREN_FIELDS])} />
        {notice && !actionData ? <NotificationBanner success>{notice}</NotificationBanner> : null}
        <h1 className="govuk-heading-l">Known adopted children</h1>
        <p className="govuk-body">
          Enter how many adopted children each home authority knows of in a financial year. The quarterly report then
          shows the share of them the service reached: the distinct children it counts for that authority, divided by
          this number. Authorities with no number are listed as not entered.
        </p>

        <Form method="get" className="app-filters">
          <Select
            id="year"
            label="Financial year"
            labelSize="s"
            defaultValue={financialYear}
            options={years.map((y) => ({ value: y, text: y }))}
          />
          <Button variant="secondary" preventDoubleClick={false}>
            Show year
          </Button>
        </Form>

        {rows.length === 0 ? (
          <p className="govuk-body">{`No numbers are entered for ${financialYear}.`}</p>
        ) : (
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">{`Known adopted children in ${financialYear}`}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Home authority
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Known adopted children
                </th>
                <th scope="col" className="govuk-table__header">
                  <span className="govuk-visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {rows.map((row) => (
                <tr className="govuk-table__row" key={row.code}>
                  <th scope="row" className="govuk-table__header">
                    {row.name}
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">
                    {row.children.toLocaleString('en-GB')}
                  </td>
                  <td className="govuk-table__cell">
                    <Form method="post">
                      <input type="hidden" name="financialYear" value={financialYear} />
                      <input type="hidden" name="authority" value={row.code} />
                      <button
                        type="submit"
                        name="intent"
                        value="remove"
                        className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                      >
                        Remove<span className="govuk-visually-hidden"> {row.name}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h2 className="govuk-heading-m">Enter a number</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="save" />
          <Select
            id="financialYear"
            label="Financial year"
            labelSize="s"
            error={errors.financialYear}
            defaultValue={values.financialYear ?? financialYear}
            options={years.map((y) => ({ value: y, text: y }))}
          />
          <Select
            id="authority"
            label="Home authority"
            labelSize="s"
            error={errors.authority}
            defaultValue={values.authority ?? ''}
            options={[
              { value: '', text: 'Choose an authority' },
              ...authorities.map((a) => ({ value: a.code, text: a.name })),
            ]}
          />
          <TextInput
            id="children"
            label="Number of known adopted children"
            labelSize="s"
            hint="A whole number, for example 350. Saving again for the same authority and year replaces it."
            inputMode="numeric"
            width={10}
            spellCheck={false}
            error={errors.children}
            defaultValue={values.children ?? ''}
          />
          <Button>Save number</Button>
        </Form>
      </div>
    </div>
  )
}
