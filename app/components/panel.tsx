import type { ReactNode } from 'react'

/** The green confirmation panel shown when something is done, such as a booking made. */
export function Panel({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="govuk-panel govuk-panel--confirmation">
      <h1 className="govuk-panel__title">{title}</h1>
      {children !== undefined && children !== null && children !== '' ? (
        <div className="govuk-panel__body">{children}</div>
      ) : null}
    </div>
  )
}
