import { setKey } from '../../mapping/any-value.js';
import type { JsonObject, JsonValue } from '../../mapping/audit-event.js';
import { WireType, type BinaryReader } from '@bufbuild/protobuf/wire';
import { MAX_ANY_VALUE_DEPTH, OtlpDecodeError } from '../otlp-to-audit-log-records.js';
import {
  embeddedMessageEnd,
  checkedReader,
  fieldNames,
  item,
  member,
  readFields,
  UNNAMED,
  type Path,
} from './read-protobuf-fields.js';

/*
 * OTLP AnyValue, ArrayValue, KeyValueList and KeyValue (opentelemetry-proto
 * `opentelemetry/proto/common/v1/common.proto`) read straight from the wire into the values a record
 * holds: strings, booleans, numbers (an int64 beyond 2^53 as its decimal string), copied bytes, arrays
 * and plain objects. As in any protobuf decoder (https://protobuf.dev/programming-guides/encoding/):
 * the last of a repeated scalar wins, a message sent twice is merged (its repeated fields appended, a
 * oneof member of another kind replacing the first), unknown fields are skipped.
 */

const anyValueField = fieldNames({
  1: 'stringValue',
  2: 'boolValue',
  3: 'intValue',
  4: 'doubleValue',
  5: 'arrayValue',
  6: 'kvlistValue',
  7: 'bytesValue',
  8: 'stringValueStrindex',
});
const valuesField = fieldNames({ 1: 'values' });
const keyValueField = fieldNames({ 1: 'key', 2: 'value', 3: 'keyStrindex' });

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
 * Reads the AnyValue field at `reader.pos` (its length first), within the message that ends at
 * `parentEnd`. `previous` is the value the same field decoded to before (null if none), merged with
 * as protobuf merges a message sent twice. Returns null when no member of the oneof is set.
 */
export function readAnyValue(
  reader: BinaryReader,
  wireType: WireType,
  parentEnd: number,
  previous: unknown,
  path: Path,
  depth: number,
): unknown {
  const end = embeddedMessageEnd(reader, wireType, parentEnd);
  if (depth > MAX_ANY_VALUE_DEPTH) {
    if (path === undefined) throw UNNAMED;
    throw new OtlpDecodeError(`${path}: AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH}`);
  }
  let value = previous;
  readFields(reader, end, path, anyValueField, (field, type) => {
    switch (field) {
      case 1:
        value = checkedReader(reader, type, WireType.LengthDelimited).string(true);
        return true;
      case 2:
        value = checkedReader(reader, type, WireType.Varint).bool();
        return true;
      case 3:
        value = int64(checkedReader(reader, type, WireType.Varint).int64());
        return true;
      case 4:
        value = checkedReader(reader, type, WireType.Bit64).double();
        return true;
      case 5: {
        const values = Array.isArray(value) ? (value as unknown[]) : [];
        value = readValues(reader, type, end, values, member(path, 'arrayValue'), depth + 1);
        return true;
      }
      case 6: {
        const target = isKeyValueList(value) ? value : {};
        value = readKeyValueList(reader, type, end, target, member(path, 'kvlistValue'), depth + 1);
        return true;
      }
      case 7:
        // A copy: the request body's buffer may be reused once the request is answered.
        value = new Uint8Array(checkedReader(reader, type, WireType.LengthDelimited).bytes());
        return true;
      case 8:
        // string_value_strindex points into the Profiling signal's string table; common.proto asks
        // receivers of other signals to process the value as if it were absent, as the JSON path does.
        checkedReader(reader, type, WireType.Varint).int32();
        value = null;
        return true;
      default:
        return false;
    }
  });
  return value;
}

/** Reads an ArrayValue field, appending its `values` (field 1) to `values`. */
function readValues(
  reader: BinaryReader,
  wireType: WireType,
  parentEnd: number,
  values: unknown[],
  path: Path,
  depth: number,
): unknown[] {
  const end = embeddedMessageEnd(reader, wireType, parentEnd);
  readFields(reader, end, path, valuesField, (field, type) => {
    if (field !== 1) return false;
    values.push(readAnyValue(reader, type, end, null, item(path, 'values', values.length), depth));
    return true;
  });
  return values;
}

/** Reads a KeyValueList field's `values` (field 1) into `target`, key by key. */
function readKeyValueList(
  reader: BinaryReader,
  wireType: WireType,
  parentEnd: number,
  target: Record<string, unknown>,
  path: Path,
  depth: number,
): Record<string, unknown> {
  const end = embeddedMessageEnd(reader, wireType, parentEnd);
  let index = 0;
  readFields(reader, end, path, valuesField, (field, type) => {
    if (field !== 1) return false;
    readKeyValue(reader, type, end, target, item(path, 'values', index++), depth);
    return true;
  });
  return target;
}

/**
 * Reads the KeyValue field at `reader.pos` (its length first, within the message that ends at
 * `parentEnd`) into `target[key]`; a later value of the same key replaces the earlier one, as in an
 * attribute map. A KeyValue without a key has the key '' (the proto3 default), one without a value
 * the value null.
 */
export function readKeyValue(
  reader: BinaryReader,
  wireType: WireType,
  parentEnd: number,
  target: Record<string, unknown>,
  path: Path,
  depth: number,
): void {
  const end = embeddedMessageEnd(reader, wireType, parentEnd);
  let key = '';
  let value: unknown = null;
  readFields(reader, end, path, keyValueField, (field, type) => {
    switch (field) {
      case 1:
        key = checkedReader(reader, type, WireType.LengthDelimited).string(true);
        return true;
      case 2:
        value = readAnyValue(reader, type, end, value, member(path, 'value'), depth);
        return true;
      case 3:
        // key_strindex: the Profiling signal's; ignored, as common.proto asks of other signals.
        checkedReader(reader, type, WireType.Varint).int32();
        return true;
      default:
        return false;
    }
  });
  // An OTLP key is any string; `__proto__` must stay an attribute, never become the prototype.
  setKey(target as JsonObject, key, value as JsonValue);
}
