// Staff booking on a family's behalf (the accessible alternative to the online form): the family's
// own children are ticked, the same capacity and hold rules apply, and it is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dobForAge, placeCounts, postBooking, publishActivity } from '../support/booking'
import { createFamily } from '../support/family'
import { startTestService, type TestService } from '../support/service'

const SECRET = 'SECRET-LINK-123'

describe('staff booking for a family', () => {
  let service: TestService
  beforeAll(async () => {
    service = await startTestService()
  })
  afterAll(async () => {
    await service?.close()
  })

  it('books the ticked children of a confirmed family, confirmed, with the joining link emailed, and audits it', async () => {
    const activityId = await publishActivity(service, { title: 'Phoned in', capacity: '2', minAge: '5', maxAge: '11' })
    const { familyId, email, childIds } = await createFamily(service.database.db, {
      children: [
        { firstName: 'Rae', dob: dobForAge(9) },
        { firstName: 'Tom', dob: dobForAge(10) },
        { firstName: 'Baby', dob: dobForAge(2) },
      ],
    })
    const staff = await service.signedIn('staff')
    const page = await (await staff.get(`/staff/families/${familyId}/book?activity=${activityId}`)).text()
    expect(page).toContain('Who is coming to Phoned in?')
    // the baby is shown, with why it cannot come, and cannot be ticked
    expect(page).toContain('Baby will be 2 on the day; this session is for 5 to 11')
    const key = /name="idempotencyKey" value="([\w-]+)"/.exec(page)![1]!
    const form = {
      activityId: String(activityId),
      childId: [String(childIds[0]), String(childIds[1])],
      idempotencyKey: key,
    }
    const booked = await staff.post(`/staff/families/${familyId}/book`, form)
    expect(booked.status).toBe(200)
    expect(await booked.text()).toMatch(/Booked JN-[A-Z0-9]{5}\. Rae and Tom confirmed\./)
    // posted twice (a double click): one booking
    expect((await staff.post(`/staff/families/${familyId}/book`, form)).status).toBe(200)
    expect(await placeCounts(service, activityId)).toEqual({ confirmed: 2, waitlisted: 0, cancelled: 0 })
    const mail = await service.database.db
      .selectFrom('outbox')
      .select(['kind', 'to_address', 'text_body'])
      .where('activity_id', '=', activityId)
      .execute()
    expect(mail.map((m) => [m.kind, m.to_address])).toEqual([['confirmation', email]])
    expect(mail[0]!.text_body).toContain(SECRET)
    const audit = await service.database.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id'])
      .where('action', 'in', ['booking.made-for-family', 'family.viewed'])
      .where('subject_id', '=', String(familyId))
      .orderBy('id')
      .execute()
    // the page shows the children again after each post, so each showing is a view
    expect(audit.map((a) => a.action)).toEqual([
      'family.viewed',
      'booking.made-for-family',
      'family.viewed',
      'family.viewed',
    ])
  })

  it('holds the places of a family that never confirmed its address, and sends it the confirm link only', async () => {
    const activityId = await publishActivity(service, { title: 'Unconfirmed family', minAge: '5', maxAge: '11' })
    const { familyId, childIds } = await createFamily(service.database.db, {
      confirmedAt: null,
      approvedAt: null,
      children: [{ firstName: 'Uma', dob: '2017-03-04' }],
    })
    const staff = await service.signedIn('staff')
    const page = await (await staff.get(`/staff/families/${familyId}/book?activity=${activityId}`)).text()
    const key = /name="idempotencyKey" value="([\w-]+)"/.exec(page)![1]!
    const booked = await staff.post(`/staff/families/${familyId}/book`, {
      activityId: String(activityId),
      childId: String(childIds[0]),
      idempotencyKey: key,
    })
    expect(await booked.text()).toContain('Uma held until the family confirms its email address')
    expect(await placeCounts(service, activityId)).toEqual({ confirmed: 0, held: 1, waitlisted: 0, cancelled: 0 })
    const mail = await service.database.db
      .selectFrom('outbox')
      .select(['kind', 'text_body'])
      .where('activity_id', '=', activityId)
      .execute()
    expect(mail.map((m) => m.kind)).toEqual(['held'])
    expect(mail[0]!.text_body).toContain('/family/confirm/')
    expect(mail[0]!.text_body).not.toContain(SECRET)
  })

  it('books no family onto an Adoptables meeting, posted straight to the staff form or the public one', async () => {
    const meetingId = await publishActivity(service, {
      kind: 'adoptables',
      category: 'Adoptables meeting',
      title: 'Not for families',
      minAge: '12',
      maxAge: '18',
      capacity: '20',
    })
    const { familyId, childIds } = await createFamily(service.database.db, {
      children: [{ firstName: 'Oscar', dob: dobForAge(13) }],
    })
    const staff = await service.signedIn('staff')
    const page = await (await staff.get(`/staff/families/${familyId}/book`)).text()
    expect(page).not.toContain('Not for families')
    const posted = await staff.post(`/staff/families/${familyId}/book`, {
      activityId: String(meetingId),
      childId: String(childIds[0]),
      idempotencyKey: 'adoptables-key-0123456789',
    })
    expect(posted.status).toBe(404)
    const form = await postBooking(service.client(), meetingId, [{ firstName: 'Oscar', dob: dobForAge(13) }])
    expect(form.status).toBe(404)
    expect(await placeCounts(service, meetingId)).toEqual({ confirmed: 0, waitlisted: 0, cancelled: 0 })
  })

  it('is for staff and admins: a viewer gets 403 on the page and the post, and nothing is booked', async () => {
    const activityId = await publishActivity(service, { title: 'Viewer tries', minAge: '5', maxAge: '11' })
    const { familyId, childIds } = await createFamily(service.database.db, {
      children: [{ firstName: 'Vi', dob: '2017-03-04' }],
    })
    const viewer = await service.signedIn('viewer')
    expect((await viewer.get(`/staff/families/${familyId}/book?activity=${activityId}`)).status).toBe(403)
    const post = await viewer.post(`/staff/families/${familyId}/book`, {
      activityId: String(activityId),
      childId: String(childIds[0]),
      idempotencyKey: 'viewer-key-0123456789',
    })
    expect(post.status).toBe(403)
    expect(await placeCounts(service, activityId)).toEqual({ confirmed: 0, waitlisted: 0, cancelled: 0 })
    // another family's child id is refused, not booked
    const other = await createFamily(service.database.db, { children: [{ firstName: 'Oz', dob: '2017-03-04' }] })
    const staff = await service.signedIn('staff')
    const wrong = await staff.post(`/staff/families/${familyId}/book`, {
      activityId: String(activityId),
      childId: String(other.childIds[0]),
      idempotencyKey: 'wrong-child-0123456789',
    })
    expect(wrong.status).toBe(404)
    expect(await placeCounts(service, activityId)).toEqual({ confirmed: 0, waitlisted: 0, cancelled: 0 })
  })
})
