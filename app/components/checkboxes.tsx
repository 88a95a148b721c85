import { Fragment, type ReactNode } from 'react'
import { ErrorMessage } from './error-message'
import { Fieldset, type LegendSize } from './fieldset'
import { FormGroup, describedBy } from './form-group'
import { Hint } from './hint'

export type CheckboxItem = {
  value: string
  text: ReactNode
  hint?: ReactNode
  conditional?: ReactNode
  /** shown but cannot be ticked; say why in the hint */
  disabled?: boolean
}

/**
 * Any number of choices (govuk-checkboxes), all sent under one name. The first checkbox's id
 * is `id`, the others `${id}-2`, `${id}-3`… With a legend they sit in a fieldset that is
 * described by the hint and error; without one (a single "I agree" checkbox, say) each
 * checkbox is described by them instead, as the GOV.UK template does.
 */
export function Checkboxes({
  id,
  name = id,
  legend,
  legendSize,
  legendIsPageHeading = false,
  hint,
  error,
  items,
  defaultValues = [],
  small = false,
}: {
  id: string
  name?: string
  legend?: ReactNode
  legendSize?: LegendSize
  legendIsPageHeading?: boolean
  hint?: ReactNode
  error?: string
  items: CheckboxItem[]
  defaultValues?: string[]
  small?: boolean
}) {
  const hasHint = hint !== undefined && hint !== null && hint !== ''
  const hasError = Boolean(error)
  const hasFieldset = legend !== undefined && legend !== null && legend !== ''
  const groupDescribedBy = describedBy(id, hasHint, hasError)
  const content = (
    <>
      {hasHint ? <Hint id={`${id}-hint`}>{hint}</Hint> : null}
      {hasError ? <ErrorMessage id={`${id}-error`}>{error}</ErrorMessage> : null}
      <div
        className={small ? 'govuk-checkboxes govuk-checkboxes--small' : 'govuk-checkboxes'}
        data-module="govuk-checkboxes"
      >
        {items.map((item, index) => {
          const itemId = index === 0 ? id : `${id}-${index + 1}`
          const hasItemHint = item.hint !== undefined && item.hint !== null && item.hint !== ''
          const itemHintId = `${itemId}-item-hint`
          const conditionalId = `conditional-${itemId}`
          const hasConditional = item.conditional !== undefined && item.conditional !== null
          const checked = defaultValues.includes(item.value)
          const itemDescribedBy =
            [hasFieldset ? undefined : groupDescribedBy, hasItemHint ? itemHintId : undefined]
              .filter(Boolean)
              .join(' ') || undefined
          return (
            <Fragment key={item.value}>
              <div className="govuk-checkboxes__item">
                <input
                  className="govuk-checkboxes__input"
                  id={itemId}
                  name={name}
                  type="checkbox"
                  value={item.value}
                  defaultChecked={checked}
                  disabled={item.disabled || undefined}
                  data-aria-controls={hasConditional ? conditionalId : undefined}
                  aria-describedby={itemDescribedBy}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={itemId}>
                  {item.text}
                </label>
                {hasItemHint ? (
                  <div id={itemHintId} className="govuk-hint govuk-checkboxes__hint">
                    {item.hint}
                  </div>
                ) : null}
              </div>
              {hasConditional ? (
                <div
                  className={
                    checked
                      ? 'govuk-checkboxes__conditional'
                      : 'govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden'
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
    </>
  )
  return (
    <FormGroup error={hasError}>
      {hasFieldset ? (
        <Fieldset
          legend={legend}
          legendSize={legendSize}
          isPageHeading={legendIsPageHeading}
          describedBy={groupDescribedBy}
        >
          {content}
        </Fieldset>
      ) : (
        content
      )}
    </FormGroup>
  )
}
