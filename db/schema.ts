// The typed shape of the database. Instants are ISO-8601 UTC text, booleans 0/1 integers,
// so the same Kysely code runs on PostgreSQL later.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

export type Role = 'admin' | 'staff' | 'viewer'
export type ActivityKind = 'activity' | 'adoptables'
export type ActivityStatus = 'draft' | 'published' | 'cancelled'
export type LocationType = 'online' | 'in_person'
export type SeriesFrequency = 'weekly' | 'fortnightly' | 'monthly'

export interface AuthorityTable {
  code: string
  name: string
  nation: string
  is_partner: number
  active: number
}

export interface AgeBandTable {
  id: Generated<number>
  label: string
  min_age: number
  /** null for an open-ended top band such as 19+ */
  max_age: number | null
}

export interface SettingTable {
  key: string
  value: string
  updated_at: string
}

export interface StaffUserTable {
  id: Generated<number>
  email: string
  name: string
  password_hash: string | null
  role: Role
  disabled: Generated<number>
  created_at: string
  updated_at: string
  // Last sign-in and TOTP two-factor (migration 2026-11-23-09-staff-accounts); optional on insert, so a new
  // account (and code written before these columns) need not name them
  last_signed_in_at: ColumnType<string | null, string | null | undefined, string | null>
  /** the TOTP secret once confirmed, sealed with SECRET_KEY (app/auth/secret-box.server.ts); null when off */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>
  /** a secret being set up, waiting for its first code (sealed too) */
  totp_pending_secret: ColumnType<string | null, string | null | undefined, string | null>
  totp_enabled_at: ColumnType<string | null, string | null | undefined, string | null>
  /** the last 30-second step a code was accepted for: a code works once */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>
  /** 1: a safeguarding lead, who reads concerns (migration 2026-12-02-24-safeguarding-concerns); optional on insert */
  safeguarding_lead: ColumnType<number, number | undefined, number>
}

/** Single-use recovery codes for two-factor sign-in (migration 2026-12-01-11-staff-two-factor). */
export interface StaffRecoveryCodeTable {
  /** sha256 of the normalised code: the code itself is shown once and never stored */
  code_hash: string
  user_id: number
  created_at: string
  used_at: string | null
}

export interface StaffSessionTable {
  /** sha256 of the cookie's token: the token itself is never stored */
  id: string
  user_id: number
  created_at: string
  last_seen_at: string
  expires_at: string
}

export interface SetupTokenTable {
  token_hash: string
  purpose: string
  expires_at: string
  used_at: string | null
  /** the first-admin link's token sealed with SECRET_KEY, so any instance can print it again (migration 17) */
  sealed_token: string | null
}

export interface SignInThrottleTable {
  /** "account:<email>", "guesses:<email>" or "ip:<address>" (app/auth/throttle.server.ts) */
  key: string
  /** attempts counted since window_started_at (the window lasts an hour) */
  attempts: number
  window_started_at: string
  last_attempt_at: string
}

export interface SeriesTable {
  id: Generated<number>
  frequency: SeriesFrequency
  sessions: number
  created_at: string
}

export interface ActivityTable {
  id: Generated<number>
  kind: ActivityKind
  title: string
  category: string
  description: string
  /** what a child needs at home for the session, shown on its page and in booking emails; optional */
  what_to_bring: string | null
  starts_at: string
  ends_at: string
  capacity: number
  min_age: number
  max_age: number
  location_type: LocationType
  join_url: string | null
  venue: string | null
  booking_opens_at: string | null
  booking_closes_at: string
  status: ActivityStatus
  series_id: number | null
  /** iCalendar SEQUENCE: bumped whenever the time, place or status changes */
  sequence: Generated<number>
  cancel_reason: string | null
  created_by: number | null
  created_at: string
  updated_at: string
}

export interface AuditLogTable {
  id: Generated<number>
  at: string
  actor_user_id: number | null
  action: string
  subject_type: string | null
  subject_id: string | null
  detail: string | null
  ip: string | null
}

/**
 * 'held': a space kept for a family that has not yet confirmed its address, or is waiting for staff
 * approval; it counts against capacity, is never a space in the report and never sees the joining link.
 */
export type PlaceStatus = 'confirmed' | 'waitlisted' | 'cancelled' | 'held'
/** why a booking's places are held (migration 2026-12-01-19-families) */
export type HoldReason = 'address' | 'approval'

