import type { HTMLInputTypeAttribute, ReactNode } from 'react'
import { ErrorMessage } from './error-message'
import { FormGroup, describedBy } from './form-group'
import { Hint } from './hint'
import { Label, type LabelSize } from './label'

export type InputWidth =
  2 | 3 | 4 | 5 | 10 | 20 | 30 | 'full' | 'three-quarters' | 'two-thirds' | 'one-half' | 'one-third' | 'one-quarter'

type InputMode = 'none' | 'text' | 'tel' | 'url' | 'email' | 'numeric' | 'decimal' | 'search'

export type TextInputProps = {
  id: string
  name?: string
  label: ReactNode
  labelSize?: LabelSize
  labelIsPageHeading?: boolean
  hint?: ReactNode
  error?: string
  defaultValue?: string
  type?: HTMLInputTypeAttribute
  autoComplete?: string
  inputMode?: InputMode
  spellCheck?: boolean
  width?: InputWidth
  /**
   * Marks the question as required for the caller's own bookkeeping only: the HTML required
   * attribute is never rendered, because GOV.UK services validate on the server.
   */
  required?: boolean
  prefix?: ReactNode
  suffix?: ReactNode
  pattern?: string
  maxLength?: number
}

function widthClass(width: InputWidth | undefined): string | undefined {
  if (width === undefined) return undefined
  return typeof width === 'number' ? `govuk-input--width-${width}` : `govuk-!-width-${width}`
}

/** A single-line text input with label, optional hint and error (govuk-input). */
export function TextInput({
  id,
  name = id,
  label,
  labelSize,
  labelIsPageHeading = false,
  hint,
  error,
  defaultValue,
  type = 'text',
  autoComplete,
  inputMode,
  spellCheck,
  width,
  prefix,
  suffix,
  pattern,
  maxLength,
}: TextInputProps) {
  const hasHint = hint !== undefined && hint !== null && hint !== ''
  const hasError = Boolean(error)
  const classes = ['govuk-input', widthClass(width), hasError && 'govuk-input--error'].filter(Boolean).join(' ')
  const input = (
    <input
      className={classes}
      id={id}
      name={name}
      type={type}
      defaultValue={defaultValue}
      spellCheck={spellCheck}
      aria-describedby={describedBy(id, hasHint, hasError)}
      autoComplete={autoComplete}
      inputMode={inputMode}
      pattern={pattern}
      maxLength={maxLength}
    />
  )
  return (
    <FormGroup error={hasError}>
      <Label htmlFor={id} size={labelSize} isPageHeading={labelIsPageHeading}>
        {label}
      </Label>
      {hasHint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
      {hasError ? <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage> : null}
      {prefix || suffix ? (
        <div className="govuk-input__wrapper">
          {prefix ? (
            <div className="govuk-input__prefix" aria-hidden="true">
              {prefix}
            </div>
          ) : null}
          {input}
          {suffix ? (
            <div className="govuk-input__suffix" aria-hidden="true">
              {suffix}
            </div>
          ) : null}
        </div>
      ) : (
        input
      )}
    </FormGroup>
  )
}
