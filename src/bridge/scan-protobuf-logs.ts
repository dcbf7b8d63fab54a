import {
  DECODED_VALUE_OVERHEAD_BYTES,
  DecodeLimitError,
  type DecodeLimits,
  type OtlpLogsMessage,
} from './decode-limits.js';
import { OtlpDecodeError } from './otlp-to-audit-log-records.js';

/**
 * The OTLP logs messages, by the field numbers that hold other messages (opentelemetry-proto
 * `logs/v1/logs.proto`, `common/v1/common.proto`, `collector/logs/v1/logs_service.proto`). Every other
 * field is a leaf: skipped, its bytes counted.
 */
type Kind = OtlpLogsMessage;

const CHILDREN: Readonly<Record<Kind, Readonly<Record<number, Kind>>>> = {
  request: { 1: 'resourceLogs' },
  resourceLogs: { 1: 'resource', 2: 'scopeLogs' },
  resource: { 1: 'keyValue' },
  scopeLogs: { 1: 'scope', 2: 'logRecord' },
  scope: { 3: 'keyValue' },
  logRecord: { 5: 'anyValue', 6: 'keyValue' },
  keyValue: { 2: 'anyValue' },
  anyValue: { 5: 'arrayValue', 6: 'kvlistValue' },
  arrayValue: { 1: 'anyValue' },
  kvlistValue: { 1: 'keyValue' },
};

/** Messages whose `keyValue` children are the attributes DecodeLimits.maxAttributesPerRecord bounds. */
const ATTRIBUTE_HOLDERS: ReadonlySet<Kind> = new Set(['resource', 'scope', 'logRecord']);

/** Where a message sits in the request body: `[start, end)` byte offsets. */
export type ByteRange = readonly [start: number, end: number];

/**
 * Where the messages around the log records are, as the scan found them: enough to decode a request
 * piece by piece. A singular message found twice (`resource`, `scope`) has both ranges: protobuf merges them.
 */
export interface ProtobufLogsOutline {
  resourceLogs: { resource: ByteRange[]; scopeLogs: { scope: ByteRange[]; logRecords: ByteRange[] }[] }[];
}

interface State {
  readonly bytes: Uint8Array;
  readonly limits: DecodeLimits;
  records: number;
  decodedBytes: number;
  readonly outline: ProtobufLogsOutline;
  /** Log records are only noted in the outline, their contents scanned later one by one (scanLogRecords). */
  readonly deferRecords: boolean;
}

/** Notes where a message that the outline keeps sits; the innermost open ResourceLogs and ScopeLogs are the last ones. */
function addToOutline(outline: ProtobufLogsOutline, child: Kind, range: ByteRange): void {
  const resourceLogs = outline.resourceLogs[outline.resourceLogs.length - 1];
  const scopeLogs = resourceLogs?.scopeLogs[resourceLogs.scopeLogs.length - 1];
  if (child === 'resourceLogs') outline.resourceLogs.push({ resource: [], scopeLogs: [] });
  else if (child === 'resource') resourceLogs?.resource.push(range);
  else if (child === 'scopeLogs') resourceLogs?.scopeLogs.push({ scope: [], logRecords: [] });
  else if (child === 'scope') scopeLogs?.scope.push(range);
  else if (child === 'logRecord') scopeLogs?.logRecords.push(range);
}

function readVarint(state: State, at: { offset: number }, end: number): number {
  let result = 0;
  let multiplier = 1;
  for (let i = 0; i < 10; i++) {
    if (at.offset >= end) throw new OtlpDecodeError('malformed protobuf body: truncated varint');
    const byte = state.bytes[at.offset++]!;
    // Lengths and tags fit in 2^53; larger varints are only skipped, so precision does not matter.
    result += (byte & 0x7f) * multiplier;
    if (byte < 0x80) return result;
    multiplier *= 128;
  }
  throw new OtlpDecodeError('malformed protobuf body: varint longer than 10 bytes');
}

function addDecoded(state: State, bytes: number): void {
  state.decodedBytes += bytes + DECODED_VALUE_OVERHEAD_BYTES;
  if (state.decodedBytes > state.limits.maxDecodedBytes) {
    throw new DecodeLimitError('maxDecodedBytes', state.limits.maxDecodedBytes, 'the decoded request size');
  }
}

