import type { BridgeSink } from './bridge-sink.js';

/**
 * Records each sink has promised to requests still being admitted. Admission takes turns of the event
 * loop, so between a request's capacity check and its emit other requests are checked too; counting
 * what is promised beside what is pending keeps all of them together within maxQueueSize.
 */
const reservedBySink = new WeakMap<BridgeSink, number>();

/** Capacity held for one request until its records are handed to the sink (or it gives up). */
export interface QueueReservation {
  /** Gives the capacity back; call once the records are emitted (the sink then counts them) or not at all. */
  release(): void;
}

/** Records promised to requests being admitted into `sink`, not yet emitted. */
export function reservedRecords(sink: BridgeSink): number {
  return reservedBySink.get(sink) ?? 0;
}

/**
 * Holds room for `count` records in `sink`'s queue, or answers undefined when what is pending plus
 * what is already promised leaves less than that within `maxQueueSize`.
 */
export function reserveQueueCapacity(
  sink: BridgeSink,
  count: number,
  maxQueueSize: number,
): QueueReservation | undefined {
  const reserved = reservedRecords(sink);
  if (sink.pendingRecords + reserved + count > maxQueueSize) return undefined;
  reservedBySink.set(sink, reserved + count);
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      reservedBySink.set(sink, reservedRecords(sink) - count);
    },
  };
}
