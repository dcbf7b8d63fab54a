import { fromBinary } from '@bufbuild/protobuf';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type { AuditLogRecord } from '../../mapping/audit-log-record.js';
import { EntityRefSchema } from './generated/opentelemetry/proto/common/v1/common_pb.js';
import { readKeyValue } from './read-protobuf-any-value.js';
import {
  checkWithin,
  embeddedMessageEnd,
  expectWireType,
  fieldFailure,
  item,
} from './protobuf-wire-fields.js';

/*
 * The Resource (opentelemetry-proto `resource/v1/resource.proto`) and InstrumentationScope
 * (`common/v1/common.proto`) of a ResourceLogs and ScopeLogs, read with the same field readers as the
 * log records they are shared by (read-protobuf-log-record.ts says why those are hand-written). Read
 * once per request part, so their paths are always built.
 */

function fieldPath(
  path: string,
  field: number,
  names: Readonly<Record<number, string>>,
  index: number,
): string {
  if (field === 0) return path;
  const name = names[field] ?? `<field ${field}>`;
  return name.endsWith(']') ? `${path}.${name.slice(0, -2)}[${index}]` : `${path}.${name}`;
}

const RESOURCE_FIELDS: Readonly<Record<number, string>> = {
  1: 'attributes[]',
  2: 'droppedAttributesCount',
  3: 'entityRefs[]',
};

/**
 * Reads a Resource (the bytes of each occurrence joined: protobuf merges a message sent twice).
 * @throws OtlpDecodeError naming the field below `path`.
 */
export function readProtobufResource(bytes: Uint8Array, path: string): AuditLogRecord['resource'] {
  const reader = new BinaryReader(bytes);
  const attributes: Record<string, unknown> = {};
  let attributeCount = 0;
  let entityRefCount = 0;
  let field = 0;
  try {
    while (reader.pos < bytes.length) {
      field = 0;
      const [number, wireType] = reader.tag();
      field = number;
      if (field === 1) {
        const keyValueEnd = embeddedMessageEnd(reader, wireType, bytes.length);
        readKeyValue(reader, keyValueEnd, attributes, item(path, 'attributes', attributeCount), 0);
        attributeCount++;
      } else if (field === 2) {
        expectWireType(wireType, WireType.Varint);
        reader.uint32();
      } else if (field === 3) {
        // Entity references are not read by the bridge, but a malformed one is refused as the
        // generated decoder, which this message was read with before, refused it.
        const entityRefEnd = embeddedMessageEnd(reader, wireType, bytes.length);
        fromBinary(EntityRefSchema, bytes.subarray(reader.pos, entityRefEnd));
        reader.pos = entityRefEnd;
        entityRefCount++;
      } else {
        reader.skip(wireType, field);
      }
      checkWithin(reader, bytes.length);
    }
  } catch (error) {
    const index = field === 3 ? entityRefCount : attributeCount;
    throw fieldFailure(error, fieldPath(path, field, RESOURCE_FIELDS, index));
  }
  return { attributes };
}

const SCOPE_FIELDS: Readonly<Record<number, string>> = {
  1: 'name',
  2: 'version',
  3: 'attributes[]',
  4: 'droppedAttributesCount',
};

/**
 * Reads an InstrumentationScope (the bytes of each occurrence joined) into the name and version a
 * record carries; '' is an unset string in proto3. Its attributes are checked, not kept: the SDK's
 * ReadableLogRecord has no place for them.
 * @throws OtlpDecodeError naming the field below `path`.
 */
export function readProtobufScope(bytes: Uint8Array, path: string): AuditLogRecord['instrumentationScope'] {
  const reader = new BinaryReader(bytes);
  let name = '';
  let version = '';
  const attributes: Record<string, unknown> = {};
  let attributeCount = 0;
  let field = 0;
  try {
    while (reader.pos < bytes.length) {
      field = 0;
      const [number, wireType] = reader.tag();
      field = number;
      if (field === 1 || field === 2) {
        expectWireType(wireType, WireType.LengthDelimited);
        if (field === 1) name = reader.string(true);
        else version = reader.string(true);
      } else if (field === 3) {
        const keyValueEnd = embeddedMessageEnd(reader, wireType, bytes.length);
        readKeyValue(reader, keyValueEnd, attributes, item(path, 'attributes', attributeCount), 0);
        attributeCount++;
      } else if (field === 4) {
        expectWireType(wireType, WireType.Varint);
        reader.uint32();
      } else {
        reader.skip(wireType, field);
      }
      checkWithin(reader, bytes.length);
    }
  } catch (error) {
    throw fieldFailure(error, fieldPath(path, field, SCOPE_FIELDS, attributeCount));
  }
  return version === '' ? { name } : { name, version };
}
