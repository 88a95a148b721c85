// The heading of a question page that replaces the form in place (the check page after
// "Continue"): with JavaScript no new page loads, so it would open scrolled where the button was,
// with focus on the body. Like a page load, it starts at the top, focus on its heading (read out
// first). Without JavaScript it is a page load already, and this changes nothing. The title says
// which step this is either way: the route's action data names the heading as `stepHeading`, and
// PageMeta (app/page-title.tsx) puts it before the page's title.
import { useEffect, useRef } from 'react'

export function StepHeading({ children }: { children: string }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    window.scrollTo(0, 0)
    heading.current?.focus({ preventScroll: true })
  }, [children])
  return (
    <h1 className="govuk-heading-l" ref={heading} tabIndex={-1}>
      {children}
    </h1>
  )
}
