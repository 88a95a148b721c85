// Siblings stay together on the waiting list (issue 15, item 7): a family's waitlisted children are
// promoted together when all of them fit; a family that does not fit is passed over and keeps its
// place in the queue; a family that said its children can take places separately takes what fits;
// a booking on hold is passed over until its hold is lifted. Held places count against capacity.
// The waiting list is set up directly in the database; the spaces are freed through the real
// service (a family cancelling from its manage link, staff adding spaces) and each outcome is
// written out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { liftHold } from '../../app/domain/holds.server'
import { lockActivities, transaction } from '../../db/index'
import { publishActivity } from '../support/booking'
import { createFamily } from '../support/family'
import { seedBooking, statusesByName, type SeededBooking } from '../support/seed-booking'
import { activityForm, startTestService, type HttpClient, type TestService } from '../support/service'

const IN_A_WEEK = new Date(Date.now() + 7 * 86_400_000).toISOString()

describe('siblings on the waiting list', () => {
  let service: TestService
  let staff: HttpClient
  beforeAll(async () => {
    service = await startTestService()
    staff = await service.signedIn('staff')
  })
  afterAll(async () => {
    await service?.close()
  })

  /** One family with one child per name, and one booking of all of them on the session. */
  async function family(
    activityId: number,
    names: string[],
    status: 'confirmed' | 'waitlisted' | 'held',
    options: { separately?: boolean; held?: boolean } = {},
  ): Promise<SeededBooking & { email: string }> {
    const made = await createFamily(service.database.db, {
      children: names.map((firstName) => ({ firstName, dob: '2018-04-03' })),
      placesSeparately: options.separately,
      confirmedAt: options.held ? null : undefined,
    })
    const booking = await seedBooking(service.database.db, {
      activityId,
      familyId: made.familyId,
      email: made.email,
      holdReason: options.held ? 'address' : null,
      holdExpiresAt: options.held ? IN_A_WEEK : null,
      places: names.map((name, i) => ({ name, status, childId: made.childIds[i] })),
    })
    return { ...booking, email: made.email }
  }

  async function cancelAll(booking: SeededBooking): Promise<void> {
    const response = await service
      .client()
      .post(`/bookings/${booking.reference}`, { token: booking.token, intent: 'confirm-cancel-all' })
    expect(response.status).toBe(302)
  }

  async function setCapacity(activityId: number, title: string, capacity: number): Promise<void> {
    const response = await staff.post(
      `/staff/activities/${activityId}/edit`,
      activityForm({ title, capacity: String(capacity) }),
    )
    expect(response.status).toBe(302)
  }

  /** To whom a place-offered email went, in order, with the names it gave. */
  async function offers(activityId: number): Promise<Array<{ to: string; text: string }>> {
    const rows = await service.database.db
      .selectFrom('outbox')
      .select(['to_address', 'text_body'])
      .where('activity_id', '=', activityId)
      .where('kind', '=', 'place-offered')
      .orderBy('id')
      .execute()
    return rows.map((r) => ({ to: r.to_address, text: r.text_body }))
  }

  it('promotes a family only when all its children fit, passes it over until then, and counts held places', async () => {
    const title = 'Siblings together'
    const activityId = await publishActivity(service, { title, capacity: '5' })
    // Full: four confirmed places and one held for a family that has not confirmed its address.
    const f1 = await family(activityId, ['Finn'], 'confirmed')
    const f2 = await family(activityId, ['Flo'], 'confirmed')
    const f3 = await family(activityId, ['Fern', 'Fay'], 'confirmed')
    await family(activityId, ['Gus'], 'held', { held: true })
    // The queue, first come first: two siblings, a single child, a child whose booking is held,
    // a family whose children may take places separately, another single child.
    const amyAlex = await family(activityId, ['Amy', 'Alex'], 'waitlisted')
    const sam = await family(activityId, ['Sam'], 'waitlisted')
    const hana = await family(activityId, ['Hana'], 'waitlisted', { held: true })
    const piaPip = await family(activityId, ['Pia', 'Pip'], 'waitlisted', { separately: true })
    const tom = await family(activityId, ['Tom'], 'waitlisted')

    // One space: the siblings do not both fit, so the single child after them has it.
    await cancelAll(f1)
    expect(await statusesByName(service.database.db, activityId)).toEqual({
      Finn: 'cancelled',
      Flo: 'confirmed',
      Fern: 'confirmed',
      Fay: 'confirmed',
      Gus: 'held',
      Amy: 'waitlisted',
      Alex: 'waitlisted',
      Sam: 'confirmed',
      Hana: 'waitlisted',
      Pia: 'waitlisted',
      Pip: 'waitlisted',
      Tom: 'waitlisted',
    })
    expect((await offers(activityId)).map((o) => o.to)).toEqual([sam.email])

    // Another single space: the siblings still wait, the held booking is passed over, and the
    // family whose children may be separated takes one place.
    await cancelAll(f2)
    expect(await statusesByName(service.database.db, activityId)).toEqual({
      Finn: 'cancelled',
      Flo: 'cancelled',
      Fern: 'confirmed',
      Fay: 'confirmed',
      Gus: 'held',
      Amy: 'waitlisted',
      Alex: 'waitlisted',
      Sam: 'confirmed',
      Hana: 'waitlisted',
      Pia: 'confirmed',
      Pip: 'waitlisted',
      Tom: 'waitlisted',
    })
    expect((await offers(activityId)).map((o) => o.to)).toEqual([sam.email, piaPip.email])

    // Two spaces at once: the siblings kept their place at the head of the queue, and take both.
    await cancelAll(f3)
    expect(await statusesByName(service.database.db, activityId)).toEqual({
      Finn: 'cancelled',
      Flo: 'cancelled',
      Fern: 'cancelled',
      Fay: 'cancelled',
      Gus: 'held',
      Amy: 'confirmed',
      Alex: 'confirmed',
      Sam: 'confirmed',
      Hana: 'waitlisted',
      Pia: 'confirmed',
      Pip: 'waitlisted',
      Tom: 'waitlisted',
    })
    const afterSiblings = await offers(activityId)
    expect(afterSiblings.map((o) => o.to)).toEqual([sam.email, piaPip.email, amyAlex.email])
    expect(afterSiblings[2]!.text).toContain('Amy and Alex now have places')

    // Staff add two spaces: the held booking is passed over again; Pip and then Tom have them.
    await setCapacity(activityId, title, 7)
    expect(await statusesByName(service.database.db, activityId)).toMatchObject({
      Gus: 'held',
      Hana: 'waitlisted',
      Pia: 'confirmed',
      Pip: 'confirmed',
      Tom: 'confirmed',
    })
    expect((await offers(activityId)).map((o) => o.to)).toEqual([
      sam.email,
      piaPip.email,
      amyAlex.email,
      piaPip.email,
      tom.email,
    ])

    // One more space while only the held booking waits: it stays free.
    await setCapacity(activityId, title, 8)
    expect(await statusesByName(service.database.db, activityId)).toMatchObject({ Gus: 'held', Hana: 'waitlisted' })
    expect(await offers(activityId)).toHaveLength(5)

    // The family confirms its address: the hold is lifted and its waiting child takes the space.
    const links = { baseUrl: service.url, domain: 'test.invalid' }
    const lifted = await transaction(service.database.db, async (trx) => {
      await lockActivities(trx, [activityId])
      return liftHold(trx, hana.bookingId, links, new Date())
    })
    expect(lifted).toMatchObject({ status: 'lifted', promoted: 1 })
    expect(await statusesByName(service.database.db, activityId)).toMatchObject({ Gus: 'held', Hana: 'confirmed' })
    expect((await offers(activityId)).map((o) => o.to)).toEqual([
      sam.email,
      piaPip.email,
      amyAlex.email,
      piaPip.email,
      tom.email,
      hana.email,
    ])
  })

  it('keeps a family together across its two bookings, tells it once, and keeps a booking with no family together', async () => {
    const title = 'Two bookings one family'
    const activityId = await publishActivity(service, { title, capacity: '1' })
    const { db } = service.database
    await family(activityId, ['Filler'], 'confirmed')
    // Kit and Kay's family booked them one at a time; both are waiting.
    const k = await createFamily(db, {
      children: [
        { firstName: 'Kit', dob: '2017-05-01' },
        { firstName: 'Kay', dob: '2019-06-02' },
      ],
    })
    await seedBooking(db, {
      activityId,
      familyId: k.familyId,
      email: k.email,
      places: [{ name: 'Kit', status: 'waitlisted', childId: k.childIds[0] }],
    })
    await seedBooking(db, {
      activityId,
      familyId: k.familyId,
      email: k.email,
      places: [{ name: 'Kay', status: 'waitlisted', childId: k.childIds[1] }],
    })
    // A booking made before families (no family): its two children are grouped by the booking.
    await seedBooking(db, {
      activityId,
      familyId: null,
      email: 'legacy@example.org',
      places: [
        { name: 'Lou', status: 'waitlisted' },
        { name: 'Lea', status: 'waitlisted' },
      ],
    })
    const max = await family(activityId, ['Max'], 'waitlisted')

    await setCapacity(activityId, title, 2)
    expect(await statusesByName(db, activityId)).toEqual({
      Filler: 'confirmed',
      Kit: 'waitlisted',
      Kay: 'waitlisted',
      Lou: 'waitlisted',
      Lea: 'waitlisted',
      Max: 'confirmed',
    })
    await setCapacity(activityId, title, 4)
    expect(await statusesByName(db, activityId)).toEqual({
      Filler: 'confirmed',
      Kit: 'confirmed',
      Kay: 'confirmed',
      Lou: 'waitlisted',
      Lea: 'waitlisted',
      Max: 'confirmed',
    })
    await setCapacity(activityId, title, 5)
    expect(await statusesByName(db, activityId)).toMatchObject({ Lou: 'waitlisted', Lea: 'waitlisted' })
    await setCapacity(activityId, title, 6)
    expect(await statusesByName(db, activityId)).toMatchObject({ Lou: 'confirmed', Lea: 'confirmed' })

    const sent = await offers(activityId)
    expect(sent.map((o) => o.to)).toEqual([max.email, k.email, 'legacy@example.org'])
    expect(sent[1]!.text).toContain('Kit and Kay now have places')
    expect(sent[2]!.text).toContain('Lou and Lea now have places')
  })

  it('counts held places against capacity: one more space is one place, however many are held', async () => {
    const title = 'Held places count'
    const activityId = await publishActivity(service, { title, capacity: '2' })
    const { db } = service.database
    await family(activityId, ['Ida'], 'confirmed')
    await family(activityId, ['Ivy'], 'held', { held: true })
    const joe = await family(activityId, ['Joe'], 'waitlisted')
    await family(activityId, ['Jan'], 'waitlisted')
    await setCapacity(activityId, title, 3)
    expect(await statusesByName(db, activityId)).toEqual({
      Ida: 'confirmed',
      Ivy: 'held',
      Joe: 'confirmed',
      Jan: 'waitlisted',
    })
    expect((await offers(activityId)).map((o) => o.to)).toEqual([joe.email])
  })

  it('offers the space on when a family cancels a held place, as when it cancels a confirmed one', async () => {
    const title = 'Held place cancelled'
    const activityId = await publishActivity(service, { title, capacity: '1' })
    const { db } = service.database
    const nia = await family(activityId, ['Nia'], 'held', { held: true })
    const oli = await family(activityId, ['Oli'], 'waitlisted')
    await cancelAll(nia)
    expect(await statusesByName(db, activityId)).toEqual({ Nia: 'cancelled', Oli: 'confirmed' })
    expect((await offers(activityId)).map((o) => o.to)).toEqual([oli.email])
  })
})
