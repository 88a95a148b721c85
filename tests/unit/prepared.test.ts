// db/prepared.ts: a query compiled once must still run with each call's own values.
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/index'
import { preparedQuery } from '../../db/prepared'

const { db } = openDatabase(':memory:')
afterAll(() => db.destroy())

async function seed(): Promise<void> {
  await sql`create table if not exists authority (code text primary key, name text not null, nation text not null default 'E', is_partner integer not null default 0, active integer not null)`.execute(
    db,
  )
  await sql`delete from authority`.execute(db)
  await sql`insert into authority (code, name, active) values ('K', 'Kent', 1), ('M', 'Medway', 1), ('B', 'Bexley', 0)`.execute(
    db,
  )
}

describe('preparedQuery', () => {
  it('binds each call’s values to the query it compiled once', async () => {
    await seed()
    let builds = 0
    const byCode = preparedQuery((d, a: { code: string; active: number }) => {
      builds++
      return d.selectFrom('authority').select('name').where('code', '=', a.code).where('active', '=', a.active)
    })
    expect((await byCode(db, { code: 'K', active: 1 })).rows).toEqual([{ name: 'Kent' }])
    expect((await byCode(db, { code: 'M', active: 1 })).rows).toEqual([{ name: 'Medway' }])
    expect((await byCode(db, { code: 'B', active: 1 })).rows).toEqual([])
    expect((await byCode(db, { code: 'B', active: 0 })).rows).toEqual([{ name: 'Bexley' }])
    expect(builds).toBe(1)
  })

  it('compiles once per shape, and runs inside a transaction', async () => {
    await seed()
    let builds = 0
    const named = preparedQuery((d, a: Record<string, string>, count: number) => {
      builds++
      const codes = Array.from({ length: count }, (_, i) => a[`c${i}`]!)
      return d.selectFrom('authority').select('name').where('code', 'in', codes).orderBy('name')
    })
    const names = await db
      .transaction()
      .execute(async (trx) => [
        (await named(trx, { c0: 'K' }, 1)).rows.map((r) => r.name),
        (await named(trx, { c0: 'K', c1: 'B' }, 2)).rows.map((r) => r.name),
        (await named(trx, { c0: 'M', c1: 'K' }, 2)).rows.map((r) => r.name),
      ])
    expect(names).toEqual([['Kent'], ['Bexley', 'Kent'], ['Kent', 'Medway']])
    expect(builds).toBe(2)
  })

  it('writes rows with each call’s values, and does nothing on a conflict', async () => {
    await seed()
    const insert = preparedQuery(
      (d, a: { code: string; name: string; nation: string; is_partner: number; active: number }) =>
        d
          .insertInto('authority')
          .values(a)
          .onConflict((oc) => oc.column('code').doNothing()),
    )
    expect(
      Number(
        (await insert(db, { code: 'G', name: 'Greenwich', nation: 'E', is_partner: 0, active: 1 })).numAffectedRows,
      ),
    ).toBe(1)
    expect(
      Number((await insert(db, { code: 'G', name: 'Again', nation: 'E', is_partner: 0, active: 1 })).numAffectedRows),
    ).toBe(0)
    expect(
      Number(
        (await insert(db, { code: 'H', name: 'Havering', nation: 'E', is_partner: 1, active: 0 })).numAffectedRows,
      ),
    ).toBe(1)
    const rows = await db
      .selectFrom('authority')
      .select(['code', 'name'])
      .where('code', 'in', ['G', 'H'])
      .orderBy('code')
      .execute()
    expect(rows).toEqual([
      { code: 'G', name: 'Greenwich' },
      { code: 'H', name: 'Havering' },
    ])
  })

  it('refuses an argument used to shape the query instead of as a value', async () => {
    await seed()
    const shaped = preparedQuery((d, a: { code: string; withName: boolean }) =>
      a.withName
        ? d.selectFrom('authority').select('name').where('code', '=', a.code)
        : d.selectFrom('authority').select('code'),
    )
    await expect(shaped(db, { code: 'K', withName: true })).rejects.toThrow(/not used as parameters: withName/)
  })

  it('refuses an argument written into the SQL text', async () => {
    const raw = preparedQuery((d, a: { column: string }) => d.selectFrom('authority').select(sql.raw(a.column).as('x')))
    await expect(raw(db, { column: 'name' })).rejects.toThrow(/written into the SQL text/)
  })

  it('refuses a call with other arguments than it was compiled with', async () => {
    await seed()
    const byCode = preparedQuery((d, a: Record<string, string>) =>
      d.selectFrom('authority').select('name').where('code', '=', a.code!),
    )
    await byCode(db, { code: 'K' })
    await expect(byCode(db, { other: 'K' })).rejects.toThrow(/other arguments/)
  })
})
