// Safe sessions over real HTTP against the production build: naming a session's two adults, the
// flag on the dashboard and the session page for upcoming sessions with fewer than two, the
// "before the call" checklist (who ticked what and when, worded from the children's consents),
// and the register's consents and emergency numbers, audited and never shown to a viewer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import { dobForAge } from '../support/booking'
import { testClock, type TestClock } from '../support/clock'
import { createFamily } from '../support/family'
import { seedBooking } from '../support/seed-booking'
import { activityForm, startTestService, type HttpClient, type TestService } from '../support/service'
import { words } from '../support/page-words'

let service: TestService
let clock: TestClock
let staff: HttpClient
let viewer: HttpClient
const db = () => service.database.db

async function pageText(client: HttpClient, path: string): Promise<string> {
  const response = await client.get(path)
  expect(response.status).toBe(200)
  return words(await response.text())
}

/** The dashboard row of one session, as text. */
async function dashboardRow(title: string): Promise<string | null> {
  const html = await (await staff.get('/staff')).text()
  const row = html.split('<tr').find((r) => r.includes(`>${title}<`))
  return row ? words(`<tr${row}`) : null
}

async function auditRows(action: string, subjectId: number) {
  return db()
    .selectFrom('audit_log')
    .select(['actor_user_id', 'detail'])
    .where('action', '=', action)
    .where('subject_id', '=', String(subjectId))
    .orderBy('id')
    .execute()
}

// The London date of an instant, read with Intl rather than the app's own time module.
const londonLongDate = (instant: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  })
    .format(new Date(instant))
    .replace(',', '')

let host: number
let second: number
let disabledStaff: number
let viewerAccount: number
const sessions: Record<'none' | 'one' | 'two' | 'past' | 'cancelled' | 'register', number> = {
  none: 0,
  one: 0,
  two: 0,
  past: 0,
  cancelled: 0,
  register: 0,
}
const titles = {
  none: 'Safety none named',
  one: 'Safety one named',
  two: 'Safety two named',
  past: 'Safety already held',
  cancelled: 'Safety called off',
  register: 'Safety register',
}

