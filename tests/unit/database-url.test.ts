// DATABASE_URL chooses the database: a path, file: or sqlite: is SQLite, postgres:// or
// postgresql:// is PostgreSQL, and anything else stops the service at start with a message.
import { describe, expect, it } from 'vitest'
import { readConfig } from '../../app/config.server'
import { databaseKindOf, postgresLabel } from '../../db/index'

describe('DATABASE_URL', () => {
  it.each([
    ['./data/join-in.sqlite', 'sqlite'],
    ['/var/lib/join-in/join-in.sqlite', 'sqlite'],
    ['file:./data/join-in.sqlite', 'sqlite'],
    ['sqlite:///var/lib/join-in.sqlite', 'sqlite'],
    [':memory:', 'sqlite'],
    ['postgres://joinin:secret@db.internal:5432/joinin', 'postgres'],
    ['postgresql://db.internal/joinin?sslmode=require', 'postgres'],
    ['POSTGRES://db/joinin', 'postgres'],
  ])('%s is %s', (url, kind) => {
    expect(databaseKindOf(url)).toBe(kind)
  })

  it.each(['mysql://db/joinin', 'https://db.example.org/joinin', 'postgress://db/joinin', 'redis://localhost'])(
    'refuses %s at start, naming the variable',
    (url) => {
      expect(() => databaseKindOf(url)).toThrow(/DATABASE_URL must be a file path/)
      expect(() => readConfig({ DATABASE_URL: url })).toThrow(/DATABASE_URL/)
    },
  )

  it('names a PostgreSQL database for people without its password', () => {
    expect(postgresLabel('postgres://joinin:s3cret@db.internal:6432/join%20in')).toBe(
      'PostgreSQL db.internal:6432/join in',
    )
    expect(postgresLabel('postgres://joinin:s3cret@db.internal/joinin')).not.toContain('s3cret')
  })
})
