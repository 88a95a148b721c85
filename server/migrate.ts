// `npm run migrate`: brings the database in DATABASE_URL to the newest migration and seeds the
// reference data, without starting the server: a release step to run once before starting the new
// version's instances (each instance also does this when it starts, under the same lock, so
// running both, or several of either at once, is safe).
import { readConfig } from '../app/config.server'
import { openDatabase, withDatabaseLock } from '../db/index'
import { migrateToLatest, seedReferenceData } from '../db/migrate'

export async function main(): Promise<void> {
  const config = readConfig()
  const database = openDatabase(config.databaseUrl, { poolSize: 2 })
  try {
    const applied = await withDatabaseLock(database, 'join-in:migrate', async () => {
      const result = await migrateToLatest(database.db)
      await seedReferenceData(database.db, config.partnerCodes)
      return result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? []
    })
    console.log(
      applied.length
        ? `Applied ${applied.length} migrations to ${database.label}: ${applied.join(', ')}`
        : `${database.label} is already up to date.`,
    )
  } finally {
    await database.db.destroy()
  }
}
