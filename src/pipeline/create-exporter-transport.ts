/**
 * Builds the exporter's transport stack from resolved options: the built-in signed HTTP client, or the
 * user's `putAuditEvents` plug-in, under one client-side rate limiter and the retrying decorator.
 */
import type { Clock } from '../internal/clock.js';
import type { ResolvedExporterOptions } from '../options.js';
import { createHttpTransport } from '../transport/http-transport.js';
import { createPluginTransport } from '../transport/plugin-transport.js';
import { createRateLimiter } from '../transport/rate-limiter.js';
import { createRetryingTransport } from '../transport/retrying-transport.js';
import type { PutAuditEventsFunction, Transport } from '../transport/transport.js';

export function createExporterTransport(options: ResolvedExporterOptions, clock: Clock): Transport {
  const inner =
    options.http !== undefined
      ? createHttpTransport({ ...options.http, clock })
      : createPluginTransport({
          putAuditEvents: options.putAuditEvents as PutAuditEventsFunction,
          channelArn: options.channel.arn,
          externalId: options.externalId,
          now: () => clock.now(),
        });
  const rateLimiter = createRateLimiter({ maxRequestsPerSecond: options.maxRequestsPerSecond, clock });
  return createRetryingTransport(inner, { retry: options.retry, rateLimiter, clock });
}
