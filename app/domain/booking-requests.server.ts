// A parent's post to the booking page, decided: which step of the form comes next, or what
// book() made of the confirmed request. The page's rate limits and honeypot are checked here too,
// so the route only turns each outcome into a page or a redirect.
import crypto from 'node:crypto'
import { z } from 'zod'
import type { DB } from '../../db/index'
import { allow } from '../auth/rate-limit.server'
import { getPublicActivity, type PublicActivity } from './activities.server'
import { londonDateOf } from '../time/london-time'
import { ageOnDay } from './age'
import { authorityGroups, listAuthorities } from './authorities.server'
import { childCountOf, parseBookingForm, type BookingFormValue } from './booking-form'
import { bookingWindowState } from './booking-window'
import { book } from './bookings.server'
import type { Links } from './links'
import { HONEYPOT_FIELD } from './honeypot'
import { getNumberSetting, getSetting } from './settings.server'
import { withoutControlCharacters } from '../text/control-characters'

const RATE_WINDOW_MS = 10 * 60_000
const IDEMPOTENCY_KEY = /^[\w-]{16,64}$/

async function findBookable(db: DB, activityId: number | null) {
  const [activity, authorities, maxChildren] = await Promise.all([
    activityId ? getPublicActivity(db, activityId) : null,
    listAuthorities(db),
    getNumberSetting(db, 'max_children_per_booking'),
  ])
  return activity ? { activity, authorities, maxChildren } : null
}

/** What the booking page shows before anything is posted; null when there is no such public activity. */
export async function bookingPage(db: DB, activityId: number | null) {
  const [bookable, eligibilityStatement, terms, controllerName] = await Promise.all([
    findBookable(db, activityId),
    getSetting(db, 'eligibility_statement'),
    getSetting(db, 'booking_terms'),
    getSetting(db, 'controller_name'),
  ])
  if (!bookable) return null
  return {
    activity: bookable.activity,
    window: bookingWindowState(bookable.activity),
    authorityGroups: authorityGroups(bookable.authorities),
    maxChildren: bookable.maxChildren,
    eligibilityStatement,
    terms,
    controllerName,
  }
}

/** The posted fields as text, bounded so a huge or odd post cannot grow the page it comes back to. */
export function postedValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [key, value] of form)
    if (typeof value === 'string' && key.length < 60) values[key] = withoutControlCharacters(value.slice(0, 5000))
  return values
}

/** Removes child N from the posted values, moving the later children up one. */
export function withoutChild(
  values: Record<string, string>,
  index: number,
  childCount: number,
): Record<string, string> {
  const next = { ...values }
  const fields = ['firstName', 'dob-day', 'dob-month', 'dob-year', 'supportNeeds']
  for (let i = index; i < childCount; i++) {
    for (const f of fields) {
      const later = values[`child-${i + 1}-${f}`]
      if (later === undefined) delete next[`child-${i}-${f}`]
      else next[`child-${i}-${f}`] = later
    }
  }
  next.childCount = String(Math.max(1, childCount - 1))
  return next
}

/** The check-your-answers step: what was typed, and the key that makes a double submit book once. */
export interface CheckState {
  values: Record<string, string>
  childCount: number
  idempotencyKey: string
  spacesLeft: number
  authorityName: string
}

type Refusal = Exclude<
  Awaited<ReturnType<typeof book>>,
  { status: 'booked' | 'already-submitted' | 'not-enough-spaces' | 'not-found' }
>

export type BookingRequestOutcome =
  | { status: 'not-found' }
  | { status: 'too-many-requests' }
  /** the honeypot was filled in: a bot, told nothing useful */
  | { status: 'bot'; values: Record<string, string>; childCount: number }
  /** a child added or removed, or "change" from the check step: the form again */
  | { status: 'form'; values: Record<string, string>; childCount: number }
  | { status: 'invalid'; values: Record<string, string>; childCount: number; errors: Record<string, string> }
  /**
   * the check step; `problem` when confirming could not go ahead: a missing or malformed key, no
   * choice made when there are too few spaces, or spaces gone while they were checking
   */
  | { status: 'check'; check: CheckState; problem?: 'bad-key' | 'choose' | 'spaces-went' }
  /** too few spaces and they chose not to book */
  | { status: 'not-booked'; activityId: number }
  | { status: 'booked'; reference: string; manageToken: string }
  | { status: 'already-submitted'; reference: string }
  /** book() said no: the form again, with the reason */
  | { status: 'refused'; values: Record<string, string>; childCount: number; refusal: Refusal }

