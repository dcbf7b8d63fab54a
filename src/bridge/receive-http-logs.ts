import type { IncomingMessage, ServerResponse } from 'node:http';
import { componentLogger } from '../internal/diag.js';
import type { AuthFailure, AuthResult } from './authenticate-request.js';
import type { BridgeClient } from './bridge-clients.js';
import { countBy } from './bridge-counters.js';
import { encodingOf } from './decode-logs-request.js';
import { createReusedBuffers, type ReusedBuffers } from '../internal/reused-buffers.js';
import { BodyError, readBody, type ReceivedBody } from './read-body.js';
import { receiveLogs, type LogsReceiverContext } from './receive-logs.js';
import type { RequestGate } from './request-gate.js';
import { writeErrorResponse, writeOutcomeResponse, type BodyEncoding } from './write-otlp-response.js';

/** The size of each reused body buffer (bytes); a larger body gets a buffer of its own. */
const REUSED_BODY_BYTES = 1024 * 1024;

const logger = componentLogger('CloudTrailLakeBridge');

/** What the OTLP/HTTP shell needs from the bridge around it. */
export interface HttpLogsHandlerContext {
  receiver: LogsReceiverContext;
  gate: RequestGate;
  authenticate: (request: IncomingMessage) => AuthResult;
  refuse: (request: IncomingMessage, response: ServerResponse, failure: AuthFailure) => void;
}

/**
 * The OTLP/HTTP shell of {@link receiveLogs} for `POST /v1/logs`: authenticates the request, checks its
 * Content-Type, and, when the gate lets it in, reads the body and answers with the outcome in the
 * request's encoding. A request the gate refuses is answered before its body is read.
 */
export function createHttpLogsHandler(
  context: HttpLogsHandlerContext,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { receiver, gate } = context;
  const { counters } = receiver;
  // Bodies up to a slab go into buffers used again: an OTLP exporter's batch of 512 records of about
  // 1 kB fits, in JSON as in protobuf; at most maxConcurrentRequests are read at once.
  const buffers = createReusedBuffers(REUSED_BODY_BYTES, receiver.options.maxConcurrentRequests);
  return (request, response) => {
    counters.requests++;
    response.once('finish', () => countBy(counters.requestsByStatus, String(response.statusCode)));
    const auth = context.authenticate(request);
    if (!auth.ok) return context.refuse(request, response, auth.failure);
    const encoding = encodingOf(request);
    if (encoding === undefined) {
      request.resume();
      const message = `Content-Type \`${request.headers['content-type'] ?? ''}\` is not supported; use application/x-protobuf or application/json`;
      return writeErrorResponse(response, 415, 'json', message);
    }
    const refused = gate.run(() =>
      receiveHttpLogs(receiver, buffers, request, response, encoding, auth.client).catch((error: unknown) => {
        logger.error('Unexpected error handling an OTLP request; answered 500', error);
        writeErrorResponse(response, 500, 'json', 'internal error');
      }),
    );
    if (refused !== undefined) {
      // Unread, so the body costs no memory; the client retries after Retry-After.
      request.resume();
      const closeAfter = { Connection: 'close' };
      writeOutcomeResponse(response, encoding, refused, receiver.options.retryAfterSeconds, closeAfter);
    }
  };
}

/**
 * Reads the body of one admitted request (bounded by `maxBodyBytes`; gunzipped, when
 * `Content-Encoding: gzip`, in its turn in {@link receiveLogs}) and answers with what it made of it.
 * Its buffer goes back to `buffers` once the request is decoded and admitted.
 */
async function receiveHttpLogs(
  context: LogsReceiverContext,
  buffers: ReusedBuffers,
  request: IncomingMessage,
  response: ServerResponse,
  encoding: BodyEncoding,
  client: BridgeClient | undefined,
): Promise<void> {
  let body: ReceivedBody;
  try {
    body = await readBody(request, context.options.maxBodyBytes, buffers);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    // The rest of an oversize body is not read: close the connection rather than drain it.
    const headers: Record<string, string> = error.statusCode === 413 ? { Connection: 'close' } : {};
    writeErrorResponse(response, error.statusCode, encoding, error.message, headers);
    return;
  }
  try {
    const outcome = await receiveLogs(context, body, encoding, client);
    writeOutcomeResponse(response, encoding, outcome, context.options.retryAfterSeconds);
  } finally {
    buffers.release(body.bytes);
  }
}
