import type { ServerResponse } from 'node:http';
import { encodeProtobufLogsResponse, encodeProtobufStatus } from './otlp-logs-proto.js';
import type { ExportPartialSuccess, LogsOutcome } from './receive-logs.js';

/** The request's encoding; every answer to /v1/logs is written in it (OTLP/HTTP spec). */
export type BodyEncoding = 'json' | 'protobuf';

const CONTENT_TYPES: Record<BodyEncoding, string> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};

/** google.rpc.Code values for the Status body of each HTTP status we send. */
const RPC_CODES: Readonly<Record<number, number>> = {
  400: 3, // INVALID_ARGUMENT
  404: 5, // NOT_FOUND
  405: 12, // UNIMPLEMENTED
  413: 3,
  415: 3,
  429: 8, // RESOURCE_EXHAUSTED
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};

function send(
  response: ServerResponse,
  status: number,
  encoding: BodyEncoding,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return;
  const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPES[encoding],
    'Content-Length': String(buffer.byteLength),
    ...headers,
  });
  response.end(buffer);
}

/**
 * 200 with an ExportLogsServiceResponse. `partialSuccess` is set when records were rejected, or as a
 * warning with `rejectedLogRecords: 0` (the spec allows this) when records were skipped.
 */
export function writeExportResponse(
  response: ServerResponse,
  encoding: BodyEncoding,
  partialSuccess?: ExportPartialSuccess,
): void {
  if (encoding === 'protobuf') {
    send(response, 200, encoding, encodeProtobufLogsResponse(partialSuccess));
    return;
  }
  // proto3 JSON writes int64 as a decimal string.
  const body =
    partialSuccess === undefined
      ? {}
      : {
          partialSuccess: {
            rejectedLogRecords: String(partialSuccess.rejectedLogRecords),
            errorMessage: partialSuccess.errorMessage,
          },
        };
  send(response, 200, encoding, JSON.stringify(body));
}

/** An error answer with a google.rpc.Status body; `extraHeaders` carry Retry-After (429, 503) or Allow (405). */
export function writeErrorResponse(
  response: ServerResponse,
  status: number,
  encoding: BodyEncoding,
  message: string,
  extraHeaders: Record<string, string> = {},
): void {
  const code = RPC_CODES[status] ?? 2; // UNKNOWN
  const body =
    encoding === 'protobuf' ? encodeProtobufStatus(code, message) : JSON.stringify({ code, message });
  send(response, status, encoding, body, extraHeaders);
}

/** The HTTP status of each refusal (OTLP/HTTP spec, "Failures"): 429 and 503 are retryable, 400 and 413 not. */
const OUTCOME_STATUS = { throttled: 429, unavailable: 503, tooLarge: 413, invalid: 400 } as const;

/**
 * Answers an export request with its outcome; 429 and 503 carry `Retry-After` (OTLP/HTTP spec,
 * "OTLP/HTTP Throttling"). `extraHeaders` add, e.g., `Connection: close` when the body was left unread.
 */
export function writeOutcomeResponse(
  response: ServerResponse,
  encoding: BodyEncoding,
  outcome: LogsOutcome,
  retryAfterSeconds: number,
  extraHeaders: Record<string, string> = {},
): void {
  if (outcome.kind === 'accepted') return writeExportResponse(response, encoding, outcome.partialSuccess);
  const status = OUTCOME_STATUS[outcome.kind];
  const retryAfter = status === 429 || status === 503 ? { 'Retry-After': String(retryAfterSeconds) } : {};
  writeErrorResponse(response, status, encoding, outcome.message, { ...retryAfter, ...extraHeaders });
}
