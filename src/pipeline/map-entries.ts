/**
 * The pure part of a send: each entry's record is mapped to eventData, passed through the user's
 * `mapRecord`, validated, serialised once and checksummed, under the id the entry already carries. One
 * bad record never blocks the others, and nothing here throws: whatever a record or user code does
 * (a throwing getter, a Proxy, a value nested 10,000 deep, a stack overflow) rejects that record alone
 * with a MappingError. No I/O, no timers, no globals.
 */
import { MappingError, type EventRejection } from '../errors.js';
import type { PreparedEvent } from '../mapping/audit-event.js';
import type { EventDataDraft } from '../mapping/mapping-options.js';
import {
  eventFromKnownEventData,
  type EventFromEventDataOptions,
  type KnownChecks,
} from '../mapping/audit-event-entry.js';
import { toEventData } from '../mapping/to-event-data.js';
import type { PrepareOptions } from '../prepare-audit-events.js';
import { messageOf } from './decide-entry.js';
import type { PipelineEntry, SendEntry } from './pipeline-entry.js';

export interface PreparedEntries {
  /** Valid events ready to pack, in entry order. */
  events: PreparedEvent[];
  /** One rejection per rejected entry, in entry order: the first error found. */
  rejections: EventRejection[];
}

/** Maps and validates `entries` at `nowMillis` (the last fallback of eventTime). Never throws. */
export function mapEntries(
  entries: readonly SendEntry[],
  options: PrepareOptions,
  nowMillis: number,
): PreparedEntries {
  const events: PreparedEvent[] = [];
  const rejections: EventRejection[] = [];
  const eventOptions = eventOptionsOf(options);
  for (const entry of entries) {
    // An entry prepared where it entered was mapped and validated by this same function then.
    const result = entry.prepared ?? prepareOne(entry, options, eventOptions, false, nowMillis);
    if (result instanceof Error) rejections.push(result);
    else events.push(result);
  }
  return { events, rejections };
}

/**
 * Maps and validates one entry whose id was decided where it entered (a checked id or a fresh UUID), so
 * the id is not checked again: its event, or the first error found. Never throws.
 */
export function mapEntry(
  entry: PipelineEntry,
  options: PrepareOptions,
  nowMillis: number,
): PreparedEvent | EventRejection {
  return prepareOne(entry, options, eventOptionsOf(options), true, nowMillis);
}

function eventOptionsOf(options: PrepareOptions): EventFromEventDataOptions {
  return {
    truncate: options.truncate ?? false,
    // The mapping contract bounds the additionalEventData it builds; the user's mapRecord output too.
    boundAdditionalEventData: true,
    maxRequestBytes: options.maxRequestBytes,
  };
}

function prepareOne(
  { id, record, eventData }: PipelineEntry,
  options: PrepareOptions,
  eventOptions: EventFromEventDataOptions,
  idChecked: boolean,
  nowMillis: number,
): PreparedEvent | EventRejection {
  const { mapRecord } = options;
  let step = 'mapping the log record';
  try {
    let draft: EventDataDraft;
    if (eventData !== undefined) draft = eventData;
    else {
      draft = toEventData(record, id, options, nowMillis);
      if (mapRecord !== undefined) {
        step = 'option `mapRecord`';
        draft = mapRecord(record, draft);
      }
    }
    step = 'validating the mapped eventData';
    // Our own mapping yields known fields and plain JSON; mapRecord output and eventData that came in
    // mapped (a CLI line) are user data and get the deep check.
    const known: KnownChecks = { idChecked, trusted: eventData === undefined && mapRecord === undefined };
    const result = eventFromKnownEventData(draft, id, eventOptions, known);
    if (result.event !== undefined) return result.event;
    return result.errors[0] ?? new MappingError(id, 'the mapped eventData was neither valid nor rejected');
  } catch (error) {
    const what = step === 'option `mapRecord`' ? `${step} threw` : `${step} failed`;
    return new MappingError(id, `${what}: ${messageOf(error)}`, { cause: error });
  }
}
