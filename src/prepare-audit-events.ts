import type { EventRejection } from './errors.js';
import { checkRequestLimits } from './batch/check-request-limits.js';
import type { PreparedEvent } from './mapping/audit-event.js';
import type { AuditLogRecord } from './mapping/audit-log-record.js';
import { checkMappingOptions } from './mapping/check-mapping-options.js';
import type { MappingOptions } from './mapping/mapping-options.js';
import { decideEntry } from './pipeline/decide-entry.js';
import type { PipelineEntry } from './pipeline/pipeline-entry.js';
import { mapEntries } from './pipeline/map-entries.js';

/** Options of the whole pure pipeline: the mapping's, plus the request size an event must fit in. */
export interface PrepareOptions extends MappingOptions {
  /**
   * Reject (EventTooLargeError) an event whose request body alone would exceed this many UTF-8 bytes,
   * so it is never queued or spooled. 1 to PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES.
   * @default undefined (left to splitIntoRequests)
   */
  maxRequestBytes?: number;
}

/** What the pipeline needs from the outside world, injected so it stays pure and testable. */
export interface PrepareContext {
  /** Current time in epoch milliseconds: the last fallback of eventTime. Read once per call. */
  now: () => number;
  /** A fresh event id, e.g. `crypto.randomUUID()`; called once per record that has none. */
  newId: () => string;
}

export interface PrepareResult {
  /** Valid events ready to pack, in record order. */
  events: PreparedEvent[];
  /**
   * One rejection per rejected record (those whose `filter` threw first): the first error found (a throwing `filter` or
   * `mapRecord` gives a MappingError; a broken schema rule a ValidationError; an event too large for
   * `maxRequestBytes` an EventTooLargeError).
   */
  rejections: EventRejection[];
  /** Records the filter said are not audit events. */
  skipped: number;
}

/** Throws ConfigError for any invalid option of prepareAuditEvents. */
export function checkPrepareOptions(options: PrepareOptions): void {
  checkMappingOptions(options);
  if (options.maxRequestBytes !== undefined) checkRequestLimits({ maxRequestBytes: options.maxRequestBytes });
}

/**
 * The pure pipeline of one export call over plain records: decide each record (filter, id) once, then
 * map, `mapRecord`, validate, serialise once and checksum. One bad record never blocks the others, and
 * it never throws. No I/O, no timers, no globals.
 */
export function prepareAuditEvents(
  records: readonly AuditLogRecord[],
  options: PrepareOptions,
  ctx: PrepareContext,
): PrepareResult {
  const entries: PipelineEntry[] = [];
  const early: EventRejection[] = [];
  let skipped = 0;
  for (const record of records) {
    const decision = decideEntry(record, options.filter, ctx.newId);
    if (decision.kind === 'skip') skipped++;
    else if (decision.kind === 'rejected') early.push(decision.error);
    else entries.push(decision.entry);
  }
  const { events, rejections } = mapEntries(entries, options, ctx.now());
  return { events, rejections: [...early, ...rejections], skipped };
}
