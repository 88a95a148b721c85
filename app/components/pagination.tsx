// GOV.UK "block" pagination: a previous and a next link, each with its title and "Page N of M".
const ARROWS = {
  prev: 'm6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z',
  next: 'm8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z',
} as const

export interface PaginationLink {
  href: string
  /** "Newer", "Next" …; `hiddenSuffix` is read out after it, e.g. " entries" */
  title: string
  hiddenSuffix?: string
  /** e.g. "Page 2 of 5" */
  label: string
}

export function Pagination({ label, prev, next }: { label: string; prev?: PaginationLink; next?: PaginationLink }) {
  if (!prev && !next) return null
  return (
    <nav className="govuk-pagination govuk-pagination--block" aria-label={label}>
      {prev ? <PaginationItem direction="prev" link={prev} /> : null}
      {next ? <PaginationItem direction="next" link={next} /> : null}
    </nav>
  )
}

function PaginationItem({ direction, link }: { direction: 'prev' | 'next'; link: PaginationLink }) {
  return (
    <div className={`govuk-pagination__${direction}`}>
      <a className="govuk-link govuk-pagination__link" href={link.href} rel={direction}>
        <svg
          className={`govuk-pagination__icon govuk-pagination__icon--${direction}`}
          xmlns="http://www.w3.org/2000/svg"
          height="13"
          width="15"
          aria-hidden="true"
          focusable="false"
          viewBox="0 0 15 13"
        >
          <path d={ARROWS[direction]} />
        </svg>
        <span className="govuk-pagination__link-title">
          {link.title}
          {link.hiddenSuffix ? <span className="govuk-visually-hidden">{link.hiddenSuffix}</span> : null}
        </span>
        <span className="govuk-visually-hidden">:</span>
        <span className="govuk-pagination__link-label">{link.label}</span>
      </a>
    </div>
  )
}
