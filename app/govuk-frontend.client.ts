// GOV.UK Frontend's own JavaScript, in the browser only (a `.client` module: the server build
// gets an empty one). root.tsx calls startGovukFrontend once React has hydrated the page and again
// after every navigation the router completes, because the router renders new pages (and the
// same page after a failed submit) without a document load.
import { Button, createAll, initAll, isSupported, type CreateAllOptions } from 'govuk-frontend'

const options: CreateAllOptions = {
  onError(error) {
    // GOV.UK Frontend marks each element it starts (data-<module>-init) and refuses to start it
    // twice. Elements React keeps from one page to the next are met again here: expected.
    if (error instanceof Error && error.name === 'InitError') return
    console.error(error)
  },
}

/** the started buttons, to let them be pressed again on the next page (see below) */
const buttons = new Set<Button>()

/**
 * Starts every GOV.UK Frontend component in the page that is not running yet, and treats the
 * page as new, as a document load would:
 * - a button React kept on the page (the same form after a failed submit) may be pressed at
 *   once: its "double click" second only guards against a second click before the answer comes;
 * - focus moves to the error summary if the page has one, even when React kept the element
 *   (which GOV.UK Frontend would not start, and so not focus, again).
 */
export function startGovukFrontend(): void {
  // The inline script in root.tsx marks the body in browsers that run ES modules; without the
  // mark (so without the app's own bundle too) the page stays as it works without scripts.
  if (!isSupported()) return
  for (const button of buttons) {
    if (!button.$root.isConnected) {
      buttons.delete(button)
      continue
    }
    if (button.debounceFormSubmitTimer !== null) window.clearTimeout(button.debounceFormSubmitTimer)
    button.debounceFormSubmitTimer = null
  }
  for (const button of createAll(Button, undefined, { ...options, scope: document.body })) buttons.add(button)
  initAll({ ...options, scope: document.body })
  const summary = document.querySelector<HTMLElement>('[data-module="govuk-error-summary"]')
  if (summary && document.activeElement !== summary) summary.focus()
}
