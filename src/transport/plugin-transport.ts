import { CloudTrailLakeError, ERROR_CODES, NetworkError, ServiceError } from '../errors.js';
import type { AuditEventEntry } from '../mapping/audit-event.js';
import { abortReason } from '../internal/clock.js';
import { classifyError, errorCodeFor } from './is-retryable.js';
import { parseRetryAfter, sanitizeErrorCode } from './parse-service-error.js';
import { toPutAuditEventsOutput } from './to-put-audit-events-output.js';
import type {
  PreparedRequest,
  PutAuditEventsFunction,
  PutAuditEventsInput,
  SendResult,
  Transport,
} from './transport.js';

/**
 * Any PutAuditEvents client as a Transport, e.g. the official SDK:
 * `putAuditEvents: (input, { abortSignal }) => client.send(new PutAuditEventsCommand(input), { abortSignal })`.
 * Errors are read the way AWS SDK v3 errors carry them: `name` (the AWS error name), `$metadata.httpStatusCode`,
 * `$retryable.throttling`, `$response.headers`, and Node's `code` for network failures.
 */

export interface PluginTransportOptions {
  putAuditEvents: PutAuditEventsFunction;
  /** Passed through as given: the client resolves the endpoint from it. */
  channelArn: string;
  externalId?: string | undefined;
  /** @default Date.now */
  now?: (() => number) | undefined;
}

interface SdkLikeError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
  $retryable?: { throttling?: unknown };
  $response?: { headers?: Record<string, unknown> };
}

/** SDK names that describe the client side, not an AWS error code. */
const NON_AWS_NAMES: ReadonlySet<string> = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'AbortError',
]);

/** Classifies what the user's function threw. */
export function classifyThrown(thrown: unknown, now: number): SendResult {
  const error = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as SdkLikeError;
  const rawName = typeof error.name === 'string' && !NON_AWS_NAMES.has(error.name) ? error.name : undefined;
  const awsErrorCode = sanitizeErrorCode(rawName);
  const statusCode =
    typeof error.$metadata?.httpStatusCode === 'number' ? error.$metadata.httpStatusCode : undefined;
  const errno = typeof error.code === 'string' ? error.code : undefined;
  const clientMessage = typeof error.message === 'string' ? error.message : String(thrown);
  const timedOut = awsErrorCode === 'TimeoutError';
  const classification = classifyError({ awsErrorCode, statusCode, errno, message: clientMessage, timedOut });
  const throttled = classification.throttled || error.$retryable?.throttling === true;
  const retryable = classification.retryable || error.$retryable !== undefined;
  const cause = thrown instanceof Error ? thrown : undefined;
  let wrapped: Error;
  if (statusCode !== undefined) {
    const what = awsErrorCode === undefined ? `${statusCode}` : `${statusCode} ${awsErrorCode}`;
    const requestId = typeof error.$metadata?.requestId === 'string' ? error.$metadata.requestId : undefined;
    wrapped = new ServiceError({
      message: `PutAuditEvents failed with ${what} (putAuditEvents plug-in): ${clientMessage}`,
      statusCode,
      awsErrorCode,
      requestId,
      cause,
      code: errorCodeFor(classification),
    });
  } else if (errno !== undefined || timedOut) {
    wrapped = new NetworkError(
      `PutAuditEvents failed with ${errno ?? awsErrorCode} (putAuditEvents plug-in): ${clientMessage}`,
      errno,
      { cause },
    );
  } else {
    wrapped = new CloudTrailLakeError(
      ERROR_CODES.EXPORT_FAILED,
      `putAuditEvents plug-in threw: ${clientMessage}`,
      { cause },
    );
  }
  if (!retryable) return { status: 'failure', error: wrapped };
  const retryAfter = error.$response?.headers?.['retry-after'];
  const retryAfterMillis = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, now);
  return { status: 'retryable', error: wrapped, retryAfterMillis, throttled };
}

export function createPluginTransport(options: PluginTransportOptions): Transport {
  const now = options.now ?? Date.now;
  return {
    async send(request: PreparedRequest, signal: AbortSignal): Promise<SendResult> {
      // Only the wire fields: the packer's bookkeeping (entryJson, entryBytes) stays with us.
      const auditEvents: AuditEventEntry[] = request.events.map(({ id, eventData, eventDataChecksum }) => ({
        id,
        eventData,
        eventDataChecksum,
      }));
      const input: PutAuditEventsInput = { channelArn: options.channelArn, auditEvents };
      if (options.externalId !== undefined) input.externalId = options.externalId;
      try {
        const output = toPutAuditEventsOutput(await options.putAuditEvents(input, { abortSignal: signal }));
        if (output !== undefined) return { status: 'success', response: output };
        return {
          status: 'failure',
          error: new CloudTrailLakeError(
            ERROR_CODES.EXPORT_FAILED,
            'putAuditEvents plug-in resolved to something other than { successful: [], failed: [] }',
          ),
        };
      } catch (thrown) {
        if (signal.aborted) {
          const reason: unknown = abortReason(signal);
          const cause = reason instanceof Error ? reason : thrown;
          return {
            status: 'retryable',
            error: new CloudTrailLakeError(
              ERROR_CODES.TIMEOUT,
              'PutAuditEvents aborted by the caller (putAuditEvents plug-in)',
              { cause },
            ),
            throttled: false,
          };
        }
        return classifyThrown(thrown, now());
      }
    },
    shutdown: () => Promise.resolve(),
  };
}
