// Races that SQLite's single writer never lets happen, on PostgreSQL (READ COMMITTED, a pool of
// connections): two admins demoting each other at once must leave one admin; "Send" or "Invite"
// posted twice at once must do it once and answer the other as a repeat, never with an error.
// On SQLite every write transaction runs alone (BEGIN IMMEDIATE), so there is nothing to race.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Links } from '../../app/domain/links'
import { sendSessionMessage } from '../../app/domain/messages.server'
import { changeRole, inviteStaff } from '../../app/domain/staff-accounts.server'
import { createStaffUser } from '../../app/domain/staff.server'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { onPostgres } from '../support/database'
import { ADMIN, startTestService, type TestService } from '../support/service'

const LINKS: Links = { baseUrl: 'http://join-in.test', domain: 'test.invalid' }

describe.runIf(onPostgres)('races on PostgreSQL', () => {
  let service: TestService
  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
  })
  afterAll(async () => {
    await service?.close()
  })

  async function activeAdmins(): Promise<number> {
    const rows = await service.database.db
      .selectFrom('staff_user')
      .select('id')
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .execute()
    return rows.length
  }

  /** Two admins, then each demotes the other at the same moment; what each was told. */
  async function demoteEachOther(round: number): Promise<string[]> {
    const { db } = service.database
    const first = await createStaffUser(db, {
      email: `first.${round}@example.org`,
      name: 'First',
      password: 'a long password for the first admin',
      role: 'admin',
    })
    const second = await createStaffUser(db, {
      email: `second.${round}@example.org`,
      name: 'Second',
      password: 'a long password for the second admin',
      role: 'admin',
    })
    // only these two are admins this round
    await db.updateTable('staff_user').set({ role: 'staff' }).where('id', 'not in', [first, second]).execute()
    const results = await Promise.all([
      changeRole(db, first, 'staff', { userId: second }),
      changeRole(db, second, 'staff', { userId: first }),
    ])
    return results.map((r) => r.status).sort()
  }

  it('two admins demoting each other at once leave one admin: one is told they are the last', async () => {
    for (let round = 0; round < 5; round++) {
      expect(await demoteEachOther(round)).toEqual(['changed', 'last-admin'])
      expect(await activeAdmins()).toBe(1)
    }
  })

  it('the control: without the row locks, the same race can leave no admin at all', async () => {
    process.env.JOIN_IN_TEST_NO_ROW_LOCKS = '1'
    const outcomes: number[] = []
    try {
      for (let round = 10; round < 20; round++) {
        await demoteEachOther(round)
        outcomes.push(await activeAdmins())
      }
    } finally {
      delete process.env.JOIN_IN_TEST_NO_ROW_LOCKS
    }
    expect(outcomes, 'admins left after each round').toContain(0)
  })

  it('"Send" posted ten times at once sends one message, and answers the rest as already sent', async () => {
    const activity = await publishActivity(service)
    const booked = await confirmBooking(service.client(), activity, [{ firstName: 'Wren', dob: dobForAge(8) }], {
      email: 'wren.family@example.org',
    })
    expect(booked.status).toBe(302)
    const admin = await service.database.db
      .selectFrom('staff_user')
      .select('id')
      .where('email', '=', ADMIN.email)
      .executeTakeFirstOrThrow()
    const input = { audience: 'confirmed' as const, subject: 'Bring a torch', body: 'We will make shadow puppets.' }
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        sendSessionMessage(service.database.db, activity, input, {
          sendKey: 'race-send-1',
          sentBy: admin.id,
          links: LINKS,
        }),
      ),
    )
    expect(results.map((r) => r.status).sort()).toEqual(
      ['already-sent', ...Array(8).fill('already-sent'), 'sent'].sort(),
    )
    const messages = await service.database.db
      .selectFrom('session_message')
      .select('id')
      .where('send_key', '=', 'race-send-1')
      .execute()
    expect(messages).toHaveLength(1)
    const emails = await service.database.db
      .selectFrom('outbox')
      .select('id')
      .where('kind', '=', 'session-message')
      .where('to_address', '=', 'wren.family@example.org')
      .execute()
    expect(emails).toHaveLength(1)
  })

  it('one address invited ten times at once makes one account, and the rest are told it is taken', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        inviteStaff(
          service.database.db,
          { name: 'Robin New', email: 'robin.new@example.org', role: 'staff' },
          { userId: 1 },
          { links: LINKS, serviceName: 'Join In' },
        ),
      ),
    )
    expect(results.filter((r) => r.status === 'invited')).toHaveLength(1)
    expect(results.filter((r) => r.status === 'email-taken')).toHaveLength(9)
    const accounts = await service.database.db
      .selectFrom('staff_user')
      .select('id')
      .where('email', '=', 'robin.new@example.org')
      .execute()
    expect(accounts).toHaveLength(1)
  })
})
