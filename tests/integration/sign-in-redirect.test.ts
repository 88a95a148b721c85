// Where sign-in sends people afterwards: only to a path on this service, never to
// another site however the address is disguised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaffUser } from '../../app/domain/staff.server'
import { startTestService, type HttpClient, type TestService } from '../support/service'

let service: TestService
let viewer: HttpClient

beforeAll(async () => {
  service = await startTestService()
  viewer = await service.signedIn('viewer')
})
afterAll(async () => {
  await service?.close()
})

// Each one is what a crafted link could put in ?redirectTo= (decoded), and each is another site
// or not a web address at all to a browser.
const OTHER_SITES = [
  '//evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '\t//evil.example',
  ' //evil.example',
  'https://evil.example/staff',
  'HTTPS:evil.example',
  'http:/evil.example',
  '///evil.example',
  '/\\/evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(document.cookie)',
  'data:text/html,<script>alert(1)</script>',
  'mailto:someone@evil.example',
]

describe('the address sign-in sends a signed-in person to', () => {
  for (const target of OTHER_SITES) {
    it(`is /staff for ${JSON.stringify(target)}`, async () => {
      const response = await viewer.get(`/staff/sign-in?redirectTo=${encodeURIComponent(target)}`)
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/staff')
    })
  }

  it('keeps the path and query of a page on this service', async () => {
    const target = '/staff/reports?period=quarter&quarter=2026-27+Q1&groups=age-bands'
    const response = await viewer.get(`/staff/sign-in?redirectTo=${encodeURIComponent(target)}`)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/staff/reports?period=quarter&quarter=2026-27+Q1&groups=age-bands')
  })

  it('is /staff without a redirectTo', async () => {
    const response = await viewer.get('/staff/sign-in')
    expect(response.headers.get('location')).toBe('/staff')
  })
})

describe('the address sign-in sends someone to once their password is right', () => {
  it('is /staff for another site and the page asked for on this one', async () => {
    const person = { email: 'redirect.viewer@example.org', password: 'a viewer picks a long password' }
    await createStaffUser(service.database.db, { ...person, name: 'Redirect Viewer', role: 'viewer' })
    const tricked = await service.client().post('/staff/sign-in', { ...person, redirectTo: '/\t/evil.example' })
    expect(tricked.status).toBe(302)
    expect(tricked.headers.get('location')).toBe('/staff')
    const asked = await service
      .client()
      .post('/staff/sign-in', { ...person, redirectTo: '/staff/reports?quarter=2026-27+Q1' })
    expect(asked.status).toBe(302)
    expect(asked.headers.get('location')).toBe('/staff/reports?quarter=2026-27+Q1')
  })
})