export interface BookingRequest {
  activityId: number | null
  values: Record<string, string>
  ip: string
}

export interface BookingRequestOptions {
  links: Links
  /** confirmed bookings per address per 10 minutes; any post is allowed ten times that */
  rateLimit: number
  /** called once book() has run, so the emails it queued go out straight away */
  afterBooking?: () => void
}

/** Decides a post to the booking page: add or remove a child, check the answers, or confirm and book. */
export async function requestBooking(
  db: DB,
  request: BookingRequest,
  options: BookingRequestOptions,
): Promise<BookingRequestOutcome> {
  const page = await findBookable(db, request.activityId)
  if (!page) return { status: 'not-found' }
  const values = { ...request.values }
  const intent = values.intent ?? 'check'
  delete values.intent
  const childCount = childCountOf(values, page.maxChildren)

  if (!(await allow(db, `booking-post:${request.ip}`, options.rateLimit * 10, RATE_WINDOW_MS))) {
    return { status: 'too-many-requests' }
  }
  if (values[HONEYPOT_FIELD]) return { status: 'bot', values, childCount }
  if (intent === 'add-child') {
    const next = Math.min(page.maxChildren, childCount + 1)
    return { status: 'form', values: { ...values, childCount: String(next) }, childCount: next }
  }
  const removeMatch = /^remove-child-(\d+)$/.exec(intent)
  if (removeMatch) {
    const next = withoutChild(values, Number(removeMatch[1]), childCount)
    return { status: 'form', values: next, childCount: Number(next.childCount) }
  }
  if (intent === 'change') return { status: 'form', values, childCount }

  const parsed = parseBookingForm(values, {
    activity: page.activity,
    authorityCodes: new Set(page.authorities.map((a) => a.code)),
    maxChildren: page.maxChildren,
  })
  if (!parsed.ok) return { status: 'invalid', values, childCount, errors: parsed.errors }

  const check = (spacesLeft: number): CheckState => ({
    values,
    childCount,
    idempotencyKey:
      values.idempotencyKey && IDEMPOTENCY_KEY.test(values.idempotencyKey)
        ? values.idempotencyKey
        : crypto.randomUUID(),
    spacesLeft,
    authorityName: page.authorities.find((a) => a.code === parsed.value.authorityCode)?.name ?? '',
  })
  if (intent !== 'confirm') return { status: 'check', check: check(page.activity.spacesLeft) }

  if (!(await allow(db, `booking-confirm:${request.ip}`, options.rateLimit, RATE_WINDOW_MS))) {
    return { status: 'too-many-requests' }
  }
  return confirm(db, page, parsed.value, values, options, { childCount, check })
}

async function confirm(
  db: DB,
  page: NonNullable<Awaited<ReturnType<typeof findBookable>>>,
  form: BookingFormValue,
  values: Record<string, string>,
  options: BookingRequestOptions,
  { childCount, check }: { childCount: number; check: (spacesLeft: number) => CheckState },
): Promise<BookingRequestOutcome> {
  const idempotencyKey = values.idempotencyKey
  if (!idempotencyKey || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    return { status: 'check', check: check(page.activity.spacesLeft), problem: 'bad-key' }
  }
  const short = page.activity.spacesLeft < form.children.length
  if (short && values.whenShort !== 'waitlist' && values.whenShort !== 'nothing') {
    return { status: 'check', check: check(page.activity.spacesLeft), problem: 'choose' }
  }
  if (values.whenShort === 'nothing' && short) return { status: 'not-booked', activityId: page.activity.id }

  const result = await book(
    db,
    { ...form, activityId: page.activity.id, idempotencyKey, acceptWaitlist: values.whenShort === 'waitlist' },
    options.links,
    { maxChildren: page.maxChildren },
  )
  options.afterBooking?.()
  switch (result.status) {
    case 'booked':
      return { status: 'booked', reference: result.reference, manageToken: result.manageToken }
    case 'already-submitted':
      return { status: 'already-submitted', reference: result.reference }
    case 'not-enough-spaces':
      return { status: 'check', check: check(result.spacesLeft), problem: 'spaces-went' }
    case 'not-found':
      return { status: 'not-found' }
    default:
      return { status: 'refused', values, childCount, refusal: result }
  }
}

