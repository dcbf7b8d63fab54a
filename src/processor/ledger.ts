/**
 * Where every record the processor, the bridge or the CLI took in stands: accepted by the Lake,
 * rejected for good, dropped with a reason, or still pending (queued, in flight, or owed by a spool).
 * `pending` is derived, so `taken = accepted + rejected + dropped + pending` holds at every moment; the
 * tests check it against what the emulator stored and what the spool still holds.
 */

/** Why a record was dropped: each is counted, and warned about with its count. */
export type DropReason =
  /** The processor already held `maxQueueSize` records. */
  | 'queue_full'
  /** The spool refused the record (`maxBytes`). */
  | 'spool_full'
  /** `shutdown()` reached its deadline before the record was sent, and no durable spool keeps it. */
  | 'shutdown_deadline'
  /** The record was emitted after `shutdown()` began. */
  | 'after_shutdown'
  /** The export gave up on the record and the custom spool in use keeps no released records. */
  | 'export_failed';

export const DROP_REASONS: readonly DropReason[] = Object.freeze([
  'queue_full',
  'spool_full',
  'shutdown_deadline',
  'after_shutdown',
  'export_failed',
]);

/** A snapshot of the ledger. */
export interface LedgerStats {
  /** Records taken in (emitted audit records, and records replayed from a durable spool at start). */
  readonly taken: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Sum of `droppedByReason`. */
  readonly dropped: number;
  readonly droppedByReason: Readonly<Record<DropReason, number>>;
  /** Taken and not yet accepted, rejected or dropped: queued, in flight or owed by a spool. */
  readonly pending: number;
}

export interface Ledger {
  take(count: number): void;
  accept(count: number): void;
  reject(count: number): void;
  drop(reason: DropReason, count: number): void;
  readonly pending: number;
  snapshot(): LedgerStats;
}

export function createLedger(): Ledger {
  let taken = 0;
  let accepted = 0;
  let rejected = 0;
  let dropped = 0;
  const byReason = Object.fromEntries(DROP_REASONS.map((reason) => [reason, 0])) as Record<
    DropReason,
    number
  >;
  return {
    take: (count) => void (taken += count),
    accept: (count) => void (accepted += count),
    reject: (count) => void (rejected += count),
    drop(reason, count) {
      byReason[reason] += count;
      dropped += count;
    },
    get pending() {
      return taken - accepted - rejected - dropped;
    },
    snapshot: () =>
      Object.freeze({
        taken,
        accepted,
        rejected,
        dropped,
        droppedByReason: Object.freeze({ ...byReason }),
        pending: taken - accepted - rejected - dropped,
      }),
  };
}
