import type { IncomingMessage } from 'node:http';
import type { DecodeLimits } from './decode-limits.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import pLimit from 'p-limit';
import { decodeJsonLogsBody } from './otlp/decode-json-logs-body.js';
import { decodeProtobufLogsBody } from './otlp/decode-protobuf-logs-body.js';
import type { BridgeLogRecord } from './otlp-to-audit-log-records.js';
import type { BodyEncoding } from './write-otlp-response.js';

/** The encoding a Content-Type names, or undefined for one OTLP/HTTP does not define (415). */
export function encodingOf(request: IncomingMessage): BodyEncoding | undefined {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/**
 * Decoding runs for one request at a time, across the process: it is all on the one event loop, so
 * taking turns costs no throughput, and each turn of the loop then holds one slice of one request
 * rather than a slice of each of up to `maxConcurrentRequests`, which keeps /healthz and other
 * requests answered while large ones decode. The others wait as their bodies (at most
 * `maxConcurrentRequests` of them), so the decoded objects being built are those of one request only.
 */
const decodeOneAtATime = pLimit(1);

/**
 * Decodes the bytes of one ExportLogsServiceRequest (from OTLP/HTTP or OTLP/gRPC) into records. The body
 * is first checked against `limits` in one pass over its bytes, so no object is built for a request above
 * them; then it is decoded and converted in slices, giving the event loop turns in between.
 * @throws DecodeLimitError (400 naming the limit) or OtlpDecodeError (400) naming what is wrong.
 */
export async function decodeLogsBody(
  body: Buffer,
  encoding: BodyEncoding,
  limits: DecodeLimits,
): Promise<BridgeLogRecord[]> {
  const receivedAtMillis = Date.now();
  const receivedAt: [number, number] = [
    Math.floor(receivedAtMillis / 1000),
    (receivedAtMillis % 1000) * 1_000_000,
  ];
  return decodeOneAtATime(async () => {
    // A turn of the event loop between the end of one request (and what its caller does with its
    // records in the same turn) and the first slice of the next.
    await nextTurn();
    return encoding === 'protobuf'
      ? decodeProtobufLogsBody(body, limits, receivedAt)
      : decodeJsonLogsBody(body, limits, receivedAt);
  });
}
