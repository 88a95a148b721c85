// Once per `npm test` on PostgreSQL: a template database migrated to the newest migration, which
// every test file's service copies (CREATE DATABASE … TEMPLATE), and at the end every test
// database dropped. On SQLite there is nothing to do.
import crypto from 'node:crypto'
import { openDatabase } from '../../db/index'
import { migrateToLatest } from '../../db/migrate'
import {
  adminQuery,
  createEmptyDatabaseSql,
  onPostgres,
  postgresUrlFor,
  templateDatabase,
  testDatabasePrefix,
} from './database'

// Chosen before the test processes start; they inherit it (tests/support/database.ts runId).
process.env.JOIN_IN_TEST_RUN ??= `${process.pid}${crypto.randomBytes(2).toString('hex')}`

async function dropTestDatabases(): Promise<void> {
  const { rows } = await adminQuery(
    `select datname from pg_database where starts_with(datname, '${testDatabasePrefix()}')`,
  )
  for (const row of rows as Array<{ datname: string }>)
    await adminQuery(`drop database if exists ${row.datname} with (force)`)
}

export async function setup(): Promise<void> {
  if (!onPostgres) return
  await dropTestDatabases()
  await adminQuery(createEmptyDatabaseSql(templateDatabase()))
  const database = openDatabase(postgresUrlFor(templateDatabase()))
  try {
    await migrateToLatest(database.db)
  } finally {
    await database.db.destroy()
  }
}

export async function teardown(): Promise<void> {
  if (!onPostgres) return
  await dropTestDatabases()
}
