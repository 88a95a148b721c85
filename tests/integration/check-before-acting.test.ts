// Destructive actions over real HTTP: the first post shows a check page that says what will
// happen and changes nothing; only the confirm post acts, and a repeated confirm is answered
// plainly ("already cancelled"), never with a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import { confirmBooking, publishActivity } from '../support/booking'
import { startTestService, type HttpClient, type TestService } from '../support/service'
import { words } from '../support/page-words'

let service: TestService
let staff: HttpClient

// A session 40 days ahead; its date is written out by Intl here, not by the app's formatter.
const start = new Date(Date.now() + 40 * 86_400_000)
const part = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...options }).format(start)
const DAY = `${part({ weekday: 'long' })} ${part({ day: 'numeric' })} ${part({ month: 'long' })} ${part({ year: 'numeric' })}`
const sessionDate = {
  'date-day': String(start.getUTCDate()),
  'date-month': String(start.getUTCMonth() + 1),
  'date-year': String(start.getUTCFullYear()),
}
// Aged 8 or so on the day, whenever the suite runs.
const DOB = new Date(start.getTime() - 8.5 * 365.25 * 86_400_000).toISOString().slice(0, 10)

beforeAll(async () => {
  service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
  staff = await service.signedIn('admin')
})

afterAll(async () => {
  await service?.close()
})

async function sessionWithAvaAndBen(title: string) {
  const activityId = await publishActivity(service, { title, ...sessionDate })
  const booked = await confirmBooking(
    service.client(),
    activityId,
    [
      { firstName: 'Ava', dob: DOB },
      { firstName: 'Ben', dob: DOB },
    ],
    { email: `${title.toLowerCase().replace(/\W+/g, '-')}@example.org` },
  )
  const manage = new URL(booked.headers.get('location')!, service.url)
  const token = manage.searchParams.get('token')!
  // A form posts to the page's own address, token and all, as a browser's does.
  const path = `${manage.pathname}?token=${encodeURIComponent(token)}`
  const places = await service.database.db
    .selectFrom('place')
    .select(['id', 'first_name', 'status'])
    .where('activity_id', '=', activityId)
    .orderBy('id')
    .execute()
  return { activityId, path, token, ava: places[0]!.id, ben: places[1]!.id }
}

async function statuses(activityId: number) {
  const rows = await service.database.db
    .selectFrom('place')
    .select(['first_name', 'status'])
    .where('activity_id', '=', activityId)
    .orderBy('id')
    .execute()
  return rows.map((r) => `${r.first_name}: ${r.status}`)
}

async function outboxKinds(activityId: number) {
  const rows = await service.database.db
    .selectFrom('outbox')
    .select('kind')
    .where('activity_id', '=', activityId)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.kind)
}