// ---- booking as a signed-in family: tick children, nothing retyped ----

export interface FamilyChildChoice {
  id: number
  firstName: string
  dateOfBirth: string
  /** why the child cannot be ticked: too young or old on the day, or already on this session */
  reason: string | null
}

/** "5 to 11" or "12" from an activity's age range, for a sentence. */
function agesForSentence(minAge: number, maxAge: number): string {
  return minAge === maxAge ? `${minAge}-year-olds` : `${minAge} to ${maxAge}`
}

/** Why a child of this age on the day cannot come (a single session's or a series date's), or null. */
export function ageReason(
  firstName: string,
  age: number,
  activity: { min_age: number; max_age: number },
): string | null {
  return age < activity.min_age || age > activity.max_age
    ? `${firstName} will be ${age} on the day; this session is for ${agesForSentence(activity.min_age, activity.max_age)}`
    : null
}

/** The family's children for this session, each with the reason it cannot be booked, if any. */
export async function familyChildChoices(
  db: DB,
  familyId: number,
  activity: Pick<PublicActivity, 'id' | 'starts_at' | 'min_age' | 'max_age'>,
): Promise<FamilyChildChoice[]> {
  const [children, places] = await Promise.all([
    db
      .selectFrom('child')
      .select(['id', 'first_name', 'date_of_birth'])
      .where('family_id', '=', familyId)
      .orderBy('date_of_birth')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('place')
      .select(['child_id', 'status'])
      .where('activity_id', '=', activity.id)
      .where('family_id', '=', familyId)
      .where('status', '<>', 'cancelled')
      .execute(),
  ])
  const day = londonDateOf(activity.starts_at)
  return children.map((child) => {
    const age = ageOnDay(child.date_of_birth, day)
    const place = places.find((p) => p.child_id === child.id)
    const reason = place
      ? place.status === 'waitlisted'
        ? `${child.first_name} is already on the waiting list for this session`
        : `${child.first_name} already has a place on this session`
      : ageReason(child.first_name, age, activity)
    return { id: child.id, firstName: child.first_name, dateOfBirth: child.date_of_birth, reason }
  })
}

export interface FamilyCheckState {
  childIds: number[]
  names: string[]
  idempotencyKey: string
  spacesLeft: number
}

export type FamilyBookingOutcome =
  | { status: 'not-found' }
  | { status: 'too-many-requests' }
  | { status: 'invalid'; error: string; childIds: number[] }
  | { status: 'form'; childIds: number[] }
  | { status: 'check'; check: FamilyCheckState; problem?: 'bad-key' | 'choose' | 'spaces-went' }
  | { status: 'not-booked'; activityId: number }
  | { status: 'closed' }
  | { status: 'booked'; reference: string; manageToken: string }
  | { status: 'already-submitted'; reference: string }

const familyPostSchema = z.object({
  intent: z.enum(['check', 'confirm', 'change']).catch('check'),
  childId: z.array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)).max(50).catch([]),
  idempotencyKey: z.string().regex(IDEMPOTENCY_KEY).optional().catch(undefined),
  whenShort: z.enum(['waitlist', 'nothing']).optional().catch(undefined),
})

/**
 * Decides a signed-in family's post to the booking page: the children ticked, checked, then
 * booked. `values` holds every value of each field (childId repeats).
 */
