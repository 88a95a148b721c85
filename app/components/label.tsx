import type { ReactNode } from 'react'

export type LabelSize = 'xl' | 'l' | 'm' | 's'

/**
 * A visible label for one control (govuk-label). As a page heading it is wrapped in an h1,
 * the way the GOV.UK template does it, and defaults to the large size.
 */
export function Label({
  htmlFor,
  children,
  isPageHeading = false,
  size,
  className,
}: {
  htmlFor: string
  children: ReactNode
  isPageHeading?: boolean
  size?: LabelSize
  className?: string
}) {
  const resolvedSize = size ?? (isPageHeading ? 'l' : undefined)
  const classes = ['govuk-label', resolvedSize && `govuk-label--${resolvedSize}`, className].filter(Boolean).join(' ')
  const label = (
    <label className={classes} htmlFor={htmlFor}>
      {children}
    </label>
  )
  return isPageHeading ? <h1 className="govuk-label-wrapper">{label}</h1> : label
}
