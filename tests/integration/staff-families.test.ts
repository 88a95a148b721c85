// The staff side of families over real HTTP against the production build: a family's page (contact,
// children and their consents, bookings) and its audit entry, the register's consents and emergency
// numbers, the queue of new families' bookings waiting for approval (approve, decline with a reason,
// the family told through a real SMTP server), and the two family settings.
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { approveBooking } from '../../app/domain/family-approvals.server'
import type { Links } from '../../app/domain/links'
import { confirmLinkOf, dobForAge, postBooking, publishActivity } from '../support/booking'
import { onPostgres } from '../support/database'
import { createFamily } from '../support/family'
import { bookForFamily } from '../support/family-bookings'
import { startTestService, type HttpClient, type TestService } from '../support/service'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { waitFor } from '../support/wait'
import { words } from '../support/page-words'

const KENT = 'E10000016'
const MEDWAY = 'E06000035'
const JOIN_LINK_MARK = 'SECRET-LINK-123'

let smtp: TestSmtp
let service: TestService
let staff: HttpClient
let viewer: HttpClient
let admin: HttpClient

const db = () => service.database.db

async function placeStatuses(bookingId: number): Promise<string[]> {
  const rows = await db()
    .selectFrom('place')
    .select('status')
    .where('booking_id', '=', bookingId)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.status)
}

async function auditRows(action: string) {
  return db()
    .selectFrom('audit_log')
    .select(['actor_user_id', 'subject_type', 'subject_id', 'detail'])
    .where('action', '=', action)
    .orderBy('id')
    .execute()
}

async function mailTo(address: string, subject: RegExp) {
  const message = await waitFor(async () => {
    for (const m of smtp.received.filter((r) => r.to.includes(address))) {
      const parsed = await simpleParser(m.raw)
      if (subject.test(parsed.subject ?? '')) return parsed
    }
    return null
  })
  return message
}

// The family shown on its page: two children with answered and unanswered consents.
let kim: { familyId: number; email: string; childIds: number[] }
let sessionId: number
let kimBooking: { bookingId: number; reference: string; placeIds: number[] }

