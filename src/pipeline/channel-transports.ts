/**
 * One transport per channel, made on first use and kept for the exporter's life. Each channel gets its
 * own requests and its own error state; the rate limiter is one per Region for all channels in it,
 * because the PutAuditEvents quota belongs to the calling account and the Region, not to a channel.
 */
import type { Clock } from '../internal/clock.js';
import type { ResolvedExporterOptions } from '../options.js';
import type { ChannelArn } from '../transport/channel-arn.js';
import { createRateLimiter, type RateLimiter } from '../transport/rate-limiter.js';
import type { Transport } from '../transport/transport.js';
import { checkDestination, destinationKey, type ChannelDestination } from './channel-destination.js';
import { createExporterTransport } from './create-exporter-transport.js';

/** Where the entries of one channel are sent. */
export interface ChannelLane {
  readonly channel: ChannelArn;
  readonly transport: Transport;
  /** True for a channel chosen per record (a route): its channel errors reject only its records. */
  readonly routed: boolean;
}

export interface ChannelTransports {
  /**
   * The lane of `destination` (undefined: the exporter's own `channelArn`), or why there is none (no
   * channel configured, a destination that does not parse, an endpoint that cannot be resolved).
   */
  lane(destination: ChannelDestination | undefined): ChannelLane | { field: string; message: string };
  shutdown(): Promise<void>;
}

export function createChannelTransports(
  options: ResolvedExporterOptions,
  clock: Clock,
  ownTransport: Transport | undefined,
): ChannelTransports {
  const rateLimiters = new Map<string, RateLimiter>();
  const rateLimiterOf = (channel: ChannelArn): RateLimiter => {
    const key = `${channel.partition}:${channel.region}`;
    let limiter = rateLimiters.get(key);
    if (limiter === undefined) {
      limiter = createRateLimiter({ maxRequestsPerSecond: options.maxRequestsPerSecond, clock });
      rateLimiters.set(key, limiter);
    }
    return limiter;
  };
  const lanes = new Map<string, ChannelLane>();
  let own: ChannelLane | undefined;
  if (options.channel !== undefined) {
    const resolved = { channel: options.channel, externalId: options.externalId };
    own = {
      channel: options.channel,
      transport:
        ownTransport ?? createExporterTransport(options, resolved, rateLimiterOf(options.channel), clock),
      routed: false,
    };
  }
  return {
    lane(destination) {
      if (destination === undefined) {
        return (
          own ?? {
            field: 'channelArn',
            message: 'the record has no route and `channelArn` is a function: no channel to send it to',
          }
        );
      }
      const key = destinationKey(destination);
      const known = lanes.get(key);
      if (known !== undefined) return known;
      const checked = checkDestination(destination);
      if (!('ok' in checked)) return checked;
      const { channel } = checked.ok;
      try {
        const transport = createExporterTransport(
          options,
          { channel, externalId: destination.externalId },
          rateLimiterOf(channel),
          clock,
        );
        const lane = { channel, transport, routed: true };
        lanes.set(key, lane);
        return lane;
      } catch (error) {
        return { field: 'endpoint', message: error instanceof Error ? error.message : String(error) };
      }
    },
    async shutdown() {
      const all = [...(own === undefined ? [] : [own]), ...lanes.values()];
      await Promise.all(all.map((lane) => lane.transport.shutdown()));
    },
  };
}
