import { WireType, type BinaryReader } from '@bufbuild/protobuf/wire';
import { OtlpDecodeError } from '../otlp-to-audit-log-records.js';

/*
 * What the hand-written OTLP readers (read-protobuf-log-record.ts, read-protobuf-any-value.ts) share:
 * the checks of the protobuf encoding (https://protobuf.dev/programming-guides/encoding/) that
 * @bufbuild/protobuf's BinaryReader leaves to its caller, and how a failure names its field.
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

/**
 * What a read of one field threw, as the OtlpDecodeError to throw: as it is if a nested message
 * already named it, UNNAMED without a path, else `malformed protobuf body: <field path>: <reason>`.
 * The reason is the BinaryReader's ("premature EOF", the TextDecoder's "not valid … utf-8") or ours.
 */
export function fieldFailure(error: unknown, fieldPath: Path): OtlpDecodeError {
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
export function expectWireType(actual: WireType, expected: WireType): void {
  if (actual !== expected) {
    throw new Error(`wire type ${actual}, expected ${expected} (${WIRE_TYPE_NAMES[expected]})`);
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

/**
 * The BinaryReader reads within the whole body; a field of one message must also end within that
 * message (a string, say, whose length runs into the next record).
 */
export function checkWithin(reader: BinaryReader, end: number): void {
  if (reader.pos > end) throw new Error('field past the end of its message');
}
