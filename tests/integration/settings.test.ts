import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../../app/auth/tokens.server'
import { listAuthorities } from '../../app/domain/authorities.server'
import { addDays, londonDateOf } from '../../app/time/london-time'
import { rangePeriod } from '../../app/domain/quarters'
import { computeReport } from '../../app/domain/reports.server'
import { confirmBooking, dobForAge, publishActivity } from '../support/booking'
import { startTestService, type HttpClient, type TestService } from '../support/service'

const GOOD_BANDS = {
  bandCount: '3',
  'minAge-0': '0',
  'maxAge-0': '9',
  'minAge-1': '10',
  'maxAge-1': '15',
  'minAge-2': '16',
  'maxAge-2': '',
}

function bandsForm(overrides: Record<string, string> = {}) {
  return { intent: 'save-age-bands', ...GOOD_BANDS, ...overrides }
}

/** From today to two months ahead: takes in every activityForm() session (30 days ahead). */
function feedRange(): string {
  const today = londonDateOf(new Date())
  return `from=${today}&to=${addDays(today, 60)}`
}

function csvLines(body: string): string[][] {
  return body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((line) => line.split(','))
}

describe('settings and the report feed', () => {
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
  const auditRows = (action: string) =>
    db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute()
  const bandLabels = async () =>
    (await db().selectFrom('age_band').select('label').orderBy('min_age').execute()).map((b) => b.label)

  async function createToken(name: string): Promise<string> {
    const response = await admin.post('/staff/api-tokens', { intent: 'create', name })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const page = await response.text()
    expect(page).toContain('Copy this token now')
    const match = /jin_[A-Za-z0-9_-]{43}/.exec(page)
    if (!match) throw new Error('no token on the page')
    return match[0]
  }

  describe('only administrators', () => {
    for (const path of ['/staff/settings', '/staff/api-tokens']) {
      it(`refuses staff and viewers ${path} with 403, for GET and POST, and changes nothing`, async () => {
        const before = await bandLabels()
        for (const role of ['staff', 'viewer'] as const) {
          const client = await service.signedIn(role)
          expect((await client.get(path)).status).toBe(403)
          const posts = [
            await client.post(path, bandsForm()),
            await client.post(path, { intent: 'save-partners', partners: ['E09000006'] }),
            await client.post(path, { intent: 'create', name: 'Sneaky' }),
            await client.post(path, { intent: 'revoke', id: '1' }),
          ]
          expect(posts.map((r) => r.status)).toEqual([403, 403, 403, 403])
        }
        expect(await bandLabels()).toEqual(before)
        expect(await db().selectFrom('api_token').selectAll().where('name', '=', 'Sneaky').execute()).toHaveLength(0)
      })
    }

    it('sends signed-out people to sign in', async () => {
      const response = await service.client().get('/staff/settings')
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/staff/sign-in?redirectTo=%2Fstaff%2Fsettings')
      expect((await service.client().post('/staff/api-tokens', { intent: 'create', name: 'x' })).status).toBe(302)
    })

    it('shows an administrator every section', async () => {
      const response = await admin.get('/staff/settings')
      expect(response.status).toBe(200)
      const page = await response.text()
      for (const text of [
        'Age bands',
        'Partner councils',
        'Reporting year',
        'Wording and limits',
        'name="minAge-5"',
        'value="19"',
      ]) {
        expect(page).toContain(text)
      }
    })
  })

  describe('age bands', () => {
    it('adds a row without JavaScript, keeping what was typed', async () => {
      const response = await admin.post('/staff/settings', { ...GOOD_BANDS, 'minAge-1': '11', intent: 'add-band' })
      expect(response.status).toBe(200)
      const page = await response.text()
      expect(page).toContain('id="minAge-3"')
      expect(page).toContain('name="bandCount" value="4"')
      expect(page).toMatch(/id="minAge-1"[^>]*value="11"|value="11"[^>]*id="minAge-1"/)
    })

    it('shows what is wrong beside each band, keeps what was typed and changes nothing', async () => {
      const before = await bandLabels()
      const audits = (await auditRows('settings.age-bands-changed')).length
      const response = await admin.post('/staff/settings', bandsForm({ 'minAge-1': '12', 'maxAge-2': '25' }))
      expect(response.status).toBe(400)
      const page = await response.text()
      expect(page).toContain('There is a problem')
      expect(page).toContain('href="#minAge-1"')
      expect(page).toContain('Band 2 must start at 10, the year after band 1 ends, so no age is left out')
      expect(page).toContain('Leave the oldest age in the last band empty')
      expect(page).toContain('id="minAge-1-error"')
      expect(page).toMatch(/value="12"/)
      expect(await bandLabels()).toEqual(before)
      expect(await auditRows('settings.age-bands-changed')).toHaveLength(audits)

      const overlap = await admin.post('/staff/settings', bandsForm({ 'minAge-1': '8' }))
      expect(overlap.status).toBe(400)
      expect(await overlap.text()).toContain('Band 2 overlaps band 1')
      const words = await admin.post('/staff/settings', bandsForm({ 'maxAge-0': 'nine' }))
      expect(await words.text()).toContain('The oldest age in band 1 must be a whole number, like 8')
      expect(await bandLabels()).toEqual(before)
    })

    it('saves valid bands, audited, and the report counts spaces in them', async () => {
      const activityId = await publishActivity(service, { title: 'Band test', minAge: '5', maxAge: '11' })
      const parent = service.client()
      const booked = await confirmBooking(parent, activityId, [
        { firstName: 'Ada', dob: dobForAge(6) },
        { firstName: 'Ben', dob: dobForAge(9) },
        { firstName: 'Cy', dob: dobForAge(11) },
      ])
      expect(booked.status).toBeLessThan(400)

      const response = await admin.post('/staff/settings', bandsForm())
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/staff/settings?saved=age-bands')
      expect(await (await admin.get('/staff/settings?saved=age-bands')).text()).toContain('Age bands saved')
      expect(await bandLabels()).toEqual(['0 to 9', '10 to 15', '16 and over'])
      const [audit] = (await auditRows('settings.age-bands-changed')).slice(-1)
      expect(JSON.parse(audit!.detail!)).toEqual({
        before: ['0 to 4', '5 to 7', '8 to 11', '12 to 15', '16 to 18', '19 and over'],
        after: ['0 to 9', '10 to 15', '16 and over'],
      })

      const today = londonDateOf(new Date())
      const report = await computeReport(db(), rangePeriod(today, addDays(today, 60)), { cut: 'age-band' })
      expect(report.byAgeGroup.map((g) => [g.label, g.value])).toEqual([
        ['0 to 9', 2],
        ['10 to 15', 1],
        ['16 and over', 0],
      ])

      const token = await createToken('Band check')
      const feed = await service.client().get(`/api/reports.csv?${feedRange()}`, { Authorization: `Bearer ${token}` })
      expect(feed.status).toBe(200)
      const rows = csvLines(await feed.text())
      const byAge = rows.filter((r) => r[1] === 'spaces_by_age_group').map((r) => [r[2], r[3]])
      expect(byAge).toEqual([
        ['0 to 9', '2'],
        ['10 to 15', '1'],
        ['16 and over', '0'],
      ])
    })
  })

  describe('partners, reporting year and wording', () => {
    it('moves new partner councils to the top of the list at once, audited', async () => {
      const partnerNames = async () =>
        (await db().selectFrom('authority').select('name').where('is_partner', '=', 1).orderBy('name').execute()).map(
          (a) => a.name,
        )
      expect(await partnerNames()).toEqual(['Bexley', 'Kent', 'Medway'])
      // The booking page reads the server's cached list: load it first so the cache is warm.
      const activityPage = `/activities/${await publishActivity(service, { title: 'Partners first' })}`
      const bromleyFirst = (page: string) => page.indexOf('>Bromley<') < page.indexOf('>Barking and Dagenham<')
      expect(bromleyFirst(await (await service.client().get(activityPage)).text())).toBe(false)

      const response = await admin.post('/staff/settings', {
        intent: 'save-partners',
        partners: ['E10000016', 'E09000006'],
      })
      expect(response.status).toBe(302)
      expect(await partnerNames()).toEqual(['Bromley', 'Kent'])
      // (this test process has its own copy of the module and so its own, empty, cache)
      const after = await listAuthorities(db())
      expect(after.slice(0, 3).map((a) => [a.name, a.isPartner])).toEqual([
        ['Bromley', true],
        ['Kent', true],
        ['Barking and Dagenham', false],
      ])
      // the server's cache was dropped: the very next booking page lists Bromley among the partners
      expect(bromleyFirst(await (await service.client().get(activityPage)).text())).toBe(true)
      const [audit] = (await auditRows('settings.partners-changed')).slice(-1)
      expect(JSON.parse(audit!.detail!)).toEqual({ before: ['Bexley', 'Kent', 'Medway'], after: ['Bromley', 'Kent'] })
    })

    it('refuses no partners, or a council that is not on the English list, and changes nothing', async () => {
      const partners = async () => (await listAuthorities(db())).filter((a) => a.isPartner).map((a) => a.code)
      const before = await partners()
      const none = await admin.post('/staff/settings', { intent: 'save-partners' })
      expect(none.status).toBe(400)
      expect(await none.text()).toContain('Select at least one partner council')
      const wales = await admin.post('/staff/settings', {
        intent: 'save-partners',
        partners: ['E10000016', 'W92000004'],
      })
      expect(wales.status).toBe(400)
      expect(await partners()).toEqual(before)
    })

    it('saves the month the reporting year starts, and refuses a thirteenth month', async () => {
      expect((await admin.post('/staff/settings', { intent: 'save-quarter', quarterFirstMonth: '13' })).status).toBe(
        400,
      )
      const response = await admin.post('/staff/settings', { intent: 'save-quarter', quarterFirstMonth: '1' })
      expect(response.status).toBe(302)
      const row = await db()
        .selectFrom('setting')
        .select('value')
        .where('key', '=', 'quarter_first_month')
        .executeTakeFirstOrThrow()
      expect(row.value).toBe('1')
      expect(await auditRows('settings.quarter-first-month-changed')).toHaveLength(1)
      await admin.post('/staff/settings', { intent: 'save-quarter', quarterFirstMonth: '4' })
    })

    it('saves wording and the children limit, keeping what was typed when the limit is wrong', async () => {
      const wording = {
        intent: 'save-wording',
        eligibilityStatement: 'Adopted children living in Bromley or Kent.',
        bookingTerms: 'Be kind.',
      }
      const wrong = await admin.post('/staff/settings', { ...wording, maxChildrenPerBooking: '11' })
      expect(wrong.status).toBe(400)
      const page = await wrong.text()
      expect(page).toContain('The most children one booking can include must be between 1 and 10')
      expect(page).toContain('Adopted children living in Bromley or Kent.')
      expect(
        await db().selectFrom('setting').selectAll().where('key', '=', 'eligibility_statement').execute(),
      ).toHaveLength(0)

      expect((await admin.post('/staff/settings', { ...wording, maxChildrenPerBooking: '3' })).status).toBe(302)
      const settings = await db()
        .selectFrom('setting')
        .select(['key', 'value'])
        .where('key', 'in', ['eligibility_statement', 'max_children_per_booking'])
        .orderBy('key')
        .execute()
      expect(settings).toEqual([
        { key: 'eligibility_statement', value: 'Adopted children living in Bromley or Kent.' },
        { key: 'max_children_per_booking', value: '3' },
      ])
      const [audit] = await auditRows('settings.wording-changed')
      expect(JSON.parse(audit!.detail!)).toMatchObject({ maxChildrenPerBooking: { before: 6, after: 3 } })
      const id = await publishActivity(service, { title: 'Wording shown' })
      expect(await (await service.client().get(`/activities/${id}`)).text()).toContain(
        'Adopted children living in Bromley or Kent.',
      )
    })
  })

  describe('API tokens and the Power BI feed', () => {
    it('stores only a hash, shows the token once, and lists it with when it was last used', async () => {
      const token = await createToken('Power BI dashboard')
      const row = await db()
        .selectFrom('api_token')
        .selectAll()
        .where('name', '=', 'Power BI dashboard')
        .executeTakeFirstOrThrow()
      expect(row.token_hash).toBe(hashToken(token))
      expect(JSON.stringify(await db().selectFrom('api_token').selectAll().execute())).not.toContain(token)
      expect(JSON.stringify(await db().selectFrom('audit_log').selectAll().execute())).not.toContain(token)
      const list = await (await admin.get('/staff/api-tokens')).text()
      expect(list).toContain('Power BI dashboard')
      expect(list).not.toContain(token)
      expect(
        (await auditRows('api-token.created')).some((a) => JSON.parse(a.detail!).name === 'Power BI dashboard'),
      ).toBe(true)
      const empty = await admin.post('/staff/api-tokens', { intent: 'create', name: '  ' })
      expect(empty.status).toBe(400)
      expect(await empty.text()).toContain('Enter a name for the token')
    })

    it('serves the CSV to a token, audits each use, and refuses it once revoked', async () => {
      const token = await createToken('Quarterly refresh')
      const feed = await service
        .client()
        .get('/api/reports.csv?quarter=2025-26%20Q3', { Authorization: `Bearer ${token}` })
      expect(feed.status).toBe(200)
      expect(feed.headers.get('content-type')).toBe('text/csv; charset=utf-8')
      expect(feed.headers.get('cache-control')).toBe('no-store')
      const bytes = new Uint8Array(await feed.arrayBuffer())
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const body = new TextDecoder().decode(bytes.slice(3))
      expect(body.split('\r\n')[0]).toBe('period,measure,dimension,value')
      expect(body).toContain('2025-26 Q3,spaces_booked,,0')
      // the partner councils are listed even at 0
      expect(body).toContain('2025-26 Q3,spaces_by_authority,Bromley,0')

      const viaQuery = await service.client().get(`/api/reports.csv?token=${token}`)
      expect(viaQuery.status).toBe(200)
      expect(await viaQuery.text()).toContain('period,measure,dimension,value')

      const row = await db()
        .selectFrom('api_token')
        .selectAll()
        .where('name', '=', 'Quarterly refresh')
        .executeTakeFirstOrThrow()
      expect(row.last_used_at).not.toBeNull()
      const uses = (await auditRows('api.report-feed')).filter((a) => a.subject_id === String(row.id))
      expect(uses).toHaveLength(2)
      expect(JSON.parse(uses[0]!.detail!)).toMatchObject({
        token: 'Quarterly refresh',
        period: '2025-26 Q3',
        via: 'header',
      })
      expect(JSON.parse(uses[1]!.detail!)).toMatchObject({ token: 'Quarterly refresh', via: 'query' })
      expect(uses[0]!.subject_type).toBe('api_token')

      const revoke = await admin.post('/staff/api-tokens', { intent: 'confirm-revoke', id: String(row.id) })
      expect(revoke.status).toBe(302)
      expect((await auditRows('api-token.revoked')).map((a) => a.subject_id)).toContain(String(row.id))
      const revoked = await service.client().get('/api/reports.csv', { Authorization: `Bearer ${token}` })
      expect(revoked.status).toBe(401)
      expect(revoked.headers.get('www-authenticate')).toContain('Bearer')
      expect(revoked.headers.get('www-authenticate')).toContain('invalid_token')
      expect((await auditRows('api.report-feed')).filter((a) => a.subject_id === String(row.id))).toHaveLength(2)
      expect(await (await admin.get('/staff/api-tokens')).text()).toContain('Revoked')
    })

    it('answers 401 with a Bearer challenge, never a redirect, without a token or with a wrong one', async () => {
      const refusedBefore = (await auditRows('api.report-feed-refused')).length
      const attempts = [
        await service.client().get('/api/reports.csv'),
        await service.client().get('/api/reports.csv', { Authorization: 'Bearer jin_not-a-real-token' }),
        await service.client().get('/api/reports.csv', { Authorization: `Bearer jin_${'A'.repeat(43)}` }),
        await service.client().get(`/api/reports.csv?token=jin_${'B'.repeat(43)}`),
        await service.client().get('/api/reports.csv', { Authorization: 'Basic dXNlcjpwYXNz' }),
      ]
      for (const response of attempts) {
        expect(response.status).toBe(401)
        expect(response.headers.get('location')).toBeNull()
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /)
        expect(response.headers.get('cache-control')).toBe('no-store')
      }
      expect(attempts[0]!.headers.get('www-authenticate')).not.toContain('error=')
      expect((await auditRows('api.report-feed-refused')).length).toBe(refusedBefore + attempts.length)
      // a signed-in admin's cookie is not a token
      expect((await admin.get('/api/reports.csv')).status).toBe(401)
    })

    it('says what is wrong with a period it cannot read', async () => {
      const token = await createToken('Period check')
      const auth = { Authorization: `Bearer ${token}` }
      const bad = await service.client().get('/api/reports.csv?quarter=Q3%202025', auth)
      expect(bad.status).toBe(400)
      expect(await bad.text()).toContain('Give the quarter like 2025-26 Q3')
      expect((await service.client().get('/api/reports.csv?from=2025-10-01', auth)).status).toBe(400)
      expect((await service.client().get('/api/reports.csv?from=2025-10-01&to=2025-09-01', auth)).status).toBe(400)
      expect((await service.client().get('/api/reports.csv?from=0025-10-01&to=2025-12-31', auth)).status).toBe(400)
      expect((await service.client().get('/api/reports.csv?quarter=2025-26%20Q3&from=2025-10-01', auth)).status).toBe(
        400,
      )
      const range = await service.client().get('/api/reports.csv?from=2025-10-01&to=2025-12-31', auth)
      expect(range.status).toBe(200)
      expect(await range.text()).toContain('1 October 2025 to 31 December 2025,activities_held,,0')
    })
  })
})