beforeAll(async () => {
  clock = testClock()
  service = await startTestService({}, { now: clock.now })
  staff = await service.signedIn('staff')
  viewer = await service.signedIn('viewer')
  host = await createStaffUser(db(), {
    email: 'sam.host@example.org',
    name: 'Sam Host',
    password: 'a long password for sam',
    role: 'staff',
  })
  second = await createStaffUser(db(), {
    email: 'alex.second@example.org',
    name: 'Alex Second',
    password: 'a long password for alex',
    role: 'admin',
  })
  disabledStaff = await createStaffUser(db(), {
    email: 'gone@example.org',
    name: 'Gone Away',
    password: 'a long password for gone',
    role: 'staff',
  })
  await db().updateTable('staff_user').set({ disabled: 1 }).where('id', '=', disabledStaff).execute()
  viewerAccount = await createStaffUser(db(), {
    email: 'looker@example.org',
    name: 'Only Looks',
    password: 'a long password for looker',
    role: 'viewer',
  })
  // published by the one member of staff already signed in (each sign-in hashes a password and a code)
  for (const key of Object.keys(titles) as Array<keyof typeof titles>) {
    const published = await staff.post('/staff/activities/new', activityForm({ title: titles[key] }))
    const match = /\/staff\/activities\/(\d+)/.exec(published.headers.get('location') ?? '')
    expect(match).not.toBeNull()
    sessions[key] = Number(match![1])
  }
  // held yesterday: written straight in, as the form will not publish a session in the past
  const yesterday = Date.now() - 86_400_000
  await db()
    .updateTable('activity')
    .set({
      starts_at: new Date(yesterday).toISOString(),
      ends_at: new Date(yesterday + 3_600_000).toISOString(),
      booking_closes_at: new Date(yesterday - 3_600_000).toISOString(),
    })
    .where('id', '=', sessions.past)
    .execute()
  const cancelled = await staff.post(`/staff/activities/${sessions.cancelled}`, {
    intent: 'confirm-cancel',
    reason: 'The facilitator is ill',
  })
  expect(cancelled.status).toBe(302)

  // The register: Ava and Cara (one family, an emergency number) and Ben (no emergency number, a
  // phone) have places with mixed consents; Dan, waiting, has refused everything but is not booked.
  const a = await createFamily(db(), {
    emergencyPhone: '07700 900111',
    phone: '07700 900999',
    children: [
      { firstName: 'Ava', dob: dobForAge(9) },
      { firstName: 'Cara', dob: dobForAge(7) },
    ],
  })
  const b = await createFamily(db(), { phone: '07700 900222', children: [{ firstName: 'Ben', dob: dobForAge(8) }] })
  const c = await createFamily(db(), { children: [{ firstName: 'Dan', dob: dobForAge(8) }] })
  const consents = async (
    childId: number,
    photos: number | null,
    name: number | null,
    camera: number | null,
    at: string,
  ) =>
    db()
      .updateTable('child')
      .set({
        consent_photos: photos,
        consent_photos_at: photos === null ? null : at,
        consent_name_visible: name,
        consent_name_visible_at: name === null ? null : at,
        consent_camera: camera,
        consent_camera_at: camera === null ? null : at,
      })
      .where('id', '=', childId)
      .execute()
  await consents(a.childIds[0]!, 1, 1, 1, '2026-03-05T10:00:00.000Z')
  await consents(a.childIds[1]!, 1, 0, null, '2026-04-20T23:30:00.000Z')
  await consents(b.childIds[0]!, 0, null, 0, '2026-06-01T09:00:00.000Z')
  await consents(c.childIds[0]!, 0, 0, 0, '2026-06-01T09:00:00.000Z')
  await seedBooking(db(), {
    activityId: sessions.register,
    familyId: a.familyId,
    email: a.email,
    places: [
      { name: 'Ava', status: 'confirmed', childId: a.childIds[0] },
      { name: 'Cara', status: 'confirmed', childId: a.childIds[1] },
    ],
  })
  await seedBooking(db(), {
    activityId: sessions.register,
    familyId: b.familyId,
    email: b.email,
    places: [{ name: 'Ben', status: 'confirmed', childId: b.childIds[0] }],
  })
  await seedBooking(db(), {
    activityId: sessions.register,
    familyId: c.familyId,
    email: c.email,
    places: [{ name: 'Dan', status: 'waitlisted', childId: c.childIds[0] }],
  })
})

afterAll(async () => {
  await service?.close()
})

const adultsForm = (overrides: Record<string, string>) => ({
  hostKind: 'staff',
  hostStaff: String(host),
  hostGuestName: '',
  hostGuestOrganisation: '',
  secondKind: 'staff',
  secondStaff: String(second),
  secondGuestName: '',
  secondGuestOrganisation: '',
  ...overrides,
})

