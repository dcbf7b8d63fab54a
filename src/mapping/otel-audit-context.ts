import type { JsonObject } from './audit-event.js';
import { OTEL_AUDIT_ATTRIBUTES } from './audit-attributes.js';
import { toJsonValue } from './any-value.js';
import { firstFound, slotsOf, type MappedAttributes } from './mapped-attributes.js';

/**
 * What the draft OpenTelemetry audit attributes say that has no eventData field of its own, as the
 * additionalEventData keys of {@link OTEL_AUDIT_CONTEXT_KEYS}. `audit.action` and `audit.outcome` are kept
 * even when they also gave eventName or errorCode: an auditor reading the Lake sees the values the
 * application wrote, whichever field won.
 */
export const OTEL_AUDIT_CONTEXT_KEYS = Object.freeze({
  action: 'action',
  outcome: 'outcome',
  target: 'target',
  source: 'source',
  schemaVersion: 'schemaVersion',
  integrity: 'integrity',
} as const);

const O = OTEL_AUDIT_ATTRIBUTES;

// Each additionalEventData key with the attributes it is made of; a map key maps a member to its attribute.
const SINGLE = [
  [OTEL_AUDIT_CONTEXT_KEYS.action, slotsOf(O.action)],
  [OTEL_AUDIT_CONTEXT_KEYS.outcome, slotsOf(O.outcome)],
] as const;
const GROUPED = [
  [OTEL_AUDIT_CONTEXT_KEYS.target, { id: slotsOf(O.targetId), type: slotsOf(O.targetType) }],
  [OTEL_AUDIT_CONTEXT_KEYS.source, { id: slotsOf(O.sourceId), type: slotsOf(O.sourceType) }],
] as const;
const SCHEMA_VERSION = slotsOf(O.schemaVersion);
const INTEGRITY = {
  value: slotsOf(O.integrityValue),
  sequenceNumber: slotsOf(O.sequenceNumber),
  prevHash: slotsOf(O.sequencePrevHash),
} as const;

/**
 * The additionalEventData entries made from the OTel audit attributes (record first, then resource),
 * in a fixed order; `undefined` when the record carries none of them. Values are converted like any
 * other attribute value (a number stays a number).
 */
export function otelAuditContext(found: MappedAttributes): JsonObject | undefined {
  let out: JsonObject | undefined;
  const put = (key: string, value: JsonObject[string] | undefined): void => {
    if (value === undefined) return;
    out ??= {};
    out[key] = value;
  };
  for (const [key, slots] of SINGLE) put(key, toJsonValue(firstFound(found, slots)));
  for (const [key, members] of GROUPED) put(key, group(found, members));
  put(OTEL_AUDIT_CONTEXT_KEYS.schemaVersion, toJsonValue(firstFound(found, SCHEMA_VERSION)));
  put(OTEL_AUDIT_CONTEXT_KEYS.integrity, group(found, INTEGRITY));
  return out;
}

function group(
  found: MappedAttributes,
  members: Readonly<Record<string, readonly number[]>>,
): JsonObject | undefined {
  let out: JsonObject | undefined;
  for (const [member, slots] of Object.entries(members)) {
    const value = toJsonValue(firstFound(found, slots));
    if (value === undefined) continue;
    out ??= {};
    out[member] = value;
  }
  return out;
}
