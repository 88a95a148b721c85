import type { ReactNode } from 'react'

export type TagColour =
  'grey' | 'green' | 'turquoise' | 'blue' | 'light-blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow'

/** A short status label such as "Fully booked" (govuk-tag); the default colour is blue. */
export function Tag({ children, colour }: { children: ReactNode; colour?: TagColour }) {
  return <strong className={colour ? `govuk-tag govuk-tag--${colour}` : 'govuk-tag'}>{children}</strong>
}