export async function requestFamilyBooking(
  db: DB,
  request: { activityId: number | null; familyId: number; values: Record<string, string[]>; ip: string },
  options: BookingRequestOptions & { now?: Date },
): Promise<FamilyBookingOutcome> {
  const page = await findBookable(db, request.activityId)
  if (!page) return { status: 'not-found' }
  if (!(await allow(db, `booking-post:${request.ip}`, options.rateLimit * 10, RATE_WINDOW_MS))) {
    return { status: 'too-many-requests' }
  }
  const one = (name: string) => request.values[name]?.[0]
  const post = familyPostSchema.parse({
    intent: one('intent'),
    childId: request.values.childId ?? [],
    idempotencyKey: one('idempotencyKey'),
    whenShort: one('whenShort'),
  })
  const childIds = [...new Set(post.childId)]
  if (post.intent === 'change') return { status: 'form', childIds }
  const choices = await familyChildChoices(db, request.familyId, page.activity)
  const chosen = choices.filter((c) => childIds.includes(c.id))
  if (chosen.length !== childIds.length) return { status: 'not-found' }
  if (chosen.length === 0) return { status: 'invalid', error: 'Select who is coming', childIds }
  if (chosen.length > page.maxChildren) {
    return { status: 'invalid', error: `You can book up to ${page.maxChildren} children at once`, childIds }
  }
  const refused = chosen.find((c) => c.reason)
  if (refused) return { status: 'invalid', error: refused.reason!, childIds }
  const check = (spacesLeft: number): FamilyCheckState => ({
    childIds,
    names: chosen.map((c) => c.firstName),
    idempotencyKey: post.idempotencyKey ?? crypto.randomUUID(),
    spacesLeft,
  })
  if (post.intent !== 'confirm') return { status: 'check', check: check(page.activity.spacesLeft) }
  if (!post.idempotencyKey) return { status: 'check', check: check(page.activity.spacesLeft), problem: 'bad-key' }
  if (!(await allow(db, `booking-confirm:${request.ip}`, options.rateLimit, RATE_WINDOW_MS))) {
    return { status: 'too-many-requests' }
  }
  // A full session asked once, on the form: joining the waiting list is what they chose there.
  const whenShort = page.activity.spacesLeft === 0 ? 'waitlist' : post.whenShort
  const short = page.activity.spacesLeft < chosen.length
  if (short && !whenShort) return { status: 'check', check: check(page.activity.spacesLeft), problem: 'choose' }
  if (short && whenShort === 'nothing') return { status: 'not-booked', activityId: page.activity.id }
  const result = await book(
    db,
    {
      activityId: page.activity.id,
      familyId: request.familyId,
      childIds,
      idempotencyKey: post.idempotencyKey,
      acceptWaitlist: whenShort === 'waitlist',
    },
    options.links,
    { maxChildren: page.maxChildren, now: options.now },
  )
  options.afterBooking?.()
  switch (result.status) {
    case 'booked':
      return { status: 'booked', reference: result.reference, manageToken: result.manageToken }
    case 'already-submitted':
      return { status: 'already-submitted', reference: result.reference }
    case 'not-enough-spaces':
      return { status: 'check', check: check(result.spacesLeft), problem: 'spaces-went' }
    case 'closed':
      return { status: 'closed' }
    case 'not-found':
      return { status: 'not-found' }
    case 'age-out-of-range':
    case 'child-already-booked':
      // changed since the check page (a birthday, or another device booked them): the form says why
      return {
        status: 'invalid',
        error:
          (await familyChildChoices(db, request.familyId, page.activity)).find(
            (c) => childIds.includes(c.id) && c.reason,
          )?.reason ?? 'Check who is coming',
        childIds,
      }
    case 'too-many-children':
      return { status: 'invalid', error: `You can book up to ${result.max} children at once`, childIds }
    case 'unknown-authority':
      return { status: 'invalid', error: 'Add your council area to your family details before booking', childIds }
  }
}
