/**
 * Builds the transport stack of one channel: the built-in signed HTTP client, or the user's
 * `putAuditEvents` plug-in, behind the retrying decorator and the one client-side rate limiter all
 * channels share (the PutAuditEvents quota is per account and Region, not per channel:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html).
 */
import type { Clock } from '../internal/clock.js';
import type { ResolvedExporterOptions } from '../options.js';
import type { ResolvedChannel } from '../transport/http-transport-options.js';
import { createHttpTransport } from '../transport/http-transport.js';
import { createPluginTransport } from '../transport/plugin-transport.js';
import type { RateLimiter } from '../transport/rate-limiter.js';
import { createRetryingTransport } from '../transport/retrying-transport.js';
import type { PutAuditEventsFunction, Transport } from '../transport/transport.js';

/** @throws ConfigError when the endpoint of the channel's Region cannot be resolved */
export function createExporterTransport(
  options: ResolvedExporterOptions,
  channel: ResolvedChannel,
  rateLimiter: RateLimiter,
  clock: Clock,
): Transport {
  const inner =
    options.httpFor !== undefined
      ? createHttpTransport({ ...options.httpFor(channel), clock })
      : createPluginTransport({
          putAuditEvents: options.putAuditEvents as PutAuditEventsFunction,
          channelArn: channel.channel.arn,
          externalId: channel.externalId,
          now: () => clock.now(),
        });
  return createRetryingTransport(inner, { retry: options.retry, rateLimiter, clock });
}
