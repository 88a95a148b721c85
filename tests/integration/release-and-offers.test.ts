// Issue 16 §2, fewer empty places: "Can't come? Release your place" in every reminder, the second
// reminder on the day, and spaces freed near the start offered to the waiting list (first to claim
// gets it). The waiting list is set up directly in the database (seedBooking, as the service
// writes it); everything a family does goes through the real service over HTTP, the emails arrive
// at a real SMTP server, and the jobs' clock is moved rather than waited for. Every outcome is
// written out by hand.
import { simpleParser, type ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimOffer } from '../../app/domain/offers.server'
import { placeCounts, postBooking, publishActivity } from '../support/booking'
import { testClock } from '../support/clock'
import { createFamily } from '../support/family'
import { seedBooking, statusesByName, type SeededBooking } from '../support/seed-booking'
import { startTestService, type TestService } from '../support/service'
import { onPostgres } from '../support/database'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { waitFor } from '../support/wait'

const HOUR = 3_600_000
/** the joining link's tell-tale part (activityForm's Teams link) */
const TEAMS = 'SECRET-LINK-123'

describe('release your place, the second reminder and offers near the start', () => {
  const clock = testClock()
  let smtp: TestSmtp
  let service: TestService

  beforeAll(async () => {
    smtp = await startSmtp()
    service = await startTestService(
      { SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100', BOOKING_RATE_LIMIT: '100000' },
      { now: clock.now },
    )
  })
  afterAll(async () => {
    await service?.close()
    await smtp?.close()
  })

  const db = () => service.database.db

  async function setting(key: string, value: string | null): Promise<void> {
    await db().deleteFrom('setting').where('key', '=', key).execute()
    if (value !== null)
      await db().insertInto('setting').values({ key, value, updated_at: new Date().toISOString() }).execute()
  }

  /** A session 30 days ahead (16:00 London), published with the clock at the real time. */
  async function session(title: string, capacity: number) {
    clock.set(new Date())
    const id = await publishActivity(service, { title, capacity: String(capacity) })
    const row = await db()
      .selectFrom('activity')
      .select(['starts_at', 'booking_closes_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    return { id, startsAt: new Date(row.starts_at), closesAt: new Date(row.booking_closes_at) }
  }

  /** One family with one child per name, and one booking of all of them on the session. */
  async function family(
    activityId: number,
    names: string[],
    status: 'confirmed' | 'waitlisted',
    options: { separately?: boolean; held?: Date } = {},
  ): Promise<SeededBooking & { email: string }> {
    const made = await createFamily(db(), {
      children: names.map((firstName) => ({ firstName, dob: '2018-04-03' })),
      placesSeparately: options.separately,
      confirmedAt: options.held ? null : undefined,
    })
    const booking = await seedBooking(db(), {
      activityId,
      familyId: made.familyId,
      email: made.email,
      holdReason: options.held ? 'address' : null,
      holdExpiresAt: options.held?.toISOString() ?? null,
      places: names.map((name, i) => ({ name, status, childId: made.childIds[i] })),
    })
    return { ...booking, email: made.email }
  }

  /** The message to `to` whose subject matches, as it arrived at the SMTP server. */
  async function mailTo(to: string, subject: RegExp): Promise<ParsedMail> {
    return waitFor(async () => {
      for (const message of smtp.received) {
        if (!message.to.includes(to)) continue
        const parsed = await simpleParser(message.raw)
        if (subject.test(parsed.subject ?? '')) return parsed
      }
      return null
    })
  }

  /** The kinds of email queued to an address about a session, in order. */
  async function kindsTo(activityId: number, to: string): Promise<string[]> {
    const rows = await db()
      .selectFrom('outbox')
      .select('kind')
      .where('activity_id', '=', activityId)
      .where('to_address', '=', to)
      .orderBy('id')
      .execute()
    return rows.map((r) => r.kind)
  }

  function linkIn(mail: ParsedMail, path: RegExp): string {
    const match = path.exec(mail.text ?? '')
    if (!match) throw new Error(`no ${path} in: ${mail.text}`)
    return new URL(match[0]).pathname
  }

  const page = async (response: Response) => (await response.text()).replace(/<!-- -->/g, '')

  it('puts "Release your place" in the reminder; one press releases one child or all, once, and the waiting list gets the space', async () => {
    // offers only within 12 hours of the start here, so a release the day before promotes at once
    await setting('offer_window_hours', '12')
    const s = await session('Release day before', 3)
    const ava = await family(s.id, ['Ava', 'Ben'], 'confirmed')
    const cal = await family(s.id, ['Cal'], 'confirmed')
    const wes = await family(s.id, ['Wes'], 'waitlisted')

    clock.set(new Date(s.startsAt.getTime() - 20 * HOUR))
    await service.jobs.runOnce()
    const reminder = await mailTo(ava.email, /^Reminder: Release day before is tomorrow$/)
    expect(reminder.text).toContain('Can’t come?')
    // two children: either may be the one who cannot come
    expect(reminder.text).toContain(
      'Release the place of any child who cannot come, so a child on the waiting list can have it. It takes one button, and you do not need to sign in.',
    )
    expect(reminder.text).toContain('Release places:\n')
    const calReminder = await mailTo(cal.email, /^Reminder: Release day before is tomorrow$/)
    expect(calReminder.text).toContain(
      'Release your place so a child on the waiting list can have it. It takes one button, and you do not need to sign in.',
    )
    expect(calReminder.text).toContain('Release your place:\n')
    const release = linkIn(reminder, /http:\/\/127\.0\.0\.1:\d+\/release\/[\w-]{43}/)
    expect(typeof reminder.html === 'string' && reminder.html).toContain(`href="${service.url}${release}"`)

    // Looking changes nothing (a mail scanner opens links), and never shows the joining link.
    const look = await service.client().get(release)
    expect(look.status).toBe(200)
    const lookText = await page(look)
    expect(lookText).toContain('Can’t come? Release your places')
    expect(lookText).toContain('Whose places do you want to release?')
    // the title is the page's heading
    expect(lookText).toContain('<title>Can’t come? Release your places – Join In</title>')
    expect(lookText).not.toContain(TEAMS)
    expect(look.headers.get('cache-control')).toBe('no-store')
    expect(await statusesByName(db(), s.id)).toEqual({
      Ava: 'confirmed',
      Ben: 'confirmed',
      Cal: 'confirmed',
      Wes: 'waitlisted',
    })

    // No one ticked: the error next to the checkboxes, nothing released.
    const none = await service.client().post(release, { intent: 'release' })
    expect(none.status).toBe(400)
    const noneText = await page(none)
    expect(noneText).toContain('There is a problem')
    expect(noneText).toContain('<a href="#places">Select whose place to release</a>')
    expect(noneText).toContain('<title>Error: Can’t come? Release your places – Join In</title>')
    // Made-up or another booking's place ids: nothing released, never a 500.
    expect((await service.client().post(release, { intent: 'release', places: 'abc' })).status).toBe(400)
    expect((await service.client().post(release, { intent: 'release', places: String(cal.placeIds[0]) })).status).toBe(
      404,
    )
    expect(await statusesByName(db(), s.id)).toEqual({
      Ava: 'confirmed',
      Ben: 'confirmed',
      Cal: 'confirmed',
      Wes: 'waitlisted',
    })

    // Ben only: his space goes to Wes at once (a day before, outside the offer window).
    const released = await service.client().post(release, { intent: 'release', places: String(ava.placeIds[1]) })
    expect(released.status).toBe(200)
    const releasedText = await page(released)
    expect(releasedText).toContain('Ben’s place on Release day before has been released')
    expect(releasedText).toContain('<title>Place released – Join In</title>')
    expect(await statusesByName(db(), s.id)).toEqual({
      Ava: 'confirmed',
      Ben: 'cancelled',
      Cal: 'confirmed',
      Wes: 'confirmed',
    })
    const offered = await mailTo(wes.email, /^A space came up: Release day before – JN-/)
    expect(offered.text).toContain(TEAMS)

    // Ava still has her place; the page now offers only her, with one button.
    const again = await page(await service.client().get(release))
    expect(again).toContain('Can’t come? Release your place')
    expect(again).toContain('Release Ava’s place')
    expect(again).toContain('<title>Can’t come? Release your place – Join In</title>')
    expect(again).not.toContain('Whose places')
    expect((await service.client().post(release, { intent: 'release', places: String(ava.placeIds[0]) })).status).toBe(
      200,
    )
    // A second press releases nothing more and says so.
    const second = await service.client().post(release, { intent: 'release', places: String(ava.placeIds[0]) })
    const secondText = await page(second)
    expect(secondText).toContain('This place has already been released')
    expect(secondText).toContain('<title>This place has already been released – Join In</title>')
    expect(await page(await service.client().get(release))).toContain('This place has already been released')
    expect(await statusesByName(db(), s.id)).toEqual({
      Ava: 'cancelled',
      Ben: 'cancelled',
      Cal: 'confirmed',
      Wes: 'confirmed',
    })
    expect(await kindsTo(s.id, ava.email)).toEqual(['reminder', 'cancellation', 'cancellation'])
    expect(await kindsTo(s.id, wes.email)).toEqual(['place-offered'])

    // A link that is not one: 404 pages, never a 500.
    const notOne = await service.client().get('/release/not-a-token')
    expect(notOne.status).toBe(404)
    expect(await page(notOne)).toContain('<title>This link does not work – Join In</title>')
    expect((await service.client().post(`/release/${'x'.repeat(43)}`, { intent: 'release', places: '1' })).status).toBe(
      404,
    )
    expect((await service.client().post(release, { intent: 'nope' })).status).toBe(400)
    await setting('offer_window_hours', null)
  })

  it('releases once when the button is pressed five times at once (one cancellation email, one space for the waiting list)', async () => {
    await setting('offer_window_hours', '0')
    const s = await session('Release pressed twice', 1)
    const dot = await family(s.id, ['Dot'], 'confirmed')
    const wyn = await family(s.id, ['Wyn'], 'waitlisted')
    const zed = await family(s.id, ['Zed'], 'waitlisted')
    clock.set(new Date(s.startsAt.getTime() - 20 * HOUR))
    await service.jobs.runOnce()
    const release = linkIn(
      await mailTo(dot.email, /^Reminder: Release pressed twice is tomorrow$/),
      /http:\/\/127\.0\.0\.1:\d+\/release\/[\w-]{43}/,
    )
    const pages = await Promise.all(
      Array.from({ length: 5 }, async () =>
        page(await service.client().post(release, { intent: 'release', places: String(dot.placeIds[0]) })),
      ),
    )
    expect(pages.filter((p) => p.includes('Dot’s place on Release pressed twice has been released')).length).toBe(1)
    expect(pages.filter((p) => p.includes('This place has already been released')).length).toBe(4)
    expect(await statusesByName(db(), s.id)).toEqual({ Dot: 'cancelled', Wyn: 'confirmed', Zed: 'waitlisted' })
    expect(await kindsTo(s.id, dot.email)).toEqual(['reminder', 'cancellation'])
    expect(await kindsTo(s.id, wyn.email)).toEqual(['place-offered'])
    expect(await kindsTo(s.id, zed.email)).toEqual([])
    await setting('offer_window_hours', null)
  })

  it('sends the second reminder on the day once, with the release link; 0 hours turns it off', async () => {
    const s = await session('Second reminder', 5)
    const early = await family(s.id, ['Eli'], 'confirmed')
    clock.set(new Date(s.startsAt.getTime() - 20 * HOUR))
    await service.jobs.runOnce()
    await service.jobs.runOnce()
    // booked after the first reminder went: only the second one
    const late = await family(s.id, ['Lou'], 'confirmed')
    const waiting = await family(s.id, ['Wyn'], 'waitlisted')
    expect(await kindsTo(s.id, early.email)).toEqual(['reminder'])

    clock.set(new Date(s.startsAt.getTime() - 2 * HOUR))
    await service.jobs.runOnce()
    await service.jobs.runOnce()
    expect(await kindsTo(s.id, early.email)).toEqual(['reminder', 'reminder-today'])
    expect(await kindsTo(s.id, late.email)).toEqual(['reminder-today'])
    expect(await kindsTo(s.id, waiting.email)).toEqual([])
    const today = await mailTo(early.email, /^Today: Second reminder at 4pm$/)
    expect(today.text).toContain('A reminder that Eli has a place today at:')
    expect(today.text).toContain(TEAMS)
    const release = linkIn(today, /http:\/\/127\.0\.0\.1:\d+\/release\/[\w-]{43}/)
    expect(await page(await service.client().get(release))).toContain('Release Eli’s place')

    // Off: a session with the setting at 0 gets the day-before reminder only.
    await setting('second_reminder_hours', '0')
    const off = await session('No second reminder', 5)
    const ola = await family(off.id, ['Ola'], 'confirmed')
    clock.set(new Date(off.startsAt.getTime() - 20 * HOUR))
    await service.jobs.runOnce()
    clock.set(new Date(off.startsAt.getTime() - 2 * HOUR))
    await service.jobs.runOnce()
    expect(await kindsTo(off.id, ola.email)).toEqual(['reminder'])
    await setting('second_reminder_hours', null)
  })

  /** The claim link of the offer emailed to `to` about a session, from the outbox (as from an inbox). */
  async function claimLinkTo(activityId: number, to: string): Promise<string> {
    const row = await db()
      .selectFrom('outbox')
      .select('text_body')
      .where('activity_id', '=', activityId)
      .where('to_address', '=', to)
      .where('kind', '=', 'place-offer')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    return /\/offers\/[\w-]{43}/.exec(row.text_body)![0]
  }

  /** Releases every place of a booking by the link in its reminder (sent by the job at the clock's time). */
  async function releaseByReminder(activityId: number, who: SeededBooking & { email: string }): Promise<void> {
    await service.jobs.runOnce()
    const row = await db()
      .selectFrom('outbox')
      .select('text_body')
      .where('activity_id', '=', activityId)
      .where('to_address', '=', who.email)
      .where('kind', 'in', ['reminder', 'reminder-today'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    const link = /\/release\/[\w-]{43}/.exec(row.text_body)![0]
    const response = await service.client().post(link, { intent: 'release', places: who.placeIds.map(String) })
    expect(response.status).toBe(200)
    expect(await page(response)).toMatch(/(has|have) been released/)
  }

  it('offers a space freed within 24 hours to every waiting family it is enough for: the first to claim gets it, the others stay waiting', async () => {
    const s = await session('Offer near the start', 2)
    const ray = await family(s.id, ['Ray'], 'confirmed')
    await family(s.id, ['Rex'], 'confirmed')
    // The queue: two siblings who must go together, a single child, a family not yet confirmed
    // (on hold), another single child.
    const sam = await family(s.id, ['Sam', 'Sid'], 'waitlisted')
    const pia = await family(s.id, ['Pia'], 'waitlisted')
    const hal = await family(s.id, ['Hal'], 'waitlisted', { held: s.closesAt })
    const quinn = await family(s.id, ['Quinn'], 'waitlisted')

    // Ten hours before: Ray's parent releases the place from the reminder.
    clock.set(new Date(s.startsAt.getTime() - 10 * HOUR))
    await releaseByReminder(s.id, ray)
    // Not given to anyone yet: offered to Pia's and Quinn's families (one space is not enough for
    // Sam and Sid; Hal's booking is on hold).
    expect(await statusesByName(db(), s.id)).toEqual({
      Ray: 'cancelled',
      Rex: 'confirmed',
      Sam: 'waitlisted',
      Sid: 'waitlisted',
      Pia: 'waitlisted',
      Hal: 'waitlisted',
      Quinn: 'waitlisted',
    })
    expect(await kindsTo(s.id, pia.email)).toEqual(['place-offer'])
    expect(await kindsTo(s.id, quinn.email)).toEqual(['place-offer'])
    expect(await kindsTo(s.id, sam.email)).toEqual([])
    expect(await kindsTo(s.id, hal.email)).toEqual([])
    const offer = await mailTo(pia.email, /^A place has come up: Offer near the start – JN-/)
    expect(offer.text).toContain('A place has come up on this session, where Pia is on the waiting list:')
    expect(offer.text).toContain(
      'The first family to claim it gets it. If someone claims it before you, Pia will stay on the waiting list.',
    )
    expect(offer.text).toContain('You can claim until booking closes at 3pm on')
    for (const part of [offer.text ?? '', typeof offer.html === 'string' ? offer.html : ''])
      expect(part).not.toContain(TEAMS)
    expect(offer.attachments).toEqual([])

    const piaLink = await claimLinkTo(s.id, pia.email)
    const quinnLink = await claimLinkTo(s.id, quinn.email)
    expect(linkIn(offer, /http:\/\/127\.0\.0\.1:\d+\/offers\/[\w-]{43}/)).toBe(piaLink)
    // Looking changes nothing and shows no joining link.
    const look = await service.client().get(piaLink)
    expect(look.status).toBe(200)
    expect(look.headers.get('cache-control')).toBe('no-store')
    const lookText = await page(look)
    expect(lookText).toContain('A place has come up')
    expect(lookText).toContain('Claim the place')
    expect(lookText).not.toContain(TEAMS)
    expect(await placeCounts(service, s.id)).toEqual({ confirmed: 1, waitlisted: 5, cancelled: 1 })

    // Quinn's family claims first.
    const won = await service.client().post(quinnLink, { intent: 'claim' })
    expect(won.status).toBe(200)
    const wonText = await page(won)
    expect(wonText).toContain('Place booked')
    expect(wonText).toContain('<title>Place booked – Join In</title>')
    expect(wonText).toContain('Quinn has a place on Offer near the start')
    expect(wonText).not.toContain(TEAMS)
    const booked = await mailTo(quinn.email, /^A space came up: Offer near the start – JN-/)
    expect(booked.text).toContain(TEAMS)

    // Pia's family is too late: told so, still on the waiting list.
    const lost = await service.client().post(piaLink, { intent: 'claim' })
    expect(lost.status).toBe(200)
    const lostText = await page(lost)
    expect(lostText).toContain('Sorry, this place has been taken')
    expect(lostText).toContain('<title>Sorry, this place has been taken – Join In</title>')
    expect(lostText).not.toContain(TEAMS)
    expect(await page(await service.client().get(piaLink))).toContain('Sorry, this place has been taken')
    // Claiming again answers as before.
    expect(await page(await service.client().post(quinnLink, { intent: 'claim' }))).toContain(
      'You have claimed this place',
    )
    expect(await statusesByName(db(), s.id)).toEqual({
      Ray: 'cancelled',
      Rex: 'confirmed',
      Sam: 'waitlisted',
      Sid: 'waitlisted',
      Pia: 'waitlisted',
      Hal: 'waitlisted',
      Quinn: 'confirmed',
    })
    expect(await kindsTo(s.id, quinn.email)).toEqual(['place-offer', 'place-offered'])
    expect(await kindsTo(s.id, pia.email)).toEqual(['place-offer'])

    // Bad input: never a 500.
    expect((await service.client().get('/offers/nope')).status).toBe(404)
    expect((await service.client().post(`/offers/${'y'.repeat(43)}`, { intent: 'claim' })).status).toBe(404)
    expect((await service.client().post(piaLink, { intent: 'grab' })).status).toBe(400)
  })

  it('ends an offer at the booking close: a claim after it is refused and the family stays waiting', async () => {
    const s = await session('Offer ends at close', 1)
    const uma = await family(s.id, ['Uma'], 'confirmed')
    const vic = await family(s.id, ['Vic'], 'waitlisted')
    clock.set(new Date(s.startsAt.getTime() - 5 * HOUR))
    await releaseByReminder(s.id, uma)
    const link = await claimLinkTo(s.id, vic.email)
    // booking closes an hour before the start
    clock.set(new Date(s.closesAt.getTime() + 60_000))
    expect(await page(await service.client().get(link))).toContain('This offer has ended')
    expect(await page(await service.client().post(link, { intent: 'claim' }))).toContain('This offer has ended')
    expect(await statusesByName(db(), s.id)).toEqual({ Uma: 'cancelled', Vic: 'waitlisted' })
  })

  it('keeps an offered space for the waiting list: the public page says full and a new booking joins the list behind', async () => {
    const s = await session('Offer kept for those waiting', 1)
    const ned = await family(s.id, ['Ned'], 'confirmed')
    const ola = await family(s.id, ['Ola'], 'waitlisted')
    clock.set(new Date(s.startsAt.getTime() - 6 * HOUR))
    await releaseByReminder(s.id, ned)
    expect(await kindsTo(s.id, ola.email)).toEqual(['place-offer'])

    // While the offer is open the space is not on general sale.
    const shown = await page(await service.client().get(`/activities/${s.id}`))
    expect(shown).not.toContain('1 space left')
    expect(shown).toContain('This session is full')
    const late = await postBooking(service.client(), s.id, [{ firstName: 'Tam', dob: '2018-04-03' }], {
      email: 'tam.family@example.org',
    })
    expect(late.status).toBeLessThan(500)
    expect(await statusesByName(db(), s.id)).toEqual({ Ned: 'cancelled', Ola: 'waitlisted', Tam: 'waitlisted' })

    // The family it was offered to still gets it.
    const claimed = await service.client().post(await claimLinkTo(s.id, ola.email), { intent: 'claim' })
    expect(await page(claimed)).toContain('Place booked')
    expect(await statusesByName(db(), s.id)).toEqual({ Ned: 'cancelled', Ola: 'confirmed', Tam: 'waitlisted' })
  })

  it('offers the space of a hold that runs out near the start (the hold job, at its clock) rather than giving it', async () => {
    const s = await session('Hold runs out near the start', 1)
    const hal = await family(s.id, ['Hal'], 'confirmed')
    // Hal's family never confirmed its address: the place is held until 12 hours before the start.
    await db()
      .updateTable('booking')
      .set({ hold_reason: 'address', hold_expires_at: new Date(s.startsAt.getTime() - 12 * HOUR).toISOString() })
      .where('id', '=', hal.bookingId)
      .execute()
    await db().updateTable('place').set({ status: 'held' }).where('booking_id', '=', hal.bookingId).execute()
    const wyn = await family(s.id, ['Wyn'], 'waitlisted')
    clock.set(new Date(s.startsAt.getTime() - 11 * HOUR))
    await service.jobs.runOnce()
    expect(await statusesByName(db(), s.id)).toEqual({ Hal: 'cancelled', Wyn: 'waitlisted' })
    expect(await kindsTo(s.id, wyn.email)).toEqual(['place-offer'])
    const claimed = await service.client().post(await claimLinkTo(s.id, wyn.email), { intent: 'claim' })
    expect(await page(claimed)).toContain('Wyn has a place on Hold runs out near the start')
    expect(await statusesByName(db(), s.id)).toEqual({ Hal: 'cancelled', Wyn: 'confirmed' })
  })

  it('offers two freed spaces to brothers and sisters who go together; a family that said separately takes what fits', async () => {
    const s = await session('Two spaces near the start', 2)
    const ray = await family(s.id, ['Ray', 'Roy'], 'confirmed')
    const pia = await family(s.id, ['Pia', 'Pip', 'Poe'], 'waitlisted', { separately: true })
    const sam = await family(s.id, ['Sam', 'Sid'], 'waitlisted')
    const tia = await family(s.id, ['Tia', 'Tom', 'Ted'], 'waitlisted')
    clock.set(new Date(s.startsAt.getTime() - 8 * HOUR))
    await releaseByReminder(s.id, ray)
    // Two spaces: enough for Sam and Sid together, and for two of Pia's three; never for Tia's three.
    expect(await kindsTo(s.id, pia.email)).toEqual(['place-offer'])
    expect(await kindsTo(s.id, sam.email)).toEqual(['place-offer'])
    expect(await kindsTo(s.id, tia.email)).toEqual([])
    expect((await mailTo(pia.email, /^A place has come up: Two spaces/)).text).toContain(
      'Places have come up on this session, where Pia and Pip are on the waiting list:',
    )
    expect(await page(await service.client().get(await claimLinkTo(s.id, sam.email)))).toContain('Claim the places')
    // Pia's family claims first and takes both; Sam and Sid stay together on the waiting list.
    expect(await page(await service.client().post(await claimLinkTo(s.id, pia.email), { intent: 'claim' }))).toContain(
      'Pia and Pip have places on Two spaces near the start',
    )
    expect(await page(await service.client().post(await claimLinkTo(s.id, sam.email), { intent: 'claim' }))).toContain(
      'Sorry, this place has been taken',
    )
    expect(await statusesByName(db(), s.id)).toEqual({
      Ray: 'cancelled',
      Roy: 'cancelled',
      Pia: 'confirmed',
      Pip: 'confirmed',
      Poe: 'waitlisted',
      Sam: 'waitlisted',
      Sid: 'waitlisted',
      Tia: 'waitlisted',
      Tom: 'waitlisted',
      Ted: 'waitlisted',
    })
  })

  it('answers a release link once the session has started, or after the team cancelled it, without changing anything', async () => {
    const s = await session('Release too late', 3)
    const ann = await family(s.id, ['Ann'], 'confirmed')
    clock.set(new Date(s.startsAt.getTime() - 20 * HOUR))
    await service.jobs.runOnce()
    const release = linkIn(
      await mailTo(ann.email, /^Reminder: Release too late is tomorrow$/),
      /http:\/\/127\.0\.0\.1:\d+\/release\/[\w-]{43}/,
    )
    clock.set(new Date(s.startsAt.getTime() + 10 * 60_000))
    expect(await page(await service.client().get(release))).toContain('This session has started')
    const late = await service.client().post(release, { intent: 'release', places: String(ann.placeIds[0]) })
    expect(late.status).toBe(200)
    expect(await page(late)).toContain('Places cannot be released once a session has started.')
    expect(await statusesByName(db(), s.id)).toEqual({ Ann: 'confirmed' })

    clock.set(new Date(s.startsAt.getTime() - 20 * HOUR))
    await db().updateTable('activity').set({ status: 'cancelled' }).where('id', '=', s.id).execute()
    expect(await page(await service.client().get(release))).toContain('This session has been cancelled')
    expect(
      await page(await service.client().post(release, { intent: 'release', places: String(ann.placeIds[0]) })),
    ).toContain('This session has been cancelled')
    expect(await kindsTo(s.id, ann.email)).toEqual(['reminder'])
  })

  /** A full session of one space with `waiting` single children on its list, its space offered to them all. */
  async function offeredToMany(title: string, waiting: number): Promise<{ id: number; links: string[] }> {
    const s = await session(title, 1)
    const first = await family(s.id, ['First'], 'confirmed')
    const queue = []
    for (let i = 0; i < waiting; i++) queue.push(await family(s.id, [`Racer${i}`], 'waitlisted'))
    clock.set(new Date(s.startsAt.getTime() - 6 * HOUR))
    await releaseByReminder(s.id, first)
    const links = []
    for (const q of queue) links.push(await claimLinkTo(s.id, q.email))
    return { id: s.id, links }
  }

  it('racing claims: of 20 families claiming one space at once, exactly one gets it', async () => {
    const { id, links } = await offeredToMany('Racing claims', 20)
    const responses = await Promise.all(links.map((link) => service.client().post(link, { intent: 'claim' })))
    expect(responses.filter((r) => r.status >= 500)).toEqual([])
    const pages = await Promise.all(responses.map(page))
    expect(pages.filter((p) => p.includes('Place booked')).length).toBe(1)
    expect(pages.filter((p) => p.includes('Sorry, this place has been taken')).length).toBe(19)
    expect(await placeCounts(service, id)).toEqual({ confirmed: 1, waitlisted: 19, cancelled: 1 })
  })

  it('racing claims control: with the spaces counted before the transaction, more than one gets it (the test can fail)', async () => {
    const { id, links } = await offeredToMany('Racing claims control', 20)
    const serviceLinks = { baseUrl: service.url, domain: 'test.invalid' }
    const results = await Promise.all(
      links.map((link) =>
        claimOffer(db(), link.replace('/offers/', ''), serviceLinks, clock.now(), {
          unsafeCountOutsideTransaction: true,
        }),
      ),
    )
    expect(results.filter((r) => r.status === 'claimed').length).toBeGreaterThan(1)
    expect((await placeCounts(service, id)).confirmed).toBeGreaterThan(1)
  })

  it.runIf(onPostgres)(
    'racing claims control on PostgreSQL: without the row lock, more than one of 20 claims over HTTP gets the space (the lock is what holds)',
    async () => {
      const { id, links } = await offeredToMany('Racing claims without row locks', 20)
      process.env.JOIN_IN_TEST_NO_ROW_LOCKS = '1'
      try {
        await Promise.all(links.map((link) => service.client().post(link, { intent: 'claim' })))
      } finally {
        delete process.env.JOIN_IN_TEST_NO_ROW_LOCKS
      }
      expect((await placeCounts(service, id)).confirmed).toBeGreaterThan(1)
    },
  )

  it('lets an admin set both hours, refusing anything but whole hours in range with the message next to the field', async () => {
    // the defaults, whatever a test before this one left
    await setting('second_reminder_hours', null)
    await setting('offer_window_hours', null)
    const admin = await service.signedIn('admin')
    const save = (form: Record<string, string>) => admin.post('/staff/settings', { intent: 'save-reminders', ...form })
    const settingOf = async (key: string) =>
      (await db().selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst())?.value
    const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
    const shown = await (await admin.get('/staff/settings')).text()
    expect(shown).toMatch(/<input[^>]*name="secondReminderHours"[^>]*value="3"/)
    expect(shown).toMatch(/<input[^>]*name="offerWindowHours"[^>]*value="24"/)
    const cases: Array<[string, string, string, string]> = [
      ['', '24', 'secondReminderHours', 'Enter how many hours before the start the second reminder goes, from 0 to 23'],
      [
        '24',
        '24',
        'secondReminderHours',
        'Hours before the start for the second reminder must be a whole number from 0 to 23, like 3',
      ],
      [
        '2.5',
        '24',
        'secondReminderHours',
        'Hours before the start for the second reminder must be a whole number from 0 to 23, like 3',
      ],
      ['3', '', 'offerWindowHours', 'Enter within how many hours of the start a freed space is offered, from 0 to 72'],
      [
        '3',
        '73',
        'offerWindowHours',
        'Hours before the start for offering a freed space must be a whole number from 0 to 72, like 24',
      ],
      [
        '3',
        '-1',
        'offerWindowHours',
        'Hours before the start for offering a freed space must be a whole number from 0 to 72, like 24',
      ],
    ]
    for (const [secondReminderHours, offerWindowHours, field, message] of cases) {
      const response = await save({ secondReminderHours, offerWindowHours })
      expect(response.status, message).toBe(400)
      const html = await response.text()
      expect(html).toContain(`href="#${field}"`)
      expect(words(html)).toContain(`Error: ${message}`)
      const typed = field === 'secondReminderHours' ? secondReminderHours : offerWindowHours
      expect(html).toMatch(new RegExp(`name="${field}"[^>]*value="${typed.replace('.', '\\.')}"`))
    }
    expect(await settingOf('second_reminder_hours')).toBeUndefined()
    expect(await settingOf('offer_window_hours')).toBeUndefined()

    const saved = await save({ secondReminderHours: ' 0 ', offerWindowHours: '12' })
    expect(saved.status).toBe(302)
    expect(saved.headers.get('location')).toBe('/staff/settings?saved=reminders')
    expect(await settingOf('second_reminder_hours')).toBe('0')
    expect(await settingOf('offer_window_hours')).toBe('12')
    const audit = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'settings.reminders-changed')
      .execute()
    expect(audit.map((a) => JSON.parse(a.detail!))).toEqual([
      { second_reminder_hours: { before: 3, after: 0 }, offer_window_hours: { before: 24, after: 12 } },
    ])
    // the same again changes and audits nothing; staff who are not admins cannot
    expect((await save({ secondReminderHours: '0', offerWindowHours: '12' })).status).toBe(302)
    expect(
      (await db().selectFrom('audit_log').select('id').where('action', '=', 'settings.reminders-changed').execute())
        .length,
    ).toBe(1)
    const staff = await service.signedIn('staff')
    expect(
      (
        await staff.post('/staff/settings', {
          intent: 'save-reminders',
          secondReminderHours: '5',
          offerWindowHours: '5',
        })
      ).status,
    ).toBe(403)
    await setting('second_reminder_hours', null)
    await setting('offer_window_hours', null)
  })
})
