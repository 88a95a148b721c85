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

export type PlaceStatus = 'confirmed' | 'waitlisted' | 'cancelled'

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
export type { ColumnType }
