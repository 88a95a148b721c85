export type ErrorLink = { href: string; message: string }

/**
 * The "There is a problem" box at the top of a page after a failed POST, linking each error
 * to its field. Renders nothing when there are no errors. It is focusable (tabIndex -1) so
 * GOV.UK Frontend's script can move focus to it when scripts run; the page works without it.
 */
export function ErrorSummary({ errors, title = 'There is a problem' }: { errors: ErrorLink[]; title?: string }) {
  if (errors.length === 0) return null
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" tabIndex={-1}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">{title}</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {errors.map((error, index) => (
              <li key={`${error.href}-${index}`}>
                <a href={error.href}>{error.message}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  )
}

/**
 * Field errors (field name → message) as error summary links to `#field`, skipping fields
 * without an error. `order` puts fields in page order; fields it leaves out follow in their
 * own order. `targets` names the element to link to when it is not the field name, for
 * example `{ dob: 'dob-day' }` for a date input, whose first input is `${id}-day`.
 */
export function errorList(
  fieldErrors: Record<string, string | undefined>,
  order?: string[],
  targets?: Record<string, string>,
): ErrorLink[] {
  const fields = order
    ? [...order, ...Object.keys(fieldErrors).filter((field) => !order.includes(field))]
    : Object.keys(fieldErrors)
  const links: ErrorLink[] = []
  for (const field of new Set(fields)) {
    const message = fieldErrors[field]
    if (message === undefined || message === '') continue
    links.push({ href: `#${targets?.[field] ?? field}`, message })
  }
  return links
}
