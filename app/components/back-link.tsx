import type { ReactNode } from 'react'

/** A link to the previous page, placed above the main content (govuk-back-link). */
export function BackLink({ href, children = 'Back' }: { href: string; children?: ReactNode }) {
  return (
    <a href={href} className="govuk-back-link">
      {children}
    </a>
  )
}
