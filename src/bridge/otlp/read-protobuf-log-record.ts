import { WireType, type BinaryReader } from '@bufbuild/protobuf/wire';
import { OtlpDecodeError, type BridgeLogRecord, type LogRecordEntry } from '../otlp-to-audit-log-records.js';
import type { ByteRange } from '../scan-protobuf-logs.js';
import { readAnyValue, readKeyValue } from './read-protobuf-any-value.js';
import {
  checkedReader,
  fieldNames,
  item,
  member,
  readFields,
  UNNAMED,
  type Path,
} from './read-protobuf-fields.js';

/*
 * Why a hand-written field switch rather than the generated message's reflective `fromBinary`: that
 * built a message object per LogRecord, KeyValue and AnyValue (oneofs as `{ case, value }`, int64 as
 * bigint), which the conversion then walked a second time. Reading the fields straight into the record
 * does both at once. On bench/bridge.ts's protobuf records (~1 kB of eventData in nested maps and
 * arrays) reading one fell from about 15 to 6 µs (both readers alternating in one process), and the
 * bridge's CPU per record from 1.4-2.2x the in-process exporter's to 0.7-1.1x (six runs of each,
 * alternating, on a loaded machine). Field numbers and types: opentelemetry-proto
 * `opentelemetry/proto/logs/v1/logs.proto` (LogRecord); wire format:
 * https://protobuf.dev/programming-guides/encoding/, read with @bufbuild/protobuf's BinaryReader.
 */

const logRecordField = fieldNames({
  1: 'timeUnixNano',
  2: 'severityNumber',
  3: 'severityText',
  5: 'body',
  6: 'attributes',
  7: 'droppedAttributesCount',
  8: 'flags',
  9: 'traceId',
  10: 'spanId',
  11: 'observedTimeUnixNano',
  12: 'eventName',
});

const NANOS_PER_SECOND = 1_000_000_000n;

/** fixed64 nanoseconds since the epoch (a bigint, or a string where BigInt is unavailable) as `[seconds, nanoseconds]`; 0 is "unset" in OTLP. */
function hrTimeOf(nanos: bigint | string): [number, number] | undefined {
  const value = BigInt(nanos);
  if (value === 0n) return undefined;
  return [Number(value / NANOS_PER_SECOND), Number(value % NANOS_PER_SECOND)];
}

/** A trace or span id as lower-case hex, or undefined when absent, of another length, or all zeros (invalid in OTel). */
function hexId(bytes: Uint8Array | undefined, byteLength: number): string | undefined {
  if (bytes === undefined || bytes.length !== byteLength || bytes.every((byte) => byte === 0))
    return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function readLogRecord(
  reader: BinaryReader,
  end: number,
  entry: Omit<LogRecordEntry, 'value'>,
  receivedAt: [number, number],
  path: Path,
): BridgeLogRecord {
  let time: bigint | string = 0n;
  let observedTime: bigint | string = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body: unknown = null;
  const attributes: Record<string, unknown> = {};
  let attributeCount = 0;
  let droppedAttributesCount = 0;
  let traceId: Uint8Array | undefined;
  let spanId: Uint8Array | undefined;
  let eventName = '';
  const name = (field: number): string =>
    field === 6 ? `attributes[${attributeCount}]` : logRecordField(field);
  readFields(reader, end, path, name, (field, wireType) => {
    switch (field) {
      case 1:
        time = checkedReader(reader, wireType, WireType.Bit64).fixed64();
        return true;
      case 2:
        severityNumber = checkedReader(reader, wireType, WireType.Varint).int32();
        return true;
      case 3:
        severityText = checkedReader(reader, wireType, WireType.LengthDelimited).string(true);
        return true;
      case 5:
        body = readAnyValue(reader, wireType, end, body, member(path, 'body'), 0);
        return true;
      case 6:
        readKeyValue(reader, wireType, end, attributes, item(path, 'attributes', attributeCount), 0);
        attributeCount++;
        return true;
      case 7:
        droppedAttributesCount = checkedReader(reader, wireType, WireType.Varint).uint32();
        return true;
      case 8:
        checkedReader(reader, wireType, WireType.Bit32).fixed32();
        return true;
      case 9:
        traceId = checkedReader(reader, wireType, WireType.LengthDelimited).bytes();
        return true;
      case 10:
        spanId = checkedReader(reader, wireType, WireType.LengthDelimited).bytes();
        return true;
      case 11:
        observedTime = checkedReader(reader, wireType, WireType.Bit64).fixed64();
        return true;
      case 12:
        eventName = checkedReader(reader, wireType, WireType.LengthDelimited).string(true);
        return true;
      default:
        return false;
    }
  });
  // An open enum in proto3 may hold any int32; the SeverityNumber values run from 0 to 24.
  if (severityNumber < 0 || severityNumber > 24) {
    if (path === undefined) throw UNNAMED;
    throw new OtlpDecodeError(
      `${path}.severityNumber: expected a severity number from 0 to 24, got ${severityNumber} (number)`,
    );
  }
  const observed = hrTimeOf(observedTime) ?? receivedAt;
  const trace = hexId(traceId, 16);
  const span = hexId(spanId, 8);
  return {
    // OTLP leaves time_unix_nano at 0 when the event time is unknown; fall back as the SDK does.
    hrTime: hrTimeOf(time) ?? observed,
    hrTimeObserved: observed,
    spanContext: trace !== undefined && span !== undefined ? { traceId: trace, spanId: span } : undefined,
    severityText: severityText === '' ? undefined : severityText,
    severityNumber: severityNumber === 0 ? undefined : severityNumber,
    body: body === null ? undefined : body,
    eventName: eventName === '' ? undefined : eventName,
    resource: entry.resource,
    instrumentationScope: entry.scope,
    attributes,
    droppedAttributesCount,
  };
}

/**
 * Reads the LogRecord at `range` of the reader's bytes into a record, as toBridgeLogRecord converts
 * the generated decoder's message. `receivedAt` stands in for a missing observed time.
 * @throws OtlpDecodeError naming the field (`resourceLogs[0].scopeLogs[0].logRecords[3].body…`).
 */
export function readProtobufLogRecord(
  reader: BinaryReader,
  range: ByteRange,
  entry: Omit<LogRecordEntry, 'value'>,
  receivedAt: [number, number],
): BridgeLogRecord {
  const [start, end] = range;
  reader.pos = start;
  try {
    return readLogRecord(reader, end, entry, receivedAt, undefined);
  } catch (error) {
    if (error !== UNNAMED) throw error;
    // Malformed: read again with paths, which throws the error naming the field.
    reader.pos = start;
    return readLogRecord(reader, end, entry, receivedAt, `${entry.scopePath}.logRecords[${entry.index}]`);
  }
}
