import type { AuditLogRecord } from './audit-log-record.js';
import { AUDIT_ATTRIBUTES, FALLBACK_ATTRIBUTES } from './audit-attributes.js';

/**
 * The attribute values the mapping reads, gathered in one walk over the record's attributes and one
 * over its resource's. Looking each field's keys up one by one costs about 60 property misses per
 * record (issue 2 profile); a record carries only a handful of attributes, so walking them is cheaper.
 */

const A = AUDIT_ATTRIBUTES;
const F = FALLBACK_ATTRIBUTES;

// Every key the mapping reads, each at a fixed slot.
const SLOT_KEYS = [
  ...new Set<string>([
    A.version,
    A.userIdentityType,
    A.userIdentityPrincipalId,
    ...F.principalId,
    A.userIdentityDetails,
    F.userName,
    F.userEmail,
    F.userRoles,
    A.userAgent,
    ...F.userAgent,
    A.eventSource,
    A.eventName,
    F.eventName,
    A.eventTime,
    A.uid,
    A.requestParameters,
    A.responseElements,
    A.errorCode,
    ...F.errorCode,
    A.errorMessage,
    ...F.errorMessage,
    A.sourceIpAddress,
    ...F.sourceIpAddress,
    A.recipientAccountId,
    A.additionalEventData,
    F.serviceName,
  ]),
];
const SLOT_OF: ReadonlyMap<string, number> = new Map(SLOT_KEYS.map((key, slot) => [key, slot]));

/** The slots of `keys`, in order: what {@link firstFound} takes. Build it once, at module load. */
export function slotsOf(...keys: string[]): readonly number[] {
  return keys.map((key) => {
    const slot = SLOT_OF.get(key);
    if (slot === undefined) throw new Error(`${key} is not an attribute the mapping reads`);
    return slot;
  });
}

/** A record's mapped attributes: `own[slot]` from the record, `resource[slot]` from its resource. */
export interface MappedAttributes {
  readonly own: unknown[];
  readonly resource: unknown[];
}

/** Gathers the values of every key the mapping reads, from the record and from its resource. */
export function gatherAttributes(record: AuditLogRecord): MappedAttributes {
  const own = new Array<unknown>(SLOT_KEYS.length);
  const resource = new Array<unknown>(SLOT_KEYS.length);
  gather(record.attributes, own);
  gather(record.resource.attributes, resource);
  return { own, resource };
}

function gather(attributes: Readonly<Record<string, unknown>>, into: unknown[]): void {
  // for-in also yields inherited enumerable keys, which a direct `attributes[key]` read finds too.
  for (const key in attributes) {
    const slot = SLOT_OF.get(key);
    if (slot !== undefined) into[slot] = attributes[key];
  }
}

/**
 * First match wins: each slot on the record's attributes, then each on the resource's (mapping
 * contract: "Attributes of the record are read first, then the resource's"). `null` and `undefined`
 * count as absent; the SDK stores `setAttribute(k, undefined)` as a key with no value.
 */
export function firstFound(attributes: MappedAttributes, slots: readonly number[]): unknown {
  for (let i = 0; i < slots.length; i++) {
    const value = attributes.own[slots[i]!];
    if (value !== undefined && value !== null) return value;
  }
  for (let i = 0; i < slots.length; i++) {
    const value = attributes.resource[slots[i]!];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}
