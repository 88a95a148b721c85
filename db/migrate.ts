// Brings a database up to the newest migration and seeds reference data the service needs.
import { Migrator, type MigrationResultSet } from 'kysely'
import { migrations } from './migrations'
import type { DB } from './index'
import { AUTHORITIES, DEFAULT_PARTNER_CODES } from './reference/authorities'
import { DEFAULT_AGE_BANDS } from './reference/age-bands'

export async function migrateToLatest(db: DB): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}

/**
 * Seeds authorities and age bands once. Partners come from configuration (PARTNER_AUTHORITY_CODES)
 * the first time only; after that admins change them in settings and a restart must not undo it.
 */
export async function seedReferenceData(
  db: DB,
  partnerCodes: readonly string[] = DEFAULT_PARTNER_CODES,
): Promise<void> {
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    // The claim comes first and is one statement, so two processes seeding at once cannot both
    // seed (on PostgreSQL the second waits for the first to commit, then finds the row).
    const first = await trx
      .insertInto('setting')
      .values({ key: 'reference_seeded', value: now, updated_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst()
    if (!first) {
      // New authorities in a later reference list are added; existing rows stay as admins left them.
      await trx
        .insertInto('authority')
        .values(AUTHORITIES.map((a) => ({ code: a.code, name: a.name, nation: a.nation, is_partner: 0, active: 1 })))
        .onConflict((oc) => oc.column('code').doNothing())
        .execute()
      return
    }
    const partners = new Set(partnerCodes)
    await trx
      .insertInto('authority')
      .values(
        AUTHORITIES.map((a) => ({
          code: a.code,
          name: a.name,
          nation: a.nation,
          is_partner: partners.has(a.code) ? 1 : 0,
          active: 1,
        })),
      )
      .onConflict((oc) => oc.column('code').doNothing())
      .execute()
    const bands = await trx.selectFrom('age_band').select('id').limit(1).execute()
    if (bands.length === 0)
      await trx
        .insertInto('age_band')
        .values([...DEFAULT_AGE_BANDS])
        .execute()
  })
}
