import { AUDIT_ATTRIBUTES } from '../mapping/audit-attributes.js';
import type { MappingOptions } from '../mapping/mapping-options.js';
import { isPlainObject } from '../mapping/any-value.js';
import { findAttribute, toJsonObjectField } from '../mapping/find-attribute.js';
import { toEventData } from '../mapping/to-event-data.js';
import type { BridgeClient } from './bridge-clients.js';
import type { BridgeLogRecord } from './otlp-to-audit-log-records.js';

/** The additionalEventData key that names the client an event came through; the bridge always sets it. */
export const BRIDGE_CLIENT_KEY = 'bridgeClient';

/** The `code` of a record refused by a client's pins, as `partialSuccess` and the metrics name it. */
export const PIN_REJECTION_CODES = Object.freeze({
  eventSource: 'CTL_ERR_BRIDGE_EVENT_SOURCE_NOT_ALLOWED',
  recipientAccountId: 'CTL_ERR_BRIDGE_RECIPIENT_ACCOUNT_NOT_ALLOWED',
} as const);

/** What a client's records came to: the ones it may write, tagged with its name, and one reason per refusal. */
export interface Authorization {
  records: BridgeLogRecord[];
  rejections: Array<{ code: string; message: string }>;
}

/** A value for an error message: JSON, at most 80 characters, so a hostile value cannot bloat the answer. */
function shown(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function allowed(pins: readonly string[] | undefined, value: unknown): boolean {
  return pins === undefined || (typeof value === 'string' && pins.includes(value));
}

/**
 * Sets `additionalEventData.bridgeClient` to the client's name, over anything the client sent under that
 * key, so a client cannot claim to be another. Left alone when `audit.additional_event_data` is not a map:
 * validation then rejects the record, naming that attribute.
 */
function tagClient(record: BridgeLogRecord, name: string): BridgeLogRecord {
  const given = findAttribute(record, [AUDIT_ATTRIBUTES.additionalEventData]);
  const object = given === undefined ? {} : toJsonObjectField(given);
  if (!isPlainObject(object)) return record;
  return {
    ...record,
    attributes: {
      ...record.attributes,
      [AUDIT_ATTRIBUTES.additionalEventData]: { ...object, [BRIDGE_CLIENT_KEY]: name },
    },
  };
}

/**
 * Keeps the records `client` may write: their `eventSource` and `recipientAccountId`, as the mapping
 * derives them with `mapping` (attributes, then resource, then defaults), must be among the client's pins.
 * The check runs before the exporter's `mapRecord` hook, which must not change these two fields.
 * Without a client (no authentication configured) every record passes untagged. `nowMillis` is the last
 * fallback of eventTime in the derivation, passed in so that every slice of one request uses the same.
 */
export function authorizeRecords(
  records: readonly BridgeLogRecord[],
  client: BridgeClient | undefined,
  mapping: MappingOptions,
  nowMillis: number = Date.now(),
): Authorization {
  if (client === undefined) return { records: [...records], rejections: [] };
  const pinned = client.eventSources !== undefined || client.recipientAccountIds !== undefined;
  const result: Authorization = { records: [], rejections: [] };
  for (const record of records) {
    if (pinned) {
      let data: Record<string, unknown>;
      try {
        data = toEventData(record, 'pin-check', mapping, nowMillis);
      } catch (error) {
        // Fails closed: a record whose fields cannot be derived cannot be shown to be within the pins.
        result.rejections.push({
          code: PIN_REJECTION_CODES.eventSource,
          message: `client \`${client.name}\`: could not derive eventSource to check it: ${(error as Error).message}`,
        });
        continue;
      }
      if (!allowed(client.eventSources, data['eventSource'])) {
        result.rejections.push({
          code: PIN_REJECTION_CODES.eventSource,
          message: `client \`${client.name}\` may not write eventSource ${shown(data['eventSource'])}`,
        });
        continue;
      }
      if (!allowed(client.recipientAccountIds, data['recipientAccountId'])) {
        result.rejections.push({
          code: PIN_REJECTION_CODES.recipientAccountId,
          message: `client \`${client.name}\` may not write recipientAccountId ${shown(data['recipientAccountId'])}`,
        });
        continue;
      }
    }
    result.records.push(tagClient(record, client.name));
  }
  return result;
}
