// What a UK council service must publish : the accessibility statement,
// the privacy notice and its version for young people, a way to contact the team on every page,
// and a feedback route from the beta banner. The organisation's wording comes from settings, so
// each test changes a setting over HTTP and reads it back on the public pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bookingForm, confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const ORGANISATION = {
  intent: 'save-organisation',
  organisationName: 'Medway Participation Team',
  contactEmail: 'join-in-team@medway.example.org',
  contactPhone: '01634 306 000',
  controllerName: 'Medway Council',
  dpoName: 'Sam Jones, Data Protection Officer',
  dpoEmail: 'dpo@medway.example.org',
}

async function textOf(response: Response): Promise<string> {
  return (await response.text()).replace(/<!-- -->/g, '')
}

describe('what the service publishes', () => {
  let service: TestService
  let admin: HttpClient

  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '1000' })
    admin = await service.signedIn('admin')
  })
  afterAll(async () => {
    await service?.close()
  })

  const db = () => service.database.db

  describe('organisation settings', () => {
    it('shows the organisation section to an administrator with the Kent defaults', async () => {
      const page = await textOf(await admin.get('/staff/settings'))
      expect(page).toContain('Organisation and contact details')
      expect(page).toMatch(/id="organisationName"[^>]*value="Virtual School Kent Participation &amp; Engagement team"/)
      expect(page).toMatch(/id="controllerName"[^>]*value="Kent County Council"/)
    })

    it('refuses a wrong email address and an empty name beside each field, keeps what was typed, saves nothing', async () => {
      const response = await admin.post('/staff/settings', {
        ...ORGANISATION,
        organisationName: '  ',
        contactEmail: 'not an email',
        contactPhone: 'call us',
        dpoEmail: 'dpo@',
      })
      expect(response.status).toBe(400)
      const page = await textOf(response)
      expect(page).toContain('There is a problem')
      expect(page).toContain('href="#organisationName"')
      expect(page).toContain('Enter the name of the team that runs the service')
      expect(page).toContain('id="contactEmail-error"')
      expect(page).toContain(
        'Enter the team’s email address in the correct format, like participation@council.example.gov.uk',
      )
      expect(page).toContain('Enter the team’s phone number, like 03000 41 41 41')
      expect(page).toContain(
        'Enter the data protection officer’s email address in the correct format, like dpo@council.example.gov.uk',
      )
      expect(page).toMatch(/value="not an email"/)
      expect(page).toMatch(/value="Medway Council"/)
      const saved = await db().selectFrom('setting').select('key').where('key', '=', 'contact_email').execute()
      expect(saved).toEqual([])
    })

    it('saves the organisation, audited, and every public page uses it at once', async () => {
      const response = await admin.post('/staff/settings', ORGANISATION)
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/staff/settings?saved=organisation')
      const audit = await db()
        .selectFrom('audit_log')
        .select(['detail'])
        .where('action', '=', 'settings.organisation-changed')
        .execute()
      expect(audit).toHaveLength(1)
      expect(JSON.parse(audit[0]!.detail!)).toEqual({
        changed: ['organisation_name', 'contact_email', 'contact_phone', 'controller_name', 'dpo_name', 'dpo_email'],
      })

      const accessibility = await textOf(await service.client().get('/accessibility'))
      expect(accessibility).toContain('This website is run by Medway Participation Team.')
      expect(accessibility).toContain('href="mailto:join-in-team@medway.example.org"')
      expect(accessibility).toContain('href="tel:01634306000"')
      expect(accessibility).toContain('Medway Participation Team is committed to making its website accessible')

      const privacy = await textOf(await service.client().get('/privacy'))
      expect(privacy).toContain('Medway Council is the data controller')
      expect(privacy).toContain('Sam Jones, Data Protection Officer')
      expect(privacy).toContain('href="mailto:dpo@medway.example.org"')

      const young = await textOf(await service.client().get('/adoptables/privacy'))
      expect(young).toContain('Medway Council')
      expect(young).toContain('href="mailto:join-in-team@medway.example.org"')
    })
  })

  describe('accessibility statement', () => {
    it('follows the GOV.UK model: status against WCAG 2.2 AA, what is not accessible, testing, reporting, enforcement, dates', async () => {
      const response = await service.client().get('/accessibility')
      expect(response.status).toBe(200)
      const page = await textOf(response)
      for (const heading of [
        'Accessibility statement for Join In',
        'How accessible this website is',
        'Feedback and contact information',
        'Reporting accessibility problems with this website',
        'Enforcement procedure',
        'Technical information about this website’s accessibility',
        'Compliance status',
        'Non-accessible content',
        'What we’re doing to improve accessibility',
        'Preparation of this accessibility statement',
      ]) {
        expect(page, heading).toContain(heading)
      }
      expect(page).toContain(
        'This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard',
      )
      expect(page).not.toContain('fully compliant')
      expect(page).toContain('Equality and Human Rights Commission')
      expect(page).toContain('href="https://www.equalityadvisoryservice.com/"')
      expect(page).toContain(
        'Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018',
      )
      expect(page).toContain('This statement was prepared on 1 December 2026. It was last reviewed on 1 December 2026.')
      // What the tests really do, and what they found not yet right.
      expect(page).toContain('axe-core')
      expect(page).toContain('375 pixels')
      expect(page).toContain('keyboard focus moves to the list of problems')
      expect(page).toContain('href="/service-feedback"')
    })
  })

  describe('privacy notice', () => {
    it('names the lawful bases, what is kept and who sees it, the rights and the ICO', async () => {
      const page = await textOf(await service.client().get('/privacy'))
      for (const text of [
        'Article 6(1)(e)',
        'public task',
        'Article 9(2)(g)',
        'Schedule 1',
        'Article 6(1)(a)',
        'support needs',
        'date of birth',
        'council area',
        'Who sees your information',
        'Your rights',
        'href="https://ico.org.uk/make-a-complaint/"',
        '0303 123 1113',
        'href="/adoptables/privacy"',
      ]) {
        expect(page, text).toContain(text)
      }
    })

    it('says the retention period the setting holds, on both versions', async () => {
      expect((await admin.post('/staff/settings', { intent: 'save-retention', retentionMonths: '37' })).status).toBe(
        302,
      )
      const privacy = await textOf(await service.client().get('/privacy'))
      expect(privacy).toContain('37 months after the session')
      const young = await textOf(await service.client().get('/adoptables/privacy'))
      expect(young).toContain('37 months after your last meeting')
      expect(young).not.toContain('24 months')
    })

    it('gives young people a short version that speaks to them', async () => {
      const page = await textOf(await service.client().get('/adoptables/privacy'))
      expect(page).toContain('What we do with your details')
      expect(page).toContain('You can ask us')
      expect(page).toContain('href="https://ico.org.uk/make-a-complaint/"')
      expect(page).toContain('href="/privacy"')
    })
  })

  describe('booking without a consent tick box', () => {
    it('books a place without "I agree to how my details are used"', async () => {
      const activityId = await publishActivity(service, { title: 'No tick box' })
      const form = bookingForm([{ firstName: 'Ada', dob: dobForAge(8) }])
      expect(form).not.toHaveProperty('terms')
      const response = await confirmBooking(service.client(), activityId, [{ firstName: 'Ada', dob: dobForAge(8) }])
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toMatch(/^\/bookings\/JN-[A-Z0-9]{5}\?token=/)
    })

    it('states the basis and links the privacy notice beside the form instead', async () => {
      const activityId = await publishActivity(service, { title: 'Basis stated' })
      const page = await textOf(await service.client().get(`/activities/${activityId}`))
      expect(page).not.toContain('I agree to how my details are used')
      expect(page).not.toContain('name="terms"')
      expect(page).toContain('as part of its public task')
      expect(page).toContain('href="/privacy"')
    })

    it('links the privacy notice beside every public form that collects personal details', async () => {
      const meetingId = await publishActivity(service, {
        kind: 'adoptables',
        title: 'Basis meeting',
        minAge: '12',
        maxAge: '18',
      })
      for (const path of [`/adoptables/join?meeting=${meetingId}`, '/mailing-list', '/service-feedback']) {
        const page = await textOf(await service.client().get(path))
        expect(page, path).toMatch(/href="\/(adoptables\/)?privacy"[^>]*>[^<]*(How we use|What we do with)/)
      }
    })
  })

  describe('contact on every page', () => {
    it('offers the team’s email and phone as mailto: and tel: links on public, staff, error and form pages', async () => {
      const activityId = await publishActivity(service, { title: 'Contact links' })
      const staff = await service.signedIn('staff')
      const pages: Array<[string, Promise<Response>]> = [
        ['home', service.client().get('/')],
        ['activity', service.client().get(`/activities/${activityId}`)],
        ['adoptables', service.client().get('/adoptables')],
        ['mailing list', service.client().get('/mailing-list')],
        ['not found', service.client().get('/no-such-page')],
        ['sign in', service.client().get('/staff/sign-in')],
        ['staff dashboard', staff.get('/staff')],
        ['form with errors', service.client().post('/mailing-list', { email: '' })],
      ]
      for (const [name, pending] of pages) {
        const page = await textOf(await pending)
        expect(page, name).toContain('href="mailto:join-in-team@medway.example.org"')
        expect(page, name).toContain('href="tel:01634306000"')
        expect(page, name).toContain('01634 306 000')
      }
    })

    it('links the beta banner to the feedback page', async () => {
      const page = await textOf(await service.client().get('/'))
      expect(page).toMatch(/govuk-phase-banner__text[\s\S]*href="\/service-feedback"/)
    })
  })

  describe('feedback on the service', () => {
    it('shows the form', async () => {
      const response = await service.client().get('/service-feedback')
      expect(response.status).toBe(200)
      const page = await textOf(response)
      expect(page).toContain('Give feedback on Join In')
      expect(page).toContain('name="feedback"')
      expect(page).toContain('name="website"')
    })

    it('shows what is wrong beside the field, keeps what was typed and sends nothing', async () => {
      const before = await db().selectFrom('outbox').select('id').where('kind', '=', 'service-feedback').execute()
      const empty = await service.client().post('/service-feedback', { feedback: '  ', email: 'me@example.org' })
      expect(empty.status).toBe(400)
      const page = await textOf(empty)
      expect(page).toContain('There is a problem')
      expect(page).toContain('href="#feedback"')
      expect(page).toContain('id="feedback-error"')
      expect(page).toContain('Enter your feedback')
      expect(page).toMatch(/value="me@example.org"/)

      const bad = await service.client().post('/service-feedback', { feedback: 'Great', email: 'me@' })
      expect(bad.status).toBe(400)
      const badPage = await textOf(bad)
      expect(badPage).toContain('Enter an email address in the correct format, like name@example.com')
      expect(badPage).toContain('>Great</textarea>')

      const long = await service.client().post('/service-feedback', { feedback: 'x'.repeat(1201), email: '' })
      expect(long.status).toBe(400)
      expect(await textOf(long)).toContain('Your feedback must be 1,200 characters or fewer')

      const bot = await service.client().post('/service-feedback', { feedback: 'Buy now', website: 'http://spam' })
      expect(bot.status).toBe(400)

      const after = await db().selectFrom('outbox').select('id').where('kind', '=', 'service-feedback').execute()
      expect(after).toEqual(before)
    })

    it('emails the feedback to the team’s contact address through the outbox', async () => {
      const response = await service.client().post('/service-feedback', {
        feedback: 'The date boxes were hard to use with my screen reader.',
        email: 'Parent@Example.org',
      })
      expect(response.status).toBe(200)
      expect(await textOf(response)).toContain('Thank you for your feedback')
      const emails = await db()
        .selectFrom('outbox')
        .select(['to_address', 'subject', 'text_body'])
        .where('kind', '=', 'service-feedback')
        .execute()
      expect(emails).toHaveLength(1)
      expect(emails[0]!.to_address).toBe('join-in-team@medway.example.org')
      expect(emails[0]!.subject).toBe('Feedback on Join In')
      expect(emails[0]!.text_body).toContain('The date boxes were hard to use with my screen reader.')
      expect(emails[0]!.text_body).toContain('Reply to: parent@example.org')
    })
  })
})

describe('feedback on the service, rate limited', () => {
  let service: TestService
  beforeAll(async () => {
    service = await startTestService({ BOOKING_RATE_LIMIT: '3' })
  })
  afterAll(async () => {
    await service?.close()
  })

  it('answers 429 once one address has sent more than the limit in ten minutes', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      statuses.push((await service.client().post('/service-feedback', { feedback: `Note ${i}`, email: '' })).status)
    }
    expect(statuses[3]).toBe(429)
    const emails = await service.database.db
      .selectFrom('outbox')
      .select('id')
      .where('kind', '=', 'service-feedback')
      .execute()
    expect(emails.length).toBeLessThanOrEqual(3)
  })
})
