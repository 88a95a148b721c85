import type { ReactNode } from 'react'

/** The wrapper round one question: it gets the red error border when the question has an error. */
export function FormGroup({ error, children }: { error?: boolean; children: ReactNode }) {
  return <div className={error ? 'govuk-form-group govuk-form-group--error' : 'govuk-form-group'}>{children}</div>
}

/**
 * The aria-describedby value for a question: `${id}-hint` then `${id}-error`, each only when
 * shown; undefined when neither is, so no empty attribute is rendered.
 */
export function describedBy(id: string, hasHint: boolean, hasError: boolean, extra?: string): string | undefined {
  const ids = [extra, hasHint && `${id}-hint`, hasError && `${id}-error`].filter(Boolean)
  return ids.length > 0 ? ids.join(' ') : undefined
}
