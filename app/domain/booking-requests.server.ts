// A parent's post to the booking page, decided: which step of the form comes next, or what
// book() made of the confirmed request. The page's rate limits and honeypot are checked here too,
// so the route only turns each outcome into a page or a redirect.
import crypto from 'node:crypto'
import type { DB } from '../../db/index'
import { allow } from '../auth/rate-limit.server'
import { getPublicActivity } from './activities.server'
import { authorityGroups, listAuthorities } from './authorities.server'
import { childCountOf, parseBookingForm, type BookingFormValue } from './booking-form'
import { bookingWindowState } from './booking-window'
import { book } from './bookings.server'
import type { Links } from './links'
import { HONEYPOT_FIELD } from './honeypot'
import { getNumberSetting, getSetting } from './settings.server'

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
  for (const [key, value] of form) if (typeof value === 'string' && key.length < 60) values[key] = value.slice(0, 5000)
  return values
}

/** Removes child N from the posted values, moving the later children up one. */
function withoutChild(values: Record<string, string>, index: number, childCount: number): Record<string, string> {
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
