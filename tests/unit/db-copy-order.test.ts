// db:copy's table order: parents before the tables whose foreign keys point at them, whatever
// order the tables are listed in, and a circle refused rather than half copied.
import { describe, expect, it } from 'vitest'
import { CopyRefused, foreignKeyOrder } from '../../scripts/db-copy'

const t = (name: string, ...references: string[]) => ({ name, references })

describe('foreignKeyOrder', () => {
  it('puts every table after the tables it references', () => {
    const tables = [
      t('place', 'booking', 'activity', 'authority'),
      t('booking', 'activity', 'authority'),
      t('activity', 'series', 'staff_user'),
      t('authority'),
      t('series', 'staff_user'),
      t('staff_user'),
      t('feedback', 'place', 'activity'),
    ]
    const order = foreignKeyOrder(tables).map((table) => table.name)
    for (const table of tables) {
      for (const parent of table.references)
        expect(order.indexOf(parent), table.name).toBeLessThan(order.indexOf(table.name))
    }
    // the same order every time (names alphabetically, each after its parents): the printed counts do not jump about
    expect(order).toEqual(['staff_user', 'series', 'activity', 'authority', 'booking', 'place', 'feedback'])
  })

  it('copies a table that references itself in key order, and refuses a circle between tables', () => {
    expect(foreignKeyOrder([t('category', 'category')]).map((table) => table.name)).toEqual(['category'])
    expect(() => foreignKeyOrder([t('a', 'b'), t('b', 'c'), t('c', 'a')])).toThrow(CopyRefused)
    expect(() => foreignKeyOrder([t('a', 'b'), t('b', 'c'), t('c', 'a')])).toThrow(
      'The foreign keys go round in a circle (a → b → c → a): cannot copy.',
    )
    expect(() => foreignKeyOrder([t('a', 'missing')])).toThrow(
      'a has a foreign key to missing, which is not in the database.',
    )
  })
})