beforeAll(async () => {
  smtp = await startSmtp()
  service = await startTestService({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100' })
  staff = await service.signedIn('staff')
  viewer = await service.signedIn('viewer')
  admin = await service.signedIn('admin')
  sessionId = await publishActivity(service, { title: 'Comic drawing', capacity: '10' })
  kim = await createFamily(db(), {
    email: 'kim.carer@example.org',
    contactName: 'Kim Carer',
    phone: '07700 900111',
    emergencyPhone: '07700 900999',
    authorityCode: MEDWAY,
    children: [
      { firstName: 'Ava', dob: '2018-04-03' },
      { firstName: 'Leo', dob: '2016-11-20' },
    ],
  })
  // Ava: photographs yes (given 5 March 2026), first name visible no (given 6 March 2026), camera not answered.
  await db()
    .updateTable('child')
    .set({
      consent_photos: 1,
      consent_photos_at: '2026-03-05T12:00:00.000Z',
      consent_name_visible: 0,
      consent_name_visible_at: '2026-03-06T12:00:00.000Z',
    })
    .where('id', '=', kim.childIds[0]!)
    .execute()
  // Leo: camera on yes (given 7 March 2026); the rest not answered.
  await db()
    .updateTable('child')
    .set({ consent_camera: 1, consent_camera_at: '2026-03-07T12:00:00.000Z' })
    .where('id', '=', kim.childIds[1]!)
    .execute()
  kimBooking = await bookForFamily(
    db(),
    kim.familyId,
    sessionId,
    [
      { childId: kim.childIds[0]!, firstName: 'Ava', dob: '2018-04-03', age: 8 },
      { childId: kim.childIds[1]!, firstName: 'Leo', dob: '2016-11-20', age: 10 },
    ],
    'confirmed',
  )
  // Leo cannot come after all: his place is cancelled, Ava's stays.
  await db().updateTable('place').set({ status: 'cancelled' }).where('id', '=', kimBooking.placeIds[1]!).execute()
})

afterAll(async () => {
  await service?.close()
  await smtp?.close()
})

describe("a family's page for staff", () => {
  it('shows the contact details, each child with their consents and dates, and the bookings with each child’s status', async () => {
    const response = await staff.get(`/staff/families/${kim.familyId}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toContain('no-store')
    const page = words(await response.text())
    expect(page).toContain('Kim Carer')
    expect(page).toContain('kim.carer@example.org')
    expect(page).toContain('Phone 07700 900111')
    expect(page).toContain('Emergency number 07700 900999')
    expect(page).toContain('Home council Medway')
    expect(page).toContain('Email address confirmed Yes')
    expect(page).toContain('Approved Yes')
    // children, with dates of birth in words
    expect(page).toContain('Ava')
    expect(page).toContain('Date of birth 3 April 2018')
    expect(page).toContain('Date of birth 20 November 2016')
    // Ava's consents, then Leo's
    expect(page).toContain(
      'Photographs of sessions Yes, given 5 March 2026 First name visible to others on the call No, given 6 March 2026 Camera on Not answered',
    )
    expect(page).toContain(
      'Photographs of sessions Not answered First name visible to others on the call Not answered Camera on Yes, given 7 March 2026',
    )
    // the booking: session, date in words, each child's status
    const activity = await db()
      .selectFrom('activity')
      .select('starts_at')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow()
    const dateInWords = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    })
      .format(new Date(activity.starts_at))
      .replace(',', '')
    expect(page).toContain(`Comic drawing Date ${dateInWords}`)
    expect(page).toContain('Ava Booked')
    expect(page).toContain('Leo Cancelled')
    expect(page).toContain(kimBooking.reference)
  })

  it('writes one family.viewed audit entry naming the member of staff for each view', async () => {
    const before = (await auditRows('family.viewed')).length
    expect((await admin.get(`/staff/families/${kim.familyId}`)).status).toBe(200)
    const after = await auditRows('family.viewed')
    expect(after.length).toBe(before + 1)
    const adminRow = await db()
      .selectFrom('staff_user')
      .select('id')
      .where('email', 'like', 'admin%@example.org')
      .where('role', '=', 'admin')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(after.at(-1)).toEqual({
      actor_user_id: adminRow.id,
      subject_type: 'family',
      subject_id: String(kim.familyId),
      detail: null,
    })
  })

  it('answers 404 for a family that does not exist or a malformed id, and writes no audit entry', async () => {
    const before = (await auditRows('family.viewed')).length
    expect((await staff.get('/staff/families/999999')).status).toBe(404)
    expect((await staff.get('/staff/families/abc')).status).toBe(404)
    expect((await staff.get('/staff/families/0')).status).toBe(404)
    expect((await auditRows('family.viewed')).length).toBe(before)
  })

  it('refuses a viewer with 403 and shows nothing of the family', async () => {
    const response = await viewer.get(`/staff/families/${kim.familyId}`)
    expect(response.status).toBe(403)
    expect(await response.text()).not.toContain('Kim Carer')
  })

  it('is linked from the session page’s bookings and from the register', async () => {
    const link = `href="/staff/families/${kim.familyId}"`
    expect(await (await staff.get(`/staff/activities/${sessionId}`)).text()).toContain(link)
    expect(await (await staff.get(`/staff/activities/${sessionId}/register`)).text()).toContain(link)
  })
})

describe('the register', () => {
  it('shows each child’s consents and the family’s emergency number', async () => {
    const response = await staff.get(`/staff/activities/${sessionId}/register`)
    expect(response.status).toBe(200)
    const page = words(await response.text())
    expect(page).toContain('Photographs: Yes · First name visible: No · Camera on: Not answered')
    expect(page).toContain('Emergency number: 07700 900999')
  })

  it('leaves the consents and the emergency number out of its CSV', async () => {
    const response = await staff.get(`/staff/activities/${sessionId}/register.csv`)
    expect(response.status).toBe(200)
    const text = (await response.text()).replace(/^\uFEFF/, '')
    expect(text.split('\r\n')).toEqual([
      'First name,Age on the day,Home authority,Support needs,Attended',
      'Ava,8,Medway,,',
      '',
    ])
  })
})

describe('new families waiting for approval', () => {
  let approvalSession: number
  let sam: Awaited<ReturnType<typeof createFamily>>
  let lee: Awaited<ReturnType<typeof createFamily>>
  let waiting: Awaited<ReturnType<typeof createFamily>>
  let samBooking: Awaited<ReturnType<typeof bookForFamily>>
  let leeBooking: Awaited<ReturnType<typeof bookForFamily>>
  let waitingBooking: Awaited<ReturnType<typeof bookForFamily>>

  beforeAll(async () => {
    // Three spaces: Sam's two children and Lee's one child are held for approval; Noah waits.
    approvalSession = await publishActivity(service, { title: 'Puppet making', capacity: '3' })
    sam = await createFamily(db(), {
      email: 'sam.new@example.org',
      contactName: 'Sam Newfamily',
      authorityCode: KENT,
      approvedAt: null,
      children: [
        { firstName: 'Mia', dob: '2017-06-01' },
        { firstName: 'Zak', dob: '2019-02-14' },
      ],
    })
    lee = await createFamily(db(), {
      email: 'lee.new@example.org',
      contactName: 'Lee Secondfamily',
      authorityCode: MEDWAY,
      approvedAt: null,
      children: [{ firstName: 'Rosa', dob: '2018-09-09' }],
    })
    waiting = await createFamily(db(), {
      email: 'noah.family@example.org',
      contactName: 'Jo Waiting',
      children: [{ firstName: 'Noah', dob: '2017-01-01' }],
    })
    samBooking = await bookForFamily(
      db(),
      sam.familyId,
      approvalSession,
      [
        { childId: sam.childIds[0]!, firstName: 'Mia', dob: '2017-06-01', age: 9 },
        { childId: sam.childIds[1]!, firstName: 'Zak', dob: '2019-02-14', age: 7 },
      ],
      'held',
      { holdReason: 'approval', createdAt: '2026-11-30T14:05:00.000Z' },
    )
    leeBooking = await bookForFamily(
      db(),
      lee.familyId,
      approvalSession,
      [{ childId: lee.childIds[0]!, firstName: 'Rosa', dob: '2018-09-09', age: 8 }],
      'held',
      { holdReason: 'approval', createdAt: '2026-11-30T15:00:00.000Z' },
    )
    waitingBooking = await bookForFamily(
      db(),
      waiting.familyId,
      approvalSession,
      [{ childId: waiting.childIds[0]!, firstName: 'Noah', dob: '2017-01-01', age: 9 }],
      'waitlisted',
    )
  })

  it('lists them for staff: family, council, session, children and ages, and when booked', async () => {
    const response = await staff.get('/staff/families/approvals')
    expect(response.status).toBe(200)
    const page = words(await response.text())
    expect(page).toContain('Sam Newfamily')
    expect(page).toContain('Council Kent')
    expect(page).toContain('Lee Secondfamily')
    expect(page).toContain('Council Medway')
    expect(page).toContain('Puppet making')
    expect(page).toContain('Children Mia, age 9 on the day Zak, age 7 on the day')
    expect(page).toContain('Booked Monday 30 November 2026 at 2:05pm')
    expect(page).not.toContain('Kim Carer')
    // names of families and children: the view is audited, with how many were shown
    const audit = await auditRows('approvals.viewed')
    expect(audit.at(-1)).toEqual({
      actor_user_id: expect.any(Number),
      subject_type: 'booking',
      subject_id: null,
      detail: JSON.stringify({ shown: 2 }),
    })
  })

  it('is linked from the staff dashboard with the number waiting', async () => {
    const page = words(await (await staff.get('/staff')).text())
    expect(page).toContain('2 bookings from new families waiting for approval')
  })

  it('refuses a viewer with 403 for the queue, an approval and a decline, and changes nothing', async () => {
    const list = await viewer.get('/staff/families/approvals')
    expect(list.status).toBe(403)
    expect(await list.text()).not.toContain('Sam Newfamily')
    const approve = await viewer.post('/staff/families/approvals', {
      intent: 'approve',
      booking: String(samBooking.bookingId),
    })
    expect(approve.status).toBe(403)
    const decline = await viewer.post('/staff/families/approvals', {
      intent: 'decline',
      booking: String(samBooking.bookingId),
      [`reason-${samBooking.bookingId}`]: 'No reason',
    })
    expect(decline.status).toBe(403)
    expect(await placeStatuses(samBooking.bookingId)).toEqual(['held', 'held'])
  })

  it('asks for a reason before declining, next to the field, and keeps the booking held', async () => {
    const response = await staff.post('/staff/families/approvals', {
      intent: 'decline',
      booking: String(leeBooking.bookingId),
      [`reason-${leeBooking.bookingId}`]: '   ',
    })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain(`href="#reason-${leeBooking.bookingId}"`)
    expect(html).toContain(`id="reason-${leeBooking.bookingId}-error"`)
    expect(words(html)).toContain('Error: Enter why you are declining this booking. The family will be told')
    expect(html).toContain('<title>Error: New families waiting for approval – Join In staff</title>')
    expect(await placeStatuses(leeBooking.bookingId)).toEqual(['held'])
  })

  it('answers a malformed post with a message, not a 500', async () => {
    const forms: Array<Record<string, string>> = [
      {},
      { intent: 'approve' },
      { intent: 'approve', booking: 'abc' },
      { intent: 'explode', booking: String(samBooking.bookingId) },
    ]
    for (const form of forms) {
      const response = await staff.post('/staff/families/approvals', form)
      expect(response.status, JSON.stringify(form)).toBe(400)
    }
    const unknown = await staff.post('/staff/families/approvals', { intent: 'approve', booking: '999999' })
    expect(unknown.status).toBe(409)
    expect(await placeStatuses(samBooking.bookingId)).toEqual(['held', 'held'])
  })

  it('approves: places confirmed, hold cleared, family approved, emailed the joining link and invite, audited', async () => {
    const response = await staff.post('/staff/families/approvals', {
      intent: 'approve',
      booking: String(samBooking.bookingId),
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/staff/families/approvals?approved=${samBooking.reference}`)
    expect(await placeStatuses(samBooking.bookingId)).toEqual(['confirmed', 'confirmed'])
    const booking = await db()
      .selectFrom('booking')
      .select(['hold_reason', 'hold_expires_at', 'decline_reason'])
      .where('id', '=', samBooking.bookingId)
      .executeTakeFirstOrThrow()
    expect(booking).toEqual({ hold_reason: null, hold_expires_at: null, decline_reason: null })
    const family = await db()
      .selectFrom('family')
      .select('approved_at')
      .where('id', '=', sam.familyId)
      .executeTakeFirstOrThrow()
    expect(family.approved_at).not.toBeNull()

    const mail = await mailTo('sam.new@example.org', /^Booking confirmed: Puppet making/)
    expect(mail.text).toContain(JOIN_LINK_MARK)
    expect(mail.text).toContain('Mia and Zak have places')
    const invite = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))
    expect(invite?.content.toString('utf8')).toContain('METHOD:REQUEST')

    const audit = await auditRows('family.approved')
    expect(audit.map((a) => [a.subject_type, a.subject_id])).toEqual([['booking', String(samBooking.bookingId)]])
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ family: sam.familyId, places: 2 })

    const page = words(await (await staff.get(response.headers.get('location')!)).text())
    expect(page).toContain(`Approved: ${samBooking.reference}. The family is being emailed the joining link.`)
    expect(page).not.toContain('Mia, age 9 on the day')
  })

  it('answers a second approval of the same booking "already decided", and sends nothing again', async () => {
    const response = await staff.post('/staff/families/approvals', {
      intent: 'approve',
      booking: String(samBooking.bookingId),
    })
    expect(response.status).toBe(409)
    expect(words(await response.text())).toContain('This booking has already been decided. Nothing was changed.')
    const sent = await db().selectFrom('outbox').select('id').where('to_address', '=', 'sam.new@example.org').execute()
    expect(sent.length).toBe(1)
    // and declining it now is refused the same way
    const decline = await staff.post('/staff/families/approvals', {
      intent: 'decline',
      booking: String(samBooking.bookingId),
      [`reason-${samBooking.bookingId}`]: 'Changed my mind',
    })
    expect(decline.status).toBe(409)
    expect(await placeStatuses(samBooking.bookingId)).toEqual(['confirmed', 'confirmed'])
  })

  it('declines with a reason: places cancelled, the waiting list promoted, the family emailed the reason and no link', async () => {
    const response = await staff.post('/staff/families/approvals', {
      intent: 'decline',
      booking: String(leeBooking.bookingId),
      [`reason-${leeBooking.bookingId}`]: 'This service is for families supported by Kent, Medway or Bexley.',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/staff/families/approvals?declined=${leeBooking.reference}`)
    expect(await placeStatuses(leeBooking.bookingId)).toEqual(['cancelled'])
    // The space Rosa's hold kept goes to Noah, first on the waiting list.
    expect(await placeStatuses(waitingBooking.bookingId)).toEqual(['confirmed'])
    const booking = await db()
      .selectFrom('booking')
      .select(['hold_reason', 'hold_expires_at', 'decline_reason'])
      .where('id', '=', leeBooking.bookingId)
      .executeTakeFirstOrThrow()
    expect(booking).toEqual({
      hold_reason: null,
      hold_expires_at: null,
      decline_reason: 'This service is for families supported by Kent, Medway or Bexley.',
    })
    const family = await db()
      .selectFrom('family')
      .select('approved_at')
      .where('id', '=', lee.familyId)
      .executeTakeFirstOrThrow()
    expect(family.approved_at).toBeNull()

    const mail = await mailTo('lee.new@example.org', /^We could not accept your booking: Puppet making/)
    expect(mail.text).toContain('This service is for families supported by Kent, Medway or Bexley.')
    expect(mail.text).toContain('Rosa')
    expect(mail.text).not.toContain(JOIN_LINK_MARK)
    expect(mail.html).not.toContain(JOIN_LINK_MARK)
    expect(mail.attachments).toEqual([])
    // Noah's family is told a space came up, with the link
    const offered = await mailTo('noah.family@example.org', /^A space came up: Puppet making/)
    expect(offered.text).toContain(JOIN_LINK_MARK)

    const audit = await auditRows('family.declined')
    expect(audit.map((a) => [a.subject_type, a.subject_id])).toEqual([['booking', String(leeBooking.bookingId)]])
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ family: lee.familyId, places: 1 })

    const page = words(await (await staff.get(response.headers.get('location')!)).text())
    expect(page).toContain(`Declined: ${leeBooking.reference}. The family is being emailed your reason.`)
    expect(page).toContain('There are no bookings waiting for approval.')
  })

  it('shows a family’s declined booking on its page with the reason', async () => {
    const page = words(await (await staff.get(`/staff/families/${lee.familyId}`)).text())
    expect(page).toContain('Approved No')
    expect(page).toContain('Rosa Declined')
    expect(page).toContain('Why it was declined This service is for families supported by Kent, Medway or Bexley.')
  })

  it('shows a held place on the family page as waiting for approval', async () => {
    const other = await createFamily(db(), {
      contactName: 'Ola Pending',
      approvedAt: null,
      children: [{ firstName: 'Ivy', dob: '2018-01-01' }],
    })
    await bookForFamily(
      db(),
      other.familyId,
      approvalSession,
      [{ childId: other.childIds[0]!, firstName: 'Ivy', dob: '2018-01-01', age: 8 }],
      'held',
      { holdReason: 'approval' },
    )
    const page = words(await (await staff.get(`/staff/families/${other.familyId}`)).text())
    expect(page).toContain('Ivy Held: waiting for approval')
    expect(words(await (await staff.get('/staff')).text())).toContain(
      '1 booking from a new family waiting for approval',
    )
  })
})

describe('the family settings', () => {
  const save = (form: Record<string, string>) => admin.post('/staff/settings', { intent: 'save-families', ...form })
  const settingOf = async (key: string) =>
    (await db().selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst())?.value

  it('shows approval off and 24 hours by default', async () => {
    const html = await (await admin.get('/staff/settings')).text()
    expect(html).toMatch(/<input[^>]*name="approveNewFamilies" type="radio" checked="" value="off"/)
    expect(html).toMatch(/<input[^>]*name="familyHoldHours"[^>]*value="24"/)
  })

  it('refuses hours that are not a whole number from 1 to 168, with the message next to the field, keeping what was typed', async () => {
    const cases: Array<[string, string]> = [
      ['', 'Enter how many hours a new family’s places are held, from 1 to 168'],
      ['0', 'Hours a new family’s places are held must be a whole number from 1 to 168, like 24'],
      ['169', 'Hours a new family’s places are held must be a whole number from 1 to 168, like 24'],
      ['2.5', 'Hours a new family’s places are held must be a whole number from 1 to 168, like 24'],
      ['a day', 'Hours a new family’s places are held must be a whole number from 1 to 168, like 24'],
    ]
    for (const [typed, message] of cases) {
      const response = await save({ approveNewFamilies: 'on', familyHoldHours: typed })
      expect(response.status, typed).toBe(400)
      const html = await response.text()
      expect(html, typed).toContain('href="#familyHoldHours"')
      expect(words(html), typed).toContain(`Error: ${message}`)
      expect(html, typed).toMatch(new RegExp(`name="familyHoldHours"[^>]*value="${typed.replace('.', '\\.')}"`))
    }
    expect(await settingOf('family_hold_hours')).toBeUndefined()
    expect(await settingOf('approve_new_families')).toBeUndefined()
  })

  it('refuses a missing or unknown approval answer', async () => {
    for (const approveNewFamilies of [undefined, 'maybe']) {
      const form: Record<string, string> = { familyHoldHours: '24' }
      if (approveNewFamilies) form.approveNewFamilies = approveNewFamilies
      const response = await save(form)
      expect(response.status).toBe(400)
      const html = await response.text()
      expect(html).toContain('href="#approveNewFamilies"')
      expect(words(html)).toContain('Error: Select whether new families’ first bookings need approval')
    }
    expect(await settingOf('approve_new_families')).toBeUndefined()
  })

  it('saves both and audits the change', async () => {
    const response = await save({ approveNewFamilies: 'on', familyHoldHours: ' 48 ' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/staff/settings?saved=families')
    expect(await settingOf('family_hold_hours')).toBe('48')
    expect(await settingOf('approve_new_families')).toBe('on')
    const audit = await auditRows('settings.families-changed')
    expect(audit.length).toBe(1)
    expect(JSON.parse(audit[0]!.detail!)).toEqual({
      approveNewFamilies: { before: 'off', after: 'on' },
      familyHoldHours: { before: 24, after: 48 },
    })
    const html = await (await admin.get('/staff/settings?saved=families')).text()
    expect(html).toMatch(/<input[^>]*name="approveNewFamilies" type="radio" checked="" value="on"/)
    expect(html).toMatch(/<input[^>]*name="familyHoldHours"[^>]*value="48"/)
    // saving the same again changes and audits nothing
    expect((await save({ approveNewFamilies: 'on', familyHoldHours: '48' })).status).toBe(302)
    expect((await auditRows('settings.families-changed')).length).toBe(1)
  })

  it('is for administrators only', async () => {
    const response = await staff.post('/staff/settings', {
      intent: 'save-families',
      approveNewFamilies: 'off',
      familyHoldHours: '1',
    })
    expect(response.status).toBe(403)
    expect(await settingOf('family_hold_hours')).toBe('48')
  })
})

describe('decisions made twice at once, and on a cancelled session', () => {
  it('approves once when the same approval is posted twice at once; the other answers already decided', async () => {
    const sessionId = await publishActivity(service, { title: 'Clay models', capacity: '4' })
    const family = await createFamily(db(), {
      email: 'twice@example.org',
      contactName: 'Alex Twice',
      approvedAt: null,
      children: [{ firstName: 'Bea', dob: '2018-05-05' }],
    })
    const booking = await bookForFamily(
      db(),
      family.familyId,
      sessionId,
      [{ childId: family.childIds[0]!, firstName: 'Bea', dob: '2018-05-05', age: 8 }],
      'held',
      { holdReason: 'approval' },
    )
    const other = await service.signedIn('staff')
    const form = { intent: 'approve', booking: String(booking.bookingId) }
    const answers = await Promise.all([
      staff.post('/staff/families/approvals', form),
      other.post('/staff/families/approvals', form),
    ])
    expect(answers.map((r) => r.status).sort()).toEqual([302, 409])
    expect(await placeStatuses(booking.bookingId)).toEqual(['confirmed'])
    const emails = await db()
      .selectFrom('outbox')
      .select('kind')
      .where('to_address', '=', 'twice@example.org')
      .execute()
    expect(emails).toEqual([{ kind: 'confirmation' }])
    expect((await auditRows('family.approved')).filter((a) => a.subject_id === String(booking.bookingId)).length).toBe(
      1,
    )
  })

  it('declines once when an approval and a decline are posted at once', async () => {
    const sessionId = await publishActivity(service, { title: 'Clay models again', capacity: '4' })
    const family = await createFamily(db(), {
      email: 'race@example.org',
      approvedAt: null,
      children: [{ firstName: 'Cal', dob: '2018-05-05' }],
    })
    const booking = await bookForFamily(
      db(),
      family.familyId,
      sessionId,
      [{ childId: family.childIds[0]!, firstName: 'Cal', dob: '2018-05-05', age: 8 }],
      'held',
      { holdReason: 'approval' },
    )
    const other = await service.signedIn('staff')
    const answers = await Promise.all([
      staff.post('/staff/families/approvals', { intent: 'approve', booking: String(booking.bookingId) }),
      other.post('/staff/families/approvals', {
        intent: 'decline',
        booking: String(booking.bookingId),
        [`reason-${booking.bookingId}`]: 'Duplicate family',
      }),
    ])
    expect(answers.map((r) => r.status).sort()).toEqual([302, 409])
    const statuses = await placeStatuses(booking.bookingId)
    const emails = await db().selectFrom('outbox').select('kind').where('to_address', '=', 'race@example.org').execute()
    // whichever came first decided, and only its email was written
    if (statuses[0] === 'confirmed') expect(emails).toEqual([{ kind: 'confirmation' }])
    else {
      expect(statuses).toEqual(['cancelled'])
      expect(emails).toEqual([{ kind: 'family-declined' }])
    }
  })

  it('leaves a cancelled session’s held booking out of the queue and refuses to decide it', async () => {
    const sessionId = await publishActivity(service, { title: 'Cancelled crafts', capacity: '4' })
    const family = await createFamily(db(), {
      email: 'cancelled.session@example.org',
      contactName: 'Dee Cancelled',
      approvedAt: null,
      children: [{ firstName: 'Eli', dob: '2018-05-05' }],
    })
    const booking = await bookForFamily(
      db(),
      family.familyId,
      sessionId,
      [{ childId: family.childIds[0]!, firstName: 'Eli', dob: '2018-05-05', age: 8 }],
      'held',
      { holdReason: 'approval' },
    )
    expect(words(await (await staff.get('/staff/families/approvals')).text())).toContain('Dee Cancelled')
    const cancelled = await staff.post(`/staff/activities/${sessionId}`, {
      intent: 'confirm-cancel',
      reason: 'The artist is ill',
    })
    expect(cancelled.status).toBe(302)
    expect(words(await (await staff.get('/staff/families/approvals')).text())).not.toContain('Dee Cancelled')
    for (const form of [
      { intent: 'approve', booking: String(booking.bookingId) },
      { intent: 'decline', booking: String(booking.bookingId), [`reason-${booking.bookingId}`]: 'No' },
    ]) {
      const response = await staff.post('/staff/families/approvals', form)
      expect(response.status).toBe(409)
      expect(words(await response.text())).toContain('This session was cancelled, so there is nothing to decide.')
    }
    expect(await placeStatuses(booking.bookingId)).toEqual(['held'])
    const emails = await db()
      .selectFrom('outbox')
      .select('kind')
      .where('to_address', '=', 'cancelled.session@example.org')
      .execute()
    expect(emails).toEqual([{ kind: 'activity-cancelled' }])
  })
})

describe.runIf(onPostgres)('on PostgreSQL, without the session lock', () => {
  const LINKS: Links = { baseUrl: 'http://join-in.test', domain: 'test.invalid' }

  // The session's row lock (lockActivities) serialises decisions; the booking is also claimed by a
  // conditional update, so two approvals racing without the lock (the contention tests' switch)
  // still approve once.
  it('two approvals at once decide once: the booking is claimed, not just read', async () => {
    const sessionId = await publishActivity(service, { title: 'Race without locks', capacity: '20' })
    const actor = { id: 1, ip: '127.0.0.1' }
    process.env.JOIN_IN_TEST_NO_ROW_LOCKS = '1'
    try {
      for (let round = 0; round < 6; round++) {
        const family = await createFamily(db(), {
          approvedAt: null,
          children: [{ firstName: 'Fay', dob: '2018-05-05' }],
        })
        const booking = await bookForFamily(
          db(),
          family.familyId,
          sessionId,
          [{ childId: family.childIds[0]!, firstName: 'Fay', dob: '2018-05-05', age: 8 }],
          'held',
          { holdReason: 'approval' },
        )
        const results = await Promise.all([
          approveBooking(db(), booking.bookingId, actor, LINKS),
          approveBooking(db(), booking.bookingId, actor, LINKS),
          approveBooking(db(), booking.bookingId, actor, LINKS),
        ])
        expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual([
          'already-decided',
          'already-decided',
          'approved',
        ])
        const audits = (await auditRows('family.approved')).filter((a) => a.subject_id === String(booking.bookingId))
        expect(audits.length, `round ${round}`).toBe(1)
      }
    } finally {
      delete process.env.JOIN_IN_TEST_NO_ROW_LOCKS
    }
  })
})

const FIRST_BOOKING_CHECKED =
  'If this is your first booking with us, the team then checks it, and we send the Teams joining link once they have approved it.'
const LINK_ONCE_CONFIRMED = 'We send the Teams joining link once you have confirmed.'

describe('a new family booking through the public form, with approval on', () => {
  it('waits in the queue once its address is confirmed, and gets the joining link only when approved', async () => {
    const saved = await admin.post('/staff/settings', {
      intent: 'save-families',
      approveNewFamilies: 'on',
      familyHoldHours: '24',
    })
    expect(saved.status).toBe(302)
    const sessionId = await publishActivity(service, { title: 'Approval end to end' })
    const parent = 'gus.parent@example.org'
    const booked = await postBooking(service.client(), sessionId, [{ firstName: 'Gus', dob: dobForAge(8) }], {
      email: parent,
      contactName: 'Gus Parent',
    })
    expect(booked.status).toBe(302)
    const reference = /JN-[A-Z0-9]{5}/.exec(booked.headers.get('location') ?? '')![0]
    // the page after booking and the first email both say the team checks a first booking
    const bookedPage = words(await (await service.client().get(booked.headers.get('location')!)).text())
    expect(bookedPage).toContain(FIRST_BOOKING_CHECKED)
    expect(bookedPage).not.toContain(LINK_ONCE_CONFIRMED)
    const held = await mailTo(parent, /^Confirm your booking/)
    expect(held.text?.replace(/\s+/g, ' ')).toContain(FIRST_BOOKING_CHECKED)
    expect(held.text?.replace(/\s+/g, ' ')).not.toContain(LINK_ONCE_CONFIRMED)
    const link = await confirmLinkOf(service.url, reference)
    expect(link).not.toBeNull()
    await (await service.client().post(link!, {})).arrayBuffer()
    const booking = await db()
      .selectFrom('booking')
      .select(['id', 'hold_reason'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow()
    expect(booking.hold_reason).toBe('approval')
    expect(words(await (await staff.get('/staff/families/approvals')).text())).toContain('Gus Parent')
    // the session's page lists the held place, with the way to the family's page
    const sessionPage = await (await staff.get(`/staff/activities/${sessionId}`)).text()
    expect(words(sessionPage)).toContain('Held for new families (1)')
    const family = await db().selectFrom('family').select('id').where('email', '=', parent).executeTakeFirstOrThrow()
    expect(sessionPage).toContain(`href="/staff/families/${family.id}"`)
    // nothing sent so far carries the joining link
    const before = await db()
      .selectFrom('outbox')
      .select(['text_body', 'html_body'])
      .where('to_address', '=', parent)
      .execute()
    expect(before.length).toBeGreaterThan(0)
    expect(before.filter((e) => `${e.text_body}${e.html_body}`.includes(JOIN_LINK_MARK))).toEqual([])

    const approved = await staff.post('/staff/families/approvals', { intent: 'approve', booking: String(booking.id) })
    expect(approved.status).toBe(302)
    const mail = await mailTo(parent, /^Booking confirmed: Approval end to end/)
    expect(mail.text).toContain(JOIN_LINK_MARK)
    expect(await placeStatuses(booking.id)).toEqual(['confirmed'])
  })
})

describe('a new family booking through the public form, with approval off', () => {
  it('promises the joining link once the address is confirmed, with no word of a check', async () => {
    const saved = await admin.post('/staff/settings', {
      intent: 'save-families',
      approveNewFamilies: 'off',
      familyHoldHours: '24',
    })
    expect(saved.status).toBe(302)
    const sessionId = await publishActivity(service, { title: 'No approval' })
    const parent = 'ivy.parent@example.org'
    const booked = await postBooking(service.client(), sessionId, [{ firstName: 'Ivy', dob: dobForAge(8) }], {
      email: parent,
      contactName: 'Ivy Parent',
    })
    expect(booked.status).toBe(302)
    const bookedPage = words(await (await service.client().get(booked.headers.get('location')!)).text())
    expect(bookedPage).toContain(LINK_ONCE_CONFIRMED)
    expect(bookedPage).not.toContain('the team then checks it')
    const held = await mailTo(parent, /^Confirm your booking/)
    expect(held.text?.replace(/\s+/g, ' ')).toContain(LINK_ONCE_CONFIRMED)
    expect(held.text).not.toContain('the team then checks it')
  })
})
