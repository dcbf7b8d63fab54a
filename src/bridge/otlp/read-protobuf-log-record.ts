import { WireType, type BinaryReader } from '@bufbuild/protobuf/wire';
import { OtlpDecodeError, type BridgeLogRecord, type LogRecordEntry } from '../otlp-to-audit-log-records.js';
import type { ByteRange } from '../scan-protobuf-logs.js';
import { readAnyValue, readKeyValue } from './read-protobuf-any-value.js';
import {
  checkWithin,
  embeddedMessageEnd,
  expectWireType,
  fieldFailure,
  item,
  member,
  UNNAMED,
  type Path,
} from './protobuf-wire-fields.js';

/*
 * Why a hand-written field switch rather than the generated message's reflective `fromBinary`: on
 * bench/bridge.ts's protobuf workload (records of ~1 kB eventData, a few nested maps and arrays), the
 * reflective decoder built a message object per LogRecord, KeyValue and AnyValue (oneofs as
 * `{ case, value }`, int64 as bigint) that the conversion then walked again, and took about a sixth of
 * the bridge's CPU, more than the whole JSON parse. Reading the fields straight into the record skips
 * both. The field numbers and types are those of opentelemetry-proto `opentelemetry/proto/logs/v1/logs.proto`
 * (LogRecord); the wire format is https://protobuf.dev/programming-guides/encoding/, read with
 * @bufbuild/protobuf's BinaryReader.
 */

const LOG_RECORD_FIELDS: Readonly<Record<number, string>> = {
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
};

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

function fieldPath(path: Path, field: number, attributes: number): Path {
  if (path === undefined || field === 0) return path;
  if (field === 6) return item(path, 'attributes', attributes);
  return member(path, LOG_RECORD_FIELDS[field] ?? `<field ${field}>`);
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
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const [number, wireType] = reader.tag();
      field = number;
      switch (field) {
        case 1:
          expectWireType(wireType, WireType.Bit64);
          time = reader.fixed64();
          break;
        case 2:
          expectWireType(wireType, WireType.Varint);
          severityNumber = reader.int32();
          break;
        case 3:
          expectWireType(wireType, WireType.LengthDelimited);
          severityText = reader.string(true);
          break;
        case 5: {
          const bodyEnd = embeddedMessageEnd(reader, wireType, end);
          body = readAnyValue(reader, bodyEnd, body, member(path, 'body'), 0);
          break;
        }
        case 6: {
          const keyValueEnd = embeddedMessageEnd(reader, wireType, end);
          readKeyValue(reader, keyValueEnd, attributes, item(path, 'attributes', attributeCount), 0);
          attributeCount++;
          break;
        }
        case 7:
          expectWireType(wireType, WireType.Varint);
          droppedAttributesCount = reader.uint32();
          break;
        case 8:
          expectWireType(wireType, WireType.Bit32);
          reader.fixed32();
          break;
        case 9:
          expectWireType(wireType, WireType.LengthDelimited);
          traceId = reader.bytes();
          break;
        case 10:
          expectWireType(wireType, WireType.LengthDelimited);
          spanId = reader.bytes();
          break;
        case 11:
          expectWireType(wireType, WireType.Bit64);
          observedTime = reader.fixed64();
          break;
        case 12:
          expectWireType(wireType, WireType.LengthDelimited);
          eventName = reader.string(true);
          break;
        default:
          reader.skip(wireType, field);
      }
      checkWithin(reader, end);
    }
  } catch (error) {
    throw fieldFailure(error, fieldPath(path, field, attributeCount));
  }
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