export interface BookingTable {
  id: Generated<number>
  reference: string
  activity_id: number
  contact_name: string | null
  email: string | null
  phone: string | null
  authority_code: string
  manage_token_hash: string
  idempotency_key: string
  mailing_list_opt_in: Generated<number>
  invite_sequence: Generated<number>
  /** set when an Adoptables member booked for themselves */
  member_id: number | null
  created_at: string
  updated_at: string
  // families (migration 2026-12-01-19-families); optional on insert
  family_id: ColumnType<number | null, number | null | undefined, number | null>
  /** why the places are held; null once confirmed (or never held) */
  hold_reason: ColumnType<HoldReason | null, HoldReason | null | undefined, HoldReason | null>
  /** when a hold not confirmed is released to the waiting list */
  hold_expires_at: ColumnType<string | null, string | null | undefined, string | null>
  /** staff's reason when they declined a new family's first booking */
  decline_reason: ColumnType<string | null, string | null | undefined, string | null>
}

export interface PlaceTable {
  id: Generated<number>
  booking_id: number
  activity_id: number
  first_name: string | null
  date_of_birth: string | null
  child_key: string
  age_on_day: number
  /** England school year group on the day (Reception 0, Year 1 1 …), stored at booking; null if never known */
  school_year: number | null
  /**
   * The booking's home authority, copied onto each place when it is booked (a booking's authority
   * never changes), so the report groups a quarter's places from one index without a join.
   */
  authority_code: string
  support_needs: string | null
  status: PlaceStatus
  attended: number | null
  created_at: string
  updated_at: string
  /**
   * The child and family the place is for (migration 19), as plain numbers with no foreign key: they
   * outlive the child's and family's rows, so distinct children and returning families in the
   * report survive account deletion and retention. Null for Adoptables and for places erased before
   * families existed.
   */
  child_id: ColumnType<number | null, number | null | undefined, number | null>
  family_id: ColumnType<number | null, number | null | undefined, number | null>
}

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed'
export type IcsMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH'

export interface OutboxTable {
  id: Generated<number>
  /** "<uuid@domain>", written once and reused on every retry */
  message_id: string
  /** e.g. "confirmation:booking:12": a second enqueue with the same key is a no-op */
  dedupe_key: string
  kind: string
  to_address: string
  subject: string
  text_body: string
  html_body: string | null
  ics: string | null
  ics_method: IcsMethod | null
  booking_id: number | null
  activity_id: number | null
  status: OutboxStatus
  attempts: Generated<number>
  next_attempt_at: string
  claimed_at: string | null
  last_error: string | null
  created_at: string
  sent_at: string | null
}

export type MemberStatus = 'pending' | 'active'

export interface MemberTable {
  id: Generated<number>
  first_name: string | null
  date_of_birth: string | null
  email: string | null
  member_key: string
  authority_code: string
  notes: string | null
  status: MemberStatus
  parent_email: string | null
  consent_token_hash: string | null
  consented_at: string | null
  /** when a parent or carer answered no: the sign-up is closed and can never be used */
  consent_declined_at: string | null
  access_token_hash: string
  pending_activity_id: number | null
  created_at: string
  updated_at: string
}

