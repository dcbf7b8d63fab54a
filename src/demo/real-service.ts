/**
 * The demo against the real service: when the environment names a channel and AWS credentials, the
 * same scenario goes to CloudTrail Lake. To print the eventIDs CloudTrail assigned, requests go through
 * a `putAuditEvents` plug-in built on the library's own signed HTTP transport, which records every
 * `successful[]` entry it sees.
 */
import { requestBody } from '../batch/request-body.js';
import { ENV_VARS, type Env } from '../env.js';
import { ServiceError, NetworkError } from '../errors.js';
import type { PutAuditEventsOutput } from '../mapping/audit-event.js';
import { auditEventEntry } from '../mapping/audit-event-entry.js';
import { createHttpTransport, resolveHttpTransportOptions } from '../transport/http-transport.js';
import type { PutAuditEventsFunction } from '../transport/transport.js';

const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
] as const;

/** The channel ARN when the environment asks for the real service (a channel and some AWS credentials), else undefined. */
export function realServiceChannelArn(env: Env): string | undefined {
  const channelArn = env[ENV_VARS.channelArn]?.trim();
  if (channelArn === undefined || channelArn === '') return undefined;
  return CREDENTIAL_VARIABLES.some((name) => (env[name] ?? '') !== '') ? channelArn : undefined;
}

/** A plug-in that sends with the built-in signed transport and hands each accepted entry to `onAccepted`. */
export function createRecordingPutAuditEvents(
  init: { channelArn: string; env: Env },
  onAccepted: (entry: { id: string; eventID: string }) => void,
): PutAuditEventsFunction {
  // Endpoint, region and external id come from the same env vars the exporter reads.
  const transport = createHttpTransport(
    resolveHttpTransportOptions({ channelArn: init.channelArn }, init.env),
  );
  return async (input, { abortSignal }): Promise<PutAuditEventsOutput> => {
    const events = input.auditEvents.map((entry) => auditEventEntry(entry.id, entry.eventData));
    const body = requestBody(events);
    const result = await transport.send({ events, body, bodyBytes: Buffer.byteLength(body) }, abortSignal);
    if (result.status === 'success') {
      for (const entry of result.response.successful) onAccepted(entry);
      return result.response;
    }
    // Rethrow the way an AWS SDK client would, so the exporter classifies and retries it as usual.
    const error = result.error;
    const thrown = new Error(error.message, { cause: error }) as Error & Record<string, unknown>;
    if (error instanceof ServiceError) {
      thrown.name = error.awsErrorCode ?? 'ServiceError';
      thrown['$metadata'] = { httpStatusCode: error.statusCode, requestId: error.requestId };
      if (result.status === 'retryable') thrown['$retryable'] = { throttling: result.throttled };
    } else if (error instanceof NetworkError) {
      thrown['code'] = error.errno ?? 'ECONNRESET';
    }
    throw thrown;
  };
}
