import type { IncomingMessage } from 'node:http';
import type { DecodeLimits } from './decode-limits.js';
import { decodeProtobufLogsRequest } from './otlp-logs-proto.js';
import { OtlpDecodeError, otlpToAuditLogRecords, type BridgeLogRecord } from './otlp-to-audit-log-records.js';
import { readBody } from './read-body.js';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createJsonLogsScanner } from './scan-json-logs.js';
import { scanProtobufLogsRequest } from './scan-protobuf-logs.js';
import type { BodyEncoding } from './write-otlp-response.js';

/** The encoding a Content-Type names, or undefined for one OTLP/HTTP does not define (415). */
export function encodingOf(request: IncomingMessage): BodyEncoding | undefined {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/** JSON characters scanned between two turns of the event loop: about 10 ms of work (characters). */
const SCAN_SLICE_CHARS = 256 * 1024;

/**
 * Reads, decompresses and decodes one OTLP/HTTP ExportLogsServiceRequest into records.
 * @throws BodyError (413, 415, 400 for broken gzip), or what decodeLogsBody throws.
 */
export async function decodeLogsRequest(
  request: IncomingMessage,
  encoding: BodyEncoding,
  maxBodyBytes: number,
  limits: DecodeLimits,
): Promise<BridgeLogRecord[]> {
  return decodeLogsBody(await readBody(request, maxBodyBytes), encoding, limits);
}

/**
 * Decodes the bytes of one ExportLogsServiceRequest (from OTLP/HTTP or OTLP/gRPC) into records. The body
 * is first checked against `limits` in one pass over its bytes, so no object is built for a request above
 * them.
 * @throws DecodeLimitError (400 naming the limit) or OtlpDecodeError (400) naming what is wrong.
 */
export async function decodeLogsBody(
  body: Buffer,
  encoding: BodyEncoding,
  limits: DecodeLimits,
): Promise<BridgeLogRecord[]> {
  const receivedAt = Date.now();
  let decoded: unknown;
  if (encoding === 'protobuf') scanProtobufLogsRequest(body, limits);
  const text = encoding === 'json' ? body.toString('utf8') : '';
  if (encoding === 'json') {
    // In slices, giving the event loop a turn between them: other requests and /healthz are served
    // while a large body is scanned.
    const scanner = createJsonLogsScanner(text, limits);
    for (let end = SCAN_SLICE_CHARS; !scanner.scanTo(end); end += SCAN_SLICE_CHARS) await nextTurn();
  }
  await nextTurn();
  try {
    decoded = encoding === 'protobuf' ? decodeProtobufLogsRequest(body) : JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`malformed ${encoding} body: ${(error as Error).message}`);
  }
  await nextTurn();
  return otlpToAuditLogRecords(decoded, encoding, [
    Math.floor(receivedAt / 1000),
    (receivedAt % 1000) * 1_000_000,
  ]);
}