export interface ApiTokenTable {
  id: Generated<number>
  name: string
  /** sha256 of the token: the token itself is shown once, when created, and never stored */
  token_hash: string
  created_by: number | null
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

/** One response per place: a 1–5 face scale and an optional comment. */
export interface FeedbackTable {
  id: Generated<number>
  place_id: number
  /** the place's session, so a quarter's feedback is read by session without visiting places */
  activity_id: number
  score: number
  comment: string | null
  created_at: string
}

// ---- session messages (migration 2026-11-23-07-session-messages) ----

export type MessageAudience = 'confirmed' | 'waitlisted'

/** A message staff emailed to a session's families; each email is an outbox row keyed by this id. */
export interface SessionMessageTable {
  id: Generated<number>
  activity_id: number
  audience: MessageAudience
  subject: string
  body: string
  /** how many families (bookings) it was sent to */
  recipients: number
  sent_by: number | null
  /** from the "check your message" step, so a re-posted send is one message */
  send_key: string
  created_at: string
}

// ---- feedback requests and the mailing list (migration 2026-11-23-08-feedback-mailing-list) ----

/** The feedback link sent the day after a session: one per booking, only the token's hash kept. */
export interface FeedbackRequestTable {
  id: Generated<number>
  booking_id: number
  token_hash: string
  created_at: string
  expires_at: string
}

export type MailingListStatus = 'pending' | 'subscribed' | 'unsubscribed' | 'bounced'
export type MailingListSource = 'sign-up' | 'booking'
export type MailingListEventKind = 'join' | 'leave' | 'bounce'

/** A person on the mailing list, or asking to join it: current only when status is 'subscribed'. */
export interface MailingListSubscriberTable {
  id: Generated<number>
  /** lower-case */
  email: string
  first_name: string | null
  status: MailingListStatus
  source: MailingListSource
  confirm_token_hash: string | null
  confirm_expires_at: string | null
  requested_at: string
  confirmed_at: string | null
  left_at: string | null
  created_at: string
  updated_at: string
}

/** One per email sent to a subscriber: the hash of that email's unsubscribe token. */
export interface MailingListUnsubscribeTokenTable {
  token_hash: string
  subscriber_id: number
  created_at: string
}

/** Joins, leaves and bounces, with no address: the monthly audit's counts survive erasure. */
export interface MailingListEventTable {
  id: Generated<number>
  kind: MailingListEventKind
  at: string
  /** null once the subscriber is erased */
  subscriber_id: number | null
}

// ---- staff accounts: password links and sign-in challenges (migration 2026-11-23-09-staff-accounts) ----

/** A set-password link (invitation or reset): only the token's hash, used once. */
export interface StaffPasswordTokenTable {
  token_hash: string
  user_id: number
  purpose: 'invite' | 'reset'
  created_at: string
  expires_at: string
  used_at: string | null
}

/** A correct password waiting for its two-factor code, keyed by the hash of a cookie's token. */
export interface StaffSignInChallengeTable {
  id: string
  user_id: number
  redirect_to: string
  failures: Generated<number>
  created_at: string
  expires_at: string
}

// ---- manage links in later booking emails (migration 2026-12-01-14-booking-manage-tokens) ----

/** The hash of a manage-link token sent in an email after the confirmation: one per email. */
export interface BookingManageTokenTable {
  token_hash: string
  booking_id: number
  created_at: string
}

// ---- release links and offers near the start (migration 2026-12-01-23-release-and-offers) ----

/** The hash of a reminder's "Release your place" token: opens the booking's release page. */
export interface PlaceReleaseTokenTable {
  token_hash: string
  booking_id: number
  created_at: string
}

/** A freed space offered to one waiting booking: its claim link's hash and how it ended. */
export interface PlaceOfferTable {
  id: Generated<number>
  token_hash: string
  activity_id: number
  booking_id: number
  created_at: string
  /** the booking close */
  ends_at: string
  outcome: 'claimed' | 'taken' | null
  resolved_at: string | null
}

// ---- several instances on one database (migration 2026-12-01-17-shared-limits-and-leases) ----

/** A public form's fixed-window count for one key (app/auth/rate-limit.server.ts). */
export interface RateLimitTable {
  /** "<form>:<ip address>" */
  key: string
  hits: number
  window_started_at: string
  window_ends_at: string
}

/** Which instance runs a scheduled job now (server/jobs.ts); holder is null once released. */
export interface JobLeaseTable {
  job: string
  holder: string | null
  claimed_at: string
  expires_at: string
  released_at: string | null
}

// ---- families (migration 2026-12-01-19-families) ----

/** A parent or carer and their household: signs in by an emailed link, no password. */
export interface FamilyTable {
  id: Generated<number>
  /** lower-case, one family per address */
  email: string
  contact_name: string | null
  phone: string | null
  /** a number to reach the parent or carer during a session */
  emergency_phone: string | null
  authority_code: string | null
  /** 1: "my children can take places separately" on the waiting list */
  places_separately: Generated<number>
  /** when the address was proved by an emailed link; null until then */
  confirmed_at: string | null
  /** when staff approved the family, or its first booking went ahead with approval off */
  approved_at: string | null
  /** sha256 of the private calendar feed's token; null when there is none */
  feed_token_hash: string | null
  created_at: string
  updated_at: string
}

/** A child kept once in a family, with per-child consents (1 yes, 0 no, null not answered). */
export interface ChildTable {
  id: Generated<number>
  family_id: number
  first_name: string
  /** YYYY-MM-DD */
  date_of_birth: string
  /** childKey(first name, date of birth): unique within the family */
  match_key: string
  support_needs: string | null
  consent_photos: number | null
  consent_photos_at: string | null
  consent_name_visible: number | null
  consent_name_visible_at: string | null
  consent_camera: number | null
  consent_camera_at: string | null
  created_at: string
  updated_at: string
}

export type FamilyTokenPurpose = 'sign-in' | 'confirm'

/** An emailed link's token, hashed: a one-time sign-in link, or the confirm link of a first booking. */
export interface FamilyTokenTable {
  token_hash: string
  family_id: number
  purpose: FamilyTokenPurpose
  /** the booking a confirm link was sent for */
  booking_id: number | null
  created_at: string
  expires_at: string
  used_at: string | null
}

/** A signed-in family on one device (the __Host- family cookie holds the token; this its hash). */
export interface FamilySessionTable {
  id: string
  family_id: number
  created_at: string
  last_seen_at: string
  expires_at: string
}

// ---- known adopted children (migration 2026-12-01-22-known-adopted-children) ----

/** An authority's known adopted children in a financial year, entered by an admin for the report's share reached. */
export interface KnownAdoptedChildrenTable {
  authority_code: string
  /** "2025-26" */
  financial_year: string
  children: number
  updated_by: number | null
  updated_at: string
}

export type ConcernStatus = 'open' | 'closed'

/**
 * A safeguarding concern (migration 2026-12-02-24-safeguarding-concerns): read only by safeguarding
 * leads. It keeps its own copy of the child's first name, the session and the recorder, so erasing
 * the booking, family or member leaves it whole; the ids are set null when those rows go.
 */
export interface ConcernTable {
  id: Generated<number>
  idempotency_key: string
  activity_id: number | null
  place_id: number | null
  member_id: number | null
  child_first_name: string
  session_title: string
  session_starts_at: string
  recorded_by: number | null
  recorded_by_name: string
  /** the UTC instant it happened */
  happened_at: string
  /** what was seen or said, in the child's own words */
  seen_or_said: string
  present: string
  action_taken: string
  created_at: string
  status: Generated<ConcernStatus>
  closed_at: string | null
  closed_by: number | null
  closed_by_name: string | null
  outcome: string | null
}

export interface ConcernNoteTable {
  id: Generated<number>
  concern_id: number
  author_id: number | null
  author_name: string
  body: string
  created_at: string
}

// ---- safe sessions (migration 2026-12-02-25-session-adults-and-checklist) ----

export type SessionAdultRole = 'host' | 'second'

/** An adult named on a session: a staff account or a guest adult (exactly one of the two). */
export interface SessionAdultTable {
  activity_id: number
  role: SessionAdultRole
  staff_user_id: number | null
  guest_name: string | null
  /** the guest's organisation or role, optional */
  guest_organisation: string | null
  updated_by: number | null
  updated_at: string
}

/** A "before the call" checklist item of a session, once first ticked: 1 ticked, 0 unticked since. */
export interface SessionCheckTable {
  activity_id: number
  item: string
  ticked: number
  changed_by: number | null
  changed_at: string
}

export interface Database {
  authority: AuthorityTable
  age_band: AgeBandTable
  setting: SettingTable
  staff_user: StaffUserTable
  staff_session: StaffSessionTable
  setup_token: SetupTokenTable
  sign_in_throttle: SignInThrottleTable
  series: SeriesTable
  activity: ActivityTable
  audit_log: AuditLogTable
  booking: BookingTable
  place: PlaceTable
  outbox: OutboxTable
  member: MemberTable
  api_token: ApiTokenTable
  feedback: FeedbackTable
  // session messages
  session_message: SessionMessageTable
  // feedback requests and the mailing list
  feedback_request: FeedbackRequestTable
  mailing_list_subscriber: MailingListSubscriberTable
  mailing_list_unsubscribe_token: MailingListUnsubscribeTokenTable
  mailing_list_event: MailingListEventTable
  // staff accounts
  staff_password_token: StaffPasswordTokenTable
  staff_sign_in_challenge: StaffSignInChallengeTable
  // manage links in later booking emails
  booking_manage_token: BookingManageTokenTable
  staff_recovery_code: StaffRecoveryCodeTable
  // several instances on one database
  rate_limit: RateLimitTable
  job_lease: JobLeaseTable
  // families
  family: FamilyTable
  child: ChildTable
  family_token: FamilyTokenTable
  family_session: FamilySessionTable
  // known adopted children
  known_adopted_children: KnownAdoptedChildrenTable
  // release links and offers near the start (migration 2026-12-01-23-release-and-offers)
  place_release_token: PlaceReleaseTokenTable
  place_offer: PlaceOfferTable
  // safeguarding concerns (migration 2026-12-02-24-safeguarding-concerns)
  concern: ConcernTable
  concern_note: ConcernNoteTable
  // safe sessions: the two adults and the checklist (migration 2026-12-02-25-session-adults-and-checklist)
  session_adult: SessionAdultTable
  session_check: SessionCheckTable
}

export type Authority = Selectable<AuthorityTable>
export type AgeBand = Selectable<AgeBandTable>
export type StaffUser = Selectable<StaffUserTable>
export type NewStaffUser = Insertable<StaffUserTable>
export type Activity = Selectable<ActivityTable>
export type NewActivity = Insertable<ActivityTable>
export type ActivityUpdate = Updateable<ActivityTable>
export type Booking = Selectable<BookingTable>
export type Place = Selectable<PlaceTable>
export type Member = Selectable<MemberTable>
export type Feedback = Selectable<FeedbackTable>
export type AuditEntry = Selectable<AuditLogTable>
export type OutboxEmail = Selectable<OutboxTable>
export type ApiToken = Selectable<ApiTokenTable>
export type Family = Selectable<FamilyTable>
export type Child = Selectable<ChildTable>
export type { ColumnType }
