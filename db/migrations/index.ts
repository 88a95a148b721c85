// Every migration, in order. Listed here rather than read from the folder so the same list works
// under tsx, in the Vite server build and in tests.
import type { Migration } from 'kysely'
import * as foundation from './2026-11-23-01-foundation'
import * as bookings from './2026-11-23-02-bookings'
import * as outbox from './2026-11-23-03-outbox'
import * as adoptables from './2026-11-23-04-adoptables'
import * as reports from './2026-11-23-05-reports'
import * as apiTokens from './2026-11-23-06-api-tokens'
import * as sessionMessages from './2026-11-23-07-session-messages'
import * as feedbackMailingList from './2026-11-23-08-feedback-mailing-list'
import * as staffAccounts from './2026-11-23-09-staff-accounts'
import * as completeEarlyDatabases from './2026-12-01-10-complete-early-databases'
import * as staffTwoFactor from './2026-12-01-11-staff-two-factor'
import * as signInThrottle from './2026-12-01-12-sign-in-throttle'
import * as recipientLimits from './2026-12-01-13-recipient-limits'
import * as bookingManageTokens from './2026-12-01-14-booking-manage-tokens'
import * as consentAnswers from './2026-12-01-16-consent-answers'
import * as sharedLimitsAndLeases from './2026-12-01-17-shared-limits-and-leases'
import * as reportIndexes from './2026-12-01-18-report-indexes'
import * as families from './2026-12-01-19-families'
import * as reachIndexes from './2026-12-01-20-reach-indexes'
import * as knownAdoptedChildren from './2026-12-01-22-known-adopted-children'
import * as releaseAndOffers from './2026-12-01-23-release-and-offers'
import * as safeguardingConcerns from './2026-12-02-24-safeguarding-concerns'
import * as sessionAdultsAndChecklist from './2026-12-02-25-session-adults-and-checklist'
import * as leanerBookingWrites from './2026-12-02-26-leaner-booking-writes'

export const migrations: Record<string, Migration> = {
  '2026-11-23-01-foundation': foundation,
  '2026-11-23-02-bookings': bookings,
  '2026-11-23-03-outbox': outbox,
  '2026-11-23-04-adoptables': adoptables,
  '2026-11-23-05-reports': reports,
  '2026-11-23-06-api-tokens': apiTokens,
  '2026-11-23-07-session-messages': sessionMessages,
  '2026-11-23-08-feedback-mailing-list': feedbackMailingList,
  '2026-11-23-09-staff-accounts': staffAccounts,
  '2026-12-01-10-complete-early-databases': completeEarlyDatabases,
  '2026-12-01-11-staff-two-factor': staffTwoFactor,
  '2026-12-01-12-sign-in-throttle': signInThrottle,
  '2026-12-01-13-recipient-limits': recipientLimits,
  '2026-12-01-14-booking-manage-tokens': bookingManageTokens,
  '2026-12-01-16-consent-answers': consentAnswers,
  '2026-12-01-17-shared-limits-and-leases': sharedLimitsAndLeases,
  '2026-12-01-18-report-indexes': reportIndexes,
  '2026-12-01-19-families': families,
  '2026-12-01-20-reach-indexes': reachIndexes,
  '2026-12-01-22-known-adopted-children': knownAdoptedChildren,
  '2026-12-01-23-release-and-offers': releaseAndOffers,
  '2026-12-02-24-safeguarding-concerns': safeguardingConcerns,
  '2026-12-02-25-session-adults-and-checklist': sessionAdultsAndChecklist,
  '2026-12-02-26-leaner-booking-writes': leanerBookingWrites,
}
