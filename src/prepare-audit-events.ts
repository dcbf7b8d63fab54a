import { MappingError, type EventRejection } from './errors.js';
import { checkRequestLimits } from './batch/check-request-limits.js';
import type { PreparedEvent } from './mapping/audit-event.js';
import type { AuditLogRecord } from './mapping/audit-log-record.js';
import { hasAuditAttribute } from './mapping/audit-attributes.js';
import { checkMappingOptions } from './mapping/check-mapping-options.js';
import { resolveEventId } from './mapping/event-id.js';
import type { EventDataDraft, MappingOptions } from './mapping/mapping-options.js';
import { prepareEventData } from './mapping/prepare-event.js';
import { toEventData } from './mapping/to-event-data.js';

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
   * One rejection per rejected record, in record order: the first error found (a throwing `filter` or
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
 * The pure pipeline of one export call: filter, id, map, `mapRecord`, validate, serialise once,
 * checksum. One bad record never blocks the others. No I/O, no timers, no globals besides the
 * per-record id cache of resolveEventId.
 */
export function prepareAuditEvents(
  records: readonly AuditLogRecord[],
  options: PrepareOptions,
  ctx: PrepareContext,
): PrepareResult {
  const events: PreparedEvent[] = [];
  const rejections: EventRejection[] = [];
  let skipped = 0;
  const nowMillis = ctx.now();
  const { filter, mapRecord } = options;
  const prepareOptions = {
    truncate: options.truncate ?? false,
    // The mapping contract bounds the additionalEventData it builds; the user's mapRecord output too.
    boundAdditionalEventData: true,
    maxRequestBytes: options.maxRequestBytes,
    // Our own mapping yields known fields and plain JSON; mapRecord output gets the deep check.
    trusted: mapRecord === undefined,
  };

  for (const record of records) {
    let isAudit: boolean;
    try {
      isAudit = filter === undefined ? hasAuditAttribute(record) : Boolean(filter(record));
    } catch (error) {
      rejections.push(userCodeError(resolveEventId(record, ctx.newId), 'filter', error));
      continue;
    }
    if (!isAudit) {
      skipped++;
      continue;
    }
    const id = resolveEventId(record, ctx.newId);
    let draft: EventDataDraft;
    try {
      draft = toEventData(record, id, options, nowMillis);
    } catch (error) {
      rejections.push(
        new MappingError(id, `mapping the log record failed: ${messageOf(error)}`, { cause: error }),
      );
      continue;
    }
    if (mapRecord !== undefined) {
      try {
        draft = mapRecord(record, draft);
      } catch (error) {
        rejections.push(userCodeError(id, 'mapRecord', error));
        continue;
      }
    }
    const result = prepareEventData(draft, id, prepareOptions);
    if (result.event !== undefined) events.push(result.event);
    else if (result.errors[0] !== undefined) rejections.push(result.errors[0]);
  }
  return { events, rejections, skipped };
}

function userCodeError(id: string, option: 'filter' | 'mapRecord', error: unknown): MappingError {
  return new MappingError(id, `option \`${option}\` threw: ${messageOf(error)}`, { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
