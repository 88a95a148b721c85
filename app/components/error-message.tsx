import type { ReactNode } from 'react'

/** An error next to a field, announced with a visually hidden "Error:" prefix. */
export function ErrorMessage({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p id={id} className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {children}
    </p>
  )
}
