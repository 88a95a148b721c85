// The page title says "Error: " whenever the page shows an error summary, as GOV.UK asks, so a
// screen reader user hears at once that the submit did not go through.
import { Children, cloneElement, isValidElement, type ReactElement, type ReactNode } from 'react'
import { Meta, unstable_useRoute as useRoute, useMatches } from 'react-router'

/**
 * Whether a route's data carries errors the page shows. The routes' convention: errors come back
 * as `errors` (field → message; empty when there are none) or as one message under `error` or a
 * name ending in `Error` (`choiceError`), from the loader (filters in the address) or the action.
 */
export function showsErrors(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false
  return Object.entries(data).some(([key, value]) => {
    if (key === 'errors') {
      return typeof value === 'object' && value !== null && Object.values(value).some(isMessage)
    }
    return /(^e|E)rror$/.test(key) && isMessage(value)
  })
}

function isMessage(value: unknown): boolean {
  return typeof value === 'string' && value !== ''
}

/**
 * The heading of a question page a form's submit turned the page into (the check page), when the
 * action data names one as `stepHeading`: the title then says which step this is.
 */
export function stepHeadingOf(data: unknown): string | null {
  return wordsAt(data, 'stepHeading')
}

/** `data[key]` when it is words, otherwise null */
function wordsAt(data: unknown, key: string): string | null {
  if (typeof data !== 'object' || data === null || !(key in data)) return null
  const value: unknown = (data as Record<string, unknown>)[key]
  return typeof value === 'string' && value !== '' ? value : null
}

/**
 * The title of the page a submit's outcome turned the page into, when the action data names one
 * as `pageTitle` (a confirmation panel in place of the form): it replaces the route's own title,
 * which React Router's `meta` makes from the loader data alone.
 */
export function pageTitleOf(data: unknown): string | null {
  return wordsAt(data, 'pageTitle')
}

/** The route's title with the outcome in place of its page name, keeping the service's name after the last " – ". */
export function withOutcome(title: string, outcome: string): string {
  const service = title.lastIndexOf(' – ')
  return service < 0 ? outcome : `${outcome}${title.slice(service)}`
}

/**
 * React Router's `<Meta />`, with the step's heading before the title when a submit made the page
 * a question page (`stepHeading`), and "Error: " before that when the page's own route shows
 * errors: its action data when there is any (a submit), otherwise its loader data; the outcome's
 * own title in place of the route's when the action data names one (`pageTitle`). Route `meta`
 * functions cannot do this themselves, as React Router does not hand them the action data. Done
 * here, on the server too, it holds with JavaScript off.
 */
export function PageMeta() {
  const matches = useMatches()
  const route = useRoute(matches[matches.length - 1]?.id ?? 'root')
  const failed = route !== undefined && showsErrors(route.actionData ?? route.loaderData)
  const step = stepHeadingOf(route?.actionData)
  const outcome = pageTitleOf(route?.actionData)
  // <Meta> only reads React Router's context, so calling it here is the same as rendering it,
  // and lets the title it renders be changed.
  const meta = Meta() as ReactElement<{ children?: ReactNode }>
  const titled = (title: string) =>
    `${failed ? 'Error: ' : ''}${step ? `${step} – ` : ''}${outcome ? withOutcome(title, outcome) : title}`
  return (
    <>
      {Children.map(meta.props.children, (child) =>
        (failed || step || outcome) && isValidElement<{ children?: ReactNode }>(child) && child.type === 'title'
          ? cloneElement(child, {}, titled(String(child.props.children)))
          : child,
      )}
    </>
  )
}
