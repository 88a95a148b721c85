// "Your family": the family's details and children kept once, with consents and the date each
// answer was given, against the real server. A family sees and changes only its own children;
// bad input is answered beside the field with what was typed kept, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testClock } from '../support/clock'
import { createFamily, signInFamilyDirectly } from '../support/family'
import { MEDWAY } from '../support/seed-quarter'
import { startTestService, type HttpClient, type TestService } from '../support/service'

// Midday in London on a fixed day, so the dates shown are known whatever the machine's zone.
const clock = testClock('2026-04-03T11:00:00.000Z')
let service: TestService

beforeAll(async () => {
  service = await startTestService({}, { now: clock.now })
})

afterAll(async () => {
  await service?.close()
})

const db = () => service.database.db

async function signedInFamily(spec: Parameters<typeof createFamily>[1] = {}) {
  const family = await createFamily(db(), spec)
  const client = service.client()
  await signInFamilyDirectly(db(), client, family.familyId)
  return { ...family, client }
}

function childForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    firstName: 'Ava',
    'dob-day': '3',
    'dob-month': '4',
    'dob-year': '2018',
    supportNeeds: '',
    consentPhotos: 'yes',
    consentNameVisible: 'no',
    ...overrides,
  }
}

async function childrenOf(familyId: number) {
  return db().selectFrom('child').selectAll().where('family_id', '=', familyId).orderBy('id').execute()
}

async function page(client: HttpClient, path: string): Promise<string> {
  const response = await client.get(path)
  expect(response.status, path).toBe(200)
  return response.text()
}

