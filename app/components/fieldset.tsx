import type { ReactNode } from 'react'
import { Hint } from './hint'

export type LegendSize = 'xl' | 'l' | 'm' | 's'

/**
 * A fieldset with a visible legend (govuk-fieldset). As a page heading the legend holds an h1
 * and defaults to the large size. A hint given here needs an id: it is shown as `${id}-hint`
 * and added to aria-describedby after any describedBy passed in.
 */
export function Fieldset({
  legend,
  legendSize,
  isPageHeading = false,
  hint,
  id,
  describedBy,
  role,
  children,
}: {
  legend: ReactNode
  legendSize?: LegendSize
  isPageHeading?: boolean
  hint?: ReactNode
  id?: string
  describedBy?: string
  role?: 'group'
  children: ReactNode
}) {
  const hintId = hint && id ? `${id}-hint` : undefined
  const ariaDescribedBy = [describedBy, hintId].filter(Boolean).join(' ') || undefined
  const size = legendSize ?? (isPageHeading ? 'l' : undefined)
  const legendClasses = size ? `govuk-fieldset__legend govuk-fieldset__legend--${size}` : 'govuk-fieldset__legend'
  return (
    <fieldset className="govuk-fieldset" role={role} aria-describedby={ariaDescribedBy}>
      <legend className={legendClasses}>
        {isPageHeading ? <h1 className="govuk-fieldset__heading">{legend}</h1> : legend}
      </legend>
      {hint ? <Hint id={hintId}>{hint}</Hint> : null}
      {children}
    </fieldset>
  )
}