describe('naming the two adults', () => {
  it('lists active staff and admin accounts to choose from, not viewers or disabled accounts', async () => {
    const page = await pageText(staff, `/staff/activities/${sessions.two}/adults`)
    expect(page).toContain('Sam Host (sam.host@example.org)')
    expect(page).toContain('Alex Second (alex.second@example.org)')
    expect(page).not.toContain('Gone Away')
    expect(page).not.toContain('Only Looks')
  })

  it('asks who each adult is, keeping what was typed', async () => {
    const response = await staff.post(`/staff/activities/${sessions.two}/adults`, {
      secondKind: 'guest',
      secondGuestName: '',
      secondGuestOrganisation: 'Kent Library Service',
    })
    expect(response.status).toBe(400)
    const html = await response.text()
    const page = words(html)
    expect(page).toContain('There is a problem')
    expect(page).toContain('Choose who the host is')
    expect(page).toContain('Enter the name of the second adult')
    expect(html).toContain('value="Kent Library Service"')
    const none = await staff.post(
      `/staff/activities/${sessions.two}/adults`,
      adultsForm({ hostStaff: '', secondKind: 'none' }),
    )
    expect(none.status).toBe(400)
    expect(words(await none.text())).toContain('Choose the member of staff who is the host')
    expect(await db().selectFrom('session_adult').selectAll().execute()).toEqual([])
  })

  it('refuses the same person as host and second adult, staff or guest', async () => {
    const sameStaff = await staff.post(
      `/staff/activities/${sessions.two}/adults`,
      adultsForm({ secondStaff: String(host) }),
    )
    expect(sameStaff.status).toBe(400)
    expect(words(await sameStaff.text())).toContain('The second adult must be a different person from the host')
    const sameGuest = await staff.post(
      `/staff/activities/${sessions.two}/adults`,
      adultsForm({
        hostKind: 'guest',
        hostGuestName: 'Jo Bloggs',
        secondKind: 'guest',
        secondGuestName: '  jo  BLOGGS ',
      }),
    )
    expect(sameGuest.status).toBe(400)
    expect(words(await sameGuest.text())).toContain('The second adult must be a different person from the host')
    expect(await db().selectFrom('session_adult').selectAll().execute()).toEqual([])
  })

  it('refuses a disabled or viewer account posted by hand', async () => {
    for (const account of [disabledStaff, viewerAccount]) {
      const response = await staff.post(
        `/staff/activities/${sessions.two}/adults`,
        adultsForm({ secondStaff: String(account) }),
      )
      expect(response.status).toBe(400)
      expect(words(await response.text())).toContain('Choose a member of staff with an active account')
    }
    expect(await db().selectFrom('session_adult').selectAll().execute()).toEqual([])
  })

  it('names a member of staff and a guest adult, audited, and shows them on the session page', async () => {
    const response = await staff.post(
      `/staff/activities/${sessions.two}/adults`,
      adultsForm({
        secondKind: 'guest',
        secondStaff: '',
        secondGuestName: 'Jo Bloggs',
        secondGuestOrganisation: 'Kent Library Service',
      }),
    )
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/staff/activities/${sessions.two}?notice=adults-saved-1`)
    const page = await pageText(staff, `/staff/activities/${sessions.two}?notice=adults-saved-1`)
    expect(page).toContain('Adults saved')
    expect(page).toContain('Host Sam Host')
    expect(page).toContain('Second adult Jo Bloggs (guest, Kent Library Service)')
    expect(page).not.toContain('Needs a second adult')
    expect(page).not.toContain('No adults named')
    const audit = await auditRows('session.adults-named', sessions.two)
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!.detail!)).toEqual({
      host: { staffUserId: host },
      second: { guest: 'Jo Bloggs', organisation: 'Kent Library Service' },
      sessions: [sessions.two],
    })
    // the form shows what is saved when opened again
    const form = await (await staff.get(`/staff/activities/${sessions.two}/adults`)).text()
    expect(form).toContain('value="Jo Bloggs"')
  })

  it('names one adult, leaving the second not decided', async () => {
    for (const id of [sessions.one, sessions.past, sessions.register]) {
      const response = await staff.post(`/staff/activities/${id}/adults`, adultsForm({ secondKind: 'none' }))
      expect(response.status).toBe(302)
    }
  })

  it('names the same adults on every later session of a series not cancelled, when asked', async () => {
    const created = await staff.post(
      '/staff/activities/new',
      activityForm({ title: 'Safety series', repeat: 'weekly', sessions: '3' }),
    )
    expect(created.status).toBe(302)
    const series = await db()
      .selectFrom('activity')
      .select('id')
      .where('title', '=', 'Safety series')
      .orderBy('starts_at')
      .execute()
    const [first, secondSession, third] = series.map((r) => r.id)
    await db().updateTable('activity').set({ status: 'cancelled' }).where('id', '=', third!).execute()
    expect(await pageText(staff, `/staff/activities/${first}/adults`)).toContain(
      'Use these adults for every later session of this series',
    )
    expect(await pageText(staff, `/staff/activities/${sessions.two}/adults`)).not.toContain(
      'Use these adults for every later session',
    )
    const response = await staff.post(`/staff/activities/${first}/adults`, adultsForm({ wholeSeries: 'yes' }))
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/staff/activities/${first}?notice=adults-saved-2`)
    expect(await pageText(staff, `/staff/activities/${first}?notice=adults-saved-2`)).toContain(
      'Adults saved on this session and 1 later session of the series',
    )
    const named = await db()
      .selectFrom('session_adult')
      .select(['activity_id', 'role', 'staff_user_id'])
      .where('activity_id', 'in', [first!, secondSession!, third!])
      .orderBy('activity_id')
      .orderBy('role')
      .execute()
    expect(named).toEqual([
      { activity_id: first, role: 'host', staff_user_id: host },
      { activity_id: first, role: 'second', staff_user_id: second },
      { activity_id: secondSession, role: 'host', staff_user_id: host },
      { activity_id: secondSession, role: 'second', staff_user_id: second },
    ])
  })

  it('does not change the adults of a cancelled session', async () => {
    const response = await staff.post(`/staff/activities/${sessions.cancelled}/adults`, adultsForm({}))
    expect(response.status).toBe(409)
    expect(
      await db().selectFrom('session_adult').select('role').where('activity_id', '=', sessions.cancelled).execute(),
    ).toEqual([])
  })
})

