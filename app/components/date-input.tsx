import type { ReactNode } from 'react'
import { ErrorMessage } from './error-message'
import { Fieldset, type LegendSize } from './fieldset'
import { FormGroup, describedBy } from './form-group'
import { Hint } from './hint'

export type DatePart = 'day' | 'month' | 'year'
export type DateInputValue = { day?: string; month?: string; year?: string }

const parts: Array<{ part: DatePart; label: string; width: 2 | 4 }> = [
  { part: 'day', label: 'Day', width: 2 },
  { part: 'month', label: 'Month', width: 2 },
  { part: 'year', label: 'Year', width: 4 },
]

/**
 * A date as three labelled text boxes in a fieldset with role="group" (govuk-date-input).
 * Inputs are named `${namePrefix}-day|month|year` with ids `${id}-day|month|year`: link the
 * error summary to `#${id}-day`. With an error, all three inputs are marked unless
 * errorParts names the ones that are wrong. autoComplete="bday" gives bday-day and so on.
 */
export function DateInput({
  id,
  namePrefix = id,
  legend,
  legendSize,
  legendIsPageHeading = false,
  hint,
  error,
  errorParts,
  value = {},
  autoComplete,
}: {
  id: string
  namePrefix?: string
  legend: ReactNode
  legendSize?: LegendSize
  legendIsPageHeading?: boolean
  hint?: ReactNode
  error?: string
  errorParts?: DatePart[]
  value?: DateInputValue
  autoComplete?: 'bday'
}) {
  const hasHint = hint !== undefined && hint !== null && hint !== ''
  const hasError = Boolean(error)
  return (
    <FormGroup error={hasError}>
      <Fieldset
        legend={legend}
        legendSize={legendSize}
        isPageHeading={legendIsPageHeading}
        role="group"
        describedBy={describedBy(id, hasHint, hasError)}
      >
        {hasHint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
        {hasError ? <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage> : null}
        <div className="govuk-date-input" id={id}>
          {parts.map(({ part, label, width }) => {
            const inputId = `${id}-${part}`
            const marked = hasError && (errorParts === undefined || errorParts.includes(part))
            const classes = [
              'govuk-input',
              'govuk-date-input__input',
              `govuk-input--width-${width}`,
              marked && 'govuk-input--error',
            ]
              .filter(Boolean)
              .join(' ')
            return (
              <div className="govuk-date-input__item" key={part}>
                <div className="govuk-form-group">
                  <label className="govuk-label govuk-date-input__label" htmlFor={inputId}>
                    {label}
                  </label>
                  <input
                    className={classes}
                    id={inputId}
                    name={`${namePrefix}-${part}`}
                    type="text"
                    inputMode="numeric"
                    autoComplete={autoComplete ? `${autoComplete}-${part}` : undefined}
                    defaultValue={value[part]}
                  />
                </div>
              </div>
            )
          })}
        </div>
      </Fieldset>
    </FormGroup>
  )
}