describe('a family cancelling', () => {
  it('checks before cancelling one child’s place, names it afterwards, and says so when asked twice', async () => {
    const { activityId, path, token, ava } = await sessionWithAvaAndBen('Slime science')
    const check = await service.client().post(path, { token, intent: 'cancel-place', placeId: String(ava) })
    expect(check.status).toBe(200)
    const page = words(await check.text())
    expect(page).toContain("Are you sure you want to cancel Ava's place?")
    expect(page).toContain(`Ava's place on Slime science, ${DAY}, will be cancelled.`)
    expect(page).toContain("Yes, cancel Ava's place")
    expect(page).toContain("No, keep Ava's place")
    expect(await statuses(activityId)).toEqual(['Ava: confirmed', 'Ben: confirmed'])
    expect(await outboxKinds(activityId)).toEqual(['held', 'confirmation'])

    const done = await service.client().post(path, { token, intent: 'confirm-cancel-place', placeId: String(ava) })
    expect(done.status).toBe(302)
    expect(await statuses(activityId)).toEqual(['Ava: cancelled', 'Ben: confirmed'])
    expect(await outboxKinds(activityId)).toEqual(['held', 'confirmation', 'cancellation'])
    const after = words(await (await service.client().get(done.headers.get('location')!)).text())
    expect(after).toContain(`Ava's place on Slime science, ${DAY}, is cancelled.`)

    const again = await service.client().post(path, { token, intent: 'confirm-cancel-place', placeId: String(ava) })
    expect(again.status).toBe(200)
    expect(words(await again.text())).toContain(`Ava's place on Slime science, ${DAY}, was already cancelled`)
    expect(await outboxKinds(activityId)).toEqual(['held', 'confirmation', 'cancellation'])
  })

  it('checks before cancelling the whole booking and names every child afterwards', async () => {
    const { activityId, path, token } = await sessionWithAvaAndBen('Puppet theatre')
    const check = await service.client().post(path, { token, intent: 'cancel-all' })
    expect(check.status).toBe(200)
    const page = words(await check.text())
    expect(page).toContain('Are you sure you want to cancel the whole booking?')
    expect(page).toContain(`Ava and Ben's places on Puppet theatre, ${DAY}, will be cancelled.`)
    expect(page).toContain('Yes, cancel the whole booking')
    expect(await statuses(activityId)).toEqual(['Ava: confirmed', 'Ben: confirmed'])

    const done = await service.client().post(path, { token, intent: 'confirm-cancel-all' })
    expect(done.status).toBe(302)
    expect(await statuses(activityId)).toEqual(['Ava: cancelled', 'Ben: cancelled'])
    const after = words(await (await service.client().get(done.headers.get('location')!)).text())
    expect(after).toContain(`Ava and Ben's places on Puppet theatre, ${DAY}, are cancelled.`)

    const again = await service.client().post(path, { token, intent: 'confirm-cancel-all' })
    expect(again.status).toBe(200)
    expect(words(await again.text())).toContain('This booking was already cancelled')
    // a stale check page's first button, posted again, also says so rather than offering to cancel
    const stale = await service.client().post(path, { token, intent: 'cancel-all' })
    expect(stale.status).toBe(200)
    expect(words(await stale.text())).toContain('This booking was already cancelled')
  })
})

describe('staff cancelling a session', () => {
  it('says how many families will be emailed, keeps the reason, and acts only on confirm', async () => {
    const { activityId } = await sessionWithAvaAndBen('Music makers')
    await confirmBooking(service.client(), activityId, [{ firstName: 'Cara', dob: DOB }], {
      email: 'cara@example.org',
    })
    const check = await staff.post(`/staff/activities/${activityId}`, { intent: 'cancel', reason: 'The host is ill.' })
    expect(check.status).toBe(200)
    const page = words(await check.text())
    expect(page).toContain('Are you sure you want to cancel this session?')
    expect(page).toContain(`Music makers, ${DAY}, will be cancelled.`)
    expect(page).toContain('We will email 2 families')
    expect(page).toContain('The host is ill.')
    expect(page).toContain('Yes, cancel the session and email 2 families')
    const status = async () =>
      (
        await service.database.db
          .selectFrom('activity')
          .select('status')
          .where('id', '=', activityId)
          .executeTakeFirstOrThrow()
      ).status
    expect(await status()).toBe('published')
    expect(await outboxKinds(activityId)).toEqual(['held', 'confirmation', 'held', 'confirmation'])

    const done = await staff.post(`/staff/activities/${activityId}`, {
      intent: 'confirm-cancel',
      reason: 'The host is ill.',
    })
    expect(done.status).toBe(302)
    expect(await status()).toBe('cancelled')
    expect(await outboxKinds(activityId)).toEqual([
      'held',
      'confirmation',
      'held',
      'confirmation',
      'activity-cancelled',
      'activity-cancelled',
    ])
    const after = words(await (await staff.get(done.headers.get('location')!)).text())
    expect(after).toContain(`Music makers, ${DAY}, is cancelled. We are emailing 2 families.`)

    const again = await staff.post(`/staff/activities/${activityId}`, {
      intent: 'confirm-cancel',
      reason: 'The host is ill.',
    })
    expect(again.status).toBe(200)
    expect(words(await again.text())).toContain('This session was already cancelled')
    expect(await outboxKinds(activityId)).toEqual([
      'held',
      'confirmation',
      'held',
      'confirmation',
      'activity-cancelled',
      'activity-cancelled',
    ])
  })
})

