import { EventTooLargeError, ValidationError, type EventRejection } from '../errors.js';
import { singleEventRequestBytes } from '../batch/request-body.js';
import { sha256 } from '../internal/sha256.js';
import { checkFields } from '../validation/check-fields.js';
import { checkObjectSizes, SMALLEST_OBJECT_LIMIT_BYTES } from '../validation/check-object-sizes.js';
import type { PreparedEvent } from './audit-event.js';
import { isValidEventId } from './event-id.js';
import { lazyProperty } from '../internal/lazy-property.js';

/** base64 of the SHA-256 of the UTF-8 bytes of `eventData`: the `eventDataChecksum` the service verifies. */
export function eventDataChecksum(eventData: string): string {
  return sha256(eventData, 'base64');
}

/**
 * An entry ready to send, from eventData serialised once. `entryJson` embeds `eventData` as a JSON
 * string (quotes and backslashes escaped again) so its size is the size on the wire.
 *
 * A large event keeps only `entryJson`: its `eventData` is an enumerable getter that reads the string
 * back out of the entry when asked (the plug-in transport and dead letters do; the HTTP path never does).
 * Keeping both copies alive until the batch is sent doubled what the young-generation GC had to copy:
 * at 10 kB events that was 15% of the core's time (seen in a CPU profile of the benchmark).
 *
 * @param eventDataBytes UTF-8 bytes of `eventData`, when the caller has them and `eventData` is
 *   JSON.stringify output: such text holds no control characters or lone surrogates, so escaping it
 *   again only adds ASCII backslashes and the entry's size follows without measuring it again.
 */
export function auditEventEntry(id: string, eventData: string, eventDataBytes?: number): PreparedEvent {
  const checksum = eventDataChecksum(eventData);
  // The id pattern ([-_A-Za-z0-9]) and base64 need no JSON escaping.
  const entryJson = `${ENTRY_HEAD}${id}${ENTRY_EVENT_DATA}${JSON.stringify(eventData)}${ENTRY_CHECKSUM}${checksum}${ENTRY_TAIL}`;
  const entryBytes =
    eventDataBytes === undefined
      ? Buffer.byteLength(entryJson)
      : eventDataBytes + entryJson.length - eventData.length;
  if (eventData.length < LAZY_EVENT_DATA_MIN_CHARS) {
    return { id, eventData, eventDataChecksum: checksum, entryJson, entryBytes };
  }
  const event = { id, eventDataChecksum: checksum, entryJson, entryBytes };
  return Object.defineProperty(event, 'eventData', EVENT_DATA_PROPERTY) as PreparedEvent;
}

/**
 * From this many characters of eventData on, the event reads eventData back from its entry instead of
 * keeping a copy. Below it the copy costs the GC less than defining the getter costs (about 0.13 µs,
 * 5-10% of a 1 kB event's preparation); at 10 kB dropping the copy halves the GC's share. Measured
 * again with bench/core.ts at ~10 kB events, two alternating runs each: core/floor 0.36 and 0.39 with
 * the getter, 0.28 and 0.32 with a copy kept (about 20% more events per second of CPU), which at 10 kB
 * events and the service quota of 10,000 events/s is most of a core.
 */
export const LAZY_EVENT_DATA_MIN_CHARS = 2048;

const ENTRY_HEAD = '{"id":"';
const ENTRY_EVENT_DATA = '","eventData":';
const ENTRY_CHECKSUM = ',"eventDataChecksum":"';
const ENTRY_TAIL = '"}';

/** The eventData string of an entry built by `auditEventEntry`, read back out of its `entryJson`. */
export function eventDataOfEntry(
  event: Pick<PreparedEvent, 'id' | 'entryJson' | 'eventDataChecksum'>,
): string {
  const start = ENTRY_HEAD.length + event.id.length + ENTRY_EVENT_DATA.length;
  const end =
    event.entryJson.length - ENTRY_CHECKSUM.length - event.eventDataChecksum.length - ENTRY_TAIL.length;
  return JSON.parse(event.entryJson.slice(start, end)) as string;
}

