// The heading of a question page that replaces the form in place (the check page after
// "Continue"): with JavaScript no new page loads, so it would open scrolled where the button was,
// with focus on the body and the form's title. Like a page load, it starts at the top: focus on
// its heading (read out first) and the title saying which step this is. Without JavaScript it is
// a page load already, and this changes nothing.
import { useEffect, useRef } from 'react'

export function StepHeading({ children, title }: { children: string; title: string }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    const before = document.title
    const mine = `${children} – ${title}`
    document.title = mine
    window.scrollTo(0, 0)
    heading.current?.focus({ preventScroll: true })
    return () => {
      // back to the form (a Change link): its title again, unless a new page has set its own
      if (document.title === mine) document.title = before
    }
  }, [children, title])
  return (
    <h1 className="govuk-heading-l" ref={heading} tabIndex={-1}>
      {children}
    </h1>
  )
}
