import type { StoredEvent } from '../event-store.js';

/**
 * The table a Lake query sees for an event data store of integration (non-AWS) events, with the column
 * names and types of "Supported SQL schemas for event data stores"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-supported-event-schemas.html):
 * `eventtime` is a timestamp, `metadata.ingestiontime` and `eventdata.eventtime` are strings, and the
 * free-form objects are `map(varchar, varchar)` whose nested values are JSON text. Names are lower case
 * as Trino reports them; DuckDB, like Trino, matches identifiers and struct fields case-insensitively.
 */
const MAP = 'MAP(VARCHAR, VARCHAR)';
export const LAKE_TABLE_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['eventversion', 'VARCHAR'],
  ['eventcategory', 'VARCHAR'],
  ['eventtype', 'VARCHAR'],
  ['eventid', 'VARCHAR'],
  ['eventtime', 'TIMESTAMP'],
  ['awsregion', 'VARCHAR'],
  ['recipientaccountid', 'VARCHAR'],
  ['addendum', 'STRUCT(reason VARCHAR, updatedfields VARCHAR, originaluid VARCHAR, originaleventid VARCHAR)'],
  ['metadata', 'STRUCT(ingestiontime VARCHAR, channelarn VARCHAR)'],
  [
    'eventdata',
    `STRUCT(version VARCHAR, useridentity STRUCT(type VARCHAR, principalid VARCHAR, details ${MAP}), ` +
      'useragent VARCHAR, eventsource VARCHAR, eventname VARCHAR, eventtime VARCHAR, uid VARCHAR, ' +
      `requestparameters ${MAP}, responseelements ${MAP}, additionaleventdata ${MAP}, errorcode VARCHAR, ` +
      'errormessage VARCHAR, sourceipaddress VARCHAR, recipientaccountid VARCHAR)',
  ],
];

/** `CREATE TABLE` for one store's table; the name is the engine's own, never text from a query. */
export function createLakeTableSql(table: string): string {
  return `CREATE TABLE "${table}" (${LAKE_TABLE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`;
}

/**
 * One parameterised statement loads a batch: the events travel as a JSON parameter (never spliced into
 * SQL text, never through a file, so DuckDB needs no file access) and `json_transform` gives them the
 * table's types.
 */
export function insertLakeRowsSql(table: string): string {
  const structure = `[{${LAKE_TABLE_COLUMNS.map(([name, type]) => `"${name}": "${type}"`).join(', ')}}]`;
  return `INSERT INTO "${table}" SELECT r.* FROM (SELECT unnest(json_transform($1::VARCHAR, '${structure}')) AS r)`;
}

type JsonRecord = Record<string, unknown>;

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A free-form object as Lake's map(varchar, varchar): strings as they are, anything else as JSON text. */
function toStringMap(value: unknown): Record<string, string | null> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  return Object.fromEntries(Object.entries(value as JsonRecord).map(([key, item]) => [key, text(item)]));
}

/** `2026-01-02T10:00:00Z` as DuckDB reads a timestamp (UTC, the zone Lake's eventTime is in). */
function toTimestampText(iso: string): string | null {
  const millis = Date.parse(iso);
  return Number.isNaN(millis) ? null : new Date(millis).toISOString().replace('T', ' ').replace('Z', '');
}

/** A stored event as one row of the Lake table, keyed by the table's lower-case column names. */
export function toLakeRow(event: StoredEvent): JsonRecord {
  const data = event.eventData as JsonRecord;
  const identity = (data['userIdentity'] ?? {}) as JsonRecord;
  return {
    eventversion: event.eventVersion,
    eventcategory: event.eventCategory,
    eventtype: event.eventType,
    eventid: event.eventID,
    eventtime: toTimestampText(event.eventTime),
    awsregion: event.awsRegion,
    recipientaccountid: event.recipientAccountId,
    addendum: null,
    metadata: { ingestiontime: event.metadata.ingestionTime, channelarn: event.metadata.channelARN },
    eventdata: {
      version: text(data['version']),
      useridentity: {
        type: text(identity['type']),
        principalid: text(identity['principalId']),
        details: toStringMap(identity['details']),
      },
      useragent: text(data['userAgent']),
      eventsource: text(data['eventSource']),
      eventname: text(data['eventName']),
      eventtime: text(data['eventTime']),
      uid: text(data['UID']),
      requestparameters: toStringMap(data['requestParameters']),
      responseelements: toStringMap(data['responseElements']),
      additionaleventdata: toStringMap(data['additionalEventData']),
      errorcode: text(data['errorCode']),
      errormessage: text(data['errorMessage']),
      sourceipaddress: text(data['sourceIPAddress']),
      recipientaccountid: text(data['recipientAccountId']),
    },
  };
}