describe('the flag for fewer than two adults', () => {
  it('flags upcoming sessions with none or one on the dashboard, and not those with two, cancelled or past', async () => {
    expect(await dashboardRow(titles.none)).toContain('No adults named')
    expect(await dashboardRow(titles.one)).toContain('Needs a second adult')
    const two = await dashboardRow(titles.two)
    expect(two).toContain('Host and second adult')
    expect(two).not.toMatch(/No adults named|Needs a second adult/)
    const cancelled = await dashboardRow(titles.cancelled)
    expect(cancelled).not.toBeNull()
    expect(cancelled).not.toMatch(/No adults named|Needs a second adult/)
    // a session already held is not on the dashboard at all
    expect(await dashboardRow(titles.past)).toBeNull()
    // none, one and the register's session (one adult); the rest are fine
    const page = await pageText(staff, '/staff')
    expect(page).toContain(
      '3 upcoming sessions have fewer than two adults named. Name a host and a second adult before the call.',
    )
  })

  it('flags them on the session page in words', async () => {
    expect(await pageText(staff, `/staff/activities/${sessions.none}`)).toContain(
      'No adults named: every session needs a host and a second adult',
    )
    const one = await pageText(staff, `/staff/activities/${sessions.one}`)
    expect(one).toContain('Needs a second adult: every session needs a host and a second adult')
    expect(one).toContain('Host Sam Host Second adult Not named')
    for (const id of [sessions.two, sessions.past, sessions.cancelled]) {
      expect(await pageText(staff, `/staff/activities/${id}`)).not.toMatch(/No adults named|Needs a second adult/)
    }
  })

  it('stops flagging a session once it has ended (the service clock)', async () => {
    const start = await db()
      .selectFrom('activity')
      .select(['starts_at', 'ends_at'])
      .where('id', '=', sessions.one)
      .executeTakeFirstOrThrow()
    clock.set(new Date(new Date(start.starts_at).getTime() + 30 * 60_000))
    try {
      // under way: still flagged, the second adult can still join
      expect(await pageText(staff, `/staff/activities/${sessions.one}`)).toContain('Needs a second adult')
      clock.set(new Date(new Date(start.ends_at).getTime() + 60_000))
      expect(await pageText(staff, `/staff/activities/${sessions.one}`)).not.toContain('Needs a second adult')
      expect(await dashboardRow(titles.one)).toBeNull()
    } finally {
      clock.set(new Date())
    }
  })
})