describe('your family', () => {
  it('shows the details, with the email address shown and not editable', async () => {
    const { client } = await signedInFamily({
      email: 'shown@example.org',
      contactName: 'Sam Carer',
      phone: '01632 960 001',
      emergencyPhone: '07700 900 982',
    })
    const html = await page(client, '/family')
    expect(html).toContain('<h1 class="govuk-heading-l">Your family</h1>')
    expect(html).toContain('shown@example.org')
    expect(html).toContain('Sam Carer')
    expect(html).toContain('01632 960 001')
    expect(html).toContain('07700 900 982')
    expect(html).toContain('Kent')
    expect(html).toContain('brothers and sisters on a waiting list are given places together')
    const details = await page(client, '/family/details')
    expect(details).toContain('shown@example.org')
    expect(details).not.toContain('name="email"')
  })

  it('changes the details, the council and places separately; bad input keeps what was typed', async () => {
    const { client, familyId } = await signedInFamily({ contactName: 'Before Name' })
    const bad = await client.post('/family/details', {
      contactName: '',
      phone: 'call me',
      emergencyPhone: 'ring the office',
      authority: 'NOT-A-COUNCIL',
      placesSeparately: 'yes',
    })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('There is a problem')
    expect(badHtml).toContain('href="#contactName">Enter your full name')
    expect(badHtml).toContain('href="#phone">Enter a telephone number, like 01632 960 001 or 07700 900 982')
    // both phone numbers wrong: each message says which
    expect(badHtml).toContain(
      'href="#emergencyPhone">Enter the emergency phone number as a telephone number, like 01632 960 001 or 07700 900 982',
    )
    expect(badHtml).toContain('href="#authority">Select a council area from the list')
    expect(badHtml).toContain('value="call me"')
    expect(badHtml).toContain('<title>Error: Your details – Join In</title>')

    const saved = await client.post('/family/details', {
      contactName: 'After Name',
      phone: '',
      emergencyPhone: '07700 900 123',
      authority: MEDWAY,
      placesSeparately: 'yes',
    })
    expect(saved.status).toBe(302)
    expect(saved.headers.get('location')).toBe('/family?done=details')
    const row = await db().selectFrom('family').selectAll().where('id', '=', familyId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      contact_name: 'After Name',
      phone: null,
      emergency_phone: '07700 900 123',
      authority_code: MEDWAY,
      places_separately: 1,
    })
    const html = await page(client, '/family?done=details')
    expect(html).toContain('Your details have been saved')
    expect(html).toContain('Medway')
  })

  it('adds a child with consents dated the day they were given, shown in words', async () => {
    const { client, familyId } = await signedInFamily()
    const added = await client.post('/family/children/new', childForm({ supportNeeds: 'Likes to sit near the front' }))
    expect(added.status).toBe(302)
    expect(added.headers.get('location')).toBe('/family?done=child-added')
    const [child] = await childrenOf(familyId)
    expect(child).toMatchObject({
      first_name: 'Ava',
      date_of_birth: '2018-04-03',
      match_key: 'ava|2018-04-03',
      support_needs: 'Likes to sit near the front',
      consent_photos: 1,
      consent_name_visible: 0,
      consent_camera: null,
      consent_camera_at: null,
    })
    expect(child!.consent_photos_at).toBe(child!.consent_name_visible_at)
    expect(child!.consent_photos_at!.slice(0, 10)).toBe('2026-04-03')
    const html = await page(client, '/family')
    expect(html).toContain('3 April 2018')
    expect(html).toContain('Yes, given on 3 April 2026')
    expect(html).toContain('No, given on 3 April 2026')
    expect(html).toContain('Not answered')
    expect(html).toContain(`href="/family/children/${child!.id}#consentCamera"`)
  })

  it('changes a consent: only that answer gets a new date', async () => {
    const { client, familyId } = await signedInFamily()
    await client.post('/family/children/new', childForm())
    const [before] = await childrenOf(familyId)
    clock.advance(5 * 86_400_000)
    const edit = await page(client, `/family/children/${before!.id}`)
    expect(edit).toContain('Answer given on 3 April 2026')
    expect(edit).toContain('value="Ava"')
    const saved = await client.post(
      `/family/children/${before!.id}`,
      childForm({ consentNameVisible: 'yes', consentCamera: 'no' }),
    )
    expect(saved.status).toBe(302)
    expect(saved.headers.get('location')).toBe('/family?done=child-saved')
    const [after] = await childrenOf(familyId)
    expect(after!.consent_photos).toBe(1)
    expect(after!.consent_photos_at).toBe(before!.consent_photos_at)
    expect(after!.consent_name_visible).toBe(1)
    expect(after!.consent_name_visible_at!.slice(0, 10)).toBe('2026-04-08')
    expect(after!.consent_camera).toBe(0)
    expect(after!.consent_camera_at!.slice(0, 10)).toBe('2026-04-08')
    const html = await page(client, '/family')
    expect(html).toContain('Yes, given on 3 April 2026')
    expect(html).toContain('Yes, given on 8 April 2026')
    expect(html).toContain('No, given on 8 April 2026')
  })

  it('refuses the same child twice in one family beside the name, but not in two families', async () => {
    const { client, familyId } = await signedInFamily()
    expect((await client.post('/family/children/new', childForm())).status).toBe(302)
    const twice = await client.post('/family/children/new', childForm({ firstName: '  AVA ' }))
    expect(twice.status).toBe(400)
    const html = await twice.text()
    expect(html).toContain('href="#firstName">AVA is already in your family')
    expect(html).toContain('id="firstName-error"')
    expect(await childrenOf(familyId)).toHaveLength(1)
    // Changing another child into the same one is refused too.
    await client.post('/family/children/new', childForm({ firstName: 'Ben', 'dob-year': '2016' }))
    const [, ben] = await childrenOf(familyId)
    const into = await client.post(`/family/children/${ben!.id}`, childForm())
    expect(into.status).toBe(400)
    expect(await into.text()).toContain('Ava is already in your family')
    // Another family has its own Ava with the same date of birth: two children.
    const other = await signedInFamily()
    expect((await other.client.post('/family/children/new', childForm())).status).toBe(302)
    expect(await childrenOf(other.familyId)).toHaveLength(1)
  })

  it('answers bad input beside each field and keeps what was typed', async () => {
    const { client, familyId } = await signedInFamily()
    const bad = await client.post('/family/children/new', {
      firstName: '',
      'dob-day': '31',
      'dob-month': '2',
      'dob-year': '2019',
      supportNeeds: 'Quiet room please',
      consentPhotos: 'maybe',
    })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('href="#firstName">Enter their first name')
    expect(html).toContain('href="#dob-day">Their date of birth must be a real date')
    expect(html).toContain('href="#consentPhotos">Select yes or no')
    expect(html).toContain('value="31"')
    expect(html).toContain('Quiet room please')
    const future = await client.post('/family/children/new', childForm({ 'dob-year': '2027' }))
    expect(future.status).toBe(400)
    expect(await future.text()).toContain('Date of birth must be in the past')
    const long = await client.post('/family/children/new', childForm({ firstName: 'x'.repeat(51) }))
    expect(long.status).toBe(400)
    expect(await long.text()).toContain('First name must be 50 characters or fewer')
    expect(await childrenOf(familyId)).toHaveLength(0)
  })

  it('finds only the family’s own children: another family’s child is 404, to see, change or remove', async () => {
    const owner = await signedInFamily({ children: [{ firstName: 'Cara', dob: '2017-06-01' }] })
    const childId = owner.childIds[0]!
    const stranger = await signedInFamily()
    expect((await stranger.client.get(`/family/children/${childId}`)).status).toBe(404)
    expect((await stranger.client.post(`/family/children/${childId}`, childForm())).status).toBe(404)
    expect((await stranger.client.get(`/family/children/${childId}/remove`)).status).toBe(404)
    expect((await stranger.client.post(`/family/children/${childId}/remove`, {})).status).toBe(404)
    expect((await stranger.client.get('/family/children/not-a-number')).status).toBe(404)
    expect((await stranger.client.get('/family/children/99999999999999999999')).status).toBe(404)
    const [cara] = await childrenOf(owner.familyId)
    expect(cara!.first_name).toBe('Cara')
    expect(await stranger.client.get('/family').then((r) => r.text())).not.toContain('Cara')
  })

  it('removes a child after a check page that says booked places are not cancelled', async () => {
    const { client, familyId, childIds } = await signedInFamily({
      children: [
        { firstName: 'Dev', dob: '2016-01-02' },
        { firstName: 'Esme', dob: '2019-05-06' },
      ],
    })
    const check = await page(client, `/family/children/${childIds[0]}/remove`)
    expect(check).toContain('Are you sure you want to remove Dev?')
    expect(check).toContain('This does not cancel any places already booked')
    // The check page changes nothing.
    expect(await childrenOf(familyId)).toHaveLength(2)
    const removed = await client.post(`/family/children/${childIds[0]}/remove`, {})
    expect(removed.status).toBe(302)
    expect(removed.headers.get('location')).toBe('/family?done=child-removed')
    const left = await childrenOf(familyId)
    expect(left.map((c) => c.first_name)).toEqual(['Esme'])
    expect((await client.get(`/family/children/${childIds[0]}`)).status).toBe(404)
  })
})
