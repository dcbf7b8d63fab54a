import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import { setKey } from '../mapping/any-value.js';
import type { JsonObject, JsonValue } from '../mapping/audit-event.js';

/**
 * What the bridge builds from each OTLP LogRecord: the `AuditLogRecord` the mapping reads, plus the
 * `droppedAttributesCount` an sdk-logs `ReadableLogRecord` has, so the record can travel through the
 * sdk-logs BatchLogRecordProcessor unchanged.
 */
export interface BridgeLogRecord extends AuditLogRecord {
  readonly droppedAttributesCount: number;
}

/** Which OTLP encoding the decoded object came from; they differ in how ids, bytes and int64 are written. */
export type OtlpEncoding = 'json' | 'protobuf';

/** The request body is not a valid ExportLogsServiceRequest; the message names the path and the value. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

/**
 * Deeper AnyValue nesting is refused here too, whatever the caller checked before: it only serves to
 * exhaust the stack (levels). The bridge scans requests against its own, lower `maxAnyValueDepth` first.
 */
export const MAX_ANY_VALUE_DEPTH = 256;

const SEVERITY_NAMES: ReadonlyMap<string, number> = new Map(
  ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level, index) =>
    ['', '2', '3', '4'].map(
      (suffix, offset) => [`SEVERITY_NUMBER_${level}${suffix}`, index * 4 + offset + 1] as const,
    ),
  ),
).set('SEVERITY_NUMBER_UNSPECIFIED', 0);

type Obj = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function describe(value: unknown): string {
  // Never String() a container: a deeply nested array would overflow the stack building the message.
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : typeof value === 'object' && value !== null
        ? Array.isArray(value)
          ? 'array'
          : 'object'
        : String(value);
  return `${text.length > 40 ? `${text.slice(0, 40)}…` : text} (${Array.isArray(value) ? 'array' : typeof value})`;
}

/**
 * Where a value sits in the request, for an error message; undefined while a record is converted the
 * first time. Paths are built only to report an error: a record that fails is converted again with
 * them (see toBridgeLogRecord), which spares a valid record a few strings per attribute: the bridge's
 * CPU per record of bench/bridge.ts's JSON workload fell from 133 to 121 µs (two alternating runs of
 * the bridge alone; protobuf within the noise).
 */
type Path = string | undefined;

/**
 * Thrown where a record is malformed while no path is built; the record is then converted again with
 * paths. One instance, made once: throwing it captures no stack.
 */
const UNNAMED = new OtlpDecodeError('malformed LogRecord (converted again to name the field)');

function member(path: Path, name: string): Path {
  return path === undefined ? undefined : `${path}.${name}`;
}

function item(path: Path, index: number): Path {
  return path === undefined ? undefined : `${path}[${index}]`;
}

function fail(path: Path, expected: string, value: unknown): never {
  if (path === undefined) throw UNNAMED;
  throw new OtlpDecodeError(`${path}: expected ${expected}, got ${describe(value)}`);
}

function list(value: unknown, path: Path): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

function optionalObject(value: unknown, path: Path): Obj {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) fail(path, 'an object', value);
  return value;
}

function optionalString(value: unknown, path: Path): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') fail(path, 'a string', value);
  return value;
}

/** A decoded protobuf 64-bit integer (a bigint) as its decimal string; any other value unchanged. */
function fromBigint(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** int64/fixed64 nanoseconds (decimal string, or a number in lenient JSON) as `[seconds, nanoseconds]`; 0 is "unset". */
function nanosToHrTime(raw: unknown, path: Path): [number, number] | undefined {
  const value = fromBigint(raw);
  if (value === undefined || value === null || value === 0 || value === '0' || value === '') return undefined;
  let nanos: bigint;
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) nanos = BigInt(value);
  else if (typeof value === 'number' && Number.isInteger(value) && value > 0) nanos = BigInt(value);
  else fail(path, 'unsigned integer nanoseconds since the epoch', value);
  return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
}

function int64(value: unknown, path: Path): number | string {
  const text = typeof value === 'number' ? String(value) : fromBigint(value);
  if (typeof text !== 'string' || !/^-?\d{1,20}$/.test(text)) fail(path, 'an int64', value);
  const number = Number(text);
  // Beyond 2^53 a number would silently change the value; the decimal string keeps it exact.
  return Number.isSafeInteger(number) ? number : text;
}

