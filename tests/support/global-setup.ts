// Once per `npm test` on PostgreSQL: a template database migrated to the newest migration, which
// every test file's service copies (CREATE DATABASE … TEMPLATE), and at the end every test
// database dropped. On SQLite there is nothing to do.
import crypto from 'node:crypto'
import pg from 'pg'
import { openDatabase } from '../../db/index'
import { migrateToLatest } from '../../db/migrate'
import { onPostgres, POSTGRES_ADMIN_URL, postgresUrlFor } from './database'

// Chosen before the test processes start; they inherit it (tests/support/database.ts runId).
process.env.JOIN_IN_TEST_RUN ??= `${process.pid}${crypto.randomBytes(2).toString('hex')}`
const TEST_DATABASE_PREFIX = `join_in_test_${process.env.JOIN_IN_TEST_RUN}_`
const TEMPLATE_DATABASE = `${TEST_DATABASE_PREFIX}template`

async function admin(sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL })
  await client.connect()
  try {
    return await client.query(sql)
  } finally {
    await client.end()
  }
}

async function dropTestDatabases(): Promise<void> {
  const { rows } = await admin(`select datname from pg_database where starts_with(datname, '${TEST_DATABASE_PREFIX}')`)
  for (const row of rows as Array<{ datname: string }>)
    await admin(`drop database if exists ${row.datname} with (force)`)
}

export async function setup(): Promise<void> {
  if (!onPostgres) return
  await dropTestDatabases()
  await admin(
    `create database ${TEMPLATE_DATABASE} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'`,
  )
  const database = openDatabase(postgresUrlFor(TEMPLATE_DATABASE))
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
