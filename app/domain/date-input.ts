// The one reader of a GOV.UK date input (day, month and year boxes): a calendar date, or the
// message to show beside the boxes. Every form and filter with a date reads it here.
import { calendarDate, isRealDate, type CalendarDate } from '../time/london-time'

export type DateParts = { day: string; month: string; year: string }

const wholeNumber = (value: string): number | null => (/^\d{1,6}$/.test(value) ? Number(value) : null)
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** `name` is how the message names the date, as its legend would: "the date", "child 2's date of birth". */
export function readDateInput(
  parts: DateParts,
  name: string,
  required: boolean,
): { date: CalendarDate | null; error?: string } {
  const { day, month, year } = parts
  if (!day && !month && !year) return required ? { date: null, error: `Enter ${name}` } : { date: null }
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean)
  if (missing.length) return { date: null, error: `${capitalise(name)} must include a ${missing.join(' and ')}` }
  const d = wholeNumber(day)
  const m = wholeNumber(month)
  const y = wholeNumber(year)
  if (d === null || m === null || y === null || year.length !== 4 || !isRealDate(y, m, d)) {
    return { date: null, error: `${capitalise(name)} must be a real date` }
  }
  return { date: calendarDate(y, m, d) }
}
