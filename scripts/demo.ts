// `npm run demo`: a fresh demo database with a term of activities, Adoptables meetings and
// bookings (made through the real booking code), then the production server on it.
import { execSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { readConfig } from '../app/config.server'
import { databaseKindOf, openDatabase } from '../db/index'
import { parseActivityForm } from '../app/domain/activity-form'
import { createActivities } from '../app/domain/activities.server'
import { book } from '../app/domain/bookings.server'
import { confirmFamilyBooking } from '../app/domain/family-confirmation.server'
import { recordFeedback } from '../app/domain/feedback.server'
import { bookMeeting, registerMember } from '../app/domain/members.server'
import { saveAttendance } from '../app/domain/register.server'
import { addDays, londonDateOf } from '../app/time/london-time'
import { createStaffUser } from '../app/domain/staff.server'
import { confirmTwoFactor } from '../app/domain/staff-accounts.server'
import { twoFactorSetup } from '../app/domain/staff-security.server'
import { secretBoxFor } from '../app/auth/secret-box.server'
import { formatSecretForTyping } from '../app/auth/totp.server'
import { Secret, TOTP } from 'otpauth'
import { uidDomain } from '../app/calendar/ics.server'
import { prepareDatabase, startService } from '../server/boot'

process.env.NODE_ENV ??= 'production'
const root = path.resolve(import.meta.dirname, '..')
const buildFile = path.join(root, 'build/server/index.js')
if (!fs.existsSync(buildFile)) execSync('npm run build', { cwd: root, stdio: 'inherit' })

const databaseUrl = process.env.DATABASE_URL ?? './data/demo.sqlite'
const onPostgres = databaseKindOf(databaseUrl) === 'postgres'
if (onPostgres) {
  // A file is the demo's own to delete; a PostgreSQL database may not be, so it must be empty.
  const probe = openDatabase(databaseUrl)
  const tables = await probe.db.introspection.getTables()
  await probe.db.destroy()
  if (tables.length) {
    console.error(`npm run demo needs an empty PostgreSQL database and ${databaseUrl} has tables: create a new one.`)
    process.exit(1)
  }
} else {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${databaseUrl}${suffix}`, { force: true })
}
const adminEmail = process.env.ADMIN_EMAIL ?? 'admin@example.org'
const adminPassword = process.env.ADMIN_PASSWORD ?? 'demo password for join in'
const config = readConfig({
  ...process.env,
  DATABASE_URL: databaseUrl,
  ADMIN_EMAIL: adminEmail,
  ADMIN_PASSWORD: adminPassword,
  // The demo's data is made up: a fixed key unless one is given.
  SECRET_KEY: process.env.SECRET_KEY ?? 'join-in demo key: made-up data only, not for real use',
  // a production build on this machine: links in the demo's emails point here unless PUBLIC_URL says otherwise
  PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`,
})
const database = await prepareDatabase(config, () => {})
const { db } = database
const staffId = await createStaffUser(db, {
  email: 'staff@example.org',
  name: 'Sam Staff',
  password: 'demo password for staff',
  role: 'staff',
})
await createStaffUser(db, {
  email: 'viewer@example.org',
  name: 'Val Viewer',
  password: 'demo password for viewer',
  role: 'viewer',
})

const TEAMS = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_DEMO%40thread.v2/0'
const today = londonDateOf(new Date())
const sessions: Array<{
  title: string
  category: string
  description: string
  day: number
  start: string
  end: string
  min: number
  max: number
  capacity: number
  repeat?: string
  count?: number
  kind?: string
}> = [
  {
    title: 'Glow-in-the-dark slime',
    category: 'Science experiments',
    description: 'Make slime that glows, with things from the kitchen cupboard.',
    day: 3,
    start: '16:30',
    end: '17:30',
    min: 5,
    max: 11,
    capacity: 15,
  },
  {
    title: 'Meet the reptiles',
    category: 'Animal encounters',
    description: 'A bearded dragon, a corn snake and a tortoise come to visit.',
    day: 5,
    start: '10:00',
    end: '11:00',
    min: 4,
    max: 12,
    capacity: 25,
  },
  {
    title: 'Family bingo',
    category: 'Bingo and quizzes',
    description: 'Bingo for the whole family. Cards are emailed the day before.',
    day: 8,
    start: '18:00',
    end: '19:00',
    min: 5,
    max: 16,
    capacity: 30,
  },
  {
    title: 'Street dance',
    category: 'Dance and music',
    description: 'Learn a short routine with a professional dancer.',
    day: 10,
    start: '16:30',
    end: '17:15',
    min: 7,
    max: 14,
    capacity: 4,
  },
  {
    title: 'Minecraft build challenge',
    category: 'Gaming',
    description: 'Build a dream house in teams, with a gaming mentor.',
    day: 12,
    start: '17:00',
    end: '18:00',
    min: 8,
    max: 15,
    capacity: 12,
  },
  {
    title: 'Christmas cards',
    category: 'Arts and crafts',
    description: 'Pop-up cards with glitter, card and glue.',
    day: 14,
    start: '10:30',
    end: '11:30',
    min: 4,
    max: 11,
    capacity: 20,
    repeat: 'weekly',
    count: 3,
  },
  {
    title: 'Cupcake decorating',
    category: 'Cooking and baking',
    description: 'Bring six plain cupcakes and we will decorate them together.',
    day: 20,
    start: '14:00',
    end: '15:00',
    min: 5,
    max: 12,
    capacity: 18,
  },
  {
    title: 'Adoptables monthly meeting',
    category: 'Adoptables meeting',
    description: 'Talk with other adopted young people about what should change, and plan the next campaign.',
    day: 6,
    start: '18:30',
    end: '19:30',
    min: 12,
    max: 18,
    capacity: 20,
    repeat: 'monthly',
    count: 4,
    kind: 'adoptables',
  },
]

