import { DEFAULTS } from '../defaults.js';
import { isValidIpAddress } from '../validation/predicates.js';
import type { JsonObject, JsonValue } from './audit-event.js';
import type { AuditLogRecord } from './audit-log-record.js';
import {
  ACTOR_TYPE_TO_USER_IDENTITY_TYPE,
  AUDIT_ATTRIBUTES,
  FAILURE_OUTCOME,
  FALLBACK_ATTRIBUTES,
  OTEL_AUDIT_ATTRIBUTES,
} from './audit-attributes.js';
import { buildAdditionalEventDataFrom } from './additional-event-data.js';
import { formatEventTime, hrTimeToEpochMillis, parseEventTime } from './event-time.js';
import { toJsonObjectField, toStringField } from './find-attribute.js';
import { otelAuditContext } from './otel-audit-context.js';
import {
  firstFound,
  firstFoundIndex,
  gatherAttributes,
  ownValue,
  resourceValue,
  slotOfIndex,
  slotsOf,
  type MappedAttributes,
} from './mapped-attributes.js';
import type { EventDataDraft, MappingOptions } from './mapping-options.js';
import { toJsonValue } from './any-value.js';

const A = AUDIT_ATTRIBUTES;
const F = FALLBACK_ATTRIBUTES;
const O = OTEL_AUDIT_ATTRIBUTES;

// Slot lists built once: this runs per record.
const KEYS = {
  version: slotsOf(A.version),
  type: slotsOf(A.userIdentityType, O.actorType),
  principalId: slotsOf(A.userIdentityPrincipalId, O.actorId, ...F.principalId),
  details: slotsOf(A.userIdentityDetails),
  userAgent: slotsOf(A.userAgent, ...F.userAgent),
  eventSource: slotsOf(A.eventSource),
  eventName: slotsOf(A.eventName, O.action, F.eventName),
  eventTime: slotsOf(A.eventTime),
  uid: slotsOf(A.uid),
  recordUid: slotsOf(O.recordId, O.logRecordUid),
  outcome: slotsOf(O.outcome),
  requestParameters: slotsOf(A.requestParameters),
  responseElements: slotsOf(A.responseElements),
  errorCode: slotsOf(A.errorCode, ...F.errorCode),
  errorMessage: slotsOf(A.errorMessage, ...F.errorMessage),
  sourceIpAddress: slotsOf(A.sourceIpAddress),
  recipientAccountId: slotsOf(A.recipientAccountId),
  additionalEventData: slotsOf(A.additionalEventData),
  userName: slotsOf(F.userName),
  userEmail: slotsOf(F.userEmail),
  userRoles: slotsOf(F.userRoles),
} as const;
const OWN_EVENT_NAME_SLOT = slotsOf(A.eventName)[0]!;
const ACTOR_TYPE_SLOT = slotsOf(O.actorType)[0]!;
const SERVICE_NAME_SLOT = slotsOf(F.serviceName)[0]!;
const SOURCE_IP_FALLBACK_SLOTS = slotsOf(...F.sourceIpAddress);

// What a bare LoggerProvider puts in service.name (`unknown_service:node`): not a real event source.
const UNKNOWN_SERVICE_PREFIX = 'unknown_service';

/**
 * Maps one log record to eventData following every row of the mapping contract (docs/mapping.md):
 * `audit.*` attributes first, then the draft OTel audit attributes and semantic-convention fallbacks, each
 * on the record and then on its resource, then the options. Fields with nothing found are left out, so
 * validation can name them. Pure: the id and the current time come in as arguments.
 *
 * @param id the event's id (see decideEventId), the `UID` fallback
 * @param nowMillis export time in epoch milliseconds, the last `eventTime` fallback
 */
export function toEventData(
  record: AuditLogRecord,
  id: string,
  options: MappingOptions,
  nowMillis: number,
): EventDataDraft {
  const defaults = options.defaults ?? {};
  const found = gatherAttributes(record);
  const out: Record<string, unknown> = {};

  out['version'] =
    toStringField(firstFound(found, KEYS.version)) ?? defaults.version ?? DEFAULTS.eventDataVersion;

  const userIdentity: Record<string, unknown> = {};
  const type = userIdentityType(found) ?? defaults.userIdentityType;
  if (type !== undefined) userIdentity['type'] = type;
  const principalId = toStringField(firstFound(found, KEYS.principalId));
  if (principalId !== undefined) userIdentity['principalId'] = principalId;
  const details = userDetails(found);
  if (details !== undefined) userIdentity['details'] = details;
  out['userIdentity'] = userIdentity;

  setIfFound(out, 'userAgent', toStringField(firstFound(found, KEYS.userAgent)));
  setIfFound(
    out,
    'eventSource',
    toStringField(firstFound(found, KEYS.eventSource)) ?? serviceName(found) ?? defaults.eventSource,
  );
  setIfFound(out, 'eventName', eventName(record, found));
  out['eventTime'] = eventTime(record, found, nowMillis);
  out['UID'] = toStringField(firstFound(found, KEYS.uid)) ?? recordUid(found) ?? id;
  setIfFound(out, 'requestParameters', toJsonObjectField(firstFound(found, KEYS.requestParameters)));
  setIfFound(out, 'responseElements', toJsonObjectField(firstFound(found, KEYS.responseElements)));
  setIfFound(out, 'errorCode', toStringField(firstFound(found, KEYS.errorCode)) ?? failureOutcome(found));
  setIfFound(out, 'errorMessage', toStringField(firstFound(found, KEYS.errorMessage)));
  setIfFound(out, 'sourceIPAddress', sourceIpAddress(found));
  setIfFound(
    out,
    'recipientAccountId',
    toStringField(firstFound(found, KEYS.recipientAccountId)) ?? options.recipientAccountId,
  );
  setIfFound(
    out,
    'additionalEventData',
    buildAdditionalEventDataFrom(
      firstFound(found, KEYS.additionalEventData),
      record,
      options.includeAttributes ?? DEFAULTS.includeAttributes,
      otelAuditContext(found),
    ),
  );
  return out;
}

