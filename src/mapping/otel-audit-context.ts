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

// Each additionalEventData key, in the order written, with the attributes it is made of (a group maps
// a member to its attributes). Plain objects and arrays built once and read with index loops: this runs
// per record, and iterating with destructuring and Object.entries allocated about 0.6 kB per record (a
// heap allocation profile of 200-byte records through the processor), a tenth of all its garbage.
interface Member {
  readonly name: string;
  readonly slots: readonly number[];
}
interface ContextField {
  readonly key: string;
  /** A single value from these attributes, or else an object of `members`. */
  readonly slots?: readonly number[];
  readonly members?: readonly Member[];
}
const FIELDS: readonly ContextField[] = [
  { key: OTEL_AUDIT_CONTEXT_KEYS.action, slots: slotsOf(O.action) },
  { key: OTEL_AUDIT_CONTEXT_KEYS.outcome, slots: slotsOf(O.outcome) },
  {
    key: OTEL_AUDIT_CONTEXT_KEYS.target,
    members: [
      { name: 'id', slots: slotsOf(O.targetId) },
      { name: 'type', slots: slotsOf(O.targetType) },
    ],
  },
  {
    key: OTEL_AUDIT_CONTEXT_KEYS.source,
    members: [
      { name: 'id', slots: slotsOf(O.sourceId) },
      { name: 'type', slots: slotsOf(O.sourceType) },
    ],
  },
  { key: OTEL_AUDIT_CONTEXT_KEYS.schemaVersion, slots: slotsOf(O.schemaVersion) },
  {
    key: OTEL_AUDIT_CONTEXT_KEYS.integrity,
    members: [
      { name: 'value', slots: slotsOf(O.integrityValue) },
      { name: 'sequenceNumber', slots: slotsOf(O.sequenceNumber) },
      { name: 'prevHash', slots: slotsOf(O.sequencePrevHash) },
    ],
  },
];

// Every attribute of FIELDS: a record with none of them (most records) is settled by one look instead
// of a lookup per field and member, which in a CPU profile of the mapping in bench/core.ts took this
// function from 8% of the mapping to under 4%.
const CONTEXT_SLOTS: readonly number[] = FIELDS.flatMap((field) =>
  field.members === undefined ? field.slots! : field.members.flatMap((member) => member.slots),
);

/**
 * The additionalEventData entries made from the OTel audit attributes (record first, then resource),
 * in a fixed order; `undefined` when the record carries none of them. Values are converted like any
 * other attribute value (a number stays a number).
 */
export function otelAuditContext(found: MappedAttributes): JsonObject | undefined {
  if (firstFound(found, CONTEXT_SLOTS) === undefined) return undefined;
  let out: JsonObject | undefined;
  for (let i = 0; i < FIELDS.length; i++) {
    const field = FIELDS[i]!;
    const value =
      field.members === undefined
        ? toJsonValue(firstFound(found, field.slots!))
        : group(found, field.members);
    if (value === undefined) continue;
    out ??= {};
    out[field.key] = value;
  }
  return out;
}

function group(found: MappedAttributes, members: readonly Member[]): JsonObject | undefined {
  let out: JsonObject | undefined;
  for (let i = 0; i < members.length; i++) {
    const member = members[i]!;
    const value = toJsonValue(firstFound(found, member.slots));
    if (value === undefined) continue;
    out ??= {};
    out[member.name] = value;
  }
  return out;
}
