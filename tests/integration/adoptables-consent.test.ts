// A parent or carer's answer to an under-13's Adoptables sign-up, over HTTP with the emails
// received by a real SMTP server: the page says who is asking and who runs the meetings; yes
// opens the membership, no closes it for good, tells the team and tells the young person kindly.
import { simpleParser, type ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dobForAge, publishActivity } from '../support/booking'
import { startTestService, type HttpClient, type TestService } from '../support/service'
import { startSmtp, type TestSmtp } from '../support/smtp'
import { waitFor } from '../support/wait'

const TEAM = {
  intent: 'save-organisation',
  organisationName: 'Medway Young People’s Participation Team',
  contactEmail: 'participation@medway.example.org',
  contactPhone: '01634 306000',
  controllerName: 'Medway Council',
  dpoName: 'Sam Jones, Data Protection Officer',
  dpoEmail: 'dpo@medway.example.org',
}

/** A page's HTML without React's text separators. */
async function textOf(response: Response): Promise<string> {
  return (await response.text()).replace(/<!-- -->/g, '')
}

describe('a parent or carer answers for an under-13', () => {
  let smtp: TestSmtp
  let service: TestService
  let client: HttpClient
  let meetingId: number
  const taken = new Set<number>()

  beforeAll(async () => {
    smtp = await startSmtp()
    service = await startTestService({ SMTP_URL: smtp.url, OUTBOX_POLL_MS: '100', BOOKING_RATE_LIMIT: '1000' })
    client = service.client()
    const admin = await service.signedIn('admin')
    expect((await admin.post('/staff/settings', TEAM)).status).toBe(302)
    meetingId = await publishActivity(service, {
      kind: 'adoptables',
      category: 'Adoptables meeting',
      title: 'Adoptables: what should change',
      minAge: '12',
      maxAge: '18',
      capacity: '20',
    })
  })
  afterAll(async () => {
    await service?.close()
    await smtp?.close()
  })

  /** The next email received for this address with this subject (each message is returned once). */
  async function mailFor(to: string, subject: RegExp): Promise<ParsedMail> {
    return waitFor(async () => {
      for (const [i, message] of smtp.received.entries()) {
        if (taken.has(i) || !message.to.includes(to)) continue
        const mail = await simpleParser(message.raw)
        if (subject.test(mail.subject ?? '')) {
          taken.add(i)
          return mail
        }
      }
      return null
    })
  }

  function expectTeamFooter(mail: ParsedMail) {
    for (const part of [mail.text ?? '', String(mail.html)]) {
      expect(part, mail.subject).toContain('Medway Young People’s Participation Team')
      expect(part, mail.subject).toContain('participation@medway.example.org')
      expect(part, mail.subject).toContain('01634 306000')
    }
  }

  async function signUp(firstName: string, email: string, parentEmail: string): Promise<string> {
    const [year, month, day] = dobForAge(12).split('-')
    const response = await client.post(`/adoptables/join?meeting=${meetingId}`, {
      firstName,
      'dob-day': String(Number(day)),
      'dob-month': String(Number(month)),
      'dob-year': year!,
      email,
      authority: 'E06000035',
      parentEmail,
      notes: '',
    })
    expect(response.status).toBe(200)
    const request = await mailFor(parentEmail, new RegExp(`^Can ${firstName} join Adoptables\\?$`))
    expectTeamFooter(request)
    expect(request.text).toContain(`${firstName} (12) has asked to join Adoptables`)
    expect(request.text).toContain('Meetings are run by Medway Young People’s Participation Team.')
    const link = /https?:\/\/\S+\/adoptables\/consent\?token=[\w%-]+/.exec(request.text ?? '')?.[0]
    expect(link, 'the consent link').toBeDefined()
    const url = new URL(link!)
    return decodeURIComponent(url.searchParams.get('token')!)
  }

  it('shows the young person’s name and age, what Adoptables is and who runs it; yes lets them join', async () => {
    const token = await signUp('Robin', 'robin@example.org', 'robin.parent@example.org')
    const page = await client.get(`/adoptables/consent?token=${encodeURIComponent(token)}`)
    expect(page.status).toBe(200)
    const html = await textOf(page)
    expect(html).toContain('<title>Can Robin join Adoptables? – Join In</title>')
    expect(html).toMatch(/<h1[^>]*>Can Robin join Adoptables\?<\/h1>/)
    expect(html).toContain('Robin, who is 12, has asked to join Adoptables')
    expect(html).toContain('What Adoptables is')
    expect(html).toContain('The meetings are run by Medway Young People’s Participation Team')
    expect(html).toContain('What happens in a meeting')
    expect(html).toContain('Yes, they can join')
    expect(html).toMatch(/<label[^>]*>No<\/label>/)

    // no answer chosen: asked again, nothing changes
    const blank = await client.post('/adoptables/consent', { token })
    expect(blank.status).toBe(400)
    expect(await textOf(blank)).toContain('Select yes if they can join Adoptables')

    const yes = await client.post('/adoptables/consent', { token, answer: 'yes' })
    expect(yes.status).toBe(200)
    expect(await textOf(yes)).toContain('Robin can now join Adoptables')
    const welcome = await mailFor('robin@example.org', /^Welcome to Adoptables$/)
    expectTeamFooter(welcome)
    expect(welcome.text).toContain('/adoptables/members/')
    await mailFor('robin@example.org', /^Booking confirmed: Adoptables: what should change/)
    const member = await service.database.db
      .selectFrom('member')
      .select(['status', 'consent_declined_at'])
      .where('email', '=', 'robin@example.org')
      .executeTakeFirstOrThrow()
    expect(member).toEqual({ status: 'active', consent_declined_at: null })
  })

  it('closes the sign-up on no, tells the team, and tells the young person kindly', async () => {
    const token = await signUp('Sky', 'sky@example.org', 'sky.parent@example.org')
    const no = await client.post('/adoptables/consent', { token, answer: 'no' })
    expect(no.status).toBe(200)
    const answer = await textOf(no)
    expect(answer).toContain('Sky will not join Adoptables')
    expect(answer).toContain('we have told the team')

    const team = await mailFor('participation@medway.example.org', /^Adoptables sign-up closed/)
    expect(team.subject).toBe('Adoptables sign-up closed: a parent or carer said no for Sky')
    expect(team.text).toContain('A parent or carer answered no to Sky (12) joining Adoptables')
    expectTeamFooter(team)

    const kind = await mailFor('sky@example.org', /^Adoptables: not this time$/)
    expect(kind.text).toContain('Hi Sky,')
    expect(kind.text).toContain('Your parent or carer has said no for now')
    expect(kind.text).toContain('You have not done anything wrong.')
    expect(kind.text).not.toMatch(/declined|refused|consent/i)
    expectTeamFooter(kind)

    // The record can never be used: a later yes changes nothing, and it has no booking.
    const yesLater = await client.post('/adoptables/consent', { token, answer: 'yes' })
    expect(await textOf(yesLater)).toContain('You had already said no, so Sky’s sign-up is closed')
    const member = await service.database.db
      .selectFrom('member')
      .select(['id', 'status', 'consent_declined_at'])
      .where('email', '=', 'sky@example.org')
      .executeTakeFirstOrThrow()
    expect(member.status).toBe('pending')
    expect(member.consent_declined_at).not.toBeNull()
    expect(
      await service.database.db.selectFrom('booking').select('id').where('member_id', '=', member.id).execute(),
    ).toEqual([])
    const reopened = await client.get(`/adoptables/consent?token=${encodeURIComponent(token)}`)
    expect(await textOf(reopened)).toContain('You have already said no, so Sky’s sign-up is closed.')

    // Staff see the closed sign-up as closed, not as waiting.
    const staff = await service.signedIn('staff')
    expect(await textOf(await staff.get('/staff/members'))).toContain('Closed: parent or carer said no')

    // Signing up again later asks the parent or carer again, as a new sign-up.
    const again = await signUp('Sky', 'sky@example.org', 'sky.parent@example.org')
    expect(again).not.toBe(token)
  })
})