describe('the checklist before the call', () => {
  it('words recording and cameras from the consents of the children booked', async () => {
    const page = await pageText(staff, `/staff/activities/${sessions.register}`)
    expect(page).toContain('Before the call 0 of 4 checks done.')
    expect(page).toContain('The lobby is on: everyone waits in the lobby until a host lets them in.')
    expect(page).toContain('Attendees cannot present: only the host and the second adult can share a screen.')
    // Ben said no to photographs; Dan (waiting) is not booked, so his refusal does not count
    expect(page).toContain(
      'Recording is off. Recording is not allowed: 1 child has not consented to photographs of sessions (Ben).',
    )
    expect(page).toContain(
      'Cameras and names as the consents allow. Camera must stay off for Ben (no), Cara (not answered). First name must not be visible for Ben (not answered), Cara (no).',
    )
    // nobody booked: nothing allows recording
    expect(await pageText(staff, `/staff/activities/${sessions.none}`)).toContain(
      'Recording is off. Nobody has a confirmed place yet, so there are no consents to allow it.',
    )
  })

  it('says recording is allowed once every child booked has consented', async () => {
    await db()
      .updateTable('child')
      .set({ consent_photos: 1, consent_photos_at: '2026-06-02T09:00:00.000Z' })
      .where('first_name', '=', 'Ben')
      .execute()
    try {
      expect(await pageText(staff, `/staff/activities/${sessions.register}`)).toContain(
        'Recording is off unless it is needed: it is allowed, because all 3 children booked consented to photographs of sessions (which covers recordings).',
      )
    } finally {
      await db()
        .updateTable('child')
        .set({ consent_photos: 0, consent_photos_at: '2026-06-01T09:00:00.000Z' })
        .where('first_name', '=', 'Ben')
        .execute()
    }
  })

  it('records who ticked and unticked each item and when, in London time, audited', async () => {
    const session = await db()
      .selectFrom('activity')
      .select('starts_at')
      .where('id', '=', sessions.register)
      .executeTakeFirstOrThrow()
    const staffId = (
      await db()
        .selectFrom('audit_log')
        .select('actor_user_id')
        .where('action', '=', 'session.adults-named')
        .executeTakeFirstOrThrow()
    ).actor_user_id!
    const staffName = (
      await db().selectFrom('staff_user').select('name').where('id', '=', staffId).executeTakeFirstOrThrow()
    ).name
    // half an hour before a 4pm start, London time
    const tickAt = new Date(new Date(session.starts_at).getTime() - 30 * 60_000)
    clock.set(tickAt)
    try {
      const ticked = await staff.post(`/staff/activities/${sessions.register}/checklist`, {
        item: 'lobby',
        intent: 'tick',
      })
      expect(ticked.status).toBe(302)
      expect(ticked.headers.get('location')).toBe(
        `/staff/activities/${sessions.register}?notice=checklist-tick#check-lobby`,
      )
      for (const item of ['recording', 'cameras']) {
        expect(
          (await staff.post(`/staff/activities/${sessions.register}/checklist`, { item, intent: 'tick' })).status,
        ).toBe(302)
      }
      clock.set(new Date(tickAt.getTime() + 5 * 60_000))
      expect(
        (
          await staff.post(`/staff/activities/${sessions.register}/checklist`, {
            item: 'recording',
            intent: 'untick',
          })
        ).status,
      ).toBe(302)
    } finally {
      clock.set(new Date())
    }
    const day = londonLongDate(session.starts_at)
    const page = await pageText(staff, `/staff/activities/${sessions.register}`)
    expect(page).toContain('Before the call 2 of 4 checks done.')
    expect(page).toContain(`Lobby on Done The lobby is on`)
    expect(page).toContain(`Ticked by ${staffName} at 3:30pm on ${day}`)
    expect(page).toContain(`Unticked by ${staffName} at 3:35pm on ${day}`)
    expect(page).toContain('Attendees cannot present Not done')
    expect(page).toContain('Not ticked yet')
    const checks = await db()
      .selectFrom('session_check')
      .select(['item', 'ticked', 'changed_by', 'changed_at'])
      .where('activity_id', '=', sessions.register)
      .orderBy('item')
      .execute()
    expect(checks.map((c) => [c.item, c.ticked, c.changed_by])).toEqual([
      ['cameras', 1, staffId],
      ['lobby', 1, staffId],
      ['recording', 0, staffId],
    ])
    // stamped at the service's clock (which ticks on from where it was set), not the wall clock
    const lobby = checks.find((c) => c.item === 'lobby')!
    expect(Math.abs(new Date(lobby.changed_at).getTime() - tickAt.getTime())).toBeLessThan(60_000)
    expect(
      (await auditRows('session.checklist-ticked', sessions.register)).map((r) => JSON.parse(r.detail!).item),
    ).toEqual(['lobby', 'recording', 'cameras'])
    expect(
      (await auditRows('session.checklist-unticked', sessions.register)).map((r) => JSON.parse(r.detail!).item),
    ).toEqual(['recording'])
  })

  it('refuses an unknown item, changing nothing', async () => {
    const before = (await db().selectFrom('session_check').selectAll().execute()).length
    const response = await staff.post(`/staff/activities/${sessions.register}/checklist`, {
      item: 'webcam',
      intent: 'tick',
    })
    expect(response.status).toBe(400)
    expect((await db().selectFrom('session_check').selectAll().execute()).length).toBe(before)
  })
})

