import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BridgeClient } from './bridge-clients.js';
import { BodyError, readBody } from './read-body.js';
import { receiveLogs, type LogsReceiverContext } from './receive-logs.js';
import { writeErrorResponse, writeOutcomeResponse, type BodyEncoding } from './write-otlp-response.js';

/**
 * The OTLP/HTTP shell of {@link receiveLogs}: reads the body of one authenticated `POST /v1/logs`
 * (bounded by `maxBodyBytes`, gunzipped when `Content-Encoding: gzip`) and answers with the outcome in
 * the request's encoding.
 */
export async function receiveHttpLogs(
  context: LogsReceiverContext,
  request: IncomingMessage,
  response: ServerResponse,
  encoding: BodyEncoding,
  client: BridgeClient | undefined,
): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(request, context.options.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    // The rest of an oversize body is not read: close the connection rather than drain it.
    const headers: Record<string, string> = error.statusCode === 413 ? { Connection: 'close' } : {};
    writeErrorResponse(response, error.statusCode, encoding, error.message, headers);
    return;
  }
  const outcome = await receiveLogs(context, body, encoding, client);
  writeOutcomeResponse(response, encoding, outcome, context.options.retryAfterSeconds);
}
