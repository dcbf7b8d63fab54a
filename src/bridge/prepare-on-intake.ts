import type { EventRejection } from '../errors.js';
import { compactEvent } from '../mapping/audit-event-entry.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { ChannelDestination } from '../pipeline/channel-destination.js';
import { channelMapping } from '../pipeline/channel-mapping.js';
import { mapEntry } from '../pipeline/map-entries.js';
import type { PipelineEntry, SendEntry } from '../pipeline/pipeline-entry.js';
import type { PrepareOptions } from '../prepare-audit-events.js';
import { parseChannelArn } from '../transport/channel-arn.js';

/** What the bridge made of a slice of entries where they entered. */
export interface IntakePreparation {
  /** The entries kept, each with the channel it goes to, in order. */
  entries: PipelineEntry[];
  /**
   * For each kept entry, what a send takes: its event, mapped, validated and serialised; or the entry
   * itself when its channel cannot be used (its send rejects it, as the pipeline's `prepare` leaves it).
   */
  ready: SendEntry[];
  /** One per entry refused by validation, in order. */
  rejections: EventRejection[];
}

/** Routes entries and prepares their records once, where they enter. */
export type IntakePreparer = (entries: readonly PipelineEntry[], nowMillis: number) => IntakePreparation;

/** The mapping of a routed channel's events; undefined when its ARN does not parse (its send rejects it). */
function routedMapping(mapping: PrepareOptions, channelArn: string): PrepareOptions | undefined {
  try {
    return channelMapping(mapping, parseChannelArn(channelArn), true);
  } catch {
    return undefined;
  }
}

/**
 * Prepares each entry where it enters the bridge, as the pipeline's `prepare` would on its way to a send:
 * decides its channel with `route` (an entry that already has one keeps it), then maps, validates and
 * serialises its record under that channel's mapping. The client learns of invalid records in
 * `partialSuccess`, and the delivery engine queues the event as it is, so each record is mapped once.
 * A routed channel's events carry its owner's account as recipientAccountId (`channelMapping`), as the
 * pipeline's routed lanes do.
 */
export function createIntakePreparer(
  mapping: PrepareOptions,
  route: ((record: AuditLogRecord) => ChannelDestination | undefined) | undefined,
): IntakePreparer {
  // Routes come from the bridge's few rules: one mapping per channel, made once.
  const laneMappings = new Map<string, PrepareOptions | undefined>();
  function laneMapping(destination: ChannelDestination | undefined): PrepareOptions | undefined {
    if (destination === undefined) return mapping;
    const { channelArn } = destination;
    if (!laneMappings.has(channelArn)) laneMappings.set(channelArn, routedMapping(mapping, channelArn));
    return laneMappings.get(channelArn);
  }

  return (given, nowMillis) => {
    const result: IntakePreparation = { entries: [], ready: [], rejections: [] };
    for (const decided of given) {
      const destination = decided.route ?? route?.(decided.record);
      const entry = destination === decided.route ? decided : { ...decided, route: destination };
      const options = laneMapping(destination);
      if (options === undefined) {
        result.entries.push(entry);
        result.ready.push(entry);
        continue;
      }
      const event = mapEntry(entry, options, nowMillis);
      if (event instanceof Error) {
        result.rejections.push(event);
        continue;
      }
      const prepared = compactEvent(event);
      result.entries.push(entry);
      result.ready.push(
        destination === undefined
          ? { id: entry.id, prepared }
          : { id: entry.id, prepared, route: destination },
      );
    }
    return result;
  };
}