const ids: number[] = []
for (const s of sessions) {
  const date = addDays(today, s.day)
  const [year, month, day] = date.split('-')
  const parsed = parseActivityForm(
    {
      kind: s.kind ?? 'activity',
      title: s.title,
      category: s.category,
      description: s.description,
      'date-day': day!,
      'date-month': month!,
      'date-year': year!,
      startTime: s.start,
      endTime: s.end,
      capacity: String(s.capacity),
      minAge: String(s.min),
      maxAge: String(s.max),
      locationType: 'online',
      joinUrl: TEAMS,
      repeat: s.repeat ?? 'none',
      sessions: String(s.count ?? ''),
    },
    { allowRepeat: true },
  )
  if (!parsed.ok) throw new Error(`demo activity ${s.title}: ${JSON.stringify(parsed.errors)}`)
  const created = await createActivities(db, parsed.value, { publish: true, createdBy: null })
  if (created.status === 'created' && s.kind !== 'adoptables') ids.push(...created.ids)
}

// Families spread like the seed figures: mostly Kent, some Medway and Bexley, a few from London.
const AUTHORITIES = [
  'E10000016',
  'E10000016',
  'E10000016',
  'E10000016',
  'E10000016',
  'E10000016',
  'E06000035',
  'E09000004',
  'E09000011',
  'E09000006',
]
const NAMES = [
  'Ava',
  'Noah',
  'Mia',
  'Leo',
  'Isla',
  'Oscar',
  'Ivy',
  'Arlo',
  'Freya',
  'Theo',
  'Rosie',
  'Alfie',
  'Evie',
  'Jack',
  'Poppy',
  'Finn',
  'Willow',
  'Jude',
  'Elsie',
  'Reggie',
]
const links = {
  baseUrl: config.publicUrl,
  domain: uidDomain(config.publicUrl),
  organisationName: config.organisationName,
}
let made = 0
for (const [n, activityId] of ids.entries()) {
  const activity = await db
    .selectFrom('activity')
    .select(['starts_at', 'min_age', 'max_age', 'capacity'])
    .where('id', '=', activityId)
    .executeTakeFirstOrThrow()
  const families = Math.min(activity.capacity + 2, 3 + ((n * 7) % 9))
  for (let f = 0; f < families; f++) {
    const age = activity.min_age + ((f * 3 + n) % (activity.max_age - activity.min_age + 1))
    const sessionDay = londonDateOf(activity.starts_at)
    const dob = `${Number(sessionDay.slice(0, 4)) - age - 1}-${String(((f + n) % 12) + 1).padStart(2, '0')}-15`
    const result = await book(
      db,
      {
        activityId,
        contactName: `Demo Parent ${f + 1}`,
        email: `parent${f + 1}.${activityId}@example.org`,
        phone: null,
        authorityCode: AUTHORITIES[(f + n) % AUTHORITIES.length]!,
        children: [
          {
            firstName: NAMES[(f + n * 3) % NAMES.length]!,
            dateOfBirth: dob,
            supportNeeds: f % 5 === 0 ? 'Gets anxious in big groups; may keep the camera off.' : null,
          },
        ],
        mailingListOptIn: f % 2 === 0,
        idempotencyKey: `demo-${activityId}-${f}`,
        acceptWaitlist: true,
      },
      links,
      { maxChildren: 6 },
    )
    if (result.status === 'booked') {
      made += 1
      await confirmAsParent(result.reference, new Date(Date.now() + 60_000))
    }
  }
}

