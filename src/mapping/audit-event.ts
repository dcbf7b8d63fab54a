/**
 * The wire types of CloudTrail Lake ingestion, in AWS casing.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-integration-event-schema.html
 */

/** A JSON value as it appears inside eventData. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The object serialised into an audit event's `eventData` string. */
export interface EventData {
  version: string;
  userIdentity: {
    type: string;
    principalId: string;
    details?: JsonObject;
  };
  userAgent?: string;
  eventSource: string;
  eventName: string;
  /** UTC, one-second precision: `2026-11-21T09:30:00Z`. */
  eventTime: string;
  UID: string;
  requestParameters?: JsonObject;
  responseElements?: JsonObject;
  errorCode?: string;
  errorMessage?: string;
  sourceIPAddress?: string;
  recipientAccountId: string;
  additionalEventData?: JsonObject;
}

/** One entry of a PutAuditEvents request body. */
export interface AuditEventEntry {
  id: string;
  /** eventData serialised once; the checksum is computed over exactly these characters. */
  eventData: string;
  /** base64 of the SHA-256 of the UTF-8 bytes of `eventData`. */
  eventDataChecksum?: string;
}

/**
 * An event ready to send: serialised once, checksummed, and with its exact size inside a request body.
 * The packer and the transport only ever read these fields; nothing re-serialises eventData.
 */
export interface PreparedEvent extends AuditEventEntry {
  eventDataChecksum: string;
  /** This entry as it appears in the request body: `{"id":…,"eventData":…,"eventDataChecksum":…}`. */
  entryJson: string;
  /** UTF-8 bytes of `entryJson`. */
  entryBytes: number;
}

/**
 * How a waiting event writes its entry into a request body: it copies the UTF-8 bytes it keeps
 * (`compactEvent`) to `target` at `offset` and returns how many it wrote. A symbol key, so JSON and the
 * wire fields never show it; `writeRequestBody` calls it instead of encoding `entryJson`.
 */
export const WRITE_ENTRY = Symbol('writeEntry');

/** A prepared event as it waits in the queue, able to copy its entry's bytes into a body. */
export type WaitingEvent = PreparedEvent & {
  readonly [WRITE_ENTRY]?: (target: Buffer, offset: number) => number;
};

/** The 200 response of PutAuditEvents. */
export interface PutAuditEventsOutput {
  successful: Array<{ id: string; eventID: string }>;
  failed: Array<{ id: string; errorCode: string; errorMessage: string }>;
}
