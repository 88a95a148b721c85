import type { ReactNode } from 'react'

export type TableHeadCell = { text: ReactNode; numeric?: boolean }
export type TableCell = { text: ReactNode; numeric?: boolean; header?: boolean }
export type CaptionSize = 's' | 'm' | 'l' | 'xl'

/**
 * A data table (govuk-table). Column headers have scope="col"; a cell marked header, or the
 * first cell of each row with firstCellIsHeader, is a row header with scope="row". Numeric
 * columns are right-aligned with the --numeric classes.
 *
 * On a phone it reflows (app-table--reflow in app.scss): each row becomes a block with each cell
 * on its own line under its column's name, so no page scrolls sideways (WCAG 1.4.10). The names
 * shown in the cells are for sight only (aria-hidden): assistive technology still reads a table
 * with column headers, kept by the explicit roles, since a CSS display change drops a table's
 * semantics in some browsers.
 */
export function Table({
  caption,
  captionSize,
  head,
  rows,
  firstCellIsHeader = false,
}: {
  caption?: ReactNode
  captionSize?: CaptionSize
  head: TableHeadCell[]
  rows: TableCell[][]
  firstCellIsHeader?: boolean
}) {
  return (
    <table className="govuk-table app-table--reflow" role="table">
      {caption !== undefined && caption !== null && caption !== '' ? (
        <caption
          className={captionSize ? `govuk-table__caption govuk-table__caption--${captionSize}` : 'govuk-table__caption'}
        >
          {caption}
        </caption>
      ) : null}
      {head.length > 0 ? (
        <thead className="govuk-table__head">
          <tr className="govuk-table__row" role="row">
            {head.map((cell, index) => (
              <th
                key={index}
                scope="col"
                role="columnheader"
                className={cell.numeric ? 'govuk-table__header govuk-table__header--numeric' : 'govuk-table__header'}
              >
                {cell.text}
              </th>
            ))}
          </tr>
        </thead>
      ) : null}
      <tbody className="govuk-table__body">
        {rows.map((row, rowIndex) => (
          <tr className="govuk-table__row" role="row" key={rowIndex}>
            {row.map((cell, cellIndex) =>
              cell.header || (firstCellIsHeader && cellIndex === 0) ? (
                <th
                  key={cellIndex}
                  scope="row"
                  role="rowheader"
                  className={cell.numeric ? 'govuk-table__header govuk-table__header--numeric' : 'govuk-table__header'}
                >
                  {cell.text}
                </th>
              ) : (
                <ReflowCell key={cellIndex} label={head[cellIndex]?.text} className={cellClass(cell)}>
                  {cell.text}
                </ReflowCell>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function cellClass(cell: TableCell): string {
  const classes = ['govuk-table__cell']
  if (cell.numeric) classes.push('govuk-table__cell--numeric')
  // An empty cell would show its column's name with nothing under it on a phone.
  if (cell.text === '' || cell.text === null || cell.text === undefined) classes.push('app-table__cell--empty')
  return classes.join(' ')
}

/**
 * A data cell of a table that reflows on a phone (class app-table--reflow on the table, roles on
 * the table, rows and headers), with its column's name shown above its value there.
 */
export function ReflowCell({
  label,
  className = 'govuk-table__cell',
  children,
}: {
  label?: ReactNode
  className?: string
  children?: ReactNode
}) {
  return (
    // The explicit role keeps the cell a cell when CSS makes it a block; jsx-a11y takes td for
    // an interactive grid cell, which it is not here.
    // eslint-disable-next-line jsx-a11y/no-interactive-element-to-noninteractive-role
    <td role="cell" className={className}>
      <ReflowLabel>{label}</ReflowLabel>
      {children}
    </td>
  )
}

/** A cell's column name, shown above its value only when the table reflows on a phone. */
export function ReflowLabel({ children }: { children: ReactNode }) {
  if (children === undefined || children === null || children === '') return null
  return (
    <span className="app-table__label" aria-hidden="true">
      {children}
    </span>
  )
}