// Sessions already held, every fortnight back over the last 24 weeks (this quarter so far and
// all of the last one, whatever today is), so the registers, feedback and reports have figures:
// each was booked before it began, its register taken (most came) and most families answered.
const PAST_SESSIONS = sessions.filter((s) => s.kind !== 'adoptables')
const COMMENTS = ['Loved it, thank you!', 'A bit too short.', null, 'She talked about it all week.', null]
let pastSessions = 0
for (let i = 0; i < 12; i++) {
  const s = PAST_SESSIONS[i % PAST_SESSIONS.length]!
  const held = await pastSession(s, 7 + i * 14, 'activity')
  const activity = await db
    .selectFrom('activity')
    .select(['starts_at', 'min_age', 'max_age', 'capacity'])
    .where('id', '=', held)
    .executeTakeFirstOrThrow()
  const bookedAt = new Date(new Date(activity.starts_at).getTime() - 5 * 86_400_000)
  const families = Math.min(activity.capacity, 4 + ((i * 5) % 7))
  for (let f = 0; f < families; f++) {
    const age = activity.min_age + ((f * 5 + i) % (activity.max_age - activity.min_age + 1))
    const sessionYear = Number(londonDateOf(activity.starts_at).slice(0, 4))
    const result = await book(
      db,
      {
        activityId: held,
        contactName: `Past Parent ${f + 1}`,
        email: `past${f + 1}.${held}@example.org`,
        phone: null,
        authorityCode: AUTHORITIES[(f + i * 3) % AUTHORITIES.length]!,
        children: [
          {
            firstName: NAMES[(f * 7 + i) % NAMES.length]!,
            dateOfBirth: `${sessionYear - age - 1}-${String(((f + i) % 12) + 1).padStart(2, '0')}-10`,
            supportNeeds: null,
          },
        ],
        mailingListOptIn: false,
        idempotencyKey: `demo-past-${held}-${f}`,
        acceptWaitlist: true,
      },
      links,
      { maxChildren: 6, now: bookedAt },
    )
    if (result.status === 'booked') {
      made += 1
      await confirmAsParent(result.reference, new Date(bookedAt.getTime() + 10 * 60_000))
    }
  }
  await takeRegisterAndFeedback(held, i)
  pastSessions += 1
}

// Adoptables meetings already held, each month back over six months, with young people who came.
const YOUNG_PEOPLE = ['Maya', 'Kai', 'Zara', 'Ellis', 'Sami', 'Robin', 'Tia', 'Jordan']
const memberIds: number[] = []
for (let m = 0; m < 6; m++) {
  const meeting = sessions.find((s) => s.kind === 'adoptables')!
  const held = await pastSession(meeting, 20 + m * 30, 'adoptables')
  const { starts_at: startsAt } = await db
    .selectFrom('activity')
    .select('starts_at')
    .where('id', '=', held)
    .executeTakeFirstOrThrow()
  const signedUpAt = new Date(new Date(startsAt).getTime() - 3 * 86_400_000)
  for (const [p, firstName] of YOUNG_PEOPLE.entries()) {
    if ((p + m) % 3 === 2) continue
    if (memberIds[p] === undefined) {
      const year = Number(londonDateOf(startsAt).slice(0, 4)) - 14 - (p % 4)
      const registered = await registerMember(
        db,
        {
          meetingId: held,
          firstName,
          dateOfBirth: `${year}-0${(p % 9) + 1}-12`,
          email: `${firstName.toLowerCase()}.young@example.org`,
          authorityCode: AUTHORITIES[p % AUTHORITIES.length]!,
          notes: null,
          parentEmail: null,
        },
        links,
        signedUpAt,
      )
      if (registered.status === 'registered') memberIds[p] = registered.memberId
    } else {
      await bookMeeting(db, memberIds[p]!, held, links, signedUpAt)
    }
  }
  await takeRegisterAndFeedback(held, m)
}

/**
 * A new family's places are held until its address is proved: the demo parent opens the link in
 * the booking's first email (read from the outbox, as from an inbox) a little later, so the demo's
 * families are confirmed and its places count in the reports.
 */
async function confirmAsParent(reference: string, at: Date): Promise<void> {
  const email = await db
    .selectFrom('outbox')
    .innerJoin('booking', 'booking.id', 'outbox.booking_id')
    .select('outbox.text_body')
    .where('booking.reference', '=', reference)
    .where('outbox.kind', '=', 'held')
    .executeTakeFirst()
  const token = email ? /\/family\/confirm\/([\w-]+)/.exec(email.text_body)?.[1] : undefined
  if (!token) return
  const confirmed = await confirmFamilyBooking(db, token, links, at)
  if (confirmed.status === 'invalid') throw new Error(`demo booking ${reference}: the confirm link was refused`)
}

