/**
 * What flows through the one send pipeline. An entry is a record with the event id decided where it
 * entered (the processor's `onEmit`, the bridge's intake, a CLI input line); a send returns, for every
 * id it was given, exactly one fate. Callers settle from that (ack, release, count, dead-letter), so
 * nothing has to reach back into the pipeline.
 */
import type { EventRejection } from '../errors.js';
import type { PreparedEvent } from '../mapping/audit-event.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { EventDataDraft } from '../mapping/mapping-options.js';
import type { ChannelDestination } from './channel-destination.js';

/** One audit record and the event id it keeps through every retry, spool and restart. */
export interface PipelineEntry {
  readonly id: string;
  readonly record: AuditLogRecord;
  /**
   * eventData that is already mapped (a CLI input line, a dead letter sent again): validated and sent
   * as it is, instead of mapping `record`.
   */
  readonly eventData?: EventDataDraft;
  /**
   * The channel this entry goes to, decided where it entered (a `channelArn` function, a bridge route);
   * absent means the exporter's own `channelArn`.
   */
  readonly route?: ChannelDestination | undefined;
  /** Absent: an entry that carries its record is prepared when it is sent. */
  readonly prepared?: undefined;
}

/**
 * An entry already mapped, validated and serialised where it entered (the processor's `take`): it
 * keeps only what a send needs, so a record waiting for the rate limit holds one event instead of the
 * SDK's log record and its attributes.
 */
export interface PreparedEntry {
  readonly id: string;
  readonly prepared: PreparedEvent;
  readonly route?: ChannelDestination | undefined;
  readonly record?: undefined;
}

/** What a send takes: records to prepare, or entries prepared where they entered. */
export type SendEntry = PipelineEntry | PreparedEntry;

/** Bounds of one send. */
export interface SendOptions {
  /** Epoch milliseconds (on the pipeline's clock) past which no new attempt starts; the send then gives up. */
  deadline: number;
  /** Aborts the send early (shutdown); what is not settled by then is `failed`. */
  signal?: AbortSignal | undefined;
}

/** An event the service accepted, with the id CloudTrail Lake gave it (`eventID`). */
export interface AcceptedEvent {
  id: string;
  /** The Lake's own `eventID`; undefined only when a plug-in client does not return it. */
  eventId: string | undefined;
}

/** Events the pipeline gave up on for now, with the retryable reason: send them again later. */
export interface FailedGroup {
  ids: string[];
  error: Error;
}

/**
 * What one send came to. Every id given to the send appears exactly once across the three lists:
 * accepted, rejected for good (typed error, never worth sending again), or failed (worth another try).
 */
export interface SendOutcome {
  accepted: AcceptedEvent[];
  rejected: EventRejection[];
  failed: FailedGroup[];
}

/** Ids per fate, for callers that only settle (ack or release). */
export function outcomeIds(outcome: SendOutcome): { settled: string[]; failed: string[] } {
  return {
    settled: [...outcome.accepted.map((event) => event.id), ...outcome.rejected.map((r) => r.eventId)],
    failed: outcome.failed.flatMap((group) => group.ids),
  };
}
