import type { JsonObject, JsonValue } from '../mapping/audit-event.js';
import { ADDITIONAL_EVENT_DATA_KEYS } from '../mapping/additional-event-data.js';

/**
 * The key that lists what was cut from an event, as dotted field paths
 * (`errorMessage`, `additionalEventData.body`), so a cut is never silent.
 */
export const TRUNCATED_FIELDS_KEY = 'truncatedFields';

/**
 * Brings additionalEventData under `maxBytes` (serialised UTF-8) by dropping whole keys in this order:
 * `attributes` (the opt-in copy of other attributes), then `body`, then every other key from the last
 * to the first, so the user's own `audit.additional_event_data` keys, which come first, go last.
 * The `truncatedFields` key is never dropped; each dropped key is appended to it as
 * `additionalEventData.<key>`. The result can still be too large only if `truncatedFields` alone is,
 * so callers measure it again.
 */
export function boundAdditionalEventData(
  value: JsonObject,
  maxBytes: number,
): { value: JsonObject; cut: string[] } {
  const current: JsonObject = { ...value };
  const already = current[TRUNCATED_FIELDS_KEY];
  const marker: JsonValue[] = Array.isArray(already) ? [...already] : [];
  const cut: string[] = [];
  const order = cutOrder(Object.keys(current));
  const withMarker = (): JsonObject =>
    cut.length === 0 ? current : { ...current, [TRUNCATED_FIELDS_KEY]: [...marker, ...cut] };
  for (const key of order) {
    if (Buffer.byteLength(JSON.stringify(withMarker())) <= maxBytes) break;
    delete current[key];
    cut.push(`additionalEventData.${key}`);
  }
  return { value: withMarker(), cut };
}

function cutOrder(keys: string[]): string[] {
  const first = [ADDITIONAL_EVENT_DATA_KEYS.attributes, ADDITIONAL_EVENT_DATA_KEYS.body].filter((k) =>
    keys.includes(k),
  );
  const rest = keys.filter((k) => k !== TRUNCATED_FIELDS_KEY && !(first as string[]).includes(k)).reverse();
  return [...first, ...rest];
}
