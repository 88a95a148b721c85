import type { ReactNode } from 'react'

/** Hint text under a label or legend; its id goes first in the control's aria-describedby. */
export function Hint({ id, children, className }: { id?: string; children: ReactNode; className?: string }) {
  return (
    <div id={id} className={className ? `govuk-hint ${className}` : 'govuk-hint'}>
      {children}
    </div>
  )
}
