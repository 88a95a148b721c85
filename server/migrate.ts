// `npm run migrate`: brings the database in DATABASE_URL to the newest migration and seeds the
// reference data, without starting the server (the server also does this when it starts).
import { readConfig } from '../app/config.server'
import { openDatabase } from '../db/index'
import { migrateToLatest, seedReferenceData } from '../db/migrate'

export async function main(): Promise<void> {
  const config = readConfig()
  const database = openDatabase(config.databaseUrl)
  try {
    const result = await migrateToLatest(database.db)
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? []
    await seedReferenceData(database.db, config.partnerCodes)
    console.log(
      applied.length
        ? `Applied ${applied.length} migrations to ${database.label}: ${applied.join(', ')}`
        : `${database.label} is already up to date.`,
    )
  } finally {
    await database.db.destroy()
  }
}