/** A published session `daysAgo` days before today, made as staff would have made it then. */
async function pastSession(s: (typeof sessions)[number], daysAgo: number, kind: string): Promise<number> {
  const date = addDays(today, -daysAgo)
  const [year, month, day] = date.split('-')
  const parsed = parseActivityForm(
    {
      kind,
      title: s.title,
      category: s.category,
      description: s.description,
      'date-day': day!,
      'date-month': month!,
      'date-year': year!,
      startTime: s.start,
      endTime: s.end,
      capacity: String(s.capacity),
      minAge: String(s.min),
      maxAge: String(s.max),
      locationType: 'online',
      joinUrl: TEAMS,
      repeat: 'none',
      sessions: '',
    },
    { allowRepeat: false, now: new Date(`${addDays(date, -30)}T12:00:00Z`) },
  )
  if (!parsed.ok) throw new Error(`demo past session ${s.title}: ${JSON.stringify(parsed.errors)}`)
  const created = await createActivities(db, parsed.value, { publish: true, createdBy: null })
  if (created.status !== 'created') throw new Error(`demo past session ${s.title}: ${created.status}`)
  return created.ids[0]!
}

/** The register as staff took it (about one in seven did not come), then feedback from most who came. */
async function takeRegisterAndFeedback(activityId: number, n: number): Promise<void> {
  const places = await db
    .selectFrom('place')
    .select('id')
    .where('activity_id', '=', activityId)
    .where('status', '=', 'confirmed')
    .orderBy('id')
    .execute()
  const marks = new Map(places.map((p, i) => [p.id, (i + n) % 7 !== 3]))
  await saveAttendance(db, activityId, marks)
  for (const [i, p] of places.entries()) {
    if (!marks.get(p.id) || (i + n) % 4 === 1) continue
    await recordFeedback(db, p.id, 3 + ((i + n) % 3), COMMENTS[(i + n) % COMMENTS.length]!)
  }
}

// Admin and staff must have two-factor: set it up for them, printing the key for an authenticator
// app and a recovery code for signing in without one.
async function demoTwoFactor(email: string, userId: number): Promise<string> {
  const box = secretBoxFor(config)
  const setup = await twoFactorSetup(db, box, userId)
  if (setup.status !== 'setting-up') throw new Error(`${email} has two-factor on already`)
  const code = TOTP.generate({ secret: Secret.fromBase32(setup.secret) })
  const done = await confirmTwoFactor(db, box, { id: userId, sessionId: '', ip: '127.0.0.1' }, code)
  if (done.status !== 'done') throw new Error(`two-factor set-up for ${email} failed: ${done.status}`)
  return `two-factor key ${formatSecretForTyping(setup.secret)} (or recovery code ${done.codes[0]})`
}
const admin = await db.selectFrom('staff_user').select('id').where('email', '=', adminEmail).executeTakeFirstOrThrow()
const adminTwoFactor = await demoTwoFactor(adminEmail, admin.id)
const staffTwoFactor = await demoTwoFactor('staff@example.org', staffId)
await db.destroy()

// DEMO_SEED_ONLY=1 makes the database and stops: the demo's own test reads what it made.
if (process.env.DEMO_SEED_ONLY === '1') {
  console.log(`Demo data written to ${databaseUrl}: ${pastSessions} past sessions with registers and feedback.`)
  process.exit(0)
}

const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild
const service = await startService(config, build, { log: () => {} })
console.log(`
Join In demo is running at ${service.url}
  ${ids.length} activity sessions, 4 Adoptables meetings and ${made} bookings (one session is full with a waiting list).
  ${pastSessions} sessions and 6 Adoptables meetings already held, with registers and feedback: see last quarter's report.
  Staff sign-in at ${service.url}/staff:
    admin   ${adminEmail} / ${adminPassword}
            ${adminTwoFactor}
    staff   staff@example.org / demo password for staff
            ${staffTwoFactor}
    viewer  viewer@example.org / demo password for viewer
  Admin and staff need a code: add the key to an authenticator app, or use the recovery code once.
  Emails are not sent in the demo: read them at ${service.url}/staff/outbox.
  ${onPostgres ? `The demo data is in ${databaseUrl}; to run the demo again, give it a new, empty database.` : `The demo database (${databaseUrl}) is rebuilt every time you run npm run demo.`}`)
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void service.close().then(() => process.exit(0)))