describe('consents at hand on the register', () => {
  it('shows both adults, each child’s consents with their dates, and the emergency number or booker’s phone', async () => {
    const html = await (await staff.get(`/staff/activities/${sessions.register}/register`)).text()
    const page = words(html)
    expect(page).toContain('Host Sam Host Second adult Not named')
    expect(page).toContain(
      'Did Ava attend? Age 8 · Kent Photographs Yes, given 5 March 2026 First name visible Yes, given 5 March 2026 Camera on Yes, given 5 March 2026 Emergency number: 07700 900111',
    )
    // 23:30 UTC on 20 April is 21 April in London (summer time)
    expect(page).toContain(
      'Did Cara attend? Age 8 · Kent Photographs Yes, given 21 April 2026 First name visible No, given 21 April 2026 Camera on Not answered Emergency number: 07700 900111',
    )
    expect(page).toContain(
      'Did Ben attend? Age 8 · Kent Photographs No, given 1 June 2026 First name visible Not answered Camera on No, given 1 June 2026 No emergency number. Booker’s phone: 07700 900222',
    )
    expect(html).toContain('href="tel:07700900111"')
    expect(html).toContain('href="tel:07700900222"')
    // Dan is waiting, not booked: not on the register
    expect(page).not.toContain('Dan')
  })

  it('writes the register.viewed audit entry saying consents and emergency numbers were shown', async () => {
    const rows = await auditRows('register.viewed', sessions.register)
    expect(rows.length).toBeGreaterThan(0)
    expect(JSON.parse(rows.at(-1)!.detail!)).toEqual({ rows: 3, shown: ['consents', 'emergency numbers'] })
  })

  it('leaves consents and emergency numbers out of the CSV', async () => {
    const text = (await (await staff.get(`/staff/activities/${sessions.register}/register.csv`)).text()).replace(
      /^\uFEFF/,
      '',
    )
    expect(text.split('\r\n')[0]).toBe('First name,Age on the day,Home authority,Support needs,Attended')
    expect(text).not.toContain('07700')
  })

  it('shows a viewer none of it, and writes no audit entry for them', async () => {
    const before = (await auditRows('register.viewed', sessions.register)).length
    for (const path of [
      `/staff/activities/${sessions.register}/register`,
      `/staff/activities/${sessions.register}/checklist`,
      `/staff/activities/${sessions.register}`,
      `/staff/activities/${sessions.register}/adults`,
    ]) {
      const response = await viewer.get(path)
      expect(response.status).toBe(403)
      const body = await response.text()
      expect(body).not.toContain('07700')
      expect(body).not.toContain('Cara')
    }
    expect((await auditRows('register.viewed', sessions.register)).length).toBe(before)
  })
})
