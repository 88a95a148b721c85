import type { ReactNode } from 'react'
import { ErrorMessage } from './error-message'
import { FormGroup, describedBy } from './form-group'
import { Hint } from './hint'
import { Label, type LabelSize } from './label'

export type SelectOption = { value: string; text: string }
export type SelectGroup = { label: string; options: SelectOption[] }

/**
 * A drop-down list (govuk-select) with flat options, option groups, or both (flat options
 * first). The option matching defaultValue is selected in the server-rendered HTML.
 */
export function Select({
  id,
  name = id,
  label,
  labelSize,
  labelIsPageHeading = false,
  hint,
  error,
  defaultValue,
  options = [],
  groups = [],
}: {
  id: string
  name?: string
  label: ReactNode
  labelSize?: LabelSize
  labelIsPageHeading?: boolean
  hint?: ReactNode
  error?: string
  defaultValue?: string
  options?: SelectOption[]
  groups?: SelectGroup[]
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
      <select
        className={hasError ? 'govuk-select govuk-select--error' : 'govuk-select'}
        id={id}
        name={name}
        aria-describedby={describedBy(id, hasHint, hasError)}
        defaultValue={defaultValue}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.text}
          </option>
        ))}
        {groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.text}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </FormGroup>
  )
}
