// "What to bring", typed by staff on the activity form, reaches families: on the activity's public
// page, and with the session's description in the booking confirmation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { startTestService, type TestService } from '../support/service'

describe('what to bring', () => {
  let service: TestService
  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
  })
  afterAll(async () => {
    await service?.close()
  })

  it('is shown on the activity page and in the confirmation, with the description', async () => {
    const id = await publishActivity(service, {
      title: 'Glow slime',
      description: 'Make slime that glows in the dark.',
      whatToBring: 'PVA glue, a bowl and an old T-shirt',
    })
    const staff = await service.signedIn('staff')
    const edit = (await (await staff.get(`/staff/activities/${id}/edit`)).text()).replace(/<!-- -->/g, '')
    expect(edit).toMatch(/<textarea[^>]*name="whatToBring"[^>]*>PVA glue, a bowl and an old T-shirt<\/textarea>/)

    const page = (await (await service.client().get(`/activities/${id}`)).text()).replace(/<!-- -->/g, '')
    expect(page).toMatch(/<h2[^>]*>What to bring<\/h2>\s*<p[^>]*>PVA glue, a bowl and an old T-shirt<\/p>/)

    const booked = await confirmBooking(service.client(), id, [{ firstName: 'Ava', dob: dobForAge(8) }], {
      email: 'ava.parent@example.org',
    })
    expect(booked.status).toBeLessThan(400)
    const mail = await service.database.db
      .selectFrom('outbox')
      .select(['text_body', 'html_body'])
      .where('to_address', '=', 'ava.parent@example.org')
      .where('kind', '=', 'confirmation')
      .executeTakeFirstOrThrow()
    expect(mail.text_body).toContain('Make slime that glows in the dark.')
    expect(mail.text_body).toContain('What to bring: PVA glue, a bowl and an old T-shirt')
    expect(mail.html_body).toContain('What to bring: PVA glue, a bowl and an old T-shirt')
  })

  it('is optional, and refused over 500 characters with a message by the field', async () => {
    const staff = await service.signedIn('staff')
    const { activityForm } = await import('../support/service')
    const long = await staff.post('/staff/activities/new', activityForm({ whatToBring: 'x'.repeat(501) }))
    expect(long.status).toBe(400)
    expect(await long.text()).toContain('What to bring must be 500 characters or fewer')
    const id = await publishActivity(service, { title: 'Nothing to bring' })
    expect(await (await service.client().get(`/activities/${id}`)).text()).not.toContain('What to bring')
  })
})
