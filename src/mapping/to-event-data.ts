import { DEFAULTS } from '../defaults.js';
import { isValidIpAddress } from '../validation/predicates.js';
import type { JsonObject, JsonValue } from './audit-event.js';
import type { AuditLogRecord } from './audit-log-record.js';
import { AUDIT_ATTRIBUTES, FALLBACK_ATTRIBUTES } from './audit-attributes.js';
import { buildAdditionalEventData } from './additional-event-data.js';
import { formatEventTime, hrTimeToEpochMillis, parseEventTime } from './event-time.js';
import { findAttribute, toJsonObjectField, toStringField } from './find-attribute.js';
import type { EventDataDraft, MappingOptions } from './mapping-options.js';
import { toJsonValue } from './any-value.js';

const A = AUDIT_ATTRIBUTES;
const F = FALLBACK_ATTRIBUTES;

// Lookup lists built once: this runs per record.
const KEYS = {
  version: [A.version],
  type: [A.userIdentityType],
  principalId: [A.userIdentityPrincipalId, ...F.principalId],
  details: [A.userIdentityDetails],
  userAgent: [A.userAgent, ...F.userAgent],
  eventSource: [A.eventSource],
  eventName: [A.eventName, F.eventName],
  eventTime: [A.eventTime],
  uid: [A.uid],
  requestParameters: [A.requestParameters],
  responseElements: [A.responseElements],
  errorCode: [A.errorCode, ...F.errorCode],
  errorMessage: [A.errorMessage, ...F.errorMessage],
  sourceIpAddress: [A.sourceIpAddress],
  recipientAccountId: [A.recipientAccountId],
  userName: [F.userName],
  userEmail: [F.userEmail],
  userRoles: [F.userRoles],
} as const;

// What a bare LoggerProvider puts in service.name (`unknown_service:node`): not a real event source.
const UNKNOWN_SERVICE_PREFIX = 'unknown_service';

/**
 * Maps one log record to eventData following every row of the mapping contract
 * (/work/shared/design/mapping.md): `audit.*` attributes first, then semantic-convention fallbacks, each
 * on the record and then on its resource, then the options. Fields with nothing found are left out, so
 * validation can name them. Pure: the id and the current time come in as arguments.
 *
 * @param id the event's id (see resolveEventId), the `UID` fallback
 * @param nowMillis export time in epoch milliseconds, the last `eventTime` fallback
 */
export function toEventData(
  record: AuditLogRecord,
  id: string,
  options: MappingOptions,
  nowMillis: number,
): EventDataDraft {
  const defaults = options.defaults ?? {};
  const out: Record<string, unknown> = {};

  out['version'] =
    toStringField(findAttribute(record, KEYS.version)) ?? defaults.version ?? DEFAULTS.eventDataVersion;

  const userIdentity: Record<string, unknown> = {};
  const type = toStringField(findAttribute(record, KEYS.type)) ?? defaults.userIdentityType;
  if (type !== undefined) userIdentity['type'] = type;
  const principalId = toStringField(findAttribute(record, KEYS.principalId));
  if (principalId !== undefined) userIdentity['principalId'] = principalId;
  const details = userDetails(record);
  if (details !== undefined) userIdentity['details'] = details;
  out['userIdentity'] = userIdentity;

  setIfFound(out, 'userAgent', toStringField(findAttribute(record, KEYS.userAgent)));
  setIfFound(
    out,
    'eventSource',
    toStringField(findAttribute(record, KEYS.eventSource)) ?? serviceName(record) ?? defaults.eventSource,
  );
  setIfFound(out, 'eventName', eventName(record));
  out['eventTime'] = eventTime(record, nowMillis);
  out['UID'] = toStringField(findAttribute(record, KEYS.uid)) ?? id;
  setIfFound(out, 'requestParameters', toJsonObjectField(findAttribute(record, KEYS.requestParameters)));
  setIfFound(out, 'responseElements', toJsonObjectField(findAttribute(record, KEYS.responseElements)));
  setIfFound(out, 'errorCode', toStringField(findAttribute(record, KEYS.errorCode)));
  setIfFound(out, 'errorMessage', toStringField(findAttribute(record, KEYS.errorMessage)));
  setIfFound(out, 'sourceIPAddress', sourceIpAddress(record));
  setIfFound(
    out,
    'recipientAccountId',
    toStringField(findAttribute(record, KEYS.recipientAccountId)) ?? options.recipientAccountId,
  );
  setIfFound(
    out,
    'additionalEventData',
    buildAdditionalEventData(record, options.includeAttributes ?? DEFAULTS.includeAttributes),
  );
  return out;
}

function setIfFound(out: Record<string, unknown>, field: string, value: unknown): void {
  if (value !== undefined) out[field] = value;
}

/** `audit.user_identity.details` (map or JSON-object string), else `user.name`/`user.email`/`user.roles` gathered. */
function userDetails(record: AuditLogRecord): unknown {
  const given = findAttribute(record, KEYS.details);
  if (given !== undefined) return toJsonObjectField(given);
  const name = toJsonValue(findAttribute(record, KEYS.userName));
  const email = toJsonValue(findAttribute(record, KEYS.userEmail));
  const roles = toJsonValue(findAttribute(record, KEYS.userRoles));
  if (name === undefined && email === undefined && roles === undefined) return undefined;
  const details: JsonObject = {};
  if (name !== undefined) details['name'] = name;
  if (email !== undefined) details['email'] = email;
  if (roles !== undefined) details['roles'] = roles;
  return details;
}

function serviceName(record: AuditLogRecord): string | undefined {
  const name = record.resource.attributes[F.serviceName];
  return typeof name === 'string' && name !== '' && !name.startsWith(UNKNOWN_SERVICE_PREFIX)
    ? name
    : undefined;
}

/** `audit.event_name`, then the record's own `eventName`, then the deprecated `event.name` attribute. */
function eventName(record: AuditLogRecord): JsonValue | undefined {
  const own = record.attributes[A.eventName];
  if (own !== undefined && own !== null) return toStringField(own);
  if (typeof record.eventName === 'string' && record.eventName !== '') return record.eventName;
  return toStringField(findAttribute(record, KEYS.eventName));
}

/**
 * `audit.event_time`, else the record timestamp, the observed timestamp, the export time. An
 * `audit.event_time` that cannot be read is kept as it is so validation rejects it by name, rather
 * than the event being filed under another time.
 */
function eventTime(record: AuditLogRecord, nowMillis: number): unknown {
  const given = findAttribute(record, KEYS.eventTime);
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
function sourceIpAddress(record: AuditLogRecord): JsonValue | undefined {
  const given = findAttribute(record, KEYS.sourceIpAddress);
  if (given !== undefined) return toStringField(given);
  for (const attributes of [record.attributes, record.resource.attributes]) {
    for (const key of F.sourceIpAddress) {
      const value = attributes[key];
      if (isValidIpAddress(value)) return value;
    }
  }
  return undefined;
}
