import {
  CloudTrailLakeError,
  ConfigError,
  ERROR_CODES,
  NetworkError,
  ServiceError,
  TimeoutError,
} from '../errors.js';
import type { PutAuditEventsOutput } from '../mapping/audit-event.js';
import { createBodyBufferPool } from './body-buffer-pool.js';
import { componentLogger } from '../internal/diag.js';
import { abortReason } from '../internal/clock.js';
import type { ChannelArn } from './channel-arn.js';
import { createCachedCredentials } from './credentials-provider.js';
import { createHttpExchange, type HttpResponse } from './http-exchange.js';
import { classifyError } from './is-retryable.js';
import { headerValue, parseRetryAfter, parseServiceError } from './parse-service-error.js';
import { toPutAuditEventsOutput } from './to-put-audit-events-output.js';
import { createRequestSigner, escapeUri } from './sign-request.js';
import type { PreparedRequest, SendResult, Transport } from './transport.js';
import type { ResolvedHttpTransportOptions } from './http-transport-options.js';
import { USER_AGENT } from './user-agent.js';

export {
  resolveHttpTransportOptions,
  type HttpTransportOptions,
  type ResolvedHttpTransportOptions,
} from './http-transport-options.js';

/** The HTTP transport, with what it resolved at construction for diagnostics. */
export interface HttpTransport extends Transport {
  /** The full PutAuditEvents URL without its query string. */
  readonly url: string;
  readonly channel: ChannelArn;
}

const diag = componentLogger('CloudTrailLakeTransport');
/** The AWS SDKs' threshold for correcting the signing clock from the server's `Date` header, in milliseconds. */
const CLOCK_SKEW_MILLIS = 300_000;
const CLOCK_SKEW_ERRORS: ReadonlySet<string> = new Set([
  'RequestTimeTooSkewed',
  'RequestExpired',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'InvalidSignatureTimestamp',
]);
const EXPIRED_TOKEN_ERRORS: ReadonlySet<string> = new Set(['ExpiredToken', 'ExpiredTokenException']);

function parseOutput(body: string): PutAuditEventsOutput | undefined {
  try {
    return toPutAuditEventsOutput(JSON.parse(body));
  } catch {
    return undefined;
  }
}

/**
 * The signed PutAuditEvents client over undici: sends `PreparedRequest.body` verbatim, classifies
 * every outcome, and never throws from `send`. It takes options already resolved and checked by
 * `resolveHttpTransportOptions`, so nothing is read from the environment here.
 * An expired session token is refreshed and the request resent once; so is a request signed with a
 * clock the service finds skewed (corrected from the response `Date`, as the AWS SDKs do).
 */
