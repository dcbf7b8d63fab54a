import { fromBinary } from '@bufbuild/protobuf';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type { AuditLogRecord } from '../../mapping/audit-log-record.js';
import { EntityRefSchema } from './generated/opentelemetry/proto/common/v1/common_pb.js';
import { readKeyValue } from './read-protobuf-any-value.js';
import { checkedReader, embeddedMessageEnd, fieldNames, item, readFields } from './read-protobuf-fields.js';

/*
 * The Resource (opentelemetry-proto `resource/v1/resource.proto`) and InstrumentationScope
 * (`common/v1/common.proto`) of a ResourceLogs and ScopeLogs, read with the same field readers as the
 * log records they are shared by (read-protobuf-log-record.ts says why those are hand-written). Read
 * once per request part, so their paths are always built.
 */

const resourceField = fieldNames({ 1: 'attributes', 2: 'droppedAttributesCount', 3: 'entityRefs' });

/**
 * Reads a Resource (the bytes of each occurrence joined: protobuf merges a message sent twice).
 * @throws OtlpDecodeError naming the field below `path`.
 */
export function readProtobufResource(bytes: Uint8Array, path: string): AuditLogRecord['resource'] {
  const reader = new BinaryReader(bytes);
  const attributes: Record<string, unknown> = {};
  let attributeCount = 0;
  let entityRefCount = 0;
  const name = (field: number): string =>
    field === 1
      ? `attributes[${attributeCount}]`
      : field === 3
        ? `entityRefs[${entityRefCount}]`
        : resourceField(field);
  readFields(reader, bytes.length, path, name, (field, wireType) => {
    switch (field) {
      case 1:
        readKeyValue(reader, wireType, bytes.length, attributes, item(path, 'attributes', attributeCount), 0);
        attributeCount++;
        return true;
      case 2:
        checkedReader(reader, wireType, WireType.Varint).uint32();
        return true;
      case 3: {
        // Entity references are not kept, but a malformed one is refused as a decoder of the whole
        // Resource refuses it: the generated one checks this rarely sent, per-request message.
        const entityRefEnd = embeddedMessageEnd(reader, wireType, bytes.length);
        fromBinary(EntityRefSchema, bytes.subarray(reader.pos, entityRefEnd));
        reader.pos = entityRefEnd;
        entityRefCount++;
        return true;
      }
      default:
        return false;
    }
  });
  return { attributes };
}

const scopeField = fieldNames({ 1: 'name', 2: 'version', 3: 'attributes', 4: 'droppedAttributesCount' });

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
  const fieldName = (field: number): string =>
    field === 3 ? `attributes[${attributeCount}]` : scopeField(field);
  readFields(reader, bytes.length, path, fieldName, (field, wireType) => {
    switch (field) {
      case 1:
      case 2: {
        const text = checkedReader(reader, wireType, WireType.LengthDelimited).string(true);
        if (field === 1) name = text;
        else version = text;
        return true;
      }
      case 3:
        readKeyValue(reader, wireType, bytes.length, attributes, item(path, 'attributes', attributeCount), 0);
        attributeCount++;
        return true;
      case 4:
        checkedReader(reader, wireType, WireType.Varint).uint32();
        return true;
      default:
        return false;
    }
  });
  return version === '' ? { name } : { name, version };
}
