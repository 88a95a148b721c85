import type { ReactNode } from 'react'

export type TableHeadCell = { text: ReactNode; numeric?: boolean }
export type TableCell = { text: ReactNode; numeric?: boolean; header?: boolean }
export type CaptionSize = 's' | 'm' | 'l' | 'xl'

/**
 * A data table (govuk-table). Column headers have scope="col"; a cell marked header, or the
 * first cell of each row with firstCellIsHeader, is a row header with scope="row". Numeric
 * columns are right-aligned with the --numeric classes.
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
    <table className="govuk-table">
      {caption !== undefined && caption !== null && caption !== '' ? (
        <caption
          className={captionSize ? `govuk-table__caption govuk-table__caption--${captionSize}` : 'govuk-table__caption'}
        >
          {caption}
        </caption>
      ) : null}
      {head.length > 0 ? (
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            {head.map((cell, index) => (
              <th
                key={index}
                scope="col"
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
          <tr className="govuk-table__row" key={rowIndex}>
            {row.map((cell, cellIndex) =>
              cell.header || (firstCellIsHeader && cellIndex === 0) ? (
                <th
                  key={cellIndex}
                  scope="row"
                  className={cell.numeric ? 'govuk-table__header govuk-table__header--numeric' : 'govuk-table__header'}
                >
                  {cell.text}
                </th>
              ) : (
                <td
                  key={cellIndex}
                  className={cell.numeric ? 'govuk-table__cell govuk-table__cell--numeric' : 'govuk-table__cell'}
                >
                  {cell.text}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
