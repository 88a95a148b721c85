import { Fragment, type ReactNode } from 'react'
import { ErrorMessage } from './error-message'
import { Fieldset, type LegendSize } from './fieldset'
import { FormGroup, describedBy } from './form-group'
import { Hint } from './hint'

export type RadioItem = { value: string; text: ReactNode; hint?: ReactNode; conditional?: ReactNode }

/**
 * One choice from a list, in a fieldset with a legend (govuk-radios). The first radio's id is
 * `id` (link the error summary there), the others `${id}-2`, `${id}-3`… Conditional content
 * is always in the page: it carries govuk-radios__conditional--hidden when its radio is not
 * checked, which GOV.UK CSS only applies once GOV.UK Frontend's script is running.
 */
export function Radios({
  id,
  name = id,
  legend,
  legendSize,
  legendIsPageHeading = false,
  hint,
  error,
  items,
  defaultValue,
  inline = false,
  small = false,
}: {
  id: string
  name?: string
  legend: ReactNode
  legendSize?: LegendSize
  legendIsPageHeading?: boolean
  hint?: ReactNode
  error?: string
  items: RadioItem[]
  defaultValue?: string
  inline?: boolean
  small?: boolean
}) {
  const hasHint = hint !== undefined && hint !== null && hint !== ''
  const hasError = Boolean(error)
  const classes = ['govuk-radios', inline && 'govuk-radios--inline', small && 'govuk-radios--small']
    .filter(Boolean)
    .join(' ')
  return (
    <FormGroup error={hasError}>
      <Fieldset
        legend={legend}
        legendSize={legendSize}
        isPageHeading={legendIsPageHeading}
        describedBy={describedBy(id, hasHint, hasError)}
      >
        {hasHint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
        {hasError ? <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage> : null}
        <div className={classes} data-module="govuk-radios">
          {items.map((item, index) => {
            const itemId = index === 0 ? id : `${id}-${index + 1}`
            const itemHintId = `${itemId}-item-hint`
            const conditionalId = `conditional-${itemId}`
            const checked = defaultValue !== undefined && item.value === defaultValue
            const hasItemHint = item.hint !== undefined && item.hint !== null && item.hint !== ''
            const hasConditional = item.conditional !== undefined && item.conditional !== null
            return (
              <Fragment key={item.value}>
                <div className="govuk-radios__item">
                  <input
                    className="govuk-radios__input"
                    id={itemId}
                    name={name}
                    type="radio"
                    value={item.value}
                    defaultChecked={checked}
                    data-aria-controls={hasConditional ? conditionalId : undefined}
                    aria-describedby={hasItemHint ? itemHintId : undefined}
                  />
                  <label className="govuk-label govuk-radios__label" htmlFor={itemId}>
                    {item.text}
                  </label>
                  {hasItemHint ? (
                    <div id={itemHintId} className="govuk-hint govuk-radios__hint">
                      {item.hint}
                    </div>
                  ) : null}
                </div>
                {hasConditional ? (
                  <div
                    className={
                      checked
                        ? 'govuk-radios__conditional'
                        : 'govuk-radios__conditional govuk-radios__conditional--hidden'
                    }
                    id={conditionalId}
                  >
                    {item.conditional}
                  </div>
                ) : null}
              </Fragment>
            )
          })}
        </div>
      </Fieldset>
    </FormGroup>
  )
}