function double(value: unknown, path: Path): number | string {
  if (typeof value === 'number') return value;
  // proto3 JSON writes non-finite doubles as strings; the mapping stringifies them anyway.
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  fail(path, 'a double', value);
}

function bytes(value: unknown, encoding: OtlpEncoding, path: Path): Uint8Array {
  if (encoding === 'protobuf' && value instanceof Uint8Array) return new Uint8Array(value);
  if (typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) {
    return new Uint8Array(Buffer.from(value, 'base64'));
  }
  fail(path, 'base64 bytes', value);
}

/** A trace or span id as lower-case hex, or undefined when absent, malformed or all zeros (invalid in OTel). */
function hexId(value: unknown, encoding: OtlpEncoding, byteLength: number): string | undefined {
  let hex: string | undefined;
  if (encoding === 'protobuf' && value instanceof Uint8Array && value.length === byteLength) {
    hex = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  } else if (typeof value === 'string' && value.length === byteLength * 2 && /^[0-9a-fA-F]+$/.test(value)) {
    hex = value.toLowerCase();
  }
  return hex === undefined || /^0+$/.test(hex) ? undefined : hex;
}

function anyValue(value: unknown, encoding: OtlpEncoding, path: Path, depth: number): unknown {
  if (depth > MAX_ANY_VALUE_DEPTH) {
    if (path === undefined) throw UNNAMED;
    throw new OtlpDecodeError(`${path}: AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH}`);
  }
  if (value === undefined || value === null) return null;
  if (!isObject(value)) fail(path, 'an AnyValue object', value);
  // A decoded protobuf AnyValue holds its oneof as `value: { case, value }`; JSON has exactly one member key.
  const oneof = encoding === 'protobuf' ? (value['value'] as { case?: string; value?: unknown }) : undefined;
  const kind = oneof !== undefined ? oneof.case : Object.keys(value).find((key) => key.endsWith('Value'));
  if (kind === undefined) return null;
  const inner = oneof !== undefined ? oneof.value : value[kind];
  const at = member(path, kind);
  switch (kind) {
    case 'stringValue':
      return typeof inner === 'string' ? inner : fail(at, 'a string', inner);
    case 'boolValue':
      return typeof inner === 'boolean' ? inner : fail(at, 'a boolean', inner);
    case 'intValue':
      return int64(inner, at);
    case 'doubleValue':
      return double(inner, at);
    case 'bytesValue':
      return bytes(inner, encoding, at);
    case 'arrayValue':
      return list(optionalObject(inner, at)['values'], member(at, 'values')).map((value, index) =>
        anyValue(value, encoding, item(member(at, 'values'), index), depth + 1),
      );
    case 'kvlistValue':
      return keyValues(optionalObject(inner, at)['values'], encoding, member(at, 'values'), depth + 1);
    default:
      return fail(path, 'one of the AnyValue fields', kind);
  }
}

function keyValues(value: unknown, encoding: OtlpEncoding, path: Path, depth = 0): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  list(value, path).forEach((keyValue, index) => {
    const at = item(path, index);
    if (!isObject(keyValue)) fail(at, 'a KeyValue object', keyValue);
    const key = keyValue['key'];
    if (typeof key !== 'string') fail(member(at, 'key'), 'a string', key);
    // An OTLP key is any string; `__proto__` must stay an attribute, never become the prototype.
    setKey(
      result as JsonObject,
      key,
      anyValue(keyValue['value'], encoding, member(at, 'value'), depth) as JsonValue,
    );
  });
  return result;
}

function severityNumber(value: unknown, path: Path): number | undefined {
  if (value === undefined || value === null || value === 0) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 24) return value;
  if (typeof value === 'string' && SEVERITY_NAMES.has(value)) return SEVERITY_NAMES.get(value) || undefined;
  return fail(path, 'a severity number from 0 to 24', value);
}

/** One LogRecord of a request, where it sits, and the resource and scope it shares with its neighbours. */
export interface LogRecordEntry {
  /** The LogRecord as decoded, or what stands for it until it is (see the caller). */
  readonly value: unknown;
  /** Where its scope's LogRecords sit, and its index among them: its path, built only for an error. */
  readonly scopePath: string;
  readonly index: number;
  readonly resource: AuditLogRecord['resource'];
  readonly scope: AuditLogRecord['instrumentationScope'];
}

