// The quarterly report as an Excel workbook. Server-only (the writer's Node entry uses node:fs and
// node:stream), apart from report-export.ts, which the report page also uses for its tables.
import writeXlsxFile, { type Row } from 'write-excel-file/node'
import { reportSheets, type Cell } from './report-export'
import type { Report } from './report-types'

/** The report as an Excel workbook: one sheet per table, bold header and totals rows, numbers as numbers. */
export async function reportXlsx(report: Report): Promise<Buffer> {
  // A null is left out (no cell), so a figure with nothing to show stays empty rather than "".
  const row = (cells: Cell[], bold = false): Row =>
    cells.map((value) => (value === null ? null : bold ? { value, fontWeight: 'bold' } : value))
  const sheets = reportSheets(report).map(({ name, tables, captions }) => {
    const data: Row[] = []
    tables.forEach((table, index) => {
      if (index > 0) data.push([])
      if (captions) data.push(row([table.caption], true))
      data.push(row(table.head, true))
      for (const cells of table.rows) data.push(row(cells))
      if (table.total) data.push(row(table.total, true))
    })
    const widest = Math.max(...tables.flatMap((table) => table.head.length))
    const columns = Array.from({ length: widest }, (_, column) => {
      const cells = tables.flatMap((table) => [table.head, ...table.rows].map((cells) => String(cells[column] ?? '')))
      return { width: Math.min(50, Math.max(10, ...cells.map((text) => text.length + 2))) }
    })
    return { sheet: name, data, columns, stickyRowsCount: 1 }
  })
  // The writer adds no document properties (so no created date, title or creator), which keeps the
  // workbook's parts the same for the same figures; only the zip entries' own timestamps vary.
  return writeXlsxFile(sheets).toBuffer()
}
