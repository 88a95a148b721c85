import type { ReactNode } from 'react'

export type ButtonVariant = 'primary' | 'secondary' | 'warning'

function buttonClasses(variant: ButtonVariant, isStartButton = false): string {
  return ['govuk-button', variant !== 'primary' && `govuk-button--${variant}`, isStartButton && 'govuk-button--start']
    .filter(Boolean)
    .join(' ')
}

function StartIcon() {
  return (
    <svg
      className="govuk-button__start-icon"
      xmlns="http://www.w3.org/2000/svg"
      width="17.5"
      height="19"
      viewBox="0 0 33 40"
      aria-hidden="true"
      focusable="false"
    >
      <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
    </svg>
  )
}

/**
 * A form button (govuk-button). name and value let one form carry several actions.
 * data-prevent-double-click asks GOV.UK Frontend's script, when it runs, to ignore a second
 * click so a booking is not sent twice; the server must still be safe against repeats.
 */
export function Button({
  children,
  variant = 'primary',
  name,
  value,
  type = 'submit',
  preventDoubleClick = true,
  disabled = false,
  formAction,
}: {
  children: ReactNode
  variant?: ButtonVariant
  name?: string
  value?: string
  type?: 'submit' | 'button' | 'reset'
  preventDoubleClick?: boolean
  disabled?: boolean
  /** where this button posts, e.g. the page with a #fragment the browser lands on without JavaScript */
  formAction?: string
}) {
  return (
    <button
      type={type}
      name={name}
      value={value}
      formAction={formAction}
      disabled={disabled || undefined}
      aria-disabled={disabled ? 'true' : undefined}
      data-prevent-double-click={preventDoubleClick ? 'true' : undefined}
      className={buttonClasses(variant)}
      data-module="govuk-button"
    >
      {children}
    </button>
  )
}

/** A link styled as a button, such as "Start now" (a plain <a>, not a framework link). */
export function ButtonLink({
  href,
  children,
  variant = 'primary',
  isStartButton = false,
}: {
  href: string
  children: ReactNode
  variant?: ButtonVariant
  isStartButton?: boolean
}) {
  return (
    <a
      href={href}
      role="button"
      draggable={false}
      className={buttonClasses(variant, isStartButton)}
      data-module="govuk-button"
    >
      {children}
      {isStartButton ? <StartIcon /> : null}
    </a>
  )
}

/** Buttons and links side by side with the right spacing (govuk-button-group). */
export function ButtonGroup({ children }: { children: ReactNode }) {
  return <div className="govuk-button-group">{children}</div>
}
