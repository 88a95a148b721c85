// One CSV field, the same in every file the service hands out (report, Power BI feed, places).

/**
 * RFC 4180: a field holding a comma, quote or line break is quoted, quotes doubled. Text starting
 * with = + - @ (or a tab or CR) gets an apostrophe first so a spreadsheet shows it rather than
 * running it as a formula: authority names and age-band labels are edited by admins, and these
 * files are opened in Excel. Numbers are written as they are.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
