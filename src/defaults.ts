import { PUT_AUDIT_EVENTS_MAX_EVENTS, PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND } from './limits.js';

/**
 * Every default of the library, written once. Option JSDoc `@default` tags and the README's
 * configuration table refer to these; tests import them rather than repeat the literals.
 */
export const DEFAULTS = Object.freeze({
  /** eventData `version` when the record has no `audit.version`. */
  eventDataVersion: '1.0',
  maxEventsPerRequest: PUT_AUDIT_EVENTS_MAX_EVENTS,
  /** Below the 1 MiB ceiling: the service says "1 MB" without a unit, so we stay under both readings. */
  maxRequestBytes: 1_000_000,
  maxRequestsPerSecond: PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND,
  /** Keep remaining non-`audit.` attributes out of additionalEventData unless asked. */
  includeAttributes: false,
  /** Reject over-long strings rather than cut them. */
  truncate: false,
});
