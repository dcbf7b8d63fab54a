/**
 * `otel-cloudtrail-lake/core`: the pure building blocks behind the exporter, for tools that map,
 * validate or pack audit events themselves (a custom pipeline, a linter for eventData, a test). No I/O,
 * no timers. Applications that only export need the root entry point, not this one.
 */
export { METRIC_NAMES, CHANNEL_ATTRIBUTE } from '../pipeline/export-stats.js';
export { AUDIT_ATTRIBUTE_PREFIX } from '../mapping/audit-attributes.js';
export { AUDIT_ID_ATTRIBUTE } from '../mapping/event-id.js';
export type {
  EventData,
  AuditEventEntry,
  PreparedEvent,
  PutAuditEventsOutput,
  JsonObject,
  JsonValue,
} from '../mapping/audit-event.js';
export {
  prepareAuditEvents,
  type PrepareOptions,
  type PrepareContext,
  type PrepareResult,
} from '../prepare-audit-events.js';
export {
  eventFromEventData,
  eventDataChecksum,
  type EventFromEventDataOptions,
  type PrepareEventDataResult,
} from '../mapping/audit-event-entry.js';
export {
  validateEventData,
  type ValidateEventDataOptions,
  type ValidateEventDataResult,
} from '../validation/validate-event-data.js';
export { isValidEventTime, isValidIpAddress, isValidAccountId } from '../validation/predicates.js';
export { splitIntoRequests, type RequestLimits, type SplitResult } from '../batch/split-into-requests.js';
export { requestBody, requestBodyBytes } from '../batch/request-body.js';
export { redact, createRedactor, type Redactor } from '../processors/redact.js';
export type { PreparedRequest, Transport, SendResult } from '../transport/transport.js';
export {
  PUT_AUDIT_EVENTS_MAX_EVENTS,
  PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES,
  PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND,
  EVENT_DATA_STRING_MAX_CHARS,
  EVENT_DATA_OBJECT_MAX_BYTES,
} from '../limits.js';