export function createHttpTransport(options: ResolvedHttpTransportOptions): HttpTransport {
  const { channel, requestTimeoutMillis, maxSockets, clock } = options;
  const base = options.endpoint;
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}/PutAuditEvents`, base);
  const query: Record<string, string> = { channelArn: channel.arn };
  if (options.externalId !== undefined) query['externalId'] = options.externalId;
  const requestUrl = new URL(url);
  requestUrl.search = Object.entries(query)
    .map(([key, value]) => `${escapeUri(key)}=${escapeUri(value)}`)
    .join('&');
  const target = `POST ${url.href}`;
  const credentials = createCachedCredentials(options.credentials, clock);
  const signer = createRequestSigner({ region: channel.region, credentials });
  const http = createHttpExchange({ maxSockets, network: options.network, clock });
  const bodies = createBodyBufferPool(maxSockets);
  let clockOffsetMillis = 0;
  let closed = false;
  // Made only when the timer fires: an Error captures a stack trace, a cost per request.
  const timedOut = (): TimeoutError =>
    new TimeoutError(
      `PutAuditEvents timed out after ${requestTimeoutMillis} ms: ${target}`,
      requestTimeoutMillis,
    );

  async function attempt(bytes: Buffer, signal: AbortSignal): Promise<HttpResponse> {
    try {
      await credentials.get();
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      // Provider messages name the source that failed (profile, metadata service), never a secret.
      const message = error instanceof Error ? error.message : String(error);
      throw new ConfigError('credentials', `Could not load AWS credentials for PutAuditEvents: ${message}`, {
        cause: error,
      });
    }
    const headers = await signer.sign(
      {
        method: 'POST',
        url,
        query,
        headers: {
          'content-type': 'application/json',
          'content-length': String(bytes.length),
          'user-agent': USER_AGENT,
        },
        body: bytes,
      },
      new Date(clock.now() + clockOffsetMillis),
    );
    return http.exchange({
      url: requestUrl,
      headers,
      body: bytes,
      signal,
      timeoutMillis: requestTimeoutMillis,
      timedOut,
    });
  }

  /** Fixes what a resend can fix: stale credentials or a skewed clock. True when a resend is worth it. */
  async function recover(error: ServiceError, response: HttpResponse): Promise<boolean> {
    const name = error.awsErrorCode ?? '';
    if (EXPIRED_TOKEN_ERRORS.has(name) && credentials.refreshable) {
      diag.debug(`PutAuditEvents got ${name}: refreshing credentials and sending once more`);
      await credentials.refresh();
      return true;
    }
    const serverDate = Date.parse(headerValue(response.headers, 'date') ?? '');
    if (CLOCK_SKEW_ERRORS.has(name) && !Number.isNaN(serverDate)) {
      const offset = serverDate - clock.now();
      if (Math.abs(offset - clockOffsetMillis) >= CLOCK_SKEW_MILLIS) {
        diag.warn(
          `The system clock differs from CloudTrail's by ${Math.round(offset / 1000)} s: signing with CloudTrail's time`,
        );
        clockOffsetMillis = offset;
        return true;
      }
    }
    return false;
  }

  function thrown(error: unknown, signal: AbortSignal): SendResult {
    if (error instanceof ConfigError) return { status: 'failure', error };
    if (error instanceof TimeoutError) return { status: 'retryable', error, throttled: false };
    if (signal.aborted) {
      // The caller's deadline or shutdown: the request may or may not have arrived, so it stays retryable.
      const reason: unknown = abortReason(signal);
      const cause = reason instanceof Error ? reason : new Error(String(reason));
      return {
        status: 'retryable',
        error: new CloudTrailLakeError(
          ERROR_CODES.TIMEOUT,
          `PutAuditEvents aborted by the caller: ${target}`,
          { cause },
        ),
        throttled: false,
      };
    }
    const errno =
      typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
    const message = error instanceof Error ? error.message : String(error);
    const classification = classifyError({ errno, message });
    const networkError = new NetworkError(
      `PutAuditEvents failed with ${errno ?? message}: ${target}`,
      errno,
      { cause: error },
    );
    return classification.retryable
      ? { status: 'retryable', error: networkError, throttled: false }
      : { status: 'failure', error: networkError };
  }

  return {
    url: url.href,
    channel,
    async send(request: PreparedRequest, signal: AbortSignal): Promise<SendResult> {
      if (closed) {
        return {
          status: 'failure',
          error: new CloudTrailLakeError(ERROR_CODES.SHUTDOWN, `PutAuditEvents after shutdown: ${target}`),
        };
      }
      const bytes = bodies.encode(request);
      // Given back to the pool only after a response: after an abort or a network error undici may
      // still hold the buffer.
      let answered = false;
      try {
        let resent = false;
        for (;;) {
          answered = false;
          let response: HttpResponse;
          try {
            response = await attempt(bytes, signal);
          } catch (error) {
            return thrown(error, signal);
          }
          answered = true;
          if (response.statusCode >= 200 && response.statusCode < 300) {
            const output = parseOutput(response.body);
            if (output !== undefined) return { status: 'success', response: output };
            // Events may have been stored: resending risks duplicates, but delivery is at-least-once (UID dedups).
            const error = new ServiceError({
              message: `PutAuditEvents answered ${response.statusCode} with an unreadable body: ${target}`,
              statusCode: response.statusCode,
            });
            return { status: 'retryable', error, throttled: false };
          }
          const error = parseServiceError({
            statusCode: response.statusCode,
            headers: response.headers,
            body: response.body,
            target,
          });
          if (!resent && (await recover(error, response).catch(() => false))) {
            resent = true;
            continue;
          }
          const classification = classifyError({
            awsErrorCode: error.awsErrorCode,
            statusCode: error.statusCode,
          });
          if (!classification.retryable) return { status: 'failure', error };
          const retryAfterMillis = parseRetryAfter(headerValue(response.headers, 'retry-after'), clock.now());
          return { status: 'retryable', error, retryAfterMillis, throttled: classification.throttled };
        }
      } finally {
        if (answered) bodies.release(bytes);
      }
    },
    shutdown(): Promise<void> {
      closed = true;
      http.close();
      return Promise.resolve();
    },
  };
}
