import type { EventRejection } from '../errors.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { ChannelDestination } from '../pipeline/channel-destination.js';
import type { Pipeline } from '../pipeline/create-pipeline.js';
import type { PipelineEntry, SendEntry } from '../pipeline/pipeline-entry.js';

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

/**
 * Prepares each entry where it enters the bridge, with the pipeline's own `map` (each channel's mapping,
 * a routed channel's events carrying its owner's account): decides its channel with `route` (an entry
 * that already has one keeps it), then maps, validates and serialises its record. The client learns of
 * invalid records in `partialSuccess`, and the delivery engine queues the event as it is, so each
 * record is mapped once.
 */
export function createIntakePreparer(
  map: Pipeline['map'],
  route: ((record: AuditLogRecord) => ChannelDestination | undefined) | undefined,
): IntakePreparer {
  return (given, nowMillis) => {
    const result: IntakePreparation = { entries: [], ready: [], rejections: [] };
    for (const decided of given) {
      const destination = decided.route ?? route?.(decided.record);
      const entry = destination === decided.route ? decided : { ...decided, route: destination };
      const ready = map(entry, nowMillis);
      if (ready instanceof Error) {
        result.rejections.push(ready);
        continue;
      }
      result.entries.push(entry);
      result.ready.push(ready);
    }
    return result;
  };
}
