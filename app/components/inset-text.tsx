import type { ReactNode } from 'react'

/** Text set apart from the content round it, such as a quote or an example (govuk-inset-text). */
export function InsetText({ children, id }: { children: ReactNode; id?: string }) {
  return (
    <div id={id} className="govuk-inset-text">
      {children}
    </div>
  )
}
