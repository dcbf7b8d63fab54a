import type { IncomingMessage, ServerResponse } from 'node:http';
import { componentLogger } from '../internal/diag.js';
import type { AuthFailure } from './authenticate-request.js';
import { countBy, type BridgeCounters } from './bridge-counters.js';
import { encodingOf } from './decode-logs-request.js';
import { writeErrorResponse } from './write-otlp-response.js';

const logger = componentLogger('CloudTrailLakeBridge');

/** Auth failures are logged at most this often, with the count since the last line, so a flood cannot flood the log. */
const AUTH_FAILURE_LOG_INTERVAL_MILLIS = 10_000;

/** Counts one refused request and logs it, rate-limited; `peer` is the remote address. */
export type AuthFailureRecorder = (peer: string, failure: AuthFailure) => void;

/**
 * Counts unauthenticated requests of either transport. The log line gives the reason and the peer
 * address, never the credentials.
 */
export function createAuthFailureRecorder(counters: BridgeCounters): AuthFailureRecorder {
  let unlogged = 0;
  let lastLogMillis = Number.NEGATIVE_INFINITY;
  return (peer, failure) => {
    counters.authFailures++;
    countBy(counters.authFailuresByReason, failure);
    unlogged++;
    const now = Date.now();
    if (now - lastLogMillis >= AUTH_FAILURE_LOG_INTERVAL_MILLIS) {
      logger.warn(
        `Refused ${unlogged} unauthenticated request(s); latest: ${failure} from ${peer} ` +
          `(${counters.authFailures} in total)`,
      );
      unlogged = 0;
      lastLogMillis = now;
    }
  };
}

/** Answers an unauthenticated OTLP/HTTP request 401, after recording it. */
export function createUnauthenticatedResponder(
  record: AuthFailureRecorder,
): (request: IncomingMessage, response: ServerResponse, failure: AuthFailure) => void {
  return (request, response, failure) => {
    record(request.socket.remoteAddress ?? 'unknown', failure);
    request.resume();
    // RFC 6750 section 3: a 401 names the scheme, and says `invalid_token` when one was given and is wrong.
    const error = failure === 'missing_credentials' ? '' : ', error="invalid_token"';
    writeErrorResponse(
      response,
      401,
      encodingOf(request) ?? 'json',
      'authentication required: send Authorization: Bearer <token>',
      { 'WWW-Authenticate': `Bearer realm="otel-cloudtrail-lake-bridge"${error}` },
    );
  };
}
