// Invisible control characters, dropped from typed text at the form boundary and from what the
// calendar files carry (a leaf module: forms, calendar and email may all use it).

/**
 * Control characters other than tab and line breaks (C0, DEL, C1): invisible, never meant, and
 * not allowed in XML (an Excel workbook with one will not open) or in calendar text. Text pasted
 * from another program can carry them (a vertical tab from a word processor's line break).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g

/** The text without its invisible control characters (what a person sees is unchanged). */
export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '')
}
