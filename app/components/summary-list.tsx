import type { ReactNode } from 'react'

/**
 * A row's action: a link, or — on a check page whose answers live in the form — a submit button
 * that looks like one (`submit`), posting the answers back to the page at `formAction`.
 */
export type SummaryListAction =
  | { href: string; text: string; visuallyHiddenText: string }
  | { submit: { name: string; value: string; formAction?: string }; text: string; visuallyHiddenText: string }
export type SummaryListRow = { key: ReactNode; value: ReactNode; action?: SummaryListAction }

/**
 * Key and value pairs, as on a "Check your answers" page (govuk-summary-list). A "Change" link
 * carries visually hidden text, so it reads as "Change name" rather than just "Change".
 */
export function SummaryList({ rows, noBorder = false }: { rows: SummaryListRow[]; noBorder?: boolean }) {
  const anyRowHasAction = rows.some((row) => row.action !== undefined)
  return (
    <dl className={noBorder ? 'govuk-summary-list govuk-summary-list--no-border' : 'govuk-summary-list'}>
      {rows.map((row, index) => (
        <div
          key={index}
          className={
            anyRowHasAction && !row.action
              ? 'govuk-summary-list__row govuk-summary-list__row--no-actions'
              : 'govuk-summary-list__row'
          }
        >
          <dt className="govuk-summary-list__key">{row.key}</dt>
          <dd className="govuk-summary-list__value">{row.value}</dd>
          {row.action ? (
            <dd className="govuk-summary-list__actions">
              {'submit' in row.action ? (
                <button
                  type="submit"
                  className="app-link-button govuk-link"
                  name={row.action.submit.name}
                  value={row.action.submit.value}
                  formAction={row.action.submit.formAction}
                >
                  {row.action.text}
                  <span className="govuk-visually-hidden"> {row.action.visuallyHiddenText}</span>
                </button>
              ) : (
                <a className="govuk-link" href={row.action.href}>
                  {row.action.text}
                  <span className="govuk-visually-hidden"> {row.action.visuallyHiddenText}</span>
                </a>
              )}
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  )
}
