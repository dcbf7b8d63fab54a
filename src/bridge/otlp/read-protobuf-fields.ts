import { WireType, type BinaryReader } from '@bufbuild/protobuf/wire';
import { OtlpDecodeError } from '../otlp-to-audit-log-records.js';

/*
 * What the hand-written OTLP readers (read-protobuf-log-record.ts, read-protobuf-any-value.ts,
 * read-protobuf-resource-and-scope.ts) share: the walk over a message's fields, the checks of the
 * protobuf encoding (https://protobuf.dev/programming-guides/encoding/) that @bufbuild/protobuf's
 * BinaryReader leaves to its caller, and how a failure names its field.
 */

/**
 * Where a field sits in the request, for an error message; undefined while a record is read the first
 * time. A record that fails is read again with paths (readProtobufLogRecord), which spares every valid
 * record the strings.
 */
export type Path = string | undefined;

/**
 * Thrown where a message is malformed while no path is built; the record is then read again with
 * paths. One instance, made once: throwing it captures no stack.
 */
export const UNNAMED = new OtlpDecodeError('malformed protobuf LogRecord (read again to name the field)');

export function member(path: Path, name: string): Path {
  return path === undefined ? undefined : `${path}.${name}`;
}

export function item(path: Path, name: string, index: number): Path {
  return path === undefined ? undefined : `${path}.${name}[${index}]`;
}

/** A message's field names by number, for error paths; a field it does not define is named by its number. */
export function fieldNames(names: Readonly<Record<number, string>>): (field: number) => string {
  return (field) => names[field] ?? `<field ${field}>`;
}

/**
 * What a read of one field threw, as the OtlpDecodeError to throw: as it is if a nested message
 * already named it, UNNAMED without a path, else `malformed protobuf body: <field path>: <reason>`.
 * The reason is the BinaryReader's ("premature EOF", the TextDecoder's "not valid … utf-8") or ours.
 */
function fieldFailure(error: unknown, fieldPath: Path): OtlpDecodeError {
  if (error instanceof OtlpDecodeError) return error;
  if (fieldPath === undefined) return UNNAMED;
  return new OtlpDecodeError(`malformed protobuf body: ${fieldPath}: ${(error as Error).message}`);
}

const WIRE_TYPE_NAMES: Readonly<Record<number, string>> = {
  [WireType.Varint]: 'varint',
  [WireType.Bit64]: 'i64',
  [WireType.LengthDelimited]: 'length-delimited',
  [WireType.Bit32]: 'i32',
};

/**
 * A known field must come with the wire type of its declared type. Parsers differ here (the reflective
 * decoder reads the bytes as the declared type whatever the tag says, others keep the field as
 * unknown); the bridge refuses the request, so no value is ever made up from misread bytes.
 */
function expectWireType(actual: WireType, expected: WireType): void {
  if (actual !== expected) {
    throw new Error(`wire type ${actual}, expected ${expected} (${WIRE_TYPE_NAMES[expected]})`);
  }
}

/** The reader, once the field's wire type is the one its declared type is encoded with. */
export function checkedReader(reader: BinaryReader, actual: WireType, expected: WireType): BinaryReader {
  expectWireType(actual, expected);
  return reader;
}

/**
 * Reads the fields of one message in `[reader.pos, end)`, in the order they come. `readField` reads a
 * field the message defines and returns true; any other is skipped, as protobuf asks of unknown fields.
 * A field that is malformed or ends past `end` is thrown as OtlpDecodeError naming it: `name(field)`
 * below `path` (field 0: the tag itself could not be read).
 */
export function readFields(
  reader: BinaryReader,
  end: number,
  path: Path,
  name: (field: number) => string,
  readField: (field: number, wireType: WireType) => boolean,
): void {
  let field = 0;
  try {
    while (reader.pos < end) {
      field = 0;
      const [number, wireType] = reader.tag();
      field = number;
      if (!readField(field, wireType)) reader.skip(wireType, field);
      // The BinaryReader reads within the whole body; a field must also end within its message (a
      // string, say, whose length runs into the next record).
      if (reader.pos > end) throw new Error('field past the end of its message');
    }
  } catch (error) {
    throw fieldFailure(error, path === undefined || field === 0 ? path : `${path}.${name(field)}`);
  }
}

/** Reads the length of an embedded message and returns where it ends, within `end`. */
export function embeddedMessageEnd(reader: BinaryReader, wireType: WireType, end: number): number {
  expectWireType(wireType, WireType.LengthDelimited);
  const length = reader.uint32();
  const messageEnd = reader.pos + length;
  if (messageEnd > end) throw new Error(`length ${length} past the end of its message`);
  return messageEnd;
}
