/**
 * The `grpc-status-details-bin` trailer of a refusal: a `google.rpc.Status` whose `details` hold a
 * `google.rpc.RetryInfo`, which is how an OTLP/gRPC server tells a client that RESOURCE_EXHAUSTED or
 * UNAVAILABLE may be retried and after how long (https://opentelemetry.io/docs/specs/otlp/#otlpgrpc-throttling;
 * messages from https://github.com/googleapis/googleapis/blob/master/google/rpc/status.proto and
 * error_details.proto). grpc-js sends the trailer but does not build it, and these four small messages
 * of non-negative integers and strings are written here in protobuf's wire format directly rather than
 * through a schema compiler.
 */

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/** Protobuf wire types (https://protobuf.dev/programming-guides/encoding/#structure). */
const VARINT = 0;
const LENGTH_DELIMITED = 2;

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

function varintField(field: number, value: number): number[] {
  // proto3 leaves fields at their default (0) out.
  return value === 0 ? [] : [...varint((field << 3) | VARINT), ...varint(value)];
}

function bytesField(field: number, value: Uint8Array): number[] {
  return [...varint((field << 3) | LENGTH_DELIMITED), ...varint(value.length), ...value];
}

/**
 * Encodes `google.rpc.Status { code, message, details: [Any(RetryInfo { retry_delay: { seconds } })] }`.
 * @param code a non-negative gRPC status code
 * @param retryDelaySeconds a non-negative whole number of seconds
 */
export function encodeStatusWithRetryInfo(code: number, message: string, retryDelaySeconds: number): Buffer {
  const duration = Uint8Array.from(varintField(1, retryDelaySeconds));
  const retryInfo = Uint8Array.from(bytesField(1, duration));
  const any = Uint8Array.from([
    ...bytesField(1, Buffer.from(RETRY_INFO_TYPE_URL, 'utf8')),
    ...bytesField(2, retryInfo),
  ]);
  return Buffer.from([
    ...varintField(1, code),
    ...bytesField(2, Buffer.from(message, 'utf8')),
    ...bytesField(3, any),
  ]);
}
