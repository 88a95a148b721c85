// A horizontal bar chart drawn on the server: HTML labels and values, each bar an SVG rect whose
// width is a percentage attribute, so there is no script, no chart library and no inline style
// (the Content-Security-Policy forbids style attributes). The table beside it is the source of
// truth; the chart is one image with a text summary for screen readers.

export type Bar = { label: string; value: number | null }

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 })

export function formatFigure(value: number): string {
  return numberFormat.format(value)
}

/** "Kent 458, Medway 41, Bexley 18 and 3 more": the bars, largest first when there are many. */
export function describeBars(bars: Bar[], format: (value: number) => string, empty: string, listed = 6): string {
  if (bars.length === 0) return 'no figures'
  const text = (bar: Bar) => `${bar.label} ${bar.value === null ? empty : format(bar.value)}`
  if (bars.length <= listed) return joinAnd(bars.map(text))
  const largest = [...bars].sort((a, b) => (b.value ?? 0) - (a.value ?? 0)).slice(0, listed - 1)
  return `${largest.map(text).join(', ')} and ${bars.length - largest.length} more`
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

/**
 * One bar per item, drawn against `max` (default: the largest value). A value of null is shown
 * as `empty` with no bar; a small value above 0 still gets a visible sliver.
 */
export function BarChart({
  title,
  bars,
  max,
  empty = 'none',
  format = formatFigure,
}: {
  title: string
  bars: Bar[]
  max?: number
  empty?: string
  format?: (value: number) => string
}) {
  const scale = max ?? Math.max(0, ...bars.map((b) => b.value ?? 0))
  const summary = `Bar chart, ${title}: ${describeBars(bars, format, empty)}.`
  return (
    <figure className="app-bar-chart">
      <div className="app-bar-chart__bars" role="img" aria-label={summary}>
        {bars.map((bar, index) => {
          const share = bar.value === null || scale <= 0 ? 0 : Math.min(1, Math.max(0, bar.value / scale))
          const width = share === 0 ? 0 : Math.max(0.5, Math.round(share * 1000) / 10)
          return (
            <div className="app-bar-chart__row" key={`${bar.label}-${index}`}>
              <span className="app-bar-chart__label">{bar.label}</span>
              <svg className="app-bar-chart__track" focusable="false" xmlns="http://www.w3.org/2000/svg">
                {width > 0 ? (
                  <rect className="app-bar-chart__bar" x="0" y="0" width={`${width}%`} height="100%" />
                ) : null}
              </svg>
              <span className="app-bar-chart__value">{bar.value === null ? empty : format(bar.value)}</span>
            </div>
          )
        })}
      </div>
      <figcaption className="app-bar-chart__caption">Chart: {title}. The table has the same figures.</figcaption>
    </figure>
  )
}