/** UTF-8 bytes after the checksum in an entry (`"}`). */
export const ENTRY_TAIL_BYTES = ENTRY_TAIL.length;

// Read back from the entry each time: keeping the copy would undo what dropping it saves.
const EVENT_DATA_PROPERTY = lazyProperty<PreparedEvent>('eventData', eventDataOfEntry, false);

/** How to validate and prepare one eventData object. */
export interface EventFromEventDataOptions {
  /**
   * Cut over-long strings and an over-large additionalEventData instead of rejecting.
   * @default DEFAULTS.truncate (`false`)
   */
  truncate?: boolean | undefined;
  /** Cut an over-large additionalEventData even without `truncate`. @default the value of `truncate` */
  boundAdditionalEventData?: boolean | undefined;
  /**
   * Reject an event that could not fit in a request of this many UTF-8 bytes even alone.
   * @default undefined (not checked here; the packer checks it)
   */
  maxRequestBytes?: number | undefined;
}

/**
 * What the pipeline already knows of an event it prepares, so as not to check it twice. Internal: a
 * caller of the public `eventFromEventData` always gets every check.
 */
export interface KnownChecks {
  /** `id` was checked where its record entered (`decideEventId`). */
  idChecked: boolean;
  /** The data came from this library's own mapping: known fields and plain JSON, no deep walk needed. */
  trusted: boolean;
}

const EVERY_CHECK: KnownChecks = Object.freeze({ idChecked: false, trusted: false });

export type PrepareEventDataResult =
  { event: PreparedEvent; errors?: undefined } | { event?: undefined; errors: EventRejection[] };

/**
 * Validates an eventData object (e.g. a line the CLI read) and prepares it to send: every schema rule,
 * then one serialisation, the checksum and the entry. Returns every error found, or the event.
 */
export function eventFromEventData(
  input: unknown,
  id: string,
  options: EventFromEventDataOptions = {},
): PrepareEventDataResult {
  return eventFromKnownEventData(input, id, options, EVERY_CHECK);
}

/** {@link eventFromEventData} without the checks `known` says were made already. */
export function eventFromKnownEventData(
  input: unknown,
  id: string,
  options: EventFromEventDataOptions,
  known: KnownChecks,
): PrepareEventDataResult {
  if (!known.idChecked && !isValidEventId(id)) {
    return {
      errors: [
        new ValidationError({
          eventId: String(id),
          field: 'id',
          reason: 'invalid',
          message: 'id must be 1 to 128 characters of [-_A-Za-z0-9]',
          limit: 128,
        }),
      ],
    };
  }
  const truncate = options.truncate ?? false;
  const fields = checkFields(input, { eventId: id, truncate, trusted: known.trusted });
  if (fields.errors.length > 0) return { errors: fields.errors };
  let json = JSON.stringify(fields.data);
  // Every object field is at most the whole eventData's size, so one measure usually settles all limits.
  let bytes = Buffer.byteLength(json);
  if (bytes > SMALLEST_OBJECT_LIMIT_BYTES) {
    const sizes = checkObjectSizes(fields.data, {
      eventId: id,
      boundAdditionalEventData: options.boundAdditionalEventData ?? truncate,
      maxBytesHint: bytes,
    });
    if (sizes.errors.length > 0) return { errors: sizes.errors };
    if (sizes.changed) {
      json = JSON.stringify(sizes.data);
      bytes = Buffer.byteLength(json);
    }
  }
  const event = auditEventEntry(id, json, bytes);
  if (options.maxRequestBytes !== undefined) {
    const bytes = singleEventRequestBytes(event);
    if (bytes > options.maxRequestBytes)
      return { errors: [new EventTooLargeError(id, bytes, options.maxRequestBytes)] };
  }
  return { event };
}