describe('an administrator disabling an account', () => {
  it('checks first, naming the person, and disables only on confirm', async () => {
    const id = await createStaffUser(service.database.db, {
      email: 'dana@example.org',
      name: 'Dana Lee',
      password: 'a long password for dana',
      role: 'staff',
    })
    const disabled = async () =>
      (
        await service.database.db
          .selectFrom('staff_user')
          .select('disabled')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).disabled
    const check = await staff.post(`/staff/users/${id}`, { intent: 'disable' })
    expect(check.status).toBe(200)
    const page = words(await check.text())
    expect(page).toContain("Are you sure you want to disable Dana Lee's account?")
    expect(page).toContain('dana@example.org')
    expect(page).toContain("Yes, disable Dana Lee's account")
    expect(await disabled()).toBe(0)

    const done = await staff.post(`/staff/users/${id}`, { intent: 'confirm-disable' })
    expect(done.status).toBe(302)
    expect(await disabled()).toBe(1)
    expect(words(await (await staff.get(done.headers.get('location')!)).text())).toContain(
      "Dana Lee's account is disabled.",
    )
    const again = await staff.post(`/staff/users/${id}`, { intent: 'confirm-disable' })
    expect(again.status).toBe(302)
    expect(words(await (await staff.get(again.headers.get('location')!)).text())).toContain(
      "Dana Lee's account was already disabled.",
    )
  })
})

describe('revoking an API token', () => {
  it('checks first, naming the token, and revokes only on confirm', async () => {
    const created = await staff.post('/staff/api-tokens', { intent: 'create', name: 'Power BI dashboard' })
    expect(created.status).toBe(200)
    const token = await service.database.db
      .selectFrom('api_token')
      .select(['id', 'revoked_at'])
      .where('name', '=', 'Power BI dashboard')
      .executeTakeFirstOrThrow()
    const revokedAt = async () =>
      (
        await service.database.db
          .selectFrom('api_token')
          .select('revoked_at')
          .where('id', '=', token.id)
          .executeTakeFirstOrThrow()
      ).revoked_at
    const check = await staff.post('/staff/api-tokens', { intent: 'revoke', id: String(token.id) })
    expect(check.status).toBe(200)
    const page = words(await check.text())
    expect(page).toContain('Are you sure you want to revoke the token “Power BI dashboard”?')
    expect(page).toContain('Yes, revoke “Power BI dashboard”')
    expect(await revokedAt()).toBeNull()

    const done = await staff.post('/staff/api-tokens', { intent: 'confirm-revoke', id: String(token.id) })
    expect(done.status).toBe(302)
    expect(await revokedAt()).not.toBeNull()
    expect(words(await (await staff.get(done.headers.get('location')!)).text())).toContain(
      'Token “Power BI dashboard” revoked.',
    )
    const again = await staff.post('/staff/api-tokens', { intent: 'confirm-revoke', id: String(token.id) })
    expect(again.status).toBe(302)
    expect(words(await (await staff.get(again.headers.get('location')!)).text())).toContain(
      'Token “Power BI dashboard” had already been revoked.',
    )
  })
})

describe('erasing a person’s details', () => {
  it('shows what will be erased first and erases only on a ticked confirm', async () => {
    const { activityId } = await sessionWithAvaAndBen('Erase me')
    const email = 'erase-me@example.org'
    const check = await staff.post('/staff/erasure', { intent: 'find', email })
    expect(check.status).toBe(200)
    const page = words(await check.text())
    expect(page).toContain(`Are you sure you want to erase the details held for ${email}?`)
    expect(page).toContain('Ava, Ben')
    expect(page).toContain('Yes, erase these details')
    const unticked = await staff.post('/staff/erasure', { intent: 'erase', email })
    expect(unticked.status).toBe(400)
    expect(await statuses(activityId)).toEqual(['Ava: confirmed', 'Ben: confirmed'])

    const done = await staff.post('/staff/erasure', { intent: 'erase', email, confirm: 'yes' })
    expect(done.status).toBe(200)
    expect(words(await done.text())).toContain('Details erased')
    expect(await statuses(activityId)).toEqual(['null: cancelled', 'null: cancelled'])
    const again = await staff.post('/staff/erasure', { intent: 'erase', email, confirm: 'yes' })
    expect(again.status).toBe(200)
    expect(words(await again.text())).toContain(`We hold nothing under ${email}`)
  })
})
