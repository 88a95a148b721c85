import type { ReactNode } from 'react'
import { ErrorMessage } from './error-message'
import { FormGroup, describedBy } from './form-group'
import { Hint } from './hint'
import { Label, type LabelSize } from './label'

/** A multi-line text box with label, optional hint and error (govuk-textarea). */
export function Textarea({
  id,
  name = id,
  label,
  labelSize,
  labelIsPageHeading = false,
  hint,
  error,
  defaultValue,
  rows = 5,
  spellCheck,
  autoComplete,
}: {
  id: string
  name?: string
  label: ReactNode
  labelSize?: LabelSize
  labelIsPageHeading?: boolean
  hint?: ReactNode
  error?: string
  defaultValue?: string
  rows?: number
  spellCheck?: boolean
  autoComplete?: string
}) {
  const hasHint = hint !== undefined && hint !== null && hint !== ''
  const hasError = Boolean(error)
  return (
    <FormGroup error={hasError}>
      <Label htmlFor={id} size={labelSize} isPageHeading={labelIsPageHeading}>
        {label}
      </Label>
      {hasHint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
      {hasError ? <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage> : null}
      <textarea
        className={hasError ? 'govuk-textarea govuk-textarea--error' : 'govuk-textarea'}
        id={id}
        name={name}
        rows={rows}
        spellCheck={spellCheck}
        aria-describedby={describedBy(id, hasHint, hasError)}
        autoComplete={autoComplete}
        defaultValue={defaultValue}
      />
    </FormGroup>
  )
}
