/**
 * Finds the eventData of rejected events, so that a dead letter can be fixed and sent again. An event
 * the service refused has its eventData in the prepared event; one refused by local validation never
 * got that far, so its record is mapped again (the same pure mapping, the same id) to show what failed.
 */
import type { EventRejection } from '../errors.js';
import type { PreparedEvent } from '../mapping/audit-event.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { MappingOptions } from '../mapping/mapping-options.js';
import { toEventData } from '../mapping/to-event-data.js';
import { deadLetterReason, type DeadLetter } from './dead-letter.js';

export interface DeadLetterSources {
  /** The records of the send under their ids, to map again for local rejections. */
  entries: readonly { readonly id: string; readonly record: AuditLogRecord }[];
  /** Prepared events by id, for rejections after preparation (too large, refused by the service). */
  events: ReadonlyMap<string, PreparedEvent>;
  mapping: MappingOptions;
  /** Epoch milliseconds: the rejection time, and the mapping's eventTime fallback. */
  nowMillis: number;
  /** The channel these events were sent to, recorded in each dead letter. */
  channelArn?: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(json: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(json);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function remap(
  record: AuditLogRecord,
  id: string,
  sources: DeadLetterSources,
): Record<string, unknown> | null {
  try {
    let draft = toEventData(record, id, sources.mapping, sources.nowMillis);
    if (sources.mapping.mapRecord !== undefined) {
      try {
        draft = sources.mapping.mapRecord(record, draft);
      } catch {
        // mapRecord is what failed: show the mapping's own result, the best starting point for a fix.
      }
    }
    // Round-trip through JSON so the line holds exactly what a JSON reader will see.
    return isObject(draft) ? parseObject(JSON.stringify(draft)) : null;
  } catch {
    return null;
  }
}

/** One dead letter per rejection, in order. Never throws. */
export function buildDeadLetters(
  rejections: readonly EventRejection[],
  sources: DeadLetterSources,
): DeadLetter[] {
  let recordsById: Map<string, AuditLogRecord> | undefined;
  return rejections.map((rejection) => {
    const id = rejection.eventId;
    let eventData: Record<string, unknown> | null = null;
    const prepared = sources.events.get(id);
    if (prepared !== undefined) eventData = parseObject(prepared.eventData);
    else {
      if (recordsById === undefined) {
        recordsById = new Map();
        for (const entry of sources.entries) recordsById.set(entry.id, entry.record);
      }
      const record = recordsById.get(id);
      if (record !== undefined) eventData = remap(record, id, sources);
    }
    const reason = deadLetterReason(rejection, sources.nowMillis);
    const { channelArn } = sources;
    return channelArn === undefined ? { id, eventData, reason } : { id, eventData, channelArn, reason };
  });
}