function setIfFound(out: Record<string, unknown>, field: string, value: unknown): void {
  if (value !== undefined) out[field] = value;
}

/**
 * `audit.user_identity.type` as given, else `audit.actor.type` in CloudTrail's spelling
 * (ACTOR_TYPE_TO_USER_IDENTITY_TYPE), each on the record and then on its resource.
 */
function userIdentityType(found: MappedAttributes): JsonValue | undefined {
  const index = firstFoundIndex(found, KEYS.type);
  if (index < 0) return undefined;
  const value = toStringField(found[index]);
  if (slotOfIndex(index) !== ACTOR_TYPE_SLOT || typeof value !== 'string') return value;
  return ACTOR_TYPE_TO_USER_IDENTITY_TYPE[value.toLowerCase()] ?? value;
}

/**
 * The record's own `audit.record.id`, else its `log.record.uid`: ids of this one record, so a resource's
 * value (which every record of the service would share) is never a UID.
 */
function recordUid(found: MappedAttributes): JsonValue | undefined {
  for (const slot of KEYS.recordUid) {
    const value = ownValue(found, slot);
    if (value !== undefined && value !== null && value !== '') return toStringField(value);
  }
  return undefined;
}

/** `failure` when `audit.outcome` says the action failed: errorCode is how CloudTrail marks a failure. */
function failureOutcome(found: MappedAttributes): string | undefined {
  const outcome = firstFound(found, KEYS.outcome);
  return typeof outcome === 'string' && outcome.toLowerCase() === FAILURE_OUTCOME
    ? FAILURE_OUTCOME
    : undefined;
}

/** `audit.user_identity.details` (map or JSON-object string), else `user.name`/`user.email`/`user.roles` gathered. */
function userDetails(found: MappedAttributes): unknown {
  const given = firstFound(found, KEYS.details);
  if (given !== undefined) return toJsonObjectField(given);
  const name = toJsonValue(firstFound(found, KEYS.userName));
  const email = toJsonValue(firstFound(found, KEYS.userEmail));
  const roles = toJsonValue(firstFound(found, KEYS.userRoles));
  if (name === undefined && email === undefined && roles === undefined) return undefined;
  const details: JsonObject = {};
  if (name !== undefined) details['name'] = name;
  if (email !== undefined) details['email'] = email;
  if (roles !== undefined) details['roles'] = roles;
  return details;
}

function serviceName(found: MappedAttributes): string | undefined {
  const name = resourceValue(found, SERVICE_NAME_SLOT);
  return typeof name === 'string' && name !== '' && !name.startsWith(UNKNOWN_SERVICE_PREFIX)
    ? name
    : undefined;
}

/**
 * `audit.event_name`, then the record's own `eventName` (the Logs API's field), then `audit.action`, then
 * the deprecated `event.name` attribute.
 */
function eventName(record: AuditLogRecord, found: MappedAttributes): JsonValue | undefined {
  const own = ownValue(found, OWN_EVENT_NAME_SLOT);
  if (own !== undefined && own !== null) return toStringField(own);
  if (typeof record.eventName === 'string' && record.eventName !== '') return record.eventName;
  return toStringField(firstFound(found, KEYS.eventName));
}

/**
 * `audit.event_time`, else the record timestamp, the observed timestamp, the export time. An
 * `audit.event_time` that cannot be read is kept as it is so validation rejects it by name, rather
 * than the event being filed under another time.
 */
function eventTime(record: AuditLogRecord, found: MappedAttributes, nowMillis: number): unknown {
  const given = firstFound(found, KEYS.eventTime);
  if (given !== undefined) return parseEventTime(given) ?? toStringField(given);
  const millis =
    hrTimeToEpochMillis(record.hrTime) ?? hrTimeToEpochMillis(record.hrTimeObserved) ?? nowMillis;
  return formatEventTime(millis) ?? formatEventTime(nowMillis);
}

/**
 * `audit.source_ip_address` is taken as given (validation rejects a bad one), but the semconv fallbacks
 * are used only when they hold an IP address: `client.address` may be a host name, and a record must
 * not be rejected for an attribute it never meant for CloudTrail.
 */
function sourceIpAddress(found: MappedAttributes): JsonValue | undefined {
  const given = firstFound(found, KEYS.sourceIpAddress);
  if (given !== undefined) return toStringField(given);
  for (const slot of SOURCE_IP_FALLBACK_SLOTS) {
    const value = ownValue(found, slot);
    if (isValidIpAddress(value)) return value;
  }
  for (const slot of SOURCE_IP_FALLBACK_SLOTS) {
    const value = resourceValue(found, slot);
    if (isValidIpAddress(value)) return value;
  }
  return undefined;
}
