/**
 * How a spooled record is written: one JSON object holding the event id, the append time and every
 * AuditLogRecord field the mapping reads, so a replayed record goes through the same mapping as a live
 * one and yields the same eventData (same id, same UID fallback). JSON cannot carry `Uint8Array` or
 * non-finite numbers, which the mapping treats specially, so those travel as tagged objects.
 *
 * A spool keeps only what can be sent: by default the attributes the mapping reads (`audit.*` and its
 * semantic-convention fallbacks), not the rest of a log record (a `http.request.header.cookie`, a
 * session token) that the Lake never receives. Keeping every attribute (`'all'`) is for configurations
 * that read others: `includeAttributes`, a custom `filter` or `mapRecord`.
 */
import { AUDIT_ATTRIBUTE_PREFIX, FALLBACK_ATTRIBUTES } from '../mapping/audit-attributes.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { ChannelDestination } from '../pipeline/channel-destination.js';

/** Which attributes of a record (and of its resource) a spool writes. */
export type SpoolAttributeScope = 'mapped' | 'all';

const FALLBACK_KEYS: ReadonlySet<string> = new Set(Object.values(FALLBACK_ATTRIBUTES).flat());

/** Whether the default mapping reads the attribute `key`. */
export function isMappedAttributeKey(key: string): boolean {
  return key.startsWith(AUDIT_ATTRIBUTE_PREFIX) || FALLBACK_KEYS.has(key);
}

function keptAttributes(
  attributes: Readonly<Record<string, unknown>>,
  scope: SpoolAttributeScope,
): Readonly<Record<string, unknown>> {
  if (scope === 'all') return attributes;
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(attributes)) if (isMappedAttributeKey(key)) kept[key] = attributes[key];
  return kept;
}

/** Tag keys: a NUL prefix keeps them apart from any attribute key an application would use. */
const BYTES_TAG = '\u0000ctl.bytes';
const NUMBER_TAG = '\u0000ctl.number';

export interface DecodedSpoolRecord {
  id: string;
  /** The channel decided at entry; absent for the exporter's own channel (and in older spools). */
  route?: ChannelDestination | undefined;
  /** When the record was appended, in epoch milliseconds. */
  appendedAtMillis: number;
  record: AuditLogRecord;
}

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(value).toString('base64') };
  if (typeof value === 'number' && !Number.isFinite(value)) return { [NUMBER_TAG]: String(value) };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const tagged = value as Record<string, unknown>;
    const bytes = tagged[BYTES_TAG];
    if (typeof bytes === 'string') return new Uint8Array(Buffer.from(bytes, 'base64'));
    const number = tagged[NUMBER_TAG];
    if (typeof number === 'string') return Number(number);
  }
  return value;
}

/** JSON of a value that may hold AnyValue oddities. */
function toJson(value: unknown): string {
  return JSON.stringify(value, replacer) ?? 'null';
}

// A provider has one Resource and a logger one scope: serialise each once, not once per record.
const resourceJson: Record<SpoolAttributeScope, WeakMap<object, string>> = {
  mapped: new WeakMap(),
  all: new WeakMap(),
};
const scopeJson = new WeakMap<object, string>();

function cached(cache: WeakMap<object, string>, key: object, make: () => string): string {
  let json = cache.get(key);
  if (json === undefined) {
    json = make();
    cache.set(key, json);
  }
  return json;
}

/**
 * Serialises one spool entry, with the attributes `attributeScope` keeps and its `route`: the channel is
 * decided once, at entry, so a replay must find it here rather than route again. The route's externalId
 * is kept too (the spool file is 0600, like the audit data beside it); without it a replay could not
 * reach a channel whose policy requires it. Throws only if a value cannot be serialised at all (a cycle).
 */
export function encodeSpoolRecord(
  id: string,
  record: AuditLogRecord,
  appendedAtMillis: number,
  attributeScope: SpoolAttributeScope = 'mapped',
  route?: ChannelDestination,
): string {
  const resource = cached(resourceJson[attributeScope], record.resource, () =>
    toJson(keptAttributes(record.resource.attributes ?? {}, attributeScope)),
  );
  const scope = cached(scopeJson, record.instrumentationScope, () =>
    toJson({ name: record.instrumentationScope.name, version: record.instrumentationScope.version }),
  );
  const rest: Record<string, unknown> = {
    hrTime: record.hrTime,
    hrTimeObserved: record.hrTimeObserved,
    attributes: keptAttributes(record.attributes, attributeScope),
  };
  if (record.spanContext !== undefined) {
    rest['spanContext'] = { traceId: record.spanContext.traceId, spanId: record.spanContext.spanId };
  }
  if (record.severityText !== undefined) rest['severityText'] = record.severityText;
  if (record.severityNumber !== undefined) rest['severityNumber'] = record.severityNumber;
  if (record.body !== undefined) rest['body'] = record.body;
  if (record.eventName !== undefined) rest['eventName'] = record.eventName;
  const routed =
    route === undefined
      ? ''
      : `"route":${JSON.stringify({ channelArn: route.channelArn, externalId: route.externalId })},`;
  return `{"id":${JSON.stringify(id)},"t":${appendedAtMillis},${routed}"resource":${resource},"scope":${scope},"record":${toJson(rest)}}`;
}

function isHrTime(value: unknown): value is [number, number] {
  return Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses what {@link encodeSpoolRecord} wrote; undefined when the text is not such a record. */
export function decodeSpoolRecord(text: string): DecodedSpoolRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, reviver);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || typeof parsed['id'] !== 'string' || typeof parsed['t'] !== 'number')
    return undefined;
  const rest = parsed['record'];
  const resource = parsed['resource'];
  const scope = parsed['scope'];
  if (!isObject(rest) || !isObject(resource) || !isObject(scope)) return undefined;
  if (!isHrTime(rest['hrTime']) || !isHrTime(rest['hrTimeObserved']) || !isObject(rest['attributes'])) {
    return undefined;
  }
  const span = rest['spanContext'];
  const record: AuditLogRecord = {
    hrTime: rest['hrTime'],
    hrTimeObserved: rest['hrTimeObserved'],
    attributes: rest['attributes'],
    resource: { attributes: resource },
    instrumentationScope: {
      name: typeof scope['name'] === 'string' ? scope['name'] : '',
      version: typeof scope['version'] === 'string' ? scope['version'] : undefined,
    },
    spanContext:
      isObject(span) && typeof span['traceId'] === 'string' && typeof span['spanId'] === 'string'
        ? { traceId: span['traceId'], spanId: span['spanId'] }
        : undefined,
    severityText: typeof rest['severityText'] === 'string' ? rest['severityText'] : undefined,
    severityNumber: typeof rest['severityNumber'] === 'number' ? rest['severityNumber'] : undefined,
    body: rest['body'],
    eventName: typeof rest['eventName'] === 'string' ? rest['eventName'] : undefined,
  };
  const route = decodeRoute(parsed['route']);
  if (route === null) return undefined;
  return {
    id: parsed['id'],
    appendedAtMillis: parsed['t'],
    record,
    ...(route === undefined ? {} : { route }),
  };
}

/** The kept route: undefined when there is none, null when it is damaged (the record is then not trusted). */
function decodeRoute(value: unknown): ChannelDestination | undefined | null {
  if (value === undefined) return undefined;
  if (!isObject(value) || typeof value['channelArn'] !== 'string') return null;
  const externalId = value['externalId'];
  if (externalId !== undefined && typeof externalId !== 'string') return null;
  return externalId === undefined
    ? { channelArn: value['channelArn'] }
    : { channelArn: value['channelArn'], externalId };
}
