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
import { prepareEventData } from '../mapping/prepare-event.js';
import { toEventData } from '../mapping/to-event-data.js';
import type { PrepareOptions } from '../prepare-audit-events.js';
import { messageOf } from './decide-entry.js';
import type { PipelineEntry } from './pipeline-entry.js';

export interface PreparedEntries {
  /** Valid events ready to pack, in entry order. */
  events: PreparedEvent[];
  /** One rejection per rejected entry, in entry order: the first error found. */
  rejections: EventRejection[];
}

/** Maps and validates `entries` at `nowMillis` (the last fallback of eventTime). Never throws. */
export function prepareEntries(
  entries: readonly PipelineEntry[],
  options: PrepareOptions,
  nowMillis: number,
): PreparedEntries {
  const events: PreparedEvent[] = [];
  const rejections: EventRejection[] = [];
  const { mapRecord } = options;
  const eventOptions = {
    truncate: options.truncate ?? false,
    // The mapping contract bounds the additionalEventData it builds; the user's mapRecord output too.
    boundAdditionalEventData: true,
    maxRequestBytes: options.maxRequestBytes,
    // Our own mapping yields known fields and plain JSON; mapRecord output gets the deep check.
    trusted: mapRecord === undefined,
  };
  for (const { id, record, eventData } of entries) {
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
      const result = prepareEventData(draft, id, {
        ...eventOptions,
        trusted: eventOptions.trusted && eventData === undefined,
      });
      if (result.event !== undefined) events.push(result.event);
      else if (result.errors[0] !== undefined) rejections.push(result.errors[0]);
      else rejections.push(new MappingError(id, 'the mapped eventData was neither valid nor rejected'));
    } catch (error) {
      const what = step === 'option `mapRecord`' ? `${step} threw` : `${step} failed`;
      rejections.push(new MappingError(id, `${what}: ${messageOf(error)}`, { cause: error }));
    }
  }
  return { events, rejections };
}