/** Walks one message of `kind` in `[start, end)`; `depth` is the AnyValue nesting level it sits at. */
function scanMessage(state: State, kind: Kind, start: number, end: number, depth: number): void {
  const at = { offset: start };
  const children = CHILDREN[kind];
  let attributes = 0;
  while (at.offset < end) {
    const tag = readVarint(state, at, end);
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 0) throw new OtlpDecodeError('malformed protobuf body: field number 0');
    if (wireType === 0) {
      readVarint(state, at, end);
      addDecoded(state, 0);
      continue;
    }
    if (wireType === 1 || wireType === 5) {
      at.offset += wireType === 1 ? 8 : 4;
      if (at.offset > end) throw new OtlpDecodeError('malformed protobuf body: truncated fixed-width field');
      addDecoded(state, 0);
      continue;
    }
    if (wireType !== 2)
      throw new OtlpDecodeError(`malformed protobuf body: unsupported wire type ${wireType}`);
    const length = readVarint(state, at, end);
    const valueStart = at.offset;
    const valueEnd = valueStart + length;
    if (valueEnd > end) throw new OtlpDecodeError('malformed protobuf body: length beyond its message');
    at.offset = valueEnd;
    const child = children[field];
    if (child === undefined) {
      addDecoded(state, length);
      continue;
    }
    addDecoded(state, 0);
    let childDepth = depth;
    if (child === 'logRecord' && ++state.records > state.limits.maxRecordsPerRequest) {
      throw new DecodeLimitError(
        'maxRecordsPerRequest',
        state.limits.maxRecordsPerRequest,
        'the number of log records',
      );
    }
    if (
      child === 'keyValue' &&
      ATTRIBUTE_HOLDERS.has(kind) &&
      ++attributes > state.limits.maxAttributesPerRecord
    ) {
      throw new DecodeLimitError(
        'maxAttributesPerRecord',
        state.limits.maxAttributesPerRecord,
        `the number of attributes of a ${kind === 'logRecord' ? 'log record' : kind}`,
      );
    }
    if (child === 'arrayValue' || child === 'kvlistValue') {
      childDepth = depth + 1;
      if (childDepth > state.limits.maxAnyValueDepth) {
        throw new DecodeLimitError(
          'maxAnyValueDepth',
          state.limits.maxAnyValueDepth,
          'the AnyValue nesting depth',
        );
      }
    }
    if (kind === 'request' || kind === 'resourceLogs' || kind === 'scopeLogs') {
      addToOutline(state.outline, child, [valueStart, valueEnd]);
    }
    if (child !== 'logRecord' || !state.deferRecords)
      scanMessage(state, child, valueStart, valueEnd, childDepth);
  }
}

/**
 * Checks a protobuf ExportLogsServiceRequest against `limits` in one pass over its bytes, before it is
 * decoded: no object is built, and the recursion is as deep as the AnyValue nesting allowed. Returns
 * where the resources, scopes and log records are.
 * @throws DecodeLimitError naming the limit; OtlpDecodeError for bytes that are not protobuf.
 */
export function scanProtobufLogsRequest(bytes: Uint8Array, limits: DecodeLimits): ProtobufLogsOutline {
  const outline: ProtobufLogsOutline = { resourceLogs: [] };
  const state = { bytes, limits, records: 0, decodedBytes: 0, outline, deferRecords: false };
  scanMessage(state, 'request', 0, bytes.length, 0);
  return outline;
}

/**
 * {@link scanProtobufLogsRequest} in steps: the request around its log records first, then the records,
 * `pace` awaited after each with its size in bytes so the caller can give the event loop turns. The
 * whole body is still checked before anything is decoded.
 */
export async function scanProtobufLogsRequestInSlices(
  bytes: Uint8Array,
  limits: DecodeLimits,
  pace: (bytes: number) => Promise<void> | undefined,
): Promise<ProtobufLogsOutline> {
  const outline: ProtobufLogsOutline = { resourceLogs: [] };
  const state = { bytes, limits, records: 0, decodedBytes: 0, outline, deferRecords: true };
  scanMessage(state, 'request', 0, bytes.length, 0);
  for (const resourceLogs of outline.resourceLogs) {
    for (const scopeLogs of resourceLogs.scopeLogs) {
      for (const [start, end] of scopeLogs.logRecords) {
        scanMessage(state, 'logRecord', start, end, 0);
        await pace(end - start);
      }
    }
  }
  return outline;
}
