/**
 * Builds the exporter's transport stack from resolved options: the built-in signed HTTP client, or the
 * user's `putAuditEvents` plug-in, under one client-side rate limiter and the retrying decorator.
 */
import type { Env } from '../env.js';
import type { Clock } from '../internal/clock.js';
import type { ResolvedExporterOptions } from '../options.js';
import { createHttpTransport } from '../transport/http-transport.js';
import { createPluginTransport } from '../transport/plugin-transport.js';
import { createRateLimiter } from '../transport/rate-limiter.js';
import { createRetryingTransport } from '../transport/retrying-transport.js';
import type { Transport } from '../transport/transport.js';

export function createExporterTransport(options: ResolvedExporterOptions, env: Env, clock: Clock): Transport {
  const inner =
    options.putAuditEvents === undefined
      ? createHttpTransport({
          channelArn: options.channel.arn,
          region: options.channel.region,
          accountId: options.channel.accountId,
          endpoint: options.endpoint,
          useFipsEndpoint: options.useFipsEndpoint,
          useDualstackEndpoint: options.useDualstackEndpoint,
          credentials: options.credentials,
          externalId: options.externalId,
          maxSockets: options.maxConcurrentRequests,
          env,
          clock,
        })
      : createPluginTransport({
          putAuditEvents: options.putAuditEvents,
          channelArn: options.channel.arn,
          externalId: options.externalId,
          now: () => clock.now(),
        });
  const rateLimiter = createRateLimiter({ maxRequestsPerSecond: options.maxRequestsPerSecond, clock });
  return createRetryingTransport(inner, { retry: options.retry, rateLimiter, clock });
}
