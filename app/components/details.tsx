import type { ReactNode } from 'react'

/** Extra information behind a summary line, using the browser's own <details> (govuk-details). */
export function Details({
  summary,
  children,
  open = false,
}: {
  summary: ReactNode
  children: ReactNode
  open?: boolean
}) {
  return (
    <details className="govuk-details" open={open || undefined}>
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">{summary}</span>
      </summary>
      <div className="govuk-details__text">{children}</div>
    </details>
  )
}
