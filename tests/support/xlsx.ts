// Reads back the XLSX files the service writes with SheetJS, a reader independent of the writer, so
// a test sees what Excel would see rather than what the writer meant to write.
import * as XLSX from '@e965/xlsx'

export type Value = string | number | boolean

export interface ReadSheet {
  name: string
  /** the rows as plain values, a blank row as [] and a row's trailing empty cells left off */
  values: Value[][]
  /** SheetJS's type for the cell at this address ('n' number, 's' string), undefined when empty */
  type(address: string): XLSX.ExcelDataType | undefined
  /** whether the cell's font is bold, from the style the sheet XML gives the cell */
  bold(address: string): boolean
  /** each column's width in characters as the file sets it (index 0 is column A) */
  widths: Array<number | undefined>
  /** how many top rows are frozen (0 when none) */
  frozenRows: number
  /** the sheet's XML part as stored, and the shared strings its text cells point into */
  xml: string
}

export interface ReadWorkbook {
  sheetNames: string[]
  sheet(name: string): ReadSheet
}

// SheetJS's bundled CFB (typed `any`) also opens zips; these are the parts of it used here.
interface ZipContainer {
  FullPaths: string[]
}
const CFB = XLSX.CFB as {
  read(data: Buffer, options: { type: 'buffer' }): ZipContainer
  find(container: ZipContainer, path: string): { content: Uint8Array } | null
}

const decodeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)
  return match ? decodeXml(match[1]!) : undefined
}

/** The opening tags of every <name> element in the XML (self-closing or not, not <nameOther>). */
function tags(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}(?=[\\s/>])[^>]*>`, 'g'))].map((match) => match[0])
}

/** The content of the first <name>…</name> element, '' when it is missing or empty. */
function inner(xml: string, name: string): string {
  return new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml)?.[1] ?? ''
}

/** Whether each cell style (the `s` of a cell, an index into cellXfs) has a bold font. */
function boldStyles(stylesXml: string): boolean[] {
  const fonts = [...inner(stylesXml, 'fonts').matchAll(/<font(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/font>)/g)].map((font) =>
    tags(font[1] ?? '', 'b').some((b) => !['0', 'false'].includes(attribute(b, 'val') ?? '1')),
  )
  return tags(inner(stylesXml, 'cellXfs'), 'xf').map((xf) => fonts[Number(attribute(xf, 'fontId') ?? 0)] ?? false)
}

export function readWorkbook(file: Uint8Array | ArrayBuffer): ReadWorkbook {
  const buffer = Buffer.from(file instanceof ArrayBuffer ? new Uint8Array(file) : file)
  const workbook = XLSX.read(buffer, { type: 'buffer', cellStyles: true })
  const zip = CFB.read(buffer, { type: 'buffer' })
  const part = (path: string): string => {
    const entry = CFB.find(zip, `/${path}`)
    if (!entry) throw new Error(`no ${path} in the XLSX`)
    return Buffer.from(entry.content).toString('utf8')
  }

  // Sheet name → its XML part, through the workbook's relationships (as a reader opening it would).
  const targets = new Map(
    tags(part('xl/_rels/workbook.xml.rels'), 'Relationship').map((rel) => [
      attribute(rel, 'Id')!,
      attribute(rel, 'Target')!,
    ]),
  )
  const sheetPaths = new Map(
    tags(part('xl/workbook.xml'), 'sheet').map((sheet) => {
      const target = targets.get(attribute(sheet, 'r:id')!)!
      return [attribute(sheet, 'name')!, target.startsWith('/') ? target.slice(1) : `xl/${target}`]
    }),
  )
  const bold = boldStyles(part('xl/styles.xml'))

  return {
    sheetNames: workbook.SheetNames,
    sheet(name) {
      const sheet = workbook.Sheets[name]
      const path = sheetPaths.get(name)
      if (!sheet || !path) throw new Error(`no sheet "${name}" in the XLSX`)
      const xml = part(path)
      const values: Value[][] = []
      if (sheet['!ref']) {
        const range = XLSX.utils.decode_range(sheet['!ref'])
        for (let r = 0; r <= range.e.r; r += 1) {
          const row: Array<Value | undefined> = []
          for (let c = 0; c <= range.e.c; c += 1) row.push(sheet[XLSX.utils.encode_cell({ r, c })]?.v as Value)
          while (row.length && row[row.length - 1] === undefined) row.pop()
          values.push(row as Value[])
        }
      }
      const cellTag = (address: string) => tags(xml, 'c').find((c) => attribute(c, 'r') === address)
      const pane = tags(xml, 'pane').find((p) => attribute(p, 'state') === 'frozen')
      return {
        name,
        values,
        type: (address) => (sheet[address] as XLSX.CellObject | undefined)?.t,
        bold(address) {
          const tag = cellTag(address)
          if (!tag) throw new Error(`no cell ${address} on "${name}"`)
          return bold[Number(attribute(tag, 's') ?? 0)] ?? false
        },
        widths: (sheet['!cols'] ?? []).map((col) => col?.width),
        frozenRows: pane ? Number(attribute(pane, 'ySplit') ?? 0) : 0,
        xml: xml + (CFB.find(zip, '/xl/sharedStrings.xml') ? part('xl/sharedStrings.xml') : ''),
      }
    },
  }
}
