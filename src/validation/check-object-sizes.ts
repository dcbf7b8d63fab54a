import { EVENT_DATA_OBJECT_MAX_BYTES } from '../limits.js';
import { ValidationError } from '../errors.js';
import type { JsonObject } from '../mapping/audit-event.js';
import { boundAdditionalEventData } from './bound-additional-event-data.js';

const OBJECT_FIELDS = Object.keys(EVENT_DATA_OBJECT_MAX_BYTES) as Array<
  keyof typeof EVENT_DATA_OBJECT_MAX_BYTES
>;
/** Serialised UTF-8 bytes at or under which no object field can break its limit. */
export const SMALLEST_OBJECT_LIMIT_BYTES = Math.min(...Object.values(EVENT_DATA_OBJECT_MAX_BYTES));

export interface CheckObjectSizesOptions {
  eventId: string;
  /** Cut an over-large additionalEventData in its stated order instead of rejecting it. */
  boundAdditionalEventData: boolean;
  /**
   * An upper bound of every object field's serialised size, e.g. the UTF-8 bytes of the whole eventData.
   * At or under the smallest limit nothing needs measuring: the common case costs nothing.
   */
  maxBytesHint?: number | undefined;
}

/**
 * The size rules of requestParameters (100 kB), responseElements (100 kB) and additionalEventData (28 kB),
 * as serialised UTF-8 bytes. `data` must already have passed checkFields (object fields are objects).
 * Returns `changed` when additionalEventData was cut, so the caller serialises again.
 */
export function checkObjectSizes(
  data: Record<string, unknown>,
  options: CheckObjectSizesOptions,
): { data: Record<string, unknown>; errors: ValidationError[]; changed: boolean } {
  const errors: ValidationError[] = [];
  if (options.maxBytesHint !== undefined && options.maxBytesHint <= SMALLEST_OBJECT_LIMIT_BYTES) {
    return { data, errors, changed: false };
  }
  let out = data;
  let changed = false;
  for (const field of OBJECT_FIELDS) {
    const value = out[field];
    if (value === undefined) continue;
    const limit = EVENT_DATA_OBJECT_MAX_BYTES[field];
    if (options.maxBytesHint !== undefined && options.maxBytesHint <= limit) continue;
    let bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes <= limit) continue;
    if (field === 'additionalEventData' && options.boundAdditionalEventData) {
      const bounded = boundAdditionalEventData(value as JsonObject, limit).value;
      out = { ...out, additionalEventData: bounded };
      changed = true;
      bytes = Buffer.byteLength(JSON.stringify(bounded));
      if (bytes <= limit) continue;
    }
    errors.push(
      new ValidationError({
        eventId: options.eventId,
        field,
        reason: 'too_large',
        message: `${field} is ${bytes} bytes serialised, above its limit of ${limit} bytes`,
        limit,
        actual: bytes,
      }),
    );
  }
  return { data: out, errors, changed };
}
