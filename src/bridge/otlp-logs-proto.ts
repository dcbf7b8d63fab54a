import { create, toBinary } from '@bufbuild/protobuf';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { ExportLogsServiceResponseSchema } from './otlp/generated/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';

/*
 * The OTLP logs messages are generated from the opentelemetry-proto definitions (`proto/`, regenerated
 * by `npm run generate:otlp`) for @bufbuild/protobuf: no schema is parsed at run time and no package
 * with an install script is needed. Decoded messages carry int64/fixed64 as bigint, bytes as
 * Uint8Array, and each AnyValue as a `{ case, value }` oneof.
 */

/** Encodes an ExportLogsServiceResponse; without a partial success, the empty message (zero bytes). */
export function encodeProtobufLogsResponse(partialSuccess?: {
  rejectedLogRecords: number;
  errorMessage: string;
}): Uint8Array {
  return toBinary(
    ExportLogsServiceResponseSchema,
    create(
      ExportLogsServiceResponseSchema,
      partialSuccess === undefined
        ? {}
        : {
            partialSuccess: {
              rejectedLogRecords: BigInt(partialSuccess.rejectedLogRecords),
              errorMessage: partialSuccess.errorMessage,
            },
          },
    ),
  );
}

/**
 * Encodes a google.rpc.Status (`code = 1`, `message = 2`; googleapis `google/rpc/status.proto`), the
 * body OTLP/HTTP prescribes for 4xx and 5xx responses. Its `details` are never sent, so the two fields
 * are written directly rather than generating the message and its `google.protobuf.Any` dependency.
 */
export function encodeProtobufStatus(code: number, message: string): Uint8Array {
  const writer = new BinaryWriter();
  if (code !== 0) writer.tag(1, WireType.Varint).int32(code);
  if (message !== '') writer.tag(2, WireType.LengthDelimited).string(message);
  return writer.finish();
}
