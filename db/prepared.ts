// Queries built and compiled by Kysely once per dialect, then run many times with new values.
// Building and compiling a query costs 10-20 µs of JavaScript, more than SQLite takes to run it;
// the booking transaction runs the same few queries for every booking
// (docs/decisions/008-prepared-queries.md).
import { createQueryId, type Compilable, type CompiledQuery, type Kysely, type QueryResult } from 'kysely'
import type { Database } from './schema'

const MARK = '\u0000prepared-argument:'

type Slot = { argument: string } | { value: unknown }

interface Template {
  query: CompiledQuery['query']
  sql: string
  slots: Slot[]
  /** the argument names it was compiled with: a call with others would bind the wrong values */
  names: string
}

/**
 * `build` receives stand-ins for its arguments: use each one only as a value (in `where`,
 * `values`, `set`), never to decide the query's shape; `shape` is for what does decide it, such as
 * the number of rows inserted. Checked: an argument the compiled query does not carry as a
 * parameter, or a stand-in found in the SQL text, throws on first use.
 */
export function preparedQuery<Args extends Record<string, unknown>, Row, Shape extends string | number = string>(
  build: (db: Kysely<Database>, args: Args, shape: Shape) => Compilable<Row>,
): (db: Kysely<Database>, args: Args, shape?: Shape) => Promise<QueryResult<Row>> {
  const templates = new WeakMap<object, Map<string | number, Template>>()
  return async (db, args, shape = '' as Shape) => {
    const adapter = db.getExecutor().adapter
    let byShape = templates.get(adapter)
    if (!byShape) templates.set(adapter, (byShape = new Map()))
    let template = byShape.get(shape)
    if (!template) {
      template = compileTemplate(db, args, shape, build)
      byShape.set(shape, template)
    }
    if (Object.keys(args).join() !== template.names) {
      throw new Error('preparedQuery: called with other arguments than it was compiled with')
    }
    const parameters = template.slots.map((slot) => ('argument' in slot ? (args[slot.argument] ?? null) : slot.value))
    return db.executeQuery<Row>({ query: template.query, queryId: createQueryId(), sql: template.sql, parameters })
  }
}

function compileTemplate<Args extends Record<string, unknown>, Row, Shape>(
  db: Kysely<Database>,
  args: Args,
  shape: Shape,
  build: (db: Kysely<Database>, args: Args, shape: Shape) => Compilable<Row>,
): Template {
  const standIns = Object.fromEntries(Object.keys(args).map((name) => [name, MARK + name])) as unknown as Args
  const compiled = build(db, standIns, shape).compile()
  if (compiled.sql.includes(MARK)) throw new Error('preparedQuery: an argument was written into the SQL text')
  const slots: Slot[] = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(MARK) ? { argument: value.slice(MARK.length) } : { value },
  )
  const used = new Set(slots.flatMap((slot) => ('argument' in slot ? [slot.argument] : [])))
  const unused = Object.keys(args).filter((name) => !used.has(name))
  if (unused.length) throw new Error(`preparedQuery: arguments not used as parameters: ${unused.join(', ')}`)
  return { query: compiled.query, sql: compiled.sql, slots, names: Object.keys(args).join() }
}