/**
 * Converts one OTLP LogRecord (a JSON object, or a decoded protobuf message) into a record.
 * `receivedAt` stands in for a missing observed time. Throws OtlpDecodeError naming the first
 * malformed field.
 */
export function toBridgeLogRecord(
  entry: LogRecordEntry,
  value: unknown,
  encoding: OtlpEncoding,
  receivedAt: [number, number],
): BridgeLogRecord {
  try {
    return convertLogRecord(entry, value, encoding, receivedAt, undefined);
  } catch (error) {
    if (error !== UNNAMED) throw error;
    // Malformed: converted again with paths, which throws the error naming the field.
    const path = `${entry.scopePath}.logRecords[${entry.index}]`;
    return convertLogRecord(entry, value, encoding, receivedAt, path);
  }
}

function convertLogRecord(
  entry: LogRecordEntry,
  value: unknown,
  encoding: OtlpEncoding,
  receivedAt: [number, number],
  path: Path,
): BridgeLogRecord {
  const record = optionalObject(value, path);
  const observed =
    nanosToHrTime(record['observedTimeUnixNano'], member(path, 'observedTimeUnixNano')) ?? receivedAt;
  const traceId = hexId(record['traceId'], encoding, 16);
  const spanId = hexId(record['spanId'], encoding, 8);
  const body =
    record['body'] === undefined || record['body'] === null
      ? undefined
      : anyValue(record['body'], encoding, member(path, 'body'), 0);
  return {
    // OTLP leaves time_unix_nano at 0 when the event time is unknown; fall back as the SDK does.
    hrTime: nanosToHrTime(record['timeUnixNano'], member(path, 'timeUnixNano')) ?? observed,
    hrTimeObserved: observed,
    spanContext: traceId !== undefined && spanId !== undefined ? { traceId, spanId } : undefined,
    severityText: optionalString(record['severityText'], member(path, 'severityText')),
    severityNumber: severityNumber(record['severityNumber'], member(path, 'severityNumber')),
    body: body === null ? undefined : body,
    eventName: optionalString(record['eventName'], member(path, 'eventName')),
    resource: entry.resource,
    instrumentationScope: entry.scope,
    attributes: keyValues(record['attributes'], encoding, member(path, 'attributes')),
    droppedAttributesCount:
      typeof record['droppedAttributesCount'] === 'number' ? record['droppedAttributesCount'] : 0,
  };
}

/**
 * Walks a decoded ExportLogsServiceRequest (OTLP JSON object, or the protobuf decoder's object) and
 * yields each LogRecord with its resource and scope, converted once and shared by their records as the
 * SDK does. A generator, so a caller can convert the records in slices. Throws OtlpDecodeError naming
 * the first malformed field around the records.
 */
export function* logRecordEntries(request: unknown, encoding: OtlpEncoding): Generator<LogRecordEntry> {
  if (!isObject(request)) fail('body', 'an ExportLogsServiceRequest object', request);
  const resourceLogsList = list(request['resourceLogs'], 'resourceLogs');
  for (let r = 0; r < resourceLogsList.length; r++) {
    const resourcePath = `resourceLogs[${r}]`;
    const resourceLogs = optionalObject(resourceLogsList[r], resourcePath);
    const resourceValue = optionalObject(resourceLogs['resource'], `${resourcePath}.resource`);
    const resource = {
      attributes: keyValues(resourceValue['attributes'], encoding, `${resourcePath}.resource.attributes`),
    };
    const scopeLogsList = list(resourceLogs['scopeLogs'], `${resourcePath}.scopeLogs`);
    for (let s = 0; s < scopeLogsList.length; s++) {
      const scopePath = `${resourcePath}.scopeLogs[${s}]`;
      const scopeLogs = optionalObject(scopeLogsList[s], scopePath);
      const scopeValue = optionalObject(scopeLogs['scope'], `${scopePath}.scope`);
      const version = optionalString(scopeValue['version'], `${scopePath}.scope.version`);
      const scope = {
        name: optionalString(scopeValue['name'], `${scopePath}.scope.name`) ?? '',
        ...(version === undefined ? {} : { version }),
      };
      const records = list(scopeLogs['logRecords'], `${scopePath}.logRecords`);
      for (let l = 0; l < records.length; l++) {
        yield { value: records[l], scopePath, index: l, resource, scope };
      }
    }
  }
}
