import { WireType, type BinaryReader } from '@bufbuild/protobuf/wire';
import { MAX_ANY_VALUE_DEPTH, OtlpDecodeError } from '../otlp-to-audit-log-records.js';
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
 * OTLP AnyValue, ArrayValue, KeyValueList and KeyValue (opentelemetry-proto
 * `opentelemetry/proto/common/v1/common.proto`) read straight from the wire into the values a record
 * holds: strings, booleans, numbers (an int64 beyond 2^53 as its decimal string), copied bytes, arrays
 * and plain objects. As in any protobuf decoder (https://protobuf.dev/programming-guides/encoding/):
 * the last of a repeated scalar wins, a message sent twice is merged (its repeated fields appended, a
 * oneof member of another kind replacing the first), unknown fields are skipped.
 */

const ANY_VALUE_FIELDS: Readonly<Record<number, string>> = {
  1: 'stringValue',
  2: 'boolValue',
  3: 'intValue',
  4: 'doubleValue',
  5: 'arrayValue',
  6: 'kvlistValue',
  7: 'bytesValue',
  8: 'stringValueStrindex',
};

/** The field a failure happened in: the message itself when the tag could not be read. */
function fieldPath(path: Path, field: number, names: Readonly<Record<number, string>>): Path {
  if (path === undefined || field === 0) return path;
  return `${path}.${names[field] ?? `<field ${field}>`}`;
}

/**
 * An int64 as a number, or beyond 2^53, where a number would silently change the value, as its decimal
 * string. The reader gives a bigint (a string where BigInt is unavailable).
 */
function int64(value: bigint | string): number | string {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : String(value);
}

/** A kvlistValue decoded before, which a second kvlistValue merges into. */
function isKeyValueList(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/**
 * Reads an AnyValue in `[reader.pos, end)`. `previous` is the value the same field decoded to before
 * (null if none), merged with as protobuf merges a message sent twice. Returns null when no member of
 * the oneof is set.
 */
export function readAnyValue(
  reader: BinaryReader,
  end: number,
  previous: unknown,
  path: Path,
  depth: number,
): unknown {
  if (depth > MAX_ANY_VALUE_DEPTH) {
    if (path === undefined) throw UNNAMED;
    throw new OtlpDecodeError(`${path}: AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH}`);
  }
  let value = previous;
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const [number, wireType] = reader.tag();
      field = number;
      switch (field) {
        case 1:
          expectWireType(wireType, WireType.LengthDelimited);
          value = reader.string(true);
          break;
        case 2:
          expectWireType(wireType, WireType.Varint);
          value = reader.bool();
          break;
        case 3:
          expectWireType(wireType, WireType.Varint);
          value = int64(reader.int64());
          break;
        case 4:
          expectWireType(wireType, WireType.Bit64);
          value = reader.double();
          break;
        case 5: {
          const valueEnd = embeddedMessageEnd(reader, wireType, end);
          const values = Array.isArray(value) ? (value as unknown[]) : [];
          value = readValues(reader, valueEnd, values, member(path, 'arrayValue'), depth + 1);
          break;
        }
        case 6: {
          const valueEnd = embeddedMessageEnd(reader, wireType, end);
          const target = isKeyValueList(value) ? value : {};
          value = readKeyValueList(reader, valueEnd, target, member(path, 'kvlistValue'), depth + 1);
          break;
        }
        case 7:
          expectWireType(wireType, WireType.LengthDelimited);
          // A copy: the request body's buffer may be reused once the request is answered.
          value = new Uint8Array(reader.bytes());
          break;
        case 8:
          // string_value_strindex points into the Profiling signal's string table; common.proto asks
          // receivers of other signals to process the value as if it were absent, as the JSON path does.
          expectWireType(wireType, WireType.Varint);
          reader.int32();
          value = null;
          break;
        default:
          reader.skip(wireType, field);
      }
      checkWithin(reader, end);
    }
  } catch (error) {
    throw fieldFailure(error, fieldPath(path, field, ANY_VALUE_FIELDS));
  }
  return value;
}

/** Reads an ArrayValue's `values` (field 1), appending them to `values`. */
function readValues(
  reader: BinaryReader,
  end: number,
  values: unknown[],
  path: Path,
  depth: number,
): unknown[] {
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const [number, wireType] = reader.tag();
      field = number;
      if (field === 1) {
        const valueEnd = embeddedMessageEnd(reader, wireType, end);
        values.push(readAnyValue(reader, valueEnd, null, item(path, 'values', values.length), depth));
      } else {
        reader.skip(wireType, field);
      }
      checkWithin(reader, end);
    }
  } catch (error) {
    throw fieldFailure(error, fieldPath(path, field, { 1: 'values' }));
  }
  return values;
}

/** Reads a KeyValueList's `values` (field 1) into `target`, key by key. */
function readKeyValueList(
  reader: BinaryReader,
  end: number,
  target: Record<string, unknown>,
  path: Path,
  depth: number,
): Record<string, unknown> {
  let field = 0;
  let index = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const [number, wireType] = reader.tag();
      field = number;
      if (field === 1) {
        const keyValueEnd = embeddedMessageEnd(reader, wireType, end);
        readKeyValue(reader, keyValueEnd, target, item(path, 'values', index++), depth);
      } else {
        reader.skip(wireType, field);
      }
      checkWithin(reader, end);
    }
  } catch (error) {
    throw fieldFailure(error, fieldPath(path, field, { 1: 'values' }));
  }
  return target;
}

const KEY_VALUE_FIELDS: Readonly<Record<number, string>> = { 1: 'key', 2: 'value', 3: 'keyStrindex' };

/**
 * Reads one KeyValue into `target[key]`; a later value of the same key replaces the earlier one, as
 * in an attribute map. A KeyValue without a key has the key '' (the proto3 default), one without a
 * value the value null.
 */
export function readKeyValue(
  reader: BinaryReader,
  end: number,
  target: Record<string, unknown>,
  path: Path,
  depth: number,
): void {
  let key = '';
  let value: unknown = null;
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const [number, wireType] = reader.tag();
      field = number;
      if (field === 1) {
        expectWireType(wireType, WireType.LengthDelimited);
        key = reader.string(true);
      } else if (field === 2) {
        const valueEnd = embeddedMessageEnd(reader, wireType, end);
        value = readAnyValue(reader, valueEnd, value, member(path, 'value'), depth);
      } else if (field === 3) {
        // key_strindex: the Profiling signal's; ignored, as common.proto asks of other signals.
        expectWireType(wireType, WireType.Varint);
        reader.int32();
      } else {
        reader.skip(wireType, field);
      }
      checkWithin(reader, end);
    }
  } catch (error) {
    throw fieldFailure(error, fieldPath(path, field, KEY_VALUE_FIELDS));
  }
  target[key] = value;
}
